package requestid_test

import (
	"context"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/requestid"
)

func TestNew_IsValidAndUnique(t *testing.T) {
	t.Parallel()
	a, b := requestid.New(), requestid.New()
	if a == b || len(a) != 32 || !requestid.Valid(a) {
		t.Fatalf("unexpected ids %q %q", a, b)
	}
}

func TestValid_RejectsUnsafeIDs(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "a b", "x\ny", strings.Repeat("a", 129), "<script>", "é"} {
		if requestid.Valid(id) {
			t.Errorf("Valid(%q) = true", id)
		}
	}
	for _, id := range []string{"abc", "req-1_2.3:4", strings.Repeat("a", 128)} {
		if !requestid.Valid(id) {
			t.Errorf("Valid(%q) = false", id)
		}
	}
}

func TestWithFrom_RoundTrip(t *testing.T) {
	t.Parallel()
	if requestid.From(context.Background()) != "" {
		t.Fatal("empty context has an id")
	}
	if got := requestid.From(requestid.With(context.Background(), "r1")); got != "r1" {
		t.Fatalf("From = %q", got)
	}
}
