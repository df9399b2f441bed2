package devoidc_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/tools/internal/devoidc"
)

// realm is a provider behind a real HTTP server.
type realm struct {
	p   *devoidc.Provider
	srv *httptest.Server
	cfg devoidc.Config
}

// start runs a provider on a loopback port; mutate may adjust the config.
func start(t testing.TB, path string, mutate func(*devoidc.Config)) *realm {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg := devoidc.Config{Issuer: "http://" + srv.Listener.Addr().String() + path, Mode: "dev"}
	if mutate != nil {
		mutate(&cfg)
	}
	p, err := devoidc.New(cfg)
	if err != nil {
		srv.Close()
		t.Fatalf("New: %v", err)
	}
	srv.Config.Handler = p.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &realm{p: p, srv: srv, cfg: cfg}
}

// verifier is the production token check pointed at the realm.
func (rl *realm) verifier(t testing.TB) *auth.Verifier {
	t.Helper()
	v, err := auth.NewVerifier(t.Context(), auth.Config{
		Issuer:     rl.cfg.Issuer,
		Audience:   devoidc.Audience,
		JWKSURL:    rl.cfg.Issuer + devoidc.CertsPath,
		HTTPClient: rl.srv.Client(),
	})
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	if err := v.Ready(t.Context()); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	return v
}

// post sends a token request and decodes the JSON answer.
func (rl *realm) post(t testing.TB, form url.Values, basicUser, basicPass string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, rl.cfg.Issuer+devoidc.TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != "" {
		req.SetBasicAuth(basicUser, basicPass)
	}
	return rl.do(t, req)
}

func (rl *realm) do(t testing.TB, req *http.Request) (int, http.Header, map[string]any) {
	t.Helper()
	res, err := rl.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("status %d, body %q is not a JSON object: %v", res.StatusCode, body, err)
	}
	return res.StatusCode, res.Header, m
}

func TestNew_RefusesOutsideDevMode(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"", "prod", "production", "Dev", "DEV", "dev ", "development", "test"} {
		if _, err := devoidc.New(devoidc.Config{Issuer: "http://127.0.0.1:8180/realms/packytrace", Mode: mode}); err == nil {
			t.Errorf("New accepted mode %q", mode)
		}
	}
}

func TestNew_RejectsBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  devoidc.Config
	}{
		{"relative issuer", devoidc.Config{Issuer: "/realms/packytrace", Mode: "dev"}},
		{"issuer without realm path", devoidc.Config{Issuer: "http://127.0.0.1:8180", Mode: "dev"}},
		{"other realm", devoidc.Config{Issuer: "http://127.0.0.1:8180/realms/master", Mode: "dev"}},
		{"issuer with query", devoidc.Config{Issuer: "http://127.0.0.1:8180/realms/packytrace?x=1", Mode: "dev"}},
		{"negative TTL", devoidc.Config{Issuer: "http://127.0.0.1:8180/realms/packytrace", Mode: "dev", TokenTTL: -time.Minute}},
		{"TTL too long", devoidc.Config{Issuer: "http://127.0.0.1:8180/realms/packytrace", Mode: "dev", TokenTTL: 48 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := devoidc.New(tt.cfg); err == nil {
				t.Fatalf("New accepted %+v", tt.cfg)
			}
		})
	}
}

func TestHandler_ServesDiscoveryAndCerts(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/realms/packytrace", "/auth/realms/packytrace"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			rl := start(t, path, nil)
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, rl.srv.URL+path+"/.well-known/openid-configuration", nil)
			status, _, doc := rl.do(t, req)
			if status != http.StatusOK {
				t.Fatalf("discovery status %d", status)
			}
			want := map[string]string{
				"issuer":         rl.cfg.Issuer,
				"token_endpoint": rl.srv.URL + path + "/protocol/openid-connect/token",
				"jwks_uri":       rl.srv.URL + path + "/protocol/openid-connect/certs",
			}
			for k, v := range want {
				if doc[k] != v {
					t.Errorf("%s = %v, want %q", k, doc[k], v)
				}
			}
			grants, _ := doc["grant_types_supported"].([]any)
			if !slices.Contains(grants, any("password")) || !slices.Contains(grants, any("client_credentials")) {
				t.Errorf("grant_types_supported = %v", doc["grant_types_supported"])
			}
			if algs, _ := doc["id_token_signing_alg_values_supported"].([]any); !slices.Equal(algs, []any{"RS256"}) {
				t.Errorf("id_token_signing_alg_values_supported = %v", algs)
			}

			req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, want["jwks_uri"], nil)
			status, _, jwks := rl.do(t, req)
			keys, _ := jwks["keys"].([]any)
			if status != http.StatusOK || len(keys) != 1 {
				t.Fatalf("certs status %d, keys %v", status, jwks)
			}
			key, _ := keys[0].(map[string]any)
			if key["kty"] != "RSA" || key["alg"] != "RS256" || key["use"] != "sig" || key["kid"] == "" || key["kid"] == nil {
				t.Fatalf("key = %v", key)
			}
			if _, private := key["d"]; private {
				t.Fatal("JWKS publishes the private exponent")
			}
		})
	}
}

