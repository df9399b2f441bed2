package passportpage_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/passportpage"
)

func TestHandler_ShowsProduct(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	r := get(t, h, "/passport/01/"+biscuitGTIN+"/10/LOT42/21/S1?17=261231", "Accept-Language", "en-GB,en;q=0.9")
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	doc, lang := checkHTML(t, r)
	if lang != "en" {
		t.Errorf("html lang %q, want en", lang)
	}
	if got := textOf(find(doc, "h1")[0]); got != "Hazelnut butter biscuits" {
		t.Errorf("h1 %q", got)
	}
	if !strings.Contains(r.body, "Product data: Open Food Facts (https://world.openfoodfacts.org), ODbL 1.0") {
		t.Error("the data source's credit is missing")
	}
	imgs := find(doc, "img")
	if len(imgs) != 1 {
		t.Fatalf("want one img, got %d", len(imgs))
	}
	img := imgs[0]
	for k, want := range map[string]string{
		"src": "https://images.example.com/09506000134352/front.jpg", "alt": "Photo of Hazelnut butter biscuits",
		"width": "320", "height": "320", "loading": "lazy",
	} {
		if got := attr(img, k); got != want {
			t.Errorf("img %s=%q, want %q", k, got, want)
		}
	}
	main := textOf(find(doc, "main")[0])
	pack := textOf(section(t, doc, "pack"))
	nutri := textOf(section(t, doc, "nutriscore"))
	nutrition := textOf(section(t, doc, "nutrition"))
	packaging := textOf(section(t, doc, "packaging"))
	allergens := textOf(section(t, doc, "allergens"))
	links := section(t, doc, "links")
	for _, c := range []struct{ where, text, want string }{
		{"facts", main, "Brand Acme Foods"},
		{"facts", main, "Net content 200 g"},
		{"facts", main, "Origin France"},
		{"facts", main, "GTIN " + biscuitGTIN},
		{"pack", pack, "Lot LOT42"},
		{"pack", pack, "Serial number S1"},
		{"pack", pack, "Use by 31 December 2026 (expires in 5 days)"},
		{"nutri-score", nutri, "Nutri-Score E"},
		{"nutri-score", nutri, "How the Nutri-Score is made"},
		{"nutri-score", nutri, "energy 2000 kJ 5 / 10 against"},
		{"nutri-score", nutri, "sugars 30 g 8 / 15 against"},
		{"nutri-score", nutri, "saturated fat 12 g 10 / 10 against"},
		{"nutri-score", nutri, "salt 0.6 g 2 / 20 against"},
		{"nutri-score", nutri, "fibre 3.5 g 1 / 5 in favour"},
		{"nutri-score", nutri, "Protein does not count here, because the negative points (25) are 11 or more."},
		{"nutri-score", nutri, "Not given on the pack and counted as zero: fruit, vegetables and legumes."},
		{"nutrition", nutrition, "Average values per 100 g"},
		{"nutrition", nutrition, "Energy 2000 kJ / 478 kcal"},
		{"nutrition", nutrition, "Fat 20 g of which saturates 12 g Carbohydrate 65 g of which sugars 30 g Fibre 3.5 g Protein 7 g Salt 0.6 g"},
		{"packaging", packaging, "box cardboard recycle"},
		{"packaging", packaging, "2 × tray PET discard"},
		{"allergens", allergens, "Contains: gluten, eggs, milk and nuts."},
		{"allergens", allergens, "May contain: peanuts and soybeans."},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s: no %q in %q", c.where, c.want, c.text)
		}
	}
	if strings.Contains(nutri, "protein 7 g") {
		t.Errorf("protein is listed although the protein rule leaves it out: %q", nutri)
	}
	// The grade is a letter in text next to the colour, not colour only.
	badge := false
	for _, s := range find(section(t, doc, "nutriscore"), "span") {
		if strings.Contains(attr(s, "class"), "badge ns-e") && textOf(s) == "E" {
			badge = true
		}
	}
	if !badge {
		t.Error("no E badge")
	}
	if got, want := allergenWords(doc), []string{"Wheat", "butter", "milk", "hazelnuts", "egg", "peanuts", "soy"}; !slices.Equal(got, want) {
		t.Errorf("allergens highlighted %q, want %q", got, want)
	}

	// The brand's other links: the passport page, its default link and
	// copies of it, private links and links whose template the scan cannot
	// fill are left out.
	var got []string
	for _, li := range find(links, "li") {
		got = append(got, textOf(li))
	}
	want := []string{
		"Recipes with our biscuits (Recipes; language: en, fr)",
		"Sustainability",
		"Where this lot comes from (Traceability)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("links %q, want %q", got, want)
	}
	as := find(links, "a")
	if len(as) == 3 {
		if attr(as[0], "hreflang") != "en" || attr(as[0], "type") != "text/html" {
			t.Errorf("first link attributes %v", as[0].Attr)
		}
		if href := attr(as[2], "href"); href != "https://acme.example.com/lots/LOT42" {
			t.Errorf("template link href %q", href)
		}
	}
	if !strings.Contains(textOf(find(doc, "footer")[0]), "PackyTrace product passport") {
		t.Error("no footer")
	}
}

