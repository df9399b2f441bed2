package passportpage_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/passportpage"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// GTINs of the test products (valid check digits).
const (
	biscuitGTIN = "09506000134352" // GS1's example GTIN
	cheeseGTIN  = "03760091720078"
	beerGTIN    = "05410228203582"
	bareGTIN    = "00012345678905"
	unknownGTIN = "04006381333931"
)

func f(v float64) *float64 { return &v }

// biscuits is a realistic product: names and ingredients in three
// languages, allergens marked the Open Food Facts way in English and French
// and unmarked in German, a full nutrition table, packaging and an image.
func biscuits() app.ProductView {
	p := catalog.Product{
		GTIN:    biscuitGTIN,
		BrandID: "acme-foods",
		Names: map[string]string{
			"en": "Hazelnut butter biscuits",
			"fr": "Biscuits au beurre et aux noisettes",
			"de": "Butterkekse mit Haselnüssen",
		},
		NetContent: &catalog.Quantity{Value: 200, Unit: catalog.Gram},
		Category:   "en:biscuits",
		Categories: []string{"en:snacks", "en:sweet-snacks", "en:biscuits"},
		Ingredients: map[string]string{
			"en": "_Wheat_ flour, sugar, _butter_ 18% (_milk_), _hazelnuts_ 10%, whole _egg_, raising agent: sodium carbonates, salt. May contain peanuts and soy.",
			"fr": "Farine de _blé_, sucre, _beurre_ 18 % (_lait_), _noisettes_ 10 %, _œufs_ entiers, poudre à lever : carbonates de sodium, sel.",
			"de": "Weizenmehl, Zucker, Butter 18 % (Milch), Haselnüsse 10 %, Vollei, Backtriebmittel: Natriumcarbonate, Salz. Kann Spuren von Erdnüssen und Soja enthalten.",
		},
		Allergens: []catalog.Allergen{catalog.Gluten, catalog.Eggs, catalog.Milk, catalog.Nuts},
		Traces:    []catalog.Allergen{catalog.Peanuts, catalog.Soybeans},
		Nutrition: &catalog.Nutrition{
			Per: catalog.Per100g, EnergyKJ: f(2000), EnergyKcal: f(478), Fat: f(20), SaturatedFat: f(12),
			Carbohydrates: f(65), Sugars: f(30), Fibre: f(3.5), Protein: f(7), Salt: f(0.6),
		},
		Packaging: []catalog.PackagingComponent{
			{Shape: "box", Material: "cardboard", Recycling: "recycle", Count: 1},
			{Shape: "tray", Material: "PET", Recycling: "discard", Count: 2},
		},
		Origin:      "France",
		ImageURL:    "https://images.example.com/09506000134352/front.jpg",
		Attribution: "Open Food Facts (https://world.openfoodfacts.org), ODbL 1.0",
	}
	p.Compute()
	return app.ProductView{Product: p, Brand: catalog.Brand{ID: "acme-foods", Name: "Acme Foods", Prefixes: []string{"950600"}}}
}

// cheese is a Camembert: protein always counts for cheese.
func cheese() app.ProductView {
	p := catalog.Product{
		GTIN: cheeseGTIN, BrandID: "fromagerie", Names: map[string]string{"fr": "Camembert de Normandie"},
		NetContent:  &catalog.Quantity{Value: 250, Unit: catalog.Gram},
		Categories:  []string{"en:dairies", "en:cheeses", "en:camemberts"},
		Ingredients: map[string]string{"fr": "Lait cru de vache, sel, ferments lactiques, présure."},
		Allergens:   []catalog.Allergen{catalog.Milk},
		Nutrition: &catalog.Nutrition{
			Per: catalog.Per100g, EnergyKJ: f(1150), EnergyKcal: f(277), Fat: f(22), SaturatedFat: f(15),
			Carbohydrates: f(0.5), Sugars: f(0.5), Protein: f(19), Salt: f(1.5),
		},
	}
	p.Compute()
	return app.ProductView{Product: p, Brand: catalog.Brand{ID: "fromagerie", Name: "Fromagerie du Pays d'Auge"}}
}

