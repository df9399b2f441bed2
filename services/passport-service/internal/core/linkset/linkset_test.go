package linkset_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/linkset"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

const (
	gtin    = "09506000134352"
	anchorA = "https://id.gs1.org/01/" + gtin
	keyA    = "/01/" + gtin
	page    = "https://brand.example/p"
)

// ctx builds a link context object from an anchor URI and raw members.
func ctx(anchor string, members ...string) string {
	all := append([]string{`"anchor":` + strconv.Quote(anchor), `"itemDescription":"Item"`}, members...)
	return "{" + strings.Join(all, ",") + "}"
}

func doc(contexts ...string) string {
	return `{"linkset":[` + strings.Join(contexts, ",") + `]}`
}

// withDefault is the members of an anchor with a described default link.
var withDefault = []string{
	`"https://gs1.org/voc/defaultLink":[{"href":"` + page + `","title":"Product"}]`,
	`"https://gs1.org/voc/pip":[{"href":"` + page + `","title":"Product information"}]`,
}

func members(extra ...string) []string { return append(slices.Clone(withDefault), extra...) }

// decode runs Parse and Anchors.
func decode(t *testing.T, s string) (*linkset.Upload, error) {
	t.Helper()
	d, err := linkset.Parse([]byte(s))
	if err != nil {
		return nil, err
	}
	return d.Anchors()
}

// fields returns the field errors of an Invalid error.
func fields(t *testing.T, err error) []fault.FieldError {
	t.Helper()
	if !fault.Is(err, fault.Invalid) {
		t.Fatalf("err = %v, want an Invalid error", err)
	}
	return fault.FieldsOf(err)
}

func assertField(t *testing.T, err error, field, reasonPart string) {
	t.Helper()
	for _, f := range fields(t, err) {
		if f.Field == field && strings.Contains(f.Reason, reasonPart) {
			return
		}
	}
	t.Fatalf("no error at %s containing %q in %+v", field, reasonPart, fault.FieldsOf(err))
}

func TestParse_RefusesWhatIsNotOneJSONDocument(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, reason string }{
		{"empty", ``, "is empty"},
		{"syntax", `{"linkset": [}`, "is not valid JSON"},
		{"truncated", `{"linkset": [`, "ends too early"},
		{"two values", `{} {}`, "more than one JSON value"},
		{"too many anchors", `{"linkset":[` + strings.Repeat(`{},`, linkset.MaxAnchors) + `{}]}`, "at most 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := linkset.Parse([]byte(tt.in))
			f := fields(t, err)
			if len(f) != 1 || !strings.Contains(f[0].Reason, tt.reason) {
				t.Fatalf("errors %+v, want one saying %q", f, tt.reason)
			}
		})
	}
}

func TestParse_NormalisesLinkTypeKeysAndMapsPointersBack(t *testing.T) {
	t.Parallel()
	d, err := linkset.Parse([]byte(doc(ctx(anchorA,
		`"gs1:defaultLink":[{"href":"`+page+`","title":"P"}]`,
		`"https://ref.gs1.org/voc/pip":[{"href":"`+page+`","title":"P"}]`,
		`"http://www.gs1.org/voc/faqs":[{"href":"`+page+`/faq","title":"F"}]`,
		`"https://gs1.org/voc/epil":[{"href":"`+page+`/epil","title":"E"}]`,
	))))
	if err != nil {
		t.Fatal(err)
	}
	obj := d.Tree().(map[string]any)["linkset"].([]any)[0].(map[string]any)
	var keys []string
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"anchor", "https://gs1.org/voc/defaultLink", "https://gs1.org/voc/epil", "https://gs1.org/voc/faqs",
		"https://gs1.org/voc/pip", "itemDescription"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for _, tt := range []struct {
		tokens []string
		want   string
	}{
		{[]string{"linkset", "0", "https://gs1.org/voc/pip", "0", "href"}, "/linkset/0/https:~1~1ref.gs1.org~1voc~1pip/0/href"},
		{[]string{"linkset", "0", "https://gs1.org/voc/defaultLink"}, "/linkset/0/gs1:defaultLink"},
		{[]string{"linkset", "0", "https://gs1.org/voc/epil"}, "/linkset/0/https:~1~1gs1.org~1voc~1epil"},
		{[]string{"linkset", "1", "https://gs1.org/voc/pip"}, "/linkset/1/https:~1~1gs1.org~1voc~1pip"},
		{[]string{"a~b", "c/d"}, "/a~0b/c~1d"},
		{nil, ""},
	} {
		if got := d.Pointer(tt.tokens); got != tt.want {
			t.Errorf("Pointer(%q) = %q, want %q", tt.tokens, got, tt.want)
		}
	}
	up, err := d.Anchors()
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, l := range up.Anchors[0].Links {
		types = append(types, l.Type)
	}
	if !slices.Equal(types, want[1:5]) {
		t.Fatalf("link types %v", types)
	}
}

