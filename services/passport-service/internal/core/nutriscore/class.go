package nutriscore

import "strings"

// Class is the Nutri-Score 2023 computation family of a product.
type Class string

// The computation families. Red meat and cheese use the general tables with
// their own protein rule; fats/oils/nuts/seeds, beverages and waters have
// their own tables or grade.
const (
	// General is any food not in another family.
	General Class = "general"
	// RedMeat is a general food from red meat, whose protein points are capped at 2.
	RedMeat Class = "red_meat"
	// Cheese is a general food whose protein points always count.
	Cheese Class = "cheese"
	// FatsOilsNutsSeeds uses energy from saturates and the saturated-fat ratio.
	FatsOilsNutsSeeds Class = "fats_oils_nuts_seeds"
	// Beverage uses the beverage tables and never gets an A.
	Beverage Class = "beverage"
	// Water always gets an A.
	Water Class = "water"
	// NotApplicable is a product the algorithm excludes (alcoholic drinks, baby food, herbs, spices, ...).
	NotApplicable Class = "not_applicable"
)

// ParseClass returns the Class spelled exactly s (as the constants are), and
// false for anything else.
func ParseClass(s string) (Class, bool) {
	switch c := Class(s); c {
	case General, RedMeat, Cheese, FatsOilsNutsSeeds, Beverage, Water, NotApplicable:
		return c, true
	}
	return "", false
}

// Category tag lists. OFF tags carry the whole hierarchy in categories_tags,
// so a product in "en:beers" also carries "en:alcoholic-beverages"; the lists
// therefore name the broad categories OFF itself tests, plus a few leaf tags
// for callers that pass a single tag.
var (
	// OFF Config_off.pm $options{categories_exempted_from_nutriscore}.
	exemptTags = []string{
		"en:alcoholic-beverages", "en:aromatic-herbs", "en:baby-foods", "en:baby-milks",
		"en:chewing-gum", "en:food-additives", "en:meal-replacements", "en:salts", "en:spices",
		"en:sugar-substitutes", "en:vinegars", "en:pet-food", "en:non-food-products",
	}
	// OFF Config_off.pm $options{categories_not_exempted_from_nutriscore}:
	// ready-to-drink tea and coffee stay scored even under an exempted parent.
	notExemptTags = []string{
		"en:tea-based-beverages", "en:iced-teas", "en:herbal-tea-beverages",
		"en:coffee-beverages", "en:coffee-drinks",
	}
	// OFF Food.pm is_water_for_nutrition_score keys on en:spring-waters; plain
	// and mineral waters are unflavoured waters too, so they are accepted.
	waterTags = []string{"en:waters", "en:spring-waters", "en:mineral-waters", "en:natural-mineral-waters"}
	// A water with any of these is a drink scored on its nutrients (OFF
	// excludes flavoured waters; sodas and sweetened drinks can sit under
	// en:waters in user-entered hierarchies).
	notPlainWaterTags = []string{
		"en:flavored-waters", "en:flavoured-waters", "en:sodas",
		"en:sweetened-beverages", "en:artificially-sweetened-beverages",
	}
	// OFF Food.pm is_beverage_for_nutrition_score_2023 (en:beverages,
	// en:beverage-preparations); milks, plant milks and dairy drinks are
	// beverages in 2023 (OFF tests/unit/nutriscore.t, expected result
	// milk.json whose hierarchy is en:dairies > en:milks only).
	beverageTags = []string{
		"en:beverages", "en:beverage-preparations", "en:milks", "en:plant-milks",
		"en:dairy-drinks", "en:dairy-drinks-substitutes",
	}
	// Not beverages even under a beverage parent: soups (OFF
	// categories_not_considered_as_beverages_for_nutriscore) and coconut milk
	// for cooking (OFF nutriscore.t; expected result fr-coconut-milk.json).
	notBeverageTags = []string{"en:soups", "en:plant-based-creams-for-cooking", "en:coconut-milks-and-creams"}
	// OFF Food.pm is_cheese_for_nutrition_score: en:cheeses except fromage blanc.
	cheeseTags    = []string{"en:cheeses"}
	notCheeseTags = []string{"fr:fromages-blancs"}
	// OFF Food.pm is_fat_oil_nuts_seeds_for_nutrition_score: en:fats,
	// en:creams, en:seeds, and nuts by WCO HS heading 08.01/08.02, processed
	// nuts 2008.11/2008.19, groundnuts 12.02. OFF reads the HS codes from
	// taxonomy properties this package does not have, so the nut categories
	// are listed by tag; the oil, butter and margarine tags are children of
	// en:fats, listed for callers that pass a leaf only.
	fatTags = []string{
		"en:fats", "en:creams", "en:seeds", "en:vegetable-oils", "en:olive-oils", "en:butters", "en:margarines",
		"en:nuts", "en:peanuts", "en:almonds", "en:hazelnuts", "en:walnuts", "en:cashew-nuts", "en:pistachios",
		"en:pecan-nuts", "en:macadamia-nuts", "en:brazil-nuts", "en:nut-butters", "en:peanut-butters",
	}
	// Chestnuts are excluded from the family (2022 report, quoted in Food.pm).
	notFatTags = []string{"en:chestnuts"}
	// OFF Food.pm is_red_meat_product_for_nutrition_score: HS headings
	// 02.01-02.06 (bovine, swine, sheep/goat, horse meat and offal); species
	// per the Nutriscore.pm comment (beef, veal, pork, lamb, game, horse,
	// donkey, goat, camel, kangaroo). en:beef is the tag of OFF's expected
	// result en-red-meat-category-no-ingredients.json; en:veal-meat and
	// en:lamb-meat are the tags OFF's Eco-Score code uses. OFF also counts
	// products whose ingredients are more than 10 % red meat; that needs the
	// ingredient list and is the caller's call (pass RedMeat to Compute).
	redMeatTags = []string{
		"en:beef", "en:beef-meat", "en:veal", "en:veal-meat", "en:pork", "en:pork-meat", "en:lamb",
		"en:lamb-meat", "en:mutton", "en:horse-meat", "en:venison", "en:game-meat", "en:goat-meat",
	}
)

