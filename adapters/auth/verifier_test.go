package auth_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/fault"
)

func TestVerify_AcceptsValidTokenAndMapsClaims(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, nil)

	tok := iss.Token(t, authtest.Claims{
		Subject:  "9f0a3b2c-1111-4222-8333-444455556666",
		Roles:    []string{auth.RoleBrandOwner, "default-roles-packytrace"},
		Brands:   []string{"9506000", "0614141"},
		ClientID: "packytrace-web",
		Username: "brand-owner",
	})
	p, err := v.Verify(t.Context(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := auth.Principal{
		Subject:  "9f0a3b2c-1111-4222-8333-444455556666",
		ClientID: "packytrace-web",
		Username: "brand-owner",
		Roles:    []string{auth.RoleBrandOwner, "default-roles-packytrace"},
		Brands:   []string{"9506000", "0614141"},
	}
	if p.Subject != want.Subject || p.ClientID != want.ClientID || p.Username != want.Username ||
		!slices.Equal(p.Roles, want.Roles) || !slices.Equal(p.Brands, want.Brands) {
		t.Fatalf("principal = %+v, want %+v", p, want)
	}
	if !p.HasRole(auth.RoleBrandOwner) || p.HasRole(auth.RoleAdmin) || !p.HasBrand("9506000") {
		t.Fatalf("role/brand checks wrong for %+v", p)
	}
}

func TestVerify_AcceptsOptionalClaimsAbsentOrSingle(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, nil)

	tests := []struct {
		name       string
		extra      map[string]any
		wantRoles  []string
		wantBrands []string
	}{
		{name: "no realm_access, no brands, no azp", extra: map[string]any{"realm_access": nil, "azp": nil}},
		{name: "realm_access without roles", extra: map[string]any{"realm_access": map[string]any{}}},
		{name: "brands as one string", extra: map[string]any{"brands": "9506000"}, wantBrands: []string{"9506000"}},
		{name: "aud as a plain string", extra: map[string]any{"aud": authtest.DefaultAudience}},
		{name: "aud with other audiences", extra: map[string]any{"aud": []string{"account", authtest.DefaultAudience}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := v.Verify(t.Context(), iss.Token(t, authtest.Claims{Extra: tt.extra}))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if p.Subject != authtest.DefaultSubject || len(p.Roles) != len(tt.wantRoles) || !slices.Equal(p.Brands, tt.wantBrands) {
				t.Fatalf("principal = %+v", p)
			}
		})
	}
}

func TestVerify_RejectsBadClaims(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, nil)
	now := time.Now()

	tests := []struct {
		name   string
		claims authtest.Claims
		want   string
	}{
		{"expired beyond leeway", authtest.Claims{ExpiresIn: -2 * time.Minute}, "token expired"},
		{"nbf beyond leeway", authtest.Claims{Extra: map[string]any{"nbf": now.Add(2 * time.Minute).Unix()}}, "token not yet valid"},
		{"iat beyond leeway", authtest.Claims{Extra: map[string]any{"iat": now.Add(2 * time.Minute).Unix()}}, "token issued in the future"},
		{"wrong issuer", authtest.Claims{Extra: map[string]any{"iss": "http://evil.example/realms/packytrace"}}, "token issuer not accepted"},
		{"issuer differs by trailing slash", authtest.Claims{Extra: map[string]any{"iss": iss.Issuer + "/"}}, "token issuer not accepted"},
		{"wrong audience", authtest.Claims{Extra: map[string]any{"aud": []string{"account"}}}, "token audience not accepted"},
		{"no audience", authtest.Claims{Extra: map[string]any{"aud": nil}}, "token audience not accepted"},
		{"ID token", authtest.Claims{Extra: map[string]any{"typ": "ID"}}, "token type not accepted"},
		{"refresh token", authtest.Claims{Extra: map[string]any{"typ": "Refresh"}}, "token type not accepted"},
		{"no typ", authtest.Claims{Extra: map[string]any{"typ": nil}}, "token type not accepted"},
		{"typ not a string", authtest.Claims{Extra: map[string]any{"typ": 1}}, "token type not accepted"},
		{"no exp", authtest.Claims{Extra: map[string]any{"exp": nil}}, "token lacks a required claim"},
		{"no sub", authtest.Claims{Extra: map[string]any{"sub": nil}}, "token lacks a required claim"},
		{"roles not a list", authtest.Claims{Extra: map[string]any{"realm_access": map[string]any{"roles": "admin"}}}, "token claims malformed"},
		{"roles with a number", authtest.Claims{Extra: map[string]any{"realm_access": map[string]any{"roles": []any{"admin", 7}}}}, "token claims malformed"},
		{"realm_access not an object", authtest.Claims{Extra: map[string]any{"realm_access": []string{"admin"}}}, "token claims malformed"},
		{"brands a number", authtest.Claims{Extra: map[string]any{"brands": 9506000}}, "token claims malformed"},
		{"azp a number", authtest.Claims{Extra: map[string]any{"azp": 3}}, "token claims malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify(t.Context(), iss.Token(t, tt.claims))
			wantRejected(t, err, tt.want)
		})
	}
}

