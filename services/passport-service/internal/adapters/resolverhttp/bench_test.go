package resolverhttp_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/resolverhttp"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/scanrecorder"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// discardWriter is a ResponseWriter that keeps the status and headers and
// drops the body, so the benchmark measures the handler, not a recorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

func benchHandler(b *testing.B, target string, hdr map[string]string, want int) {
	benchHandlerWith(b, resolverhttp.Config{Root: root}, target, hdr, want)
}

func benchHandlerWith(b *testing.B, cfg resolverhttp.Config, target string, hdr map[string]string, want int) {
	h := resolverhttp.NewHandler(fixture(), cfg)
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := &discardWriter{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
		if w.status != want {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkResolveRedirect is the hot path: a GTIN's 307 to its default
// link, handler in-process (parse, walk, select, response headers).
func BenchmarkResolveRedirect(b *testing.B) {
	benchHandler(b, "/01/"+gtinA, nil, http.StatusTemporaryRedirect)
}

// BenchmarkResolveRedirect_Recording is the hot path with scan recording
// on, as a phone's browser asks: building the scan (user-agent class,
// region, visitor cookie) and handing it to the real recorder, whose
// flusher writes to a sink that accepts at once.
func BenchmarkResolveRedirect_Recording(b *testing.B) {
	rec, err := scanrecorder.New(discardScans{}, scanrecorder.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rec.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	benchHandlerWith(b, resolverhttp.Config{Root: root, Recorder: rec, RegionHeader: "CloudFront-Viewer-Country"},
		"/01/"+gtinA, map[string]string{
			"User-Agent":      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			"Accept-Language": "fr-CH,fr;q=0.9,en;q=0.8",
			"Cookie":          "pt_visitor=AbCdEfGhIjKlMnOpQrStUv",
		}, http.StatusTemporaryRedirect)
}

type discardScans struct{}

func (discardScans) WriteScans(context.Context, []scan.Scan) error { return nil }

// BenchmarkResolveRedirect_SerialWalkUp resolves a serial-level URI whose
// serial is unknown, walking up to the GTIN, with a forwarded query.
func BenchmarkResolveRedirect_SerialWalkUp(b *testing.B) {
	benchHandler(b, "/01/"+gtinA+"/10/LOT1/21/S9?17=261231", nil, http.StatusTemporaryRedirect)
}

// BenchmarkResolveRedirect_Negotiated picks a pip by browser headers.
func BenchmarkResolveRedirect_Negotiated(b *testing.B) {
	benchHandler(b, "/01/"+gtinA+"?linkType=gs1:pip", map[string]string{
		"Accept":          "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"Accept-Language": "fr-CH,fr;q=0.9,en;q=0.8",
	}, http.StatusTemporaryRedirect)
}

// BenchmarkResolveCompressed resolves a compressed URI.
func BenchmarkResolveCompressed(b *testing.B) {
	benchHandler(b, "/ARFKk4XB0CDKWcnpq", nil, http.StatusTemporaryRedirect)
}

// BenchmarkResolveLinkset serves the three-level linkset.
func BenchmarkResolveLinkset(b *testing.B) {
	benchHandler(b, "/01/"+gtinA+"/10/LOT1/21/S1?linkType=linkset", nil, http.StatusOK)
}

// BenchmarkResolveBadCheckDigit answers a 400 problem.
func BenchmarkResolveBadCheckDigit(b *testing.B) {
	benchHandler(b, "/01/09506000134353", nil, http.StatusBadRequest)
}

// BenchmarkResolveRedirect_Chain is the hot path behind the standard
// middleware chain of adapters/daemon (request id, buffered access log,
// metrics, recovery, body limit), as passport-service serves it.
func BenchmarkResolveRedirect_Chain(b *testing.B) {
	logs := httpserver.NewLogBuffer(io.Discard, 0, 0)
	defer logs.Close()
	logger := httpserver.NewLogger(logs, slog.LevelInfo, "bench")
	metrics := httpserver.NewMetrics(prometheus.NewRegistry(), "bench")
	h := httpserver.Chain(resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root}),
		httpserver.RequestID(), httpserver.AccessLog(logger), metrics.Middleware(),
		httpserver.Recover(logger), httpserver.MaxBodyBytes(1<<20))
	w := &discardWriter{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		// A fresh request each time, as the server makes one per request.
		req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/01/"+gtinA, nil)
		clear(w.h)
		h.ServeHTTP(w, req)
		if w.status != http.StatusTemporaryRedirect {
			b.Fatalf("status %d", w.status)
		}
	}
}
