package resolver_test

import (
	"bytes"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ecmaRegexp runs a JSON Schema pattern the way its ECMA-262 authors meant:
// GS1's linkset schema starts one pattern with a negative lookahead, which
// Go's RE2 engine lacks, so patterns go to regexp2's ECMAScript mode.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) String() string { return r.re.String() }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func compileECMA(src string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(src, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = time.Second
	return ecmaRegexp{re: re}, nil
}

var (
	linksetSchemaOnce sync.Once
	linksetSchema     *jsonschema.Schema
	linksetSchemaErr  error
)

// validateLinkset fails the test unless doc validates against GS1's linkset
// schema (testdata/gs1-linkset-schema.json).
func validateLinkset(t testing.TB, doc []byte) {
	t.Helper()
	linksetSchemaOnce.Do(func() {
		raw, err := os.ReadFile("testdata/gs1-linkset-schema.json")
		if err != nil {
			linksetSchemaErr = err
			return
		}
		schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			linksetSchemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.UseRegexpEngine(compileECMA)
		if err := c.AddResource("gs1-linkset-schema.json", schemaDoc); err != nil {
			linksetSchemaErr = err
			return
		}
		linksetSchema, linksetSchemaErr = c.Compile("gs1-linkset-schema.json")
	})
	if linksetSchemaErr != nil {
		t.Fatalf("linkset schema: %v", linksetSchemaErr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("linkset is not JSON: %v\n%s", err, doc)
	}
	if err := linksetSchema.Validate(inst); err != nil {
		t.Fatalf("linkset does not validate against GS1's schema: %v\n%s", err, doc)
	}
}

func TestLinksetSchema_RejectsWhatGS1Rejects(t *testing.T) {
	t.Parallel()
	// The validator must be able to fail: these break the schema's rules
	// (facts: top level only "linkset"; href and title required; hreflang
	// pattern; relation keys lowercase or http(s) URIs).
	bad := []string{
		`{"linkset":[],"extra":1}`,
		`{"linkset":[{"anchor":"https://id.example/01/1","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://a.example/"}]}]}`,
		`{"linkset":[{"anchor":"https://id.example/01/1","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://a.example/","title":"t","hreflang":["und"]}]}]}`,
		`{"linkset":[{"anchor":"https://id.example/01/1","itemDescription":"x","Not A Key":[]}]}`,
		`{"linkset":[{"anchor":"https://id.example/01/1","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://a.example/","title":"t","colour":"red"}]}]}`,
		`{"linkset":[{"itemDescription":"x"}]}`,
		`{"linkset":[{"anchor":"ftp://id.example/01/1","itemDescription":"x"}]}`,
	}
	for _, doc := range bad {
		ft := &fakeTB{TB: t}
		func() {
			defer func() { _ = recover() }()
			validateLinkset(ft, []byte(doc))
		}()
		if !ft.failed {
			t.Errorf("schema accepted %s", doc)
		}
	}
	raw, err := os.ReadFile("testdata/gs1-linkset-schema.json")
	if err != nil || len(raw) == 0 {
		t.Fatal(err)
	}
}

// fakeTB records a fatal failure instead of ending the test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}