func TestVerify_HonoursLeeway(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, nil)
	now := time.Now()

	tests := []struct {
		name   string
		claims authtest.Claims
	}{
		{"expired within leeway", authtest.Claims{ExpiresIn: -10 * time.Second}},
		{"nbf within leeway", authtest.Claims{Extra: map[string]any{"nbf": now.Add(10 * time.Second).Unix()}}},
		{"iat within leeway", authtest.Claims{Extra: map[string]any{"iat": now.Add(10 * time.Second).Unix()}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := v.Verify(t.Context(), iss.Token(t, tt.claims)); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func TestVerify_RejectsForgedAndMalformedTokens(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, func(c *auth.Config) { c.Algorithms = []string{"RS256", "PS256"} })
	payload := iss.ClaimsMap(authtest.Claims{Roles: []string{auth.RoleShopper}})
	valid := iss.Token(t, authtest.Claims{Roles: []string{auth.RoleShopper}})
	pubPEM := publicKeyPEM(t, iss)

	tampered := func() string {
		parts := segments(t, valid)
		evil := iss.ClaimsMap(authtest.Claims{Roles: []string{auth.RoleAdmin}})
		p, err := json.Marshal(evil)
		if err != nil {
			t.Fatal(err)
		}
		return parts[0] + "." + b64.EncodeToString(p) + "." + parts[2]
	}()
	badSig := func() string {
		parts := segments(t, valid)
		sig, err := b64.DecodeString(parts[2])
		if err != nil {
			t.Fatal(err)
		}
		sig[len(sig)/2] ^= 0x01
		return parts[0] + "." + parts[1] + "." + b64.EncodeToString(sig)
	}()

	tests := []struct {
		name  string
		token string
		want  string
	}{
		{"alg none", compact(t, map[string]any{"alg": "none", "kid": "k1", "typ": "JWT"}, payload, nil), "token algorithm not accepted"},
		{"alg none with signature", compact(t, map[string]any{"alg": "none", "kid": "k1"}, payload, rs256(t, otherKey())), "token algorithm not accepted"},
		{"alg NONE (unknown to jwx)", compact(t, map[string]any{"alg": "NONE", "kid": "k1"}, payload, nil), "token malformed"},
		{"HS256 keyed with the public key PEM", compact(t, map[string]any{"alg": "HS256", "kid": "k1", "typ": "JWT"}, payload, hs256(pubPEM)), "token algorithm not accepted"},
		{"no alg", compact(t, map[string]any{"kid": "k1"}, payload, rs256(t, otherKey())), "token algorithm not accepted"},
		{"PS256 against an RS256 key", compact(t, map[string]any{"alg": "PS256", "kid": "k1"}, payload, ps256(t, otherKey())), "token algorithm not accepted"},
		{"same kid, other key", compact(t, map[string]any{"alg": "RS256", "kid": "k1"}, payload, rs256(t, otherKey())), "token signature invalid"},
		{"tampered payload", tampered, "token signature invalid"},
		{"flipped signature bit", badSig, "token signature invalid"},
		{"no kid", compact(t, map[string]any{"alg": "RS256"}, payload, rs256(t, otherKey())), "token signing key unknown"},
		{"empty", "", "token missing"},
		{"two segments", "a.b", "token malformed"},
		{"garbage", "garbage", "token malformed"},
		{"three garbage segments", "a.b.c", "token malformed"},
		{"dots only", "..", "token malformed"},
		{"four segments", valid + ".x", "token malformed"},
		{"JWE-shaped", "a.b.c.d.e", "token malformed"},
		{"header not JSON", b64.EncodeToString([]byte("{")) + ".e30.", "token malformed"},
		{"huge", strings.Repeat("a", 20000) + ".b.c", "token malformed"},
		// How a stray space fails does not matter, only that it does.
		{"leading space", " " + valid, ""},
		{"space inside", valid[:10] + " " + valid[10:], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify(t.Context(), tt.token)
			if tt.want == "" {
				if err == nil || fault.KindOf(err) != fault.Unauthenticated {
					t.Fatalf("err = %v, want unauthenticated", err)
				}
				return
			}
			wantRejected(t, err, tt.want)
		})
	}
}

func TestVerify_UnknownKeyIDRefreshesAtMostOncePerInterval(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, func(c *auth.Config) { c.RefreshInterval = time.Hour })
	if _, err := v.Verify(t.Context(), iss.Token(t, authtest.Claims{})); err != nil {
		t.Fatalf("valid token: %v", err)
	}
	before := iss.JWKSHits()
	payload := iss.ClaimsMap(authtest.Claims{})

	tokens := make([]string, 20)
	for i := range tokens {
		tokens[i] = compact(t, map[string]any{"alg": "RS256", "kid": fmt.Sprintf("unknown-%d", i)}, payload, rs256(t, otherKey()))
	}
	errs := make([]error, len(tokens))
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Go(func() { _, errs[i] = v.Verify(t.Context(), tok) })
	}
	wg.Wait()
	for _, err := range errs {
		wantRejected(t, err, "token signing key unknown")
	}
	if got := iss.JWKSHits() - before; got > 1 {
		t.Fatalf("unknown kids caused %d JWKS fetches, want at most 1 per interval", got)
	}
	afterBurst := iss.JWKSHits()
	for range 5 {
		tok := compact(t, map[string]any{"alg": "RS256", "kid": "still-unknown"}, payload, rs256(t, otherKey()))
		_, err := v.Verify(t.Context(), tok)
		wantRejected(t, err, "token signing key unknown")
	}
	if got := iss.JWKSHits() - afterBurst; got != 0 {
		t.Fatalf("second burst caused %d JWKS fetches within the interval, want 0", got)
	}
}

