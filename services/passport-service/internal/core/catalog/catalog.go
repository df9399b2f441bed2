// Package catalog is the product catalog's domain: brands, products keyed by
// GTIN-14 with their label facts (names, ingredients, allergens, nutrition,
// packaging), and the rules a product must keep to be stored.
//
// Text that a pack carries in several languages (name, ingredients) is kept
// per language, keyed by a BCP 47 language tag ("en", "fr", "de-CH").
// Nutrition is per 100 g or per 100 ml, as EU labels give it. The Nutri-Score
// is never written by brands: the catalog computes it from the facts
// (package nutriscore) on every write.
package catalog

import (
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// Brand is a company that publishes products, with the GS1 Company Prefixes
// it holds. Brand owners act for prefixes (their token's brands claim); a
// brand is theirs when it holds one of them.
type Brand struct {
	// ID is a stable slug: lower-case letters, digits and dashes, 2 to 64
	// characters ("acme-foods").
	ID   string
	Name string
	// Prefixes are GS1 Company Prefixes (4 to 12 digits); none for brands
	// known only by name (imported from Open Food Facts).
	Prefixes []string
	Version  int64
	// UpdatedAt is set by the store.
	UpdatedAt time.Time
}

// Product is one trade item as its pack describes it.
type Product struct {
	// GTIN is the 14-digit GTIN (GTIN-8, -12 and -13 are padded with
	// leading zeros), with a valid check digit.
	GTIN    string
	BrandID string
	// Names maps a language tag to the product's name in that language.
	Names map[string]string
	// NetContent is the quantity in the pack; nil when unknown.
	NetContent *Quantity
	// Category is the most specific category, an Open Food Facts
	// categories taxonomy tag ("en:camemberts") or free text; Categories
	// is the whole hierarchy as taxonomy tags, broadest first. They decide
	// the Nutri-Score class unless NutriScoreClass is set.
	Category   string
	Categories []string
	// NutriScoreClass, when set, overrides the class derived from the
	// categories (a cheese the taxonomy does not know, say).
	NutriScoreClass nutriscore.Class
	// Ingredients maps a language tag to the ingredients list as printed.
	// Allergens may be marked _like this_ (Open Food Facts' convention).
	Ingredients map[string]string
	// Allergens the product contains and Traces it may contain ("may
	// contain"), as Allergen ids, sorted, without duplicates.
	Allergens []Allergen
	Traces    []Allergen
	// Nutrition is nil when the pack gives no nutrition table.
	Nutrition *Nutrition
	Packaging []PackagingComponent
	// Origin is where the product or its main ingredients come from, as
	// text ("France", "EU and non-EU").
	Origin string
	// ImageURL is an absolute http(s) URL of the front image, or "".
	ImageURL string
	// Attribution credits the source of the product's data where its
	// licence asks for it ("Open Food Facts (https://world.openfoodfacts.org),
	// ODbL"); the passport page shows it.
	Attribution string

	// NutriScore is computed by Compute; writes ignore any value given.
	NutriScore nutriscore.Result
	// Version starts at 1 and grows by one with every change; set by the
	// store.
	Version int64
	// CreatedAt and UpdatedAt are set by the store.
	CreatedAt, UpdatedAt time.Time
}

// Quantity is an amount with its unit.
type Quantity struct {
	Value float64
	Unit  Unit
}

// Unit is a unit of net content.
type Unit string

// Units of net content: mass, volume, or a count of pieces.
const (
	Gram       Unit = "g"
	Kilogram   Unit = "kg"
	Milligram  Unit = "mg"
	Millilitre Unit = "ml"
	Centilitre Unit = "cl"
	Litre      Unit = "l"
	Piece      Unit = "piece"
)

// Units lists every unit, for validation messages.
var Units = []Unit{Gram, Kilogram, Milligram, Millilitre, Centilitre, Litre, Piece}

// Per says what amount the nutrition values refer to.
type Per string

// Reference amounts of a nutrition table.
const (
	Per100g  Per = "100g"
	Per100ml Per = "100ml"
)

// Nutrition holds the values of a nutrition table; nil means not on the
// pack. Energy in kJ and kcal, the others in grams, FruitVegLegumes in
// percent of the product.
type Nutrition struct {
	Per                   Per
	EnergyKJ, EnergyKcal  *float64
	Fat, SaturatedFat     *float64
	Carbohydrates, Sugars *float64
	Fibre, Protein        *float64
	Salt, Sodium          *float64
	FruitVegLegumes       *float64
	// NonNutritiveSweeteners says whether the product contains sweeteners
	// such as aspartame or sucralose (it counts against beverages).
	NonNutritiveSweeteners *bool
}

// PackagingComponent is one part of the pack and how to dispose of it.
type PackagingComponent struct {
	// Shape ("bottle", "lid", "tray"), Material ("PET", "glass",
	// "cardboard") and Recycling ("recycle", "discard", "return to store"
	// or the pack's own words).
	Shape, Material, Recycling string
	// Count is how many of this component the pack has (at least 1).
	Count int
}

// Compute sets p.NutriScore from p's facts.
func (p *Product) Compute() {
	class := p.NutriScoreClass
	if class == "" {
		class = nutriscore.ClassifyCategories(p.Categories)
		if class == nutriscore.General && p.Category != "" {
			class = nutriscore.ClassifyCategories([]string{p.Category})
		}
	}
	if p.Nutrition == nil {
		p.NutriScore = nutriscore.Compute(class, nutriscore.Facts{})
		return
	}
	n := p.Nutrition
	p.NutriScore = nutriscore.Compute(class, nutriscore.Facts{
		EnergyKJ: n.EnergyKJ, EnergyKcal: n.EnergyKcal, Fat: n.Fat, SaturatedFat: n.SaturatedFat,
		Sugars: n.Sugars, Salt: n.Salt, Sodium: n.Sodium, Fibre: n.Fibre, Protein: n.Protein,
		FruitVegLegumesPercent: n.FruitVegLegumes, NonNutritiveSweeteners: n.NonNutritiveSweeteners,
	})
}

// Name returns the product's name in the first of langs it has, else in
// English, else any (the smallest tag, so the choice is stable); "" when it
// has none.
func (p *Product) Name(langs ...string) string { return pick(p.Names, langs) }

// IngredientsIn is Name for the ingredients list.
func (p *Product) IngredientsIn(langs ...string) string { return pick(p.Ingredients, langs) }

func pick(m map[string]string, langs []string) string {
	for _, l := range langs {
		if v, ok := m[l]; ok && v != "" {
			return v
		}
	}
	if v := m["en"]; v != "" {
		return v
	}
	best := ""
	for l, v := range m {
		if v != "" && (best == "" || l < best) {
			best = l
		}
	}
	return m[best]
}
