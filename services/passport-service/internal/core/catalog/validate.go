package catalog

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// Limits on product text, generous for any real label.
const (
	MaxNameLen        = 300
	MaxIngredientsLen = 10000
	MaxTextLen        = 500
	MaxURLLen         = 2048
	MaxLanguages      = 40
	MaxPackaging      = 30
	MaxCategories     = 50
)

// NormalizeGTIN returns s as a 14-digit GTIN: 8, 12, 13 or 14 digits with
// a valid check digit, padded with leading zeros. The reason says what is
// wrong when ok is false.
func NormalizeGTIN(s string) (gtin string, reason string) {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return "", "must be a GTIN of 8, 12, 13 or 14 digits"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", "must be a GTIN of 8, 12, 13 or 14 digits"
		}
	}
	padded := strings.Repeat("0", 14-len(s)) + s
	if d, ok := dl.CheckDigit(padded[:13]); !ok || d != padded[13] {
		return "", "has a wrong check digit"
	}
	return padded, ""
}

// ValidBrandID reports whether id is a brand slug.
func ValidBrandID(id string) bool {
	if len(id) < 2 || len(id) > 64 || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// ValidLanguage reports whether tag looks like a BCP 47 language tag of
// the kind labels use: a 2 or 3 letter language, optionally followed by
// subtags of 2 to 8 letters or digits ("en", "fr-CA", "zh-Hant").
func ValidLanguage(tag string) bool {
	if tag == "" || len(tag) > 35 {
		return false
	}
	for i, sub := range strings.Split(tag, "-") {
		if i == 0 && (len(sub) < 2 || len(sub) > 3 || !letters(sub)) {
			return false
		}
		if i > 0 && (len(sub) < 2 || len(sub) > 8 || !alnum(sub)) {
			return false
		}
	}
	return true
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c|0x20 < 'a' || c|0x20 > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Validate checks p and returns an Invalid error with one field error per
// problem, or nil. Fields are JSON pointers into the API's product document
// ("/names/fr", "/nutrition/sugars"), as the request validator names them;
// the GTIN, which the API takes from the path, is "gtin". It normalises what has one right form: the GTIN to 14 digits, the
// allergen lists to sorted sets.
func (p *Product) Validate() error {
	var errs []fault.FieldError
	bad := func(field, reason string) { errs = append(errs, fault.FieldError{Field: field, Reason: reason}) }

	if g, reason := NormalizeGTIN(p.GTIN); reason != "" {
		bad("gtin", reason)
	} else {
		p.GTIN = g
	}
	if !ValidBrandID(p.BrandID) {
		bad("/brand", "must be a brand id: 2 to 64 lower-case letters, digits and dashes")
	}
	if len(p.Names) == 0 {
		bad("/names", "needs the name in at least one language")
	}
	checkTexts(bad, "/names", p.Names, MaxNameLen, true)
	checkTexts(bad, "/ingredients", p.Ingredients, MaxIngredientsLen, false)
	if q := p.NetContent; q != nil {
		if !positive(q.Value) {
			bad("/netContent/value", "must be a number greater than 0")
		}
		if !slices.Contains(Units, q.Unit) {
			bad("/netContent/unit", "must be one of g, kg, mg, ml, cl, l, piece")
		}
	}
	checkText(bad, "/category", p.Category, MaxTextLen)
	if len(p.Categories) > MaxCategories {
		bad("/categories", "has more than 50 entries")
	}
	for i, c := range p.Categories {
		checkText(bad, "/categories/"+strconv.Itoa(i), c, MaxTextLen)
		if strings.TrimSpace(c) == "" {
			bad("/categories/"+strconv.Itoa(i), "must not be empty")
		}
	}
	if p.NutriScoreClass != "" {
		if _, ok := nutriscore.ParseClass(string(p.NutriScoreClass)); !ok {
			bad("/nutriScoreClass", "must be one of general, red_meat, cheese, fats_oils_nuts_seeds, beverage, water, not_applicable")
		}
	}
	p.Allergens = checkAllergens(bad, "/allergens", p.Allergens)
	p.Traces = checkAllergens(bad, "/traces", p.Traces)
	if n := p.Nutrition; n != nil {
		checkNutrition(bad, n)
	}
	if len(p.Packaging) > MaxPackaging {
		bad("/packaging", "has more than 30 components")
	}
	for i, c := range p.Packaging {
		at := "/packaging/" + strconv.Itoa(i)
		if strings.TrimSpace(c.Shape) == "" && strings.TrimSpace(c.Material) == "" {
			bad(at, "needs a shape or a material")
		}
		checkText(bad, at+"/shape", c.Shape, MaxTextLen)
		checkText(bad, at+"/material", c.Material, MaxTextLen)
		checkText(bad, at+"/recycling", c.Recycling, MaxTextLen)
		if c.Count < 1 || c.Count > 1000 {
			bad(at+"/count", "must be between 1 and 1000")
		}
	}
	checkText(bad, "/origin", p.Origin, MaxTextLen)
	checkText(bad, "/attribution", p.Attribution, MaxTextLen)
	if p.ImageURL != "" {
		if reason := checkURL(p.ImageURL); reason != "" {
			bad("/imageUrl", reason)
		}
	}
	if len(errs) > 0 {
		return fault.Validation("The product has invalid fields.", errs...)
	}
	return nil
}

// Validate checks b like Product.Validate and sorts its prefixes.
func (b *Brand) Validate() error {
	var errs []fault.FieldError
	if !ValidBrandID(b.ID) {
		errs = append(errs, fault.FieldError{Field: "/id", Reason: "must be 2 to 64 lower-case letters, digits and dashes, not starting or ending with a dash"})
	}
	if strings.TrimSpace(b.Name) == "" || utf8.RuneCountInString(b.Name) > MaxNameLen || !utf8.ValidString(b.Name) {
		errs = append(errs, fault.FieldError{Field: "/name", Reason: "must be 1 to 300 characters"})
	}
	if len(b.Prefixes) > 100 {
		errs = append(errs, fault.FieldError{Field: "/prefixes", Reason: "has more than 100 entries"})
	}
	for i, p := range b.Prefixes {
		if len(p) < 4 || len(p) > 12 || strings.Trim(p, "0123456789") != "" {
			errs = append(errs, fault.FieldError{Field: "/prefixes/" + strconv.Itoa(i), Reason: "must be a GS1 Company Prefix: 4 to 12 digits"})
		}
	}
	slices.Sort(b.Prefixes)
	b.Prefixes = slices.Compact(b.Prefixes)
	if len(errs) > 0 {
		return fault.Validation("The brand has invalid fields.", errs...)
	}
	return nil
}

// HoldsGTIN reports whether one of the brand's prefixes covers gtin (a
// 14-digit GTIN: the company prefix starts after the indicator digit).
func (b *Brand) HoldsGTIN(gtin string) bool {
	if len(gtin) != 14 {
		return false
	}
	for _, p := range b.Prefixes {
		if strings.HasPrefix(gtin[1:], p) {
			return true
		}
	}
	return false
}

func checkTexts(bad func(string, string), field string, m map[string]string, max int, required bool) {
	if len(m) > MaxLanguages {
		bad(field, "has more than 40 languages")
	}
	for lang, v := range m {
		at := field + "/" + lang
		if !ValidLanguage(lang) {
			bad(at, "is not a language tag (like en or fr-CA)")
			continue
		}
		if required && strings.TrimSpace(v) == "" {
			bad(at, "must not be empty")
		}
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
			bad(at, "must be valid text of at most "+strconv.Itoa(max)+" characters")
		}
	}
}

func checkText(bad func(string, string), field, v string, max int) {
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max {
		bad(field, "must be valid text of at most "+strconv.Itoa(max)+" characters")
	}
}

func checkAllergens(bad func(string, string), field string, list []Allergen) []Allergen {
	for i, a := range list {
		if !a.Valid() {
			bad(field+"/"+strconv.Itoa(i), "is not an allergen id; use one of gluten, crustaceans, eggs, fish, peanuts, soybeans, milk, nuts, celery, mustard, sesame, sulphites, lupin, molluscs, wheat, tree_nuts")
		}
	}
	return Normalize(list)
}

func checkNutrition(bad func(string, string), n *Nutrition) {
	if n.Per != Per100g && n.Per != Per100ml {
		bad("/nutrition/per", "must be 100g or 100ml")
	}
	grams := []struct {
		name string
		v    *float64
	}{{"fat", n.Fat}, {"saturatedFat", n.SaturatedFat}, {"carbohydrates", n.Carbohydrates}, {"sugars", n.Sugars},
		{"fibre", n.Fibre}, {"protein", n.Protein}, {"salt", n.Salt}, {"sodium", n.Sodium}}
	for _, g := range grams {
		if g.v != nil && !inRange(*g.v, 0, 100) {
			bad("/nutrition/"+g.name, "must be between 0 and 100 (grams per 100)")
		}
	}
	if n.EnergyKJ != nil && !inRange(*n.EnergyKJ, 0, 4000) {
		bad("/nutrition/energyKj", "must be between 0 and 4000 (pure fat has about 3700 kJ per 100 g)")
	}
	if n.EnergyKcal != nil && !inRange(*n.EnergyKcal, 0, 1000) {
		bad("/nutrition/energyKcal", "must be between 0 and 1000")
	}
	if n.FruitVegLegumes != nil && !inRange(*n.FruitVegLegumes, 0, 100) {
		bad("/nutrition/fruitVegLegumes", "must be between 0 and 100 (percent)")
	}
	if n.Fat != nil && n.SaturatedFat != nil && *n.SaturatedFat > *n.Fat+1e-9 {
		bad("/nutrition/saturatedFat", "must not exceed fat")
	}
	if n.Carbohydrates != nil && n.Sugars != nil && *n.Sugars > *n.Carbohydrates+1e-9 {
		bad("/nutrition/sugars", "must not exceed carbohydrates")
	}
}

func checkURL(s string) string {
	if len(s) > MaxURLLen {
		return "must be at most 2048 bytes"
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) && v < 1e9 }

func inRange(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }
