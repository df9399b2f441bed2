// Package authtest is an in-process stand-in for the Keycloak realm in tests:
// an httptest server that publishes a JWKS and a discovery document, and
// mints Keycloak-shaped access tokens signed with its key. Any module's tests
// may use it to drive auth.Verifier and auth.Middleware for real.
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/packytrace/packytrace/adapters/auth"
)

// Realm paths, as Keycloak serves them.
const (
	RealmPath     = "/realms/packytrace"
	DiscoveryPath = RealmPath + "/.well-known/openid-configuration"
	CertsPath     = RealmPath + "/protocol/openid-connect/certs"
)

// DefaultAudience is the API audience the realm's audience mapper adds.
const DefaultAudience = "packytrace-api"

// DefaultSubject is the sub of a token whose Claims leave Subject empty.
const DefaultSubject = "5b0c7e44-8a8e-4d8c-9a55-3f1d2c6e7a01"

// DefaultClientID is the azp of a token whose Claims leave ClientID empty.
const DefaultClientID = "packytrace-cli"

// firstKey is shared by every Issuer in a test binary: RSA key generation is
// slow, and issuers differ by URL (so by iss) anyway. Rotate makes fresh keys.
var firstKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// Issuer is a fake packytrace realm.
type Issuer struct {
	// URL is the server's base URL.
	URL string
	// Issuer is the realm URL that tokens carry as iss.
	Issuer string
	// JWKSURL is the realm's certs endpoint.
	JWKSURL string
	// Audience is the aud that tokens carry.
	Audience string

	srv  *httptest.Server
	hits atomic.Int64

	mu     sync.Mutex
	signer jwk.Key // private key, with kid and alg
	jwks   []byte  // public JWKS document
	serial int     // number of keys made so far
}

// NewIssuer starts the realm with an RSA 2048 key whose kid is "k1"; the
// server closes when the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	priv, err := firstKey()
	if err != nil {
		t.Fatalf("authtest: generate key: %v", err)
	}
	i := &Issuer{Audience: DefaultAudience}
	i.install(t, priv)

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+CertsPath, func(w http.ResponseWriter, _ *http.Request) {
		i.hits.Add(1)
		i.mu.Lock()
		body := i.jwks
		i.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	})
	mux.HandleFunc("GET "+DiscoveryPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                i.Issuer,
			"jwks_uri":                              i.JWKSURL,
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"subject_types_supported":               []string{"public"},
			"response_types_supported":              []string{"code"},
		})
	})
	i.srv = httptest.NewServer(mux)
	t.Cleanup(i.srv.Close)
	i.URL = i.srv.URL
	i.Issuer = i.srv.URL + RealmPath
	i.JWKSURL = i.srv.URL + CertsPath
	return i
}

// Config gives a verifier configuration that accepts this realm's tokens.
func (i *Issuer) Config() auth.Config {
	return auth.Config{
		Issuer:     i.Issuer,
		Audience:   i.Audience,
		JWKSURL:    i.JWKSURL,
		HTTPClient: i.srv.Client(),
	}
}

// Verifier starts an auth.Verifier for this realm that lives as long as the
// test, and waits until it has fetched the keys.
func (i *Issuer) Verifier(t testing.TB) *auth.Verifier {
	t.Helper()
	ctx := t.Context()
	v, err := auth.NewVerifier(ctx, i.Config())
	if err != nil {
		t.Fatalf("authtest: new verifier: %v", err)
	}
	if err := v.Ready(ctx); err != nil {
		t.Fatalf("authtest: verifier not ready: %v", err)
	}
	return v
}

// Claims shapes a token. Zero fields get Keycloak-like defaults.
type Claims struct {
	// Subject is sub; empty means DefaultSubject.
	Subject string
	// Roles go to realm_access.roles.
	Roles []string
	// Brands go to the brands claim, which is left out when nil.
	Brands []string
	// ClientID is azp; empty means DefaultClientID.
	ClientID string
	// Username is preferred_username, left out when empty.
	Username string
	// ExpiresIn sets exp relative to now; zero means five minutes, and a
	// negative value makes an expired token.
	ExpiresIn time.Duration
	// Extra claims are applied last and override the others; a nil value
	// removes the claim (e.g. {"exp": nil}).
	Extra map[string]any
}

