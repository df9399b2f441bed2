// Package visitor gives each shopper's browser a visitor id: an opaque random
// token the gateway keeps in a first-party cookie, so that passport-service
// can tell repeat scans of one browser apart from scans by many without
// knowing who the shopper is. The package holds the id's format and the
// reading and rewriting of Cookie request headers; setting the cookie on a
// response is the HTTP adapter's job.
package visitor

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// CookieName is the name of the cookie that carries the visitor id.
const CookieName = "pt_visitor"

// IDLen is the length of a visitor id: 16 random bytes in unpadded base64url.
const IDLen = 22

// NewID returns a fresh visitor id: 128 bits from crypto/rand, so ids do not
// collide and cannot be guessed from one another.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error; it crashes the program instead.
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidID reports whether s has the form of a visitor id: IDLen characters
// of the base64url alphabet. The id is opaque and compared as text, so the
// unused low bits of the last character are not checked.
func ValidID(s string) bool {
	if len(s) != IDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// FromCookies returns the visitor id in a request's Cookie header lines: the
// value of the first CookieName pair that is a valid id (surrounding double
// quotes allowed, as RFC 6265 permits), or "" when there is none. alone
// reports that the lines hold no other CookieName pair, so that they can be
// forwarded as they are. It does not allocate.
func FromCookies(lines []string) (id string, alone bool) {
	pairs := 0
	for _, line := range lines {
		for line != "" {
			var pair string
			pair, line, _ = strings.Cut(line, ";")
			name, value, ok := strings.Cut(pair, "=")
			if strings.Trim(name, " \t") != CookieName {
				continue
			}
			pairs++
			if !ok || id != "" {
				continue
			}
			value = strings.Trim(value, " \t")
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			if ValidID(value) {
				id = value
			}
		}
	}
	return id, id != "" && pairs == 1
}

// WithID returns the value of a single Cookie header that carries every pair
// of lines except those named CookieName, unchanged and in order, followed by
// CookieName=id. HTTP/2 clients may send several Cookie lines; they are
// joined with "; " as RFC 9113, section 8.2.3 prescribes for forwarding
// them over HTTP/1.1.
func WithID(lines []string, id string) string {
	var sb strings.Builder
	for _, line := range lines {
		for line != "" {
			var pair string
			pair, line, _ = strings.Cut(line, ";")
			pair = strings.Trim(pair, " \t")
			name, _, _ := strings.Cut(pair, "=")
			if pair == "" || strings.Trim(name, " \t") == CookieName {
				continue
			}
			sb.WriteString(pair)
			sb.WriteString("; ")
		}
	}
	sb.WriteString(CookieName)
	sb.WriteByte('=')
	sb.WriteString(id)
	return sb.String()
}
