package resolver_test

import (
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

const (
	gtinA = "09506000134352" // anchors at GTIN, lot and serial level
	gtinB = "09506000134376" // defaultLink plus defaultLinkMulti
	gtinC = "09506000134369" // defaultLinkMulti only
	gtinD = "09506000164908" // links but no default
	gtinX = "12345678901231" // nothing registered
	root  = "https://id.example.com"
)

func voc(term string) string { return resolver.Namespace + term }

// elems builds elements from AI/value pairs.
func elems(pairs ...string) []dl.Element {
	out := make([]dl.Element, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, dl.Element{AI: pairs[i], Value: pairs[i+1]})
	}
	return out
}

func keyOf(pairs ...string) string { return string(dl.AppendPath(nil, elems(pairs...))) }

// uri is a parsed request with pathLen path elements followed by query
// attributes.
func uri(pathLen int, pairs ...string) *dl.URI {
	return &dl.URI{Elements: elems(pairs...), PathLen: pathLen}
}

func link(term, href, title string, opts ...func(*resolver.Link)) resolver.Link {
	l := resolver.Link{Type: voc(term), Href: href, Title: title, Fwqs: true, Public: true}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func lang(tags ...string) func(*resolver.Link) {
	return func(l *resolver.Link) { l.Hreflang = tags }
}

func mediaType(mt string) func(*resolver.Link) { return func(l *resolver.Link) { l.MediaType = mt } }

func ctx(c ...string) func(*resolver.Link) { return func(l *resolver.Link) { l.Context = c } }

func hidden(l *resolver.Link) { l.Public = false }

func noFwqs(l *resolver.Link) { l.Fwqs = false }

func fixture(t testing.TB) *resolver.Index {
	t.Helper()
	x := resolver.NewIndex()
	x.Put(&resolver.Anchor{Key: keyOf("01", gtinA), Brand: "9506000", Description: "Risotto rice", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/a", "Home"),
		link("pip", "https://brand.example/a/en", "Product (en)", lang("en"), mediaType("text/html")),
		link("pip", "https://brand.example/a/fr", "Produit", lang("fr"), mediaType("text/html")),
		link("pip", "https://brand.example/a/en.pdf", "Product sheet", lang("en"), mediaType("application/pdf")),
		link("pip", "https://brand.example/a/de-at", "Produkt (AT)", lang("de-AT"), mediaType("text/html")),
		link("certificationInfo", "https://cert.example/a/lk", "Certificate LK", ctx("LK")),
		link("certificationInfo", "https://cert.example/a", "Certificate"),
		link("recallStatus", "https://brand.example/a/recall", "Recall", hidden),
		link("traceability", "https://trace.example/{01}/lot/{10}?src=dl", "Trace"),
		link("instructions", "https://brand.example/a/manual-1", "Manual"),
		link("instructions", "https://brand.example/a/manual-2", "Manual"),
		link("epil", "https://brand.example/a/epil-1", "Leaflet", hidden),
		link("epil", "https://brand.example/a/epil-2", "Leaflet", hidden),
		link("smpc", "https://brand.example/a/smpc#top", "SmPC"),
		link("faqs", "https://brand.example/a/faq?x=1", "FAQ"),
		link("support", "https://brand.example/a/support", "Support", noFwqs),
		link("relatedVideo", "https://brand.example/a/video-en", "Video", lang("en")),
		link("relatedVideo", "https://brand.example/a/video", "Video (any language)"),
	}})
	x.Put(&resolver.Anchor{Key: keyOf("01", gtinA, "10", "LOT1"), Description: "Risotto rice, lot LOT1", Links: []resolver.Link{
		link("pip", "https://brand.example/a/lot1", "Lot page"),
		link("dpp", "https://dpp.example/{01}/{10}/{21}", "Passport"),
	}})
	x.Put(&resolver.Anchor{Key: keyOf("01", gtinA, "10", "LOT1", "21", "S1"), Description: "Risotto rice, serial S1", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/a/s1", "Serial home"),
	}})
	x.Put(&resolver.Anchor{Key: keyOf("01", gtinB), Description: "Olive oil", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/b", "Home"),
		link("defaultLinkMulti", "https://brand.example/b/fr", "Accueil", lang("fr")),
		link("defaultLinkMulti", "https://brand.example/b/de", "Startseite", lang("de")),
		link("defaultLinkMulti", "https://brand.example/b/us", "Home (US)", ctx("US")),
	}})
	x.Put(&resolver.Anchor{Key: keyOf("01", gtinC), Description: "Pasta", Links: []resolver.Link{
		link("defaultLinkMulti", "https://brand.example/c/en", "Home", lang("en")),
		link("defaultLinkMulti", "https://brand.example/c/fr", "Accueil", lang("fr")),
	}})
	x.Put(&resolver.Anchor{Key: keyOf("01", gtinD), Description: "No default", Links: []resolver.Link{
		link("pip", "https://brand.example/d", "Product"),
	}})
	return x
}

