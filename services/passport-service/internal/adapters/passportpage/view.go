package passportpage

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// page is what the layout template renders: the texts of the UI language
// and either a passport or a problem.
type page struct {
	T        *messages
	CSS      template.CSS
	Title    string
	Passport *passportView
	Problem  *problemView
}

// text is product text with the language it is written in, when that is
// not the UI language (the template then sets a lang attribute).
type text struct {
	Text, Lang string
}

type fact struct {
	Term, Desc string
	// Date and DateTime are set for dates; Note is the relative wording.
	DateTime, Note string
	Expired        bool
}

type passportView struct {
	// Attribution credits the source of the product's data.
	Attribution string
	Name        text
	Image       *imageView
	Facts       []fact
	Nutri       nutriView
	Ingredients []segment
	IngrLang    string
	Contains    string
	MayContain  string
	Nutrition   *nutritionView
	Packaging   []packagingRow
	Links       []linkView
	Pack        []fact
}

type imageView struct {
	URL, Alt string
}

type nutriView struct {
	Status     nutriscore.Status
	Grade      string // "A".."E"
	GradeClass string // "a".."e", for the colour
	Label      string
	Note       string
	ScoreLine  string
	Rows       []nutriRow
	Notes      []string
}

type nutriRow struct {
	Name, Value, Points, Effect string
	Negative                    bool
}

type nutritionView struct {
	Caption, Per string
	Rows         []nutrientRow
}

type nutrientRow struct {
	Name, Value string
	Sub         bool // an "of which" row
}

type packagingRow struct {
	Part, Material, Recycling string
}

type linkView struct {
	Href, Title, Kind, Hreflang, Languages, MediaType string
	// Note is what the page shows after the title: the link type and the
	// languages, when they add something.
	Note string
}

type problemView struct {
	Heading string
	Lines   []string
	// Detail is text in English from the Digital Link engine, shown as code
	// between Lines and After.
	Detail string
	After  []string
}

// request holds what the builders need about one request.
type request struct {
	t     *messages
	prefs []string // product text languages, best first
	today civilDate
	base  string // the passport path prefix, "/passport"
}

// buildPassport turns a product and the scanned code into the view.
func (rq *request) buildPassport(v *app.ProductView, u *dl.URI, links []resolver.Link) *passportView {
	t := rq.t
	p := &v.Product
	pv := &passportView{Attribution: p.Attribution}
	nameLang, name := pickText(p.Names, rq.prefs)
	if name == "" {
		name, nameLang = p.GTIN, ""
	}
	pv.Name = rq.text(name, nameLang)
	if p.ImageURL != "" && httpURL(p.ImageURL) {
		pv.Image = &imageView{URL: p.ImageURL, Alt: fmt.Sprintf(t.PhotoOf, name)}
	}
	if v.Brand.Name != "" {
		pv.Facts = append(pv.Facts, fact{Term: t.Brand, Desc: v.Brand.Name})
	}
	if q := p.NetContent; q != nil {
		pv.Facts = append(pv.Facts, fact{Term: t.NetContent, Desc: formatQuantity(q, t)})
	}
	if p.Origin != "" {
		pv.Facts = append(pv.Facts, fact{Term: t.Origin, Desc: p.Origin})
	}
	pv.Facts = append(pv.Facts, fact{Term: t.GTIN, Desc: p.GTIN})

	pv.Nutri = buildNutri(&p.NutriScore, t)

	ingrLang, ingr := pickText(p.Ingredients, rq.prefs)
	if ingr != "" {
		pv.Ingredients = highlight(ingr, ingrLang, allergenMask(p.Allergens, p.Traces))
		pv.IngrLang = rq.text("", ingrLang).Lang
	}
	if names := allergenNames(p.Allergens, t); len(names) > 0 {
		pv.Contains = fmt.Sprintf(t.Contains, t.List(names))
	}
	if names := allergenNames(p.Traces, t); len(names) > 0 {
		pv.MayContain = fmt.Sprintf(t.MayContain, t.List(names))
	}
	if n := p.Nutrition; n != nil {
		pv.Nutrition = buildNutrition(n, t)
	}
	for _, c := range p.Packaging {
		part := c.Shape
		if c.Count > 1 {
			part = strconv.Itoa(c.Count) + " × " + part
		}
		pv.Packaging = append(pv.Packaging, packagingRow{Part: part, Material: c.Material, Recycling: c.Recycling})
	}
	pv.Links = rq.buildLinks(p.GTIN, u, links)
	pv.Pack = rq.buildPack(u)
	return pv
}

