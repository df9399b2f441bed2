package offimport

import (
	"math"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// netContent is product_quantity in product_quantity_unit when the record
// has both, else what ParseQuantity reads from the quantity text.
func netContent(amount, unit, quantity *fastjson.Value) *catalog.Quantity {
	if u, ok := units[strings.ToLower(strings.TrimSpace(text(unit)))]; ok {
		if n, ok := number(amount); ok && n > 0 {
			return quantityOf(n*u.factor, u.unit)
		}
	}
	return ParseQuantity(text(quantity))
}

type unitFactor struct {
	unit   catalog.Unit
	factor float64
}

// units maps the unit words of OFF's quantity texts to catalog units.
// Imperial units are converted: 1 oz = 28.349523125 g and 1 lb =
// 453.59237 g (international avoirdupois, exact by definition), 1 US fl oz
// = 29.5735295625 ml (US customary).
var units = map[string]unitFactor{
	"g": {catalog.Gram, 1}, "gr": {catalog.Gram, 1}, "grs": {catalog.Gram, 1}, "gram": {catalog.Gram, 1},
	"grams": {catalog.Gram, 1}, "gramm": {catalog.Gram, 1}, "gramme": {catalog.Gram, 1}, "grammes": {catalog.Gram, 1},
	"gramos": {catalog.Gram, 1}, "grammi": {catalog.Gram, 1},
	"kg": {catalog.Kilogram, 1}, "kgs": {catalog.Kilogram, 1}, "kilo": {catalog.Kilogram, 1}, "kilos": {catalog.Kilogram, 1},
	"kilogram": {catalog.Kilogram, 1}, "kilograms": {catalog.Kilogram, 1}, "kilogramme": {catalog.Kilogram, 1},
	"kilogrammes": {catalog.Kilogram, 1},
	"mg":          {catalog.Milligram, 1},
	"ml":          {catalog.Millilitre, 1}, "mls": {catalog.Millilitre, 1}, "millilitre": {catalog.Millilitre, 1},
	"millilitres": {catalog.Millilitre, 1}, "milliliter": {catalog.Millilitre, 1}, "milliliters": {catalog.Millilitre, 1},
	"cl": {catalog.Centilitre, 1}, "dl": {catalog.Centilitre, 10},
	"l": {catalog.Litre, 1}, "lt": {catalog.Litre, 1}, "ltr": {catalog.Litre, 1}, "litre": {catalog.Litre, 1},
	"litres": {catalog.Litre, 1}, "liter": {catalog.Litre, 1}, "liters": {catalog.Litre, 1}, "litro": {catalog.Litre, 1},
	"litros": {catalog.Litre, 1},
	"oz":     {catalog.Gram, 28.349523125}, "lb": {catalog.Gram, 453.59237}, "lbs": {catalog.Gram, 453.59237},
	"fl oz": {catalog.Millilitre, 29.5735295625},
	"piece": {catalog.Piece, 1}, "pieces": {catalog.Piece, 1}, "pcs": {catalog.Piece, 1}, "pc": {catalog.Piece, 1},
	"pièce": {catalog.Piece, 1}, "pièces": {catalog.Piece, 1}, "stück": {catalog.Piece, 1},
}

// ParseQuantity reads a net content from OFF's free-text quantity: the
// first "<number> <unit>" with a known unit ("300 g", "1,5 L", "330ml",
// "1 pint, 568 ml" -> 568 ml, "425 g (230 g égoutté)" -> 425 g). A
// multipack "6 x 33 cl" is the pack's total, 198 cl, as the pack's net
// content is what the passport shows and the catalog has no per-unit
// field. Nil when nothing can be read.
func ParseQuantity(s string) *catalog.Quantity {
	if len(s) > 200 {
		s = s[:200]
	}
	s = strings.ToLower(s)
	for i := 0; i < len(s); {
		// Numbers inside words ("e330", "b12") are no quantities.
		if !isDigit(s[i]) || (i > 0 && (isDigit(s[i-1]) || s[i-1] >= 'a' && s[i-1] <= 'z')) {
			i++
			continue
		}
		q, next := quantityAt(s, i)
		if q != nil {
			return q
		}
		i = next
	}
	return nil
}

// quantityAt reads a quantity starting at the digit s[i]; next is where to
// look on when there is none.
func quantityAt(s string, i int) (q *catalog.Quantity, next int) {
	v, j := readNumber(s, i)
	next = j
	j = skipSpaces(s, j)
	count := 1.0
	if sep := multiplier(s, j); sep > 0 && v == math.Trunc(v) {
		k := skipSpaces(s, j+sep)
		if k < len(s) && isDigit(s[k]) {
			count = v
			v, j = readNumber(s, k)
			next = j
			j = skipSpaces(s, j)
		}
	}
	word, end := readWord(s, j)
	if word == "fl" {
		k := j + 2
		if k < len(s) && s[k] == '.' {
			k++
		}
		if w, e := readWord(s, skipSpaces(s, k)); w == "oz" {
			word, end = "fl oz", e
		}
	}
	u, ok := units[word]
	if !ok || end == j {
		return nil, next
	}
	return quantityOf(v*count*u.factor, u.unit), end
}

func quantityOf(v float64, u catalog.Unit) *catalog.Quantity {
	v = math.Round(v*1000) / 1000
	if !(v > 0) || v >= 1e9 {
		return nil
	}
	return &catalog.Quantity{Value: v, Unit: u}
}

// readNumber reads digits with an optional decimal part ("1.5", "1,5").
func readNumber(s string, i int) (float64, int) {
	v := 0.0
	for i < len(s) && isDigit(s[i]) {
		v = v*10 + float64(s[i]-'0')
		i++
	}
	if i+1 < len(s) && (s[i] == '.' || s[i] == ',') && isDigit(s[i+1]) {
		i++
		scale := 0.1
		for i < len(s) && isDigit(s[i]) {
			v += float64(s[i]-'0') * scale
			scale /= 10
			i++
		}
	}
	return v, i
}

// multiplier returns the length of a multipack sign ("x", "*", "×") at
// s[i], else 0.
func multiplier(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == 'x' || s[i] == '*':
		if i+1 < len(s) && isLetter(s[i+1]) {
			return 0
		}
		return 1
	case strings.HasPrefix(s[i:], "×"):
		return len("×")
	}
	return 0
}

// readWord reads a unit word: ASCII letters and non-ASCII bytes (for
// "pièces"), ending at anything else.
func readWord(s string, i int) (string, int) {
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	return s[i:j], j
}

func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }
