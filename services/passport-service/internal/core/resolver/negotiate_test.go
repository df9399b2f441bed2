package resolver_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

func TestPreferredRange_HighestQFirstOfEquals(t *testing.T) {
	t.Parallel()
	for h, want := range map[string]string{
		"fr-CH, fr;q=0.9, en;q=0.8": "fr-CH",
		"en;q=0.5, de-AT;q=0.7":     "de-AT",
		"de;q=0.7, it;q=0.7":        "de",
		"en;q=0, fr;q=bad":          "",
		" , ,":                      "",
		"":                          "",
	} {
		if got := resolver.PreferredRange(h); got != want {
			t.Errorf("PreferredRange(%q) = %q, want %q", h, got, want)
		}
	}
}
