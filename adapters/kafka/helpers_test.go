package kafka_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/kafka"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

const (
	changedType  = "test.item.changed"
	removedType  = "test.item.removed"
	testProducer = "test-service"
)

var changedTopic = events.Topic(changedType, 1)

func testRegistry(t testing.TB) *events.Registry {
	t.Helper()
	reg, err := events.NewRegistry(os.DirFS("testdata/schemas"))
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	return reg
}

func testContext(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func testLogger(t testing.TB) *slog.Logger {
	t.Helper()
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// freePort finds a port nothing listens on, for a broker that must come
// back on the same address.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// newCluster starts a one-broker kfake cluster that is closed at cleanup.
func newCluster(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1)}, opts...)...)
	if err != nil {
		t.Fatalf("kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

func newClient(t testing.TB, brokers []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kafka.NewClient(kafka.Config{Brokers: brokers, ClientID: "test"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// migratedSchema is a fresh schema with the kafka tables and an items table
// for the state changes.
func migratedSchema(t testing.TB, prefix string) (string, *pgxpool.Pool) {
	t.Helper()
	ctx := testContext(t, 30*time.Second)
	schema, pool := pgtest.NewSchema(t, prefix)
	if err := kafka.Migrate(ctx, pool, schema); err != nil {
		t.Fatalf("kafka.Migrate: %v", err)
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE items (item text PRIMARY KEY, seq int NOT NULL DEFAULT 0);
		CREATE TABLE effects (event_id uuid NOT NULL, item text NOT NULL, seq int NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return schema, pool
}

type itemData struct {
	Item string `json:"item"`
	Seq  int    `json:"seq"`
}

func changedEvent(t testing.TB, item string, seq int) events.Envelope {
	t.Helper()
	e, err := events.New(changedType, 1, testProducer, item, itemData{Item: item, Seq: seq}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// commitChange bumps an item's sequence number and adds the matching event
// to the outbox in one transaction: the state change and its event commit
// together or not at all.
func commitChange(ctx context.Context, t testing.TB, pool *pgxpool.Pool, outbox *kafka.Outbox, item string) error {
	return postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
		var seq int
		err := tx.QueryRow(ctx, `INSERT INTO items (item, seq) VALUES ($1, 1)
			ON CONFLICT (item) DO UPDATE SET seq = items.seq + 1 RETURNING seq`, item).Scan(&seq)
		if err != nil {
			return err
		}
		return outbox.Add(ctx, tx, changedEvent(t, item, seq))
	})
}

// commitChanges is commitChange for several items in one transaction, with
// one Add of all their events (consecutive events of one type share an
// outbox row).
func commitChanges(ctx context.Context, t testing.TB, pool *pgxpool.Pool, outbox *kafka.Outbox, items []string) error {
	return postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
		envs := make([]events.Envelope, len(items))
		for i, item := range items {
			var seq int
			err := tx.QueryRow(ctx, `INSERT INTO items (item, seq) VALUES ($1, 1)
				ON CONFLICT (item) DO UPDATE SET seq = items.seq + 1 RETURNING seq`, item).Scan(&seq)
			if err != nil {
				return err
			}
			envs[i] = changedEvent(t, item, seq)
		}
		return outbox.Add(ctx, tx, envs...)
	})
}

// recordEffect is a Handler that stores the event's item and sequence.
func recordEffect(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	var d itemData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "INSERT INTO effects (event_id, item, seq) VALUES ($1, $2, $3)", e.ID, d.Item, d.Seq)
	return err
}

// readAll reads every record of topic from the start until it has seen at
// least want records and the partitions are drained.
func readAll(ctx context.Context, t testing.TB, brokers []string, topic string, want int) []*kgo.Record {
	t.Helper()
	cl := newClient(t, brokers, kgo.ConsumeTopics(topic), kgo.ConsumeStartOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(200*time.Millisecond))
	var out []*kgo.Record
	idle := 0
	for len(out) < want || idle < 2 {
		wait := 5 * time.Second // generous while records are still missing
		if len(out) >= want {
			wait = 300 * time.Millisecond // only looking for retransmissions
		}
		pctx, cancel := context.WithTimeout(ctx, wait)
		fetches := cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			t.Fatalf("read %s: got %d records, want %d: %v", topic, len(out), want, ctx.Err())
		}
		recs := fetches.Records()
		if len(recs) == 0 {
			idle++
			continue
		}
		idle = 0
		out = append(out, recs...)
	}
	return out
}

func header(rec *kgo.Record, key string) string {
	for _, h := range rec.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, t testing.TB, what string, cond func() (bool, error)) {
	t.Helper()
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func countRows(ctx context.Context, pool *pgxpool.Pool, query string, args ...any) (int, error) {
	var n int
	err := pool.QueryRow(ctx, query, args...).Scan(&n)
	return n, err
}

func itemName(i int) string { return "item-" + strconv.Itoa(i) }

// metricValue sums every series of the named metric in reg.
func metricValue(t testing.TB, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue metrics
				}
			}
			switch {
			case m.GetCounter() != nil:
				sum += m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				sum += m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				sum += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return sum
}