func TestVerify_UnknownKeyIDForcesRefresh(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	// An interval of a nanosecond lets every unknown kid refresh, so the
	// fetch is observable without waiting.
	v := newVerifier(t, iss, func(c *auth.Config) { c.RefreshInterval = time.Nanosecond })
	before := iss.JWKSHits()
	tok := compact(t, map[string]any{"alg": "RS256", "kid": "nope"}, iss.ClaimsMap(authtest.Claims{}), rs256(t, otherKey()))
	_, err := v.Verify(t.Context(), tok)
	wantRejected(t, err, "token signing key unknown")
	if got := iss.JWKSHits() - before; got != 1 {
		t.Fatalf("unknown kid caused %d JWKS fetches, want 1", got)
	}
}

func TestVerify_PicksUpKeyRotationWithoutRestart(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, func(c *auth.Config) { c.RefreshInterval = time.Nanosecond })

	oldTok := iss.Token(t, authtest.Claims{Roles: []string{auth.RoleShopper}})
	if _, err := v.Verify(t.Context(), oldTok); err != nil {
		t.Fatalf("token before rotation: %v", err)
	}
	oldKid := iss.KeyID()
	iss.Rotate(t)
	if iss.KeyID() == oldKid {
		t.Fatalf("rotation kept kid %q", oldKid)
	}

	newTok := iss.Token(t, authtest.Claims{Roles: []string{auth.RoleShopper}})
	p, err := v.Verify(t.Context(), newTok)
	if err != nil {
		t.Fatalf("token after rotation: %v", err)
	}
	if !p.HasRole(auth.RoleShopper) {
		t.Fatalf("principal = %+v", p)
	}
	_, err = v.Verify(t.Context(), oldTok)
	wantRejected(t, err, "token signing key unknown")
}