func TestPasswordGrant_EveryUserGetsAVerifiableToken(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	v := rl.verifier(t)

	users := rl.p.Users()
	if len(users) != 4 {
		t.Fatalf("Users() lists %d users, want one per interactive role", len(users))
	}
	for _, u := range users {
		t.Run(u.Username, func(t *testing.T) {
			t.Parallel()
			status, hdr, body := rl.post(t, url.Values{
				"grant_type": {"password"}, "client_id": {"packytrace-cli"},
				"username": {u.Username}, "password": {u.Password}, "scope": {"openid"},
			}, "", "")
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, body)
			}
			if hdr.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", hdr.Get("Cache-Control"))
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(300) || body["scope"] != "openid profile email" {
				t.Errorf("response = %v", body)
			}
			tok, _ := body["access_token"].(string)
			p, err := v.Verify(t.Context(), tok)
			if err != nil {
				t.Fatalf("auth.Verifier rejected the token: %v", err)
			}
			if p.Subject != u.Subject || p.Username != u.Username || p.ClientID != "packytrace-cli" {
				t.Errorf("principal = %+v", p)
			}
			for _, role := range u.Roles {
				if !p.HasRole(role) {
					t.Errorf("principal lacks role %q: %v", role, p.Roles)
				}
			}
			if p.HasAnyRole(auth.RolePartner) || (u.Username != "admin" && p.HasRole(auth.RoleAdmin)) {
				t.Errorf("principal has roles it should not: %v", p.Roles)
			}
			if !slices.Equal(p.Brands, u.Brands) {
				t.Errorf("brands = %v, want %v", p.Brands, u.Brands)
			}
		})
	}
}

func TestPasswordGrant_UsersCoverTheRoles(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	byName := map[string]devoidc.DevUser{}
	for _, u := range rl.p.Users() {
		byName[u.Username] = u
	}
	want := map[string]string{"shopper": auth.RoleShopper, "brand-owner": auth.RoleBrandOwner, "brand-analyst": auth.RoleBrandAnalyst, "admin": auth.RoleAdmin}
	for name, role := range want {
		if u, ok := byName[name]; !ok || !slices.Contains(u.Roles, role) {
			t.Errorf("user %q with role %q missing: %+v", name, role, u)
		}
	}
	if got := byName["brand-owner"].Brands; !slices.Equal(got, []string{"9506000"}) {
		t.Errorf("brand-owner brands = %v", got)
	}
	clients := rl.p.Clients()
	idx := slices.IndexFunc(clients, func(c devoidc.DevClient) bool { return c.ClientID == "partner-app" })
	if idx < 0 || clients[idx].Secret != "partner-secret" || !slices.Equal(clients[idx].Roles, []string{auth.RolePartner}) {
		t.Errorf("partner client = %+v", clients)
	}
	// The listing is a copy: changing it must not change the realm.
	users := rl.p.Users()
	users[0].Roles[0] = auth.RoleAdmin
	if rl.p.Users()[0].Roles[0] == auth.RoleAdmin {
		t.Error("Users() exposes the realm's own slices")
	}
}

