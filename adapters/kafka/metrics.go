package kafka

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// register registers c on reg and returns the collector to use: c itself, or
// the identical collector registered before (two relays of one schema in one
// process share their series). A nil reg registers nothing.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		// A clash with a different collector of the same name is a wiring
		// bug; the component still works, only unobserved.
	}
	return c
}

// batchBuckets spans a single fast batch (1 ms) to a batch stuck on a slow
// broker (10 s).
var batchBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
