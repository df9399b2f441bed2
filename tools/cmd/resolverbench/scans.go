package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// drained waits until the service at base holds no scan in memory and no
// event in its outbox (its /metrics say so), so that the next run starts on
// a quiet machine; it returns how long that took.
func drained(ctx context.Context, client *http.Client, base string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	for time.Since(start) < timeout {
		idle, err := pipelineIdle(ctx, client, base)
		if err != nil {
			return 0, err
		}
		if idle {
			return time.Since(start), nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return 0, fmt.Errorf("scan pipeline still busy after %s", timeout)
}

// pipelineIdle reads the scan buffer depth and outbox backlog gauges.
func pipelineIdle(ctx context.Context, client *http.Client, base string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return false, err
	}
	res, err := client.Do(req)
	if err != nil {
		return false, err
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return false, err
	}
	seen := 0
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "packytrace_scan_buffer_depth") || strings.HasPrefix(line, "packytrace_outbox_backlog") {
			seen++
			if f := strings.Fields(line); len(f) != 2 || f[1] != "0" {
				return false, nil
			}
		}
	}
	return seen == 2, nil
}

// scanTopic is where passport-service's outbox relay publishes scan records.
const scanTopic = "passport.scan.recorded.v1"

// scanEvent is what the bench keeps of one scan record on the broker.
type scanEvent struct {
	occurred time.Time // the envelope's occurred_at: when the request arrived
	produced time.Time // the record's timestamp: when the relay produced it
	consumed time.Time // when the bench's consumer got it
}

// scanWatch consumes the scan topic from the start for the whole run and
// keeps every record's times.
type scanWatch struct {
	cl     *kgo.Client
	mu     sync.Mutex
	events []scanEvent
	bad    int // records without a readable occurred_at
	err    error
}

// watchScans starts consuming scanTopic on brokers until ctx ends.
func watchScans(ctx context.Context, brokers string) (*scanWatch, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ConsumeTopics(scanTopic),
		kgo.ConsumeStartOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(20*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("scan consumer: %w", err)
	}
	w := &scanWatch{cl: cl}
	go func() {
		defer cl.Close()
		for ctx.Err() == nil {
			fetches := cl.PollFetches(ctx)
			now := time.Now()
			var batch []scanEvent
			bad := 0
			fetches.EachRecord(func(r *kgo.Record) {
				occ, ok := occurredAt(r.Value)
				if !ok {
					bad++
					return
				}
				batch = append(batch, scanEvent{occurred: occ, produced: r.Timestamp, consumed: now})
			})
			w.mu.Lock()
			w.events = append(w.events, batch...)
			w.bad += bad
			fetches.EachError(func(_ string, _ int32, err error) {
				if w.err == nil && ctx.Err() == nil {
					w.err = err
				}
			})
			w.mu.Unlock()
		}
	}()
	return w, nil
}

// occurredAt reads the envelope's occurred_at without decoding the whole
// record: the bench must not steal the resolver's CPU.
func occurredAt(v []byte) (time.Time, bool) {
	const key = `"occurred_at":"`
	i := bytes.Index(v, []byte(key))
	if i < 0 {
		return time.Time{}, false
	}
	rest := v[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, string(rest[:j]))
	return t, err == nil
}

// pause stops fetching until resume, so that the bench's consumer takes no
// CPU from the resolver during the closed-loop runs; lag to the broker comes
// from the records' timestamps and does not depend on when they are read.
func (w *scanWatch) pause() { w.cl.PauseFetchTopics(scanTopic) }

// resume fetches again, from where the consumer stopped.
func (w *scanWatch) resume() { w.cl.ResumeFetchTopics(scanTopic) }

// count is the number of scan records consumed so far.
func (w *scanWatch) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.events)
}

// settle waits until no new record has arrived for quiet, or timeout.
func (w *scanWatch) settle(ctx context.Context, quiet, timeout time.Duration) time.Duration {
	start := time.Now()
	last, lastChange := w.count(), time.Now()
	for time.Since(lastChange) < quiet && time.Since(start) < timeout && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
		if n := w.count(); n != last {
			last, lastChange = n, time.Now()
		}
	}
	return time.Since(start)
}

// scanStats summarises the scan records of requests that arrived in a
// time window.
type scanStats struct {
	scans          int
	perSecond      float64
	lagP50, lagP99 time.Duration // occurred_at -> record timestamp
	consumeP99     time.Duration // occurred_at -> consumed by the bench
	lagMax         time.Duration
	// live is true when the records were consumed as they arrived (the
	// open loop), so consumeP99 means something.
	live bool
}

// window summarises the records whose occurred_at is in [from, to).
func (w *scanWatch) window(from, to time.Time) scanStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	var lags, consumed []time.Duration
	for _, e := range w.events {
		if e.occurred.Before(from) || !e.occurred.Before(to) {
			continue
		}
		lags = append(lags, e.produced.Sub(e.occurred))
		consumed = append(consumed, e.consumed.Sub(e.occurred))
	}
	st := scanStats{scans: len(lags)}
	if d := to.Sub(from); d > 0 {
		st.perSecond = float64(len(lags)) / d.Seconds()
	}
	if len(lags) == 0 {
		return st
	}
	slices.Sort(lags)
	slices.Sort(consumed)
	st.lagP50, st.lagP99, st.lagMax = quantile(lags, 0.50), quantile(lags, 0.99), lags[len(lags)-1]
	st.consumeP99 = quantile(consumed, 0.99)
	return st
}

// problems reports records the bench could not read and consumer errors.
func (w *scanWatch) problems() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return fmt.Errorf("scan consumer: %w", w.err)
	}
	if w.bad > 0 {
		return fmt.Errorf("%d scan records without a readable occurred_at", w.bad)
	}
	return nil
}

// quantile of sorted durations, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (s scanStats) String() string {
	out := fmt.Sprintf("scans=%d (%.1f/s) lag to broker p50=%s p99=%s max=%s",
		s.scans, s.perSecond, ms(s.lagP50), ms(s.lagP99), ms(s.lagMax))
	if s.live {
		out += ", to consumer p99=" + ms(s.consumeP99)
	}
	return out
}
