// Package retry paces the retries of background work (publishing, writing,
// reconnecting) while what it depends on is down.
package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff grows a retry delay exponentially from Min to Max with jitter, so
// replicas retrying against the same outage do not hammer it in step. The
// zero attempt count starts at Min; a Backoff is used by one goroutine.
type Backoff struct {
	Min, Max time.Duration
	attempt  int
}

// Next returns the delay before the next retry: a random duration between
// half and all of Min*2^attempt, capped at Max.
func (b *Backoff) Next() time.Duration {
	d := b.Min << min(b.attempt, 30)
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	b.attempt++
	half := d / 2
	return half + rand.N(half+1) // jitter needs no cryptographic randomness
}

// Reset starts the next failure from Min again.
func (b *Backoff) Reset() { b.attempt = 0 }

// Sleep waits for d or until ctx is done, reporting whether the full delay
// elapsed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
