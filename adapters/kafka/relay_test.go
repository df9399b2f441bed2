package kafka_test

import (
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

// startRelay runs relay until the test ends and returns a function that
// stops it and waits for Run to return.
func startRelay(t *testing.T, ctx context.Context, relay *kafka.Relay) (stop func()) {
	t.Helper()
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- relay.Run(rctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Relay.Run returned %v, want nil after cancel", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// TestRelay_BrokerOutage_LosesNothingAndKeepsKeyOrder commits 1,000 state
// changes while the broker is down, with the relay running and failing all
// along; when a broker comes back on the same address every event reaches
// it, each key's events in order, the outbox empties, and a consumer with the
// idempotency table applies each event exactly once.
func TestRelay_BrokerOutage_LosesNothingAndKeepsKeyOrder(t *testing.T) {
	t.Parallel()
	const changes, keys = 1000, 10
	ctx := testContext(t, 3*time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "outage")
	port := freePort(t)
	brokers := []string{"127.0.0.1:" + strconv.Itoa(port)}
	topics := kafka.WithDLQ(kafka.TopicSpec{Name: changedTopic, Partitions: 4})

	first, err := kfake.NewCluster(kfake.Ports(port))
	if err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, brokers)
	if err := kafka.EnsureTopics(ctx, cl, topics...); err != nil {
		t.Fatalf("EnsureTopics: %v", err)
	}
	first.Close() // the broker is down from here on

	metrics := prometheus.NewRegistry()
	relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{
		Schema: schema, PublishTimeout: 500 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Logger: testLogger(t), Registerer: metrics,
	})
	if err != nil {
		t.Fatal(err)
	}
	startRelay(t, ctx, relay)

	outbox := kafka.NewOutbox(schema, reg)
	var wg sync.WaitGroup
	errs := make(chan error, changes)
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < changes; i += 4 {
				if err := commitChange(ctx, t, pool, outbox, itemName(i%keys)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("commit: %v", err)
	}

	// The relay keeps failing against the dead broker, on the whole
	// backlog, and keeps every row.
	waitFor(ctx, t, "publish failures on the whole backlog", func() (bool, error) {
		return metricValue(t, metrics, "packytrace_outbox_publish_errors_total") >= changes, nil
	})
	if n, err := relay.Backlog(ctx); err != nil || n != changes {
		t.Fatalf("backlog while the broker is down = %d, %v; want %d", n, err, changes)
	}
	if !relay.Active() {
		t.Fatal("relay not active")
	}

	second, err := kfake.NewCluster(kfake.Ports(port))
	if err != nil {
		t.Fatalf("restart broker on port %d: %v", port, err)
	}
	t.Cleanup(second.Close)
	if err := kafka.EnsureTopics(ctx, cl, topics...); err != nil {
		t.Fatalf("EnsureTopics after restart: %v", err)
	}
	waitFor(ctx, t, "the outbox to empty", func() (bool, error) {
		n, err := relay.Backlog(ctx)
		return n == 0, err
	})

	// On the broker: every event, valid, with its headers, in key order.
	assertEveryEventInKeyOrder(t, reg, readAll(ctx, t, brokers, changedTopic, changes), changes, keys)
	if got := metricValue(t, metrics, "packytrace_outbox_published_total"); got < changes {
		t.Fatalf("published_total = %v, want >= %d", got, changes)
	}

	// A consumer applies each event once, even if some were retransmitted.
	consumer, err := kafka.NewConsumer(kafka.ConsumerConfig{
		Brokers: brokers, Group: "outage-test", Topics: []string{changedTopic}, Schema: schema,
		Registry: reg, Pool: pool, Handler: recordEffect, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	startConsumer(t, ctx, consumer)
	waitFor(ctx, t, "every effect applied", func() (bool, error) {
		n, err := countRows(ctx, pool, "SELECT count(*) FROM effects")
		return n >= changes, err
	})
	waitForCommitted(ctx, t, brokers, "outage-test", changedTopic)
	n, err := countRows(ctx, pool, "SELECT count(DISTINCT event_id) FROM effects WHERE (SELECT count(*) FROM effects) = $1", changes)
	if err != nil || n != changes {
		t.Fatalf("effects: %d distinct (with exactly %d rows), %v", n, changes, err)
	}
}

func TestRelay_OnlyOneActivePerSchema(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "single")
	cluster := newCluster(t, kfake.SeedTopics(2, changedTopic))
	brokers := cluster.ListenAddrs()
	cl := newClient(t, brokers)
	newRelay := func() *kafka.Relay {
		r, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{Schema: schema, PollInterval: 20 * time.Millisecond, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := newRelay(), newRelay()
	stopA := startRelay(t, ctx, a)
	stopB := startRelay(t, ctx, b)

	waitFor(ctx, t, "a relay to become active", func() (bool, error) { return a.Active() || b.Active(), nil })
	for range 20 {
		if a.Active() && b.Active() {
			t.Fatal("two relays active for one schema")
		}
		time.Sleep(10 * time.Millisecond)
	}
	active, standby, stopActive := a, b, stopA
	if b.Active() {
		active, standby, stopActive = b, a, stopB
	}
	outbox := kafka.NewOutbox(schema, reg)
	for i := range 10 {
		if err := commitChange(ctx, t, pool, outbox, itemName(i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(ctx, t, "the active relay to publish", func() (bool, error) {
		n, err := active.Backlog(ctx)
		return n == 0, err
	})
	if standby.Active() {
		t.Fatal("standby relay active while the other holds the lock")
	}

	// A relay waiting for the lock stops promptly when asked.
	waiting := newRelay()
	stopWaiting := startRelay(t, ctx, waiting)
	time.Sleep(50 * time.Millisecond)
	if waiting.Active() {
		t.Fatal("a third relay became active")
	}
	stopWaiting()

	stopActive() // the holder goes away; the standby takes over
	waitFor(ctx, t, "the standby to take over", func() (bool, error) { return standby.Active(), nil })
	for i := range 10 {
		if err := commitChange(ctx, t, pool, outbox, itemName(i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(ctx, t, "the new active relay to publish", func() (bool, error) {
		n, err := standby.Backlog(ctx)
		return n == 0, err
	})
	recs := readAll(ctx, t, brokers, changedTopic, 20)
	ids := make(map[string]bool)
	for _, r := range recs {
		e, err := reg.Validate(r.Value)
		if err != nil {
			t.Fatalf("published payload fails its schema: %v", err)
		}
		ids[e.ID.String()] = true
	}
	if len(ids) != 20 {
		t.Fatalf("distinct events published = %d, want 20", len(ids))
	}
}

// TestRelay_WakesOnCommit sets a poll interval of an hour: only the
// notification sent at commit can make the relay publish in time.
func TestRelay_WakesOnCommit(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "wake")
	cluster := newCluster(t, kfake.SeedTopics(1, changedTopic))
	cl := newClient(t, cluster.ListenAddrs())
	relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{Schema: schema, PollInterval: time.Hour, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	startRelay(t, ctx, relay)
	waitFor(ctx, t, "the relay to start", func() (bool, error) { return relay.Active(), nil })
	outbox := kafka.NewOutbox(schema, reg)
	for round := range 3 {
		if err := commitChange(ctx, t, pool, outbox, "woken"); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		waitFor(wctx, t, "round "+strconv.Itoa(round)+" published", func() (bool, error) {
			n, err := relay.Backlog(ctx)
			return n == 0, err
		})
		cancel()
	}
}

// TestRelay_ReadsBatchesByEvents fills the outbox before the relay starts
// (so no notification will come, and the poll interval is an hour) with
// rows of several events, one of them larger than the relay's batch size.
// The relay reads rows until its batch size in events, publishes the large
// row alone, and drains everything without waiting for a wake-up: it may
// only stop when it knows no row is left behind.
func TestRelay_ReadsBatchesByEvents(t *testing.T) {
	t.Parallel()
	const keys = 10
	ctx := testContext(t, time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "byevents")
	outbox := kafka.NewOutbox(schema, reg)
	changes := 0
	for _, size := range []int{7, 7, 25, 3, 7, 1, 10} {
		items := make([]string, size)
		for i := range items {
			items[i] = itemName((changes + i) % keys)
		}
		if err := commitChanges(ctx, t, pool, outbox, items); err != nil {
			t.Fatal(err)
		}
		changes += size
	}
	cluster := newCluster(t, kfake.SeedTopics(3, changedTopic))
	brokers := cluster.ListenAddrs()
	metrics := prometheus.NewRegistry()
	relay, err := kafka.NewRelay(pool, newClient(t, brokers), kafka.RelayConfig{
		Schema: schema, BatchSize: 10, PollInterval: time.Hour, Logger: testLogger(t), Registerer: metrics,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := relay.Backlog(ctx); err != nil || n != int64(changes) {
		t.Fatalf("Backlog = %d, %v; want %d events", n, err, changes)
	}
	startRelay(t, ctx, relay)
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	waitFor(wctx, t, "the outbox to drain without a wake-up", func() (bool, error) {
		n, err := countRows(ctx, pool, "SELECT count(*) FROM outbox")
		return n == 0, err
	})
	if got := metricValue(t, metrics, "packytrace_outbox_published_total"); got != float64(changes) {
		t.Fatalf("published_total = %v, want %d events", got, changes)
	}
	// Batches of at most 10 events: 7 | 7 | 25 alone | 3+7 | 1 | 10.
	if got := metricValue(t, metrics, "packytrace_outbox_batch_seconds"); got != 6 {
		t.Fatalf("batches = %v, want 6", got)
	}
	records := readAll(ctx, t, brokers, changedTopic, changes)
	seqs := make(map[string]int)
	for _, rec := range records {
		e, err := reg.Validate(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		var d itemData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatal(err)
		}
		if d.Seq != seqs[d.Item]+1 {
			t.Fatalf("key %s: seq %d after %d", d.Item, d.Seq, seqs[d.Item])
		}
		seqs[d.Item] = d.Seq
	}
	if len(records) != changes {
		t.Fatalf("records = %d, want %d", len(records), changes)
	}
}

func TestRelay_VacuumsTheOutboxAfterItsDeletes(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "vacuum")
	cluster := newCluster(t, kfake.SeedTopics(1, changedTopic))
	cl := newClient(t, cluster.ListenAddrs())
	relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{Schema: schema, VacuumEvery: 5, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	startRelay(t, ctx, relay)
	outbox := kafka.NewOutbox(schema, reg)
	for range 6 {
		if err := commitChange(ctx, t, pool, outbox, "vacuumed"); err != nil {
			t.Fatal(err)
		}
	}
	// The relay's VACUUM is counted in the table's statistics once it ends.
	waitFor(ctx, t, "the relay to vacuum the outbox", func() (bool, error) {
		var n int64
		err := pool.QueryRow(ctx, "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'outbox'", schema).Scan(&n)
		return n > 0, err
	})
}

func TestOutbox_Add_RejectsInvalidEnvelopeAndWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 30*time.Second)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "addbad")
	outbox := kafka.NewOutbox(schema, reg)

	bad := changedEvent(t, "a", 1)
	bad.Data = json.RawMessage(`{"item":"a","seq":0}`)
	unknown, err := events.New("test.item.vanished", 1, testProducer, "a", map[string]string{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A batch large enough to be validated in parallel, with two bad events:
	// the first in order is named.
	large := make([]events.Envelope, 200)
	for i := range large {
		large[i] = changedEvent(t, "a", i+1)
	}
	large[69], large[150] = bad, bad
	tests := []struct {
		name string
		envs []events.Envelope
		want string
	}{
		{"schema violation after a valid event", []events.Envelope{changedEvent(t, "a", 1), bad}, "event 2 of 2"},
		{"schema violations in a large batch", large, "event 70 of 200"},
		{"schema violation alone", []events.Envelope{bad}, "/data/seq"},
		{"unknown type", []events.Envelope{unknown}, "unknown event type"},
	}
	for _, tt := range tests {
		err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
			err := outbox.Add(ctx, tx, tt.envs...)
			if !fault.Is(err, fault.Invalid) || !strings.Contains(fault.MessageOf(err), tt.want) {
				t.Errorf("%s: Add = %v, want Invalid mentioning %q", tt.name, err, tt.want)
			}
			return nil // commit: a rejected Add must have written nothing
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := countRows(ctx, pool, "SELECT count(*) FROM outbox"); err != nil || n != 0 {
		t.Fatalf("outbox rows = %d, %v; want 0", n, err)
	}
	if err := kafka.NewOutbox("Bad Schema", reg).Add(ctx, nil, changedEvent(t, "a", 1)); !fault.Is(err, fault.Invalid) {
		t.Fatalf("outbox with an invalid schema name: Add = %v, want Invalid", err)
	}
}

// TestOutbox_ValidateEvery_ValidatesTheFirstAndEveryNth checks which events
// a sampled outbox validates: of the sampled type the first of each Add and
// every nth overall, of other types every one. An invalid event elsewhere
// is written unchecked, which is what sampling trades (consumers still
// validate it).
func TestOutbox_ValidateEvery_ValidatesTheFirstAndEveryNth(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 30*time.Second)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "sampled")
	changed := events.TypeVersion{Type: changedType, Version: 1}
	batch := func(bad ...int) []events.Envelope {
		envs := make([]events.Envelope, 10)
		for i := range envs {
			envs[i] = changedEvent(t, "a", i+1)
		}
		for _, i := range bad {
			envs[i].Data = json.RawMessage(`{"item":"a","seq":0}`)
		}
		return envs
	}
	removed, err := events.New(removedType, 1, testProducer, "a", map[string]string{"item": ""}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		every   int
		envs    []events.Envelope
		invalid bool
	}{
		{"first event of the call", 4, batch(0), true},
		{"fourth event overall", 4, batch(3), true},
		{"eighth event overall", 4, batch(7), true},
		{"an event the sample skips", 4, batch(1, 2, 4, 5, 6, 8, 9), false},
		{"every event when n is 1", 1, batch(5), true},
		{"another type is always validated", 4, append(batch(), removed), true},
	}
	for _, tt := range tests {
		outbox := kafka.NewOutbox(schema, reg, kafka.ValidateEvery(changed, tt.every))
		err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error { return outbox.Add(ctx, tx, tt.envs...) })
		if got := fault.Is(err, fault.Invalid); got != tt.invalid || (err != nil && !got) {
			t.Errorf("%s: Add = %v, want Invalid %v", tt.name, err, tt.invalid)
		}
	}
}

func TestOutbox_Add_KeepsOrderAndGroupsEventsIntoRows(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 30*time.Second)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "addorder")
	outbox := kafka.NewOutbox(schema, reg)
	removed := func(item string) events.Envelope {
		e, err := events.New(removedType, 1, testProducer, item, map[string]string{"item": item}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	// Each case is one Add; wantRows is how its events split into rows:
	// one row per run of one type, at most 1000 events a row.
	mixed := []events.Envelope{changedEvent(t, "k", 1), changedEvent(t, "j", 2), removed("k"), changedEvent(t, "k", 3)}
	large := make([]events.Envelope, 2500)
	for i := range large {
		large[i] = changedEvent(t, "k"+strconv.Itoa(i%7), i+1)
	}
	tests := []struct {
		name     string
		envs     []events.Envelope
		wantRows []int
	}{
		{"one event", []events.Envelope{changedEvent(t, "k", 1)}, []int{1}},
		{"types alternate", mixed, []int{2, 1, 1}},
		{"more than a row holds", large, []int{1000, 1000, 500}},
	}
	for _, tt := range tests {
		if err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error { return outbox.Add(ctx, tx, tt.envs...) }); err != nil {
			t.Fatalf("%s: Add: %v", tt.name, err)
		}
		rows, err := pool.Query(ctx, `DELETE FROM outbox
			RETURNING id, topic, event_type, event_version, event_ids::text[], event_keys, payload_ends, payload, event_count`)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			id             int64
			topic, typ     string
			version, count int
			ids, keys      []string
			ends           []int32
			payload        []byte
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.id, &x.topic, &x.typ, &x.version, &x.ids, &x.keys, &x.ends, &x.payload, &x.count)
			return x, err
		})
		if err != nil {
			t.Fatal(err)
		}
		// DELETE ... RETURNING does not promise an order.
		slices.SortFunc(got, func(a, b row) int { return cmp.Compare(a.id, b.id) })
		var sizes []int
		next := 0
		for _, r := range got {
			sizes = append(sizes, len(r.ids))
			if r.count != len(r.ids) || len(r.keys) != len(r.ids) || len(r.ends) != len(r.ids) || int(r.ends[len(r.ends)-1]) != len(r.payload) {
				t.Fatalf("%s: row %d has %d ids, %d keys, %d payload ends over %d bytes, event_count %d",
					tt.name, r.id, len(r.ids), len(r.keys), len(r.ends), len(r.payload), r.count)
			}
			from := int32(0)
			for j := range r.ids {
				e := tt.envs[next]
				next++
				if r.ids[j] != e.ID.String() || r.keys[j] != e.Key || r.typ != e.Type || r.topic != events.Topic(e.Type, 1) || r.version != 1 {
					t.Fatalf("%s: event %d is %s key %s in a %s row, want %s key %s of %s", tt.name, next, r.ids[j], r.keys[j], r.typ, e.ID, e.Key, e.Type)
				}
				stored, err := reg.Validate(r.payload[from:r.ends[j]])
				from = r.ends[j]
				if err != nil {
					t.Fatalf("%s: stored payload does not validate: %v", tt.name, err)
				}
				if stored.ID != e.ID {
					t.Fatalf("%s: payload of event %d is event %s", tt.name, next, stored.ID)
				}
			}
		}
		if !slices.Equal(sizes, tt.wantRows) {
			t.Fatalf("%s: rows of %v events, want %v", tt.name, sizes, tt.wantRows)
		}
	}
}

func TestMigrate_CreatesKafkaTablesIdempotently(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 30*time.Second)
	schema, pool := migratedSchema(t, "kmig")
	if err := kafka.Migrate(ctx, pool, schema); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if v, err := postgres.MigrationVersion(ctx, pool, schema, postgres.WithVersionTable(kafka.VersionTable)); err != nil || v != 4 {
		t.Fatalf("kafka migration version = %d, %v; want 4", v, err)
	}
	if v, err := postgres.MigrationVersion(ctx, pool, schema); err != nil || v != 0 {
		t.Fatalf("service migration version = %d, %v; want 0 (separate table)", v, err)
	}
	for _, table := range []string{"outbox", "processed_events"} {
		n, err := countRows(ctx, pool, "SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = $2", schema, table)
		if err != nil || n != 1 {
			t.Fatalf("table %s.%s: %d, %v", schema, table, n, err)
		}
	}
	if _, err := pool.Exec(ctx, "INSERT INTO processed_events (consumer_group, event_id, processed_at) VALUES ('g', gen_random_uuid(), now() - interval '2 days')"); err != nil {
		t.Fatal(err)
	}
	if n, err := kafka.PruneProcessed(ctx, pool, schema, time.Now().Add(-24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("PruneProcessed = %d, %v; want 1", n, err)
	}
}

// TestMigrate_OutboxRowsBecomeBatches migrates an outbox holding rows of
// the one-event layout (migrations 1 to 3): each becomes a row of one
// event, in order, and the relay publishes them.
func TestMigrate_OutboxRowsBecomeBatches(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, time.Minute)
	reg := testRegistry(t)
	schema, pool := pgtest.NewSchema(t, "kmig3")
	before := fstest.MapFS{}
	for _, name := range []string{"00001_outbox.sql", "00002_processed_events.sql", "00003_outbox_vacuum.sql"} {
		data, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: data}
	}
	if err := postgres.Migrate(ctx, pool, schema, before, postgres.WithVersionTable(kafka.VersionTable)); err != nil {
		t.Fatal(err)
	}
	envs := []events.Envelope{changedEvent(t, "a", 1), changedEvent(t, "b", 1), changedEvent(t, "a", 2)}
	for _, e := range envs {
		payload, err := reg.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO outbox (event_id, topic, event_key, event_type, event_version, payload)
			VALUES ($1, $2, $3, $4, 1, $5)`, e.ID, changedTopic, e.Key, e.Type, payload); err != nil {
			t.Fatal(err)
		}
	}
	if err := kafka.Migrate(ctx, pool, schema); err != nil {
		t.Fatalf("Migrate from version 3: %v", err)
	}
	var ids []string
	if err := pool.QueryRow(ctx, `SELECT array_agg(event_ids[1]::text ORDER BY id) FROM outbox WHERE event_count = 1`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(envs) {
		t.Fatalf("rows of one event after the migration: %v, want %d", ids, len(envs))
	}
	for i, e := range envs {
		if ids[i] != e.ID.String() {
			t.Fatalf("row %d holds %s, want %s", i, ids[i], e.ID)
		}
	}
	cluster := newCluster(t, kfake.SeedTopics(1, changedTopic))
	relay, err := kafka.NewRelay(pool, newClient(t, cluster.ListenAddrs()), kafka.RelayConfig{Schema: schema, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	startRelay(t, ctx, relay)
	records := readAll(ctx, t, cluster.ListenAddrs(), changedTopic, len(envs))
	for i, rec := range records {
		if header(rec, kafka.HeaderEventID) != envs[i].ID.String() {
			t.Fatalf("record %d is event %s, want %s", i, header(rec, kafka.HeaderEventID), envs[i].ID)
		}
	}
}

func TestEnsureTopics_CreatesMissingTopicsAndDeadLetterTopics(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 30*time.Second)
	cluster := newCluster(t)
	cl := newClient(t, cluster.ListenAddrs())
	retention := "604800000"
	specs := kafka.WithDLQ(
		kafka.TopicSpec{Name: "a.b.v1", Partitions: 3, Configs: map[string]*string{"retention.ms": &retention}},
		kafka.TopicSpec{Name: "c.d.v2"},
	)
	for range 2 { // the second run finds them all
		if err := kafka.EnsureTopics(ctx, cl, specs...); err != nil {
			t.Fatalf("EnsureTopics: %v", err)
		}
	}
	details, err := kadm.NewClient(cl).ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"a.b.v1": 3, "a.b.v1.dlq": 3, "c.d.v2": -1, "c.d.v2.dlq": -1}
	for name, parts := range want {
		d, ok := details[name]
		if !ok {
			t.Fatalf("topic %s missing; have %v", name, details.Names())
		}
		if parts > 0 && len(d.Partitions) != parts {
			t.Fatalf("topic %s has %d partitions, want %d", name, len(d.Partitions), parts)
		}
	}
	if err := kafka.EnsureTopics(ctx, cl, kafka.TopicSpec{}); !fault.Is(err, fault.Invalid) {
		t.Fatalf("EnsureTopics without a name = %v, want Invalid", err)
	}
}

func TestWithDLQ(t *testing.T) {
	t.Parallel()
	v := "1"
	in := kafka.TopicSpec{Name: "x.y.v1", Partitions: 2, ReplicationFactor: 3, Configs: map[string]*string{"k": &v}}
	got := kafka.WithDLQ(in, kafka.TopicSpec{Name: "x.y.v1.dlq"})
	if len(got) != 3 || got[0].Name != "x.y.v1" || got[1].Name != "x.y.v1.dlq" || got[2].Name != "x.y.v1.dlq" {
		t.Fatalf("WithDLQ names = %+v", got)
	}
	if got[2].Partitions != 2 || got[2].ReplicationFactor != 3 || *got[2].Configs["k"] != "1" {
		t.Fatalf("dead-letter spec = %+v", got[2])
	}
	got[2].Configs["k"] = nil
	if in.Configs["k"] == nil {
		t.Fatal("WithDLQ shares the configs map with its input")
	}
	if kafka.DLQTopic("a.b.v1") != "a.b.v1.dlq" {
		t.Fatal("DLQTopic")
	}
}

func TestNewClientAndCheck(t *testing.T) {
	t.Parallel()
	if _, err := kafka.NewClient(kafka.Config{}); !fault.Is(err, fault.Invalid) {
		t.Fatalf("NewClient without brokers = %v, want Invalid", err)
	}
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, cluster.ListenAddrs())
	check := kafka.Check(cl)
	ctx := testContext(t, 30*time.Second)
	if err := check(ctx); err != nil {
		t.Fatalf("Check with a live broker: %v", err)
	}
	cluster.Close()
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := check(cctx); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("Check with the broker gone = %v, want Unavailable", err)
	}
}

func TestNewRelay_ValidatesConfig(t *testing.T) {
	t.Parallel()
	// Neither the pool nor the client connects before it is used.
	pool, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	cl := newClient(t, []string{"127.0.0.1:1"})
	tests := []struct {
		name string
		pool *pgxpool.Pool
		cl   *kgo.Client
		cfg  kafka.RelayConfig
	}{
		{"no pool", nil, cl, kafka.RelayConfig{Schema: "s"}},
		{"no client", pool, nil, kafka.RelayConfig{Schema: "s"}},
		{"bad schema", pool, cl, kafka.RelayConfig{Schema: "S-1"}},
		{"negative batch", pool, cl, kafka.RelayConfig{Schema: "s", BatchSize: -1}},
	}
	for _, tt := range tests {
		if _, err := kafka.NewRelay(tt.pool, tt.cl, tt.cfg); !fault.Is(err, fault.Invalid) {
			t.Errorf("%s: NewRelay = %v, want Invalid", tt.name, err)
		}
	}
	if _, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{Schema: "s"}); err != nil {
		t.Fatalf("NewRelay with defaults: %v", err)
	}
}

// TestRelay_PartialBrokerFailure_KeepsKeyOrder fails every produce request
// that reaches one of two brokers for a while: the batches are then partly
// acknowledged. Acknowledged rows go, the rest are retried, and each key's
// events still reach the topic in order, whether a row holds one event or
// several events of different keys (committed together).
func TestRelay_PartialBrokerFailure_KeepsKeyOrder(t *testing.T) {
	t.Parallel()
	for _, perCommit := range []int{1, 7} {
		t.Run("events per row "+strconv.Itoa(perCommit), func(t *testing.T) {
			t.Parallel()
			testPartialBrokerFailure(t, perCommit)
		})
	}
}

func testPartialBrokerFailure(t *testing.T, perCommit int) {
	const changes, keys = 300, 10
	ctx := testContext(t, 2*time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "partial"+strconv.Itoa(perCommit))
	cluster := newCluster(t, kfake.NumBrokers(2), kfake.SeedTopics(4, changedTopic))
	brokers := cluster.ListenAddrs()
	// Two partitions led by each broker, so that failing one broker fails
	// part of every batch.
	for p := range int32(4) {
		if err := cluster.MoveTopicPartition(changedTopic, p, p%2); err != nil {
			t.Fatal(err)
		}
	}

	var failing atomic.Bool
	failing.Store(true)
	cluster.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		if !failing.Load() || cluster.CurrentNode() != 0 {
			return nil, nil, false
		}
		preq := req.(*kmsg.ProduceRequest)
		resp := preq.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range preq.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic, st.TopicID = rt.Topic, rt.TopicID
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = kerr.NotEnoughReplicas.Code
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})

	cl := newClient(t, brokers)
	metrics := prometheus.NewRegistry()
	relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{
		Schema: schema, BatchSize: 50, PublishTimeout: 300 * time.Millisecond,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		Logger: testLogger(t), Registerer: metrics,
	})
	if err != nil {
		t.Fatal(err)
	}
	startRelay(t, ctx, relay)
	outbox := kafka.NewOutbox(schema, reg)
	for i := 0; i < changes; i += perCommit {
		var items []string
		for j := i; j < min(i+perCommit, changes); j++ {
			items = append(items, itemName(j%keys))
		}
		if err := commitChanges(ctx, t, pool, outbox, items); err != nil {
			t.Fatal(err)
		}
	}
	// Rows of one event are acknowledged in part (some go, some stay); a
	// row of several keys nearly always has one on the failing broker, so
	// it stays whole although most of its events were acknowledged.
	waitFor(ctx, t, "batches acknowledged in part", func() (bool, error) {
		return metricValue(t, metrics, "packytrace_outbox_publish_errors_total") > 0 &&
			(perCommit > 1 || metricValue(t, metrics, "packytrace_outbox_published_total") > 0), nil
	})
	failing.Store(false)
	waitFor(ctx, t, "the outbox to empty", func() (bool, error) {
		n, err := relay.Backlog(ctx)
		return n == 0, err
	})

	assertEveryEventInKeyOrder(t, reg, readAll(ctx, t, brokers, changedTopic, changes), changes, keys)
}

// assertEveryEventInKeyOrder checks the records a relay published for
// changes events spread over keys keys: each payload passes its schema, its
// headers and key match the event, every event is there (a retransmission of
// one already seen is allowed), each key's sequence numbers come in order
// with no gap, and every key reaches its last change.
func assertEveryEventInKeyOrder(t *testing.T, reg *events.Registry, records []*kgo.Record, changes, keys int) {
	t.Helper()
	seen := make(map[string]bool)
	last := make(map[string]int)
	for _, rec := range records {
		e, err := reg.Validate(rec.Value)
		if err != nil {
			t.Fatalf("published payload fails its schema: %v", err)
		}
		if header(rec, kafka.HeaderEventID) != e.ID.String() || header(rec, kafka.HeaderEventType) != changedType ||
			header(rec, kafka.HeaderEventVersion) != "1" || string(rec.Key) != e.Key {
			t.Fatalf("record headers/key %v %q do not match event %+v", rec.Headers, rec.Key, e)
		}
		if seen[e.ID.String()] {
			continue // a retransmission of an event already seen
		}
		seen[e.ID.String()] = true
		var d itemData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatal(err)
		}
		if d.Seq != last[d.Item]+1 {
			t.Fatalf("key %s: seq %d after %d (partition %d offset %d)", d.Item, d.Seq, last[d.Item], rec.Partition, rec.Offset)
		}
		last[d.Item] = d.Seq
	}
	if len(seen) != changes {
		t.Fatalf("distinct events on the broker = %d, want %d", len(seen), changes)
	}
	for i := range keys {
		if last[itemName(i)] != changes/keys {
			t.Fatalf("key %s ends at seq %d, want %d", itemName(i), last[itemName(i)], changes/keys)
		}
	}
}
