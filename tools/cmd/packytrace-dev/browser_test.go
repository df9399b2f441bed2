package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const (
	// browserTimeout bounds the whole browser check, Chromium's start included.
	browserTimeout = 60 * time.Second
	// demoPassportGTIN is the demo catalog's product without brand links, so
	// that a scan of it lands on its passport page.
	demoPassportGTIN = "09506000134390"
	// unknownGTIN has a valid check digit and the demo brand's prefix, and is
	// in no demo file.
	unknownGTIN = "09506000999999"
	// expiryDays is how far ahead the scanned expiry date (AI 17) lies.
	expiryDays = 5
)

// chromiumPath is the browser the end-to-end check drives: $CHROMIUM, or
// Debian's chromium package, which .ci/run installs.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// artifactsDir is where the check leaves its screenshots and page HTML: CI
// collects $TEST_ARTIFACTS_DIR; locally they go to a temporary directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TEST_ARTIFACTS_DIR")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkPassportInBrowser is a shopper's scan in a real browser: headless
// Chromium opens the demo product's Digital Link through the gateway, follows
// the resolver's redirect to the passport page and reads what a person would
// see. It saves full-page screenshots and the HTML for a human to look at;
// nothing compares pixels, so fonts and rendering differences cannot make it
// fail.
func checkPassportInBrowser(ctx context.Context, t *testing.T, gateway string) {
	exe := chromiumPath()
	if _, err := exec.LookPath(exe); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium not found at %s (.ci/run installs Debian's chromium): %v", exe, err)
		}
		t.Skipf("Chromium not found at %s (apt-get install chromium, or set CHROMIUM): %v", exe, err)
	}
	ctx, cancel := context.WithTimeout(ctx, browserTimeout)
	defer cancel()
	tab, stop := startChromium(ctx, t, exe)
	defer stop() // before cancel: a graceful close, not a kill
	artifacts := artifactsDir(t)

	// Failed subresources (a stylesheet or image that does not load) break
	// the page without changing its text, so they are collected and reported.
	var (
		mu     sync.Mutex
		broken []string
		urls   = map[network.RequestID]string{}
	)
	if err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls[ev.RequestID] = ev.Request.URL
		case *network.EventResponseReceived:
			// The browser asks for /favicon.ico by itself; a page without
			// one still shows correctly.
			if ev.Type != network.ResourceTypeDocument && ev.Response != nil && ev.Response.Status >= 400 &&
				!strings.HasSuffix(ev.Response.URL, "/favicon.ico") {
				broken = append(broken, strconv.FormatInt(ev.Response.Status, 10)+" "+ev.Response.URL)
			}
		case *network.EventLoadingFailed:
			if ev.Type != network.ResourceTypeDocument && !ev.Canceled {
				broken = append(broken, ev.ErrorText+" "+urls[ev.RequestID])
			}
		}
	}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": "en"},
		})
		return err
	})); err != nil {
		t.Fatalf("set Accept-Language: %v", err)
	}
	// A phone's screen: shoppers open the page from a scan. (A headless
	// window cannot be narrower than 500 pixels, so the width is emulated.)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("emulate a phone: %v", err)
	}

	// passport-service counts days in UTC (its default time zone).
	expiry := time.Now().UTC().AddDate(0, 0, expiryDays).Format("060102")
	scan := gateway + "/01/" + demoPassportGTIN + "/10/P2611/21/7731?17=" + expiry
	res, err := chromedp.Run(tab, chromedp.NavigateResponse(scan))
	if err != nil {
		t.Fatalf("open %s: %v (the resolver sends it to %s)", scan, err, redirectTarget(ctx, scan))
	}
	if res.Status != 200 {
		t.Errorf("scan %s ended on status %d, want 200", scan, res.Status)
	}
	page := readPage(tab, t)
	savePage(tab, t, artifacts, "passport", page.html)

	final, err := url.Parse(page.location)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/passport/01/" + demoPassportGTIN + "/10/P2611/21/7731"; !strings.HasPrefix(final.Path, want) || final.Query().Get("17") != expiry {
		t.Errorf("scan landed on %s, want path %s... with ?17=%s", page.location, want, expiry)
	}
	text := strings.ToLower(page.text)
	wants := []string{"Pesto alla Genovese", "Dal Giardino", "P2611"}
	// The page counts days on its own clock; across midnight the count
	// differs by one from the date the test scanned, and that is right.
	if time.Now().UTC().AddDate(0, 0, expiryDays).Format("060102") == expiry {
		wants = append(wants, "expires in 5 days")
	}
	for _, want := range wants {
		if !strings.Contains(text, strings.ToLower(want)) {
			t.Errorf("passport page lacks %q; its text:\n%s", want, page.text)
		}
	}
	// The allergens must be in their own section, not only in bold within
	// the ingredients; "nuts" stands for the catalog's nuts and tree_nuts.
	allergens, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
		const s = Array.from(document.querySelectorAll("section")).find(s => {
			const h = s.querySelector("h2");
			return h && h.textContent.trim().toLowerCase() === "allergens";
		});
		return s ? s.innerText : "";
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"milk", "eggs", "nuts"} {
		if !strings.Contains(strings.ToLower(allergens), want) {
			t.Errorf("allergens section lacks %q: %q", want, allergens)
		}
	}
	checkAccessibleBasics(t, "passport page", page)
	if !strings.HasPrefix(page.lang, "en") {
		t.Errorf("passport page asked for in English has lang %q", page.lang)
	}
	checkVisitorCookie(tab, t, gateway)
	// The same page on a desktop screen, for a person to look at.
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("emulate a desktop: %v", err)
	}
	savePage(tab, t, artifacts, "passport-desktop", "")
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("emulate a phone: %v", err)
	}

	// An unknown product: a plain 404 page that tells the shopper which
	// number was not found.
	missing := gateway + "/passport/01/" + unknownGTIN
	res, err = chromedp.Run(tab, chromedp.NavigateResponse(missing))
	if err != nil {
		t.Fatalf("open %s: %v", missing, err)
	}
	notFound := readPage(tab, t)
	savePage(tab, t, artifacts, "passport-not-found", notFound.html)
	if res.Status != 404 {
		t.Errorf("%s: status %d, want 404", missing, res.Status)
	}
	if !strings.Contains(notFound.text, unknownGTIN) {
		t.Errorf("404 page does not name the GTIN %s; its text:\n%s", unknownGTIN, notFound.text)
	}
	checkAccessibleBasics(t, "404 page", notFound)

	mu.Lock()
	defer mu.Unlock()
	if len(broken) > 0 {
		t.Errorf("page resources failed to load: %v", broken)
	}
}

