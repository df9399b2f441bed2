package devoidc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/tools/internal/devoidc"
)

// FuzzTokenEndpoint feeds arbitrary bodies and headers to the token
// endpoint: whatever arrives, the answer is a JSON 200, 400 or 401, never a
// 500 or a panic.
func FuzzTokenEndpoint(f *testing.F) {
	const issuer = "http://127.0.0.1:8180/realms/packytrace"
	p, err := devoidc.New(devoidc.Config{Issuer: issuer, Mode: "dev"})
	if err != nil {
		f.Fatal(err)
	}
	h := p.Handler()
	const form = "application/x-www-form-urlencoded"
	f.Add(form, "", "grant_type=password&client_id=packytrace-cli&username=shopper&password=shopper")
	f.Add(form, "Basic cGFydG5lci1hcHA6cGFydG5lci1zZWNyZXQ=", "grant_type=client_credentials")
	f.Add(form, "", "grant_type=client_credentials&client_id=partner-app&client_secret=partner-secret&scope=openid")

	f.Fuzz(func(t *testing.T, contentType, authz, body string) {
		req := httptest.NewRequest(http.MethodPost, issuer+devoidc.TokenPath, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("status %d, body %q is not JSON: %v", rec.Code, rec.Body, err)
		}
		switch rec.Code {
		case http.StatusOK:
			if tok, _ := m["access_token"].(string); tok == "" {
				t.Fatalf("200 without a token: %v", m)
			}
		case http.StatusBadRequest, http.StatusUnauthorized:
			if code, _ := m["error"].(string); code == "" {
				t.Fatalf("%d without an error code: %v", rec.Code, m)
			}
		default:
			t.Fatalf("status %d for %q %q %q: %v", rec.Code, contentType, authz, body, m)
		}
	})
}