func TestParse_ReportsKeysThatAreNoGS1LinkType(t *testing.T) {
	t.Parallel()
	d, err := linkset.Parse([]byte(doc(ctx(anchorA, members(
		`"describedby":[{"href":"`+page+`","title":"D"}]`,
		`"gs1:Pip":[{"href":"`+page+`","title":"D"}]`,
		`"gs1:pip":[{"href":"`+page+`","title":"D"}]`,
	)...))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Anchors()
	assertField(t, err, "/linkset/0/describedby", "is not a GS1 Web Vocabulary link type")
	assertField(t, err, "/linkset/0/gs1:Pip", "is not a GS1 Web Vocabulary link type")
	assertField(t, err, "/linkset/0/https:~1~1gs1.org~1voc~1pip", "again, in another spelling")
}

func TestAnchors_AcceptsAGS1Linkset(t *testing.T) {
	t.Parallel()
	up, err := decode(t, doc(
		ctx("https://example.com/some/stem/01/"+gtin, members(
			`"gs1:recallStatus":[{"href":"https://brand.example/recall?lot={10}&exp={17}#{21}","title":"Recall","type":"application/ld+json",`+
				`"hreflang":["en","en-GB"],"context":["gb","retail"],"fwqs":false,"public":false}]`,
			`"gs1:dpp":[{"href":"https://brand.example/dpp/{01}","title":"DPP"}]`)...),
		ctx(anchorA+"/10/A%2fb", `"gs1:traceability":[{"href":"https://brand.example/t/{10}","title":"Trace"}]`),
	))
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Anchors) != 2 || up.Anchors[0].Key != keyA || up.Anchors[1].Key != keyA+"/10/A%2Fb" {
		t.Fatalf("anchors %+v", up.Anchors)
	}
	a := up.Anchors[0]
	if a.Description != "Item" || a.Brand != "" || len(a.Links) != 4 {
		t.Fatalf("anchor %+v", a)
	}
	want := []resolver.Link{
		{Type: resolver.LinkTypeDefault, Href: page, Title: "Product", Fwqs: true, Public: true},
		{Type: resolver.LinkTypeDPP, Href: "https://brand.example/dpp/{01}", Title: "DPP", Fwqs: true, Public: true},
		{Type: resolver.Namespace + "pip", Href: page, Title: "Product information", Fwqs: true, Public: true},
		{Type: resolver.Namespace + "recallStatus", Href: "https://brand.example/recall?lot={10}&exp={17}#{21}", Title: "Recall",
			MediaType: "application/ld+json", Hreflang: []string{"en", "en-GB"}, Context: []string{"gb", "retail"}},
	}
	for i, w := range want {
		g := a.Links[i]
		if g.Type != w.Type || g.Href != w.Href || g.Title != w.Title || g.MediaType != w.MediaType || g.Fwqs != w.Fwqs ||
			g.Public != w.Public || !slices.Equal(g.Hreflang, w.Hreflang) || !slices.Equal(g.Context, w.Context) {
			t.Errorf("link %d = %+v, want %+v", i, g, w)
		}
	}
	if got := up.Lookup(); len(got) != 0 {
		t.Errorf("Lookup = %v, want nothing (the primary key is in the upload)", got)
	}
	if err := up.CheckLevels(nil); err != nil {
		t.Fatalf("CheckLevels: %v", err)
	}
}

func TestAnchors_RefusesBadDocuments(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", linkset.MaxTextLen+1)
	pip := func(link string) string { return `"gs1:pip":[` + link + `]` }
	tests := []struct {
		name, in, field, reason string
	}{
		{"root not an object", `[]`, "body", "must be a JSON object"},
		{"linkset not an array", `{"linkset":{}}`, "/linkset", "must be an array"},
		{"empty linkset", `{"linkset":[]}`, "/linkset", "at least one"},
		{"context not an object", `{"linkset":[1]}`, "/linkset/0", "must be a link context object"},
		{"no anchor", `{"linkset":[{"itemDescription":"x"}]}`, "/linkset/0", "needs an anchor"},
		{"anchor not a string", doc(strings.Replace(ctx(anchorA, withDefault...), `"anchor":"`+anchorA+`"`, `"anchor":7`, 1)),
			"/linkset/0/anchor", "must be a string"},
		{"anchor not a Digital Link", doc(ctx("https://example.com/product/7", withDefault...)), "/linkset/0/anchor", "not a valid GS1 Digital Link URI"},
		{"anchor check digit", doc(ctx("https://id.gs1.org/01/09506000134353", withDefault...)), "/linkset/0/anchor", "check digit"},
		{"anchor GTIN-13", doc(ctx("https://id.gs1.org/01/9506000134352", withDefault...)), "/linkset/0/anchor", "14 digits"},
		{"anchor qualifier order", doc(ctx(anchorA+"/21/S/10/L", withDefault...)), "/linkset/0/anchor", "order"},
		{"anchor query attribute", doc(ctx(anchorA+"?17=261231", withDefault...)), "/linkset/0/anchor", "without query string"},
		{"anchor fragment", doc(ctx(anchorA+"#x", withDefault...)), "/linkset/0/anchor", "without query string"},
		{"anchor compressed", doc(ctx("https://id.gs1.org/AQnYUc0", withDefault...)), "/linkset/0/anchor", "not a valid GS1 Digital Link URI"},
		{"anchor twice", doc(ctx(anchorA, withDefault...), ctx("HTTPS://ID.EXAMPLE/01/"+gtin, withDefault...)), "/linkset/1/anchor", "same anchor as /linkset/0"},
		{"no itemDescription", `{"linkset":[{"anchor":"` + anchorA + `"}]}`, "/linkset/0", "needs an itemDescription"},
		{"itemDescription too long", doc(strings.Replace(ctx(anchorA, withDefault...), `"itemDescription":"Item"`, `"itemDescription":"`+long+`"`, 1)),
			"/linkset/0/itemDescription", "longer than"},
		{"links not an array", doc(ctx(anchorA, members(`"gs1:faqs":{}`)...)), "/linkset/0/gs1:faqs", "must be an array"},
		{"links empty", doc(ctx(anchorA, members(`"gs1:faqs":[]`)...)), "/linkset/0/gs1:faqs", "at least one link"},
		{"link not an object", doc(ctx(anchorA, members(`"gs1:faqs":["x"]`)...)), "/linkset/0/gs1:faqs/0", "must be a link object"},
		{"two default links", doc(ctx(anchorA, `"gs1:defaultLink":[{"href":"`+page+`","title":"A"},{"href":"`+page+`","title":"B"}]`,
			pip(`{"href":"`+page+`","title":"P"}`))), "/linkset/0/gs1:defaultLink", "exactly one link"},
		{"default with type", doc(ctx(anchorA, `"gs1:defaultLink":[{"href":"`+page+`","title":"A","type":"text/html"}]`,
			pip(`{"href":"`+page+`","title":"P"}`))), "/linkset/0/gs1:defaultLink/0/type", "only href, title and fwqs"},
		{"default with public", doc(ctx(anchorA, `"gs1:defaultLink":[{"href":"`+page+`","title":"A","public":false}]`,
			pip(`{"href":"`+page+`","title":"P"}`))), "/linkset/0/gs1:defaultLink/0/public", "only href, title and fwqs"},
		{"unknown attribute", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","rel":"x"}]`)...)),
			"/linkset/0/gs1:faqs/0/rel", "is not a link attribute"},
		{"no href", doc(ctx(anchorA, members(`"gs1:faqs":[{"title":"F"}]`)...)), "/linkset/0/gs1:faqs/0", "needs an href"},
		{"href not a string", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":1,"title":"F"}]`)...)), "/linkset/0/gs1:faqs/0/href", "must be a string"},
		{"href relative", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"/faq","title":"F"}]`)...)), "/linkset/0/gs1:faqs/0/href", "absolute http or https"},
		{"href ftp", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"ftp://b.example/faq","title":"F"}]`)...)), "/linkset/0/gs1:faqs/0/href", "absolute http or https"},
		{"href with a space", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/a b","title":"F"}]`)...)), "/linkset/0/gs1:faqs/0/href", "spaces"},
		{"href bad escape", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/%zz","title":"F"}]`)...)), "/linkset/0/gs1:faqs/0/href", "not a valid URL"},
		{"href too long", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/`+strings.Repeat("a", linkset.MaxHrefLen)+`","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "longer than 2048"},
		{"template AI the key cannot carry", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/{8020}","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "cannot appear in a Digital Link URI with primary key (01)"},
		{"template not an AI", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/{lot}","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "names no GS1 Application Identifier"},
		{"template unknown AI", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/{89}","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "cannot appear"},
		{"template unclosed", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/{10","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "unclosed template"},
		{"template stray brace", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example/10}","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "without a '{'"},
		{"template in the host", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://{10}.b.example/","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "not in the scheme or host"},
		{"template fills the host's end", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"https://b.example{10}","title":"F"}]`)...)),
			"/linkset/0/gs1:faqs/0/href", "not in the scheme or host"},
		{"no title", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`"}]`)...)), "/linkset/0/gs1:faqs/0", "needs a title"},
		{"blank title", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"  "}]`)...)), "/linkset/0/gs1:faqs/0/title", "must not be empty"},
		{"title too long", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"`+long+`"}]`)...)), "/linkset/0/gs1:faqs/0/title", "longer than"},
		{"media type with parameters", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","type":"text/html; charset=utf-8"}]`)...)),
			"/linkset/0/gs1:faqs/0/type", "media type"},
		{"media type not a string", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","type":true}]`)...)),
			"/linkset/0/gs1:faqs/0/type", "media type"},
		{"hreflang und", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","hreflang":["en","und"]}]`)...)),
			"/linkset/0/gs1:faqs/0/hreflang/1", "xx or xx-YY"},
		{"hreflang digits", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","hreflang":["e1"]}]`)...)),
			"/linkset/0/gs1:faqs/0/hreflang/0", "xx or xx-YY"},
		{"hreflang not an array", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","hreflang":"en"}]`)...)),
			"/linkset/0/gs1:faqs/0/hreflang", "array of strings"},
		{"too many hreflang", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","hreflang":[`+strings.Repeat(`"en",`, linkset.MaxValues)+`"en"]}]`)...)),
			"/linkset/0/gs1:faqs/0/hreflang", "more than 20"},
		{"context not a string", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","context":[1]}]`)...)),
			"/linkset/0/gs1:faqs/0/context/0", "must be a string"},
		{"context empty", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","context":[""]}]`)...)),
			"/linkset/0/gs1:faqs/0/context/0", "non-empty"},
		{"fwqs not a boolean", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","fwqs":"no"}]`)...)),
			"/linkset/0/gs1:faqs/0/fwqs", "true or false"},
		{"public not a boolean", doc(ctx(anchorA, members(`"gs1:faqs":[{"href":"`+page+`","title":"F","public":0}]`)...)),
			"/linkset/0/gs1:faqs/0/public", "true or false"},
		{"too many links", doc(ctx(anchorA, members(`"gs1:faqs":[`+strings.TrimSuffix(strings.Repeat(`{"href":"`+page+`","title":"F"},`, linkset.MaxLinksPerAnchor), ",")+`]`)...)),
			"/linkset/0", "at most 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := decode(t, tt.in)
			assertField(t, err, tt.field, tt.reason)
		})
	}
}

