package scanrecorder_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/scanrecorder"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// fakeSink keeps every batch written; fail makes the next writes fail and
// gate, when set, holds every write until it is closed.
type fakeSink struct {
	mu      sync.Mutex
	batches [][]string
	fail    int // writes still to fail
	calls   int
	gate    chan struct{}
}

func (s *fakeSink) WriteScans(ctx context.Context, scans []scan.Scan) error {
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fail > 0 {
		s.fail--
		return errors.New("database down")
	}
	keys := make([]string, len(scans))
	for i := range scans {
		keys[i] = scans[i].Key
	}
	s.batches = append(s.batches, keys)
	return nil
}

func (s *fakeSink) sizes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, len(s.batches))
	for i, b := range s.batches {
		out[i] = len(b)
	}
	return out
}

// keys returns every written key in write order.
func (s *fakeSink) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, b := range s.batches {
		out = append(out, b...)
	}
	return out
}

func total(sizes []int) int {
	n := 0
	for _, s := range sizes {
		n += s
	}
	return n
}

func newRecorder(t *testing.T, sink scanrecorder.Sink, cfg scanrecorder.Config) (*scanrecorder.Recorder, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	cfg.Registerer = reg
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, 5*time.Millisecond
	}
	r, err := scanrecorder.New(sink, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r, reg
}

// start runs r until the returned stop is called (or the test ends); stop
// waits for Run to return.
func start(t *testing.T, r *scanrecorder.Recorder) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func record(r *scanrecorder.Recorder, from, to int) {
	for i := from; i < to; i++ {
		r.Record(scan.Scan{Key: strconv.Itoa(i)})
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// assertAllOnce checks that keys 0..n-1 were each written exactly once.
func assertAllOnce(t *testing.T, keys []string, n int) {
	t.Helper()
	seen := make(map[string]int, n)
	for _, k := range keys {
		seen[k]++
	}
	for i := range n {
		if c := seen[strconv.Itoa(i)]; c != 1 {
			t.Fatalf("scan %d written %d times (of %d written)", i, c, len(keys))
		}
	}
	if len(keys) != n {
		t.Fatalf("written %d scans, want %d", len(keys), n)
	}
}

func TestRecorder_WritesFullBatchesWithoutWaitingForTheInterval(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{}
	r, reg := newRecorder(t, sink, scanrecorder.Config{BatchSize: 10, FlushInterval: time.Hour, Buffer: 100})
	start(t, r)
	record(r, 0, 25)
	waitFor(t, "two full batches", func() bool { return total(sink.sizes()) >= 20 })
	for _, n := range sink.sizes() {
		if n > 10 {
			t.Fatalf("batch of %d scans, more than BatchSize", n)
		}
	}
	// The last five wait for the interval (an hour) or the next full batch.
	time.Sleep(20 * time.Millisecond)
	if got := total(sink.sizes()); got != 20 {
		t.Fatalf("written %d, want 20 before the interval", got)
	}
	if d := r.Depth(); d != 5 {
		t.Fatalf("Depth = %d, want 5", d)
	}
	if got := metric(t, reg, "packytrace_scans_recorded_total"); got != 25 {
		t.Fatalf("recorded_total = %v, want 25", got)
	}
}

func TestRecorder_WritesPartialBatchAfterTheInterval(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{}
	r, _ := newRecorder(t, sink, scanrecorder.Config{BatchSize: 1000, FlushInterval: 10 * time.Millisecond})
	start(t, r)
	record(r, 0, 3)
	waitFor(t, "the interval's batch", func() bool { return total(sink.sizes()) == 3 })
	assertAllOnce(t, sink.keys(), 3)
}

func TestRecorder_ShutdownDrainsEverything(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{}
	r, reg := newRecorder(t, sink, scanrecorder.Config{BatchSize: 100, FlushInterval: time.Hour, Buffer: 5000})
	stop := start(t, r)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() { record(r, w*1000, w*1000+999) })
	}
	wg.Wait()
	stop()
	keys := sink.keys()
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			t.Fatalf("scan %s written twice", k)
		}
		seen[k] = true
	}
	if len(keys) != 4*999 {
		t.Fatalf("written %d scans after shutdown, want %d", len(keys), 4*999)
	}
	for _, n := range sink.sizes() {
		if n > 100 {
			t.Fatalf("drain wrote a batch of %d, more than BatchSize", n)
		}
	}
	if got := metric(t, reg, "packytrace_scans_written_total"); got != 4*999 {
		t.Fatalf("written_total = %v", got)
	}
	// After Run has returned, Record writes by itself: still nothing lost.
	r.Record(scan.Scan{Key: "late"})
	if keys := sink.keys(); keys[len(keys)-1] != "late" {
		t.Fatalf("late scan not written: last is %q", keys[len(keys)-1])
	}
}