// Token signs a Keycloak-shaped access token with the current key (RS256).
func (i *Issuer) Token(t testing.TB, c Claims) string {
	t.Helper()
	payload, err := json.Marshal(i.ClaimsMap(c))
	if err != nil {
		t.Fatalf("authtest: encode claims: %v", err)
	}
	i.mu.Lock()
	signer := i.signer
	i.mu.Unlock()
	kid, _ := signer.KeyID()
	hdr := jws.NewHeaders()
	for k, v := range map[string]any{jws.TypeKey: "JWT", jws.KeyIDKey: kid} {
		if err := hdr.Set(k, v); err != nil {
			t.Fatalf("authtest: header %s: %v", k, err)
		}
	}
	tok, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), signer, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatalf("authtest: sign: %v", err)
	}
	return string(tok)
}

// ClaimsMap gives the payload Token would sign for c, for tests that need
// to sign something odd themselves.
func (i *Issuer) ClaimsMap(c Claims) map[string]any {
	now := time.Now()
	ttl := c.ExpiresIn
	if ttl == 0 {
		ttl = 5 * time.Minute
	}
	sub := c.Subject
	if sub == "" {
		sub = DefaultSubject
	}
	azp := c.ClientID
	if azp == "" {
		azp = DefaultClientID
	}
	roles := c.Roles
	if roles == nil {
		roles = []string{}
	}
	m := map[string]any{
		"iss":          i.Issuer,
		"aud":          []string{i.Audience},
		"sub":          sub,
		"azp":          azp,
		"typ":          "Bearer",
		"exp":          now.Add(ttl).Unix(),
		"iat":          now.Unix(),
		"jti":          rand.Text(),
		"scope":        "openid profile",
		"realm_access": map[string]any{"roles": roles},
	}
	if c.Username != "" {
		m["preferred_username"] = c.Username
	}
	if c.Brands != nil {
		m["brands"] = c.Brands
	}
	for k, v := range c.Extra {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

// Rotate replaces the signing key with a new one under a new kid and removes
// the old key from the JWKS, as a Keycloak key rotation eventually does.
func (i *Issuer) Rotate(t testing.TB) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("authtest: generate key: %v", err)
	}
	i.install(t, priv)
}

// KeyID gives the kid of the current signing key.
func (i *Issuer) KeyID() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	kid, _ := i.signer.KeyID()
	return kid
}

// JWKSHits counts requests to the certs endpoint.
func (i *Issuer) JWKSHits() int {
	return int(i.hits.Load())
}

// install makes priv the signing key under the next kid and publishes only
// its public half.
func (i *Issuer) install(t testing.TB, priv *rsa.PrivateKey) {
	t.Helper()
	i.mu.Lock()
	defer i.mu.Unlock()
	i.serial++
	kid := fmt.Sprintf("k%d", i.serial)
	signer, err := jwk.Import(priv)
	if err != nil {
		t.Fatalf("authtest: import key: %v", err)
	}
	pub, err := jwk.PublicKeyOf(signer)
	if err != nil {
		t.Fatalf("authtest: public key: %v", err)
	}
	for _, k := range []jwk.Key{signer, pub} {
		for name, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: jwa.RS256(), jwk.KeyUsageKey: jwk.ForSignature} {
			if err := k.Set(name, v); err != nil {
				t.Fatalf("authtest: set %s: %v", name, err)
			}
		}
	}
	set := jwk.NewSet()
	if err := set.AddKey(pub); err != nil {
		t.Fatalf("authtest: add key: %v", err)
	}
	doc, err := json.Marshal(set)
	if err != nil {
		t.Fatalf("authtest: encode JWKS: %v", err)
	}
	i.signer, i.jwks = signer, doc
}