func TestHandler_Headers(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	for _, c := range []struct {
		name, target string
		status       int
		cache        string
	}{
		{"page", "/passport/01/" + biscuitGTIN, 200, "private, max-age=60"},
		{"unknown", "/passport/01/" + unknownGTIN, 404, "private, max-age=60"},
		{"malformed", "/passport/01/09506000134353", 400, "private, max-age=60"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, c.target)
			if r.status != c.status {
				t.Fatalf("status %d, want %d", r.status, c.status)
			}
			checkHTML(t, r)
			for k, want := range map[string]string{
				"Content-Type": "text/html; charset=utf-8", "Cache-Control": c.cache, "Vary": "Accept-Language",
				"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
			} {
				if got := r.header.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			csp := r.header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "img-src https: http: data:", "style-src 'sha256-"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe") {
				t.Errorf("CSP allows scripts or unsafe sources: %q", csp)
			}
		})
	}
}

func TestHandler_Head(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	g := get(t, h, "/passport/01/"+biscuitGTIN)
	r := do(t, h, http.MethodHead, "/passport/01/"+biscuitGTIN)
	if r.status != 200 || r.body != "" {
		t.Fatalf("HEAD: status %d, body %d bytes", r.status, len(r.body))
	}
	if r.header.Get("Content-Length") != g.header.Get("Content-Length") || r.header.Get("Content-Length") == "" {
		t.Errorf("HEAD Content-Length %q, GET %q", r.header.Get("Content-Length"), g.header.Get("Content-Length"))
	}
}

func TestHandler_AllergenHighlighting(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	for _, c := range []struct {
		name, target, lang string
		want               []string
	}{
		// OFF marks in the French list; the traces are not in the text.
		{"fr marks", "/passport/01/" + biscuitGTIN, "fr", []string{"blé", "beurre", "lait", "noisettes", "œufs"}},
		// No marks in German: compound words found by their stems, traces
		// (Erdnüsse, Soja) highlighted too.
		{"de keywords", "/passport/01/" + biscuitGTIN, "de", []string{"Weizenmehl", "Butter", "Milch", "Haselnüsse", "Vollei", "Erdnüssen", "Soja"}},
		// Declared milk only: "Lait" and "lactiques" ... only whole keywords.
		{"fr cheese", "/passport/01/" + cheeseGTIN, "fr", []string{"Lait"}},
		// Dutch beer declares gluten: "gerstemout" by its stem, not "hop".
		{"nl beer", "/passport/01/" + beerGTIN, "nl", []string{"gerstemout"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, c.target, "Accept-Language", c.lang)
			doc, _ := checkHTML(t, r)
			if got := allergenWords(doc); !slices.Equal(got, c.want) {
				t.Errorf("highlighted %q, want %q", got, c.want)
			}
		})
	}
}

