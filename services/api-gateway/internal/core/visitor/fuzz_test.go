package visitor_test

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/core/visitor"
)

// FuzzValidID checks ValidID against its definition: exactly IDLen
// characters of the base64url alphabet, which then decode to 16 bytes.
func FuzzValidID(f *testing.F) {
	for _, s := range []string{idA, idB, "", "abc", idA + "=", "AAAAAAAAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAAAAAAAA\x00", visitor.NewID()} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := len(s) == visitor.IDLen &&
			strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
		if got := visitor.ValidID(s); got != want {
			t.Fatalf("ValidID(%q) = %v, want %v", s, got, want)
		}
		if want {
			if b, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(b) != 16 {
				t.Fatalf("valid id %q decodes to %d bytes, %v", s, len(b), err)
			}
		}
	})
}

// FuzzCookies checks FromCookies and WithID on arbitrary Cookie header lines:
// a found id is valid and was sent; WithID keeps every other pair in order,
// drops every visitor pair and ends with the new one, which FromCookies
// then finds alone.
func FuzzCookies(f *testing.F) {
	f.Add("a=1; pt_visitor="+idB, "")
	f.Add("pt_visitor=bad", "pt_visitor="+idB)
	f.Add(`pt_visitor="`+idB+`"; x`, "b=2;;c")
	f.Add("", "")
	f.Add(" pt_visitor = "+idA+" ;", "\tpt_visitor")
	f.Fuzz(func(t *testing.T, line1, line2 string) {
		lines := []string{line1, line2}
		id, alone := visitor.FromCookies(lines)
		if id != "" && (!visitor.ValidID(id) || !strings.Contains(line1+";"+line2, id)) {
			t.Fatalf("FromCookies(%q) = %q: not a valid id that was sent", lines, id)
		}
		if alone && id == "" {
			t.Fatalf("FromCookies(%q) alone without an id", lines)
		}
		visitorPairs := slices.DeleteFunc(pairs(lines), func(p string) bool { return !isVisitorPair(p) })
		if alone != (id != "" && len(visitorPairs) == 1) {
			t.Fatalf("FromCookies(%q) alone = %v with visitor pairs %q", lines, alone, visitorPairs)
		}

		out := visitor.WithID(lines, idA)
		kept := slices.DeleteFunc(pairs(lines), isVisitorPair)
		want := append(kept, visitor.CookieName+"="+idA)
		if got := pairs([]string{out}); !slices.Equal(got, want) {
			t.Fatalf("WithID(%q) = %q, pairs %q; want %q", lines, out, got, want)
		}
		if got, alone := visitor.FromCookies([]string{out}); got != idA || !alone {
			t.Fatalf("FromCookies(WithID(%q)) = %q, %v; want %q alone", lines, got, alone, idA)
		}
	})
}
