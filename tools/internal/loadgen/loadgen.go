// Package loadgen drives an HTTP endpoint with a fixed number of concurrent
// keep-alive clients for a bounded time or request count and reports
// throughput and latency percentiles. The load scripts under tools/cmd share
// it so that their figures are measured the same way.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Config describes one load run. Duration or MaxRequests (or both) must be
// set, so a run always ends.
type Config struct {
	// URL is the target, absolute http or https.
	URL string
	// URLs, when set, replace URL: request k goes to URLs[k % len(URLs)], so a
	// run can spread over many resources (100,000 GTINs, say). All must be
	// absolute http or https.
	URLs []string
	// Rate, when above zero, switches to an open-loop run: requests start at
	// this many per second in total whatever the answers' speed, and each
	// latency is measured from the moment the request was due, so a stall
	// shows up in the percentiles instead of slowing the load down
	// (coordinated omission). Concurrency then bounds the requests in flight;
	// a request that finds every worker busy is counted as an error.
	Rate float64
	// Method defaults to GET.
	Method string
	// Header is sent with every request.
	Header http.Header
	// Concurrency is the number of workers, each with at most one request in
	// flight; zero means 1.
	Concurrency int
	// Duration stops the run from issuing new requests once it has passed;
	// requests in flight are allowed to finish. Zero means no time bound.
	Duration time.Duration
	// MaxRequests stops the run after this many requests; zero means no
	// count bound.
	MaxRequests int64
	// Client sends the requests; nil means NewClient(Concurrency, 30s).
	Client *http.Client
	// ExpectStatus is the status that counts as success; zero means 200.
	// Any other status, or a transport error, counts as an error.
	ExpectStatus int
}

// Result is what a run measured. Latencies are those of successful requests,
// from sending the request to reading the whole body.
type Result struct {
	Requests   int64         // requests completed, successful or not
	Errors     int64         // requests that failed, had an unexpected status or (open loop) were dropped
	Duration   time.Duration // wall time of the run
	Throughput float64       // successful requests per second
	P50        time.Duration
	P90        time.Duration
	P99        time.Duration
	Max        time.Duration
	// FirstError describes the first failure, to tell a refused connection
	// from a wrong status without a second run.
	FirstError string
}

// String formats r on one line.
func (r Result) String() string {
	s := fmt.Sprintf("requests=%d errors=%d duration=%s throughput=%.1f req/s p50=%s p90=%s p99=%s max=%s",
		r.Requests, r.Errors, r.Duration.Round(time.Millisecond), r.Throughput,
		fmtLatency(r.P50), fmtLatency(r.P90), fmtLatency(r.P99), fmtLatency(r.Max))
	if r.FirstError != "" {
		s += fmt.Sprintf(" first_error=%q", r.FirstError)
	}
	return s
}

func fmtLatency(d time.Duration) string {
	return d.Round(time.Microsecond).String()
}