func TestHandler_ExpiryWording(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t) // today is 2026-12-26 in Paris
	for _, c := range []struct {
		name, query, lang, want string
		expired                 bool
	}{
		{"use by in days", "17=261231", "en", "Use by 31 December 2026 (expires in 5 days)", false},
		{"use by tomorrow", "17=261227", "en", "Use by 27 December 2026 (expires in 1 day)", false},
		{"use by today", "17=261226", "en", "Use by 26 December 2026 (expires today)", false},
		{"expired", "17=261223", "en", "Use by 23 December 2026 (expired 3 days ago)", true},
		{"expired a day", "17=261225", "en", "expired 1 day ago", true},
		{"end of month", "17=270200", "en", "Use by 28 February 2027 (expires in 64 days)", false},
		{"best before", "15=270105", "en", "Best before 5 January 2027 (best before date in 10 days)", false},
		{"best before today", "15=261226", "en", "Best before 26 December 2026 (best before today)", false},
		{"past best before", "15=261201", "en", "Best before 1 December 2026 (past its best-before date (25 days ago))", true},
		{"french", "17=261231", "fr", "À consommer jusqu'au 31 décembre 2026 (expire dans 5 jours)", false},
		{"german", "17=261223", "de", "Zu verbrauchen bis 23. Dezember 2026 (seit 3 Tagen abgelaufen)", true},
		// GS1 century rule: YY - 26 of 50 stays in this century, 51 goes back.
		{"century ahead", "17=761231", "en", "Use by 31 December 2076", false},
		{"century back", "17=771231", "en", "Use by 31 December 1977", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, "/passport/01/"+biscuitGTIN+"?"+c.query, "Accept-Language", c.lang)
			doc, _ := checkHTML(t, r)
			pack := section(t, doc, "pack")
			if got := textOf(pack); !strings.Contains(got, c.want) {
				t.Errorf("pack %q, want %q", got, c.want)
			}
			times := find(pack, "time")
			if len(times) != 1 || len(attr(times[0], "datetime")) != 10 {
				t.Errorf("want one <time datetime=YYYY-MM-DD>, got %d", len(times))
			}
			if got := len(find(pack, "span")) == 1 && attr(find(pack, "span")[0], "class") == "expired"; got != c.expired {
				t.Errorf("expired style %v, want %v", got, c.expired)
			}
		})
	}
}

func TestHandler_ExpiryUsesLocation(t *testing.T) {
	t.Parallel()
	// 23:30 UTC on 30 December is already 31 December in Paris.
	now := func() time.Time { return time.Date(2026, 12, 30, 23, 30, 0, 0, time.UTC) }
	for _, c := range []struct {
		loc  *time.Location
		want string
	}{{time.UTC, "expires in 1 day"}, {paris(), "expires today"}} {
		h, _ := newHandler(t, func(cfg *passportpage.Config) { cfg.Now, cfg.Location = now, c.loc })
		r := get(t, h, "/passport/01/"+biscuitGTIN+"?17=261231")
		if !strings.Contains(r.body, c.want) {
			t.Errorf("%s: want %q", c.loc, c.want)
		}
	}
}