func TestNewVerifier_RejectsUnsafeConfig(t *testing.T) {
	t.Parallel()
	base := auth.Config{Issuer: "http://127.0.0.1:1/realms/packytrace", Audience: "packytrace-api", JWKSURL: "http://127.0.0.1:1/realms/packytrace/protocol/openid-connect/certs"}
	tests := []struct {
		name   string
		mutate func(*auth.Config)
	}{
		{"alg none", func(c *auth.Config) { c.Algorithms = []string{"none"} }},
		{"HS256", func(c *auth.Config) { c.Algorithms = []string{"RS256", "HS256"} }},
		{"HS512", func(c *auth.Config) { c.Algorithms = []string{"HS512"} }},
		{"unknown alg", func(c *auth.Config) { c.Algorithms = []string{"rs256"} }},
		{"leeway over 30s", func(c *auth.Config) { c.Leeway = 31 * time.Second }},
		{"negative leeway", func(c *auth.Config) { c.Leeway = -time.Second }},
		{"negative refresh interval", func(c *auth.Config) { c.RefreshInterval = -time.Second }},
		{"no issuer", func(c *auth.Config) { c.Issuer = "" }},
		{"no audience", func(c *auth.Config) { c.Audience = "" }},
		{"no JWKS URL", func(c *auth.Config) { c.JWKSURL = "" }},
		{"relative JWKS URL", func(c *auth.Config) { c.JWKSURL = "/certs" }},
		{"JWKS URL not http", func(c *auth.Config) { c.JWKSURL = "file:///etc/passwd" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := base
			tt.mutate(&cfg)
			if _, err := auth.NewVerifier(t.Context(), cfg); err == nil {
				t.Fatalf("NewVerifier accepted %+v", cfg)
			}
		})
	}
	if _, err := auth.NewVerifier(t.Context(), base); err != nil {
		t.Fatalf("NewVerifier rejected the base config: %v", err)
	}
}

func TestNewVerifier_StartsWhileJWKSUnreachable(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	var up atomic.Bool
	// A gate in front of the realm's certs endpoint plays the identity
	// provider that comes up after the service.
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		res, err := http.Get(iss.JWKSURL)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer func() { _ = res.Body.Close() }()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, res.Body)
	}))
	t.Cleanup(gate.Close)

	cfg := iss.Config()
	cfg.JWKSURL = gate.URL + authtest.CertsPath
	cfg.RefreshInterval = time.Nanosecond
	v, err := auth.NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier failed while the JWKS is down: %v", err)
	}
	if err := v.Ready(t.Context()); fault.KindOf(err) != fault.Unavailable {
		t.Fatalf("Ready while down = %v, want unavailable", err)
	}
	tok := iss.Token(t, authtest.Claims{})
	if _, err := v.Verify(t.Context(), tok); fault.KindOf(err) != fault.Unavailable {
		t.Fatalf("Verify while down = %v, want unavailable", err)
	}

	up.Store(true)
	if err := v.Ready(t.Context()); err != nil {
		t.Fatalf("Ready once up: %v", err)
	}
	if _, err := v.Verify(t.Context(), tok); err != nil {
		t.Fatalf("Verify once up: %v", err)
	}
}

func TestVerify_HonoursCanceledContextWhileRefreshing(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := newVerifier(t, iss, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tok := compact(t, map[string]any{"alg": "RS256", "kid": "nope"}, iss.ClaimsMap(authtest.Claims{}), rs256(t, otherKey()))
	_, err := v.Verify(ctx, tok)
	if err == nil {
		t.Fatal("Verify accepted a token with an unknown kid")
	}
	if k := fault.KindOf(err); k != fault.Unauthenticated {
		t.Fatalf("kind = %v, want unauthenticated", k)
	}
}

// publicKeyPEM fetches the realm's published key and encodes it as PEM, the
// bytes an HS256 key-confusion attack would use as the HMAC secret.
func publicKeyPEM(t *testing.T, iss *authtest.Issuer) []byte {
	t.Helper()
	set, err := jwk.Fetch(t.Context(), iss.JWKSURL)
	if err != nil {
		t.Fatal(err)
	}
	key, ok := set.Key(0)
	if !ok {
		t.Fatal("empty JWKS")
	}
	var raw any
	if err := jwk.Export(key, &raw); err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
