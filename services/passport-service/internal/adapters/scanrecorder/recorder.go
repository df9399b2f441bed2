// Package scanrecorder takes the scans the GS1 resolver records and writes
// them to a sink (the Postgres outbox, in production) in batches, off the
// request path.
//
// Record is what a request pays: a mutex, an append to a bounded in-memory
// buffer and, once a batch is full, a non-blocking wake-up of the flusher.
// It does no I/O and no encoding. A single flusher goroutine (Run) writes
// batches of at most Config.BatchSize scans when a batch is full or every
// Config.FlushInterval, whichever comes first.
//
// No scan is dropped:
//
//   - When the buffer (Config.Buffer scans, counting the batch being
//     written) is full, Record blocks until the flusher has made room. The
//     wait shows in packytrace_scan_backpressure_waits_total and in request
//     latency: a slow database slows the resolver rather than losing scans.
//   - A failed write keeps its batch and is retried with a growing delay;
//     the first failure of a streak is logged, and so is the recovery.
//   - When Run's context ends, Run writes everything still buffered before
//     it returns. The daemon ends that context only after the HTTP server
//     has stopped taking requests and finished those in flight, so every
//     scan a request recorded is written. A scan recorded after Run has
//     returned (a request that outlived the server's shutdown timeout) is
//     written by Record itself, synchronously.
//
// Crash window: a process that dies without a graceful shutdown (SIGKILL,
// OOM, power loss) loses the scans buffered in memory: at most
// Config.Buffer, normally those of the last Config.FlushInterval. Scans the
// sink has accepted are in the outbox and survive.
package scanrecorder

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/retry"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// Defaults of Config.
const (
	DefaultBatchSize     = 500
	DefaultFlushInterval = 100 * time.Millisecond
	DefaultBuffer        = 10_000
	DefaultMinBackoff    = 50 * time.Millisecond
	DefaultMaxBackoff    = 5 * time.Second
	DefaultDrainTimeout  = 30 * time.Second
)

// writeTimeout bounds one write of a batch; lateWriteTimeout the
// synchronous write of a scan recorded after Run has returned.
const (
	writeTimeout     = 30 * time.Second
	lateWriteTimeout = 5 * time.Second
)

// Sink stores a batch of scans durably; an error means none of them was
// stored (the batch is retried whole).
type Sink interface {
	WriteScans(ctx context.Context, scans []scan.Scan) error
}

// Config configures a Recorder; zero values take the defaults.
type Config struct {
	// BatchSize is the most scans written at once (SCAN_BATCH_SIZE); a
	// full batch is written without waiting for the interval.
	BatchSize int
	// FlushInterval is the longest a recorded scan waits before its batch
	// is written (SCAN_FLUSH_INTERVAL).
	FlushInterval time.Duration
	// Buffer is the most scans held in memory, the batch being written
	// included (SCAN_BUFFER); Record blocks while it is full. At least
	// BatchSize.
	Buffer int
	// MinBackoff and MaxBackoff bound the delay between retries of a
	// failed write.
	MinBackoff, MaxBackoff time.Duration
	// DrainTimeout bounds how long Run keeps retrying the last writes once
	// its context has ended; what it could not write by then is logged as
	// lost.
	DrainTimeout time.Duration
	// Logger receives failure streaks and losses; nil discards them.
	Logger *slog.Logger
	// Registerer receives the metrics; nil registers none.
	Registerer prometheus.Registerer
}

// Recorder buffers scans and writes them to a Sink in batches. Record is
// safe for concurrent use; Run one Run per Recorder.
type Recorder struct {
	sink Sink
	cfg  Config
	log  *slog.Logger

	mu       sync.Mutex
	room     *sync.Cond // signalled when the flusher frees buffer space or stops
	pending  []scan.Scan
	spare    []scan.Scan // the flusher's other buffer, swapped with pending
	inflight int         // scans taken by the flusher and not yet written
	stopped  bool        // Run has returned: Record writes by itself
	kick     chan struct{}

	recorded, written, backpressure, sinkErrors, lost prometheus.Counter
	batchSize, flushSeconds                           prometheus.Histogram
}

