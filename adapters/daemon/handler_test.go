package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/problem"
)

const testSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: /api/v1/t}]
paths:
  /ping:
    get:
      operationId: ping
      parameters:
        - {name: n, in: query, required: false, schema: {type: integer}}
      responses:
        "200": {description: ok}
`

func testProcess(t *testing.T) *Process {
	t.Helper()
	return &Process{
		cfg:      Config{Service: "t", BasePath: "/api/v1/t", MaxBodyBytes: 1 << 20},
		logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		registry: prometheus.NewRegistry(),
	}
}

func testHandler(t *testing.T, p *Process, opts ...HandlerOption) http.Handler {
	t.Helper()
	spec, err := openapi3.NewLoader().LoadFromData([]byte(testSpec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := p.Handler(spec, func(mux *http.ServeMux) {
		mux.HandleFunc("GET /api/v1/t/ping", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "pong")
		})
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), method, target, nil))
	return rec
}

// resolverLike answers every request it gets and labels it the way a
// handler that routes by itself does.
var resolverLike = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	r.Pattern = "/01/"
	w.Header().Set("X-Unvalidated", "yes")
	w.WriteHeader(http.StatusTemporaryRedirect)
})

func TestHandler_UnvalidatedServesEverythingOutsideTheAPI(t *testing.T) {
	t.Parallel()
	p := testProcess(t)
	h := testHandler(t, p, Unvalidated(resolverLike))
	tests := []struct {
		target      string
		status      int
		unvalidated bool
	}{
		{"/api/v1/t/ping", http.StatusOK, false},
		{"/api/v1/t/ping?n=notanumber", http.StatusBadRequest, false}, // still validated
		{"/api/v1/t/nope", http.StatusNotFound, false},
		{"/api/v1/t", http.StatusNotFound, false},
		{"/healthz", http.StatusOK, false},
		{"/metrics", http.StatusOK, false},
		{"/01/09506000134352", http.StatusTemporaryRedirect, true},
		{"/api/v1/tx", http.StatusTemporaryRedirect, true},
		{"/", http.StatusTemporaryRedirect, true},
		{"/.well-known/gs1resolver", http.StatusTemporaryRedirect, true},
	}
	for _, tt := range tests {
		rec := serve(h, http.MethodGet, tt.target)
		if rec.Code != tt.status || (rec.Header().Get("X-Unvalidated") == "yes") != tt.unvalidated {
			t.Errorf("GET %s = %d (unvalidated %q), want %d (unvalidated %v): %s", tt.target, rec.Code,
				rec.Header().Get("X-Unvalidated"), tt.status, tt.unvalidated, rec.Body)
		}
		if tt.status >= 400 && rec.Header().Get("Content-Type") != problem.ContentType {
			t.Errorf("GET %s: %d is not a problem document", tt.target, rec.Code)
		}
		if rec.Header().Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no request id: the standard middleware was skipped", tt.target)
		}
	}
	// The unvalidated handler's own route label reaches the metrics.
	families, err := p.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	labelled := false
	for _, f := range families {
		if f.GetName() != "packytrace_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && l.GetValue() == "/01/" {
					labelled = true
				}
			}
		}
	}
	if !labelled {
		t.Error("no request counted under the unvalidated handler's route /01/")
	}
}

func TestHandler_WithoutUnvalidatedEverythingIsValidated(t *testing.T) {
	t.Parallel()
	h := testHandler(t, testProcess(t))
	if rec := serve(h, http.MethodGet, "/01/09506000134352"); rec.Code != http.StatusNotFound {
		t.Fatalf("GET /01/... = %d, want the validator's 404", rec.Code)
	}
}

func TestHandler_UnvalidatedNeedsABasePath(t *testing.T) {
	t.Parallel()
	p := testProcess(t)
	p.cfg.BasePath = ""
	spec, err := openapi3.NewLoader().LoadFromData([]byte(testSpec))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Handler(spec, func(*http.ServeMux) {}, Unvalidated(resolverLike))
	if err == nil || !strings.Contains(err.Error(), "BasePath") {
		t.Fatalf("err = %v, want one about the base path", err)
	}
}