// text returns s with its language when that differs from the UI's.
func (rq *request) text(s, lang string) text {
	if lang == "" || strings.EqualFold(lang, rq.t.Lang) {
		return text{Text: s}
	}
	return text{Text: s, Lang: lang}
}

// pickText chooses the text of m in the first language of prefs that m
// has, trying each preference exactly and then by its base language ("fr"
// for "fr-CA" and the other way round), then English, then the smallest
// tag so the choice is stable. It follows catalog.Product.Name, adding the
// base-language step so a browser asking for en-US still gets "en-GB" text.
func pickText(m map[string]string, prefs []string) (lang, s string) {
	if len(m) == 0 {
		return "", ""
	}
	for _, want := range prefs {
		if v, ok := m[want]; ok && v != "" {
			return want, v
		}
		best := ""
		for k, v := range m {
			if v != "" && strings.EqualFold(baseOf(k), baseOf(want)) && (best == "" || k < best) {
				best = k
			}
		}
		if best != "" {
			return best, m[best]
		}
	}
	if v := m["en"]; v != "" {
		return "en", v
	}
	best := ""
	for k, v := range m {
		if v != "" && (best == "" || k < best) {
			best = k
		}
	}
	return best, m[best]
}

func baseOf(tag string) string {
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		return tag[:i]
	}
	return tag
}

func allergenNames(list []catalog.Allergen, t *messages) []string {
	var out []string
	for _, a := range catalog.Normalize(list) {
		name, ok := t.AllergenNames[a]
		if !ok {
			continue
		}
		if !slices.Contains(out, name) { // nuts and tree nuts share a name outside English
			out = append(out, name)
		}
	}
	return out
}

func buildNutri(r *nutriscore.Result, t *messages) nutriView {
	nv := nutriView{Status: r.Status}
	switch r.Status {
	case nutriscore.StatusComputed:
		if len(r.Grade) != 1 || r.Grade[0] < 'A' || r.Grade[0] > 'E' {
			nv.Status = nutriscore.StatusUnknown
			nv.Note = fmt.Sprintf(t.NutriUnknown, t.Components[nutriscore.IDClass])
			return nv
		}
	case nutriscore.StatusNotApplicable:
		nv.Note = t.NutriNotApplicable
		return nv
	default:
		nv.Status = nutriscore.StatusUnknown
		missing := componentNames(r.Missing, t)
		if len(missing) == 0 {
			missing = []string{t.Components[nutriscore.IDClass]}
		}
		nv.Note = fmt.Sprintf(t.NutriUnknown, t.List(missing))
		return nv
	}
	nv.Grade = r.Grade
	nv.GradeClass = strings.ToLower(r.Grade)
	nv.Label = fmt.Sprintf(t.NutriScoreGrade, r.Grade)
	nv.ScoreLine = fmt.Sprintf(t.ScoreLine, r.Score, r.Negative, r.Positive)
	for _, c := range r.Components {
		row := nutriRow{
			Name:     componentName(c.ID, t),
			Points:   strconv.Itoa(c.Points) + " / " + strconv.Itoa(c.MaxPoints),
			Negative: c.Kind == nutriscore.KindNegative,
		}
		switch {
		case c.ID == nutriscore.IDNonNutritiveSweeteners:
			row.Value = t.No
			if c.Value > 0 {
				row.Value = t.Yes
			}
		case c.Unit == "kJ":
			row.Value = formatNumber(c.Value, 0, t.Decimal) + " kJ"
		case c.Unit == "%":
			row.Value = formatNumber(c.Value, 1, t.Decimal) + " %"
		default:
			row.Value = formatNumber(c.Value, 2, t.Decimal) + " " + c.Unit
		}
		row.Effect = t.CountsFor
		if row.Negative {
			row.Effect = t.CountsAgainst
		}
		nv.Rows = append(nv.Rows, row)
	}
	limit := 11
	if r.Class == nutriscore.FatsOilsNutsSeeds {
		limit = 7
	}
	switch {
	case !r.ProteinCounted:
		nv.Notes = append(nv.Notes, fmt.Sprintf(t.ProteinNotCounted, r.Negative, limit))
	case r.Class == nutriscore.Cheese:
		nv.Notes = append(nv.Notes, t.ProteinCheese)
	case r.Class == nutriscore.Beverage || r.Class == nutriscore.Water:
		nv.Notes = append(nv.Notes, t.ProteinDrinks)
	default:
		nv.Notes = append(nv.Notes, fmt.Sprintf(t.ProteinCounted, r.Negative, limit))
	}
	if r.Class == nutriscore.RedMeat {
		nv.Notes = append(nv.Notes, t.ProteinRedMeat)
	}
	if assumed := componentNames(r.Assumed, t); len(assumed) > 0 {
		nv.Notes = append(nv.Notes, fmt.Sprintf(t.Assumed, t.List(assumed)))
	}
	return nv
}

