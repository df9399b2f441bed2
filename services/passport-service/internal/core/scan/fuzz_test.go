package scan_test

import (
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// FuzzClassifyUserAgent feeds arbitrary User-Agent headers to the
// classifier. Properties: no panic; the class is one of the contract's;
// only the first 512 bytes count; an empty or blank value is unknown.
func FuzzClassifyUserAgent(f *testing.F) {
	for _, s := range []string{
		"", " ", "curl/8.5.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"okhttp/4.12.0", "\xff\xfe", "b", "Mozilla/", "MOZILLA/5.0 (IPHONE", strings.Repeat("x", 600) + "bot",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ua string) {
		c := scan.ClassifyUserAgent(ua)
		switch c {
		case scan.ClassUnknown, scan.ClassBrowserMobile, scan.ClassBrowserDesktop, scan.ClassApp, scan.ClassBot, scan.ClassCLI, scan.ClassOther:
		default:
			t.Fatalf("class %d out of range", c)
		}
		if (strings.TrimSpace(ua) == "") != (c == scan.ClassUnknown) {
			t.Fatalf("%q: class %s", ua, c)
		}
		if trimmed := strings.TrimSpace(ua); len(trimmed) > 512 {
			if got := scan.ClassifyUserAgent(trimmed[:512]); got != c {
				t.Fatalf("bytes past 512 changed the class: %s vs %s", c, got)
			}
		}
	})
}

// FuzzRegionFromAcceptLanguage feeds arbitrary Accept-Language headers.
// Properties: no panic; the result is Unknown or a valid region; a header
// with one more, lower-ranked range keeps its answer.
func FuzzRegionFromAcceptLanguage(f *testing.F) {
	for _, s := range []string{
		"", "*", "fr-CH,fr;q=0.9,en;q=0.8", "en", "es-419", "zh-Hant-TW", "de-AT;q=0.9, en-GB;q=0.9",
		";;,,;q=", "de-;q=0.,-,*;q=1.0001", "en-gb;Q=1.000", "x-a-b-c-d-e-f-g", "\xffi-CH",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r := scan.RegionFromAcceptLanguage(h)
		if r != scan.Unknown && !scan.ValidRegion(r) {
			t.Fatalf("RegionFromAcceptLanguage(%q) = %q", h, r)
		}
		if strings.Count(h, ",") < 30 {
			if got := scan.RegionFromAcceptLanguage(h + ",zz-ZZ;q=0.001"); got != r && r != scan.Unknown {
				t.Fatalf("a lower-ranked range changed %q from %q to %q", h, r, got)
			}
		}
	})
}
