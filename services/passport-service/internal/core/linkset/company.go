package linkset

import "strings"

// CompanyPart returns the part of an anchor key's primary key value where
// the GS1 Company Prefix starts, for matching against brands (company
// prefixes): GTIN (01) and ITIP (8006) after the indicator digit, SSCC (00)
// after the extension digit, GRAI (8003) after its leading zero, every other
// key from its first character. key is a canonical path such as
// "/01/09506000134352/10/LOT1"; the value is returned as it appears there
// (company prefixes are digits, which canonical paths never encode). It
// returns "" when key does not look like a canonical path.
func CompanyPart(key string) string {
	if len(key) < 2 || key[0] != '/' {
		return ""
	}
	ai, rest, ok := strings.Cut(key[1:], "/")
	if !ok {
		return ""
	}
	value, _, _ := strings.Cut(rest, "/")
	switch ai {
	case "01", "8006", "00", "8003":
		if len(value) < 2 {
			return ""
		}
		return value[1:]
	}
	return value
}

// IsCompanyPrefix reports whether s can be a GS1 Company Prefix as the
// brands claim carries it: 4 to 12 digits. Anything else (an empty string
// above all, which would prefix every key) matches no key.
func IsCompanyPrefix(s string) bool { return digits(s, 4, 12) }

// digits reports whether s is between min and max ASCII digits long.
func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Owner returns the longest of brands that prefixes the company part of key:
// the brand that owns it. ok is false when none does. Brands that are not
// company prefixes (IsCompanyPrefix) are ignored.
func Owner(key string, brands []string) (brand string, ok bool) {
	part := CompanyPart(key)
	for _, b := range brands {
		if IsCompanyPrefix(b) && strings.HasPrefix(part, b) && len(b) > len(brand) {
			brand, ok = b, true
		}
	}
	return brand, ok
}
