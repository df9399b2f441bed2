package loadgen_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/packytrace/packytrace/tools/internal/loadgen"
)

// counting is a real HTTP server that counts what it served and fails every
// failEvery-th request with a 500 (never when failEvery is 0).
func counting(t *testing.T, failEvery int64) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		if r.Header.Get("X-Bench") != "yes" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if failEvery > 0 && i%failEvery == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRun_CountsRequestsAndErrors(t *testing.T) {
	t.Parallel()
	srv, served := counting(t, 4)
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		URL:         srv.URL + "/x",
		Header:      http.Header{"X-Bench": {"yes"}},
		Concurrency: 8,
		MaxRequests: 400,
		Client:      srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 400 || served.Load() != 400 {
		t.Fatalf("requests = %d, served = %d, want 400", res.Requests, served.Load())
	}
	if res.Errors != 100 {
		t.Fatalf("errors = %d, want 100 (every 4th)", res.Errors)
	}
	if !strings.Contains(res.FirstError, "status 500") {
		t.Fatalf("first error = %q", res.FirstError)
	}
	if res.Throughput <= 0 || res.P50 <= 0 || res.P50 > res.P90 || res.P90 > res.P99 || res.P99 > res.Max {
		t.Fatalf("inconsistent result: %+v", res)
	}
	if s := res.String(); !strings.Contains(s, "requests=400 errors=100") {
		t.Fatalf("String() = %q", s)
	}
}

func TestRun_ExpectStatus(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://example.com/pip", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		URL: srv.URL, Concurrency: 2, MaxRequests: 20, ExpectStatus: http.StatusTemporaryRedirect,
		Client: loadgen.NewClient(2, 5*time.Second),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 20 || res.Errors != 0 {
		t.Fatalf("requests = %d errors = %d (%s), want 20 and 0: redirects must not be followed", res.Requests, res.Errors, res.FirstError)
	}
}

func TestRun_TransportErrorsCount(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	target := srv.URL
	srv.Close()
	res, err := loadgen.Run(context.Background(), loadgen.Config{URL: target, Concurrency: 3, MaxRequests: 30})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 30 || res.Errors != 30 || res.Throughput != 0 || res.P99 != 0 {
		t.Fatalf("result %+v, want 30 requests, all errors", res)
	}
	if !strings.Contains(res.FirstError, "refused") {
		t.Fatalf("first error = %q", res.FirstError)
	}
}

func TestRun_StopsAfterDuration(t *testing.T) {
	t.Parallel()
	srv, served := counting(t, 0)
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		URL: srv.URL, Header: http.Header{"X-Bench": {"yes"}}, Concurrency: 4,
		Duration: 100 * time.Millisecond, Client: srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 || res.Requests != served.Load() {
		t.Fatalf("requests = %d errors = %d served = %d", res.Requests, res.Errors, served.Load())
	}
	if res.Duration < 100*time.Millisecond {
		t.Fatalf("run ended after %v, before its duration", res.Duration)
	}
	after := served.Load()
	time.Sleep(20 * time.Millisecond)
	if served.Load() != after {
		t.Fatal("requests still being sent after Run returned")
	}
}

func TestRun_StopsWhenContextDone(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 2, Duration: time.Hour, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors != 0 {
		t.Fatalf("cut-off requests were counted: %+v", res)
	}
}

func TestRun_RejectsUnboundedOrBadConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]loadgen.Config{
		"unbounded":        {URL: "http://127.0.0.1:1/"},
		"relative url":     {URL: "/x", MaxRequests: 1},
		"ftp url":          {URL: "ftp://127.0.0.1/", MaxRequests: 1},
		"negative count":   {URL: "http://127.0.0.1:1/", MaxRequests: -1},
		"negative workers": {URL: "http://127.0.0.1:1/", MaxRequests: 1, Concurrency: -1},
		"negative rate":    {URL: "http://127.0.0.1:1/", MaxRequests: 1, Rate: -1},
		"one bad url":      {URLs: []string{"http://127.0.0.1:1/", "/x"}, MaxRequests: 1},
	} {
		if _, err := loadgen.Run(context.Background(), cfg); err == nil {
			t.Errorf("%s: Run accepted %+v", name, cfg)
		}
	}
}

func TestRun_SpreadsOverURLs(t *testing.T) {
	t.Parallel()
	var a, b atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			a.Add(1)
		case "/b":
			b.Add(1)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		URL:         "http://ignored.invalid/",
		URLs:        []string{srv.URL + "/a", srv.URL + "/b"},
		Concurrency: 4,
		MaxRequests: 100,
		Client:      srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || a.Load() != 50 || b.Load() != 50 {
		t.Fatalf("errors=%d a=%d b=%d, want 0, 50, 50 (%s)", res.Errors, a.Load(), b.Load(), res.FirstError)
	}
}

func TestRun_OpenLoopKeepsTheRate(t *testing.T) {
	t.Parallel()
	srv, served := counting(t, 0)
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		URL:         srv.URL + "/x",
		Header:      http.Header{"X-Bench": {"yes"}},
		Concurrency: 4,
		Rate:        200,
		Duration:    500 * time.Millisecond,
		Client:      srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	// 200/s for half a second is 100 requests due; the last may miss the
	// deadline check by a tick, none may be added.
	if res.Requests < 99 || res.Requests > 100 || served.Load() != res.Requests || res.Errors != 0 {
		t.Fatalf("requests=%d served=%d errors=%d, want 100 at the set rate", res.Requests, served.Load(), res.Errors)
	}
}

func TestRun_OpenLoopCountsDroppedRequests(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release // the one worker stays busy, so later tickets find no taker
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	res, err := loadgen.Run(context.Background(), loadgen.Config{
		URL:         srv.URL + "/slow",
		Concurrency: 1,
		Rate:        1000,
		MaxRequests: 50,
		Client:      &http.Client{Timeout: 300 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors == 0 || !strings.Contains(res.FirstError, "dropped") && !strings.Contains(res.FirstError, "Timeout") {
		t.Fatalf("errors=%d first=%q, want drops while the worker is busy", res.Errors, res.FirstError)
	}
}
