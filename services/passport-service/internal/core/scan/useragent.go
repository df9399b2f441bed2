package scan

import "strings"

// Class is a coarse user-agent class: enough to tell people with phones
// from crawlers and scripts, too coarse to fingerprint anyone.
type Class uint8

// User-agent classes, in the order of the event contract's enum.
const (
	// ClassUnknown is a request without a User-Agent header.
	ClassUnknown Class = iota
	// ClassBrowserMobile is a browser on a phone or tablet.
	ClassBrowserMobile
	// ClassBrowserDesktop is any other browser.
	ClassBrowserDesktop
	// ClassApp is a native app or an app's embedded web view.
	ClassApp
	// ClassBot is a crawler, link previewer or monitor.
	ClassBot
	// ClassCLI is a command-line tool or an HTTP library used as one.
	ClassCLI
	// ClassOther is a User-Agent that fits none of the above.
	ClassOther
)

var classNames = [...]string{
	ClassUnknown: "unknown", ClassBrowserMobile: "browser_mobile", ClassBrowserDesktop: "browser_desktop",
	ClassApp: "app", ClassBot: "bot", ClassCLI: "cli", ClassOther: "other",
}

// String is the class's name in the event contract.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return classNames[ClassOther]
}

// maxUserAgent bounds how much of a User-Agent is looked at: real ones are
// a few hundred bytes, and classifying must stay cheap on the hot path.
const maxUserAgent = 512

// What a marker found in a User-Agent says about it.
type sign uint8

const (
	signBot    sign = iota + 1 // a crawler, link previewer or monitor
	signCLI                    // a command-line tool (anywhere in the string)
	signApp                    // a native HTTP stack or an in-app web view
	signMobile                 // a mobile browser
	signIOS                    // an iPhone or iPad (web view unless Safari/ follows)
	signSafari                 // Safari's product token
)

// markers are lower-case substrings and what they say. "bot" covers
// Googlebot, bingbot, Applebot, Twitterbot, Slackbot, TelegramBot and most
// other crawlers. The app markers are iOS's CFNetwork, Android's Dalvik and
// OkHttp, Android System WebView ("; wv)"), and the in-app browsers of
// Facebook, Instagram, LINE, WeChat and the Google app. "mobi" is MDN's
// advice for telling mobile browsers apart ("Mobi" anywhere in the
// User-Agent, in "Browser detection using the user agent"); tablets, which
// often lack it, are named.
var markers = [...]struct {
	s    string
	sign sign
}{
	{"bot", signBot}, {"crawl", signBot}, {"spider", signBot}, {"slurp", signBot},
	{"facebookexternalhit", signBot}, {"facebookcatalog", signBot}, {"whatsapp", signBot},
	{"preview", signBot}, {"headlesschrome", signBot}, {"lighthouse", signBot}, {"pingdom", signBot},
	{"uptime", signBot}, {"monitor", signBot}, {"validator", signBot},
	{"archiver", signBot}, {"phantomjs", signBot},
	{"powershell", signCLI},
	{"cfnetwork/", signApp}, {"dalvik/", signApp}, {"okhttp/", signApp}, {"; wv)", signApp},
	{"fban/", signApp}, {"fbav/", signApp}, {"instagram ", signApp}, {"line/", signApp},
	{"micromessenger/", signApp}, {" gsa/", signApp}, {"packytrace/", signApp},
	{"mobi", signMobile}, {"android", signMobile}, {"opera mini", signMobile}, {"silk/", signMobile},
	{"iphone", signIOS}, {"ipad", signIOS}, {"ipod", signMobile},
	{"safari/", signSafari},
}

// byFirst indexes markers by their first byte, so that one pass over the
// User-Agent tries only the markers that can start at each byte.
var byFirst = func() (t [256][]uint8) {
	for i, m := range markers {
		t[m.s[0]] = append(t[m.s[0]], uint8(i))
	}
	return t
}()

// cliPrefixes are lower-case product tokens of command-line tools and of
// HTTP libraries that scripts use as is.
var cliPrefixes = [...]string{
	"curl/", "wget/", "httpie/", "xh/", "python-requests/", "python-httpx/", "python-urllib/",
	"aiohttp/", "go-http-client/", "go-resty/", "java/", "apache-httpclient/", "libwww-perl/",
	"lwp::", "postmanruntime/", "insomnia/", "axios/", "node-fetch", "node/", "undici", "got ",
	"ruby", "faraday", "guzzlehttp/", "php/", "rest-client/", "dart:io", "reqwest/", "hyper/",
	"k6/", "hey/", "apachebench/", "wrk", "vegeta",
}

// ClassifyUserAgent sorts a User-Agent header value into a Class. It looks
// at the first 512 bytes, ignores ASCII case, makes one pass over them and
// does not allocate.
func ClassifyUserAgent(ua string) Class {
	ua = strings.TrimSpace(ua)
	if ua == "" {
		return ClassUnknown
	}
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	var seen [signSafari + 1]bool
	for i := 0; i < len(ua); i++ {
		for _, mi := range byFirst[toLower(ua[i])] {
			m := &markers[mi]
			if len(ua)-i >= len(m.s) && equalFold(ua[i:i+len(m.s)], m.s) {
				if m.sign == signBot {
					return ClassBot
				}
				seen[m.sign] = true
			}
		}
	}
	for _, p := range cliPrefixes {
		if hasPrefixFold(ua, p) {
			return ClassCLI
		}
	}
	switch {
	case seen[signCLI]:
		return ClassCLI
	case seen[signApp]:
		return ClassApp
	case !hasPrefixFold(ua, "mozilla/") && !hasPrefixFold(ua, "opera/"):
		return ClassOther
	case seen[signIOS] && !seen[signSafari]:
		// iOS web views (WKWebView in an app) say Mobile/... but no Safari/.
		return ClassApp
	case seen[signMobile] || seen[signIOS]:
		return ClassBrowserMobile
	}
	return ClassBrowserDesktop
}

// hasPrefixFold reports whether s starts with lower, an ASCII lower-case
// string, ignoring ASCII case.
func hasPrefixFold(s, lower string) bool {
	return len(s) >= len(lower) && equalFold(s[:len(lower)], lower)
}

// equalFold reports whether s equals lower, an ASCII lower-case string of
// the same length, ignoring ASCII case.
func equalFold(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		if toLower(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
