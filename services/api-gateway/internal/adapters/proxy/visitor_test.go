package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/proxy"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/visitor"
)

const validID = "q83vEjRWeJCrze8SNFZ4kA"

// cookieBackend records the Cookie header of each request and answers with
// whatever the test's respond function writes.
type cookieBackend struct {
	mu      sync.Mutex
	cookies []string
	respond http.HandlerFunc
}

func (b *cookieBackend) lastCookie(t *testing.T) string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.cookies) == 0 {
		t.Fatal("backend got no request")
	}
	return b.cookies[len(b.cookies)-1]
}

type visitorGateway struct {
	srv     *httptest.Server
	backend *cookieBackend
}

type visitorSetup struct {
	tls     bool
	trusted bool // the test client counts as the trusted proxy in front
	respond http.HandlerFunc
	down    bool // passport-service refuses connections
}

func newVisitorGateway(t *testing.T, s visitorSetup) *visitorGateway {
	t.Helper()
	b := &cookieBackend{respond: s.respond}
	if b.respond == nil {
		b.respond = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<p>passport</p>")
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.cookies = append(b.cookies, strings.Join(r.Header.Values("Cookie"), "\n"))
		b.mu.Unlock()
		b.respond(w, r)
	}))
	t.Cleanup(srv.Close)
	passportURL, _ := url.Parse(srv.URL)
	if s.down {
		srv.Close()
	}
	fridgeURL := passportURL // one recording server stands in for both, so API paths are checked too
	cfg := proxy.Config{Backends: map[route.Backend]*url.URL{route.Passport: passportURL, route.Fridge: fridgeURL}}
	if s.trusted {
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	}
	p, err := proxy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.CloseIdleConnections)
	h := withRequestID(p.Handler(route.NewTable(), nil))
	g := &visitorGateway{backend: b}
	if s.tls {
		g.srv = httptest.NewTLSServer(h)
	} else {
		g.srv = httptest.NewServer(h)
	}
	t.Cleanup(g.srv.Close)
	return g
}

// do sends a request without following redirects and without a cookie jar,
// so the test sees exactly what the gateway answered.
func (g *visitorGateway) do(t *testing.T, method, target string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, g.srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	client := g.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res
}

// visitorCookie returns the one pt_visitor Set-Cookie of res, failing when
// there is not exactly one.
func visitorCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	var found []*http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == visitor.CookieName {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("response sets %d %s cookies, want 1: %q", len(found), visitor.CookieName, res.Header.Values("Set-Cookie"))
	}
	return found[0]
}

func assertNoVisitorCookie(t *testing.T, res *http.Response) {
	t.Helper()
	for _, line := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, visitor.CookieName+"=") {
			t.Fatalf("response sets the visitor cookie: %q", line)
		}
	}
}

func TestHandler_SetsVisitorCookieOnFirstShopperRequest(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{})
	for _, target := range []string{
		"/01/09506000134352/10/AB1?linkType=gs1:pip",
		"/ARFKk4XB0CDKWcnpq",
		"/passport",
		"/passport/01/09506000134352",
	} {
		t.Run(target, func(t *testing.T) {
			res := g.do(t, http.MethodGet, target, http.Header{"Cookie": {"theme=dark"}})
			c := visitorCookie(t, res)
			if !visitor.ValidID(c.Value) {
				t.Errorf("visitor id %q is not valid", c.Value)
			}
			if c.Path != "/" || c.MaxAge != 34560000 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
				t.Errorf("cookie %+v: want Path=/, Max-Age=34560000, HttpOnly, SameSite=Lax, not Secure over plain HTTP", c)
			}
			raw := res.Header.Get("Set-Cookie")
			for _, attr := range []string{"Path=/", "Max-Age=34560000", "HttpOnly", "SameSite=Lax"} {
				if !strings.Contains(raw, "; "+attr) {
					t.Errorf("Set-Cookie %q lacks %s", raw, attr)
				}
			}
			if got, want := g.backend.lastCookie(t), "theme=dark; pt_visitor="+c.Value; got != want {
				t.Errorf("backend saw Cookie %q, want %q", got, want)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "private" {
				t.Errorf("Cache-Control = %q, want private", cc)
			}
		})
	}
}

