package route_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
)

// FuzzMatch checks that Lookup and Match never panic, agree, and that every
// match is explained by one of the rules: a known short name, the resolver
// description file, the passport page, a compressed URI or a primary-key AI
// with a value; only the last three are shopper pages. It also checks that a
// matched path keeps its route when a further segment is appended.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{
		"/01/09506000134352", "/01/09506000134352/10/AB%2FC", "/api/v1/fridge", "/api/v1/gateway/x",
		"/.well-known/gs1resolver", "/", "", "//", "/01/", "/api/v1/", "/a/../b", "/8018/1", "/ARFKk4XB0CDKWcnpq", "/CxFKk4XB0MpZyemo/",
		"/passport", "/passport/", "/passport/01/09506000134352", "/passports", "/passport/../x",
	} {
		f.Add(s)
	}
	table := route.NewTable()
	names := route.ShortNames()
	keys := route.PrimaryKeyAIs()
	known := map[route.Backend]bool{}
	for _, b := range names {
		known[b] = true
	}
	f.Fuzz(func(t *testing.T, path string) {
		r, ok := table.Lookup(path)
		b, ok2 := table.Match(path)
		if b != r.Backend || ok != ok2 {
			t.Fatalf("Match(%q) = %q, %v but Lookup = %+v, %v", path, b, ok2, r, ok)
		}
		if !ok {
			if r != (route.Route{}) {
				t.Fatalf("Lookup(%q) = %+v with ok=false", path, r)
			}
			return
		}
		if !known[b] {
			t.Fatalf("Match(%q) = unknown backend %q", path, b)
		}
		switch {
		case strings.HasPrefix(path, route.APIPrefix):
			short, _, _ := strings.Cut(strings.TrimPrefix(path, route.APIPrefix), "/")
			if names[short] != b || r.ShopperPage {
				t.Fatalf("Lookup(%q) = %+v, short name %q means %q and no shopper page", path, r, short, names[short])
			}
		case under(path, route.ResolverDescriptionPath):
			if r != (route.Route{Backend: route.Passport}) {
				t.Fatalf("Lookup(%q) = %+v, want passport, no shopper page", path, r)
			}
		case under(path, route.PassportPagePath):
			if r != (route.Route{Backend: route.Passport, ShopperPage: true}) {
				t.Fatalf("Lookup(%q) = %+v, want the passport page", path, r)
			}
		case compressed(path):
			if r != (route.Route{Backend: route.Passport, ShopperPage: true}) {
				t.Fatalf("Lookup(%q) = %+v, want passport shopper page for a compressed URI", path, r)
			}
			return // a longer path is no longer a single segment
		default:
			segs := strings.Split(path, "/")
			if !r.ShopperPage || b != route.Passport || len(segs) < 3 || segs[0] != "" || !slices.Contains(keys, segs[1]) || segs[2] == "" {
				t.Fatalf("Lookup(%q) = %+v: no rule explains it", path, r)
			}
		}
		for _, seg := range strings.Split(path, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("Match(%q) matched a path with a dot segment", path)
			}
		}
		longer := strings.TrimSuffix(path, "/") + "/x"
		if lr, lok := table.Lookup(longer); !lok || lr != r {
			t.Fatalf("Lookup(%q) = %+v but Lookup(%q) = %+v, %v", path, r, longer, lr, lok)
		}
	})
}

// under reports whether path is prefix or a path beneath it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// compressed reports whether path is one segment (trailing slash allowed) of
// at least route.MinCompressedLen base64url characters.
func compressed(path string) bool {
	seg := strings.TrimSuffix(strings.TrimPrefix(path, "/"), "/")
	if len(seg) < route.MinCompressedLen {
		return false
	}
	return strings.Trim(seg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}
