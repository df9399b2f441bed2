package offimport

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// UnknownBrand is the brand id of products whose record names no brand.
const UnknownBrand = "unknown-brand"

// Attribution is the credit every imported product carries: Open Food Facts
// publishes its database under the Open Database License, whose attribution
// clause asks for it wherever the data is shown.
const Attribution = "Open Food Facts (https://world.openfoodfacts.org), ODbL 1.0"

// mapper turns a parsed OFF record into an ImportRecord. Field meanings:
// ../shared/facts/food-domain.md section 2.1 and OFF's product schema
// (docs/api/ref/schemas/product_*.yaml in openfoodfacts-server).
type mapper struct{}

// offProduct holds the fields of an OFF product object the mapping reads;
// nil when absent.
type offProduct struct {
	code, lang, lc, brands                         *fastjson.Value
	quantity, productQuantity, productQuantityUnit *fastjson.Value
	categories, allergens, traces, additives       *fastjson.Value
	nutriments, nutritionDataPer, noNutritionData  *fastjson.Value
	nnsCount, packagings, origins                  *fastjson.Value
	imageFront, image                              *fastjson.Value
	productName, ingredientsText                   *fastjson.Value
	names, ingredients                             map[string]string
}

var (
	prefixName        = []byte("product_name_")
	prefixIngredients = []byte("ingredients_text_")
)

// mapValue maps one parsed record: an API response or a bare product.
// reason is non-empty when the record is unusable; gtin is then the code
// as given, if any.
func (mapper) mapValue(v *fastjson.Value) (rec app.ImportRecord, gtin, reason string) {
	if v.Type() != fastjson.TypeObject {
		return rec, "", "is not a JSON object"
	}
	product := v
	if p := v.Get("product"); p != nil && p.Type() == fastjson.TypeObject {
		product = p
		if notFound(v.Get("status")) {
			return rec, text(v.Get("code")), "the response says the product was not found" + verbose(v)
		}
	} else if v.Get("status") != nil {
		// A response without a product (products have no "status").
		return rec, text(v.Get("code")), "the response has no product" + verbose(v)
	}

	var f offProduct
	o, _ := product.Object()
	o.Visit(func(k []byte, val *fastjson.Value) { f.visit(k, val) })

	code := strings.TrimSpace(text(f.code))
	if code == "" && product != v {
		code = strings.TrimSpace(text(v.Get("code")))
	}
	if code == "" {
		return rec, "", "has no code (barcode)"
	}
	g, why := catalog.NormalizeGTIN(code)
	if why != "" {
		return rec, code, "code " + why
	}

	lang := text(f.lang)
	if !catalog.ValidLanguage(lang) {
		lang = text(f.lc)
	}
	if !catalog.ValidLanguage(lang) {
		lang = "und" // BCP 47 "undetermined"
	}
	names := withMain(f.names, lang, text(f.productName))
	ingredients := withMain(f.ingredients, lang, text(f.ingredientsText))

	brand, _, _ := strings.Cut(text(f.brands), ",")
	brand = strings.TrimSpace(brand)

	p := catalog.Product{
		GTIN:        g,
		BrandID:     BrandSlug(brand),
		Names:       names,
		Ingredients: ingredients,
		NetContent:  netContent(f.productQuantity, f.productQuantityUnit, f.quantity),
		Origin:      strings.TrimSpace(text(f.origins)),
		Allergens:   allergens(f.allergens),
		Traces:      allergens(f.traces),
		Packaging:   packaging(f.packagings),
	}
	for _, c := range f.categories.GetArray() {
		if s := text(c); s != "" && c.Type() == fastjson.TypeString {
			p.Categories = append(p.Categories, s)
		}
	}
	if len(p.Categories) > 0 {
		p.Category = p.Categories[len(p.Categories)-1]
	}
	p.Attribution = Attribution
	p.ImageURL = strings.TrimSpace(text(f.imageFront))
	if p.ImageURL == "" {
		p.ImageURL = strings.TrimSpace(text(f.image))
	}
	if text(f.noNutritionData) != "on" {
		p.Nutrition = nutrition(f.nutriments)
	}
	if p.Nutrition != nil {
		p.Nutrition.Per = catalog.Per100g
		if liquid(f, p.NetContent) {
			p.Nutrition.Per = catalog.Per100ml
		}
		p.Nutrition.NonNutritiveSweeteners = sweeteners(f.additives, f.nnsCount, len(ingredients) > 0)
	}
	return app.ImportRecord{Product: p, BrandName: brand}, g, ""
}