func TestHandler_LanguageNegotiation(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	for _, c := range []struct {
		name, target, accept string
		uiLang, h1, h1Lang   string
	}{
		{"french", "/passport/01/" + biscuitGTIN, "fr-FR,fr;q=0.9,en;q=0.5", "fr", "Biscuits au beurre et aux noisettes", ""},
		{"q-values", "/passport/01/" + biscuitGTIN, "en;q=0.2, de;q=0.8, fr;q=0.5", "de", "Butterkekse mit Haselnüssen", ""},
		{"swiss german", "/passport/01/" + biscuitGTIN, "de-CH", "de", "Butterkekse mit Haselnüssen", ""},
		{"no header", "/passport/01/" + biscuitGTIN, "", "en", "Hazelnut butter biscuits", ""},
		{"unsupported", "/passport/01/" + biscuitGTIN, "ja-JP,ja", "en", "Hazelnut butter biscuits", ""},
		{"garbage", "/passport/01/" + biscuitGTIN, ";;q=x,,", "en", "Hazelnut butter biscuits", ""},
		{"query override", "/passport/01/" + biscuitGTIN + "?lang=de", "fr", "de", "Butterkekse mit Haselnüssen", ""},
		{"bad override", "/passport/01/" + biscuitGTIN + "?lang=zz-!!", "fr", "fr", "Biscuits au beurre et aux noisettes", ""},
		// UI in Spanish (no Spanish name): English name, marked as English.
		{"product fallback", "/passport/01/" + biscuitGTIN, "es", "es", "Hazelnut butter biscuits", "en"},
		// Italian UI, the product only in French: French text, marked so.
		{"only language", "/passport/01/" + cheeseGTIN, "it", "it", "Camembert de Normandie", "fr"},
		// Dutch asked for and available.
		{"dutch", "/passport/01/" + beerGTIN, "nl-BE", "nl", "Tripel bier", ""},
		// English UI, product text in the second accepted language.
		{"second choice", "/passport/01/" + cheeseGTIN, "en, fr;q=0.5", "en", "Camembert de Normandie", "fr"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, c.target, "Accept-Language", c.accept)
			doc, lang := checkHTML(t, r)
			if lang != c.uiLang {
				t.Errorf("html lang %q, want %q", lang, c.uiLang)
			}
			if got := r.header.Get("Content-Language"); got != c.uiLang {
				t.Errorf("Content-Language %q, want %q", got, c.uiLang)
			}
			h1 := find(doc, "h1")[0]
			if got := textOf(h1); got != c.h1 {
				t.Errorf("h1 %q, want %q", got, c.h1)
			}
			if got := attr(h1, "lang"); got != c.h1Lang {
				t.Errorf("h1 lang %q, want %q", got, c.h1Lang)
			}
		})
	}
}

func TestHandler_NutriScoreStates(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	for _, c := range []struct {
		name, gtin string
		want       []string
		tables     int
	}{
		{"cheese protein", cheeseGTIN, []string{"Protein always counts for cheese.", "protein 19 g"}, 2},
		{"not applicable", beerGTIN, []string{"The Nutri-Score does not apply to this kind of product."}, 0},
		{"unknown", bareGTIN, []string{"The Nutri-Score is unknown: the pack does not give energy, sugars, saturated fat, salt and protein."}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, h, "/passport/01/"+c.gtin)
			doc, _ := checkHTML(t, r)
			ns := textOf(section(t, doc, "nutriscore"))
			for _, w := range c.want {
				if !strings.Contains(ns, w) {
					t.Errorf("no %q in %q", w, ns)
				}
			}
			if got := len(find(doc, "table")); got != c.tables {
				t.Errorf("%d tables, want %d", got, c.tables)
			}
		})
	}
}

func TestHandler_EmptySections(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	r := get(t, h, "/passport/01/"+bareGTIN)
	doc, _ := checkHTML(t, r)
	body := textOf(find(doc, "main")[0])
	for _, want := range []string{
		"The brand has not published the ingredients.", "No allergens declared.",
		"The brand has not published nutrition facts.", "The brand has not published packaging details.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q", want)
		}
	}
	if len(find(doc, "img")) != 0 {
		t.Error("an img without an image URL")
	}
	for _, s := range find(doc, "section") {
		if id := attr(s, "aria-labelledby"); id == "pack" || id == "links" {
			t.Errorf("empty section %q shown", id)
		}
	}
}

