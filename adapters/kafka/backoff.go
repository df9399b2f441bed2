package kafka

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff grows a retry delay exponentially from min to max with jitter, so
// replicas retrying against the same outage do not hammer it in step.
type backoff struct {
	min, max time.Duration
	attempt  int
}

// next returns the delay before the next retry: a random duration between
// half and all of min*2^attempt, capped at max.
func (b *backoff) next() time.Duration {
	d := b.min << min(b.attempt, 30)
	if d > b.max || d <= 0 {
		d = b.max
	}
	b.attempt++
	half := d / 2
	return half + rand.N(half+1) // jitter needs no cryptographic randomness
}

// reset starts the next failure from min again.
func (b *backoff) reset() { b.attempt = 0 }

// sleep waits for d or until ctx is done, reporting whether the full delay
// elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