func TestAnchors_AcceptsTheTemplatesAnAnchorCanCarry(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ anchor, href string }{
		{anchorA, "https://b.example/{01}"},                  // the primary key
		{anchorA, "https://b.example/{10}/{21}/{22}?e={17}"}, // qualifiers and a data attribute of 01
		{anchorA + "/235/X", "https://b.example/{235}"},      // the anchor's own qualifier
		{"https://id.gs1.org/414/9520123456788", "https://b.example/{254}"},
		{anchorA, "http://b.example:8080/{3103}"},
	} {
		_, err := decode(t, doc(ctx(tt.anchor, `"gs1:defaultLink":[{"href":"`+page+`","title":"P"}]`,
			`"gs1:pip":[{"href":"`+page+`","title":"P"},{"href":"`+tt.href+`","title":"T"}]`)))
		if err != nil {
			t.Errorf("%s with %s: %v", tt.anchor, tt.href, err)
		}
	}
}

func TestAnchors_CollectsEveryProblemUpToTheCap(t *testing.T) {
	t.Parallel()
	var contexts []string
	for range linkset.MaxErrors + 10 {
		contexts = append(contexts, ctx("https://id.gs1.org/01/09506000134353", withDefault...))
	}
	_, err := decode(t, doc(contexts...))
	f := fields(t, err)
	if len(f) != linkset.MaxErrors || !strings.Contains(fault.MessageOf(err), "first 50 of 60") {
		t.Fatalf("%d errors, message %q", len(f), fault.MessageOf(err))
	}
}