// NewClient returns a client tuned for load generation: one idle keep-alive
// connection kept per worker, no environment proxy, no transparent gzip, and
// redirects returned rather than followed so that a resolver's 307 is
// measured as itself.
func NewClient(concurrency int, timeout time.Duration) *http.Client {
	if concurrency < 1 {
		concurrency = 1
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        concurrency,
			MaxIdleConnsPerHost: concurrency,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Run drives cfg.URL until the duration or request bound is reached or ctx
// is done, and returns what it measured. Requests cut off by ctx are not
// counted. It fails only on a config that cannot run.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := check(&cfg); err != nil {
		return Result{}, err
	}
	client := cfg.Client
	if client == nil {
		client = NewClient(cfg.Concurrency, 30*time.Second)
	}
	var (
		issued    atomic.Int64
		failed    atomic.Int64
		completed atomic.Int64
		firstErr  sync.Once
		firstMsg  string
		wg        sync.WaitGroup
		samples   = make([][]time.Duration, cfg.Concurrency)
	)
	noteError := func(msg string) {
		failed.Add(1)
		firstErr.Do(func() { firstMsg = msg })
	}
	start := time.Now()
	var deadline time.Time
	if cfg.Duration > 0 {
		deadline = start.Add(cfg.Duration)
	}
	// next hands out work: the request's sequence number and the time it was
	// due (the zero time in a closed-loop run); ok is false when the run is over.
	var next func() (k int64, due time.Time, ok bool)
	if cfg.Rate > 0 {
		tickets := make(chan ticket, cfg.Concurrency)
		go schedule(ctx, &cfg, start, deadline, tickets, func() { noteError("open loop: every worker busy, request dropped") })
		next = func() (int64, time.Time, bool) {
			t, ok := <-tickets
			return t.k, t.due, ok
		}
	} else {
		next = func() (int64, time.Time, bool) {
			if ctx.Err() != nil || (!deadline.IsZero() && !time.Now().Before(deadline)) {
				return 0, time.Time{}, false
			}
			k := issued.Add(1)
			if cfg.MaxRequests > 0 && k > cfg.MaxRequests {
				return 0, time.Time{}, false
			}
			return k - 1, time.Time{}, true
		}
	}
	for w := range cfg.Concurrency {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 1024)
			defer func() { samples[w] = lat }()
			for {
				k, due, ok := next()
				if !ok || ctx.Err() != nil {
					return
				}
				target := cfg.URL
				if len(cfg.URLs) > 0 {
					target = cfg.URLs[k%int64(len(cfg.URLs))]
				}
				d, err := once(ctx, client, &cfg, target, due)
				if ctx.Err() != nil {
					return // cut off by the caller, neither success nor failure
				}
				completed.Add(1)
				if err != nil {
					noteError(err.Error())
					continue
				}
				lat = append(lat, d)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	all := slices.Concat(samples...)
	slices.Sort(all)
	res := Result{
		Requests:   completed.Load(),
		Errors:     failed.Load(),
		Duration:   elapsed,
		P50:        percentile(all, 50),
		P90:        percentile(all, 90),
		P99:        percentile(all, 99),
		FirstError: firstMsg,
	}
	if len(all) > 0 {
		res.Max = all[len(all)-1]
	}
	if elapsed > 0 {
		res.Throughput = float64(len(all)) / elapsed.Seconds()
	}
	return res, nil
}

// ticket is one request of an open-loop run: its sequence number and when
// it was due.
type ticket struct {
	k   int64
	due time.Time
}

// schedule issues tickets at cfg.Rate per second from start until the
// deadline, the request bound or ctx ends the run, then closes out. A ticket
// that finds out full (every worker busy) is dropped and reported with drop.
func schedule(ctx context.Context, cfg *Config, start, deadline time.Time, out chan<- ticket, drop func()) {
	defer close(out)
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for k := int64(0); cfg.MaxRequests == 0 || k < cfg.MaxRequests; k++ {
		due := start.Add(time.Duration(k) * interval)
		if !deadline.IsZero() && !due.Before(deadline) {
			return
		}
		timer.Reset(time.Until(due))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		select {
		case out <- ticket{k: k, due: due}:
		default:
			drop()
		}
	}
}

func check(cfg *Config) error {
	targets := cfg.URLs
	if len(targets) == 0 {
		targets = []string{cfg.URL}
	}
	for _, t := range targets {
		u, err := url.Parse(t)
		if err != nil {
			return fmt.Errorf("loadgen: bad URL: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("loadgen: URL %q is not an absolute http(s) URL", t)
		}
	}
	if cfg.Rate < 0 {
		return errors.New("loadgen: rate must not be negative")
	}
	if cfg.Method == "" {
		cfg.Method = http.MethodGet
	}
	if cfg.Concurrency < 0 || cfg.Duration < 0 || cfg.MaxRequests < 0 {
		return errors.New("loadgen: concurrency, duration and request count must not be negative")
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 1
	}
	if cfg.Duration == 0 && cfg.MaxRequests == 0 {
		return errors.New("loadgen: set a duration or a request count so the run ends")
	}
	if cfg.ExpectStatus == 0 {
		cfg.ExpectStatus = http.StatusOK
	}
	return nil
}

// once sends one request to target and reads the whole body, so the
// connection goes back to the pool and the latency includes the transfer.
// The latency runs from due when it is set (open loop), else from the send.
func once(ctx context.Context, client *http.Client, cfg *Config, target string, due time.Time) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, cfg.Method, target, nil)
	if err != nil {
		return 0, err
	}
	for k, v := range cfg.Header {
		req.Header[k] = v
	}
	t0 := due
	if t0.IsZero() {
		t0 = time.Now()
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	d := time.Since(t0)
	if err != nil {
		return 0, fmt.Errorf("reading body: %w", err)
	}
	if res.StatusCode != cfg.ExpectStatus {
		return 0, fmt.Errorf("status %d, want %d", res.StatusCode, cfg.ExpectStatus)
	}
	return d, nil
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted, in integer arithmetic so that p90 of ten samples is the ninth.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (len(sorted)*p + 99) / 100 // ceil(n*p/100), 1-based
	return sorted[max(0, min(rank, len(sorted))-1)]
}
