package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/problem"
)

// challenge is the RFC 6750 challenge sent with a rejected token.
const challenge = `Bearer realm="packytrace", error="invalid_token"`

// Middleware authenticates requests that carry a bearer token. A request
// without an Authorization header passes on anonymously (handlers decide with
// Require); a valid token puts its Principal in the context; a malformed
// header or a bad token ends the request with a 401 problem document, and
// keys that cannot be fetched with a 503.
func Middleware(v *Verifier) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			values := r.Header.Values("Authorization")
			if len(values) == 0 {
				next.ServeHTTP(w, r)
				return
			}
			raw, ok := bearerToken(values)
			if !ok {
				w.Header().Set("WWW-Authenticate", challenge)
				problem.WriteError(w, r, reject("authorization header malformed", errors.New("want one \"Bearer <token>\" header")))
				return
			}
			p, err := v.Verify(r.Context(), raw)
			if err != nil {
				if fault.KindOf(err) == fault.Unauthenticated {
					w.Header().Set("WWW-Authenticate", challenge)
				}
				problem.WriteError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
		})
	}
}

// bearerToken extracts the token from a single "Bearer <token>" header; the
// scheme is case-insensitive (RFC 9110 section 11.1).
func bearerToken(values []string) (string, bool) {
	if len(values) != 1 {
		return "", false
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}
