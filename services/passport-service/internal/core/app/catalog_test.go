package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// More GTINs (check digits by the GS1 mod-10 rule): gtinA3 of brand
// 9506000, gtinWide of 9506001 (which owner reaches through 9506 but brand
// acme does not hold), gtinNone of no brand.
const (
	gtinA3   = "09506000134376"
	gtinWide = "09506001000007"
	gtinNone = "04000000000013"
)

// newCatalog returns the use cases over a catalog fake holding brand acme
// (brandA, which owner acts for), brand bravo (brandB, ownerB's) and brand
// other (prefix 5012345, nobody's).
func newCatalog(t *testing.T) (*app.Service, *apptest.CatalogFake) {
	t.Helper()
	cat := apptest.NewCatalogFake()
	for _, b := range []catalog.Brand{
		{ID: "acme", Name: "Acme", Prefixes: []string{brandA}},
		{ID: "bravo", Name: "Bravo", Prefixes: []string{brandB}},
		{ID: "other", Name: "Other", Prefixes: []string{"5012345"}},
	} {
		if _, err := cat.CreateBrand(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	return app.NewService(apptest.NewAnchorRepository(), &schema{}, cat), cat
}

func ifMatch(h string) app.Precondition { return app.ParseETags(h) }

func mustPut(t *testing.T, svc *app.Service, who app.Actor, p catalog.Product, pre app.Precondition) (catalog.Product, app.Change) {
	t.Helper()
	got, change, err := svc.PutProduct(context.Background(), who, p, pre)
	if err != nil {
		t.Fatalf("put %s: %v %+v", p.GTIN, err, fault.FieldsOf(err))
	}
	return got, change
}

// changes lists the published events as "change gtin version".
func changes(cat *apptest.CatalogFake) []string {
	var out []string
	for _, c := range cat.Published() {
		out = append(out, c.Change+" "+c.GTIN+" v"+itoa(c.Version))
	}
	return out
}

func itoa(v int64) string { return app.ETag(v)[2 : len(app.ETag(v))-1] }

func TestETag_RoundTripsThroughParseETags(t *testing.T) {
	t.Parallel()
	if got := app.ETag(42); got != `"v42"` {
		t.Fatalf("ETag(42) = %s", got)
	}
	tests := []struct {
		header string
		want   app.Precondition
	}{
		{`"v3"`, app.Precondition{IfMatch: true, Version: 3}},
		{`*`, app.Precondition{IfMatch: true, Any: true}},
		{` "x" , "v7", "v8"`, app.Precondition{IfMatch: true, Version: 7}},
		{`W/"v3"`, app.Precondition{IfMatch: true}}, // weak tags never match (RFC 9110 13.1.1)
		{`"v0"`, app.Precondition{IfMatch: true}},
		{`"v-2"`, app.Precondition{IfMatch: true}},
		{`"v"`, app.Precondition{IfMatch: true}},
		{`v3`, app.Precondition{IfMatch: true}},
		{``, app.Precondition{IfMatch: true}},
		{`"v99999999999999999999"`, app.Precondition{IfMatch: true}},
	}
	for _, tt := range tests {
		if got := app.ParseETags(tt.header); got != tt.want {
			t.Errorf("ParseETags(%q) = %+v, want %+v", tt.header, got, tt.want)
		}
	}
}

func FuzzParseETags(f *testing.F) {
	for _, s := range []string{`"v1"`, `*`, `W/"v2", "v3"`, `"v"`, `,,`, `"v-1"`, `"v00012"`, `"v1`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		p := app.ParseETags(h)
		if !p.IfMatch || p.Version < 0 || (p.Any && p.Version != 0) {
			t.Fatalf("ParseETags(%q) = %+v", h, p)
		}
		if p.Version > 0 {
			if again := app.ParseETags(app.ETag(p.Version)); again.Version != p.Version {
				t.Fatalf("ETag(%d) parses as %+v", p.Version, again)
			}
		}
	})
}

func TestPutProduct_NeedsIfMatchToReplace(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	ctx := context.Background()
	first, change := mustPut(t, svc, owner, apptest.Product(gtinA, "acme"), app.Precondition{})
	if change != app.Created || first.Version != 1 {
		t.Fatalf("create: %v version %d", change, first.Version)
	}
	changed := apptest.Product(gtinA, "acme")
	changed.Origin = "Ireland"

	_, _, err := svc.PutProduct(ctx, owner, changed, app.Precondition{})
	assertKind(t, err, fault.PreconditionRequired, "")
	for _, stale := range []string{`"v2"`, `W/"v1"`, `"v0"`, `"other"`} {
		_, _, err = svc.PutProduct(ctx, owner, changed, ifMatch(stale))
		assertKind(t, err, fault.PreconditionFailed, "")
	}
	if p, _ := cat.GetProduct(ctx, gtinA); p.Version != 1 || p.Origin != "United Kingdom" {
		t.Fatalf("refused writes changed the product: version %d origin %q", p.Version, p.Origin)
	}

	got, change := mustPut(t, svc, owner, changed, ifMatch(`"v1"`))
	if change != app.Updated || got.Version != 2 || got.Origin != "Ireland" {
		t.Fatalf("replace: %v version %d origin %q", change, got.Version, got.Origin)
	}
	if got, change = mustPut(t, svc, admin, apptest.Product(gtinA, "acme"), ifMatch("*")); change != app.Updated || got.Version != 3 {
		t.Fatalf("replace with If-Match *: %v version %d", change, got.Version)
	}
	want := []string{"created " + gtinA + " v1", "updated " + gtinA + " v2", "updated " + gtinA + " v3"}
	if got := changes(cat); !slices.Equal(got, want) {
		t.Fatalf("published %v, want %v", got, want)
	}
}

func TestPutProduct_PreconditionsOfCreation(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	ctx := context.Background()
	_, _, err := svc.PutProduct(ctx, owner, apptest.Product(gtinA, "acme"), ifMatch(`"v1"`))
	assertKind(t, err, fault.PreconditionFailed, "")
	_, _, err = svc.PutProduct(ctx, owner, apptest.Product(gtinA, "acme"), ifMatch("*"))
	assertKind(t, err, fault.PreconditionFailed, "")
	if len(cat.Published()) != 0 {
		t.Fatal("a refused create published an event")
	}
	if _, change := mustPut(t, svc, owner, apptest.Product(gtinA, "acme"), app.Precondition{CreateOnly: true}); change != app.Created {
		t.Fatalf("create with If-None-Match: *: %v", change)
	}
	_, _, err = svc.PutProduct(ctx, owner, apptest.Product(gtinA, "acme"), app.Precondition{CreateOnly: true})
	assertKind(t, err, fault.PreconditionFailed, "")
	// If-None-Match: * wins over a matching If-Match.
	pre := ifMatch(`"v1"`)
	pre.CreateOnly = true
	_, _, err = svc.PutProduct(ctx, owner, apptest.Product(gtinA, "acme"), pre)
	assertKind(t, err, fault.PreconditionFailed, "")
}

func TestPutProduct_UnchangedWriteKeepsTheVersionAndPublishesNothing(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	mustPut(t, svc, owner, apptest.Product(gtinA, "acme"), app.Precondition{})
	again := apptest.Product(gtinA, "acme")
	again.Allergens = []catalog.Allergen{catalog.Wheat, catalog.Milk, catalog.Gluten, catalog.Milk} // same set, other order
	got, change := mustPut(t, svc, owner, again, ifMatch(`"v1"`))
	if change != app.Unchanged || got.Version != 1 {
		t.Fatalf("unchanged write: %v version %d", change, got.Version)
	}
	if n := len(cat.Published()); n != 1 {
		t.Fatalf("%d events, want only the creation's", n)
	}
}

func TestPutProduct_ComputesTheNutriScore(t *testing.T) {
	t.Parallel()
	svc, _ := newCatalog(t)
	withFacts := func(gtin string, categories []string, n *catalog.Nutrition) catalog.Product {
		p := catalog.Product{GTIN: gtin, BrandID: "acme", Names: map[string]string{"en": "P"}, Categories: categories, Nutrition: n}
		// What a client sends as the score is ignored.
		p.NutriScore = nutriscore.Result{Status: nutriscore.StatusComputed, Grade: "A", Class: nutriscore.General}
		return p
	}
	f := func(v float64) *float64 { return &v }
	cola := &catalog.Nutrition{Per: catalog.Per100ml, EnergyKJ: f(180), Fat: f(0), SaturatedFat: f(0), Carbohydrates: f(10.6),
		Sugars: f(10.6), Protein: f(0), Salt: f(0)}
	tests := []struct {
		name       string
		p          catalog.Product
		status     nutriscore.Status
		class      nutriscore.Class
		grade      string
		missing    string
		components bool
	}{
		// Waters always get A (nutriscore package doc; OFF Nutriscore.pm).
		{"water", withFacts(gtinA, []string{"en:beverages", "en:waters"}, nil), nutriscore.StatusComputed, nutriscore.Water, "A", "", true},
		{"alcohol is not applicable", withFacts(gtinA2, []string{"en:beverages", "en:alcoholic-beverages", "en:beers"}, cola),
			nutriscore.StatusNotApplicable, nutriscore.NotApplicable, "", "", false},
		{"no nutrition table", withFacts(gtinA3, []string{"en:biscuits"}, nil), nutriscore.StatusUnknown, nutriscore.General, "", "energy", false},
		// A cola with 180 kJ and 10.6 g sugars per 100 ml scores E as a 2023
		// beverage: 3 energy points and 9 sugars points make 12, and a
		// beverage above 9 gets E (2023 beverage thresholds and grade bounds
		// of OFF Nutriscore.pm, which package nutriscore cites).
		{"sugared drink", withFacts("09506000134383", []string{"en:beverages", "en:sodas"}, cola),
			nutriscore.StatusComputed, nutriscore.Beverage, "E", "", true},
	}
	for _, tt := range tests {
		got, _ := mustPut(t, svc, admin, tt.p, app.Precondition{})
		r := got.NutriScore
		if r.Status != tt.status || r.Class != tt.class || r.Grade != tt.grade || (len(r.Components) > 0) != tt.components {
			t.Errorf("%s: Nutri-Score %+v, want %s %s %q", tt.name, r, tt.status, tt.class, tt.grade)
		}
		if tt.missing != "" && !slices.Contains(r.Missing, tt.missing) {
			t.Errorf("%s: missing %v, want %s listed", tt.name, r.Missing, tt.missing)
		}
		want := got
		want.Compute()
		if !slices.Equal(r.Components, want.NutriScore.Components) || r.Score != want.NutriScore.Score {
			t.Errorf("%s: stored score differs from the facts' score", tt.name)
		}
	}

	// The class set by the brand wins over the categories.
	p := withFacts("09506000134390", []string{"en:biscuits"}, cola)
	p.NutriScoreClass = nutriscore.Water
	if got, _ := mustPut(t, svc, admin, p, app.Precondition{}); got.NutriScore.Class != nutriscore.Water || got.NutriScore.Grade != "A" {
		t.Errorf("class override: %+v", got.NutriScore)
	}
}

func TestPutProduct_NamesEveryBadField(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	f := func(v float64) *float64 { return &v }
	bad := apptest.Product("09506000134353", "acme") // wrong check digit
	bad.Names = map[string]string{"english": "Biscuits", "fr": " "}
	bad.Allergens = []catalog.Allergen{catalog.Milk, "peanut"}
	bad.Traces = []catalog.Allergen{"celery "}
	bad.Nutrition.Sugars, bad.Nutrition.Carbohydrates = f(70), f(60)
	bad.Nutrition.Salt = f(-1)
	bad.Nutrition.Per = "100 g"
	bad.NetContent = &catalog.Quantity{Value: 0, Unit: "oz"}
	bad.Packaging = append(bad.Packaging, catalog.PackagingComponent{Count: 0})
	bad.ImageURL = "ftp://images.example/a.jpg"
	bad.NutriScoreClass = "dessert"

	_, _, err := svc.PutProduct(context.Background(), owner, bad, app.Precondition{})
	assertKind(t, err, fault.Invalid, "")
	var fields []string
	for _, fe := range fault.FieldsOf(err) {
		if fe.Reason == "" {
			t.Errorf("field %s without a reason", fe.Field)
		}
		fields = append(fields, fe.Field)
	}
	for _, want := range []string{"gtin", "/names/english", "/names/fr", "/allergens/1", "/traces/0", "/nutrition/sugars",
		"/nutrition/salt", "/nutrition/per", "/netContent/value", "/netContent/unit", "/packaging/2", "/packaging/2/count",
		"/imageUrl", "/nutriScoreClass"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no field error at %s; got %v", want, fields)
		}
	}
	if len(cat.Published()) != 0 {
		t.Fatal("an invalid product published an event")
	}

	noName := catalog.Product{GTIN: gtinA, BrandID: "Acme Foods"}
	_, _, err = svc.PutProduct(context.Background(), owner, noName, app.Precondition{})
	assertKind(t, err, fault.Invalid, "/names")
	assertKind(t, err, fault.Invalid, "/brand")
}

