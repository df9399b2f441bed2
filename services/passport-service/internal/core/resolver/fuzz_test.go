package resolver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// FuzzResolve feeds outside input (the linkType and context parameters, the
// Accept and Accept-Language headers, the forwarded query and a lot value)
// to Resolve. Properties: no panic; a redirect has a target that starts like
// its link and no unfilled template; linksets and choices are valid JSON
// that GS1's schema accepts.
func FuzzResolve(f *testing.F) {
	f.Add("", "", "", "", "", "LOT1")
	f.Add("gs1:pip", "LK", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "en-GB,en;q=0.9,fr;q=0.8", "foo=bar", "LOT1")
	f.Add("linkset", "", "", "", "", "A/B")
	f.Add("", "", "application/linkset+json;q=1.000, text/html;q=0.999", "*", "", "x")
	f.Add("https://ref.gs1.org/voc/traceability", "", ";;,,;q=", "de-;q=0.,-,*;q=1.0001", "a=1#x", "%25{10}")
	f.Add("gs1:instructions", "\x00", "*/*;q=0", "und", "?&", "\xff")
	idx := fixture(f)
	f.Fuzz(func(t *testing.T, linkType, context, accept, acceptLanguage, query, lot string) {
		req := resolver.Request{
			URI:      uri(2, "01", gtinA, "10", lot),
			LinkType: linkType, Context: context, Accept: accept, AcceptLanguage: acceptLanguage, Query: query,
		}
		res := resolver.Resolve(idx, req)
		switch res.Kind {
		case resolver.Redirect:
			if res.Link == nil || res.Href == "" {
				t.Fatalf("redirect without target: %+v", res)
			}
			prefix, _, _ := strings.Cut(res.Link.Href, "{")
			if !strings.HasPrefix(res.Href, prefix) {
				t.Fatalf("href %q does not start like its link %q", res.Href, res.Link.Href)
			}
			if strings.Contains(res.Href, "{10}") && !strings.Contains(lot, "{10}") {
				t.Fatalf("unfilled template in %q", res.Href)
			}
		case resolver.Choices, resolver.LinksetDoc:
			doc := resolver.AppendLinkset(nil, root, res.Linkset)
			if !json.Valid(doc) {
				t.Fatalf("invalid JSON: %s", doc)
			}
			validateLinkset(t, doc)
		case resolver.NotFound:
			if res.Code == "" {
				t.Fatal("not found without a code")
			}
		default:
			t.Fatalf("unknown kind %d", res.Kind)
		}
	})
}