// beer gets no Nutri-Score.
func beer() app.ProductView {
	p := catalog.Product{
		GTIN: beerGTIN, BrandID: "brasserie", Names: map[string]string{"nl": "Tripel bier", "en": "Tripel beer"},
		NetContent:  &catalog.Quantity{Value: 33, Unit: catalog.Centilitre},
		Categories:  []string{"en:beverages", "en:alcoholic-beverages", "en:beers"},
		Ingredients: map[string]string{"nl": "Water, gerstemout, hop, gist."},
		Allergens:   []catalog.Allergen{catalog.Gluten},
	}
	p.Compute()
	return app.ProductView{Product: p, Brand: catalog.Brand{ID: "brasserie", Name: "Brasserie Test"}}
}

// bare has nothing but a name: unknown Nutri-Score, no tables.
func bare() app.ProductView {
	p := catalog.Product{GTIN: bareGTIN, BrandID: "acme-foods", Names: map[string]string{"en": "Mystery snack"}}
	p.Compute()
	return app.ProductView{Product: p, Brand: catalog.Brand{ID: "acme-foods", Name: "Acme Foods"}}
}

// fakeCatalog serves fixed products and counts its calls.
type fakeCatalog struct {
	products map[string]app.ProductView
	err      error // returned for every GTIN when set
	calls    atomic.Int64
	delay    time.Duration
}

func newCatalog(views ...app.ProductView) *fakeCatalog {
	c := &fakeCatalog{products: make(map[string]app.ProductView)}
	for _, v := range views {
		c.products[v.Product.GTIN] = v
	}
	return c
}