func TestPutProduct_RefusesWritesAcrossBrands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name  string
		who   app.Actor
		p     catalog.Product
		kind  fault.Kind
		field string
	}{
		{"another brand's GTIN", ownerB, apptest.Product(gtinA, "acme"), fault.Forbidden, ""},
		{"another brand's GTIN under one's own brand", ownerB, apptest.Product(gtinA, "bravo"), fault.Forbidden, ""},
		{"one's GTIN under a brand one does not act for", owner, apptest.Product(gtinA, "bravo"), fault.Forbidden, ""},
		{"a GTIN one reaches that the brand does not hold", owner, apptest.Product(gtinWide, "acme"), fault.Invalid, "/brand"},
		{"an unknown brand", owner, apptest.Product(gtinA, "nobody"), fault.Invalid, "/brand"},
		{"an analyst", analyst, apptest.Product(gtinA, "acme"), fault.Forbidden, ""},
		{"a shopper", shopper, apptest.Product(gtinA, "acme"), fault.Forbidden, ""},
		{"no roles", app.Actor{Brands: []string{brandA}}, apptest.Product(gtinA, "acme"), fault.Forbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, cat := newCatalog(t)
			_, _, err := svc.PutProduct(ctx, tt.who, tt.p, app.Precondition{})
			assertKind(t, err, tt.kind, tt.field)
			if _, err := cat.GetProduct(ctx, tt.p.GTIN); !fault.Is(err, fault.NotFound) {
				t.Fatalf("refused product stored: %v", err)
			}
		})
	}

	t.Run("an admin writes any brand's product, even one the brand does not hold", func(t *testing.T) {
		t.Parallel()
		svc, _ := newCatalog(t)
		mustPut(t, svc, admin, apptest.Product(gtinB, "bravo"), app.Precondition{})
		mustPut(t, svc, admin, apptest.Product(gtinA, "other"), app.Precondition{})
	})

	t.Run("a product stored under another brand cannot be taken over", func(t *testing.T) {
		t.Parallel()
		svc, cat := newCatalog(t)
		mustPut(t, svc, admin, apptest.Product(gtinA, "other"), app.Precondition{})
		_, _, err := svc.PutProduct(ctx, owner, apptest.Product(gtinA, "acme"), ifMatch(`"v1"`))
		assertKind(t, err, fault.Forbidden, "")
		err = svc.DeleteProduct(ctx, owner, gtinA, ifMatch(`"v1"`))
		assertKind(t, err, fault.Forbidden, "")
		if p, err := cat.GetProduct(ctx, gtinA); err != nil || p.BrandID != "other" || p.Version != 1 {
			t.Fatalf("product after refused writes: %+v %v", p, err)
		}
		// The admin may hand it back to the brand that holds the GTIN.
		if got, _ := mustPut(t, svc, admin, apptest.Product(gtinA, "acme"), ifMatch(`"v1"`)); got.BrandID != "acme" {
			t.Fatalf("brand after the admin's write: %s", got.BrandID)
		}
		mustPut(t, svc, owner, apptest.Product(gtinA, "acme"), ifMatch(`"v2"`))
	})
}

