package proxy

import (
	"strings"
	"testing"
)

// FuzzPrivateCacheControl checks that whatever Cache-Control a backend sends,
// the rewritten value forbids shared caching (private or no-store) and no
// longer grants it (public, s-maxage), read back with the same quote-aware
// splitting a cache would use; and that it adds no directive but private.
func FuzzPrivateCacheControl(f *testing.F) {
	for _, s := range []string{"", "public, max-age=60", `no-cache="a, b", public`, `private="x\"y,z"`, "no-store", `"`, `a="\`, ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := privateCacheControl([]string{s, "max-age=1"})
		ds := splitDirectives(out)
		names := map[string]bool{}
		for _, d := range ds {
			name, _, _ := strings.Cut(d, "=")
			names[strings.ToLower(strings.TrimSpace(name))] = true
		}
		if (!names["private"] && !names["no-store"]) || names["public"] || names["s-maxage"] {
			t.Fatalf("privateCacheControl(%q) = %q", s, out)
		}
		in := map[string]bool{"private": true, "max-age=1": true}
		for _, d := range splitDirectives(s) {
			in[d] = true
		}
		for _, d := range ds {
			if !in[d] {
				t.Fatalf("privateCacheControl(%q) = %q: directive %q was not sent", s, out, d)
			}
		}
	})
}
