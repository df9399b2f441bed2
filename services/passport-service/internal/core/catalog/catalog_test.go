package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

func ptr(v float64) *float64 { return &v }

func validProduct() catalog.Product {
	return catalog.Product{
		GTIN: "9506000134390", BrandID: "dal-giardino",
		Names:       map[string]string{"en": "Pesto", "it": "Pesto alla genovese"},
		NetContent:  &catalog.Quantity{Value: 190, Unit: catalog.Gram},
		Categories:  []string{"en:condiments", "en:sauces", "en:pestos"},
		Ingredients: map[string]string{"en": "Basil, _milk_"},
		Allergens:   []catalog.Allergen{catalog.Nuts, catalog.Milk, catalog.Milk},
		Nutrition: &catalog.Nutrition{Per: catalog.Per100g, EnergyKJ: ptr(2011), Fat: ptr(49), SaturatedFat: ptr(7.2),
			Carbohydrates: ptr(5.8), Sugars: ptr(4.2), Fibre: ptr(1.9), Protein: ptr(5), Salt: ptr(2.8)},
		Packaging: []catalog.PackagingComponent{{Shape: "jar", Material: "glass", Recycling: "recycle", Count: 1}},
		ImageURL:  "https://images.example/pesto.jpg",
	}
}

func TestNormalizeGTIN_PadsAndChecks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want, reason string }{
		{"9506000134390", "09506000134390", ""},
		{"09506000134390", "09506000134390", ""},
		{"96385074", "00000096385074", ""},
		{"036000291452", "00036000291452", ""},
		{"9506000134391", "", "has a wrong check digit"},
		{"950600013438", "", "has a wrong check digit"},
		{"95060001343", "", "must be a GTIN of 8, 12, 13 or 14 digits"},
		{"95060001343x0", "", "must be a GTIN of 8, 12, 13 or 14 digits"},
		{"", "", "must be a GTIN of 8, 12, 13 or 14 digits"},
	} {
		got, reason := catalog.NormalizeGTIN(tc.in)
		if got != tc.want || reason != tc.reason {
			t.Errorf("NormalizeGTIN(%q) = %q, %q; want %q, %q", tc.in, got, reason, tc.want, tc.reason)
		}
	}
}

func TestProduct_ValidateNormalises(t *testing.T) {
	t.Parallel()
	p := validProduct()
	if err := p.Validate(); err != nil {
		t.Fatalf("valid product: %v", err)
	}
	if p.GTIN != "09506000134390" {
		t.Errorf("GTIN = %s, want 14 digits", p.GTIN)
	}
	if want := []catalog.Allergen{catalog.Milk, catalog.Nuts}; !slices.Equal(p.Allergens, want) {
		t.Errorf("allergens = %v, want %v (display order, no duplicates)", p.Allergens, want)
	}
}

func TestProduct_ValidateNamesEveryBadField(t *testing.T) {
	t.Parallel()
	p := validProduct()
	p.GTIN = "9506000134391"
	p.BrandID = "Dal Giardino"
	p.Names = map[string]string{"english": "Pesto", "fr": " "}
	p.NetContent = &catalog.Quantity{Value: -1, Unit: "lb"}
	p.Allergens = []catalog.Allergen{"milk", "pine-nuts"}
	p.Nutrition.Sugars = ptr(9)
	p.Nutrition.SaturatedFat = ptr(60)
	p.Nutrition.Per = "serving"
	p.Packaging = []catalog.PackagingComponent{{Count: 0}}
	p.ImageURL = "ftp://images.example/p.jpg"
	p.NutriScoreClass = "snack"
	err := p.Validate()
	if !fault.Is(err, fault.Invalid) {
		t.Fatalf("err = %v, want Invalid", err)
	}
	var fields []string
	for _, f := range fault.FieldsOf(err) {
		fields = append(fields, f.Field)
	}
	for _, want := range []string{"gtin", "/brand", "/names/english", "/names/fr", "/netContent/value", "/netContent/unit",
		"/allergens/1", "/nutrition/per", "/nutrition/sugars", "/nutrition/saturatedFat", "/packaging/0", "/packaging/0/count",
		"/imageUrl", "/nutriScoreClass"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no field error for %s (got %v)", want, fields)
		}
	}
}