func (c *fakeCatalog) ProductView(ctx context.Context, gtin string) (app.ProductView, error) {
	c.calls.Add(1)
	if c.delay > 0 {
		select {
		case <-time.After(c.delay):
		case <-ctx.Done():
			return app.ProductView{}, ctx.Err()
		}
	}
	if c.err != nil {
		return app.ProductView{}, c.err
	}
	v, ok := c.products[gtin]
	if !ok {
		return app.ProductView{}, fault.Newf(fault.NotFound, "no product with GTIN %s", gtin)
	}
	return v, nil
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testNow is 2026-12-26 10:00 in Paris.
func testNow() time.Time {
	return time.Date(2026, 12, 26, 10, 0, 0, 0, paris())
}

func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// brandLinks are the anchor links of the biscuits as the resolver index
// holds them: the brand's own links plus the passport link and the default
// link the index adds.
func brandLinks(gtin string) []resolver.Link {
	if gtin != biscuitGTIN {
		return nil
	}
	page := "https://id.example.com/passport/01/" + gtin
	return []resolver.Link{
		{Type: resolver.Namespace + "recipeInfo", Href: "https://acme.example.com/recipes/hazelnut", Title: "Recipes with our biscuits",
			MediaType: "text/html", Hreflang: []string{"en", "fr"}, Public: true},
		{Type: resolver.Namespace + "productSustainabilityInfo", Href: "https://acme.example.com/sustainability", Public: true},
		{Type: resolver.Namespace + "traceability", Href: "https://acme.example.com/lots/{10}", Title: "Where this lot comes from", Public: true},
		{Type: resolver.Namespace + "certificationInfo", Href: "https://acme.example.com/certs/{22}", Title: "Needs a CPV", Public: true},
		{Type: resolver.Namespace + "support", Href: "https://acme.example.com/internal", Title: "Internal support desk", Public: false},
		{Type: resolver.Namespace + "pip", Href: "https://other.example.com/passport/01/" + gtin, Title: "Copied passport link", Public: true},
		{Type: resolver.LinkTypeDefault, Href: "https://acme.example.com/recipes/hazelnut", Title: "Default duplicate", Public: true},
		{Type: resolver.Namespace + "pip", Href: page, Title: "Product passport", MediaType: "text/html", Public: true, Passport: true},
		{Type: resolver.LinkTypeDefault, Href: page, Title: "Product passport", Public: true, Passport: true},
	}
}

// newHandler returns a handler over the test products at testNow.
func newHandler(t testing.TB, opts ...func(*passportpage.Config)) (*passportpage.Handler, *fakeCatalog) {
	t.Helper()
	cat := newCatalog(biscuits(), cheese(), beer(), bare())
	cfg := passportpage.Config{Catalog: cat, Links: brandLinks, Now: testNow, Location: paris()}
	for _, o := range opts {
		o(&cfg)
	}
	return passportpage.NewHandler(cfg), cat
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t testing.TB, h http.Handler, target string, header ...string) response {
	t.Helper()
	return do(t, h, http.MethodGet, target, header...)
}

func do(t testing.TB, h http.Handler, method, target string, header ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return response{status: rec.Code, header: rec.Header(), body: string(b)}
}

// checkHTML parses body and checks the rules every page keeps: an html
// element with a lang attribute, exactly one h1, a viewport meta element,
// a caption and scoped header cells in every table, alt on every img, no
// script, and a style element whose hash is the one the CSP allows. It
// returns the document and the html lang.
func checkHTML(t testing.TB, r response) (*html.Node, string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	htmlEl := find(doc, "html")
	if len(htmlEl) != 1 || attr(htmlEl[0], "lang") == "" {
		t.Fatalf("want one <html lang>, got %d elements", len(htmlEl))
	}
	if n := len(find(doc, "h1")); n != 1 {
		t.Errorf("want one h1, got %d", n)
	}
	viewport := false
	for _, m := range find(doc, "meta") {
		viewport = viewport || attr(m, "name") == "viewport"
	}
	if !viewport {
		t.Error("no <meta name=viewport>")
	}
	for _, tbl := range find(doc, "table") {
		if len(find(tbl, "caption")) != 1 {
			t.Errorf("table without caption: %s", textOf(tbl))
		}
		ths := find(tbl, "th")
		if len(ths) == 0 {
			t.Errorf("table without th: %s", textOf(tbl))
		}
		for _, th := range ths {
			if s := attr(th, "scope"); s != "col" && s != "row" {
				t.Errorf("th %q has scope %q", textOf(th), s)
			}
		}
	}
	for _, img := range find(doc, "img") {
		if !hasAttr(img, "alt") {
			t.Errorf("img %s has no alt", attr(img, "src"))
		}
	}
	if n := len(find(doc, "script")); n != 0 {
		t.Errorf("page has %d scripts", n)
	}
	styles := find(doc, "style")
	if len(styles) != 1 {
		t.Fatalf("want one style element, got %d", len(styles))
	}
	sum := sha256.Sum256([]byte(styles[0].FirstChild.Data))
	if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(r.header.Get("Content-Security-Policy"), hash) {
		t.Errorf("CSP %q does not allow the style element (%s)", r.header.Get("Content-Security-Policy"), hash)
	}
	return doc, attr(htmlEl[0], "lang")
}

func find(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// textOf returns the text of n with runs of white space collapsed, block
// and table cell boundaries counting as white space.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		block := n.Type == html.ElementNode && !inline[n.Data]
		if block {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// section returns the section whose heading has the given id.
func section(t testing.TB, doc *html.Node, id string) *html.Node {
	t.Helper()
	for _, s := range find(doc, "section") {
		if attr(s, "aria-labelledby") == id {
			return s
		}
	}
	t.Fatalf("no section %q", id)
	return nil
}

// allergenWords returns the texts of the highlighted allergens.
func allergenWords(doc *html.Node) []string {
	var out []string
	for _, s := range find(doc, "strong") {
		if attr(s, "class") == "allergen" {
			out = append(out, textOf(s))
		}
	}
	return out
}

var inline = map[string]bool{"a": true, "strong": true, "span": true, "time": true, "code": true, "b": true, "em": true}

var _ = nutriscore.StatusComputed