func TestDeleteProduct_NeedsTheCurrentVersion(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	ctx := context.Background()
	assertKind(t, svc.DeleteProduct(ctx, owner, gtinA, ifMatch(`"v1"`)), fault.NotFound, "")
	assertKind(t, svc.DeleteProduct(ctx, owner, "09506000134353", ifMatch(`"v1"`)), fault.Invalid, "gtin")
	mustPut(t, svc, owner, apptest.Product(gtinA, "acme"), app.Precondition{})
	mustPut(t, svc, admin, apptest.Product(gtinB, "bravo"), app.Precondition{})
	assertKind(t, svc.DeleteProduct(ctx, owner, gtinA, app.Precondition{}), fault.PreconditionRequired, "")
	assertKind(t, svc.DeleteProduct(ctx, owner, gtinA, ifMatch(`"v2"`)), fault.PreconditionFailed, "")
	assertKind(t, svc.DeleteProduct(ctx, ownerB, gtinA, ifMatch(`"v1"`)), fault.Forbidden, "")
	assertKind(t, svc.DeleteProduct(ctx, analyst, gtinA, ifMatch(`"v1"`)), fault.Forbidden, "")
	if err := svc.DeleteProduct(ctx, owner, gtinA[1:], ifMatch(`"v1"`)); err != nil { // the GTIN-13 form
		t.Fatal(err)
	}
	if _, err := svc.GetProduct(ctx, gtinA); !fault.Is(err, fault.NotFound) {
		t.Fatalf("deleted product: %v", err)
	}
	want := []string{"created " + gtinA + " v1", "deleted " + gtinA + " v1"}
	var got []string
	for _, c := range changes(cat) {
		if c != "created "+gtinB+" v1" {
			got = append(got, c)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("published %v, want %v", got, want)
	}
}

func TestGetProduct_IsPublicAndTakesEveryGTINLength(t *testing.T) {
	t.Parallel()
	svc, _ := newCatalog(t)
	ctx := context.Background()
	mustPut(t, svc, admin, apptest.Product("00000096385074", "acme"), app.Precondition{})
	for _, g := range []string{"96385074", "000096385074", "0000096385074", "00000096385074"} {
		p, err := svc.GetProduct(ctx, g)
		if err != nil || p.GTIN != "00000096385074" {
			t.Errorf("GetProduct(%s) = %s, %v", g, p.GTIN, err)
		}
	}
	for _, g := range []string{"96385075", "9638507", "0950600013435x", "", "009506000134352"} {
		_, err := svc.GetProduct(ctx, g)
		assertKind(t, err, fault.Invalid, "gtin")
	}
	_, err := svc.GetProduct(ctx, gtinA)
	assertKind(t, err, fault.NotFound, "")

	v, err := svc.ProductView(ctx, "96385074")
	if err != nil || v.Brand.ID != "acme" || v.Brand.Name != "Acme" || v.Product.GTIN != "00000096385074" {
		t.Fatalf("view %+v, %v", v, err)
	}
}

func TestListProducts_PagesWithCursors(t *testing.T) {
	t.Parallel()
	svc, _ := newCatalog(t)
	ctx := context.Background()
	for _, p := range []catalog.Product{apptest.Product(gtinA, "acme"), apptest.Product(gtinA2, "acme"),
		apptest.Product(gtinA3, "acme"), apptest.Product(gtinB, "bravo")} {
		mustPut(t, svc, admin, p, app.Precondition{})
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := svc.ListProducts(ctx, "acme", cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			seen = append(seen, p.GTIN)
		}
		if page.Next == "" {
			break
		}
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		cursor = page.Next
	}
	if want := []string{gtinA, gtinA2, gtinA3}; !slices.Equal(seen, want) {
		t.Fatalf("paged through %v, want %v", seen, want)
	}
	all, err := svc.ListProducts(ctx, "", "", 0)
	if err != nil || len(all.Items) != 4 || all.Next != "" {
		t.Fatalf("default page: %d items next %q, %v", len(all.Items), all.Next, err)
	}
	exact, err := svc.ListProducts(ctx, "", "", 4)
	if err != nil || exact.Next != "" {
		t.Fatalf("a page that holds everything has a next cursor %q (%v)", exact.Next, err)
	}

	for _, tt := range []struct {
		brand, cursor string
		limit         int
		field         string
	}{
		{"Acme", "", 10, "brand"},
		{"", "!!!", 10, "cursor"},
		{"", "", -1, "limit"},
		{"", "", app.MaxPageSize + 1, "limit"},
	} {
		_, err := svc.ListProducts(ctx, tt.brand, tt.cursor, tt.limit)
		assertKind(t, err, fault.Invalid, tt.field)
	}
}

func TestCreateBrand_NeedsThePrefixesOfTheBrandOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name  string
		who   app.Actor
		b     catalog.Brand
		kind  fault.Kind
		field string
	}{
		{"own prefixes", owner, catalog.Brand{ID: "acme-uk", Name: "Acme UK", Prefixes: []string{brandA, "9506"}}, fault.Internal, ""},
		{"a prefix of someone else", owner, catalog.Brand{ID: "acme-uk", Name: "Acme UK", Prefixes: []string{brandA, brandB}}, fault.Forbidden, ""},
		{"no prefix", owner, catalog.Brand{ID: "acme-uk", Name: "Acme UK"}, fault.Invalid, "/prefixes"},
		{"an admin, without prefixes", admin, catalog.Brand{ID: "acme-uk", Name: "Acme UK"}, fault.Internal, ""},
		{"an analyst", analyst, catalog.Brand{ID: "acme-uk", Name: "Acme UK", Prefixes: []string{brandA}}, fault.Forbidden, ""},
		{"a bad id", admin, catalog.Brand{ID: "Acme UK", Name: "Acme UK"}, fault.Invalid, "/id"},
		{"no name", admin, catalog.Brand{ID: "acme-uk", Name: " "}, fault.Invalid, "/name"},
		{"a bad prefix", admin, catalog.Brand{ID: "acme-uk", Name: "Acme UK", Prefixes: []string{"950"}}, fault.Invalid, "/prefixes/0"},
		{"a taken id", admin, catalog.Brand{ID: "acme", Name: "Acme again"}, fault.Conflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, _ := newCatalog(t)
			got, err := svc.CreateBrand(ctx, tt.who, tt.b)
			if tt.kind == fault.Internal {
				if err != nil || got.Version != 1 || got.ID != tt.b.ID {
					t.Fatalf("create: %+v %v", got, err)
				}
				if stored, err := svc.GetBrand(ctx, tt.b.ID); err != nil || !slices.IsSorted(stored.Prefixes) {
					t.Fatalf("stored %+v %v, want sorted prefixes", stored, err)
				}
				return
			}
			assertKind(t, err, tt.kind, tt.field)
		})
	}
}

