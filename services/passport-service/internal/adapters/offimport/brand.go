package offimport

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// BrandSlug turns a brand name into a brand id (catalog.ValidBrandID):
// lower-case ASCII letters and digits, accents dropped ("Nestlé" ->
// "nestle"), apostrophes dropped ("Patak's" -> "pataks"), any other run of
// characters a single dash ("Lindt & Sprüngli" -> "lindt-sprungli"), at
// most 64 characters. A name with no Latin letters or digits gets
// "brand-" and a hash of the name, so different names stay apart; no name
// at all gives UnknownBrand.
func BrandSlug(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return UnknownBrand
	}
	var b strings.Builder
	b.Grow(len(name))
	dash := false
	put := func(s string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	for _, r := range norm.NFKD.String(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			put(string(r))
		case r >= 'A' && r <= 'Z':
			put(string(r + 'a' - 'A'))
		case unicode.Is(unicode.Mn, r), r == '\'', r == '\u2019':
			// accents and apostrophes vanish
		default:
			if s, ok := latinExtras[r]; ok {
				put(s)
			} else {
				dash = true
			}
		}
		if b.Len() >= 64 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	switch {
	case s == "":
		h := fnv.New32a()
		_, _ = h.Write([]byte(name))
		return "brand-" + strconv.FormatUint(uint64(h.Sum32()), 16)
	case len(s) < 2:
		return "brand-" + s
	}
	return s
}

// latinExtras spells letters that do not decompose into ASCII plus accents.
var latinExtras = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
}