func componentName(id string, t *messages) string {
	if s, ok := t.Components[id]; ok {
		return s
	}
	return strings.ReplaceAll(id, "_", " ")
}

func componentNames(ids []string, t *messages) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, componentName(id, t))
	}
	return out
}

func buildNutrition(n *catalog.Nutrition, t *messages) *nutritionView {
	per := "100 g"
	if n.Per == catalog.Per100ml {
		per = "100 ml"
	}
	nv := &nutritionView{Caption: fmt.Sprintf(t.NutritionCaption, per), Per: per}
	var energy []string
	if n.EnergyKJ != nil {
		energy = append(energy, formatNumber(*n.EnergyKJ, 0, t.Decimal)+" kJ")
	}
	if n.EnergyKcal != nil {
		energy = append(energy, formatNumber(*n.EnergyKcal, 0, t.Decimal)+" kcal")
	}
	if len(energy) > 0 {
		nv.Rows = append(nv.Rows, nutrientRow{Name: t.Energy, Value: strings.Join(energy, " / ")})
	}
	grams := []struct {
		name string
		v    *float64
		sub  bool
	}{
		{t.Fat, n.Fat, false}, {t.Saturates, n.SaturatedFat, true},
		{t.Carbohydrates, n.Carbohydrates, false}, {t.Sugars, n.Sugars, true},
		{t.Fibre, n.Fibre, false}, {t.Protein, n.Protein, false}, {t.Salt, n.Salt, false},
	}
	for _, g := range grams {
		if g.v == nil {
			continue
		}
		nv.Rows = append(nv.Rows, nutrientRow{Name: g.name, Value: formatNumber(*g.v, 2, t.Decimal) + " g", Sub: g.sub})
	}
	if len(nv.Rows) == 0 {
		return nil
	}
	return nv
}

// formatNumber writes v with at most decimals digits after the separator
// (dec), trailing zeros removed.
func formatNumber(v float64, decimals int, dec byte) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	if dec != '.' {
		s = strings.Replace(s, ".", string(dec), 1)
	}
	return s
}

func formatQuantity(q *catalog.Quantity, t *messages) string {
	v := formatNumber(q.Value, 3, t.Decimal)
	if q.Unit == catalog.Piece {
		if q.Value == 1 {
			return v + " " + t.Piece
		}
		return v + " " + t.Pieces
	}
	return v + " " + string(q.Unit)
}

