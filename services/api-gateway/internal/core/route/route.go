// Package route decides which backend service answers a request path. It is
// the gateway's routing table: pure, allocation-free on the hot path, and
// free of net/http so that it can be tested and fuzzed on plain strings.
package route

import (
	"slices"
	"strings"
)

// Backend names the service that answers a request.
type Backend string

// The backends the gateway routes to. Gateway means the gateway answers the
// request itself.
const (
	Passport        Backend = "passport-service"
	Fridge          Backend = "fridge-service"
	Measurement     Backend = "measurement-pipeline"
	Identity        Backend = "identity-service"
	Personalization Backend = "personalization-service"
	BrandAnalytics  Backend = "brand-analytics-service"
	Gateway         Backend = "api-gateway"
)

// APIPrefix starts every path of the services' own JSON APIs; the segment
// after it is a service's short name.
const APIPrefix = "/api/v1/"

// ResolverDescriptionPath is the GS1 resolver description file (GS1-Conformant
// Resolver standard R21), answered by passport-service.
const ResolverDescriptionPath = "/.well-known/gs1resolver"

// PassportPagePath starts passport-service's server-rendered passport page;
// it and every path beneath it go to passport-service.
const PassportPagePath = "/passport"

// primaryKeyAIs are the GS1 Application Identifiers that may start a GS1
// Digital Link URI path: the AIs that carry the "dlpkey" attribute in the GS1
// Barcode Syntax Dictionary (gs1-syntax-dictionary.txt, maintained by GS1
// AISBL; `grep dlpkey` lists exactly these sixteen). 415 (pay-to) is one of
// them even though the Digital Link 1.4.1 ABNF gives it no qualifier.
var primaryKeyAIs = []string{
	"00",   // SSCC
	"01",   // GTIN
	"253",  // GDTI
	"255",  // GCN
	"401",  // GINC
	"402",  // GSIN
	"414",  // GLN of a physical location
	"415",  // GLN of the invoicing party (pay to)
	"417",  // party GLN
	"8003", // GRAI
	"8004", // GIAI
	"8006", // ITIP
	"8010", // CPID
	"8013", // GMN
	"8017", // GSRN of the provider
	"8018", // GSRN of the recipient
}

// shortNames maps the segment after /api/v1/ to its backend.
var shortNames = map[string]Backend{
	"gateway":         Gateway,
	"passport":        Passport,
	"fridge":          Fridge,
	"measurement":     Measurement,
	"identity":        Identity,
	"personalization": Personalization,
	"analytics":       BrandAnalytics,
}

// PrimaryKeyAIs returns the GS1 primary-key Application Identifiers whose
// Digital Link paths go to passport-service, in dictionary order. The slice is
// a copy.
func PrimaryKeyAIs() []string {
	return slices.Clone(primaryKeyAIs)
}

// ShortNames returns the /api/v1/<short> names and their backends. The map is
// a copy.
func ShortNames() map[string]Backend {
	m := make(map[string]Backend, len(shortNames))
	for k, v := range shortNames {
		m[k] = v
	}
	return m
}

// Table is the routing table. Build it once with NewTable and share it: it is
// read-only and safe for concurrent use.
type Table struct {
	primaryKeys map[string]struct{}
	apis        map[string]Backend
}

// NewTable returns the gateway's routing table.
func NewTable() *Table {
	t := &Table{
		primaryKeys: make(map[string]struct{}, len(primaryKeyAIs)),
		apis:        ShortNames(),
	}
	for _, ai := range primaryKeyAIs {
		t.primaryKeys[ai] = struct{}{}
	}
	return t
}

// Route is where a matched path goes.
type Route struct {
	// Backend answers the path.
	Backend Backend
	// ShopperPage reports that a shopper's browser opens the path: a scanned
	// GS1 Digital Link (plain or compressed) or the passport page. These
	// paths get the visitor cookie; the JSON APIs and the resolver
	// description file, read by programs, do not.
	ShopperPage bool
}

// Match returns the backend for a request path (the decoded URL path) and
// whether there is one. See Lookup for the rules.
func (t *Table) Match(path string) (Backend, bool) {
	r, ok := t.Lookup(path)
	return r.Backend, ok
}

// Lookup returns the route for a request path (the decoded URL path) and
// whether there is one. Rules, in order:
//
//   - the resolver description file and anything beneath it: passport-service;
//   - /api/v1/<short> and /api/v1/<short>/...: the service with that short name;
//   - /passport and /passport/...: passport-service (the passport page,
//     a shopper page);
//   - /<segment>[/] where the one segment is at least MinCompressedLen
//     base64url characters: passport-service (a compressed Digital Link URI,
//     a shopper page);
//   - /<primary-key AI>/<value>[/...]: passport-service (GS1 Digital Link, a
//     shopper page; the key value is passport-service's to validate, not the
//     gateway's).
//
// Paths with a "." or ".." segment never match: a backend may resolve them
// to another path than the one the gateway routed and authorised, so they
// are refused here rather than interpreted twice.
func (t *Table) Lookup(path string) (Route, bool) {
	if len(path) < 2 || path[0] != '/' || hasDotSegment(path) {
		return Route{}, false
	}
	if under(path, ResolverDescriptionPath) {
		return Route{Backend: Passport}, true
	}
	if rest, ok := strings.CutPrefix(path, APIPrefix); ok {
		short, _, _ := strings.Cut(rest, "/")
		b, found := t.apis[short]
		return Route{Backend: b}, found
	}
	shopper := Route{Backend: Passport, ShopperPage: true}
	if under(path, PassportPagePath) {
		return shopper, true
	}
	first, rest, ok := strings.Cut(path[1:], "/")
	if (!ok || rest == "") && isCompressedSegment(first) {
		return shopper, true // a compressed Digital Link URI, trailing slash tolerated
	}
	if !ok || rest == "" || rest[0] == '/' {
		return Route{}, false // a primary key needs a non-empty value segment
	}
	if _, isKey := t.primaryKeys[first]; isKey {
		return shopper, true
	}
	return Route{}, false
}

// MinCompressedLen is the shortest path segment taken for a compressed GS1
// Digital Link URI. The shortest meaningful one, a GTIN alone, compresses to
// 10 base64url characters (8 bits of AI and 47 of value); 8 leaves room and
// still keeps short words such as "favicon" away from the resolver.
const MinCompressedLen = 8

// isCompressedSegment reports whether seg could be a compressed GS1 Digital
// Link URI: base64url characters only, at least MinCompressedLen of them.
// passport-service decides whether it really is one.
func isCompressedSegment(seg string) bool {
	if len(seg) < MinCompressedLen {
		return false
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// under reports whether path is prefix itself or a path beneath it.
func under(path, prefix string) bool {
	rest, ok := strings.CutPrefix(path, prefix)
	return ok && (rest == "" || rest[0] == '/')
}

// hasDotSegment reports whether any segment of path is "." or "..".
func hasDotSegment(path string) bool {
	for i := 0; i < len(path); i++ {
		if path[i] != '.' || (i > 0 && path[i-1] != '/') {
			continue
		}
		j := i + 1
		if j < len(path) && path[j] == '.' {
			j++
		}
		if j == len(path) || path[j] == '/' {
			return true
		}
	}
	return false
}