func TestRecorder_FullBufferBlocksRecordInsteadOfDropping(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{gate: make(chan struct{})}
	r, reg := newRecorder(t, sink, scanrecorder.Config{BatchSize: 10, FlushInterval: time.Millisecond, Buffer: 20})
	start(t, r)
	record(r, 0, 20) // fills the buffer; the flusher is stuck in the sink
	blocked := make(chan struct{})
	go func() {
		record(r, 20, 21)
		close(blocked)
	}()
	waitFor(t, "a backpressure wait", func() bool {
		return metric(t, reg, "packytrace_scan_backpressure_waits_total") == 1
	})
	select {
	case <-blocked:
		t.Fatal("Record returned while the buffer was full")
	default:
	}
	if d := r.Depth(); d != 20 {
		t.Fatalf("Depth = %d, want 20 (the buffer bound)", d)
	}
	close(sink.gate)
	<-blocked
	waitFor(t, "every scan written", func() bool { return total(sink.sizes()) == 21 })
	assertAllOnce(t, sink.keys(), 21)
}

func TestRecorder_SinkFailureIsRetriedAndLoggedOncePerStreak(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{fail: 5}
	var logs syncBuffer
	r, reg := newRecorder(t, sink, scanrecorder.Config{
		BatchSize: 10, FlushInterval: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	stop := start(t, r)
	record(r, 0, 35)
	waitFor(t, "every scan written", func() bool { return total(sink.sizes()) == 35 })
	stop()
	keys := sink.keys()
	assertAllOnce(t, keys, 35)
	// Order is kept across the retries.
	for i, k := range keys {
		if k != strconv.Itoa(i) {
			t.Fatalf("written out of order at %d: %s", i, k)
		}
	}
	if got := metric(t, reg, "packytrace_scan_sink_errors_total"); got != 5 {
		t.Fatalf("sink_errors_total = %v, want 5", got)
	}
	out := logs.String()
	if n := strings.Count(out, "writing scans failed"); n != 1 {
		t.Fatalf("failure logged %d times, want once per streak:\n%s", n, out)
	}
	if !strings.Contains(out, "written after failures") {
		t.Fatalf("recovery not logged:\n%s", out)
	}
}

func TestRecorder_SinkDownAtShutdownGivesUpAfterTheDrainTimeout(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{fail: 1 << 30}
	r, reg := newRecorder(t, sink, scanrecorder.Config{BatchSize: 10, FlushInterval: time.Hour, DrainTimeout: 50 * time.Millisecond})
	stop := start(t, r)
	record(r, 0, 7)
	stop()
	if got := metric(t, reg, "packytrace_scans_lost_total"); got != 7 {
		t.Fatalf("lost_total = %v, want 7", got)
	}
	if d := r.Depth(); d != 0 {
		t.Fatalf("Depth after giving up = %d", d)
	}
}

func TestNew_RejectsBadSettings(t *testing.T) {
	t.Parallel()
	sink := &fakeSink{}
	for name, cfg := range map[string]scanrecorder.Config{
		"negative batch":            {BatchSize: -1},
		"negative interval":         {FlushInterval: -time.Second},
		"buffer smaller than batch": {BatchSize: 100, Buffer: 10},
	} {
		if _, err := scanrecorder.New(sink, cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
	if _, err := scanrecorder.New(nil, scanrecorder.Config{}); err == nil {
		t.Error("New accepted a nil sink")
	}
}

// BenchmarkRecorder_Record is the cost a request pays to record a scan,
// with the flusher writing to a sink that accepts at once.
func BenchmarkRecorder_Record(b *testing.B) {
	r, err := scanrecorder.New(&discardSink{}, scanrecorder.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	s := scan.Scan{Key: "/01/09506000134352", Region: "CH", UserAgent: scan.ClassBrowserMobile, Outcome: scan.Redirect}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Record(s)
		}
	})
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

type discardSink struct{}

func (discardSink) WriteScans(context.Context, []scan.Scan) error { return nil }

// metric reads a counter or gauge of reg by name; 0 when absent.
func metric(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	return 0
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
