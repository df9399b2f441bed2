package offimport_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/offimport"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }

// mapOne decodes a single-record input and fails unless it maps.
func mapOne(t *testing.T, in string) app.ImportRecord {
	t.Helper()
	recs := decodeAll(t, strings.NewReader(in), offimport.Options{Name: "in"})
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	if recs[0].Err != nil {
		t.Fatalf("record error: %v", recs[0].Err)
	}
	return recs[0].Item
}

func sample(t *testing.T, gtin string) app.ImportRecord {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "off", gtin+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return mapOne(t, string(data))
}

func TestMapping_SampleProducts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		gtin  string
		brand string
		want  catalog.Product
	}{
		{"3222473161867", "Casino", catalog.Product{
			GTIN: "03222473161867", BrandID: "casino",
			Names:      map[string]string{"fr": "Macédoine de Légumes - mayonnaise"},
			NetContent: &catalog.Quantity{Value: 300, Unit: catalog.Gram},
			Category:   "en:vegetables-macedoines",
			Allergens:  []catalog.Allergen{catalog.Eggs, catalog.Mustard},
			Traces: []catalog.Allergen{catalog.Gluten, catalog.Crustaceans, catalog.Fish, catalog.Soybeans, catalog.Milk,
				catalog.Nuts, catalog.Celery, catalog.Sesame, catalog.Molluscs},
			Nutrition: &catalog.Nutrition{Per: catalog.Per100g, EnergyKJ: f(389), EnergyKcal: f(93), Fat: f(6), SaturatedFat: f(0.5),
				Carbohydrates: f(4.7), Sugars: f(1.2), Fibre: f(4.5), Protein: f(2.7), Salt: f(1.01), Sodium: f(0.404),
				// the estimate from ingredients (16), not the declared 80
				FruitVegLegumes: f(16), NonNutritiveSweeteners: b(false)},
			Packaging:   []catalog.PackagingComponent{{Shape: "tray", Material: "plastic", Count: 1}},
			ImageURL:    "https://static.openfoodfacts.net/images/products/322/247/316/1867/front_fr.6.400.jpg",
			Attribution: offimport.Attribution,
		}},
		{"3502110000880", "Pepsi", catalog.Product{
			GTIN: "03502110000880", BrandID: "pepsi",
			Names:      map[string]string{"fr": "Pepsi 2 L"},
			NetContent: &catalog.Quantity{Value: 2000, Unit: catalog.Millilitre},
			Category:   "en:sweetened-beverages",
			Nutrition: &catalog.Nutrition{Per: catalog.Per100ml, EnergyKJ: f(185), EnergyKcal: f(44), Fat: f(0), SaturatedFat: f(0),
				Carbohydrates: f(10.9), Sugars: f(10.9), Protein: f(0), Salt: f(0.01), Sodium: f(0.004),
				FruitVegLegumes: f(0), NonNutritiveSweeteners: b(false)},
			Packaging:   []catalog.PackagingComponent{{Shape: "bottle", Material: "pet polyethylene terephthalate", Count: 1}},
			ImageURL:    "https://static.openfoodfacts.net/images/products/350/211/000/0880/front_fr.4.400.jpg",
			Attribution: offimport.Attribution,
		}},
		{"7640101710236", "", catalog.Product{ // old and sparse: no name, brand, quantity or nutrition
			GTIN: "07640101710236", BrandID: offimport.UnknownBrand,
			ImageURL:    "https://static.openfoodfacts.net/images/products/764/010/171/0236/front_fr.3.400.jpg",
			Attribution: offimport.Attribution,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.gtin, func(t *testing.T) {
			t.Parallel()
			got := sample(t, tt.gtin)
			if got.BrandName != tt.brand {
				t.Errorf("brand name %q, want %q", got.BrandName, tt.brand)
			}
			p := got.Product
			p.Ingredients = nil // long texts, checked elsewhere
			p.Categories = nil
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("product\n got %s\nwant %s", dump(p), dump(tt.want))
			}
		})
	}
}