// New checks cfg, fills in defaults and registers the metrics
// packytrace_scans_recorded_total, packytrace_scans_written_total,
// packytrace_scan_buffer_depth, packytrace_scan_backpressure_waits_total,
// packytrace_scan_sink_errors_total, packytrace_scans_lost_total,
// packytrace_scan_flush_batch_size and packytrace_scan_flush_seconds.
func New(sink Sink, cfg Config) (*Recorder, error) {
	if sink == nil {
		return nil, errors.New("scanrecorder: no sink")
	}
	if cfg.BatchSize < 0 || cfg.FlushInterval < 0 || cfg.Buffer < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 || cfg.DrainTimeout < 0 {
		return nil, errors.New("scanrecorder: settings must not be negative")
	}
	cfg.BatchSize = cmp.Or(cfg.BatchSize, DefaultBatchSize)
	cfg.FlushInterval = cmp.Or(cfg.FlushInterval, DefaultFlushInterval)
	cfg.Buffer = cmp.Or(cfg.Buffer, DefaultBuffer)
	cfg.MinBackoff = cmp.Or(cfg.MinBackoff, DefaultMinBackoff)
	cfg.MaxBackoff = max(cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff), cfg.MinBackoff)
	cfg.DrainTimeout = cmp.Or(cfg.DrainTimeout, DefaultDrainTimeout)
	if cfg.Buffer < cfg.BatchSize {
		return nil, fmt.Errorf("scanrecorder: buffer (%d) must hold at least one batch (%d)", cfg.Buffer, cfg.BatchSize)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{
		sink:    sink,
		cfg:     cfg,
		log:     log.With("component", "scan-recorder"),
		pending: make([]scan.Scan, 0, min(cfg.Buffer, 2*cfg.BatchSize)),
		kick:    make(chan struct{}, 1),

		recorded: counter(cfg.Registerer, "packytrace_scans_recorded_total", "Scans the resolver recorded."),
		written:  counter(cfg.Registerer, "packytrace_scans_written_total", "Scans written to the outbox."),
		backpressure: counter(cfg.Registerer, "packytrace_scan_backpressure_waits_total",
			"Scans whose request waited for buffer space because the scan buffer was full."),
		sinkErrors: counter(cfg.Registerer, "packytrace_scan_sink_errors_total", "Failed batch writes (each is retried)."),
		lost: counter(cfg.Registerer, "packytrace_scans_lost_total",
			"Scans given up on: still unwritten when the shutdown drain timed out."),
		batchSize: histogram(cfg.Registerer, "packytrace_scan_flush_batch_size", "Scans per written batch.",
			prometheus.ExponentialBuckets(1, 2, 12)),
		flushSeconds: histogram(cfg.Registerer, "packytrace_scan_flush_seconds", "Time to write one batch, retries excluded.",
			[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}),
	}
	r.room = sync.NewCond(&r.mu)
	if cfg.Registerer != nil {
		depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "packytrace_scan_buffer_depth", Help: "Scans held in memory, waiting or being written.",
		}, func() float64 { return float64(r.Depth()) })
		_ = cfg.Registerer.Register(depth) // a clash is a wiring bug; recording still works
	}
	return r, nil
}

func counter(reg prometheus.Registerer, name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	if reg != nil {
		_ = reg.Register(c) // a clash is a wiring bug; recording still works
	}
	return c
}

func histogram(reg prometheus.Registerer, name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	if reg != nil {
		_ = reg.Register(h)
	}
	return h
}

// Record buffers s for the flusher. It blocks while the buffer is full and
// never drops s.
func (r *Recorder) Record(s scan.Scan) {
	r.recorded.Inc()
	r.mu.Lock()
	if len(r.pending)+r.inflight >= r.cfg.Buffer && !r.stopped {
		r.backpressure.Inc()
		for len(r.pending)+r.inflight >= r.cfg.Buffer && !r.stopped {
			r.room.Wait()
		}
	}
	if r.stopped {
		r.mu.Unlock()
		r.writeLate(s)
		return
	}
	r.pending = append(r.pending, s)
	full := len(r.pending) >= r.cfg.BatchSize
	r.mu.Unlock()
	if full {
		select {
		case r.kick <- struct{}{}:
		default: // the flusher has a wake-up pending already
		}
	}
}

// Depth is the number of scans held in memory: waiting or being written.
func (r *Recorder) Depth() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending) + r.inflight
}

