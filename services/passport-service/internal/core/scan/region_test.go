package scan_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

func TestValidRegion_AssignedUpperCaseOnly(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"CH", "DE", "US", "GB", "AX", "ZW", "AQ"} {
		if !scan.ValidRegion(ok) {
			t.Errorf("ValidRegion(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "C", "CHE", "ch", "Ch", "EU", "UK", "XK", "ZZ", "AA", "419", "1A", "C\x00", "unknown"} {
		if scan.ValidRegion(bad) {
			t.Errorf("ValidRegion(%q) = true", bad)
		}
	}
}

func TestNormalizeRegion_UpperCasesOrUnknown(t *testing.T) {
	t.Parallel()
	tests := map[string]string{"ch": "CH", "De": "DE", "US": "US", "uk": scan.Unknown, "": scan.Unknown, "xx": scan.Unknown, "chx": scan.Unknown, "1a": scan.Unknown}
	for in, want := range tests {
		if got := scan.NormalizeRegion(in); got != want {
			t.Errorf("NormalizeRegion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegionFromAcceptLanguage_HighestQRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header, want string
	}{
		{"fr-CH,fr;q=0.9,en;q=0.8", "CH"},
		{"en-us", "US"},
		{"de-DE", "DE"},
		{"zh-Hant-TW", "TW"},
		{"zh-yue-HK", "HK"},
		{"sr-Latn-RS-x-private", "RS"},
		{"en;q=0.5, de-AT;q=0.9", "AT"},
		{"de-AT;q=0.9, en-GB;q=0.9", "AT"}, // the first of equals
		{"en, en-US;q=0.9", scan.Unknown},  // the favourite names no region
		{"es-419", scan.Unknown},
		{"en-EU", scan.Unknown},
		{"*", scan.Unknown},
		{"x-klingon-KL", scan.Unknown},
		{"", scan.Unknown},
		{" , ;q=1, fr-FR", "FR"},
		{"fr-FR;q=0, de-DE;q=0.1", "DE"},
		{"fr-FR;q=2, it-IT;q=0.3", "IT"}, // a malformed q-value loses
		{"de-1996-CH", scan.Unknown},     // a variant before the region is no region
		{"en-gb;Q=1.000", "GB"},
	}
	for _, tt := range tests {
		if got := scan.RegionFromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("RegionFromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

// BenchmarkRegionFromAcceptLanguage reads a browser's header, as the
// resolver does for a scan without a trusted region header.
func BenchmarkRegionFromAcceptLanguage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if scan.RegionFromAcceptLanguage("fr-CH,fr;q=0.9,en;q=0.8,de;q=0.7,*;q=0.5") != "CH" {
			b.Fatal("wrong region")
		}
	}
}