// startChromium starts headless Chromium with a fresh profile and returns
// its first tab, and stop, which closes the browser and makes sure that no
// process of it is left.
func startChromium(ctx context.Context, t *testing.T, exe string) (tab context.Context, stop func()) {
	t.Helper()
	profile, err := os.MkdirTemp("", "packytrace-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	// The flags that work on this project's machines, as root and without
	// network access beyond loopback: no sandbox (root), no GPU, and nothing
	// that phones home (QUIC, background networking, component updates,
	// sync), whose refused connections slow the start.
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "en"),
		chromedp.UserDataDir(profile),
	)
	tab, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	return tab, func() {
		cancelTab()   // closes the browser gracefully
		cancelAlloc() // kills it if it did not close, and waits
		if left := killChromium(profile); len(left) > 0 {
			t.Errorf("Chromium processes outlived the browser and were killed: %v", left)
		}
		if err := os.RemoveAll(profile); err != nil {
			t.Errorf("remove Chromium profile: %v", err)
		}
	}
}

// killChromium waits up to five seconds for the processes started with the
// profile directory to exit, kills those still running and returns their
// pids. Chromium's helpers (zygote, renderer, network service) exit shortly
// after the browser, not with it.
func killChromium(profile string) []int {
	want := []byte("--user-data-dir=" + profile)
	find := func() []int {
		var pids []int
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err == nil && slices.ContainsFunc(bytes.Split(cmdline, []byte{0}), func(a []byte) bool { return bytes.Equal(a, want) }) {
				pids = append(pids, pid)
			}
		}
		return pids
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if len(find()) == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	left := find()
	for _, pid := range left {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return left
}

// shownPage is what the check reads off a loaded page.
type shownPage struct {
	location string
	text     string // document.body.innerText: what is visible
	html     string
	lang     string
	h1s      int
	noAlt    []string // img elements without an alt attribute
}

func readPage(tab context.Context, t *testing.T) shownPage {
	t.Helper()
	var (
		p   shownPage
		err error
	)
	get := func(dst *string, js string) {
		if err == nil {
			*dst, err = chromedp.Run(tab, chromedp.Evaluate[string](js))
		}
	}
	get(&p.location, `location.href`)
	get(&p.text, `document.body ? document.body.innerText : ""`)
	get(&p.html, `document.documentElement.outerHTML`)
	get(&p.lang, `document.documentElement.lang`)
	if err == nil {
		p.h1s, err = chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("h1").length`))
	}
	if err == nil {
		p.noAlt, err = chromedp.Run(tab, chromedp.Evaluate[[]string](
			`Array.from(document.images).filter(i => !i.hasAttribute("alt")).map(i => i.outerHTML)`))
	}
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return p
}

// checkAccessibleBasics checks what a screen reader needs first: the page's
// language, one top heading and a text alternative on every image.
func checkAccessibleBasics(t *testing.T, what string, p shownPage) {
	t.Helper()
	if p.lang == "" {
		t.Errorf("%s: <html> has no lang", what)
	}
	if p.h1s != 1 {
		t.Errorf("%s: %d h1 elements, want exactly 1", what, p.h1s)
	}
	if len(p.noAlt) > 0 {
		t.Errorf("%s: images without alt: %v", what, p.noAlt)
	}
}

// savePage writes a full-page PNG screenshot of the loaded page as name.png
// and, unless html is empty, its HTML as name.html.
func savePage(tab context.Context, t *testing.T, dir, name, html string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err != nil {
		t.Errorf("screenshot of %s: %v", name, err)
		return
	}
	shot := filepath.Join(dir, name+".png")
	err = os.WriteFile(shot, png, 0o644)
	if html != "" {
		err = errors.Join(err, os.WriteFile(filepath.Join(dir, name+".html"), []byte(html), 0o644))
	}
	if err != nil {
		t.Errorf("save %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", shot)
}

// checkVisitorCookie checks the cookie the gateway gives a shopper's
// browser: present, out of scripts' reach and not sent on cross-site
// subrequests.
func checkVisitorCookie(tab context.Context, t *testing.T, gateway string) {
	t.Helper()
	res, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{gateway + "/"}})
	if err != nil {
		t.Fatalf("read cookies: %v", err)
	}
	var found []string
	for _, c := range res.Cookies {
		if c.Name != "pt_visitor" {
			continue
		}
		found = append(found, c.Name)
		if c.Value == "" || !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax || c.Path != "/" {
			t.Errorf("visitor cookie %+v, want a value, HttpOnly, SameSite=Lax, Path=/", *c)
		}
	}
	if len(found) != 1 {
		t.Errorf("browser holds %d pt_visitor cookies after the scan, want 1", len(found))
	}
}

// redirectTarget returns where the gateway redirects a request for u, for
// error messages: a redirect to another host than the gateway's means that
// passport-service's RESOLVER_ROOT is not the gateway.
func redirectTarget(ctx context.Context, u string) string {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err.Error()
	}
	res, err := noFollow.Do(req)
	if err != nil {
		return err.Error()
	}
	_ = res.Body.Close()
	return strconv.Itoa(res.StatusCode) + " " + res.Header.Get("Location")
}