func TestHandler_ErrorPages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, method, target, accept string
		catalogErr                   error
		status                       int
		lang                         string
		want                         []string
		notWant                      string
	}{
		{name: "unknown gtin", target: "/passport/01/" + unknownGTIN + "/10/L1", accept: "fr", status: 404, lang: "fr",
			want: []string{"Produit introuvable", "Vous avez scanné le code produit " + unknownGTIN + ".", "La marque n'a pas encore publié"}},
		{name: "unknown gtin en", target: "/passport/01/" + unknownGTIN, status: 404, lang: "en",
			want: []string{"Product not found", "You scanned the product code " + unknownGTIN, "has not published a passport", "scan again"}},
		{name: "sscc", target: "/passport/00/106141412345678908", status: 404, lang: "en",
			want: []string{"No passport for this code", "(SSCC, AI 00) does not identify a product"}},
		{name: "gln", target: "/passport/414/9520123456788", accept: "de", status: 404, lang: "de",
			want: []string{"Kein Produktpass für diesen Code"}},
		{name: "check digit", target: "/passport/01/09506000134353", status: 400, lang: "en",
			want: []string{"This code cannot be read", "not a valid GS1 Digital Link"}},
		{name: "short gtin", target: "/passport/01/9506000134352", accept: "es", status: 400, lang: "es",
			want: []string{"No se puede leer este código"}},
		{name: "no key", target: "/passport/", status: 400, lang: "en", want: []string{"This code cannot be read"}},
		{name: "bad date", target: "/passport/01/" + biscuitGTIN + "?17=261332", status: 400, lang: "en",
			want: []string{"This code cannot be read"}},
		{name: "stem", target: "/passport/other/01/" + biscuitGTIN, status: 404, lang: "en",
			want: []string{"There is no product passport at this address."}},
		{name: "post", method: http.MethodPost, target: "/passport/01/" + biscuitGTIN, status: 405, lang: "en",
			want: []string{"Method not allowed"}},
		{name: "catalog down", target: "/passport/01/" + biscuitGTIN, accept: "it", catalogErr: errors.New("pq: connection refused to 10.0.0.7"),
			status: 503, lang: "it", want: []string{"Passaporto non disponibile"}, notWant: "10.0.0.7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			cat := newCatalog(biscuits())
			cat.err = c.catalogErr
			h := passportpage.NewHandler(passportpage.Config{Catalog: cat, Now: testNow,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			method := c.method
			if method == "" {
				method = http.MethodGet
			}
			r := do(t, h, method, c.target, "Accept-Language", c.accept)
			if r.status != c.status {
				t.Fatalf("status %d, want %d\n%s", r.status, c.status, r.body)
			}
			doc, lang := checkHTML(t, r)
			if lang != c.lang {
				t.Errorf("lang %q, want %q", lang, c.lang)
			}
			text := textOf(doc)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in %q", w, text)
				}
			}
			if c.notWant != "" && strings.Contains(r.body, c.notWant) {
				t.Errorf("page shows %q", c.notWant)
			}
			switch c.status {
			case 405:
				if got := r.header.Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow %q", got)
				}
			case 503:
				if !strings.Contains(logs.String(), "10.0.0.7") {
					t.Errorf("the failure is not logged: %q", logs.String())
				}
				if got := r.header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control %q", got)
				}
			}
		})
	}
}

func TestHandler_EngineMessageOn400(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	r := get(t, h, "/passport/01/09506000134353")
	doc, _ := checkHTML(t, r)
	codes := find(doc, "code")
	if len(codes) != 1 || !strings.Contains(strings.ToLower(textOf(codes[0])), "check digit") {
		t.Fatalf("want the engine's message in <code>, got %q", textOf(doc))
	}
}

func TestHandler_WithoutPrefix(t *testing.T) {
	t.Parallel()
	// Behind http.StripPrefix the path arrives without /passport.
	h, _ := newHandler(t)
	mux := http.NewServeMux()
	mux.Handle("/passport/", http.StripPrefix("/passport", h))
	r := get(t, mux, "/passport/01/"+biscuitGTIN+"/10/LOT42")
	if r.status != 200 || !strings.Contains(r.body, "LOT42") {
		t.Fatalf("status %d", r.status)
	}
}

func TestHandler_EscapesProductText(t *testing.T) {
	t.Parallel()
	v := bare()
	v.Product.Names["en"] = `<script>alert(1)</script> & "snack"`
	v.Product.Ingredients = map[string]string{"en": "_<b>milk</b>_, sugar"}
	v.Product.Allergens = nil
	v.Product.ImageURL = "javascript:alert(1)"
	h := passportpage.NewHandler(passportpage.Config{Catalog: newCatalog(v), Now: testNow})
	r := get(t, h, "/passport/01/"+bareGTIN)
	if strings.Contains(r.body, "<script") || strings.Contains(r.body, "<b>") || strings.Contains(r.body, "javascript:") {
		t.Fatalf("unescaped product text:\n%s", r.body)
	}
	doc, _ := checkHTML(t, r)
	if got := textOf(find(doc, "h1")[0]); got != `<script>alert(1)</script> & "snack"` {
		t.Errorf("h1 %q", got)
	}
}
