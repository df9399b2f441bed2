// Command gatewaybench measures what the api-gateway costs: it drives the
// same backend once directly and once through the gateway, with the same
// concurrency and duration, and prints both results and their ratio. Every
// target must be on the loopback interface, so the tool cannot be pointed at
// someone else's server.
//
// Typical run (the gateway configured with the passport backend at :18081):
//
//	gatewaybench -serve-backend 127.0.0.1:18081 &
//	gatewaybench -direct http://127.0.0.1:18081/api/v1/passport/bench \
//	    -gateway http://127.0.0.1:8080/api/v1/passport/bench -c 64 -d 10s
//
// or, with the backend served by the same process for the run:
//
//	gatewaybench -spawn -backend-addr 127.0.0.1:18081 \
//	    -gateway http://127.0.0.1:8080/api/v1/passport/bench
//
// Exit codes: 0 done, 1 a run failed or fell below -min-ratio, 2 bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/packytrace/packytrace/tools/internal/loadgen"
)

// benchPath is the path the built-in backend answers and -spawn drives.
const benchPath = "/api/v1/passport/bench"

// Upper bounds that keep a mistyped flag from running for hours.
const (
	maxDuration    = 10 * time.Minute
	maxConcurrency = 4096
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	direct, gateway string
	serveBackend    string
	spawn           bool
	backendAddr     string
	concurrency     int
	duration        time.Duration
	requests        int64
	warmup          time.Duration
	timeout         time.Duration
	minRatio        float64
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parse(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		_, _ = fmt.Fprintln(stderr, "gatewaybench:", err)
		return 2
	}
	if opts.serveBackend != "" {
		if err := serveBackend(ctx, opts.serveBackend, stdout); err != nil {
			_, _ = fmt.Fprintln(stderr, "gatewaybench:", err)
			return 1
		}
		return 0
	}
	if opts.spawn {
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", opts.backendAddr)
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "gatewaybench: backend:", err)
			return 1
		}
		srv := newBackendServer()
		go func() { _ = srv.Serve(ln) }()
		defer func() { _ = srv.Close() }()
		if opts.direct == "" {
			opts.direct = "http://" + ln.Addr().String() + benchPath
		}
		_, _ = fmt.Fprintf(stdout, "backend listening on %s\n", ln.Addr())
	}
	return bench(ctx, opts, stdout, stderr)
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("gatewaybench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.direct, "direct", "", "backend URL driven directly (loopback only)")
	fs.StringVar(&o.gateway, "gateway", "", "the same resource through the gateway (loopback only)")
	fs.StringVar(&o.serveBackend, "serve-backend", "", "only serve the benchmark backend on this loopback address and block")
	fs.BoolVar(&o.spawn, "spawn", false, "serve the benchmark backend on -backend-addr during the run; -direct defaults to it")
	fs.StringVar(&o.backendAddr, "backend-addr", "127.0.0.1:18081", "address of the backend started by -spawn")
	fs.IntVar(&o.concurrency, "c", 64, "concurrent connections")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured duration of each run (0: bounded by -n only)")
	fs.Int64Var(&o.requests, "n", 0, "maximum requests per run (0: bounded by -d only)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up before each run")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.Float64Var(&o.minRatio, "min-ratio", 0, "fail (exit 1) when gateway/direct throughput is below this")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected arguments %q", fs.Args())}
	}
	if o.serveBackend != "" {
		return o, checkLoopbackAddr(o.serveBackend)
	}
	if o.spawn {
		if err := checkLoopbackAddr(o.backendAddr); err != nil {
			return o, err
		}
	} else if o.direct == "" {
		return o, usageError{"-direct is required (or use -spawn)"}
	}
	if o.gateway == "" {
		return o, usageError{"-gateway is required"}
	}
	for _, u := range []string{o.direct, o.gateway} {
		if u == "" {
			continue
		}
		if err := checkLoopbackURL(u); err != nil {
			return o, err
		}
	}
	switch {
	case o.concurrency < 1 || o.concurrency > maxConcurrency:
		return o, usageError{fmt.Sprintf("-c must be between 1 and %d", maxConcurrency)}
	case o.duration < 0 || o.duration > maxDuration || o.warmup < 0 || o.warmup > maxDuration:
		return o, usageError{fmt.Sprintf("-d and -warmup must be between 0 and %s", maxDuration)}
	case o.duration == 0 && o.requests <= 0:
		return o, usageError{"set -d or -n so the runs end"}
	case o.requests < 0 || o.timeout <= 0 || o.minRatio < 0:
		return o, usageError{"-n, -timeout and -min-ratio must not be negative"}
	}
	return o, nil
}

