package proxy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/adapters/requestid"
	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/proxy"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
)

// seen is what a test backend received.
type seen struct {
	Name       string
	Method     string
	RequestURI string
	Host       string
	Header     http.Header
}

// backend is a real HTTP server that records each request and answers with
// its own name, so a test can tell which backend served it.
type backend struct {
	name string
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newBackend(t *testing.T, name string) *backend {
	t.Helper()
	b := &backend{name: name}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.reqs = append(b.reqs, seen{name, r.Method, r.RequestURI, r.Host, r.Header.Clone()})
		b.mu.Unlock()
		w.Header().Set("X-Backend", name)
		if r.Method == http.MethodOptions {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"backend":"`+name+`"}`)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *backend) url(t *testing.T) *url.URL {
	t.Helper()
	u, err := url.Parse(b.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (b *backend) last(t *testing.T) seen {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.reqs) == 0 {
		t.Fatalf("backend %s got no request", b.name)
	}
	return b.reqs[len(b.reqs)-1]
}

func (b *backend) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.reqs)
}

// withRequestID stands in for the gateway's request id middleware.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestid.Header)
		if !requestid.Valid(id) {
			id = requestid.New()
			r.Header.Set(requestid.Header, id)
		}
		w.Header().Set(requestid.Header, id)
		next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
	})
}

type gateway struct {
	srv                         *httptest.Server
	passport, fridge, analytics *backend
	selfCalls                   *int
	logs                        *bytes.Buffer
}

func newGateway(t *testing.T, mutate func(*proxy.Config)) *gateway {
	t.Helper()
	g := &gateway{
		passport:  newBackend(t, "passport"),
		fridge:    newBackend(t, "fridge"),
		analytics: newBackend(t, "analytics"),
		selfCalls: new(int),
		logs:      &bytes.Buffer{},
	}
	var logMu sync.Mutex
	cfg := proxy.Config{
		Backends: map[route.Backend]*url.URL{
			route.Passport:       g.passport.url(t),
			route.Fridge:         g.fridge.url(t),
			route.BrandAnalytics: g.analytics.url(t),
		},
		Logger: slog.New(slog.NewJSONHandler(lockedWriter{&logMu, g.logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	p, err := proxy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	self := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*g.selfCalls++
		_, _ = io.WriteString(w, "gateway itself")
	})
	g.srv = httptest.NewServer(withRequestID(p.Handler(route.NewTable(), self)))
	t.Cleanup(g.srv.Close)
	t.Cleanup(p.CloseIdleConnections)
	return g
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (g *gateway) do(t *testing.T, method, target string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, g.srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := g.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

func readProblem(t *testing.T, res *http.Response) problem.Problem {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != problem.ContentType {
		t.Fatalf("Content-Type = %q, want %q", ct, problem.ContentType)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var p problem.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	if p.Status != res.StatusCode {
		t.Fatalf("problem status %d, response status %d", p.Status, res.StatusCode)
	}
	return p
}

func TestHandler_RoutesToBackend(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	tests := []struct {
		path string
		want string
	}{
		{"/01/09506000134352", "passport"},
		{"/00/106141412345678908", "passport"},
		{"/414/0614141123452/254/ABC", "passport"},
		{"/8004/0614141ABC", "passport"},
		{"/.well-known/gs1resolver", "passport"},
		{"/api/v1/passport/products/1", "passport"},
		{"/api/v1/fridge/items", "fridge"},
		{"/api/v1/fridge", "fridge"},
		{"/api/v1/analytics/brands", "analytics"},
	}
	for _, tt := range tests {
		res := g.do(t, http.MethodGet, tt.path, nil)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || res.Header.Get("X-Backend") != tt.want {
			t.Errorf("GET %s: status %d, backend %q, body %s; want 200 from %s",
				tt.path, res.StatusCode, res.Header.Get("X-Backend"), body, tt.want)
		}
	}
	if n := g.passport.count(); n != 6 {
		t.Errorf("passport got %d requests, want 6", n)
	}
	if n := g.fridge.count(); n != 2 {
		t.Errorf("fridge got %d requests, want 2", n)
	}
}

func TestHandler_PreservesPathAndQuery(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	for _, target := range []string{
		"/01/09506000134352/10/AB%2FC?17=261231&linkType=gs1:pip",
		"/01/09506000134352/10/AB%2fC/21/x%20y?linkType=gs1%3Apip&context=a+b",
		"/01/09506000134352/10/%41BC",
		"/api/v1/fridge/items?sort=-expiry&limit=10&limit=20",
		"/api/v1/fridge/",
	} {
		res := g.do(t, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", target, res.StatusCode)
		}
		b := g.passport
		if res.Header.Get("X-Backend") == "fridge" {
			b = g.fridge
		}
		if got := b.last(t).RequestURI; got != target {
			t.Errorf("backend saw %q, want %q", got, target)
		}
	}
}

func TestHandler_ForwardsAuthorizationAndRequestID(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	res := g.do(t, http.MethodGet, "/api/v1/fridge/items", http.Header{
		"Authorization":    {"Bearer abc.def.ghi"},
		requestid.Header:   {"req-42"},
		"Connection":       {"X-Secret-Hop"},
		"X-Secret-Hop":     {"must not pass"},
		"Accept-Language":  {"de-DE"},
		"X-Forwarded-Host": {"evil.example"},
	})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	got := g.fridge.last(t).Header
	if v := got.Get("Authorization"); v != "Bearer abc.def.ghi" {
		t.Errorf("Authorization = %q", v)
	}
	if v := got.Get(requestid.Header); v != "req-42" {
		t.Errorf("X-Request-Id = %q", v)
	}
	if v := got.Get("X-Secret-Hop"); v != "" {
		t.Errorf("hop-by-hop header forwarded: %q", v)
	}
	if v := got.Get("Accept-Language"); v != "de-DE" {
		t.Errorf("Accept-Language = %q", v)
	}
	if v := got.Get("X-Forwarded-Host"); v == "evil.example" {
		t.Errorf("client X-Forwarded-Host trusted")
	}
}

func TestHandler_RequestIDFromContextWhenHeaderMissing(t *testing.T) {
	t.Parallel()
	fridge := newBackend(t, "fridge")
	p, err := proxy.New(proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: fridge.url(t)}})
	if err != nil {
		t.Fatal(err)
	}
	h := p.Handler(route.NewTable(), nil)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/fridge/items", nil)
	req = req.WithContext(requestid.With(req.Context(), "ctx-id-1"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if v := fridge.last(t).Header.Get(requestid.Header); v != "ctx-id-1" {
		t.Fatalf("X-Request-Id = %q, want ctx-id-1", v)
	}
}

func TestHandler_ForwardedHeaders(t *testing.T) {
	t.Parallel()
	clientHeaders := http.Header{
		"X-Forwarded-For":   {"203.0.113.9"},
		"X-Forwarded-Host":  {"packytrace.example"},
		"X-Forwarded-Proto": {"https"},
		"Forwarded":         {"for=203.0.113.66"},
	}
	t.Run("untrusted client", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, nil)
		g.do(t, http.MethodGet, "/api/v1/fridge/items", clientHeaders)
		got := g.fridge.last(t).Header
		gwHost := strings.TrimPrefix(g.srv.URL, "http://")
		if v := got.Get("X-Forwarded-For"); v != "127.0.0.1" {
			t.Errorf("X-Forwarded-For = %q, want the peer address only", v)
		}
		if v := got.Get("X-Forwarded-Host"); v != gwHost {
			t.Errorf("X-Forwarded-Host = %q, want %q", v, gwHost)
		}
		if v := got.Get("X-Forwarded-Proto"); v != "http" {
			t.Errorf("X-Forwarded-Proto = %q, want http", v)
		}
		if v := got.Get("Forwarded"); v != "" {
			t.Errorf("Forwarded = %q, want it dropped", v)
		}
	})
	t.Run("trusted proxy", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, func(c *proxy.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		})
		g.do(t, http.MethodGet, "/api/v1/fridge/items", clientHeaders)
		got := g.fridge.last(t).Header
		if v := got.Get("X-Forwarded-For"); v != "203.0.113.9, 127.0.0.1" {
			t.Errorf("X-Forwarded-For = %q", v)
		}
		if v := got.Get("X-Forwarded-Host"); v != "packytrace.example" {
			t.Errorf("X-Forwarded-Host = %q", v)
		}
		if v := got.Get("X-Forwarded-Proto"); v != "https" {
			t.Errorf("X-Forwarded-Proto = %q", v)
		}
		if v := got.Get("Forwarded"); v != "" {
			t.Errorf("Forwarded = %q, want it dropped", v)
		}
	})
}

func TestHandler_HeadAndOptions(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	res := g.do(t, http.MethodHead, "/01/09506000134352", nil)
	if res.StatusCode != http.StatusOK || g.passport.last(t).Method != http.MethodHead {
		t.Fatalf("HEAD: status %d, backend saw %s", res.StatusCode, g.passport.last(t).Method)
	}
	res = g.do(t, http.MethodOptions, "/01/09506000134352", http.Header{"Origin": {"https://shop.example"}})
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Fatalf("OPTIONS: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	if m := g.passport.last(t).Method; m != http.MethodOptions {
		t.Fatalf("backend saw %s, want OPTIONS", m)
	}
}

func TestHandler_GatewayPathsGoToSelf(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	res := g.do(t, http.MethodGet, "/api/v1/gateway/status", nil)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(body) != "gateway itself" || *g.selfCalls != 1 {
		t.Fatalf("status %d body %q self calls %d", res.StatusCode, body, *g.selfCalls)
	}
}

func TestHandler_UnknownPathIsNotFound(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	for _, path := range []string{"/nope", "/10/ABC", "/api/v1/billing/x", "/api/v1/fridge/../identity/x"} {
		res := g.do(t, http.MethodGet, path, http.Header{requestid.Header: {"req-404"}})
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("GET %s: status %d, want 404", path, res.StatusCode)
		}
		if p := readProblem(t, res); p.RequestID != "req-404" {
			t.Fatalf("problem %+v lacks the request id", p)
		}
	}
	if n := g.passport.count() + g.fridge.count() + g.analytics.count(); n != 0 {
		t.Fatalf("backends got %d requests", n)
	}
}

func TestHandler_UnconfiguredBackendIsUnavailable(t *testing.T) {
	t.Parallel()
	g := newGateway(t, nil)
	res := g.do(t, http.MethodGet, "/api/v1/identity/me", nil)
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", res.StatusCode)
	}
	readProblem(t, res)
}

func TestHandler_BackendDownIsBadGateway(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.NotFoundHandler())
	downURL, _ := url.Parse(down.URL)
	down.Close() // the port now refuses connections
	g := newGateway(t, func(c *proxy.Config) { c.Backends[route.Passport] = downURL })
	res := g.do(t, http.MethodGet, "/01/09506000134352", http.Header{requestid.Header: {"req-502"}})
	if res.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", res.StatusCode)
	}
	body, _ := io.ReadAll(res.Body)
	if strings.Contains(string(body), downURL.Host) || strings.Contains(string(body), "refused") {
		t.Fatalf("body leaks backend detail: %s", body)
	}
	var p problem.Problem
	if err := json.Unmarshal(body, &p); err != nil || p.Status != 502 || p.RequestID != "req-502" {
		t.Fatalf("problem %+v, err %v", p, err)
	}
	if !strings.Contains(g.logs.String(), "backend request failed") {
		t.Fatalf("failure not logged: %s", g.logs)
	}
}

func TestHandler_SlowBackendIsGatewayTimeout(t *testing.T) {
	t.Parallel()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done(): // the gateway gave up and closed the connection
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)
	slowURL, _ := url.Parse(slow.URL)
	g := newGateway(t, func(c *proxy.Config) {
		c.Backends[route.Fridge] = slowURL
		c.Timeout = 50 * time.Millisecond
	})
	res := g.do(t, http.MethodGet, "/api/v1/fridge/items", nil)
	if res.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504", res.StatusCode)
	}
	p := readProblem(t, res)
	if strings.Contains(p.Detail, slowURL.Host) || strings.Contains(p.Detail, "timeout awaiting") {
		t.Fatalf("detail leaks backend detail: %q", p.Detail)
	}
}

func TestHandler_ClientGoneIsNotAnError(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	t.Cleanup(slow.Close)
	slowURL, _ := url.Parse(slow.URL)
	var logs bytes.Buffer
	p, err := proxy.New(proxy.Config{
		Backends: map[route.Backend]*url.URL{route.Fridge: slowURL},
		Logger:   slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/fridge/items", nil)
	ctx, cancel := context.WithCancel(req.Context())
	go func() { <-arrived; cancel() }()
	rec := httptest.NewRecorder()
	p.Handler(route.NewTable(), nil).ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code != proxy.StatusClientClosedRequest || rec.Body.Len() != 0 {
		t.Fatalf("status %d body %q, want 499 and no body", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), `"level":"DEBUG"`) || strings.Contains(logs.String(), `"level":"WARN"`) {
		t.Fatalf("want one debug line, got %s", logs.String())
	}
}

func TestNew_RejectsBadConfig(t *testing.T) {
	t.Parallel()
	mustURL := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tests := []struct {
		name string
		cfg  proxy.Config
	}{
		{"gateway as backend", proxy.Config{Backends: map[route.Backend]*url.URL{route.Gateway: mustURL("http://gw:8080")}}},
		{"unknown backend", proxy.Config{Backends: map[route.Backend]*url.URL{"billing": mustURL("http://b:8080")}}},
		{"nil url", proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: nil}}},
		{"no scheme", proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: mustURL("fridge:8080")}}},
		{"ftp", proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: mustURL("ftp://fridge")}}},
		{"path", proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: mustURL("http://fridge/v2")}}},
		{"query", proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: mustURL("http://fridge/?a=1")}}},
		{"credentials", proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: mustURL("http://u:p@fridge")}}},
		{"negative timeout", proxy.Config{Timeout: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := proxy.New(tt.cfg); err == nil {
				t.Fatal("New accepted a bad config")
			}
		})
	}
	if _, err := proxy.New(proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: mustURL("http://fridge:8080/")}}); err != nil {
		t.Fatalf("New rejected a good config: %v", err)
	}
}

func BenchmarkHandler_Proxy(b *testing.B) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"gtin":"09506000134352","name":"Bench"}`)
	}))
	defer backend.Close()
	u, _ := url.Parse(backend.URL)
	p, err := proxy.New(proxy.Config{Backends: map[route.Backend]*url.URL{route.Passport: u}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.CloseIdleConnections()
	h := p.Handler(route.NewTable(), nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/01/09506000134352?linkType=gs1:pip", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func TestHandler_ResponseCarriesTheRequestIDOnce(t *testing.T) {
	t.Parallel()
	// Like every PackyTrace service, the backend answers with the request
	// id it was given.
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(requestid.Header, r.Header.Get(requestid.Header))
	}))
	t.Cleanup(backend.Close)
	u, _ := url.Parse(backend.URL)
	p, err := proxy.New(proxy.Config{Backends: map[route.Backend]*url.URL{route.Fridge: u}})
	if err != nil {
		t.Fatal(err)
	}
	h := httpserver.Chain(p.Handler(route.NewTable(), nil), httpserver.RequestID())
	req := httptest.NewRequest(http.MethodGet, "/api/v1/fridge/items", nil)
	req.Header.Set(requestid.Header, "req-once")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := rec.Result().Header.Values(requestid.Header); len(got) != 1 || got[0] != "req-once" {
		t.Fatalf("X-Request-Id values = %q, want exactly [req-once]", got)
	}
}
