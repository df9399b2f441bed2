package nutriscore_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

func TestClassifyCategories_Mapping(t *testing.T) {
	t.Parallel()
	// Hierarchies marked OFF are the categories_tags of OFF
	// tests/unit/expected_test_results/nutriscore/<file>.
	cases := []struct {
		name string
		tags []string
		want nutriscore.Class
	}{
		{"nil", nil, nutriscore.General},
		{"unknown tags", []string{"en:snacks", "xx:whatever"}, nutriscore.General},
		{"OFF fr-canned-green-beans", []string{"en:plant-based-foods-and-beverages", "en:plant-based-foods", "en:vegetables", "en:canned-vegetables", "en:canned-green-beans"}, nutriscore.General},
		{"OFF en-beers-category", []string{"en:beverages", "en:alcoholic-beverages", "en:beers"}, nutriscore.NotApplicable},
		{"OFF en-dill (herbs)", []string{"en:plant-based-foods", "en:condiments", "en:aromatic-herbs", "en:dill"}, nutriscore.NotApplicable},
		{"baby food", []string{"en:baby-foods", "en:fruit-purees-for-babies"}, nutriscore.NotApplicable},
		{"spices", []string{"en:condiments", "en:spices", "en:peppers"}, nutriscore.NotApplicable},
		{"exempted parent but ready-to-drink tea", []string{"en:beverages", "en:food-additives", "en:iced-teas"}, nutriscore.Beverage},
		{"OFF spring-water-no-nutrition", []string{"en:beverages", "en:waters", "en:spring-waters"}, nutriscore.Water},
		{"mineral water alone", []string{"en:mineral-waters"}, nutriscore.Water},
		{"OFF flavored spring water", []string{"en:beverages", "en:waters", "en:spring-waters", "en:flavored-waters"}, nutriscore.Beverage},
		{"OFF fr-orange-nectar", []string{"en:beverages-and-beverages-preparations", "en:beverages", "en:fruit-based-beverages", "en:fruit-nectars"}, nutriscore.Beverage},
		{"OFF en-coconut-water", []string{"en:beverages", "en:plant-based-foods", "en:fruits-based-foods", "en:coconuts-and-their-products", "en:coconut-waters"}, nutriscore.Beverage},
		{"OFF milk (not under en:beverages)", []string{"en:dairies", "en:milks"}, nutriscore.Beverage},
		{"plant milk", []string{"en:plant-based-foods-and-beverages", "en:plant-milks", "en:soy-milks"}, nutriscore.Beverage},
		{"OFF en-ground-coffee (beverage preparation)", []string{"en:beverages-and-beverages-preparations", "en:beverage-preparations", "en:coffees", "en:ground-coffees"}, nutriscore.Beverage},
		{"OFF fr-coconut-milk (for cooking)", []string{"en:plant-based-foods-and-beverages", "en:plant-based-foods", "en:plant-based-creams", "en:plant-based-creams-for-cooking", "en:coconut-milks-and-creams"}, nutriscore.General},
		{"soup under beverages", []string{"en:beverages", "en:soups"}, nutriscore.General},
		{"cheese", []string{"en:dairies", "en:fermented-foods", "en:cheeses", "en:cow-cheeses"}, nutriscore.Cheese},
		{"fromage blanc", []string{"en:dairies", "en:cheeses", "fr:fromages-blancs"}, nutriscore.General},
		{"OFF en-olive-oil", []string{"en:plant-based-foods-and-beverages", "en:plant-based-foods", "en:fats", "en:vegetable-fats", "en:olive-tree-products", "en:vegetable-oils", "en:olive-oils"}, nutriscore.FatsOilsNutsSeeds},
		{"olive oil leaf only", []string{"en:olive-oils"}, nutriscore.FatsOilsNutsSeeds},
		{"cream", []string{"en:dairies", "en:creams"}, nutriscore.FatsOilsNutsSeeds},
		{"peanut butter", []string{"en:spreads", "en:nut-butters", "en:peanut-butters"}, nutriscore.FatsOilsNutsSeeds},
		{"almonds", []string{"en:plant-based-foods", "en:nuts", "en:almonds"}, nutriscore.FatsOilsNutsSeeds},
		{"chestnuts are not nuts here", []string{"en:plant-based-foods", "en:nuts", "en:chestnuts"}, nutriscore.General},
		{"OFF en-red-meat-category-no-ingredients", []string{"en:meats-and-their-products", "en:beef-and-its-products", "en:meats", "en:beef", "en:steaks", "en:beef-steaks"}, nutriscore.RedMeat},
		{"lamb", []string{"en:meats", "en:lamb-meat"}, nutriscore.RedMeat},
		{"poultry", []string{"en:meats", "en:poultries", "en:chickens"}, nutriscore.General},
		{"case and spaces", []string{"  EN:Cheeses "}, nutriscore.Cheese},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := nutriscore.ClassifyCategories(tc.tags); got != tc.want {
				t.Errorf("ClassifyCategories(%q) = %q, want %q", tc.tags, got, tc.want)
			}
		})
	}
}

func TestParseClass_AcceptsOnlyTheConstants(t *testing.T) {
	t.Parallel()
	for _, c := range []nutriscore.Class{
		nutriscore.General, nutriscore.RedMeat, nutriscore.Cheese, nutriscore.FatsOilsNutsSeeds,
		nutriscore.Beverage, nutriscore.Water, nutriscore.NotApplicable,
	} {
		if got, ok := nutriscore.ParseClass(string(c)); !ok || got != c {
			t.Errorf("ParseClass(%q) = %q, %v", c, got, ok)
		}
	}
	for _, s := range []string{"", "General", " general", "red-meat", "pizza"} {
		if got, ok := nutriscore.ParseClass(s); ok || got != "" {
			t.Errorf("ParseClass(%q) = %q, %v; want refusal", s, got, ok)
		}
	}
}
