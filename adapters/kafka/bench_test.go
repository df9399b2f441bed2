package kafka_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/kafka"
)

// benchEvents is how many events each benchmark iteration moves.
const benchEvents = 100_000

// BenchmarkRelay measures the relay draining a committed backlog: from rows
// in the outbox to broker acknowledgements and deleted rows. Each iteration
// commits benchEvents events (untimed, in transactions of 1,000 events, one
// outbox row each) and then times a fresh relay until its published counter
// reaches them.
func BenchmarkRelay(b *testing.B) {
	ctx := testContext(b, 30*time.Minute)
	reg := testRegistry(b)
	schema, pool := migratedSchema(b, "benchrelay")
	cluster := newCluster(b, kfake.SeedTopics(6, changedTopic))
	cl := newClient(b, cluster.ListenAddrs())
	outbox := kafka.NewOutbox(schema, reg)
	b.ReportAllocs()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fillOutbox(ctx, b, pool, outbox, benchEvents)
		metrics := prometheus.NewRegistry()
		relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{Schema: schema, Registerer: metrics, Logger: testLogger(b)})
		if err != nil {
			b.Fatal(err)
		}
		rctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		b.StartTimer()
		start := time.Now()
		go func() { done <- relay.Run(rctx) }()
		for metricValue(b, metrics, "packytrace_outbox_published_total") < benchEvents {
			time.Sleep(5 * time.Millisecond)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		stop()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		if n, err := relay.Backlog(ctx); err != nil || n != 0 {
			b.Fatalf("backlog after the run = %d, %v", n, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(benchEvents*b.N)/elapsed.Seconds(), "events/s")
}

func fillOutbox(ctx context.Context, b *testing.B, pool *pgxpool.Pool, outbox *kafka.Outbox, n int) {
	b.Helper()
	const perTx = 1000
	envs := make([]events.Envelope, perTx)
	for done := 0; done < n; done += perTx {
		for j := range envs {
			envs[j] = changedEvent(b, itemName(j%100), done/perTx+1)
		}
		tx, err := pool.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := outbox.Add(ctx, tx, envs...); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// groupSeq numbers benchmark groups: the testing package runs a benchmark
// body more than once, and a group that already consumed the topic would
// find nothing left.
var groupSeq atomic.Int64

// BenchmarkConsumer measures a consumer group applying events with the
// idempotency record: each iteration is a new group reading benchEvents
// pre-produced events from the start, validating each, recording its id and
// running the handler, all in one transaction per poll.
func BenchmarkConsumer(b *testing.B) {
	ctx := testContext(b, 30*time.Minute)
	reg := testRegistry(b)
	cluster := newCluster(b, kfake.SeedTopics(6, changedTopic))
	brokers := cluster.ListenAddrs()
	cl := newClient(b, brokers)
	recs := make([]*kgo.Record, 0, 1000)
	for i := range benchEvents {
		e := changedEvent(b, itemName(i%100), i+1)
		raw, err := reg.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: changedTopic, Key: []byte(e.Key), Value: raw})
		if len(recs) == cap(recs) {
			if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				b.Fatal(err)
			}
			recs = recs[:0]
		}
	}

	handlers := []struct {
		name    string
		handler kafka.Handler
	}{
		{"noop", func(context.Context, pgx.Tx, events.Envelope) error { return nil }},
		{"insert", recordEffect},
	}
	for _, h := range handlers {
		b.Run(h.name, func(b *testing.B) {
			schema, pool := migratedSchema(b, "benchcons")
			b.ReportAllocs()
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				metrics := prometheus.NewRegistry()
				c, err := kafka.NewConsumer(kafka.ConsumerConfig{
					Brokers: brokers, Group: "bench-" + h.name + "-" + strconv.FormatInt(groupSeq.Add(1), 10), Topics: []string{changedTopic},
					Schema: schema, Registry: reg, Pool: pool, Handler: h.handler, Registerer: metrics, Logger: testLogger(b),
				})
				if err != nil {
					b.Fatal(err)
				}
				cctx, stop := context.WithCancel(ctx)
				done := make(chan error, 1)
				start := time.Now()
				go func() { done <- c.Run(cctx) }()
				for metricValue(b, metrics, "packytrace_consumer_processed_total", "result", "applied") < benchEvents {
					time.Sleep(5 * time.Millisecond)
				}
				elapsed += time.Since(start)
				b.StopTimer()
				stop()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(benchEvents*b.N)/elapsed.Seconds(), "msgs/s")
		})
	}
}