type want struct {
	kind   resolver.Kind
	href   string   // Redirect
	code   string   // NotFound
	hrefs  []string // Choices: the choices; LinksetDoc: every href, level by level
	levels []string // LinksetDoc: the levels' keys
}

func TestResolve_Selection(t *testing.T) {
	t.Parallel()
	idx := fixture(t)
	gtin := func(v string) *dl.URI { return uri(1, "01", v) }
	tests := []struct {
		name string
		req  resolver.Request
		want want
	}{
		// Default link.
		{"default link", resolver.Request{URI: gtin(gtinA)},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},
		{"default link ignores headers", resolver.Request{URI: gtin(gtinA), Accept: "application/pdf", AcceptLanguage: "fr"},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},

		// Query forwarding (R18).
		{"query forwarded", resolver.Request{URI: gtin(gtinA), Query: "foo=bar&linkType=gs1:defaultLink"},
			want{kind: resolver.Redirect, href: "https://brand.example/a?foo=bar&linkType=gs1:defaultLink"}},
		{"query appended to an href query", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:faqs", Query: "linkType=gs1:faqs"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/faq?x=1&linkType=gs1:faqs"}},
		{"query goes before the fragment", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:smpc", Query: "a=1"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/smpc?a=1#top"}},
		{"fwqs=false keeps the query back", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:support", Query: "foo=bar"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/support"}},

		// Walk-up (R7, R10).
		{"lot without a default walks up to the GTIN", resolver.Request{URI: uri(2, "01", gtinA, "10", "LOT1")},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},
		{"serial level default wins", resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S1")},
			want{kind: resolver.Redirect, href: "https://brand.example/a/s1"}},
		{"unknown serial walks up", resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S9")},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},
		{"unknown lot walks up", resolver.Request{URI: uri(2, "01", gtinA, "10", "LOT2")},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},
		{"most specific level with the type wins", resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S1"), LinkType: "gs1:pip"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/lot1"}},
		{"type only at the GTIN level", resolver.Request{URI: uri(2, "01", gtinA, "10", "LOT1"), LinkType: "gs1:certificationInfo"},
			want{kind: resolver.Redirect, href: "https://cert.example/a"}},

		// linkType spellings (R15, R22).
		{"gs1: CURIE", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:certificationInfo", Context: "LK"},
			want{kind: resolver.Redirect, href: "https://cert.example/a/lk"}},
		{"full URI", resolver.Request{URI: gtin(gtinA), LinkType: "https://gs1.org/voc/certificationInfo", Context: "LK"},
			want{kind: resolver.Redirect, href: "https://cert.example/a/lk"}},
		{"ref.gs1.org URI", resolver.Request{URI: gtin(gtinA), LinkType: "https://ref.gs1.org/voc/certificationInfo", Context: "LK"},
			want{kind: resolver.Redirect, href: "https://cert.example/a/lk"}},
		{"explicit defaultLink", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:defaultLink"},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},

		// Not found (R17).
		{"unknown link type", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:nosuchlt"},
			want{kind: resolver.NotFound, code: resolver.CodeUnknownLinkType}},
		{"foreign link type", resolver.Request{URI: gtin(gtinA), LinkType: "https://schema.org/pip"},
			want{kind: resolver.NotFound, code: resolver.CodeUnknownLinkType}},
		{"no link of the type", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:homepage"},
			want{kind: resolver.NotFound, code: resolver.CodeNoLinkOfType}},
		{"unknown key", resolver.Request{URI: gtin(gtinX)},
			want{kind: resolver.NotFound, code: resolver.CodeUnknownKey}},
		{"unknown key with a link type", resolver.Request{URI: gtin(gtinX), LinkType: "gs1:pip"},
			want{kind: resolver.NotFound, code: resolver.CodeUnknownKey}},
		{"unknown key linkset", resolver.Request{URI: gtin(gtinX), LinkType: "linkset"},
			want{kind: resolver.NotFound, code: resolver.CodeUnknownKey}},
		{"no default link", resolver.Request{URI: gtin(gtinD)},
			want{kind: resolver.NotFound, code: resolver.CodeNoDefaultLink}},
		{"nil URI", resolver.Request{},
			want{kind: resolver.NotFound, code: resolver.CodeUnknownKey}},

		// Context (R16).
		{"context picks its link", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:certificationInfo", Context: "lk"},
			want{kind: resolver.Redirect, href: "https://cert.example/a/lk"}},
		{"no context prefers the context-free link", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:certificationInfo"},
			want{kind: resolver.Redirect, href: "https://cert.example/a"}},
		{"unknown context falls back to the context-free link", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:certificationInfo", Context: "FR"},
			want{kind: resolver.Redirect, href: "https://cert.example/a"}},

		// Accept-Language (R16).
		{"language", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "fr"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/fr"}},
		{"q-values order the languages", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "en;q=0.5, fr;q=0.9"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/fr"}},
		{"first unavailable, next taken", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "ja, fr;q=0.4"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/fr"}},
		{"q=0 excludes", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "fr;q=0, de"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/de-at"}},
		{"region falls back to the primary subtag", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "fr-CA", Accept: "text/html"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/fr"}},
		{"language range matches a regional tag", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "de"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/de-at"}},
		{"sibling region", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "de-DE, fr;q=0.9"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/de-at"}},
		{"language-neutral link as fallback", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:relatedVideo", AcceptLanguage: "ja"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/video"}},
		{"language-neutral link without a header", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:relatedVideo"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/video"}},
		{"language beats the neutral link", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:relatedVideo", AcceptLanguage: "en-US"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/video-en"}},
		{"malformed q ignores the range", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "fr;q=2, de;q=0.1"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/de-at"}},

		// Accept (R16).
		{"media type after language", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "en", Accept: "application/pdf"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/en.pdf"}},
		{"media type q-values", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "en", Accept: "text/html;q=0.9, application/pdf;q=0.5"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/en"}},
		{"type wildcard", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "en", Accept: "image/png, application/*;q=0.8"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/en.pdf"}},
		{"browser Accept", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "en-GB,en;q=0.9", Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/en"}},
		{"unmatched Accept is skipped", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", AcceptLanguage: "en", Accept: "image/png"},
			want{kind: resolver.Choices, hrefs: []string{"https://brand.example/a/en", "https://brand.example/a/en.pdf"}}},

		// 300 (R16).
		{"indistinguishable links", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:instructions"},
			want{kind: resolver.Choices, hrefs: []string{"https://brand.example/a/manual-1", "https://brand.example/a/manual-2"}}},
		{"no preference among languages", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:pip", Accept: "text/html"},
			want{kind: resolver.Choices, hrefs: []string{"https://brand.example/a/en", "https://brand.example/a/fr", "https://brand.example/a/de-at"}}},

		// Non-public links.
		{"hidden link is a redirect target", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:recallStatus"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/recall"}},
		{"hidden links are never offered as choices", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:epil"},
			want{kind: resolver.NotFound, code: resolver.CodeOnlyHidden}},

		// Templates.
		{"template filled from the path", resolver.Request{URI: uri(2, "01", gtinA, "10", "LOT/1 é"), LinkType: "gs1:traceability", Query: "s=1"},
			want{kind: resolver.Redirect, href: "https://trace.example/" + gtinA + "/lot/LOT%2F1%20%C3%A9?src=dl&s=1"}},
		{"template filled from a query attribute", resolver.Request{URI: uri(1, "01", gtinA, "10", "Q7"), LinkType: "gs1:traceability"},
			want{kind: resolver.Redirect, href: "https://trace.example/" + gtinA + "/lot/Q7?src=dl"}},
		{"template naming a missing AI is no candidate", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:traceability"},
			want{kind: resolver.NotFound, code: resolver.CodeNoLinkOfType}},
		{"template needing the serial", resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S1"), LinkType: "gs1:dpp"},
			want{kind: resolver.Redirect, href: "https://dpp.example/" + gtinA + "/LOT1/S1"}},
		{"template without the serial", resolver.Request{URI: uri(2, "01", gtinA, "10", "LOT1"), LinkType: "gs1:dpp"},
			want{kind: resolver.NotFound, code: resolver.CodeNoLinkOfType}},

		// defaultLinkMulti.
		{"multi picked by language", resolver.Request{URI: gtin(gtinB), AcceptLanguage: "de-CH, en;q=0.5"},
			want{kind: resolver.Redirect, href: "https://brand.example/b/de"}},
		{"multi picked by context", resolver.Request{URI: gtin(gtinB), Context: "US"},
			want{kind: resolver.Redirect, href: "https://brand.example/b/us"}},
		{"multi not picked: the default link", resolver.Request{URI: gtin(gtinB), AcceptLanguage: "ja"},
			want{kind: resolver.Redirect, href: "https://brand.example/b"}},
		{"multi without headers: the default link", resolver.Request{URI: gtin(gtinB)},
			want{kind: resolver.Redirect, href: "https://brand.example/b"}},
		{"only multi, picked", resolver.Request{URI: gtin(gtinC), AcceptLanguage: "fr-FR"},
			want{kind: resolver.Redirect, href: "https://brand.example/c/fr"}},
		{"only multi, not picked", resolver.Request{URI: gtin(gtinC)},
			want{kind: resolver.Choices, hrefs: []string{"https://brand.example/c/en", "https://brand.example/c/fr"}}},

		// Linkset (R8, R10).
		{"linkType=linkset", resolver.Request{URI: gtin(gtinB), LinkType: "linkset"},
			want{kind: resolver.LinksetDoc, levels: []string{keyOf("01", gtinB)},
				hrefs: []string{"https://brand.example/b", "https://brand.example/b/fr", "https://brand.example/b/de", "https://brand.example/b/us"}}},
		{"linkType=all", resolver.Request{URI: gtin(gtinC), LinkType: "all"},
			want{kind: resolver.LinksetDoc, levels: []string{keyOf("01", gtinC)},
				hrefs: []string{"https://brand.example/c/en", "https://brand.example/c/fr"}}},
		{"linkset from every level", resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S1"), LinkType: "linkset"},
			want{kind: resolver.LinksetDoc, levels: []string{keyOf("01", gtinA, "10", "LOT1", "21", "S1"), keyOf("01", gtinA, "10", "LOT1"), keyOf("01", gtinA)}}},
		{"Accept asks for the linkset", resolver.Request{URI: gtin(gtinC), Accept: "application/linkset+json"},
			want{kind: resolver.LinksetDoc, levels: []string{keyOf("01", gtinC)},
				hrefs: []string{"https://brand.example/c/en", "https://brand.example/c/fr"}}},
		{"Accept prefers the linkset", resolver.Request{URI: gtin(gtinC), Accept: "text/html;q=0.5, application/linkset+json"},
			want{kind: resolver.LinksetDoc, levels: []string{keyOf("01", gtinC)},
				hrefs: []string{"https://brand.example/c/en", "https://brand.example/c/fr"}}},
		{"Accept prefers something else", resolver.Request{URI: gtin(gtinA), Accept: "text/html, application/linkset+json;q=0.5"},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},
		{"application/json is not a linkset request", resolver.Request{URI: gtin(gtinA), Accept: "application/json"},
			want{kind: resolver.Redirect, href: "https://brand.example/a"}},
		{"linkType wins over Accept", resolver.Request{URI: gtin(gtinA), LinkType: "gs1:support", Accept: "application/linkset+json"},
			want{kind: resolver.Redirect, href: "https://brand.example/a/support"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := resolver.Resolve(idx, tt.req)
			checkResult(t, got, tt.want)
		})
	}
}

func checkResult(t *testing.T, got resolver.Result, w want) {
	t.Helper()
	if got.Kind != w.kind {
		t.Fatalf("kind = %d (%+v), want %d", got.Kind, got, w.kind)
	}
	switch got.Kind {
	case resolver.Redirect:
		if got.Href != w.href {
			t.Errorf("href = %q, want %q", got.Href, w.href)
		}
		if got.Link == nil || got.Anchor == nil {
			t.Errorf("redirect without link or anchor: %+v", got)
		}
	case resolver.NotFound:
		if got.Code != w.code || got.Message == "" {
			t.Errorf("code = %q (%q), want %q", got.Code, got.Message, w.code)
		}
	case resolver.Choices:
		if len(got.Linkset) != 1 {
			t.Fatalf("choices in %d contexts, want 1", len(got.Linkset))
		}
		if hrefs := hrefsOf(got.Linkset); strings.Join(hrefs, " ") != strings.Join(w.hrefs, " ") {
			t.Errorf("choices = %q, want %q", hrefs, w.hrefs)
		}
		validateLinkset(t, resolver.AppendLinkset(nil, root, got.Linkset))
	case resolver.LinksetDoc:
		var levels []string
		for _, c := range got.Linkset {
			levels = append(levels, c.Key)
			for _, l := range c.Links {
				if !l.Public {
					t.Errorf("linkset lists non-public link %s", l.Href)
				}
				if strings.Contains(l.Href, "{") {
					t.Errorf("linkset lists unfilled template %s", l.Href)
				}
			}
		}
		if w.levels != nil && strings.Join(levels, " ") != strings.Join(w.levels, " ") {
			t.Errorf("levels = %q, want %q", levels, w.levels)
		}
		if hrefs := hrefsOf(got.Linkset); w.hrefs != nil && strings.Join(hrefs, " ") != strings.Join(w.hrefs, " ") {
			t.Errorf("hrefs = %q, want %q", hrefs, w.hrefs)
		}
		validateLinkset(t, resolver.AppendLinkset(nil, root, got.Linkset))
	}
}

func hrefsOf(cs []resolver.Context) []string {
	var out []string
	for _, c := range cs {
		for _, l := range c.Links {
			out = append(out, l.Href)
		}
	}
	return out
}

func TestResolve_LinksetOfEveryLevel(t *testing.T) {
	t.Parallel()
	idx := fixture(t)
	got := resolver.Resolve(idx, resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S1"), LinkType: "linkset"})
	if got.Kind != resolver.LinksetDoc || len(got.Linkset) != 3 {
		t.Fatalf("got %+v", got)
	}
	doc := string(resolver.AppendLinkset(nil, root, got.Linkset))
	validateLinkset(t, []byte(doc))
	for _, s := range []string{
		`"anchor":"https://id.example.com/01/` + gtinA + `/10/LOT1/21/S1"`,
		`"anchor":"https://id.example.com/01/` + gtinA + `"`,
		`"itemDescription":"Risotto rice, lot LOT1"`,
		`"https://dpp.example/` + gtinA + `/LOT1/S1"`, // template filled
		`"https://trace.example/` + gtinA + `/lot/LOT1?src=dl"`,
		`"https://gs1.org/voc/certificationInfo":[{"href":"https://cert.example/a/lk","title":"Certificate LK","context":["LK"]},{"href":"https://cert.example/a","title":"Certificate"}]`,
		`{"href":"https://brand.example/a/en","title":"Product (en)","type":"text/html","hreflang":["en"]}`,
	} {
		if !strings.Contains(doc, s) {
			t.Errorf("linkset lacks %s\n%s", s, doc)
		}
	}
	for _, s := range []string{"recall", "epil", "{01}", "{10}", "{21}"} {
		if strings.Contains(doc, s) {
			t.Errorf("linkset has %q\n%s", s, doc)
		}
	}
	if !strings.HasPrefix(doc, `{"linkset":[{"anchor":`) {
		t.Errorf("linkset does not start with the most specific context: %s", doc)
	}
}

func TestAppendLinkset_EscapesAndValidates(t *testing.T) {
	t.Parallel()
	cs := []resolver.Context{{
		Key:         "/01/" + gtinA,
		Description: "Quote \" backslash \\ newline \n tab \t ctl \x01 bad \xff sep \u2028 é",
		Links: []resolver.Link{
			{Type: voc("pip"), Href: "https://a.example/?q=<&>", Title: "</script>", Hreflang: []string{"en", "en-GB"}, Context: []string{"x\"y"}},
			{Type: voc("defaultLink"), Href: "https://a.example/", Title: ""},
			{Type: voc("pip"), Href: "https://a.example/2", Title: "two", MediaType: "text/html; charset=utf-8"},
		},
	}, {Key: "/01/" + gtinB}}
	doc := resolver.AppendLinkset(nil, root, cs)
	validateLinkset(t, doc)
	want := `{"linkset":[{"anchor":"https://id.example.com/01/09506000134352","itemDescription":"Quote \" backslash \\ newline \n tab \t ctl \u0001 bad \ufffd sep \u2028 é",` +
		`"https://gs1.org/voc/pip":[{"href":"https://a.example/?q=<&>","title":"</script>","hreflang":["en","en-GB"],"context":["x\"y"]},{"href":"https://a.example/2","title":"two","type":"text/html; charset=utf-8"}],` +
		`"https://gs1.org/voc/defaultLink":[{"href":"https://a.example/","title":""}]},` +
		`{"anchor":"https://id.example.com/01/09506000134376","itemDescription":""}]}`
	if string(doc) != want {
		t.Errorf("linkset =\n%s\nwant\n%s", doc, want)
	}
	if got := string(resolver.AppendLinkset(nil, root, nil)); got != `{"linkset":[]}` {
		t.Errorf("empty linkset = %s", got)
	}
}

func TestLinksetSchema_AcceptsGS1Example(t *testing.T) {
	t.Parallel()
	// gs1/linkset valid-gs1-example.json (GS1 AISBL, Apache License 2.0,
	// gs1/linkset@571bb7d).
	validateLinkset(t, []byte(`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134369","itemDescription":"An item",
		"prev":[{"href":"https://dalgiardino.com/extra-virgin-olive-oil/","title":"My default link"}],
		"next":[{"href":"https://dalgiardino.com/extra-virgin-olive-oil/","title":"Here's a title","type":"text/html","hreflang":["en"]}]}]}`))
}

func TestResolve_HrefsAndQueries(t *testing.T) {
	t.Parallel()
	const g = gtinA
	tests := []struct {
		href, query, lot, want string
	}{
		{"https://x.example/p", "", "", "https://x.example/p"},
		{"https://x.example/p", "a=1", "", "https://x.example/p?a=1"},
		{"https://x.example/p?", "a=1", "", "https://x.example/p?a=1"},
		{"https://x.example/p?k=v&", "a=1", "", "https://x.example/p?k=v&a=1"},
		{"https://x.example/p?k=v#frag", "a=1", "", "https://x.example/p?k=v&a=1#frag"},
		{"https://x.example/p#frag?x", "a=1", "", "https://x.example/p?a=1#frag?x"},
		{"https://x.example/p?#f", "a=1", "", "https://x.example/p?a=1#f"},
		{"https://x.example/{abc}/{1}/{12345}/{01", "", "", "https://x.example/{abc}/{1}/{12345}/{01"},
		{"https://x.example/{01}/{10}", "", "A~b.c-d_e", "https://x.example/" + g + "/A~b.c-d_e"},
		{"https://x.example/{10}{10}", "", "%&", "https://x.example/%25%26%25%26"},
		{"https://x.example/l/{10}", "b=2", "L1", "https://x.example/l/L1?b=2"},
	}
	for _, tt := range tests {
		idx := resolver.NewIndex()
		idx.Put(&resolver.Anchor{Key: keyOf("01", g), Links: []resolver.Link{link("pip", tt.href, "t")}})
		u := uri(1, "01", g)
		if tt.lot != "" {
			u = uri(2, "01", g, "10", tt.lot)
			idx.Put(&resolver.Anchor{Key: keyOf("01", g, "10", tt.lot)})
		}
		got := resolver.Resolve(idx, resolver.Request{URI: u, LinkType: "gs1:pip", Query: tt.query})
		if got.Kind != resolver.Redirect || got.Href != tt.want {
			t.Errorf("href %q query %q lot %q: %+v, want %q", tt.href, tt.query, tt.lot, got, tt.want)
		}
	}
}
