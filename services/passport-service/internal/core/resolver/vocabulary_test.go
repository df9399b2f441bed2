package resolver_test

import (
	"slices"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

func TestNormalizeLinkType_Spellings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"gs1:pip", "https://gs1.org/voc/pip", true},
		{"GS1:pip", "https://gs1.org/voc/pip", true},
		{"https://gs1.org/voc/pip", "https://gs1.org/voc/pip", true},
		{"https://ref.gs1.org/voc/certificationInfo", "https://gs1.org/voc/certificationInfo", true},
		{"https://www.gs1.org/voc/defaultLink", resolver.LinkTypeDefault, true},
		{"http://gs1.org/voc/defaultLinkMulti", resolver.LinkTypeDefaultMulti, true},
		{"http://ref.gs1.org/voc/dpp", resolver.LinkTypeDPP, true},
		{"HTTPS://WWW.GS1.ORG/voc/epcis", "https://gs1.org/voc/epcis", true},
		{"gs1:nosuchlt", "", false},
		{"gs1:PIP", "", false}, // terms are case-sensitive
		{"gs1:", "", false},
		{"pip", "", false},
		{"https://gs1.org/voc/", "", false},
		{"https://example.com/voc/pip", "", false},
		{"https://schema.org/pip", "", false},
		{"linkset", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := resolver.NormalizeLinkType(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("NormalizeLinkType(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNormalizeLinkType_EveryTermRoundTrips(t *testing.T) {
	t.Parallel()
	types := resolver.LinkTypes()
	if len(types) != 53 {
		t.Fatalf("LinkTypes() has %d entries, want 53 (52 from webVoc.js plus dpp)", len(types))
	}
	if !slices.IsSorted(types) {
		t.Error("LinkTypes() is not sorted")
	}
	for _, lt := range types {
		if got, ok := resolver.NormalizeLinkType(lt); !ok || got != lt {
			t.Errorf("NormalizeLinkType(%q) = %q, %v", lt, got, ok)
		}
		curie := resolver.CompactLinkType(lt)
		if got, ok := resolver.NormalizeLinkType(curie); !ok || got != lt {
			t.Errorf("NormalizeLinkType(%q) = %q, %v; want %q", curie, got, ok, lt)
		}
	}
	if got := resolver.CompactLinkType("https://example.com/x"); got != "https://example.com/x" {
		t.Errorf("CompactLinkType kept foreign URI as %q", got)
	}
}

func TestNormalizeLinkType_DoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = resolver.NormalizeLinkType("https://ref.gs1.org/voc/pip")
		_, _ = resolver.NormalizeLinkType("gs1:certificationInfo")
	})
	if allocs != 0 {
		t.Errorf("NormalizeLinkType allocates %v times per run", allocs)
	}
}
