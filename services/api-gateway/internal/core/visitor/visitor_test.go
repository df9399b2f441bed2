package visitor_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/core/visitor"
)

const (
	idA = "AAAAAAAAAAAAAAAAAAAAAA"
	idB = "q83vEjRWeJCrze8SNFZ4kA"
)

func TestNewID_IsValidAndFresh(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := visitor.NewID()
		if !visitor.ValidID(id) {
			t.Fatalf("NewID() = %q is not a valid id", id)
		}
		b, err := base64.RawURLEncoding.Strict().DecodeString(id)
		if err != nil || len(b) != 16 {
			t.Fatalf("NewID() = %q decodes to %d bytes, %v; want 16 canonical bytes", id, len(b), err)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
}

func TestValidID_Format(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		id   string
		want bool
	}{
		{"zeros", idA, true},
		{"mixed alphabet", idB, true},
		{"dash and underscore", "-_-_-_-_-_-_-_-_-_-_-_", true},
		{"empty", "", false},
		{"one short", idA[:21], false},
		{"one long", idA + "A", false},
		{"padded", idA[:20] + "==", false},
		{"standard base64 plus", "AAAAAAAAAAAAAAAAAAAAA+", false},
		{"standard base64 slash", "AAAAAAAAAAAAAAAAAAAAA/", false},
		{"space", "AAAAAAAAAAA AAAAAAAAAA", false},
		{"non-ascii", "AAAAAAAAAAAAAAAAAAAAé", false},
		{"uuid", "0b6f3f0c-1c1e-4c47-9a3e-6a2f2f0d9b11", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := visitor.ValidID(tt.id); got != tt.want {
				t.Fatalf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

func TestFromCookies_FindsTheVisitorID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		lines     []string
		wantID    string
		wantAlone bool
	}{
		{"no header", nil, "", false},
		{"empty header", []string{""}, "", false},
		{"other cookies only", []string{"a=1; b=2"}, "", false},
		{"alone", []string{"pt_visitor=" + idB}, idB, true},
		{"among others", []string{"a=1; pt_visitor=" + idB + "; b=2"}, idB, true},
		{"no space after semicolon", []string{"a=1;pt_visitor=" + idB}, idB, true},
		{"quoted", []string{`pt_visitor="` + idB + `"`}, idB, true},
		{"second header line", []string{"a=1", "pt_visitor=" + idB}, idB, true},
		{"malformed", []string{"pt_visitor=abc"}, "", false},
		{"empty value", []string{"pt_visitor="}, "", false},
		{"no value", []string{"pt_visitor"}, "", false},
		{"too long", []string{"pt_visitor=" + idB + "A"}, "", false},
		{"malformed then valid", []string{"pt_visitor=x; pt_visitor=" + idB}, idB, false},
		{"two valid: first wins", []string{"pt_visitor=" + idB + "; pt_visitor=" + idA}, idB, false},
		{"name is case-sensitive", []string{"PT_VISITOR=" + idB}, "", false},
		{"lookalike name", []string{"pt_visitors=" + idB}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, alone := visitor.FromCookies(tt.lines)
			if id != tt.wantID || alone != tt.wantAlone {
				t.Fatalf("FromCookies(%q) = %q, %v; want %q, %v", tt.lines, id, alone, tt.wantID, tt.wantAlone)
			}
		})
	}
}

func TestWithID_ReplacesOnlyTheVisitorCookie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"no header", nil, "pt_visitor=" + idA},
		{"empty header", []string{""}, "pt_visitor=" + idA},
		{"others kept in order", []string{"b=2; a=1"}, "b=2; a=1; pt_visitor=" + idA},
		{"malformed replaced", []string{"a=1; pt_visitor=bad; c=3"}, "a=1; c=3; pt_visitor=" + idA},
		{"every visitor pair replaced", []string{"pt_visitor=x; a=1; pt_visitor=" + idB}, "a=1; pt_visitor=" + idA},
		{"lines joined", []string{"a=1", "b=2;c=3"}, "a=1; b=2; c=3; pt_visitor=" + idA},
		{"odd pairs kept as sent", []string{`q="x y"; flag; e=a=b`}, `q="x y"; flag; e=a=b; pt_visitor=` + idA},
		{"empty pairs dropped", []string{"a=1;; ;b=2;"}, "a=1; b=2; pt_visitor=" + idA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := visitor.WithID(tt.lines, idA); got != tt.want {
				t.Fatalf("WithID(%q) = %q, want %q", tt.lines, got, tt.want)
			}
		})
	}
}

func BenchmarkFromCookies(b *testing.B) {
	lines := []string{"_ga=GA1.2.3.4; theme=dark; pt_visitor=" + idB + "; lang=de"}
	b.ReportAllocs()
	for b.Loop() {
		if id, alone := visitor.FromCookies(lines); id != idB || !alone {
			b.Fatal("visitor id not found")
		}
	}
}

// pairs splits Cookie header lines into their trimmed, non-empty pairs.
func pairs(lines []string) []string {
	var out []string
	for _, line := range lines {
		for p := range strings.SplitSeq(line, ";") {
			if p = strings.Trim(p, " \t"); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func isVisitorPair(p string) bool {
	name, _, _ := strings.Cut(p, "=")
	return strings.Trim(name, " \t") == visitor.CookieName
}
