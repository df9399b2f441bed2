package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func buildBinaries(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	args := []string{"build", "-o", dir + string(os.PathSeparator)}
	for _, s := range []string{"api-gateway", "passport-service", "fridge-service", "measurement-pipeline",
		"identity-service", "personalization-service", "brand-analytics-service"} {
		args = append(args, "github.com/packytrace/packytrace/services/"+s+"/cmd/"+s)
	}
	cmd := exec.Command("go", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

func fetchJSON(t *testing.T, req *http.Request, into any) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if into != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s: %v: %s", req.URL, err, body)
		}
	}
	return resp.StatusCode
}

func token(t *testing.T, tokenURL string, form url.Values, basicUser, basicPass string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != "" {
		req.SetBasicAuth(basicUser, basicPass)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if status := fetchJSON(t, req, &tok); status != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("token request %v answered %d", form, status)
	}
	return tok.AccessToken
}

// TestStack_RunsEverythingBehindTheGateway is make run's end-to-end test:
// it starts the real stack from built binaries, checks every service through
// the gateway, gets tokens from the development provider and stops
// everything, leaving no process behind.
func TestStack_RunsEverythingBehindTheGateway(t *testing.T) {
	dbURL := os.Getenv("TEST_DATABASE_URL")
	if dbURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_DATABASE_URL must be set in CI")
		}
		t.Skip("TEST_DATABASE_URL not set")
	}
	bin := buildBinaries(t)
	env := map[string]string{
		"DATABASE_URL":            dbURL,
		"PACKYTRACE_KAFKA_ADDR":   freeAddr(t),
		"PACKYTRACE_OIDC_ADDR":    freeAddr(t),
		"PACKYTRACE_GATEWAY_ADDR": freeAddr(t),
		// Below the kernel's ephemeral range (32768+), where freeAddr picks.
		"PACKYTRACE_SERVICE_BASE_PORT": fmt.Sprint(10000 + rand.IntN(20000)),
	}
	t.Cleanup(func() { dropSchemas(t, dbURL) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-bin", bin}, func(k string) string { return env[k] }, out, out) }()

	gateway := "http://" + env["PACKYTRACE_GATEWAY_ADDR"]
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "PackyTrace is running") {
		select {
		case err := <-done:
			t.Fatalf("stack stopped early: %v\n%s", err, out)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("stack not ready in 2 minutes:\n%s", out)
		}
	}

	var status struct {
		Ready        bool `json:"ready"`
		Dependencies []struct {
			Name string `json:"name"`
			Up   bool   `json:"up"`
		} `json:"dependencies"`
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/api/v1/gateway/status", nil)
	if code := fetchJSON(t, req, &status); code != http.StatusOK || !status.Ready || len(status.Dependencies) != 8 {
		t.Fatalf("gateway status %d %+v\n%s", code, status, out)
	}
	for _, short := range []string{"passport", "fridge", "measurement", "identity", "personalization", "analytics"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/api/v1/"+short+"/status", nil)
		var st struct {
			Ready bool `json:"ready"`
		}
		if code := fetchJSON(t, req, &st); code != http.StatusOK || !st.Ready {
			t.Errorf("%s status through the gateway: %d ready=%v", short, code, st.Ready)
		}
	}

	tokenURL := "http://" + env["PACKYTRACE_OIDC_ADDR"] + realmPath + "/protocol/openid-connect/token"
	owner := token(t, tokenURL, url.Values{"grant_type": {"password"}, "client_id": {"packytrace-cli"},
		"username": {"brand-owner"}, "password": {"brand-owner"}}, "", "")
	partner := token(t, tokenURL, url.Values{"grant_type": {"client_credentials"}}, "partner-app", "partner-secret")
	for _, tc := range []struct {
		token, role string
	}{{owner, "brand_owner"}, {partner, "partner"}} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/api/v1/identity/me", nil)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		var me struct {
			Roles []string `json:"roles"`
		}
		if code := fetchJSON(t, req, &me); code != http.StatusOK || len(me.Roles) != 1 || me.Roles[0] != tc.role {
			t.Errorf("/me for %s: %d %+v", tc.role, code, me)
		}
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/api/v1/identity/me", nil)
	req.Header.Set("Authorization", "Bearer forged.token.value")
	if code := fetchJSON(t, req, nil); code != http.StatusUnauthorized {
		t.Errorf("forged token through the gateway: %d, want 401", code)
	}
	checkDemoResolver(ctx, t, gateway)
	// A subtest, so that a machine without Chromium skips only this part.
	t.Run("PassportInBrowser", func(t *testing.T) { checkPassportInBrowser(ctx, t, gateway) })
	if !strings.Contains(out.String(), "client_id=packytrace-cli -d username=shopper") {
		t.Errorf("banner lacks the token command for shopper:\n%s", out)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stack stopped with %v", err)
		}
	case <-time.After(45 * time.Second):
		t.Fatal("stack did not stop within 45s")
	}
	if left := processesUnder(bin); len(left) > 0 {
		t.Fatalf("processes left behind: %v", left)
	}
}

// processesUnder lists running processes whose executable lives in dir.
func processesUnder(dir string) []string {
	var left []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && strings.HasPrefix(exe, dir) {
			left = append(left, e.Name()+":"+exe)
		}
	}
	return left
}

func dropSchemas(t *testing.T, dbURL string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close(ctx)
	for _, s := range []string{"gateway", "passport", "fridge", "measurement", "identity", "personalization", "analytics"} {
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+s+" CASCADE"); err != nil {
			t.Error(err)
		}
	}
}

// checkDemoResolver resolves the demo data through the gateway: a shopper's
// scan of a lot walks up to the GTIN's default link with the query passed
// on, the lot's linkset carries both levels, and the description file is
// served.
func checkDemoResolver(ctx context.Context, t *testing.T, gateway string) {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/01/09506000134352/10/LOT2026A?17=271231", nil)
	res, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if want := "https://dalgiardino.example/risotto-rice-with-mushrooms/?17=271231"; res.StatusCode != http.StatusTemporaryRedirect || res.Header.Get("Location") != want {
		t.Errorf("demo scan through the gateway: %d Location %q, want 307 %q", res.StatusCode, res.Header.Get("Location"), want)
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/01/09506000134352/10/LOT2026A", nil)
	req.Header.Set("Accept", "application/linkset+json")
	var ls struct {
		Linkset []struct {
			Anchor string `json:"anchor"`
		} `json:"linkset"`
	}
	if code := fetchJSON(t, req, &ls); code != http.StatusOK || len(ls.Linkset) != 2 ||
		!strings.HasSuffix(ls.Linkset[0].Anchor, "/01/09506000134352/10/LOT2026A") || !strings.HasSuffix(ls.Linkset[1].Anchor, "/01/09506000134352") {
		t.Errorf("demo linkset through the gateway: %d %+v", code, ls)
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, gateway+"/.well-known/gs1resolver", nil)
	var desc struct {
		SupportedPrimaryKeys []string `json:"supportedPrimaryKeys"`
	}
	if code := fetchJSON(t, req, &desc); code != http.StatusOK || len(desc.SupportedPrimaryKeys) == 0 {
		t.Errorf("resolver description through the gateway: %d %+v", code, desc)
	}
}
