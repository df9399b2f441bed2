package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/packytrace/packytrace/adapters/problem"
)

// The paths Mount serves. OpenAPIValidator always lets them through, since
// they are the same for every service and not part of its contract.
const (
	HealthzPath = "/healthz"
	ReadyzPath  = "/readyz"
	MetricsPath = "/metrics"
)

// DefaultCheckTimeout bounds a readiness check whose Timeout is zero.
const DefaultCheckTimeout = 2 * time.Second

// Check is one dependency the service needs to serve requests (a database,
// a broker). Probe returns nil when the dependency is reachable.
type Check struct {
	Name    string
	Probe   func(context.Context) error
	Timeout time.Duration // DefaultCheckTimeout when zero
}

// Mount adds GET /healthz (the process is alive), GET /readyz (every check
// passes) and GET /metrics (gatherer in the Prometheus format; not mounted
// when gatherer is nil) to mux.
//
// /readyz answers 503 problem+json naming the failing checks, never their
// errors: those can describe the infrastructure. The errors go into the
// access log line of the request instead (AccessLog must wrap mux for that;
// Mount has no logger of its own).
func Mount(mux *http.ServeMux, gatherer prometheus.Gatherer, checks ...Check) {
	checks = slices.Clone(checks)
	mux.HandleFunc("GET "+HealthzPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, healthBody)
	})
	mux.HandleFunc("GET "+ReadyzPath, func(w http.ResponseWriter, r *http.Request) {
		results := runChecks(r.Context(), checks)
		body := readyBody{Status: "ready", Checks: make(map[string]string, len(results))}
		var failed []string
		var errs []slog.Attr
		for _, res := range results {
			if res.err == nil {
				body.Checks[res.name] = "up"
				continue
			}
			body.Checks[res.name] = "down"
			failed = append(failed, res.name)
			errs = append(errs, slog.String(res.name, res.err.Error()))
		}
		if len(failed) == 0 {
			writeJSON(w, http.StatusOK, body)
			return
		}
		if rec := findRecorder(w); rec != nil {
			rec.logAttrs = append(rec.logAttrs, slog.Attr{Key: "failed_checks", Value: slog.GroupValue(errs...)})
		}
		slices.Sort(failed)
		failed = slices.Compact(failed)
		problem.Write(w, r, problem.New(http.StatusServiceUnavailable,
			"The service is not ready; failing checks: "+strings.Join(failed, ", ")+"."))
	})
	if gatherer != nil {
		mux.Handle("GET "+MetricsPath, promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	}
}

// Ready runs checks concurrently, each bounded by its timeout, and reports
// which passed and whether all did. A probe that ignores its context is not
// waited for past the timeout.
func Ready(ctx context.Context, checks ...Check) (map[string]bool, bool) {
	results := runChecks(ctx, checks)
	up := make(map[string]bool, len(results))
	all := true
	for _, res := range results {
		ok := res.err == nil
		// A name used twice is up only when every check of that name is.
		if prev, seen := up[res.name]; seen {
			ok = ok && prev
		}
		up[res.name] = ok
		all = all && ok
	}
	return up, all
}

var healthBody = map[string]string{"status": "ok"}

type readyBody struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

type checkResult struct {
	name string
	err  error
}

func runChecks(ctx context.Context, checks []Check) []checkResult {
	results := make([]checkResult, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		results[i].name = c.Name
		wg.Go(func() { results[i].err = probe(ctx, c) })
	}
	wg.Wait()
	return results
}

func probe(ctx context.Context, c Check) error {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1) // buffered: a late probe must not block forever
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- errProbePanicked
			}
		}()
		done <- c.Probe(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

var errProbePanicked = errors.New("probe panicked")

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the status is sent; a failed write has no one to tell.
}
