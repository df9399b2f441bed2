package scan

import (
	"strings"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// isoCountries are the 249 officially assigned ISO 3166-1 alpha-2 codes, as
// listed in Debian's iso-codes 4.15.0 (json/iso_3166-1.json). Reserved and
// user-assigned codes (EU, UK, XK, ZZ, ...) are not among them.
const isoCountries = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR " +
	"BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES " +
	"ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN " +
	"IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG " +
	"MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL " +
	"PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF " +
	"TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// countries[a][b] says whether the code of letters 'A'+a, 'A'+b is assigned.
var countries = func() (t [26][26]bool) {
	for c := range strings.FieldsSeq(isoCountries) {
		t[c[0]-'A'][c[1]-'A'] = true
	}
	return t
}()

// ValidRegion reports whether s is an officially assigned ISO 3166-1
// alpha-2 country code in upper case ("CH", not "ch", "EU" or "419").
func ValidRegion(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	return countries[s[0]-'A'][s[1]-'A']
}

// NormalizeRegion returns s in upper case when it is an assigned ISO
// 3166-1 alpha-2 code in either case, else Unknown. It does not allocate
// for valid codes.
func NormalizeRegion(s string) string {
	if len(s) != 2 {
		return Unknown
	}
	a, b := toUpper(s[0]), toUpper(s[1])
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || !countries[a-'A'][b-'A'] {
		return Unknown
	}
	return regionNames[a-'A'][b-'A']
}

// regionNames holds each two-letter code as a string, so that normalizing
// one never allocates.
var regionNames = func() (t [26][26]string) {
	for a := range 26 {
		for b := range 26 {
			t[a][b] = string([]byte{byte('A' + a), byte('A' + b)})
		}
	}
	return t
}()

func toUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// RegionFromAcceptLanguage returns the country of an Accept-Language header
// (RFC 9110 section 12.5.4): the region subtag of the language range with
// the highest q-value (the first of equals), in upper case, when it is an
// assigned ISO 3166-1 alpha-2 code; else Unknown. "fr-CH,fr;q=0.9" is CH;
// "en" (no region), "es-419" (a UN M.49 area) and "*" are Unknown. It does
// not allocate.
func RegionFromAcceptLanguage(h string) string {
	best := resolver.PreferredRange(h)
	if best == "" {
		return Unknown
	}
	return NormalizeRegion(regionSubtag(best))
}

// regionSubtag returns the region subtag of a BCP 47 language tag
// (RFC 5646 section 2.1: language, optional extlang or script, then an
// optional region of two letters or three digits), or "".
func regionSubtag(tag string) string {
	lang, rest, _ := strings.Cut(tag, "-")
	if len(lang) < 2 || len(lang) > 8 {
		return "" // "*", "i-..." and "x-..." have no region
	}
	for i := 0; rest != "" && i < 5; i++ {
		var sub string
		sub, rest, _ = strings.Cut(rest, "-")
		switch {
		case len(sub) == 2 && isAlpha(sub):
			return sub
		case len(sub) == 3 && isAlpha(sub) && i < 3, len(sub) == 4 && isAlpha(sub):
			continue // extlang or script
		default:
			return "" // a numeric area, a variant or an extension: no country
		}
	}
	return ""
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
