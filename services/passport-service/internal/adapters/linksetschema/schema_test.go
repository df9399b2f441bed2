package linksetschema_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/linksetschema"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/linkset"
)

func newValidator(t testing.TB) *linksetschema.Validator {
	t.Helper()
	v, err := linksetschema.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// violations validates the JSON in s as linkset.Parse decodes it.
func violations(t *testing.T, v *linksetschema.Validator, s string) []app.SchemaViolation {
	t.Helper()
	d, err := linkset.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v.Validate(d.Tree())
}

func TestValidator_GS1Examples(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	for file, want := range map[string][]string{
		"testdata/valid-gs1-example.json": nil,
		// No itemDescription, and a link with "titlekkkkk" instead of a title.
		"testdata/invalid-gs1-example.json": {"/linkset/0", "/linkset/0/prev/0", "/linkset/0/prev/0"},
	} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, vi := range v.Validate(doc) {
			got = append(got, linkset.Pointer(vi.Path...))
			if !strings.HasPrefix(vi.Reason, "GS1 linkset schema: ") {
				t.Errorf("reason %q", vi.Reason)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: violations at %v, want %v", file, got, want)
		}
	}
}

func TestValidator_ReportsWhereADocumentBreaksTheSchema(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	const ok = `{"anchor":"https://id.gs1.org/01/09506000134352","itemDescription":"x",` +
		`"https://gs1.org/voc/pip":[{"href":"https://b.example","title":"t","hreflang":["en-GB"],"type":"text/html",` +
		`"context":["x"],"fwqs":false,"public":true}]}`
	if got := violations(t, v, `{"linkset":[`+ok+`]}`); len(got) != 0 {
		t.Fatalf("valid document: %+v", got)
	}
	tests := []struct{ name, doc, at, reason string }{
		{"extra top-level member", `{"linkset":[` + ok + `],"x":1}`, "", "additional properties 'x'"},
		{"no linkset", `{}`, "", "missing property 'linkset'"},
		{"anchor not http", `{"linkset":[{"anchor":"urn:x","itemDescription":"x"}]}`, "/linkset/0/anchor", "does not match pattern"},
		{"href not http", `{"linkset":[{"anchor":"https://a.example","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"mailto:x","title":"t"}]}]}`,
			"/linkset/0/https:~1~1gs1.org~1voc~1pip/0/href", "does not match pattern"},
		{"hreflang und", `{"linkset":[{"anchor":"https://a.example","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://b.example","title":"t","hreflang":["und"]}]}]}`,
			"/linkset/0/https:~1~1gs1.org~1voc~1pip/0/hreflang/0", "does not match pattern"},
		{"title missing", `{"linkset":[{"anchor":"https://a.example","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://b.example"}]}]}`,
			"/linkset/0/https:~1~1gs1.org~1voc~1pip/0", "missing property 'title'"},
		{"fwqs a string", `{"linkset":[{"anchor":"https://a.example","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://b.example","title":"t","fwqs":"yes"}]}]}`,
			"/linkset/0/https:~1~1gs1.org~1voc~1pip/0/fwqs", "got string, want boolean"},
		{"links not an array", `{"linkset":[{"anchor":"https://a.example","itemDescription":"x","https://gs1.org/voc/pip":{}}]}`,
			"/linkset/0/https:~1~1gs1.org~1voc~1pip", "got object, want array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, vi := range violations(t, v, tt.doc) {
				if linkset.Pointer(vi.Path...) == tt.at && strings.Contains(vi.Reason, tt.reason) {
					return
				}
			}
			t.Fatalf("no violation at %q saying %q: %+v", tt.at, tt.reason, violations(t, v, tt.doc))
		})
	}
}
