package httpserver_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/requestid"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmarks
// measure the middlewares and not httptest.ResponseRecorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchmarkHandler(b *testing.B, h http.Handler, req *http.Request) {
	b.Helper()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

func benchMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/test/items/{gtin}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	})
	mux.HandleFunc("POST /api/v1/test/items", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
	})
	return mux
}

// BenchmarkChain_Plumbing is the cost every request pays for the
// plumbing without OpenAPI validation.
func BenchmarkChain_Plumbing(b *testing.B) {
	logger := httpserver.NewLogger(io.Discard, slog.LevelInfo, "bench")
	metrics := httpserver.NewMetrics(prometheus.NewRegistry(), "bench")
	h := httpserver.Chain(benchMux(),
		httpserver.RequestID(), httpserver.AccessLog(logger), metrics.Middleware(),
		httpserver.Recover(logger), httpserver.MaxBodyBytes(1<<20))
	req := httptest.NewRequest(http.MethodGet, "/api/v1/test/items/09506000134352?view=short", nil)
	req.Header.Set(requestid.Header, "bench-request")
	benchmarkHandler(b, h, req)
}

// BenchmarkMiddleware isolates each middleware around a bare handler.
func BenchmarkMiddleware(b *testing.B) {
	logger := httpserver.NewLogger(io.Discard, slog.LevelInfo, "bench")
	metrics := httpserver.NewMetrics(prometheus.NewRegistry(), "bench")
	for _, bm := range []struct {
		name string
		mw   httpserver.Middleware
	}{
		{"none", func(h http.Handler) http.Handler { return h }}, // the mux alone, as the baseline
		{"RequestID", httpserver.RequestID()},
		{"AccessLog", httpserver.AccessLog(logger)},
		{"Metrics", metrics.Middleware()},
		{"Recover", httpserver.Recover(logger)},
		{"MaxBodyBytes", httpserver.MaxBodyBytes(1 << 20)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			h := bm.mw(benchMux())
			req := httptest.NewRequest(http.MethodGet, "/api/v1/test/items/09506000134352", nil)
			req.Header.Set(requestid.Header, "bench-request")
			benchmarkHandler(b, h, req)
		})
	}
}

// BenchmarkOpenAPIValidator measures validation of a small JSON body.
func BenchmarkOpenAPIValidator(b *testing.B) {
	validate, err := httpserver.OpenAPIValidator(loadSpec(b), httpserver.ValidatorOptions{Authenticate: authenticate})
	if err != nil {
		b.Fatal(err)
	}
	h := httpserver.Chain(benchMux(), fakeAuth, validate)
	w := &discardWriter{h: http.Header{}}
	const body = `{"name":"milk","quantity":2}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/test/items", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer x")
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}
