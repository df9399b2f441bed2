package postgres

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
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
	if _, ok := d.fast(b); !ok {
		t.Fatalf("fast(%s) not taken", b)
	}
	got, err := d.decode(b)
	if err != nil || !reflect.DeepEqual(got, links) {
		t.Fatalf("decode(%s) = %+v, %v", b, got, err)
	}
	// Shared strings: the known link type and the repeated href.
	if unsafeData(got[0].Type) != unsafeData(linkTypes[resolver.LinkTypeDefault]) || unsafeData(got[0].Href) != unsafeData(got[1].Href) {
		t.Error("strings not shared")
	}
	again, _ := d.decode(b)
	if unsafeData(again[1].Title) != unsafeData(got[1].Title) || &again[1].Hreflang[0] != &got[1].Hreflang[0] {
		t.Error("title or hreflang list not shared across anchors")
	}
}

func TestLinkDecoder_AnchorKeepsItsOwnStringsTogether(t *testing.T) {
	t.Parallel()
	key, desc, b := benchRow(42)
	d := newLinkDecoder()
	a, err := d.decodeAnchor(key, "950600", desc, b)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := slow(b)
	if a.Key != key || a.Description != desc || a.Brand != "950600" || !reflect.DeepEqual(a.Links, want) {
		t.Fatalf("decodeAnchor = %+v, want key %s, description %s, links %+v", a, key, desc, want)
	}
	// One string holds key, description and href; the default link's title
	// is the description; the two links share the href.
	base := uintptr(unsafe.Pointer(unsafeData(a.Key)))
	if uintptr(unsafe.Pointer(unsafeData(a.Description))) != base+uintptr(len(key)) ||
		uintptr(unsafe.Pointer(unsafeData(a.Links[0].Href))) != base+uintptr(len(key)+len(desc)) ||
		unsafeData(a.Links[0].Title) != unsafeData(a.Description) || unsafeData(a.Links[1].Href) != unsafeData(a.Links[0].Href) {
		t.Error("the anchor's own strings are not laid out in one string")
	}
	// The links array is allocated with the anchor.
	if uintptr(unsafe.Pointer(&a.Links[0])) != uintptr(unsafe.Pointer(a))+unsafe.Sizeof(*a) {
		t.Error("links not allocated with the anchor")
	}
	// Nothing of this row stays in the decoder's scratch links.
	for _, l := range d.links[:cap(d.links)] {
		if l.Href != "" || l.Title != "" {
			t.Fatalf("scratch link %+v kept", l)
		}
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
			// A title equal to the description is shared with it.
			a, err := shared.decodeAnchor("/01/09506000134352", "9506000", "t", in)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("decodeAnchor error %v, encoding/json error %v", err, wantErr)
			}
			if err == nil && (a.Key != "/01/09506000134352" || a.Brand != "9506000" || a.Description != "t" ||
				!reflect.DeepEqual(a.Links, want)) {
				t.Fatalf("decodeAnchor = %+v, encoding/json = %+v", a, want)
			}
		}
	})
}

// benchRow is the i-th anchor row as resolverbench uploads it (tools/cmd/
// resolverbench/anchors.go): a default link titled with the description and
// a product page in English, both to the same target, as Postgres prints
// the stored json.
func benchRow(i int) (key, description string, links []byte) {
	g := fmt.Sprintf("0950600%07d", i)
	key, description = "/01/"+g, "Bench product "+g
	links = []byte(`[{"rel": "https://gs1.org/voc/defaultLink", "fwqs": true, "href": "https://brand.example/p/` + g +
		`", "title": "Bench product ` + g + `", "public": true}, {"rel": "https://gs1.org/voc/pip", "fwqs": true, ` +
		`"href": "https://brand.example/p/` + g + `", "type": "text/html", "title": "Product information", ` +
		`"public": true, "hreflang": ["en"]}]`)
	return key, description, links
}

// BenchmarkIndexSync_PutBenchAnchors measures what the index holds per
// anchor of resolverbench's shape once decoded the way the index sync
// decodes rows, without Postgres: heap-bytes/anchor is the live heap the
// anchors add (map entry included).
func BenchmarkIndexSync_PutBenchAnchors(b *testing.B) {
	const n = 200000
	rows := make([][3]string, n)
	for i := range rows {
		k, d, l := benchRow(i)
		rows[i] = [3]string{k, d, string(l)}
	}
	var heap float64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		s := &IndexSync{index: resolver.NewIndex(), dec: newLinkDecoder(), log: slog.New(slog.DiscardHandler)}
		b.StartTimer()
		for _, r := range rows {
			// Fresh copies, as pgx scans every row into new strings.
			s.put(strings.Clone(r[0]), strings.Clone("950600"), strings.Clone(r[1]), []byte(r[2]))
		}
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		if s.index.Len() != n {
			b.Fatalf("index holds %d anchors, want %d", s.index.Len(), n)
		}
		runtime.KeepAlive(s)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/anchor")
	b.ReportMetric(heap/n, "heap-bytes/anchor")
}
