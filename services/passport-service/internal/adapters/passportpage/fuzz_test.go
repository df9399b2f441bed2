package passportpage_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/passportpage"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// FuzzHandler sends random paths, queries and Accept-Language headers to a
// handler whose catalog knows one product: the answer is never a 5xx and
// never a panic, and a 200 is a page for that product.
func FuzzHandler(f *testing.F) {
	for _, s := range []struct{ path, query, accept string }{
		{"/passport/01/" + biscuitGTIN, "", "en"},
		{"/passport/01/" + biscuitGTIN + "/10/LOT42/21/S1", "17=261231", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"},
		{"/passport/01/" + biscuitGTIN + "/10/A%2FB", "15=270200&lang=nl", ""},
		{"/passport/01/" + unknownGTIN, "lang=de", "es"},
		{"/passport/00/106141412345678908", "", "it"},
		{"/passport/01/09506000134353", "", "x-klingon;q=2"},
		{"/passport/01/" + biscuitGTIN + "/10/{10}", "17=000229&linkType=gs1:pip", ";;;"},
		{"/passport", "", ""},
		{"/passport/01/" + biscuitGTIN + "/22/ABC", "17=991300", "zh-Hant-TW;q=0.1"},
		{"/01/" + biscuitGTIN, "lang=" + strings.Repeat("a-", 40), "en-US-u-ca-gregory"},
	} {
		f.Add(s.path, s.query, s.accept)
	}
	h := passportpage.NewHandler(passportpage.Config{Catalog: newCatalog(biscuits()), Links: brandLinks, Now: testNow})
	f.Fuzz(func(t *testing.T, path, query, accept string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL = &url.URL{Path: path, RawQuery: query}
		if strings.HasPrefix(path, "/") {
			req.URL.RawPath = path
		}
		req.Header.Set("Accept-Language", accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
			if !strings.Contains(rec.Body.String(), "<h1>Hazelnut butter biscuits</h1>") &&
				!strings.Contains(rec.Body.String(), "lang=\"en\">Hazelnut butter biscuits</h1>") &&
				!strings.Contains(rec.Body.String(), "Biscuits au beurre") && !strings.Contains(rec.Body.String(), "Butterkekse") {
				t.Fatalf("200 for %q?%q is not the product page", path, query)
			}
		case 400, 404:
		default:
			t.Fatalf("status %d for %q?%q (Accept-Language %q)", rec.Code, path, query, accept)
		}
	})
}

// FuzzIngredients renders random ingredients lists (brand input) in a
// random language: the page is always a 200 that parses, and shows the
// list's text in full, only the _marks_ taken out.
func FuzzIngredients(f *testing.F) {
	for _, s := range []struct{ text, lang string }{
		{"_Wheat_ flour, sugar, _butter_ (_milk_), whole _egg_.", "en"},
		{"Farine de _blé_, _lait_ écrémé, sel", "fr"},
		{"Weizenmehl, Vollmilchpulver, Haselnüsse, Ei, Reis", "de"},
		{"tarwebloem, magere melkpoeder, visolie, hazelnoten", "nl"},
		{"__, _ _, _a_b_c_, snake_case_name, 10_000_", "en"},
		{"E220, sésamo, leche, trigo", "es"},
		{"", "pt-BR"},
	} {
		f.Add(s.text, s.lang)
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		if !utf8.ValidString(text) || strings.ContainsAny(text, "\x00\r\f") || !catalog.ValidLanguage(lang) {
			t.Skip("the catalog refuses such input")
		}
		v := biscuits()
		v.Product.Ingredients = map[string]string{lang: text}
		h := passportpage.NewHandler(passportpage.Config{Catalog: newCatalog(v), Now: testNow})
		r := get(t, h, "/passport/01/"+biscuitGTIN)
		if r.status != 200 {
			t.Fatalf("status %d", r.status)
		}
		doc, _ := checkHTML(t, r)
		if strings.TrimSpace(text) == "" {
			return
		}
		ps := find(section(t, doc, "ingredients"), "p")
		if len(ps) == 0 {
			t.Fatal("no ingredients paragraph")
		}
		strip := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "_", "")), " ") }
		if got, want := strip(textOf(ps[0])), strip(text); got != want {
			t.Errorf("shown %q, want %q", got, want)
		}
	})
}
