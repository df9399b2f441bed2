package auth_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/problem"
)

// recordPrincipal is a handler that reports what the middleware left in the
// context.
type recordPrincipal struct {
	called bool
	p      auth.Principal
	ok     bool
}

func (h *recordPrincipal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.called = true
	h.p, h.ok = auth.PrincipalFrom(r.Context())
	w.WriteHeader(http.StatusNoContent)
}

func TestMiddleware_PassesAnonymousRequestsOn(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	h := &recordPrincipal{}
	rec := httptest.NewRecorder()
	auth.Middleware(newVerifier(t, iss, nil))(h).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/p/1", nil))
	if rec.Code != http.StatusNoContent || !h.called || h.ok {
		t.Fatalf("status %d, called %v, principal %v", rec.Code, h.called, h.ok)
	}
}

func TestMiddleware_PutsPrincipalInContext(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	mw := auth.Middleware(newVerifier(t, iss, nil))
	tok := iss.Token(t, authtest.Claims{Subject: "s-1", Roles: []string{auth.RoleAdmin}})

	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		t.Run(scheme, func(t *testing.T) {
			t.Parallel()
			h := &recordPrincipal{}
			req := httptest.NewRequest(http.MethodGet, "/admin", nil)
			req.Header.Set("Authorization", scheme+" "+tok)
			rec := httptest.NewRecorder()
			mw(h).ServeHTTP(rec, req)
			if rec.Code != http.StatusNoContent || !h.ok || h.p.Subject != "s-1" || !h.p.HasRole(auth.RoleAdmin) {
				t.Fatalf("status %d, principal %+v (%v)", rec.Code, h.p, h.ok)
			}
		})
	}
}

func TestMiddleware_RejectsBadCredentialsWithProblem(t *testing.T) {
	t.Parallel()
	iss := authtest.NewIssuer(t)
	mw := auth.Middleware(newVerifier(t, iss, nil))
	valid := iss.Token(t, authtest.Claims{})
	expired := iss.Token(t, authtest.Claims{ExpiresIn: -time.Hour})

	tests := []struct {
		name    string
		headers []string
		detail  string
	}{
		{"expired token", []string{"Bearer " + expired}, "token expired"},
		{"garbage token", []string{"Bearer not-a-token"}, "token malformed"},
		{"basic scheme", []string{"Basic dXNlcjpwYXNz"}, "authorization header malformed"},
		{"scheme only", []string{"Bearer"}, "authorization header malformed"},
		{"scheme and space", []string{"Bearer "}, "authorization header malformed"},
		{"token with space", []string{"Bearer " + valid + " x"}, "authorization header malformed"},
		{"raw token without scheme", []string{valid}, "authorization header malformed"},
		{"empty header", []string{""}, "authorization header malformed"},
		{"two headers", []string{"Bearer " + valid, "Bearer " + valid}, "authorization header malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &recordPrincipal{}
			req := httptest.NewRequest(http.MethodGet, "/fridge", nil)
			for _, v := range tt.headers {
				req.Header.Add("Authorization", v)
			}
			rec := httptest.NewRecorder()
			mw(h).ServeHTTP(rec, req)

			if h.called {
				t.Fatal("handler ran for a rejected request")
			}
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != problem.ContentType {
				t.Fatalf("content type = %q", ct)
			}
			if ch := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(ch, "Bearer ") || !strings.Contains(ch, `error="invalid_token"`) {
				t.Fatalf("WWW-Authenticate = %q", ch)
			}
			var p problem.Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if p.Status != http.StatusUnauthorized || p.Detail != tt.detail || p.Instance != "/fridge" {
				t.Fatalf("problem = %+v, want detail %q", p, tt.detail)
			}
			if strings.Contains(rec.Body.String(), "jws") || strings.Contains(rec.Body.String(), "jwt") {
				t.Fatalf("library error text leaked: %s", rec.Body)
			}
		})
	}
}

func TestMiddleware_ReportsUnavailableKeysAs503(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(http.NotFoundHandler())
	cfg := auth.Config{Issuer: dead.URL + "/realms/packytrace", Audience: "packytrace-api", JWKSURL: dead.URL + "/certs"}
	dead.Close()
	v, err := auth.NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	iss := authtest.NewIssuer(t)
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	req.Header.Set("Authorization", "Bearer "+iss.Token(t, authtest.Claims{}))
	rec := httptest.NewRecorder()
	h := &recordPrincipal{}
	auth.Middleware(v)(h).ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || h.called {
		t.Fatalf("status = %d, handler called %v; want 503 without the handler", rec.Code, h.called)
	}
	if ch := rec.Header().Get("WWW-Authenticate"); strings.Contains(ch, "invalid_token") {
		t.Fatalf("a valid token was called invalid: %q", ch)
	}
}
