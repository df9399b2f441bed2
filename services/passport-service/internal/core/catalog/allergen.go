package catalog

import "slices"

// Allergen identifies a substance that must be declared on food labels in
// the EU (Regulation (EU) No 1169/2011, Annex II: 14 items) or the US (the
// 9 major food allergens: FALCPA 2004 plus sesame under the FASTER Act, from
// 2023-01-01). Sources: ../shared/facts/food-domain.md section 5.
type Allergen string

// The union of the EU and US lists. EU "nuts" names eight tree nuts; the US
// "tree nuts" is broader, so both exist. The US lists wheat where the EU
// lists cereals containing gluten.
const (
	Gluten      Allergen = "gluten"
	Crustaceans Allergen = "crustaceans"
	Eggs        Allergen = "eggs"
	Fish        Allergen = "fish"
	Peanuts     Allergen = "peanuts"
	Soybeans    Allergen = "soybeans"
	Milk        Allergen = "milk"
	Nuts        Allergen = "nuts"
	Celery      Allergen = "celery"
	Mustard     Allergen = "mustard"
	Sesame      Allergen = "sesame"
	Sulphites   Allergen = "sulphites"
	Lupin       Allergen = "lupin"
	Molluscs    Allergen = "molluscs"
	Wheat       Allergen = "wheat"
	TreeNuts    Allergen = "tree_nuts"
)

// Allergens lists every Allergen in a fixed display order (EU Annex II
// order, then the US-only items).
var Allergens = []Allergen{Gluten, Crustaceans, Eggs, Fish, Peanuts, Soybeans, Milk, Nuts, Celery,
	Mustard, Sesame, Sulphites, Lupin, Molluscs, Wheat, TreeNuts}

// EU reports whether a is on the EU's Annex II list.
func (a Allergen) EU() bool { return a != Wheat && a != TreeNuts && a.Valid() }

// US reports whether a is one of the US major food allergens.
func (a Allergen) US() bool {
	switch a {
	case Milk, Eggs, Fish, Crustaceans, TreeNuts, Peanuts, Wheat, Soybeans, Sesame:
		return true
	}
	return false
}

// Valid reports whether a is a known allergen id.
func (a Allergen) Valid() bool { return slices.Contains(Allergens, a) }

// OFFTag maps an Open Food Facts allergens taxonomy tag (allergens_tags,
// traces_tags) to an Allergen. OFF's tags follow the EU list (food-domain.md
// section 2.3 and 5).
func OFFTag(tag string) (Allergen, bool) {
	switch tag {
	case "en:gluten":
		return Gluten, true
	case "en:crustaceans":
		return Crustaceans, true
	case "en:eggs":
		return Eggs, true
	case "en:fish":
		return Fish, true
	case "en:peanuts":
		return Peanuts, true
	case "en:soybeans":
		return Soybeans, true
	case "en:milk":
		return Milk, true
	case "en:nuts":
		return Nuts, true
	case "en:celery":
		return Celery, true
	case "en:mustard":
		return Mustard, true
	case "en:sesame-seeds":
		return Sesame, true
	case "en:sulphur-dioxide-and-sulphites":
		return Sulphites, true
	case "en:lupin":
		return Lupin, true
	case "en:molluscs":
		return Molluscs, true
	}
	return "", false
}

// Normalize sorts list in display order and drops duplicates; unknown ids
// stay (validation reports them), after the known ones.
func Normalize(list []Allergen) []Allergen {
	if len(list) == 0 {
		return nil
	}
	out := slices.Clone(list)
	rank := func(a Allergen) int {
		if i := slices.Index(Allergens, a); i >= 0 {
			return i
		}
		return len(Allergens)
	}
	slices.SortStableFunc(out, func(a, b Allergen) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return slices.Compact(out)
}