// ClassifyCategories maps Open Food Facts category tags (categories_tags,
// which holds the whole hierarchy, e.g. "en:cheeses", "en:waters",
// "en:alcoholic-beverages", "en:olive-oils", "en:beef") to a Class. Tags are
// compared case-insensitively after trimming spaces and keep their language
// prefix. The first rule that matches wins:
//
//  1. NotApplicable: an OFF-exempted category (alcoholic beverages, herbs,
//     baby food, chewing gum, additives, meal replacements, salts, spices,
//     sweeteners, vinegars, pet food, non-food) unless a ready-to-drink tea or
//     coffee tag is present.
//  2. Water: a water tag without a flavoured-water, soda or sweetened tag.
//  3. Beverage: beverages, beverage preparations, milks, plant milks, dairy
//     drinks, except soups and coconut milk for cooking.
//  4. Cheese: en:cheeses except fr:fromages-blancs.
//  5. FatsOilsNutsSeeds: fats, creams, seeds, nuts and nut butters, except chestnuts.
//  6. RedMeat: beef, veal, pork, lamb, mutton, horse, game, goat.
//  7. General: anything else, including no tags at all.
//
// The sources of each list are given where the lists are declared.
func ClassifyCategories(tags []string) Class {
	set := make(map[string]struct{}, len(tags))
	for _, t := range tags {
		set[strings.ToLower(strings.TrimSpace(t))] = struct{}{}
	}
	has := func(list []string) bool {
		for _, t := range list {
			if _, ok := set[t]; ok {
				return true
			}
		}
		return false
	}
	switch {
	case has(exemptTags) && !has(notExemptTags):
		return NotApplicable
	case has(waterTags) && !has(notPlainWaterTags):
		return Water
	case (has(beverageTags) || has(waterTags)) && !has(notBeverageTags):
		return Beverage
	case has(cheeseTags) && !has(notCheeseTags):
		return Cheese
	case has(fatTags) && !has(notFatTags):
		return FatsOilsNutsSeeds
	case has(redMeatTags):
		return RedMeat
	}
	return General
}