func TestMapping_AllSamplesMapAndMostValidate(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "off", "*.json"))
	if err != nil || len(files) != 26 {
		t.Fatalf("want the 26 samples, got %d (%v)", len(files), err)
	}
	var invalid []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rec := mapOne(t, string(data))
		if rec.Source != "in:#1" {
			t.Errorf("%s: source %q", name, rec.Source)
		}
		if !strings.HasSuffix(rec.Product.GTIN, strings.TrimSuffix(filepath.Base(name), ".json")) {
			t.Errorf("%s: GTIN %q", name, rec.Product.GTIN)
		}
		p := rec.Product
		if err := p.Validate(); err != nil {
			invalid = append(invalid, filepath.Base(name))
		}
	}
	// The one sample without any name cannot be stored.
	if want := []string{"7640101710236.json"}; !reflect.DeepEqual(invalid, want) {
		t.Errorf("invalid samples %v, want %v", invalid, want)
	}
}

func TestMapping_Fields(t *testing.T) {
	t.Parallel()
	const code = `"code":"3222473161867"`
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, r app.ImportRecord)
	}{
		{"names per language, main name in lang, debug keys ignored",
			`{` + code + `,"lang":"de","lc":"fr","product_name":"Haupt","product_name_fr":" Nom ","product_name_en":"",` +
				`"product_name_fr_imported":"x","product_name_de_debug_tags":[],"ingredients_text":"Zucker","ingredients_text_it":"zucchero"}`,
			func(t *testing.T, r app.ImportRecord) {
				wantMap(t, "names", r.Product.Names, map[string]string{"de": "Haupt", "fr": "Nom"})
				wantMap(t, "ingredients", r.Product.Ingredients, map[string]string{"de": "Zucker", "it": "zucchero"})
			}},
		{"language-specific name wins over the main one, lc when lang is missing",
			`{` + code + `,"lc":"fr","product_name":"Main","product_name_fr":"Spécifique"}`,
			func(t *testing.T, r app.ImportRecord) {
				wantMap(t, "names", r.Product.Names, map[string]string{"fr": "Spécifique"})
			}},
		{"no language at all",
			`{` + code + `,"product_name":"X"}`,
			func(t *testing.T, r app.ImportRecord) {
				wantMap(t, "names", r.Product.Names, map[string]string{"und": "X"})
			}},
		{"first brand, slug id",
			`{` + code + `,"brands":" Lindt & Sprüngli , Lindt"}`,
			func(t *testing.T, r app.ImportRecord) {
				if r.BrandName != "Lindt & Sprüngli" || r.Product.BrandID != "lindt-sprungli" {
					t.Errorf("brand %q / %q", r.BrandName, r.Product.BrandID)
				}
			}},
		{"numeric code, product_quantity with unit, categories",
			`{"code":3222473161867,"product_quantity":"1.5","product_quantity_unit":"L","quantity":"3 x 50 cl",` +
				`"categories_tags":["en:beverages","en:waters",7]}`,
			func(t *testing.T, r app.ImportRecord) {
				p := r.Product
				if p.GTIN != "03222473161867" {
					t.Errorf("GTIN %q", p.GTIN)
				}
				if p.NetContent == nil || *p.NetContent != (catalog.Quantity{Value: 1.5, Unit: catalog.Litre}) {
					t.Errorf("net content %+v", p.NetContent)
				}
				if !reflect.DeepEqual(p.Categories, []string{"en:beverages", "en:waters"}) || p.Category != "en:waters" {
					t.Errorf("categories %v / %q", p.Categories, p.Category)
				}
			}},
		{"nutrition from strings, energy_100g as kJ, per 100 ml for liquids",
			`{` + code + `,"product_quantity_unit":"ml","product_quantity":330,"nutriments":{"energy_100g":"180","energy-kcal_100g":43,` +
				`"fat_100g":"0,5","sugars_100g":"n/a","salt_100g":null,"fruits-vegetables-nuts_100g":20,"fruits-vegetables-nuts-estimate-from-ingredients_100g":12}}`,
			func(t *testing.T, r app.ImportRecord) {
				want := &catalog.Nutrition{Per: catalog.Per100ml, EnergyKJ: f(180), EnergyKcal: f(43), Fat: f(0.5), FruitVegLegumes: f(12)}
				if !reflect.DeepEqual(r.Product.Nutrition, want) {
					t.Errorf("nutrition %s, want %s", dump(r.Product.Nutrition), dump(want))
				}
			}},
		{"energy-kj_100g wins, nutrition_data_per 100ml",
			`{` + code + `,"nutrition_data_per":"100ml","nutriments":{"energy_100g":1,"energy-kj_100g":2}}`,
			func(t *testing.T, r app.ImportRecord) {
				n := r.Product.Nutrition
				if n == nil || *n.EnergyKJ != 2 || n.Per != catalog.Per100ml {
					t.Errorf("nutrition %s", dump(n))
				}
			}},
		{"no nutrition table", `{` + code + `,"nutriments":{"nova-group_100g":4,"fruits-vegetables-nuts-estimate-from-ingredients_100g":0}}`,
			func(t *testing.T, r app.ImportRecord) {
				if r.Product.Nutrition != nil {
					t.Errorf("nutrition %s, want nil", dump(r.Product.Nutrition))
				}
			}},
		{"no_nutrition_data", `{` + code + `,"no_nutrition_data":"on","nutriments":{"fat_100g":1}}`,
			func(t *testing.T, r app.ImportRecord) {
				if r.Product.Nutrition != nil {
					t.Errorf("nutrition %s, want nil", dump(r.Product.Nutrition))
				}
			}},
		{"allergens and traces via OFF tags, unknown ignored, sorted",
			`{` + code + `,"allergens_tags":["en:milk","en:gluten","en:milk","fr:truc",3],"traces_tags":["en:sesame-seeds","en:sulphur-dioxide-and-sulphites"]}`,
			func(t *testing.T, r app.ImportRecord) {
				if !reflect.DeepEqual(r.Product.Allergens, []catalog.Allergen{catalog.Gluten, catalog.Milk}) ||
					!reflect.DeepEqual(r.Product.Traces, []catalog.Allergen{catalog.Sesame, catalog.Sulphites}) {
					t.Errorf("allergens %v traces %v", r.Product.Allergens, r.Product.Traces)
				}
			}},
		{"packaging in the newer object form",
			`{` + code + `,"packagings":[{"shape":{"id":"en:bottle"},"material":{"id":"en:pet-1-polyethylene-terephthalate"},` +
				`"recycling":{"id":"en:recycle-in-sorting-bin"},"number_of_units":"2"},{"shape":"en:unknown","material":"en:unknown"},` +
				`{"material":"en:glass","number_of_units":0},"junk"]}`,
			func(t *testing.T, r app.ImportRecord) {
				want := []catalog.PackagingComponent{
					{Shape: "bottle", Material: "pet 1 polyethylene terephthalate", Recycling: "recycle in sorting bin", Count: 2},
					{Material: "glass", Count: 1},
				}
				if !reflect.DeepEqual(r.Product.Packaging, want) {
					t.Errorf("packaging %+v", r.Product.Packaging)
				}
			}},
		{"origin and image fallback",
			`{` + code + `,"origins":" France ","image_url":"https://img/x.jpg","image_front_url":""}`,
			func(t *testing.T, r app.ImportRecord) {
				if r.Product.Origin != "France" || r.Product.ImageURL != "https://img/x.jpg" {
					t.Errorf("origin %q image %q", r.Product.Origin, r.Product.ImageURL)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, mapOne(t, tt.in))
		})
	}
}