func (f *offProduct) visit(k []byte, v *fastjson.Value) {
	switch string(k) {
	case "code":
		f.code = v
	case "lang":
		f.lang = v
	case "lc":
		f.lc = v
	case "brands":
		f.brands = v
	case "quantity":
		f.quantity = v
	case "product_quantity":
		f.productQuantity = v
	case "product_quantity_unit":
		f.productQuantityUnit = v
	case "categories_tags":
		f.categories = v
	case "allergens_tags":
		f.allergens = v
	case "traces_tags":
		f.traces = v
	case "additives_tags":
		f.additives = v
	case "nutriments":
		f.nutriments = v
	case "nutrition_data_per":
		f.nutritionDataPer = v
	case "no_nutrition_data":
		f.noNutritionData = v
	case "ingredients_non_nutritive_sweeteners_n":
		f.nnsCount = v
	case "packagings":
		f.packagings = v
	case "origins":
		f.origins = v
	case "image_front_url":
		f.imageFront = v
	case "image_url":
		f.image = v
	case "product_name":
		f.productName = v
	case "ingredients_text":
		f.ingredientsText = v
	default:
		if bytes.HasPrefix(k, prefixName) {
			f.names = addText(f.names, k[len(prefixName):], v)
		} else if bytes.HasPrefix(k, prefixIngredients) {
			f.ingredients = addText(f.ingredients, k[len(prefixIngredients):], v)
		}
	}
}

// addText records a per-language text ("product_name_fr"); keys whose
// suffix is no language tag ("product_name_fr_imported") are ignored.
func addText(m map[string]string, lang []byte, v *fastjson.Value) map[string]string {
	if len(lang) > 35 || v.Type() != fastjson.TypeString {
		return m
	}
	l := string(lang)
	if !catalog.ValidLanguage(l) {
		return m
	}
	s := strings.TrimSpace(text(v))
	if s == "" {
		return m
	}
	if m == nil {
		m = make(map[string]string, 2)
	}
	m[l] = s
	return m
}

// withMain adds the unsuffixed text (product_name, in the product's main
// language) unless that language has its own.
func withMain(m map[string]string, lang, main string) map[string]string {
	main = strings.TrimSpace(main)
	if main == "" {
		return m
	}
	if _, ok := m[lang]; ok {
		return m
	}
	if m == nil {
		m = make(map[string]string, 1)
	}
	m[lang] = main
	return m
}

// notFound reports an API status meaning "no such product": 0 in v2,
// "failure" in v3.
func notFound(st *fastjson.Value) bool {
	if st == nil {
		return false
	}
	switch st.Type() {
	case fastjson.TypeNumber:
		n, err := st.Float64()
		return err == nil && n == 0
	case fastjson.TypeString:
		s := text(st)
		return s == "failure" || s == "0"
	}
	return false
}

func verbose(v *fastjson.Value) string {
	if s := strings.TrimSpace(text(v.Get("status_verbose"))); s != "" {
		if len(s) > 100 {
			s = s[:100]
		}
		return " (" + s + ")"
	}
	return ""
}

// text returns v as a string: a JSON string's text, a number's digits
// (codes are sometimes numbers), else "".
func text(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return string(b)
	case fastjson.TypeNumber:
		return v.String()
	}
	return ""
}

