package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/adapters/requestid"
	"github.com/packytrace/packytrace/api/gatewayclient"
	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/api-gateway/internal/config"
)

// seen is what a fake backend received.
type seen struct {
	Backend, Method, RequestURI, Authorization, RequestID, Cookie string
}

type backends struct {
	mu   sync.Mutex
	hits []seen
}

func (b *backends) last(t *testing.T) seen {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.hits) == 0 {
		t.Fatal("no backend was called")
	}
	return b.hits[len(b.hits)-1]
}

func (b *backends) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.hits)
}

// fake starts a backend that records each request and answers 200 JSON; its
// /slow path answers after two seconds.
func (b *backends) fake(t *testing.T, name string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			w.WriteHeader(http.StatusOK)
			return
		}
		b.mu.Lock()
		b.hits = append(b.hits, seen{name, r.Method, r.RequestURI, r.Header.Get("Authorization"), r.Header.Get(requestid.Header), r.Header.Get("Cookie")})
		b.mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/slow") {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"backend":"`+name+`"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func startGateway(t *testing.T) (*daemontest.Instance, *backends) {
	t.Helper()
	b := &backends{}
	env := map[string]string{"PROXY_TIMEOUT": "500ms"}
	for _, name := range []string{"passport", "fridge", "measurement", "identity", "personalization"} {
		env["BACKEND_"+strings.ToUpper(name)+"_URL"] = b.fake(t, name)
	}
	env["BACKEND_ANALYTICS_URL"] = "http://" + daemontest.FreeAddr(t) // nothing listens: down
	in := daemontest.Start(t, daemontest.Service{
		Name:   config.Service,
		Schema: postgres.Schema{Name: config.SchemaName, Role: config.RoleName},
		Run:    run,
		Env:    env,
	})
	return in, b
}

func get(t *testing.T, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestGateway_RoutesToBackends(t *testing.T) {
	in, b := startGateway(t)
	token := in.Issuer.Token(t, authtest.Claims{Subject: "s1", Roles: []string{"shopper"}})
	tests := []struct{ path, backend string }{
		{"/01/09506000134352/10/AB%2FC?17=261231&linkType=gs1:pip", "passport"},
		{"/00/095060001343528941", "passport"},
		{"/414/9506000000005", "passport"},
		{"/8004/950600013435ABC", "passport"},
		{"/.well-known/gs1resolver", "passport"},
		{"/passport/01/09506000134352", "passport"},
		{"/api/v1/passport/products?page=2", "passport"},
		{"/api/v1/fridge/items", "fridge"},
		{"/api/v1/measurement/x", "measurement"},
		{"/api/v1/identity/me", "identity"},
		{"/api/v1/personalization/profile", "personalization"},
	}
	for _, tt := range tests {
		resp, body := get(t, in.URL+tt.path, map[string]string{"Authorization": "Bearer " + token, requestid.Header: "trace-me-1"})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.backend) {
			t.Fatalf("%s: %d %s, want %s", tt.path, resp.StatusCode, body, tt.backend)
		}
		hit := b.last(t)
		if hit.Backend != tt.backend || hit.RequestURI != tt.path {
			t.Fatalf("%s reached %s as %q", tt.path, hit.Backend, hit.RequestURI)
		}
		if hit.Authorization != "Bearer "+token {
			t.Fatalf("%s: Authorization not forwarded", tt.path)
		}
		if hit.RequestID != "trace-me-1" || resp.Header.Get(requestid.Header) != "trace-me-1" {
			t.Fatalf("%s: request id not carried (backend %q, response %q)", tt.path, hit.RequestID, resp.Header.Get(requestid.Header))
		}
	}
}

func TestGateway_GivesShoppersAVisitorCookie(t *testing.T) {
	in, b := startGateway(t)
	resp, _ := get(t, in.URL+"/01/09506000134352", nil)
	var id string
	for _, c := range resp.Cookies() {
		if c.Name == "pt_visitor" {
			id = c.Value
		}
	}
	if resp.StatusCode != http.StatusOK || len(id) != 22 {
		t.Fatalf("status %d, Set-Cookie %q; want 200 and a pt_visitor cookie", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
	if got := b.last(t).Cookie; got != "pt_visitor="+id {
		t.Fatalf("backend saw Cookie %q, want the new id", got)
	}
	resp, _ = get(t, in.URL+"/passport/01/09506000134352", map[string]string{"Cookie": "pt_visitor=" + id})
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 0 || b.last(t).Cookie != "pt_visitor="+id {
		t.Fatalf("returning visitor: Set-Cookie %q, backend saw %q", sc, b.last(t).Cookie)
	}
	resp, _ = get(t, in.URL+"/api/v1/passport/products", nil)
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 0 {
		t.Fatalf("API response sets %q", sc)
	}
}

func assertProblem(t *testing.T, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != problem.ContentType {
		t.Fatalf("got %d %q, want a %d problem: %s", resp.StatusCode, resp.Header.Get("Content-Type"), status, body)
	}
	var p problem.Problem
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != status || p.RequestID == "" {
		t.Fatalf("not a problem document: %s", body)
	}
	if strings.Contains(body, "127.0.0.1") || strings.Contains(body, "dial") {
		t.Fatalf("problem leaks backend details: %s", body)
	}
}

func TestGateway_AnswersFailuresAsProblems(t *testing.T) {
	in, b := startGateway(t)
	t.Run("bad token never reaches the backend", func(t *testing.T) {
		before := b.count()
		other := authtest.NewIssuer(t)
		for _, tok := range []string{"garbage", other.Token(t, authtest.Claims{Subject: "x"})} {
			resp, body := get(t, in.URL+"/api/v1/fridge/items", map[string]string{"Authorization": "Bearer " + tok})
			assertProblem(t, resp, body, http.StatusUnauthorized)
		}
		if b.count() != before {
			t.Fatal("a request with a bad token was forwarded")
		}
	})
	t.Run("no route", func(t *testing.T) {
		resp, body := get(t, in.URL+"/nowhere", nil)
		assertProblem(t, resp, body, http.StatusNotFound)
	})
	t.Run("backend down", func(t *testing.T) {
		resp, body := get(t, in.URL+"/api/v1/analytics/brands", nil)
		assertProblem(t, resp, body, http.StatusBadGateway)
	})
	t.Run("backend too slow", func(t *testing.T) {
		resp, body := get(t, in.URL+"/api/v1/fridge/slow", nil)
		assertProblem(t, resp, body, http.StatusGatewayTimeout)
	})
}

func TestGateway_StatusListsBackends(t *testing.T) {
	in, _ := startGateway(t)
	spec, err := oapigen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	client, err := gatewayclient.NewClientWithResponses(in.URL+config.BasePath,
		gatewayclient.WithHTTPClient(daemontest.SpecClient(t, spec, in.URL)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.GetStatusWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	up := map[string]bool{}
	for _, d := range resp.JSON200.Dependencies {
		up[d.Name] = d.Up
	}
	for _, name := range []string{"postgres", "identity-provider", "passport-service", "fridge-service", "identity-service"} {
		if !up[name] {
			t.Errorf("%s not up: %+v", name, resp.JSON200.Dependencies)
		}
	}
	if v, ok := up["brand-analytics-service"]; !ok || v {
		t.Errorf("brand-analytics-service should be reported down: %+v", resp.JSON200.Dependencies)
	}
	if resp.JSON200.Ready {
		t.Error("gateway reports ready although a backend is down")
	}
}

func TestRun_HandlesCommandLineAndConfiguration(t *testing.T) {
	t.Parallel()
	daemontest.AssertCommandLine(t, run, version)
}
