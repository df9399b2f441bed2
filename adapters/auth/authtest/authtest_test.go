package authtest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
)

func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, res.StatusCode)
	}
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func kids(t *testing.T, jwks map[string]any) []string {
	t.Helper()
	keys, _ := jwks["keys"].([]any)
	var out []string
	for _, k := range keys {
		m, _ := k.(map[string]any)
		if _, private := m["d"]; private {
			t.Fatal("JWKS publishes a private key")
		}
		kid, _ := m["kid"].(string)
		out = append(out, kid)
	}
	return out
}

func TestIssuer_ServesKeycloakRealmPaths(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	doc := getJSON(t, iss.URL+authtest.DiscoveryPath)
	if doc["issuer"] != iss.Issuer || doc["jwks_uri"] != iss.JWKSURL || iss.Issuer != iss.URL+"/realms/packytrace" {
		t.Fatalf("discovery = %v (issuer %s)", doc, iss.Issuer)
	}
	if got := kids(t, getJSON(t, iss.JWKSURL)); len(got) != 1 || got[0] != "k1" {
		t.Fatalf("kids = %v, want [k1]", got)
	}
	if iss.JWKSHits() != 1 {
		t.Fatalf("JWKSHits = %d, want 1", iss.JWKSHits())
	}
}

func TestIssuer_RotateReplacesTheKey(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	iss.Rotate(t)
	if got := kids(t, getJSON(t, iss.JWKSURL)); len(got) != 1 || got[0] != "k2" || iss.KeyID() != "k2" {
		t.Fatalf("kids after rotation = %v, KeyID %s; want only k2", got, iss.KeyID())
	}
}

func TestIssuer_TokenVerifiesWithItsVerifier(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	v := iss.Verifier(t)
	p, err := v.Verify(t.Context(), iss.Token(t, authtest.Claims{Roles: []string{"shopper"}}))
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != authtest.DefaultSubject || p.ClientID != authtest.DefaultClientID || !p.HasRole("shopper") {
		t.Fatalf("principal = %+v", p)
	}
}