func TestHandler_VisitorIDsDifferPerBrowser(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{})
	a := visitorCookie(t, g.do(t, http.MethodGet, "/01/09506000134352", nil)).Value
	b := visitorCookie(t, g.do(t, http.MethodGet, "/01/09506000134352", nil)).Value
	if a == b {
		t.Fatalf("two cookieless requests got the same id %q", a)
	}
}

func TestHandler_VisitorCookieSecureOnlyOverTLS(t *testing.T) {
	t.Parallel()
	https := http.Header{"X-Forwarded-Proto": {"https"}}
	tests := []struct {
		name   string
		setup  visitorSetup
		header http.Header
		want   bool
	}{
		{"plain http", visitorSetup{}, nil, false},
		{"tls", visitorSetup{tls: true}, nil, true},
		{"trusted proxy says https", visitorSetup{trusted: true}, https, true},
		{"trusted proxy says http", visitorSetup{trusted: true}, http.Header{"X-Forwarded-Proto": {"http"}}, false},
		{"trusted proxy says nothing", visitorSetup{trusted: true}, nil, false},
		{"untrusted client says https", visitorSetup{}, https, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newVisitorGateway(t, tt.setup)
			c := visitorCookie(t, g.do(t, http.MethodGet, "/01/09506000134352", tt.header))
			if c.Secure != tt.want {
				t.Fatalf("Secure = %v, want %v", c.Secure, tt.want)
			}
		})
	}
}

func TestHandler_ValidVisitorCookiePassesUnchanged(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{respond: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=60")
	}})
	for _, cookie := range []string{
		"pt_visitor=" + validID,
		"a=1; pt_visitor=" + validID + "; b=2",
		`a="x y"; pt_visitor="` + validID + `"`,
	} {
		res := g.do(t, http.MethodGet, "/01/09506000134352", http.Header{"Cookie": {cookie}})
		if sc := res.Header.Values("Set-Cookie"); len(sc) != 0 {
			t.Errorf("Cookie %q: response sets %q", cookie, sc)
		}
		if got := g.backend.lastCookie(t); got != cookie {
			t.Errorf("backend saw Cookie %q, want %q unchanged", got, cookie)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("Cache-Control = %q, want the backend's", cc)
		}
	}
}

func TestHandler_MalformedVisitorCookieReplaced(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{})
	for _, cookie := range []string{
		"a=1; pt_visitor=not-an-id; b=2",
		"a=1; pt_visitor=; b=2",
		"a=1; pt_visitor=" + validID + "A; b=2",
	} {
		res := g.do(t, http.MethodGet, "/passport/01/09506000134352", http.Header{"Cookie": {cookie}})
		c := visitorCookie(t, res)
		if c.Value == validID || !visitor.ValidID(c.Value) {
			t.Fatalf("Cookie %q: new id %q", cookie, c.Value)
		}
		if got, want := g.backend.lastCookie(t), "a=1; b=2; pt_visitor="+c.Value; got != want {
			t.Errorf("Cookie %q: backend saw %q, want %q", cookie, got, want)
		}
	}
}

func TestHandler_DuplicateVisitorCookiesKeepTheValidOne(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{})
	res := g.do(t, http.MethodGet, "/01/09506000134352", http.Header{
		"Cookie": {"pt_visitor=bad; a=1; pt_visitor=" + validID},
	})
	assertNoVisitorCookie(t, res)
	if got, want := g.backend.lastCookie(t), "a=1; pt_visitor="+validID; got != want {
		t.Fatalf("backend saw Cookie %q, want %q", got, want)
	}
}

func TestHandler_NoVisitorCookieOutsideShopperPages(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{})
	tests := []struct{ method, target string }{
		{http.MethodGet, "/.well-known/gs1resolver"},
		{http.MethodGet, "/api/v1/passport/anchors"},
		{http.MethodPost, "/api/v1/passport/linksets"},
		{http.MethodGet, "/api/v1/fridge/items"},
		{http.MethodOptions, "/01/09506000134352"}, // a CORS preflight
	}
	for _, tt := range tests {
		res := g.do(t, tt.method, tt.target, http.Header{"Cookie": {"a=1; pt_visitor=bad"}})
		assertNoVisitorCookie(t, res)
		if got := g.backend.lastCookie(t); got != "a=1; pt_visitor=bad" {
			t.Errorf("%s %s: backend saw Cookie %q, want it unchanged", tt.method, tt.target, got)
		}
	}
}