// checkLoopbackURL refuses targets that are not on this machine's loopback
// interface, named by IP or as localhost.
func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return usageError{fmt.Sprintf("bad URL %q: %v", raw, err)}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError{fmt.Sprintf("URL %q is not an absolute http(s) URL", raw)}
	}
	if !isLoopbackHost(u.Hostname()) {
		return usageError{fmt.Sprintf("refusing %q: only loopback targets (127.0.0.0/8, ::1, localhost) are allowed", raw)}
	}
	return nil
}

func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Sprintf("bad address %q: %v", addr, err)}
	}
	if !isLoopbackHost(host) {
		return usageError{fmt.Sprintf("refusing to listen on %q: only loopback addresses are allowed", addr)}
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func bench(ctx context.Context, o options, stdout, stderr io.Writer) int {
	_, _ = fmt.Fprintf(stdout, "concurrency=%d duration=%s max_requests=%d warmup=%s\n", o.concurrency, o.duration, o.requests, o.warmup)
	var results [2]loadgen.Result
	for i, target := range []struct{ name, url string }{{"direct", o.direct}, {"gateway", o.gateway}} {
		client := loadgen.NewClient(o.concurrency, o.timeout)
		if o.warmup > 0 {
			if _, err := loadgen.Run(ctx, loadgen.Config{URL: target.url, Concurrency: o.concurrency, Duration: o.warmup, Client: client}); err != nil {
				_, _ = fmt.Fprintln(stderr, "gatewaybench:", err)
				return 1
			}
		}
		res, err := loadgen.Run(ctx, loadgen.Config{
			URL: target.url, Concurrency: o.concurrency, Duration: o.duration, MaxRequests: o.requests, Client: client,
		})
		client.CloseIdleConnections()
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "gatewaybench:", err)
			return 1
		}
		if ctx.Err() != nil {
			_, _ = fmt.Fprintln(stderr, "gatewaybench: interrupted")
			return 1
		}
		_, _ = fmt.Fprintf(stdout, "%-8s %s\n", target.name, res)
		results[i] = res
	}
	direct, gw := results[0], results[1]
	if direct.Throughput == 0 || gw.Throughput == 0 {
		_, _ = fmt.Fprintln(stderr, "gatewaybench: a run had no successful requests")
		return 1
	}
	ratio := gw.Throughput / direct.Throughput
	_, _ = fmt.Fprintf(stdout, "ratio    gateway/direct throughput=%.3f p50_added=%s p99_added=%s\n",
		ratio, (gw.P50 - direct.P50).Round(time.Microsecond), (gw.P99 - direct.P99).Round(time.Microsecond))
	code := 0
	if direct.Errors > 0 || gw.Errors > 0 {
		_, _ = fmt.Fprintf(stderr, "gatewaybench: errors: direct=%d gateway=%d\n", direct.Errors, gw.Errors)
		code = 1
	}
	if o.minRatio > 0 && ratio < o.minRatio {
		_, _ = fmt.Fprintf(stderr, "gatewaybench: ratio %.3f is below -min-ratio %.3f\n", ratio, o.minRatio)
		code = 1
	}
	return code
}

// backendBody is a passport-like JSON document of about 200 bytes.
var backendBody = []byte(`{"gtin":"09506000134352","name":"Organic Whole Milk 1 l","brand":"Alpine Dairy",` +
	`"category":"dairy","best_before_days":12,"allergens":["milk"],"nutriscore":"B","links":3,"updated":"2025-11-27T10:00:00Z"}` + "\n")

// newBackendServer returns the benchmark backend: JSON for GET and HEAD
// beneath /api/v1/passport/, 200 on /healthz and /readyz, 404 elsewhere.
func newBackendServer() *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/passport/", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-store")
		_, _ = w.Write(backendBody)
	})
	ok := func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok\n") }
	mux.HandleFunc("GET /healthz", ok)
	mux.HandleFunc("GET /readyz", ok)
	return &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
}

// serveBackend serves the benchmark backend on addr until ctx is done.
func serveBackend(ctx context.Context, addr string, stdout io.Writer) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("backend: %w", err)
	}
	srv := newBackendServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	_, _ = fmt.Fprintf(stdout, "backend listening on %s (GET %s)\n", ln.Addr(), benchPath)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdownCtx)
	}
}
