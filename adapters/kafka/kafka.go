// Package kafka carries PackyTrace events between services through a
// Kafka-protocol broker (Redpanda in production, franz-go's kfake in tests
// and local runs) without losing any and without applying any twice.
//
// Producing goes through a transactional outbox: a service writes its events
// with Outbox.Add in the same Postgres transaction as the state change, and a
// Relay publishes committed rows and deletes them once the broker has
// acknowledged them. Nothing is lost while the broker is down; a row may be
// published more than once (at-least-once), never out of order for its key.
//
// Consuming goes through a Consumer: every message is validated against its
// JSON Schema (invalid ones go to the "<topic>.dlq" dead-letter topic with
// the reason), and its event id is recorded in the same Postgres transaction
// as the handler's effect, so a redelivered event has no second effect.
package kafka

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/fault"
)

// DefaultLinger is how long the producer waits to fill a batch. It trades at
// most 5 ms of latency for far fewer produce requests under load.
const DefaultLinger = 5 * time.Millisecond

// Config locates the brokers.
type Config struct {
	// Brokers are the seed brokers, host:port.
	Brokers []string
	// ClientID names the client in broker logs, typically the service name.
	ClientID string
}

// producerOpts are the options every PackyTrace producer runs with. The
// idempotent producer (franz-go's default, deliberately not disabled) and
// acks from all in-sync replicas make a broker retry neither lose nor reorder
// records; hashing the key to pick the partition keeps one key's events in
// one partition, hence in order.
func producerOpts() []kgo.Opt {
	return []kgo.Opt{
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerLinger(DefaultLinger),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)),
	}
}

// NewClient creates a franz-go client with the PackyTrace producer settings
// (idempotent, acks=all, 5 ms linger, key-hash partitioning); opts are applied
// after them and may override anything except idempotence, which the relay's
// ordering guarantee depends on. The client connects lazily.
func NewClient(cfg Config, opts ...kgo.Opt) (*kgo.Client, error) {
	if len(cfg.Brokers) == 0 {
		return nil, fault.New(fault.Invalid, "kafka: no brokers configured")
	}
	all := []kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}
	if cfg.ClientID != "" {
		all = append(all, kgo.ClientID(cfg.ClientID))
	}
	all = append(all, producerOpts()...)
	all = append(all, opts...)
	cl, err := kgo.NewClient(all...)
	if err != nil {
		return nil, fault.Wrap(fault.Invalid, err, "kafka: invalid client configuration")
	}
	return cl, nil
}

// Check returns a readiness probe that pings a broker within the probe's
// context deadline; a failure is Unavailable.
func Check(cl *kgo.Client) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := cl.Ping(ctx); err != nil {
			return fault.Wrap(fault.Unavailable, err, "kafka not ready")
		}
		return nil
	}
}