// number returns v as a finite number; numeric strings count ("1,5" too).
func number(v *fastjson.Value) (float64, bool) {
	if v == nil {
		return 0, false
	}
	var f float64
	switch v.Type() {
	case fastjson.TypeNumber:
		var err error
		if f, err = v.Float64(); err != nil {
			return 0, false
		}
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		s := strings.TrimSpace(string(b))
		if s == "" || len(s) > 40 {
			return 0, false
		}
		s = strings.Replace(s, ",", ".", 1)
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func numberPtr(v *fastjson.Value) *float64 {
	if f, ok := number(v); ok {
		return &f
	}
	return nil
}

func allergens(v *fastjson.Value) []catalog.Allergen {
	var out []catalog.Allergen
	for _, t := range v.GetArray() {
		if a, ok := catalog.OFFTag(text(t)); ok {
			out = append(out, a)
		}
	}
	return catalog.Normalize(out)
}

// nutrition reads the per-100 g values of OFF's nutriments; nil when none
// of the table's nutrients is there (a fruit estimate alone is no table).
func nutrition(v *fastjson.Value) *catalog.Nutrition {
	if v == nil || v.Type() != fastjson.TypeObject {
		return nil
	}
	o, _ := v.Object()
	var (
		n                        catalog.Nutrition
		kj, energy               *float64
		fvlEst, fvnEst, fvnLabel *float64
	)
	o.Visit(func(k []byte, val *fastjson.Value) {
		switch string(k) {
		case "energy-kj_100g":
			kj = numberPtr(val)
		case "energy_100g": // always kJ in OFF (food-domain.md section 6)
			energy = numberPtr(val)
		case "energy-kcal_100g":
			n.EnergyKcal = numberPtr(val)
		case "fat_100g":
			n.Fat = numberPtr(val)
		case "saturated-fat_100g":
			n.SaturatedFat = numberPtr(val)
		case "carbohydrates_100g":
			n.Carbohydrates = numberPtr(val)
		case "sugars_100g":
			n.Sugars = numberPtr(val)
		case "fiber_100g":
			n.Fibre = numberPtr(val)
		case "proteins_100g":
			n.Protein = numberPtr(val)
		case "salt_100g":
			n.Salt = numberPtr(val)
		case "sodium_100g":
			n.Sodium = numberPtr(val)
		case "fruits-vegetables-legumes-estimate-from-ingredients_100g":
			fvlEst = numberPtr(val)
		case "fruits-vegetables-nuts-estimate-from-ingredients_100g":
			fvnEst = numberPtr(val)
		case "fruits-vegetables-nuts_100g":
			fvnLabel = numberPtr(val)
		}
	})
	n.EnergyKJ = kj
	if n.EnergyKJ == nil {
		n.EnergyKJ = energy
	}
	if n.EnergyKJ == nil && n.EnergyKcal == nil && n.Fat == nil && n.SaturatedFat == nil &&
		n.Carbohydrates == nil && n.Sugars == nil && n.Fibre == nil && n.Protein == nil &&
		n.Salt == nil && n.Sodium == nil {
		return nil
	}
	// OFF's Nutri-Score 2023 uses only the estimate from the ingredients
	// ("we do not use values estimated by users from ingredients list",
	// compute_nutriscore_2023_fruits_vegetables_legumes in
	// openfoodfacts-server lib/ProductOpener/Food.pm); the older nuts
	// estimate and the declared value are fallbacks for older records.
	for _, p := range []*float64{fvlEst, fvnEst, fvnLabel} {
		if p != nil {
			n.FruitVegLegumes = p
			break
		}
	}
	return &n
}

// liquid reports whether nutrition values are per 100 ml: the product is
// sold by volume or OFF says the table is per 100 ml.
func liquid(f offProduct, q *catalog.Quantity) bool {
	switch strings.ToLower(strings.TrimSpace(text(f.productQuantityUnit))) {
	case "ml", "cl", "dl", "l":
		return true
	}
	if strings.EqualFold(strings.TrimSpace(text(f.nutritionDataPer)), "100ml") {
		return true
	}
	return q != nil && (q.Unit == catalog.Millilitre || q.Unit == catalog.Centilitre || q.Unit == catalog.Litre)
}

// nonNutritiveSweeteners are the additives the 2023 Nutri-Score counts
// against beverages: acesulfame K (E950), aspartame (E951), cyclamates
// (E952), saccharin (E954), sucralose (E955), thaumatin (E957),
// neohesperidine DC (E959), steviol glycosides (E960, with its sub-numbers
// e960a...), neotame (E961), aspartame-acesulfame salt (E962) and advantame
// (E969); polyols such as erythritol (E968) do not count. Sources: the
// beverages update adopted by the Nutri-Score steering committee on
// 30 March 2023 ("a specific component for Non-Nutritive Sweeteners (NNS)
// use has been added to negative points", https://nutriscore.blog/2022/12/16/
// report-of-the-european-scientific-committee-in-charge-of-updating-the-nutri-score-changes-to-the-algorithm-for-beverages/),
// OFF's ingredients_non_nutritive_sweeteners_n ("non-nutritive sweeteners
// additives (as specified in the Nutri-Score formula)", OFF API schema) and
// food-domain.md section 2.4 ("erythritol does not count").
var nonNutritiveSweeteners = []string{"e950", "e951", "e952", "e954", "e955", "e957", "e959", "e960", "e961", "e962", "e969"}

// sweeteners says whether the product has non-nutritive sweeteners: yes
// when an additive or OFF's count says so, no only when the ingredient list
// is known, else unknown.
func sweeteners(additives, count *fastjson.Value, ingredientsKnown bool) *bool {
	yes := false
	if n, ok := number(count); ok && n > 0 {
		yes = true
	}
	for _, a := range additives.GetArray() {
		if yes {
			break
		}
		t := text(a)
		if i := strings.IndexByte(t, ':'); i >= 0 {
			t = t[i+1:]
		}
		for _, e := range nonNutritiveSweeteners {
			// "e960" also covers "e960a" (its sub-numbers), not "e9600".
			if strings.HasPrefix(t, e) && (len(t) == len(e) || t[len(e)] >= 'a' && t[len(e)] <= 'z') {
				yes = true
				break
			}
		}
	}
	if !yes && !ingredientsKnown {
		return nil
	}
	return &yes
}

// packaging maps packagings[]: each component's shape, material and
// recycling are taxonomy ids ("en:pet-polyethylene-terephthalate"), or
// objects carrying the id in older and newer records alike.
func packaging(v *fastjson.Value) []catalog.PackagingComponent {
	var out []catalog.PackagingComponent
	for _, c := range v.GetArray() {
		if c.Type() != fastjson.TypeObject {
			continue
		}
		pc := catalog.PackagingComponent{
			Shape:     tagText(c.Get("shape")),
			Material:  tagText(c.Get("material")),
			Recycling: tagText(c.Get("recycling")),
			Count:     1,
		}
		if pc.Shape == "" && pc.Material == "" {
			continue
		}
		if n, ok := number(c.Get("number_of_units")); ok && n >= 1 {
			pc.Count = int(math.Min(n, 1e6))
		}
		out = append(out, pc)
	}
	return out
}

// tagText turns a taxonomy id into display text: "en:drink-can" -> "drink
// can"; "en:unknown" -> "".
func tagText(v *fastjson.Value) string {
	if v != nil && v.Type() == fastjson.TypeObject {
		v = v.Get("id")
	}
	s := strings.TrimSpace(text(v))
	if i := strings.IndexByte(s, ':'); i >= 2 && i <= 3 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "-", " "))
	if s == "unknown" {
		return ""
	}
	return s
}
