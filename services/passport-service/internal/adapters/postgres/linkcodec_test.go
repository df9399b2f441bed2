package postgres

import (
	"encoding/json"
	"reflect"
	"testing"
	"unsafe"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// slow decodes b with encoding/json only: the reference for the fast path.
func slow(b []byte) ([]resolver.Link, error) {
	var s []storedLink
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	out := make([]resolver.Link, len(s))
	for i, l := range s {
		out[i] = resolver.Link{Type: l.Rel, Href: l.Href, Title: l.Title, MediaType: l.Type,
			Hreflang: l.Hreflang, Context: l.Context, Fwqs: l.Fwqs, Public: l.Public}
	}
	return out, nil
}

var codecSeeds = []string{
	// As Postgres prints jsonb: members sorted, ", " and ": " separators.
	`[{"rel": "https://gs1.org/voc/defaultLink", "fwqs": true, "href": "https://b.example/p", "title": "Product", "public": true}, ` +
		`{"rel": "https://gs1.org/voc/pip", "fwqs": false, "href": "https://b.example/p", "type": "text/html", "title": "Información", ` +
		`"public": true, "context": ["gb"], "hreflang": ["en", "en-GB"]}]`,
	// As encoding/json writes it.
	`[{"rel":"https://gs1.org/voc/dpp","href":"https://b.example/{21}","title":"DPP","hreflang":[],"context":[],"fwqs":true,"public":false}]`,
	`[]`,
	` [ ] `,
	`[{"rel":"x","href":"a\"b","title":"t","fwqs":true,"public":true}]`,    // an escape: slow path
	`[{"rel":"x","href":"a","title":"t","fwqs":true,"public":true,"n":1}]`, // unknown member
	`[{"rel":"x","rel":"y","href":"a","title":"t","fwqs":true,"public":true}]`,
	`[{"Rel":"x","href":"a","title":"t","fwqs":true,"public":true}]`,
	`[{"rel":"x","href":"\xff","title":"t","fwqs":true,"public":true}]`,
	`[{"rel":"x","href":"a","title":"t","hreflang":null,"fwqs":true,"public":true}]`,
	`[{}]`,
	`null`,
	`[{"rel":"x"`,
	`{"rel":"x"}`,
	`[{"rel":"x","fwqs":tru}]`,
	`[1]`,
}

func TestLinkDecoder_AgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, in := range codecSeeds {
		want, wantErr := slow([]byte(in))
		got, err := newLinkDecoder().decode([]byte(in))
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("decode(%s) = %+v, %v; encoding/json gives %+v, %v", in, got, err, want, wantErr)
		}
	}
}

func TestLinkDecoder_FastPathTakesStoredLinks(t *testing.T) {
	t.Parallel()
	links := []resolver.Link{
		{Type: resolver.LinkTypeDefault, Href: "https://b.example/p", Title: "Product", Fwqs: true, Public: true},
		{Type: resolver.Namespace + "pip", Href: "https://b.example/p", Title: "Información", MediaType: "text/html",
			Hreflang: []string{"en", "en-GB"}, Context: []string{"gb"}, Fwqs: false, Public: true},
	}
	b, err := encodeLinks(links)
	if err != nil {
		t.Fatal(err)
	}
	d := newLinkDecoder()
	got, ok := d.fast(b)
	if !ok || !reflect.DeepEqual(got, links) {
		t.Fatalf("fast(%s) = %+v, %v", b, got, ok)
	}
	// Shared strings: the known link type and the repeated href.
	if unsafeData(got[0].Type) != unsafeData(linkTypes[resolver.LinkTypeDefault]) || unsafeData(got[0].Href) != unsafeData(got[1].Href) {
		t.Error("strings not shared")
	}
	again, _ := d.fast(b)
	if unsafeData(again[1].Title) != unsafeData(got[1].Title) || &again[1].Hreflang[0] != &got[1].Hreflang[0] {
		t.Error("title or hreflang list not shared across anchors")
	}
}

// unsafeData is where a string's bytes are, to tell shared strings apart
// from equal copies.
func unsafeData(s string) *byte { return unsafe.StringData(s) }

// FuzzLinkDecoder checks that the fast path never disagrees with
// encoding/json, whatever the column holds.
func FuzzLinkDecoder(f *testing.F) {
	for _, s := range codecSeeds {
		f.Add([]byte(s))
	}
	// One decoder for every input, as the index sync has: what it shares
	// from earlier inputs must not change later results.
	shared := newLinkDecoder()
	f.Fuzz(func(t *testing.T, in []byte) {
		want, wantErr := slow(in)
		for range 2 {
			got, err := shared.decode(in)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("decode error %v, encoding/json error %v", err, wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("decode = %+v, encoding/json = %+v", got, want)
			}
		}
	})
}