// Run writes batches until ctx ends, then writes everything still buffered
// (retrying failures for up to Config.DrainTimeout) and returns nil. From
// then on Record writes each scan itself.
func (r *Recorder) Run(ctx context.Context) error {
	t := time.NewTicker(r.cfg.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			r.drain(ctx)
			return nil
		case <-r.kick:
			r.flush(ctx, false)
		case <-t.C:
			r.flush(ctx, true)
		}
	}
}

// drain writes whatever is buffered once Run's context has ended, then
// switches Record to writing by itself.
func (r *Recorder) drain(ctx context.Context) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cfg.DrainTimeout)
	defer cancel()
	for r.Depth() > 0 && dctx.Err() == nil {
		r.flush(dctx, true)
	}
	r.mu.Lock()
	r.stopped = true
	if n := len(r.pending) + r.inflight; n > 0 {
		r.lost.Add(float64(n))
		r.log.Error("scans not written before the shutdown drain timed out; they are lost",
			"scans", n, "drain_timeout", r.cfg.DrainTimeout)
		clear(r.pending)
		r.pending, r.inflight = r.pending[:0], 0
	}
	r.room.Broadcast()
	r.mu.Unlock()
}

// flush takes the pending scans, all of them or (for a full-batch wake-up)
// only whole batches, and writes them in batches of at most BatchSize,
// retrying each failed batch until it is written or ctx ends. On ctx's end
// the unwritten scans go back to the front of pending.
func (r *Recorder) flush(ctx context.Context, all bool) {
	r.mu.Lock()
	n := len(r.pending)
	if !all {
		n -= n % r.cfg.BatchSize
	}
	if n == 0 {
		r.mu.Unlock()
		return
	}
	buf := r.pending
	batch := buf[:n:n]
	// The spare buffer becomes pending, taking the remainder (less than a
	// batch) along.
	r.pending, r.spare = append(r.spare[:0], buf[n:]...), nil
	clear(buf[n:])
	r.inflight = n
	r.mu.Unlock()

	done := 0
	for done < n && r.writeWithRetry(ctx, batch[done:min(done+r.cfg.BatchSize, n)]) {
		k := min(r.cfg.BatchSize, n-done)
		done += k
		r.mu.Lock()
		r.inflight -= k
		r.room.Broadcast()
		r.mu.Unlock()
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if done < n {
		// ctx ended mid-way: the rest goes back in front of what arrived
		// meanwhile, keeping the order.
		rest := append(batch[done:], r.pending...) // batch is full to its capacity: this copies
		clear(r.pending)
		r.pending = rest
		r.inflight = 0
	}
	clear(buf[:n]) // drop the references to the scans' strings
	r.spare = buf[:0]
}

// writeWithRetry writes one batch, retrying with backoff until it succeeds
// (true) or ctx ends (false). A write under way is not cut short by ctx's
// end, only bounded by writeTimeout: aborting it could leave the outcome
// unknown and the batch written twice. A failure streak is logged once, at
// its start, and its end once more.
func (r *Recorder) writeWithRetry(ctx context.Context, batch []scan.Scan) bool {
	failures := 0
	bo := retry.Backoff{Min: r.cfg.MinBackoff, Max: r.cfg.MaxBackoff}
	for {
		start := time.Now()
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		err := r.sink.WriteScans(wctx, batch)
		cancel()
		if err == nil {
			r.flushSeconds.Observe(time.Since(start).Seconds())
			r.batchSize.Observe(float64(len(batch)))
			r.written.Add(float64(len(batch)))
			if failures > 0 {
				r.log.Info("scan batch written after failures", "failures", failures, "scans", len(batch))
			}
			return true
		}
		r.sinkErrors.Inc()
		failures++
		if failures == 1 {
			r.log.Warn("writing scans failed; retrying until it works", "error", err, "scans", len(batch))
		}
		if ctx.Err() != nil {
			return false
		}
		if !retry.Sleep(ctx, bo.Next()) {
			return false
		}
	}
}

// writeLate writes one scan recorded after Run has returned.
func (r *Recorder) writeLate(s scan.Scan) {
	ctx, cancel := context.WithTimeout(context.Background(), lateWriteTimeout)
	defer cancel()
	if err := r.sink.WriteScans(ctx, []scan.Scan{s}); err != nil {
		r.sinkErrors.Inc()
		r.lost.Inc()
		r.log.Error("scan recorded after shutdown could not be written; it is lost", "error", err)
		return
	}
	r.written.Inc()
}
