package passportpage_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// scanTarget is a full scan: key, lot, serial and expiry date.
const scanTarget = "/passport/01/" + biscuitGTIN + "/10/LOT42/21/S1?17=261231"

// BenchmarkPage renders the passport of a product in cache through the
// whole handler (parse, negotiate, cache lookup, template).
func BenchmarkPage(b *testing.B) {
	h, _ := newHandler(b)
	req := httptest.NewRequest(http.MethodGet, scanTarget, nil)
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8")
	if r := get(b, h, scanTarget); r.status != 200 {
		b.Fatalf("status %d", r.status)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkPageLatency times each render of a cached product and reports
// the median and 99th percentile (the speed target: p99 under 10 ms).
func BenchmarkPageLatency(b *testing.B) {
	h, _ := newHandler(b)
	req := httptest.NewRequest(http.MethodGet, scanTarget, nil)
	req.Header.Set("Accept-Language", "de-DE,de;q=0.9")
	get(b, h, scanTarget) // fill the cache
	durations := make([]time.Duration, 0, 1<<16)
	for b.Loop() {
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
	}
	slices.Sort(durations)
	at := func(q float64) float64 {
		return float64(durations[int(q*float64(len(durations)-1))].Nanoseconds())
	}
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}
