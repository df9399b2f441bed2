// Package scan is what passport-service records about one resolution of a
// GS1 Digital Link: the key scanned, its qualifiers and data attributes, a
// coarse region and user-agent class, and how the resolver answered. It
// holds the rules that turn request facts into those coarse values; it never
// sees the client's IP address.
//
// A Scan is built on the resolver's hot path, so building one copies the
// parsed elements and nothing else; everything derived (GTIN, dates, lot,
// serial) is computed later, off the request, by the methods below.
package scan

import (
	"strconv"
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// Outcome is how the resolver answered a scan.
type Outcome uint8

// Outcomes, in the order of the event contract's enum.
const (
	// Redirect is a 307 to one link.
	Redirect Outcome = iota + 1
	// Linkset is a 200 with the linkset document.
	Linkset
	// Choices is a 300 listing several links.
	Choices
	// NotFound is a 404: no anchor, or no link of the requested type.
	NotFound
)

var outcomeNames = [...]string{Redirect: "redirect", Linkset: "linkset", Choices: "choices", NotFound: "not_found"}

// String is the outcome's name in the event contract; "" for the zero value.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return ""
}

// Valid reports whether o is one of the outcomes above.
func (o Outcome) Valid() bool { return o >= Redirect && o <= NotFound }

// Unknown is the region of a scan whose country is not known.
const Unknown = "unknown"

// Scan is one recorded resolution.
type Scan struct {
	// At is when the request arrived.
	At time.Time
	// Key is the canonical Digital Link path of the primary key and its
	// key qualifiers, e.g. "/01/09506000134352/10/LOT42".
	Key string
	// Elements are the primary key, the key qualifiers (the first PathLen
	// elements) and then the data attributes, values decoded. The slice is
	// the Scan's own.
	Elements []dl.Element
	// PathLen is the number of Elements that came from the path.
	PathLen int
	// VisitorID is the gateway's pseudonymous visitor id, "" when absent.
	VisitorID string
	// AccountID is the verified token subject, "" for an anonymous scan.
	AccountID string
	// Region is an ISO 3166-1 alpha-2 country code or Unknown.
	Region string
	// UserAgent is the client's class.
	UserAgent Class
	// Outcome is how the resolver answered.
	Outcome Outcome
	// LinkType is the type of the link redirected to, or "".
	LinkType string
}

// FromURI starts the Scan of u, a parsed Digital Link without a stem,
// arriving at at; key is u's canonical path (dl.AppendPath of its path
// elements), which the caller has at hand. The other fields are the
// caller's to fill. It copies u's elements, which may share storage with u.
func FromURI(u *dl.URI, key string, at time.Time) Scan {
	elems := make([]dl.Element, len(u.Elements))
	copy(elems, u.Elements)
	return Scan{At: at, Key: key, Elements: elems, PathLen: u.PathLen, Region: Unknown, UserAgent: ClassUnknown}
}

// PrimaryKey is the scanned primary key; the zero Element for a Scan
// without elements.
func (s *Scan) PrimaryKey() dl.Element {
	if len(s.Elements) == 0 {
		return dl.Element{}
	}
	return s.Elements[0]
}

// Qualifiers are the key qualifiers, in path order.
func (s *Scan) Qualifiers() []dl.Element {
	if s.PathLen < 1 || s.PathLen > len(s.Elements) {
		return nil
	}
	return s.Elements[1:s.PathLen]
}

// Attributes are the data attributes from the query string.
func (s *Scan) Attributes() []dl.Element {
	if s.PathLen < 0 || s.PathLen > len(s.Elements) {
		return nil
	}
	return s.Elements[s.PathLen:]
}

// Value returns the value of ai, from the path or the query, and whether
// the scan carries it.
func (s *Scan) Value(ai string) (string, bool) {
	for _, e := range s.Elements {
		if e.AI == ai {
			return e.Value, true
		}
	}
	return "", false
}

// GTIN is the GTIN-14 when the primary key is a GTIN (AI 01), else "".
func (s *Scan) GTIN() string {
	if pk := s.PrimaryKey(); pk.AI == "01" {
		return pk.Value
	}
	return ""
}

// EventKey is the partitioning key of the scan's event: the GTIN, or the
// primary key's value for other keys, so that one product's scans keep
// their order.
func (s *Scan) EventKey() string { return s.PrimaryKey().Value }

// Lot is AI 10, from the path or the query; "" when absent.
func (s *Scan) Lot() string { v, _ := s.Value("10"); return v }

// Serial is AI 21, from the path or the query; "" when absent.
func (s *Scan) Serial() string { v, _ := s.Value("21"); return v }

// ExpiryDate is AI 17 (use by or expiry) as YYYY-MM-DD; false when absent
// or not a date.
func (s *Scan) ExpiryDate() (string, bool) { return s.date("17") }

// BestBeforeDate is AI 15 (best before or best by) as YYYY-MM-DD; false
// when absent or not a date.
func (s *Scan) BestBeforeDate() (string, bool) { return s.date("15") }

func (s *Scan) date(ai string) (string, bool) {
	v, ok := s.Value(ai)
	if !ok {
		return "", false
	}
	d, ok := Date(v, s.At)
	if !ok {
		return "", false
	}
	return d.Format(time.DateOnly), true
}

// Date reads a GS1 YYMMDD date (AIs 11-17) relative to now. The century
// follows GS1 General Specifications section 7.12: a year 51 to 99 years
// ahead of now's is in the previous century, one 50 to 99 years behind it
// in the next, any other in now's. A day of 00 means the last day of the
// month, as the same specification defines for these AIs. It reports false
// for anything but six digits naming a real date.
func Date(yymmdd string, now time.Time) (time.Time, bool) {
	if len(yymmdd) != 6 {
		return time.Time{}, false
	}
	n, err := strconv.Atoi(yymmdd)
	if err != nil || yymmdd[0] == '+' || yymmdd[0] == '-' {
		return time.Time{}, false
	}
	yy, mm, dd := n/10000, n/100%100, n%100
	if mm < 1 || mm > 12 {
		return time.Time{}, false
	}
	cur := now.UTC().Year()
	century := cur - cur%100
	switch diff := yy - cur%100; {
	case diff >= 51:
		century -= 100
	case diff <= -50:
		century += 100
	}
	year := century + yy
	last := time.Date(year, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	switch {
	case dd == 0:
		dd = last
	case dd > last:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC), true
}

// visitorIDLen is the length of the gateway's visitor id: 16 random bytes
// in base64url without padding.
const visitorIDLen = 22

// ValidVisitorID reports whether s has the form of the gateway's visitor
// id (cookie pt_visitor): 22 characters of the base64url alphabet.
func ValidVisitorID(s string) bool {
	if len(s) != visitorIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		if !alnum && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