func TestUpdateBrand_NeedsIfMatchAndTheBrand(t *testing.T) {
	t.Parallel()
	svc, _ := newCatalog(t)
	ctx := context.Background()
	renamed := catalog.Brand{ID: "acme", Name: "Acme Foods", Prefixes: []string{brandA}}
	_, err := svc.UpdateBrand(ctx, owner, renamed, app.Precondition{})
	assertKind(t, err, fault.PreconditionRequired, "")
	_, err = svc.UpdateBrand(ctx, owner, renamed, ifMatch(`"v2"`))
	assertKind(t, err, fault.PreconditionFailed, "")
	// ownerB acts for the prefixes it writes, but not for brand acme.
	_, err = svc.UpdateBrand(ctx, ownerB, catalog.Brand{ID: "acme", Name: "Mine", Prefixes: []string{brandB}}, ifMatch(`"v1"`))
	assertKind(t, err, fault.Forbidden, "")
	_, err = svc.UpdateBrand(ctx, owner, catalog.Brand{ID: "acme", Name: "Acme", Prefixes: []string{brandB}}, ifMatch(`"v1"`))
	assertKind(t, err, fault.Forbidden, "")
	_, err = svc.UpdateBrand(ctx, owner, catalog.Brand{ID: "nobody", Name: "N", Prefixes: []string{brandA}}, ifMatch(`"v1"`))
	assertKind(t, err, fault.NotFound, "")
	got, err := svc.UpdateBrand(ctx, owner, renamed, ifMatch(`"v1"`))
	if err != nil || got.Version != 2 || got.Name != "Acme Foods" {
		t.Fatalf("update: %+v %v", got, err)
	}
	if b, _ := svc.GetBrand(ctx, "acme"); b.Version != 2 || b.Name != "Acme Foods" {
		t.Fatalf("stored %+v", b)
	}
	_, err = svc.GetBrand(ctx, "Acme")
	assertKind(t, err, fault.Invalid, "brand")
}