func TestClientCredentials_FormAndBasic(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	v := rl.verifier(t)
	tests := []struct {
		name             string
		form             url.Values
		basicID, basicPW string
	}{
		{"client_secret_post", url.Values{"grant_type": {"client_credentials"}, "client_id": {"partner-app"}, "client_secret": {"partner-secret"}}, "", ""},
		{"client_secret_basic", url.Values{"grant_type": {"client_credentials"}}, "partner-app", "partner-secret"},
		{"basic with matching client_id", url.Values{"grant_type": {"client_credentials"}, "client_id": {"partner-app"}}, "partner-app", "partner-secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, _, body := rl.post(t, tt.form, tt.basicID, tt.basicPW)
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, body)
			}
			tok, _ := body["access_token"].(string)
			p, err := v.Verify(t.Context(), tok)
			if err != nil {
				t.Fatalf("auth.Verifier rejected the token: %v", err)
			}
			if p.ClientID != "partner-app" || !p.HasRole(auth.RolePartner) || p.Username != "service-account-partner-app" || p.Subject == "" {
				t.Fatalf("principal = %+v", p)
			}
		})
	}
}

func TestTokenEndpoint_RejectsBadRequests(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	pw := func(user, pass string) url.Values {
		return url.Values{"grant_type": {"password"}, "client_id": {"packytrace-cli"}, "username": {user}, "password": {pass}}
	}
	cc := url.Values{"grant_type": {"client_credentials"}, "client_id": {"partner-app"}, "client_secret": {"partner-secret"}}
	with := func(v url.Values, k, val string) url.Values {
		out := url.Values{}
		for kk, vv := range v {
			out[kk] = slices.Clone(vv)
		}
		out.Set(k, val)
		return out
	}

	tests := []struct {
		name             string
		form             url.Values
		basicID, basicPW string
		status           int
		code             string
	}{
		{"wrong password", pw("shopper", "nope"), "", "", 400, "invalid_grant"},
		{"unknown user", pw("mallory", "mallory"), "", "", 400, "invalid_grant"},
		{"another user's password", pw("admin", "shopper"), "", "", 400, "invalid_grant"},
		{"missing password", pw("shopper", ""), "", "", 400, "invalid_request"},
		{"unknown grant", with(pw("shopper", "shopper"), "grant_type", "urn:ietf:params:oauth:grant-type:device_code"), "", "", 400, "unsupported_grant_type"},
		{"implicit grant", with(pw("shopper", "shopper"), "grant_type", "implicit"), "", "", 400, "unsupported_grant_type"},
		{"no grant", url.Values{"client_id": {"packytrace-cli"}}, "", "", 400, "invalid_request"},
		{"unknown client", with(pw("shopper", "shopper"), "client_id", "evil-cli"), "", "", 401, "invalid_client"},
		{"no client", url.Values{"grant_type": {"password"}, "username": {"shopper"}, "password": {"shopper"}}, "", "", 401, "invalid_client"},
		{"wrong client secret", with(cc, "client_secret", "guess"), "", "", 401, "invalid_client"},
		{"missing client secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"partner-app"}}, "", "", 401, "invalid_client"},
		{"wrong Basic secret", url.Values{"grant_type": {"client_credentials"}}, "partner-app", "guess", 401, "invalid_client"},
		{"Basic and client_secret", cc, "partner-app", "partner-secret", 400, "invalid_request"},
		{"Basic and other client_id", with(url.Values{"grant_type": {"client_credentials"}}, "client_id", "packytrace-cli"), "partner-app", "partner-secret", 400, "invalid_request"},
		{"partner uses password grant", with(with(with(cc, "grant_type", "password"), "username", "shopper"), "password", "shopper"), "", "", 400, "unauthorized_client"},
		{"cli uses client_credentials", url.Values{"grant_type": {"client_credentials"}, "client_id": {"packytrace-cli"}}, "", "", 400, "unauthorized_client"},
		{"unknown scope", with(pw("shopper", "shopper"), "scope", "openid admin"), "", "", 400, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, hdr, body := rl.post(t, tt.form, tt.basicID, tt.basicPW)
			if status != tt.status || body["error"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if desc, _ := body["error_description"].(string); desc == "" {
				t.Errorf("no error_description: %v", body)
			}
			if _, leaked := body["access_token"]; leaked {
				t.Errorf("error response carries a token: %v", body)
			}
			if status == http.StatusUnauthorized && !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("401 without a Basic challenge: %v", hdr)
			}
		})
	}
}

