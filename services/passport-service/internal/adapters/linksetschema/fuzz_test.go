package linksetschema_test

import (
	"os"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/linkset"
)

// FuzzUploadPipeline runs what an upload does with a document before it is
// stored: Parse, schema validation, the domain rules. Properties: nothing
// panics; a document the pipeline accepts also has no schema violation.
func FuzzUploadPipeline(f *testing.F) {
	for _, name := range []string{"testdata/valid-gs1-example.json", "testdata/invalid-gs1-example.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134352","itemDescription":"x",` +
		`"gs1:defaultLink":[{"href":"https://b.example/p","title":"P"}],` +
		`"https://ref.gs1.org/voc/pip":[{"href":"https://b.example/p","title":"P","hreflang":["en"],"type":"text/html"}],` +
		`"gs1:recallStatus":[{"href":"https://b.example/r/{10}","title":"R","fwqs":false}]}]}`))
	f.Add([]byte(`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134352/10/L","itemDescription":"x","anchor2":[]}],"x":[]}`))
	v := newValidator(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := linkset.Parse(in)
		if err != nil {
			return
		}
		vs := v.Validate(d.Tree())
		for _, vi := range vs {
			d.Problems.Add(d.Pointer(vi.Path), vi.Reason)
		}
		if _, err := d.Anchors(); err == nil && len(vs) > 0 {
			t.Fatalf("accepted a document with schema violations %+v", vs)
		}
	})
}