func TestHandler_RedirectKeepsVisitorCookie(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{respond: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://brand.example/p/1")
		w.Header().Set("Cache-Control", "public, max-age=3600, s-maxage=86400")
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: "de", Path: "/"})
		w.WriteHeader(http.StatusTemporaryRedirect)
	}})
	res := g.do(t, http.MethodGet, "/01/09506000134352", nil)
	if res.StatusCode != http.StatusTemporaryRedirect || res.Header.Get("Location") != "https://brand.example/p/1" {
		t.Fatalf("status %d, Location %q; want the backend's 307", res.StatusCode, res.Header.Get("Location"))
	}
	c := visitorCookie(t, res)
	if !strings.Contains(g.backend.lastCookie(t), "pt_visitor="+c.Value) {
		t.Errorf("backend did not see the id it redirected for")
	}
	if n := len(res.Header.Values("Set-Cookie")); n != 2 {
		t.Errorf("Set-Cookie lines %q, want the backend's and the gateway's", res.Header.Values("Set-Cookie"))
	}
	if cc := res.Header.Values("Cache-Control"); len(cc) != 1 || cc[0] != "max-age=3600, private" {
		t.Errorf("Cache-Control = %q, want max-age=3600, private", cc)
	}
}

func TestHandler_VisitorCookieSurvivesEarlyHints(t *testing.T) {
	t.Parallel()
	g := newVisitorGateway(t, visitorSetup{respond: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</passport/app.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Del("Link")
		w.Header().Set("Location", "/passport/01/09506000134352")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}})
	res := g.do(t, http.MethodGet, "/01/09506000134352", nil)
	if res.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("status %d, want 307", res.StatusCode)
	}
	visitorCookie(t, res)
}

func TestHandler_ErrorResponsesKeepVisitorCookie(t *testing.T) {
	t.Parallel()
	t.Run("backend error", func(t *testing.T) {
		t.Parallel()
		g := newVisitorGateway(t, visitorSetup{respond: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"status":404}`)
		}})
		res := g.do(t, http.MethodGet, "/01/09506000134352", nil)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d, want the backend's 404", res.StatusCode)
		}
		visitorCookie(t, res)
		if cc := res.Header.Get("Cache-Control"); cc != "private" {
			t.Errorf("Cache-Control = %q, want private", cc)
		}
	})
	t.Run("backend down", func(t *testing.T) {
		t.Parallel()
		g := newVisitorGateway(t, visitorSetup{down: true})
		res := g.do(t, http.MethodGet, "/passport/01/09506000134352", nil)
		if res.StatusCode != http.StatusBadGateway {
			t.Fatalf("status %d, want 502", res.StatusCode)
		}
		visitorCookie(t, res)
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
	})
}

func TestHandler_VisitorCookieMakesResponsePrivate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		backend []string
		want    string
	}{
		{"none", nil, "private"},
		{"max-age kept", []string{"max-age=60"}, "max-age=60, private"},
		{"public and s-maxage dropped", []string{"public, max-age=60, s-maxage=600"}, "max-age=60, private"},
		{"case-insensitive", []string{"Public, S-MaxAge=600"}, "private"},
		{"already private", []string{"private, max-age=60"}, "private, max-age=60"},
		{"qualified private widened", []string{`private="Set-Cookie", max-age=60`}, "max-age=60, private"},
		{"quoted comma", []string{`no-cache="a, b", public`}, `no-cache="a, b", private`},
		{"several lines joined", []string{"max-age=60", "public"}, "max-age=60, private"},
		{"no-store left alone", []string{"no-store"}, "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newVisitorGateway(t, visitorSetup{respond: func(w http.ResponseWriter, r *http.Request) {
				for _, v := range tt.backend {
					w.Header().Add("Cache-Control", v)
				}
			}})
			res := g.do(t, http.MethodGet, "/01/09506000134352", nil)
			visitorCookie(t, res)
			if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("Cache-Control = %q, want %q", got, tt.want)
			}
		})
	}
}