func TestMapping_NonNutritiveSweeteners(t *testing.T) {
	t.Parallel()
	const head = `{"code":"3222473161867","nutriments":{"sugars_100g":0}`
	tests := []struct {
		name string
		in   string
		want *bool
	}{
		{"aspartame", head + `,"additives_tags":["en:e330","en:e951"]}`, b(true)},
		{"steviol glycoside sub-number", head + `,"additives_tags":["en:e960a"]}`, b(true)},
		{"advantame without ingredient text", head + `,"additives_tags":["en:e969"]}`, b(true)},
		{"OFF's count", head + `,"ingredients_non_nutritive_sweeteners_n":1}`, b(true)},
		{"erythritol does not count", head + `,"ingredients_text":"water, erythritol","additives_tags":["en:e968"]}`, b(false)},
		{"not an E-number that merely starts alike", head + `,"ingredients_text":"x","additives_tags":["en:e9600"]}`, b(false)},
		{"ingredients known, none", head + `,"ingredients_text":"water","additives_tags":[]}`, b(false)},
		{"ingredients unknown", head + `}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := mapOne(t, tt.in).Product.Nutrition
			if n == nil {
				t.Fatal("no nutrition")
			}
			if !reflect.DeepEqual(n.NonNutritiveSweeteners, tt.want) {
				t.Errorf("NonNutritiveSweeteners %v, want %v", dump(n.NonNutritiveSweeteners), dump(tt.want))
			}
		})
	}
}

func TestParseQuantity_Texts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want *catalog.Quantity
	}{
		{"300 g", &catalog.Quantity{Value: 300, Unit: catalog.Gram}},
		{"400     g", &catalog.Quantity{Value: 400, Unit: catalog.Gram}},
		{"420g", &catalog.Quantity{Value: 420, Unit: catalog.Gram}},
		{"125 g e", &catalog.Quantity{Value: 125, Unit: catalog.Gram}},
		{"23,2 g", &catalog.Quantity{Value: 23.2, Unit: catalog.Gram}},
		{"1,5 L", &catalog.Quantity{Value: 1.5, Unit: catalog.Litre}},
		{"750 ML", &catalog.Quantity{Value: 750, Unit: catalog.Millilitre}},
		{"33 cl", &catalog.Quantity{Value: 33, Unit: catalog.Centilitre}},
		{"2 dl", &catalog.Quantity{Value: 20, Unit: catalog.Centilitre}},
		{"1 kg", &catalog.Quantity{Value: 1, Unit: catalog.Kilogram}},
		{"500 mg", &catalog.Quantity{Value: 500, Unit: catalog.Milligram}},
		{"6 x 33 cl", &catalog.Quantity{Value: 198, Unit: catalog.Centilitre}},
		{"4x125g", &catalog.Quantity{Value: 500, Unit: catalog.Gram}},
		{"2 × 1,5 l", &catalog.Quantity{Value: 3, Unit: catalog.Litre}},
		{"1 pint, 568 ml", &catalog.Quantity{Value: 568, Unit: catalog.Millilitre}},
		{"425 g (230 g égoutté)", &catalog.Quantity{Value: 425, Unit: catalog.Gram}},
		{"16 oz", &catalog.Quantity{Value: 453.592, Unit: catalog.Gram}},
		{"12 fl. oz", &catalog.Quantity{Value: 354.882, Unit: catalog.Millilitre}},
		{"12 pièces", &catalog.Quantity{Value: 12, Unit: catalog.Piece}},
		{"Pack e330 500 g", &catalog.Quantity{Value: 500, Unit: catalog.Gram}},
		{"1 gallon", nil},
		{"0 g", nil},
		{"", nil},
		{"gros pot", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := offimport.ParseQuantity(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseQuantity(%q) = %s, want %s", tt.in, dump(got), dump(tt.want))
			}
		})
	}
}

func TestBrandSlug_Names(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Nestlé":                "nestle",
		"Patak's":               "pataks",
		"Lindt & Sprüngli":      "lindt-sprungli",
		"  Minute Maid  ":       "minute-maid",
		"Müller Großbäckerei":   "muller-grossbackerei",
		"X":                     "brand-x",
		"":                      offimport.UnknownBrand,
		"--!!--":                "", // brand-<hash>, checked below
		strings.Repeat("a", 70): strings.Repeat("a", 64),
	}
	for name, want := range tests {
		got := offimport.BrandSlug(name)
		if name == "--!!--" {
			// a hash: only its shape is fixed
			if !strings.HasPrefix(got, "brand-") || !catalog.ValidBrandID(got) {
				t.Errorf("BrandSlug(%q) = %q, want brand-<hash>", name, got)
			}
			continue
		}
		if got != want || !catalog.ValidBrandID(got) {
			t.Errorf("BrandSlug(%q) = %q, want %q", name, got, want)
		}
	}
	if a, b := offimport.BrandSlug("農夫山泉"), offimport.BrandSlug("康师傅"); a == b || !catalog.ValidBrandID(a) {
		t.Errorf("non-Latin names %q and %q must give distinct valid ids", a, b)
	}
}

func wantMap(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s %v, want %v", what, got, want)
	}
}

func dump(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(out)
}
