package route_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
)

// FuzzMatch checks that Match never panics and that every match is explained
// by one of the rules: a known short name, a primary-key AI with a value, or
// the resolver description file. It also checks that a matched path keeps its
// backend when a further segment is appended.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{
		"/01/09506000134352", "/01/09506000134352/10/AB%2FC", "/api/v1/fridge", "/api/v1/gateway/x",
		"/.well-known/gs1resolver", "/", "", "//", "/01/", "/api/v1/", "/a/../b", "/8018/1", "/ARFKk4XB0CDKWcnpq", "/CxFKk4XB0MpZyemo/",
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
		b, ok := table.Match(path)
		b2, ok2 := table.Match(path)
		if b != b2 || ok != ok2 {
			t.Fatalf("Match(%q) not deterministic", path)
		}
		if !ok {
			if b != "" {
				t.Fatalf("Match(%q) = %q with ok=false", path, b)
			}
			return
		}
		if !known[b] {
			t.Fatalf("Match(%q) = unknown backend %q", path, b)
		}
		switch {
		case strings.HasPrefix(path, route.APIPrefix):
			short, _, _ := strings.Cut(strings.TrimPrefix(path, route.APIPrefix), "/")
			if names[short] != b {
				t.Fatalf("Match(%q) = %q, short name %q means %q", path, b, short, names[short])
			}
		case path == route.ResolverDescriptionPath || strings.HasPrefix(path, route.ResolverDescriptionPath+"/"):
			if b != route.Passport {
				t.Fatalf("Match(%q) = %q, want passport", path, b)
			}
		case compressed(path):
			if b != route.Passport {
				t.Fatalf("Match(%q) = %q, want passport for a compressed URI", path, b)
			}
			return // a longer path is no longer a single segment
		default:
			segs := strings.Split(path, "/")
			if b != route.Passport || len(segs) < 3 || segs[0] != "" || !slices.Contains(keys, segs[1]) || segs[2] == "" {
				t.Fatalf("Match(%q) = %q: no rule explains it", path, b)
			}
		}
		for _, seg := range strings.Split(path, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("Match(%q) matched a path with a dot segment", path)
			}
		}
		longer := strings.TrimSuffix(path, "/") + "/x"
		if lb, lok := table.Match(longer); !lok || lb != b {
			t.Fatalf("Match(%q) = %q but Match(%q) = %q, %v", path, b, longer, lb, lok)
		}
	})
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
