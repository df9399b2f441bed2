package linkset_test

import (
	"os"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/linkset"
)

// FuzzDecode feeds arbitrary documents to Parse, Anchors and CheckLevels.
// Properties: nothing panics; a refusal is an Invalid error with at most
// MaxErrors field errors; every accepted anchor has a canonical key that
// parses back to itself, and keeps the limits.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"testdata/valid-gs1-example.json", "testdata/invalid-gs1-example.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(doc(ctx(anchorA, members(
		`"gs1:recallStatus":[{"href":"https://b.example/r?lot={10}","title":"R","hreflang":["en"],"context":["x"],"fwqs":false}]`)...),
		ctx(anchorA+"/10/A%2fb/21/1", `"https://ref.gs1.org/voc/dpp":[{"href":"https://b.example/d/{21}","title":"D","type":"application/ld+json"}]`))))
	f.Add([]byte(doc(ctx("https://id.gs1.org/414/9520123456788/254/x", withDefault...))))
	f.Add([]byte(`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134353","gs1:pip":{}}]}`))
	f.Add([]byte(`{"linkset":[{"anchor":7,"itemDescription":null,"gs1:defaultLink":[{"href":"https://{10}","title":""}]}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := linkset.Parse(in)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		_ = d.Pointer([]string{"linkset", "0", "https://gs1.org/voc/pip"})
		up, err := d.Anchors()
		if err != nil {
			checkRefusal(t, err)
			return
		}
		for _, a := range up.Anchors {
			u, err := dl.ParsePath(a.Key, "")
			if err != nil || string(dl.AppendPath(nil, u.Elements)) != a.Key {
				t.Fatalf("accepted key %q is not canonical: %v", a.Key, err)
			}
			if len(a.Links) > linkset.MaxLinksPerAnchor || len(a.Description) > linkset.MaxTextLen {
				t.Fatalf("limits broken by %s", a.Key)
			}
			for _, l := range a.Links {
				if len(l.Href) > linkset.MaxHrefLen || l.Title == "" || !strings.HasPrefix(l.Type, "https://gs1.org/voc/") {
					t.Fatalf("accepted link %+v", l)
				}
			}
		}
		if err := up.CheckLevels(nil); err != nil {
			checkRefusal(t, err)
		}
		_ = up.Lookup()
	})
}

func checkRefusal(t *testing.T, err error) {
	t.Helper()
	if !fault.Is(err, fault.Invalid) || len(fault.FieldsOf(err)) == 0 || len(fault.FieldsOf(err)) > linkset.MaxErrors {
		t.Fatalf("refusal %v is not an Invalid error with 1 to %d field errors", err, linkset.MaxErrors)
	}
}