// upload decodes contexts that must be valid on their own.
func upload(t *testing.T, contexts ...string) *linkset.Upload {
	t.Helper()
	up, err := decode(t, doc(contexts...))
	if err != nil {
		t.Fatal(err)
	}
	return up
}

func TestCheckLevels_DefaultAtTheAnchorOrAbove(t *testing.T) {
	t.Parallel()
	lot, serial := anchorA+"/10/L1", anchorA+"/10/L1/21/S1"
	trace := `"gs1:traceability":[{"href":"https://b.example/t","title":"T"}]`
	stored := func(withDefault bool) map[string]*resolver.Anchor {
		a := &resolver.Anchor{Key: keyA, Links: []resolver.Link{{Type: resolver.Namespace + "pip", Href: page}}}
		if withDefault {
			a.Links = append(a.Links, resolver.Link{Type: resolver.LinkTypeDefault, Href: page})
		}
		return map[string]*resolver.Anchor{keyA: a}
	}
	tests := []struct {
		name     string
		contexts []string
		stored   map[string]*resolver.Anchor
		bad      string // pointer of the anchor without a default, "" for none
	}{
		{"own default", []string{ctx(serial, withDefault...)}, nil, ""},
		{"primary key in the upload", []string{ctx(serial, trace), ctx(anchorA, withDefault...)}, nil, ""},
		{"middle level in the upload", []string{ctx(serial, trace), ctx(lot, withDefault...)}, nil, ""},
		{"primary key stored", []string{ctx(serial, trace)}, stored(true), ""},
		{"stored primary key without a default", []string{ctx(lot, trace)}, stored(false), "/linkset/0"},
		{"nothing above", []string{ctx(lot, trace)}, nil, "/linkset/0"},
		{"the upload's primary key has none", []string{ctx(anchorA, trace), ctx(lot, withDefault...)}, nil, "/linkset/0"},
		{"a level beneath does not count", []string{ctx(lot, trace), ctx(serial, withDefault...)}, nil, "/linkset/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := upload(t, tt.contexts...).CheckLevels(tt.stored)
			if tt.bad == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			assertField(t, err, tt.bad, "has no https://gs1.org/voc/defaultLink")
		})
	}
}

