package httpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/httpserver"
)

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	spec, err := openapi3.NewLoader().LoadFromFile("testdata/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

type principalKey struct{}

// fakeAuth stands in for the JWT middleware: it reads the principal's
// scopes from the bearer token itself.
func fakeAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if scopes, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, strings.Fields(scopes)))
		}
		next.ServeHTTP(w, r)
	})
}

func authenticate(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
	scopes, ok := ctx.Value(principalKey{}).([]string)
	if !ok {
		return fault.New(fault.Unauthenticated, "A bearer token is required.")
	}
	for _, s := range in.Scopes {
		if !slices.Contains(scopes, s) {
			return fault.Newf(fault.Forbidden, "The token lacks the scope %s.", s)
		}
	}
	return nil
}

// validatedAPI serves the test spec's operations behind the validator the
// way a service wires them.
func validatedAPI(t *testing.T, spec *openapi3.T) (*httptestServer, *logBuffer) {
	t.Helper()
	logger, logs := newTestLogger()
	validate, err := httpserver.OpenAPIValidator(spec, httpserver.ValidatorOptions{Authenticate: authenticate})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	httpserver.Mount(mux, nil)
	mux.HandleFunc("GET /api/v1/test/items/{gtin}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.PathValue("gtin"))
	})
	mux.HandleFunc("DELETE /api/v1/test/items/{gtin}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /api/v1/test/items", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			httpserver.RequestErrorHandler(w, r, err)
			return
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(body)
	})
	h := httpserver.Chain(mux,
		httpserver.RequestID(),
		httpserver.AccessLog(logger),
		httpserver.Recover(logger),
		httpserver.MaxBodyBytes(64),
		fakeAuth,
		validate,
	)
	return &httptestServer{serve(t, h).URL}, logs
}

type httptestServer struct{ URL string }