func TestListBrands_PagesInIdOrder(t *testing.T) {
	t.Parallel()
	svc, _ := newCatalog(t)
	ctx := context.Background()
	page, err := svc.ListBrands(ctx, "", 2)
	if err != nil || len(page.Items) != 2 || page.Items[0].ID != "acme" || page.Items[1].ID != "bravo" || page.Next == "" {
		t.Fatalf("first page %+v, %v", page, err)
	}
	page, err = svc.ListBrands(ctx, page.Next, 2)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != "other" || page.Next != "" {
		t.Fatalf("second page %+v, %v", page, err)
	}
	_, err = svc.ListBrands(ctx, "", app.MaxPageSize+1)
	assertKind(t, err, fault.Invalid, "limit")
}

// record is an import record of GTIN g naming brand (an id the mapper made
// from the source's brand name).
func record(source, g, brand, brandName string) app.ImportRecord {
	p := apptest.Product(g, brand)
	p.NutriScore = nutriscore.Result{}
	return app.ImportRecord{Source: source, Product: p, BrandName: brandName}
}

func TestImportProducts_StoresTheGoodRecordsAndReportsTheBad(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	ctx := context.Background()
	badFacts := record("f.jsonl:3", gtinNone, "new-co", "New Co")
	badFacts.Product.Allergens = []catalog.Allergen{"shellfish"}
	badFacts.Product.Names = map[string]string{"en_GB": "Biscuits"}
	older := record("f.jsonl:5", gtinA2, "acme", "")
	older.Product.Origin = "Older record"
	batch := app.ImportBatch{
		Records: []app.ImportRecord{
			record("f.jsonl:1", gtinA, "acme-old-name", "ACME (old name)"), // held by acme through its prefix
			record("f.jsonl:2", "09506000134353", "acme", "Acme"),          // wrong check digit
			badFacts,
			record("f.jsonl:4", "09520123000011", "fresh-co", "  Fresh Co "), // bravo holds it through 9520123
			older,
			record("f.jsonl:6", "05099999000004", "new-co", "New Co"),
			record("f.jsonl:7", "05099999000011", "no-name", ""),
			record("f.jsonl:8", gtinA2, "acme", ""), // the same GTIN again: the later record wins
		},
		Checkpoint: &app.Checkpoint{Source: "sha256:f", Offset: 800, Records: 8},
	}
	res, err := svc.ImportProducts(ctx, admin, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 5 || res.Updated != 0 || res.Unchanged != 0 || len(res.Rejected) != 2 {
		t.Fatalf("result %+v", res)
	}
	if r := res.Rejected[0]; r.Source != "f.jsonl:2" || r.GTIN != "09506000134353" || !slices.Equal(r.Fields, []string{"gtin"}) ||
		r.Reason != "gtin has a wrong check digit" {
		t.Errorf("first rejection %+v", r)
	}
	if r := res.Rejected[1]; r.Source != "f.jsonl:3" || r.GTIN != gtinNone || !slices.Contains(r.Fields, "/allergens/0") ||
		!slices.Contains(r.Fields, "/names/en_GB") || r.Reason == "" {
		t.Errorf("second rejection %+v", r)
	}

	brandOf := func(g string) string {
		t.Helper()
		p, err := cat.GetProduct(ctx, g)
		if err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		if p.NutriScore.Status != nutriscore.StatusComputed {
			t.Errorf("%s: Nutri-Score not computed: %+v", g, p.NutriScore)
		}
		return p.BrandID
	}
	for g, want := range map[string]string{gtinA: "acme", "09520123000011": "bravo", "05099999000004": "new-co", "05099999000011": "no-name"} {
		if got := brandOf(g); got != want {
			t.Errorf("brand of %s: %s, want %s", g, got, want)
		}
	}
	if p, _ := cat.GetProduct(ctx, gtinA2); p.Origin != "United Kingdom" {
		t.Errorf("duplicate GTIN: origin %q, want the later record's", p.Origin)
	}
	for id, name := range map[string]string{"new-co": "New Co", "no-name": "no-name"} {
		if b, err := cat.GetBrand(ctx, id); err != nil || b.Name != name || len(b.Prefixes) != 0 {
			t.Errorf("created brand %s: %+v %v, want name %q", id, b, err, name)
		}
	}
	for _, id := range []string{"acme-old-name", "fresh-co"} {
		if _, err := cat.GetBrand(ctx, id); !fault.Is(err, fault.NotFound) {
			t.Errorf("brand %s created although a registered brand holds its GTIN: %v", id, err)
		}
	}
	if cp, ok, err := svc.ImportCheckpoint(ctx, admin, "sha256:f"); err != nil || !ok || cp.Offset != 800 || cp.Records != 8 {
		t.Fatalf("checkpoint %+v %v %v", cp, ok, err)
	}
	if n := len(cat.Published()); n != 5 {
		t.Fatalf("%d events published, want 5", n)
	}

	// The same batch again changes nothing.
	res, err = svc.ImportProducts(ctx, admin, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 0 || res.Unchanged != 5 || len(res.Rejected) != 2 {
		t.Fatalf("second run %+v", res)
	}
	if n := len(cat.Published()); n != 5 {
		t.Fatalf("a repeated import published %d more events", n-5)
	}
	if err := svc.FinishImport(ctx, admin, "sha256:f"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := svc.ImportCheckpoint(ctx, admin, "sha256:f"); ok {
		t.Fatal("checkpoint kept after FinishImport")
	}

	var total app.ImportResult
	total.Add(app.ImportResult{Created: 1, Rejected: []app.RecordError{{Source: "a"}}})
	total.Add(app.ImportResult{Updated: 2, Unchanged: 3, Rejected: []app.RecordError{{Source: "b"}}})
	if total.Created != 1 || total.Updated != 2 || total.Unchanged != 3 || len(total.Rejected) != 2 {
		t.Fatalf("sum %+v", total)
	}
}

func TestImportProducts_IsForAdminsOnly(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	ctx := context.Background()
	batch := app.ImportBatch{Records: []app.ImportRecord{record("x:1", gtinA, "acme", "Acme")},
		Checkpoint: &app.Checkpoint{Source: "s", Offset: 1, Records: 1}}
	for _, who := range []app.Actor{owner, analyst, shopper, {}} {
		_, err := svc.ImportProducts(ctx, who, batch)
		assertKind(t, err, fault.Forbidden, "")
		_, _, err = svc.ImportCheckpoint(ctx, who, "s")
		assertKind(t, err, fault.Forbidden, "")
		assertKind(t, svc.FinishImport(ctx, who, "s"), fault.Forbidden, "")
	}
	if _, err := cat.GetProduct(ctx, gtinA); !fault.Is(err, fault.NotFound) {
		t.Fatalf("a refused import stored a product: %v", err)
	}
	if _, ok, _ := cat.Checkpoint(ctx, "s"); ok {
		t.Fatal("a refused import stored its checkpoint")
	}
}

func TestImportProducts_RegisteredBrandWinsOverTheRecordsBrand(t *testing.T) {
	t.Parallel()
	svc, cat := newCatalog(t)
	ctx := context.Background()
	// The record names no usable brand (an id the catalog would refuse),
	// but brand acme holds its GTIN's company prefix.
	r := record("x:1", gtinA, "Not A Slug!", "")
	res, err := svc.ImportProducts(ctx, admin, app.ImportBatch{Records: []app.ImportRecord{r}})
	if err != nil || res.Created != 1 || len(res.Rejected) != 0 {
		t.Fatalf("import %+v %v", res, err)
	}
	if p, err := cat.GetProduct(ctx, gtinA); err != nil || p.BrandID != "acme" {
		t.Fatalf("stored %+v %v, want brand acme", p.BrandID, err)
	}
}