func TestCheckLevels_DefaultTargetsAreDescribed(t *testing.T) {
	t.Parallel()
	lot := anchorA + "/10/L1"
	def := func(href string) string { return `"gs1:defaultLink":[{"href":"` + href + `","title":"D"}]` }
	multi := `"gs1:defaultLinkMulti":[{"href":"https://b.example/fr","title":"FR","hreflang":["fr"]}]`
	stored := map[string]*resolver.Anchor{keyA: {Key: keyA, Links: []resolver.Link{
		{Type: resolver.LinkTypeDefault, Href: "https://b.example/stored"},
		{Type: resolver.Namespace + "pip", Href: "https://b.example/stored"},
	}}}
	tests := []struct {
		name     string
		contexts []string
		stored   map[string]*resolver.Anchor
		bad      string
	}{
		{"described at the anchor", []string{ctx(anchorA, withDefault...)}, nil, ""},
		{"described in the upload above", []string{ctx(lot, def(page)), ctx(anchorA, withDefault...)}, nil, ""},
		{"described in the store above", []string{ctx(lot, def("https://b.example/stored"))}, stored, ""},
		{"not described", []string{ctx(anchorA, def(page))}, nil, "/linkset/0/gs1:defaultLink/0/href"},
		{"described only beneath", []string{ctx(anchorA, def(page)), ctx(lot, withDefault...)}, nil, "/linkset/0/gs1:defaultLink/0/href"},
		{"described only as another default", []string{ctx(lot, def("https://b.example/fr"), multi)}, nil, "/linkset/0/gs1:defaultLink/0/href"},
		{"defaultLinkMulti not described", []string{ctx(anchorA, append(members(), multi)...)}, nil, "/linkset/0/gs1:defaultLinkMulti/0/href"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := upload(t, tt.contexts...).CheckLevels(tt.stored)
			if tt.bad == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			assertField(t, err, tt.bad, "no descriptive link type")
		})
	}
}