// buildLinks keeps the brand's links worth showing next to the passport:
// public links other than the passport page itself, with their href
// templates filled from the scanned code, each target once. A default link
// is shown only when it leads somewhere no other link does (it usually
// repeats one of them, or the passport).
func (rq *request) buildLinks(gtin string, u *dl.URI, links []resolver.Link) []linkView {
	self := rq.base + "/01/" + gtin
	seen := make(map[string]bool, len(links))
	var out, defaults []linkView
	for i := range links {
		l := &links[i]
		if !l.Public || l.Passport {
			continue
		}
		href, ok := fillTemplates(l.Href, u)
		if !ok || !httpURL(href) {
			continue
		}
		if pu, err := url.Parse(href); err != nil || pu.Path == self || strings.HasPrefix(pu.Path, self+"/") {
			continue
		}
		term := strings.TrimPrefix(l.Type, resolver.Namespace)
		kind, ok := rq.t.LinkTypes[term]
		if !ok {
			kind = humanize(resolver.CompactLinkType(l.Type))
		}
		lv := linkView{Href: href, Title: l.Title, Kind: kind, MediaType: l.MediaType}
		if lv.Title == "" {
			lv.Title, lv.Kind = kind, ""
		}
		if len(l.Hreflang) > 0 {
			lv.Hreflang = l.Hreflang[0]
			lv.Languages = fmt.Sprintf(rq.t.LinkLanguage, strings.Join(l.Hreflang, ", "))
		}
		switch {
		case lv.Kind != "" && lv.Languages != "":
			lv.Note = lv.Kind + "; " + lv.Languages
		case lv.Kind != "":
			lv.Note = lv.Kind
		default:
			lv.Note = lv.Languages
		}
		if l.Type == resolver.LinkTypeDefault || l.Type == resolver.LinkTypeDefaultMulti {
			defaults = append(defaults, lv)
			continue
		}
		if !seen[href] {
			seen[href] = true
			out = append(out, lv)
		}
	}
	for _, d := range defaults {
		if !seen[d.Href] {
			seen[d.Href] = true
			out = append(out, d)
		}
	}
	return out
}

// fillTemplates replaces "{NN}" AI templates in href with the scanned
// values, as the resolver does; ok is false when the code lacks one.
func fillTemplates(href string, u *dl.URI) (string, bool) {
	if !strings.Contains(href, "{") {
		return href, true
	}
	var b strings.Builder
	for i := 0; i < len(href); i++ {
		if href[i] == '{' {
			j := i + 1
			for j < len(href) && j-i <= 5 && href[j] >= '0' && href[j] <= '9' {
				j++
			}
			if n := j - i - 1; n >= 2 && n <= 4 && j < len(href) && href[j] == '}' {
				v, ok := u.Value(href[i+1 : j])
				if !ok {
					return "", false
				}
				b.WriteString(dl.Escape(v))
				i = j
				continue
			}
		}
		b.WriteByte(href[i])
	}
	return b.String(), true
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// humanize turns a link type the vocabulary list has no text for
// ("gs1:brandHomepageClinical") into words ("Brand homepage clinical").
func humanize(s string) string {
	s = strings.TrimPrefix(s, resolver.Prefix)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	out := b.String()
	if r, n := utf8.DecodeRuneInString(out); n > 0 {
		out = string(unicode.ToUpper(r)) + out[n:]
	}
	return out
}

// buildPack lists what the scanned code says about this very pack: lot,
// serial number and the dates with how far away they are.
func (rq *request) buildPack(u *dl.URI) []fact {
	t := rq.t
	var out []fact
	if v, ok := u.Value("10"); ok {
		out = append(out, fact{Term: t.Lot, Desc: v})
	}
	if v, ok := u.Value("21"); ok {
		out = append(out, fact{Term: t.Serial, Desc: v})
	}
	if v, ok := u.Value("17"); ok {
		out = append(out, rq.dateFact(v, t.UseBy, t.ExpiresIn, t.ExpiresToday, t.Expired))
	}
	if v, ok := u.Value("15"); ok {
		out = append(out, rq.dateFact(v, t.BestBefore, t.BestBeforeIn, t.BestBeforeToday, t.PastBestBefore))
	}
	return out
}

func (rq *request) dateFact(v, term, in, today, past string) fact {
	d, ok := parseGS1Date(v, rq.today)
	if !ok {
		return fact{Term: term, Desc: v}
	}
	f := fact{Term: term, Desc: d.format(rq.t), DateTime: d.iso()}
	switch n := daysUntil(rq.today, d); {
	case n > 0:
		f.Note = fmt.Sprintf(in, rq.t.Days(n))
	case n == 0:
		f.Note = today
	default:
		f.Note = fmt.Sprintf(past, rq.t.Days(-n))
		f.Expired = true
	}
	return f
}