func TestOpenAPIValidator_ChecksRequestsAgainstSpec(t *testing.T) {
	t.Parallel()
	api, logs := validatedAPI(t, loadSpec(t))
	const base = "/api/v1/test"
	const gtin = "09506000134352"
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		token       string
		body        string
		status      int
		field       string // a field the problem must name
		respBody    string // for passing requests: what the handler answered
		chunked     bool   // send the body without a length
	}{
		{name: "valid get", method: "GET", path: "/items/" + gtin + "?view=short", status: 200, respBody: gtin},
		{name: "head served by get", method: "HEAD", path: "/items/" + gtin + "?view=full", status: 200},
		{name: "path parameter pattern", method: "GET", path: "/items/12ab?view=short", status: 400, field: "gtin"},
		{name: "required query parameter", method: "GET", path: "/items/" + gtin, status: 400, field: "view"},
		{name: "enum query parameter", method: "GET", path: "/items/" + gtin + "?view=long", status: 400, field: "view"},
		{name: "integer maximum", method: "GET", path: "/items/" + gtin + "?view=short&limit=1000", status: 400, field: "limit"},
		{name: "integer format", method: "GET", path: "/items/" + gtin + "?view=short&limit=ten", status: 400, field: "limit"},
		{name: "valid post", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"name":"milk","quantity":2}`, status: 201, respBody: `{"name":"milk","quantity":2}`},
		{name: "missing required property", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"quantity":2}`, status: 400, field: "/name"},
		{name: "property of wrong type", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"name":"milk","quantity":"two"}`, status: 400, field: "/quantity"},
		{name: "property below minimum", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"name":"milk","quantity":0}`, status: 400, field: "/quantity"},
		{name: "not json", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"name":`, status: 400, field: "body"},
		{name: "missing body", method: "POST", path: "/items", contentType: "application/json", token: "x",
			status: 400, field: "body"},
		{name: "unsupported content type", method: "POST", path: "/items", contentType: "text/plain", token: "x",
			body: `name=milk`, status: 415},
		{name: "body too large", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"name":"` + strings.Repeat("m", 100) + `"}`, status: 413},
		{name: "body too large found while validating", method: "POST", path: "/items", contentType: "application/json", token: "x",
			body: `{"name":"` + strings.Repeat("m", 100) + `"}`, chunked: true, status: 413},
		{name: "missing credentials", method: "POST", path: "/items", contentType: "application/json",
			body: `{"name":"milk"}`, status: 401},
		{name: "missing scope", method: "DELETE", path: "/items/" + gtin, token: "items:read", status: 403},
		{name: "scope present", method: "DELETE", path: "/items/" + gtin, token: "items:write", status: 204},
		{name: "unknown path", method: "GET", path: "/nothing", status: 404},
		{name: "method not in spec", method: "PUT", path: "/items/" + gtin, status: 405},
	}
	// The group ends when every parallel case has, so the log check below
	// sees them all.
	t.Run("cases", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				var body io.Reader
				if tt.body != "" {
					body = strings.NewReader(tt.body)
					if tt.chunked {
						body = io.MultiReader(body)
					}
				}
				req := newRequest(t, tt.method, api.URL+base+tt.path, body)
				if tt.contentType != "" {
					req.Header.Set("Content-Type", tt.contentType)
				}
				if tt.token != "" {
					req.Header.Set("Authorization", "Bearer "+tt.token)
				}
				resp, raw := do(t, req)
				if resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
				}
				if tt.status < 400 {
					if string(raw) != tt.respBody {
						t.Fatalf("handler answered %q, want %q", raw, tt.respBody)
					}
					return
				}
				p := decodeProblem(t, resp, raw)
				if p.Detail == "" {
					t.Fatal("problem has no detail")
				}
				if tt.field != "" {
					var fields []string
					for _, f := range p.Errors {
						fields = append(fields, f.Field)
						if f.Reason == "" {
							t.Errorf("field %q has no reason", f.Field)
						}
					}
					if !slices.Contains(fields, tt.field) || !strings.Contains(p.Detail, tt.field) {
						t.Fatalf("problem does not name %q: %s", tt.field, raw)
					}
				}
				switch tt.status {
				case 401:
					if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") || p.Detail != "A bearer token is required." {
						t.Fatalf("401 without challenge or Authenticate's message: %v %s", resp.Header, raw)
					}
				case 403:
					if p.Detail != "The token lacks the scope items:write." {
						t.Fatalf("403 detail %q", p.Detail)
					}
				case 405:
					if got := resp.Header.Get("Allow"); got != "GET, HEAD, DELETE" {
						t.Fatalf("Allow = %q", got)
					}
				}
			})
		}
	})

	// Requests are labelled with their route, never their path: one the
	// validator refused, and one that passed an authenticator which replaced
	// the request on its way to the mux.
	routes := map[string]string{}
	for _, l := range logs.withMsg(t, "http request") {
		key := fmt.Sprintf("%v %v %v", l["method"], l["path"], l["status"])
		routes[key], _ = l["route"].(string)
	}
	for key, want := range map[string]string{
		"GET " + base + "/items/12ab 400":            base + "/items/{gtin}",
		"POST " + base + "/items 201":                base + "/items",
		"DELETE " + base + "/items/" + gtin + " 204": base + "/items/{gtin}",
	} {
		if routes[key] != want {
			t.Errorf("%s has route %q, want %q", key, routes[key], want)
		}
	}
}

func TestOpenAPIValidator_ExcludedPathsPassThrough(t *testing.T) {
	t.Parallel()
	api, _ := validatedAPI(t, loadSpec(t))
	resp, body := get(t, api.URL+httpserver.HealthzPath)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "ok") {
		t.Fatalf("healthz = %d %s", resp.StatusCode, body)
	}
}

func TestOpenAPIValidator_StreamsBinaryBodiesUnread(t *testing.T) {
	t.Parallel()
	api, _ := validatedAPI(t, loadSpec(t))
	post := func(contentType, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, api.URL+"/api/v1/test/items", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer items:write")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// A binary body reaches the handler as sent, even when it is not JSON.
	if code, body := post("application/x-ndjson", "{\"a\":1}\nnot json\n"); code != http.StatusCreated || body != "{\"a\":1}\nnot json\n" {
		t.Errorf("ndjson = %d %q, want 201 and the body echoed", code, body)
	}
	// The JSON body of the same operation is still validated, and an
	// undeclared content type is still refused.
	if code, _ := post("application/json", `{"name":1}`); code != http.StatusBadRequest {
		t.Errorf("invalid JSON body = %d, want 400", code)
	}
	if code, _ := post("text/plain", "x"); code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain = %d, want 415", code)
	}
}