func TestUpload_LookupListsStoredLevelsNeeded(t *testing.T) {
	t.Parallel()
	up := upload(t,
		ctx(anchorA+"/10/L1/21/S1", withDefault...),
		ctx(anchorA+"/10/L1", withDefault...),
		ctx("https://id.gs1.org/01/09506000134369/10/L9", withDefault...),
	)
	want := []string{"/01/09506000134352", "/01/09506000134369"}
	if got := up.Lookup(); !slices.Equal(got, want) {
		t.Fatalf("Lookup = %v, want %v", got, want)
	}
	if up.Pointer(2) != "/linkset/2" {
		t.Fatalf("Pointer(2) = %q", up.Pointer(2))
	}
}

func TestAncestors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key  string
		want []string
	}{
		{"/01/09506000134352", nil},
		{"/01/09506000134352/10/L1", []string{"/01/09506000134352"}},
		{"/01/09506000134352/22/V/10/A%2FB/21/S", []string{"/01/09506000134352/22/V/10/A%2FB", "/01/09506000134352/22/V", "/01/09506000134352"}},
		{"", nil},
		{"/", nil},
	}
	for _, tt := range tests {
		if got := linkset.Ancestors(tt.key); !slices.Equal(got, tt.want) {
			t.Errorf("Ancestors(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestCompanyPart_StartsWhereTheCompanyPrefixDoes(t *testing.T) {
	t.Parallel()
	tests := []struct{ key, want string }{
		{"/01/09506000134352/10/L", "9506000134352"},      // after the GTIN's indicator digit
		{"/8006/095060001343520102", "95060001343520102"}, // ITIP likewise
		{"/00/395060000000000019", "95060000000000019"},   // after the SSCC's extension digit
		{"/8003/09506000000017A", "9506000000017A"},       // after the GRAI's leading zero
		{"/414/9520123456788/254/x", "9520123456788"},     // a GLN from its first digit
		{"/8004/9506000ABC%2F1", "9506000ABC%2F1"},
		{"/01/0", ""},
		{"01/09506000134352", ""},
		{"", ""},
		{"/01", ""},
	}
	for _, tt := range tests {
		if got := linkset.CompanyPart(tt.key); got != tt.want {
			t.Errorf("CompanyPart(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestOwner_IsTheLongestMatchingBrand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key    string
		brands []string
		want   string
		ok     bool
	}{
		{"/01/09506000134352", []string{"9506", "9506000", "950600"}, "9506000", true},
		{"/01/09506000134352", []string{"0950600"}, "", false}, // the indicator digit is no part of the prefix
		{"/01/09506000134352", []string{"9506001"}, "", false},
		{"/01/09506000134352", []string{"", "95", "abcd", "9506000134352123"}, "", false}, // not company prefixes
		{"/414/9520123456788", []string{"9520123"}, "9520123", true},
		{"/01/09506000134352", nil, "", false},
	}
	for _, tt := range tests {
		got, ok := linkset.Owner(tt.key, tt.brands)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Owner(%q, %q) = %q, %v, want %q, %v", tt.key, tt.brands, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHasDefault(t *testing.T) {
	t.Parallel()
	if linkset.HasDefault(nil) || linkset.HasDefault(&resolver.Anchor{Links: []resolver.Link{{Type: resolver.LinkTypeDefaultMulti}}}) {
		t.Error("HasDefault true without a gs1:defaultLink")
	}
	if !linkset.HasDefault(&resolver.Anchor{Links: []resolver.Link{{Type: resolver.LinkTypeDefault}}}) {
		t.Error("HasDefault false with a gs1:defaultLink")
	}
}

func TestProblems_ErrIsNilWithoutProblems(t *testing.T) {
	t.Parallel()
	var p linkset.Problems
	if err := p.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	p.Add("/x", "is wrong")
	var fe *fault.Error
	if err := p.Err(); !errors.As(err, &fe) || fe.Kind != fault.Invalid || len(fe.Fields) != 1 || p.Len() != 1 {
		t.Fatalf("Err() = %v", err)
	}
}
