package retry_test

import (
	"context"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/retry"
)

func TestBackoff_DoublesWithJitterUpToMaxAndResets(t *testing.T) {
	t.Parallel()
	b := retry.Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	for i, full := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		full *= time.Millisecond
		if d := b.Next(); d < full/2 || d > full {
			t.Fatalf("attempt %d: delay %v, want between %v and %v", i, d, full/2, full)
		}
	}
	b.Reset()
	if d := b.Next(); d < 50*time.Millisecond || d > 100*time.Millisecond {
		t.Fatalf("after Reset: delay %v, want Min with jitter", d)
	}
	long := retry.Backoff{Min: time.Second, Max: time.Hour}
	for range 100 { // the shift stops growing; no overflow to a negative delay
		if d := long.Next(); d <= 0 || d > time.Hour {
			t.Fatalf("delay %v out of (0, 1h]", d)
		}
	}
}

func TestSleep_StopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	if !retry.Sleep(context.Background(), time.Millisecond) {
		t.Fatal("Sleep with a live context = false, want true")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if retry.Sleep(ctx, time.Hour) || time.Since(start) > time.Second {
		t.Fatal("Sleep on a canceled context waited or reported true")
	}
}
