package resolverhttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/resolverhttp"
)

// FuzzHandler sends arbitrary request targets and negotiation headers to the
// resolver. Properties: no panic and no 5xx; only the answers the resolver
// gives (200 for linksets and the description, 204, 300, 307, 400, 404,
// 405); 200 and 300 bodies are linksets that GS1's schema accepts; errors
// are problem documents; a 307 has a Location; CORS on everything.
func FuzzHandler(f *testing.F) {
	for _, s := range []string{
		"/01/" + gtinA,
		"/01/" + gtinA + "/",
		"/01/" + gtinA + "/10/LOT1/21/S1?linkType=linkset",
		"/01/" + gtinA + "/10/A%2FB?linkType=gs1:traceability&foo=bar",
		"/01/" + gtinA + "?linkType=gs1:instructions",
		"/01/09506000134353",
		"/01/" + gtinA + "/foo",
		"/ARFKk4XB0CDKWcnpq?linkType=all",
		"/CxFKk4XB0MpZyemo",
		"/ARFKk4XB0CDKW",
		"/.well-known/gs1resolver",
		"/414/9506000134369/254/x",
		"/%30%31/" + gtinA,
		"/01//",
		"/",
		"//01/" + gtinA,
	} {
		f.Add(http.MethodGet, s, "text/html;q=0.9,*/*", "en-GB,en;q=0.9")
	}
	f.Add(http.MethodHead, "/01/"+gtinA+"?linkType=linkset", "application/linkset+json", "")
	f.Add(http.MethodOptions, "/01/"+gtinA, "", "")
	f.Add("PATCH", "/01/"+gtinA, "", "")
	f.Add(http.MethodGet, "/01/"+gtinA+"?linkType=gs1:pip", "application/pdf;q=0.5,text/*", "fr;q=0, de-AT;q=1.000, *")
	h := resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root})
	f.Fuzz(func(t *testing.T, method, target, accept, acceptLanguage string) {
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, "PATCH":
		default:
			method = http.MethodGet
		}
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \t\r\n#") {
			target = "/" + strings.Map(func(r rune) rune {
				if r <= ' ' || r == '#' || r == 0x7f {
					return -1
				}
				return r
			}, target)
		}
		var req *http.Request
		func() {
			defer func() {
				if recover() != nil {
					req = nil // NewRequest refuses targets a server never sees
				}
			}()
			req = httptest.NewRequestWithContext(context.Background(), method, target, nil)
		}()
		if req == nil {
			return
		}
		req.Header.Set("Accept", accept)
		req.Header.Set("Accept-Language", acceptLanguage)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		defer res.Body.Close()
		body := rec.Body.Bytes()
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%s %s: no CORS", method, target)
		}
		switch res.StatusCode {
		case http.StatusOK, http.StatusMultipleChoices:
			if method == http.MethodHead {
				return
			}
			if res.Header.Get("Content-Type") == "application/json" {
				if !json.Valid(body) {
					t.Fatalf("%s %s: description is not JSON: %s", method, target, body)
				}
				return
			}
			validateLinkset(t, body)
		case http.StatusTemporaryRedirect:
			if res.Header.Get("Location") == "" {
				t.Fatalf("%s %s: 307 without Location", method, target)
			}
		case http.StatusNoContent:
		case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed:
			if res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%s %s: %d is not a problem", method, target, res.StatusCode)
			}
			if method != http.MethodHead && !json.Valid(body) {
				t.Fatalf("%s %s: problem is not JSON: %s", method, target, body)
			}
		default:
			t.Fatalf("%s %s: status %d: %s", method, target, res.StatusCode, body)
		}
	})
}
