// Package linksetschema validates linkset documents against GS1's linkset
// JSON schema (gs1-linkset-schema.json from gs1/linkset, embedded) with
// santhosh-tekuri/jsonschema. It implements app.LinksetSchema, keeping the
// schema engine out of the core.
//
// GS1's schema is written for ECMA-262 regular expressions, and one of its
// patterns, the key pattern of link relations
// "(?!(anchor|itemDescription))^([a-z-]+$)|(^https?:\/\/[a-zA-z0-9./]+$)",
// starts with a negative lookahead, which Go's RE2 engine lacks. The schema
// compiler therefore runs every pattern with github.com/dlclark/regexp2 in
// its ECMAScript mode, with a match timeout, as the schema's authors meant.
package linksetschema

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

//go:embed gs1-linkset-schema.json
var schemaJSON []byte

// SchemaURL is the location the embedded schema is compiled under (GS1's
// published address of the linkset schema); nothing is fetched from it.
const SchemaURL = "https://gs1.github.io/linkset/gs1-linkset-schema.json"

var printer = message.NewPrinter(language.English)

// Validator validates decoded linkset documents. It is safe for concurrent
// use.
type Validator struct {
	schema *jsonschema.Schema
}

var _ app.LinksetSchema = (*Validator)(nil)

// NewValidator compiles the embedded GS1 schema.
func NewValidator() (*Validator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("linksetschema: decode embedded schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(compileRegexp)
	if err := c.AddResource(SchemaURL, doc); err != nil {
		return nil, fmt.Errorf("linksetschema: add schema: %w", err)
	}
	s, err := c.Compile(SchemaURL)
	if err != nil {
		return nil, fmt.Errorf("linksetschema: compile schema: %w", err)
	}
	return &Validator{schema: s}, nil
}

// Validate returns every violation of the schema in doc (a value as
// encoding/json decodes JSON, with or without UseNumber), ordered by
// location.
func (v *Validator) Validate(doc any) []app.SchemaViolation {
	err := v.schema.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []app.SchemaViolation{{Reason: "cannot be validated against GS1's linkset schema"}}
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves)
	out := make([]app.SchemaViolation, 0, len(leaves))
	for _, l := range leaves {
		out = append(out, app.SchemaViolation{
			Path:   slices.Clone(l.InstanceLocation),
			Reason: "GS1 linkset schema: " + l.ErrorKind.LocalizedString(printer),
		})
	}
	slices.SortStableFunc(out, func(a, b app.SchemaViolation) int {
		if c := slices.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return slices.CompactFunc(out, func(a, b app.SchemaViolation) bool {
		return slices.Equal(a.Path, b.Path) && a.Reason == b.Reason
	})
}

func collectLeaves(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		*out = append(*out, e)
		return
	}
	for _, c := range e.Causes {
		collectLeaves(c, out)
	}
}

// matchTimeout bounds one pattern match. regexp2 backtracks, and the
// strings matched come from uploads; GS1's patterns are short and anchored,
// so a match that takes this long is an attack, and it counts as no match.
const matchTimeout = 100 * time.Millisecond

// ecmaRegexp is a schema pattern compiled with regexp2's ECMAScript mode.
type ecmaRegexp struct {
	re *regexp2.Regexp
}

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }

// compileRegexp is the schema compiler's regexp engine (see the package
// doc).
func compileRegexp(pattern string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(pattern, regexp2.ECMAScript)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	re.MatchTimeout = matchTimeout
	return ecmaRegexp{re: re}, nil
}