func TestOpenAPIValidator_CustomExcludePaths(t *testing.T) {
	t.Parallel()
	validate, err := httpserver.OpenAPIValidator(loadSpec(t), httpserver.ValidatorOptions{
		Authenticate: authenticate,
		ExcludePaths: []string{"/debug/", "/version"},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, validate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})))
	for path, want := range map[string]int{"/debug/pprof/heap": 418, "/version": 418, "/versions": 404, "/debug": 404} {
		if resp, _ := get(t, srv.URL+path); resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestOpenAPIValidator_MatchesAbsoluteServersOnPath(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	absolute := openapi3.Servers{
		{URL: "https://api.packytrace.example/api/v1/test"},
		{URL: "{scheme}://localhost:8080/api/v1/test/", Variables: map[string]*openapi3.ServerVariable{
			"scheme": {Default: "http", Enum: []string{"http", "https"}},
		}},
	}
	spec.Servers = absolute
	api, _ := validatedAPI(t, spec)
	if resp, body := get(t, api.URL+"/api/v1/test/items/09506000134352?view=short"); resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, api.URL+"/items/09506000134352?view=short"); resp.StatusCode != 404 {
		t.Fatalf("path outside the base path answered %d", resp.StatusCode)
	}
	if spec.Servers[0].URL != absolute[0].URL || len(spec.Servers) != 2 {
		t.Fatalf("caller's spec modified: %v", spec.Servers)
	}
}

func TestOpenAPIValidator_WithoutServersMatchesFromRoot(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	spec.Servers = nil
	validate, err := httpserver.OpenAPIValidator(spec, httpserver.ValidatorOptions{Authenticate: authenticate})
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, validate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	if resp, body := get(t, srv.URL+"/items/09506000134352?view=short"); resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

func TestOpenAPIValidator_RefusesBadSetup(t *testing.T) {
	t.Parallel()
	invalid := loadSpec(t)
	invalid.Paths.Value("/items/{gtin}").Get.Responses = openapi3.NewResponses()
	invalid.Paths.Value("/items/{gtin}").Get.Parameters[0].Value.In = "body"
	pathServers := loadSpec(t)
	pathServers.Paths.Value("/items").Servers = openapi3.Servers{{URL: "https://other.example/v2"}}

	tests := []struct {
		name string
		spec *openapi3.T
		opts httpserver.ValidatorOptions
		want string
	}{
		{"nil spec", nil, httpserver.ValidatorOptions{}, "nil spec"},
		{"security without Authenticate", loadSpec(t), httpserver.ValidatorOptions{}, "Authenticate"},
		{"invalid spec", invalid, httpserver.ValidatorOptions{Authenticate: authenticate}, "invalid spec"},
		{"path-level servers", pathServers, httpserver.ValidatorOptions{Authenticate: authenticate}, "path-level servers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mw, err := httpserver.OpenAPIValidator(tt.spec, tt.opts)
			if err == nil || mw != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("OpenAPIValidator = %v, %v; want an error about %q", mw != nil, err, tt.want)
			}
		})
	}
}

func TestOpenAPIValidator_ListsEveryFieldError(t *testing.T) {
	t.Parallel()
	api, _ := validatedAPI(t, loadSpec(t))
	req := newRequest(t, http.MethodPost, api.URL+"/api/v1/test/items", strings.NewReader(`{"quantity":-1,"extra":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer x")
	resp, raw := do(t, req)
	p := decodeProblem(t, resp, raw)
	if resp.StatusCode != 400 || len(p.Errors) < 3 {
		t.Fatalf("want 400 with three field errors: %s", raw)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "Schema:") || strings.Contains(string(raw), "Value:") {
		t.Fatalf("schema dump leaked into the problem: %s", raw)
	}
}