func TestBrand_ValidateAndHoldsGTIN(t *testing.T) {
	t.Parallel()
	b := catalog.Brand{ID: "dal-giardino", Name: "Dal Giardino", Prefixes: []string{"9506000", "9506000", "0614141"}}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Prefixes, []string{"0614141", "9506000"}) {
		t.Errorf("prefixes = %v, want sorted, deduplicated", b.Prefixes)
	}
	if !b.HoldsGTIN("09506000134390") || b.HoldsGTIN("03017620422003") || b.HoldsGTIN("9506000134390") {
		t.Error("HoldsGTIN misreads the company prefix after the indicator digit")
	}
	bad := catalog.Brand{ID: "-x", Name: "", Prefixes: []string{"12"}}
	if n := len(fault.FieldsOf(bad.Validate())); n != 3 {
		t.Errorf("bad brand: %d field errors, want 3", n)
	}
}

func TestProduct_ComputeClassifiesAndScores(t *testing.T) {
	t.Parallel()
	p := validProduct()
	p.Compute()
	if p.NutriScore.Status != nutriscore.StatusComputed || p.NutriScore.Class != nutriscore.General || p.NutriScore.Grade == "" {
		t.Errorf("pesto: %+v", p.NutriScore)
	}
	p.Categories = []string{"en:beverages", "en:waters"}
	p.Compute()
	if p.NutriScore.Class != nutriscore.Water || p.NutriScore.Grade != "A" {
		t.Errorf("water: %+v", p.NutriScore)
	}
	p.NutriScoreClass = nutriscore.NotApplicable
	p.Compute()
	if p.NutriScore.Status != nutriscore.StatusNotApplicable {
		t.Errorf("override: %+v", p.NutriScore)
	}
	p.NutriScoreClass, p.Nutrition, p.Categories = "", nil, nil
	p.Compute()
	if p.NutriScore.Status != nutriscore.StatusUnknown || len(p.NutriScore.Missing) == 0 {
		t.Errorf("no nutrition: %+v", p.NutriScore)
	}
}

func TestProduct_NamePicksLanguage(t *testing.T) {
	t.Parallel()
	p := catalog.Product{Names: map[string]string{"it": "Pesto alla genovese", "fr": "Pesto à la génoise", "en": "Pesto"}}
	for _, tc := range []struct {
		langs []string
		want  string
	}{{[]string{"fr"}, "Pesto à la génoise"}, {[]string{"de", "it"}, "Pesto alla genovese"}, {[]string{"de"}, "Pesto"}} {
		if got := p.Name(tc.langs...); got != tc.want {
			t.Errorf("Name(%v) = %q, want %q", tc.langs, got, tc.want)
		}
	}
	q := catalog.Product{Names: map[string]string{"it": "B", "de": "A"}}
	if got := q.Name("en"); got != "A" {
		t.Errorf("fallback = %q, want the smallest tag's (de)", got)
	}
}

func TestAllergen_Regimes(t *testing.T) {
	t.Parallel()
	var eu, us int
	for _, a := range catalog.Allergens {
		if a.EU() {
			eu++
		}
		if a.US() {
			us++
		}
	}
	if eu != 14 || us != 9 {
		t.Errorf("EU %d, US %d; want 14 and 9", eu, us)
	}
	if a, ok := catalog.OFFTag("en:sesame-seeds"); !ok || a != catalog.Sesame {
		t.Error("OFF sesame tag not mapped")
	}
	if _, ok := catalog.OFFTag("en:pine-nuts"); ok {
		t.Error("unknown OFF tag mapped")
	}
}

func FuzzNormalizeGTIN(f *testing.F) {
	for _, s := range []string{"9506000134390", "96385074", "036000291452", "x", "", "00000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, reason := catalog.NormalizeGTIN(s)
		if (g == "") == (reason == "") {
			t.Fatalf("NormalizeGTIN(%q) = %q, %q", s, g, reason)
		}
		if g != "" && (len(g) != 14 || !strings.HasSuffix(g, s)) {
			t.Fatalf("NormalizeGTIN(%q) = %q", s, g)
		}
	})
}
