package scan_test

import (
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

func TestClassifyUserAgent_Classes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ua   string
		want scan.Class
	}{
		{"", scan.ClassUnknown},
		{"   ", scan.ClassUnknown},
		// Browsers.
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", scan.ClassBrowserMobile},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", scan.ClassBrowserMobile},
		{"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", scan.ClassBrowserMobile},
		{"Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", scan.ClassBrowserMobile},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", scan.ClassBrowserDesktop},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", scan.ClassBrowserDesktop},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", scan.ClassBrowserDesktop},
		{"MOZILLA/5.0 (X11; LINUX X86_64; RV:128.0) GECKO/20100101 FIREFOX/128.0", scan.ClassBrowserDesktop},
		// Apps and in-app web views.
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", scan.ClassApp},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0 Mobile Safari/537.36", scan.ClassApp},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0]", scan.ClassApp},
		{"ShopApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0", scan.ClassApp},
		{"okhttp/4.12.0", scan.ClassApp},
		{"Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8)", scan.ClassApp},
		// Bots.
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", scan.ClassBot},
		{"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 (compatible; Googlebot/2.1)", scan.ClassBot},
		{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", scan.ClassBot},
		{"WhatsApp/2.23.20.0", scan.ClassBot},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36", scan.ClassBot},
		// Command-line tools.
		{"curl/8.5.0", scan.ClassCLI},
		{"Wget/1.21.4", scan.ClassCLI},
		{"python-requests/2.32.3", scan.ClassCLI},
		{"Go-http-client/1.1", scan.ClassCLI},
		{"HTTPie/3.2.2", scan.ClassCLI},
		{"Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.2506", scan.ClassCLI},
		// Anything else.
		{"SomeThing/1.0", scan.ClassOther},
		{"x", scan.ClassOther},
	}
	for _, tt := range tests {
		if got := scan.ClassifyUserAgent(tt.ua); got != tt.want {
			t.Errorf("ClassifyUserAgent(%q) = %s, want %s", tt.ua, got, tt.want)
		}
	}
}

func TestClassifyUserAgent_LooksAtTheFirst512Bytes(t *testing.T) {
	t.Parallel()
	long := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) " + strings.Repeat("a", 600) + " Googlebot/2.1"
	if got := scan.ClassifyUserAgent(long); got != scan.ClassBrowserDesktop {
		t.Fatalf("marker past 512 bytes counted: %s", got)
	}
}

func TestClass_Names(t *testing.T) {
	t.Parallel()
	names := map[scan.Class]string{
		scan.ClassUnknown: "unknown", scan.ClassBrowserMobile: "browser_mobile", scan.ClassBrowserDesktop: "browser_desktop",
		scan.ClassApp: "app", scan.ClassBot: "bot", scan.ClassCLI: "cli", scan.ClassOther: "other", scan.Class(200): "other",
	}
	for c, want := range names {
		if c.String() != want {
			t.Errorf("Class(%d) = %q, want %q", c, c.String(), want)
		}
	}
}

// BenchmarkClassifyUserAgent classifies a typical mobile browser's
// User-Agent, as the resolver does on every recorded scan.
func BenchmarkClassifyUserAgent(b *testing.B) {
	ua := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	b.ReportAllocs()
	for b.Loop() {
		if scan.ClassifyUserAgent(ua) != scan.ClassBrowserMobile {
			b.Fatal("wrong class")
		}
	}
}