func TestTokenEndpoint_RejectsMalformedBodies(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	tests := []struct {
		name        string
		contentType string
		body        string
		authz       string
	}{
		{"JSON body", "application/json", `{"grant_type":"password"}`, ""},
		{"no content type", "", "grant_type=password", ""},
		{"bad content type", "text/plain; charset", "grant_type=password", ""},
		{"bad escape", "application/x-www-form-urlencoded", "grant_type=%zz", ""},
		{"repeated parameter", "application/x-www-form-urlencoded", "grant_type=password&grant_type=client_credentials", ""},
		{"too large", "application/x-www-form-urlencoded", "grant_type=password&x=" + strings.Repeat("a", 64<<10), ""},
		{"semicolon separator", "application/x-www-form-urlencoded", "grant_type=password;client_id=packytrace-cli", ""},
		{"Basic not base64", "application/x-www-form-urlencoded", "grant_type=client_credentials", "Basic !!!"},
		{"Basic without colon", "application/x-www-form-urlencoded", "grant_type=client_credentials", "Basic " + base64.StdEncoding.EncodeToString([]byte("partner-app"))},
		{"Basic bad escape", "application/x-www-form-urlencoded", "grant_type=client_credentials", "Basic " + base64.StdEncoding.EncodeToString([]byte("partner%zz:x"))},
		{"Bearer instead of Basic", "application/x-www-form-urlencoded", "grant_type=client_credentials", "Bearer abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, rl.cfg.Issuer+devoidc.TokenPath, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.authz != "" {
				req.Header.Set("Authorization", tt.authz)
			}
			status, _, body := rl.do(t, req)
			if status != http.StatusBadRequest && status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 400 or 401: %v", status, body)
			}
			if code, _ := body["error"].(string); code != "invalid_request" && code != "invalid_client" {
				t.Fatalf("error = %v", body)
			}
		})
	}
}

func TestTokenEndpoint_OnlyAcceptsPOST(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	// Credentials in a query string end up in logs; the endpoint is POST only.
	res, err := rl.srv.Client().Get(rl.cfg.Issuer + devoidc.TokenPath + "?grant_type=password&client_id=packytrace-cli&username=shopper&password=shopper")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET status = %d, want 405", res.StatusCode)
	}
}

func TestToken_UsesConfiguredClockAndLifetime(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	rl := start(t, "/realms/packytrace", func(c *devoidc.Config) {
		c.Now = func() time.Time { return fixed }
		c.TokenTTL = 2 * time.Minute
	})
	status, _, body := rl.post(t, url.Values{"grant_type": {"client_credentials"}}, "partner-app", "partner-secret")
	if status != http.StatusOK || body["expires_in"] != float64(120) {
		t.Fatalf("status %d, body %v", status, body)
	}
	tok, _ := body["access_token"].(string)
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", tok)
	}
	var hdr, claims map[string]any
	for i, dst := range []*map[string]any{&hdr, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatal(err)
		}
	}
	if hdr["alg"] != "RS256" || hdr["typ"] != "JWT" || hdr["kid"] == nil {
		t.Errorf("header = %v", hdr)
	}
	if claims["iat"] != float64(fixed.Unix()) || claims["exp"] != float64(fixed.Add(2*time.Minute).Unix()) {
		t.Errorf("iat/exp = %v/%v", claims["iat"], claims["exp"])
	}
	if claims["iss"] != rl.cfg.Issuer || claims["typ"] != "Bearer" || claims["azp"] != "partner-app" || claims["jti"] == nil {
		t.Errorf("claims = %v", claims)
	}
	if aud, _ := claims["aud"].([]any); !slices.Equal(aud, []any{devoidc.Audience}) {
		t.Errorf("aud = %v", claims["aud"])
	}
}

func TestPasswordToken_LogsInAndReportsRefusals(t *testing.T) {
	t.Parallel()
	rl := start(t, "/realms/packytrace", nil)
	tok, err := devoidc.PasswordToken(t.Context(), rl.srv.Client(), rl.cfg.Issuer, "packytrace-cli", "admin", "admin")
	if err != nil {
		t.Fatal(err)
	}
	p, err := rl.verifier(t).Verify(t.Context(), tok)
	if err != nil || p.Username != "admin" || !slices.Contains(p.Roles, "admin") {
		t.Fatalf("token for admin: %+v, %v", p, err)
	}
	if _, err := devoidc.PasswordToken(t.Context(), rl.srv.Client(), rl.cfg.Issuer, "packytrace-cli", "admin", "wrong"); err == nil ||
		!strings.Contains(err.Error(), "token for admin: status 400") {
		t.Fatalf("wrong password: %v", err)
	}
}
