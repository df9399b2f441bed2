package kafka_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka"
)

// startConsumer runs c until the test ends and returns a function that stops
// it and waits for Run to return.
func startConsumer(t *testing.T, ctx context.Context, c *kafka.Consumer) (stop func()) {
	t.Helper()
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(cctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Consumer.Run returned %v, want nil after cancel", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitForCommitted waits until group has committed the end offset of every
// partition of topic that has records.
func waitForCommitted(ctx context.Context, t *testing.T, brokers []string, group, topic string) {
	t.Helper()
	adm := kadm.NewClient(newClient(t, brokers))
	waitFor(ctx, t, "group "+group+" to commit everything", func() (bool, error) {
		ends, err := adm.ListEndOffsets(ctx, topic)
		if err != nil {
			return false, nil // the broker may be settling; try again
		}
		committed, err := adm.FetchOffsets(ctx, group)
		if err != nil {
			return false, nil
		}
		done := true
		ends.Each(func(o kadm.ListedOffset) {
			if o.Offset == 0 {
				return
			}
			c, ok := committed.Lookup(o.Topic, o.Partition)
			if !ok || c.At < o.Offset {
				done = false
			}
		})
		return done, nil
	})
}

func produce(ctx context.Context, t *testing.T, cl *kgo.Client, recs ...*kgo.Record) {
	t.Helper()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

func TestConsumer_DeadLettersInvalidMessagesAndAppliesEachEventOnce(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "consume")
	cluster := newCluster(t)
	brokers := cluster.ListenAddrs()
	cl := newClient(t, brokers)
	if err := kafka.EnsureTopics(ctx, cl, kafka.WithDLQ(kafka.TopicSpec{Name: changedTopic, Partitions: 2})...); err != nil {
		t.Fatal(err)
	}
	marshal := func(e events.Envelope) []byte {
		raw, err := reg.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	e1, e2 := changedEvent(t, "a", 1), changedEvent(t, "b", 1)
	rejected := changedEvent(t, "reject", 1)
	removed, err := events.New(removedType, 1, testProducer, "a", map[string]string{"item": "a"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	badSchema := bytes.Replace(marshal(changedEvent(t, "c", 1)), []byte(`"seq":1`), []byte(`"seq":"one"`), 1)

	// All on one key, hence one partition, in this order.
	const key = "same-key"
	inputs := []struct {
		value  []byte
		reason string // dead-letter reason fragment; empty for a valid event
	}{
		{marshal(e1), ""},
		{[]byte("not json at all"), "not valid JSON"},
		{badSchema, "/data/seq"},
		{marshal(removed), "does not belong on topic " + changedTopic},
		{marshal(rejected), "handler rejected the event: item reject is not allowed"},
		{marshal(e2), ""},
		{marshal(e1), ""}, // the same event produced twice
	}
	for _, in := range inputs {
		produce(ctx, t, cl, &kgo.Record{Topic: changedTopic, Key: []byte(key), Value: in.value,
			Headers: []kgo.RecordHeader{{Key: "trace", Value: []byte("t-1")}}})
	}

	handler := func(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
		if e.Key == "reject" {
			return fault.New(fault.Invalid, "item reject is not allowed")
		}
		return recordEffect(ctx, tx, e)
	}
	metrics := prometheus.NewRegistry()
	newConsumer := func() *kafka.Consumer {
		c, err := kafka.NewConsumer(kafka.ConsumerConfig{
			Brokers: brokers, Group: "consume-test", Topics: []string{changedTopic}, Schema: schema,
			Registry: reg, Pool: pool, Handler: handler, Logger: testLogger(t), Registerer: metrics,
			MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	stop := startConsumer(t, ctx, newConsumer())
	waitForCommitted(ctx, t, brokers, "consume-test", changedTopic)

	effects := func() map[string]int {
		rows, err := pool.Query(ctx, "SELECT item, count(*) FROM effects GROUP BY item")
		if err != nil {
			t.Fatal(err)
		}
		m := make(map[string]int)
		for rows.Next() {
			var item string
			var n int
			if err := rows.Scan(&item, &n); err != nil {
				t.Fatal(err)
			}
			m[item] = n
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
		return m
	}
	if got := effects(); len(got) != 2 || got["a"] != 1 || got["b"] != 1 {
		t.Fatalf("effects = %v, want a and b once each", got)
	}

	dead := readAll(ctx, t, brokers, kafka.DLQTopic(changedTopic), 4)
	if len(dead) != 4 {
		t.Fatalf("dead letters = %d, want 4", len(dead))
	}
	for _, d := range dead {
		offset, err := strconv.Atoi(header(d, kafka.HeaderDLQOffset))
		if err != nil || offset < 0 || offset >= len(inputs) {
			t.Fatalf("dead letter offset header %q", header(d, kafka.HeaderDLQOffset))
		}
		in := inputs[offset]
		if in.reason == "" {
			t.Fatalf("valid message at offset %d was dead-lettered: %s", offset, header(d, kafka.HeaderDLQReason))
		}
		if got := header(d, kafka.HeaderDLQReason); !strings.Contains(got, in.reason) {
			t.Errorf("offset %d: reason %q, want it to mention %q", offset, got, in.reason)
		}
		if header(d, kafka.HeaderDLQGroup) != "consume-test" || header(d, kafka.HeaderDLQTopic) != changedTopic ||
			header(d, kafka.HeaderDLQPartition) == "" || header(d, "trace") != "t-1" {
			t.Errorf("offset %d: headers %v", offset, d.Headers)
		}
		if !bytes.Equal(d.Value, in.value) || string(d.Key) != key {
			t.Errorf("offset %d: dead letter does not carry the original key and value", offset)
		}
	}
	if got := metricValue(t, metrics, "packytrace_consumer_dead_lettered_total"); got != 4 {
		t.Errorf("dead_lettered_total = %v, want 4", got)
	}
	if got := metricValue(t, metrics, "packytrace_consumer_processed_total", "result", "applied"); got != 2 {
		t.Errorf("applied = %v, want 2", got)
	}
	if got := metricValue(t, metrics, "packytrace_consumer_processed_total", "result", "duplicate"); got != 1 {
		t.Errorf("duplicate = %v, want 1", got)
	}

	// Restart from the beginning, as after a lost commit, with one more
	// redelivery of e2 on the way: still no second effect.
	stop()
	adm := kadm.NewClient(cl)
	var rewind kadm.Offsets
	for p := range int32(2) {
		rewind.Add(kadm.Offset{Topic: changedTopic, Partition: p, At: 0, LeaderEpoch: -1})
	}
	resp, err := adm.CommitOffsets(ctx, "consume-test", rewind)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		t.Fatalf("rewind group offsets: %v", err)
	}
	produce(ctx, t, cl, &kgo.Record{Topic: changedTopic, Key: []byte(key), Value: marshal(e2)})
	startConsumer(t, ctx, newConsumer())
	waitForCommitted(ctx, t, brokers, "consume-test", changedTopic)
	if got := effects(); len(got) != 2 || got["a"] != 1 || got["b"] != 1 {
		t.Fatalf("effects after redelivery = %v, want a and b once each", got)
	}
	if got := metricValue(t, metrics, "packytrace_consumer_processed_total", "result", "duplicate"); got != 1+4 {
		t.Errorf("duplicate after redelivery = %v, want 5", got)
	}
}

func TestConsumer_RetriesTransientHandlerErrorsWithoutDoubleEffects(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, time.Minute)
	reg := testRegistry(t)
	schema, pool := migratedSchema(t, "retry")
	cluster := newCluster(t)
	brokers := cluster.ListenAddrs()
	cl := newClient(t, brokers)
	if err := kafka.EnsureTopics(ctx, cl, kafka.WithDLQ(kafka.TopicSpec{Name: changedTopic, Partitions: 1})...); err != nil {
		t.Fatal(err)
	}
	const n = 5
	for i := range n {
		raw, err := reg.Marshal(changedEvent(t, itemName(i), 1))
		if err != nil {
			t.Fatal(err)
		}
		produce(ctx, t, cl, &kgo.Record{Topic: changedTopic, Key: []byte("k"), Value: raw})
	}
	var failures atomic.Int32
	errHiccup := errors.New("database hiccup")
	handler := func(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
		if err := recordEffect(ctx, tx, e); err != nil {
			return err
		}
		// The third event fails three times after its effect was written
		// in the transaction: those writes must roll back.
		if e.Key == itemName(2) && failures.Add(1) <= 3 {
			return errHiccup
		}
		return nil
	}
	metrics := prometheus.NewRegistry()
	c, err := kafka.NewConsumer(kafka.ConsumerConfig{
		Brokers: brokers, Group: "retry-test", Topics: []string{changedTopic}, Schema: schema,
		Registry: reg, Pool: pool, Handler: handler, Logger: testLogger(t), Registerer: metrics,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	startConsumer(t, ctx, c)
	waitForCommitted(ctx, t, brokers, "retry-test", changedTopic)
	rows, err := countRows(ctx, pool, "SELECT count(*) FROM effects")
	distinct, err2 := countRows(ctx, pool, "SELECT count(DISTINCT item) FROM effects")
	if err != nil || err2 != nil || rows != n || distinct != n {
		t.Fatalf("effects: %d rows, %d distinct (%v, %v); want %d once each", rows, distinct, err, err2, n)
	}
	if failures.Load() < 4 {
		t.Fatalf("handler failed %d times, want the retries to reach a success", failures.Load())
	}
	if got := metricValue(t, metrics, "packytrace_consumer_retries_total", "stage", "handler"); got < 2 {
		t.Fatalf("handler retries = %v, want >= 2", got)
	}
	if got := metricValue(t, metrics, "packytrace_consumer_dead_lettered_total"); got != 0 {
		t.Fatalf("a transient failure was dead-lettered (%v)", got)
	}
}

func TestNewConsumer_ValidatesConfig(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	handler := func(context.Context, pgx.Tx, events.Envelope) error { return nil }
	base := kafka.ConsumerConfig{Brokers: []string{"127.0.0.1:1"}, Group: "g", Topics: []string{"t.x.v1"}, Schema: "s", Registry: reg, Handler: handler}
	tests := []struct {
		name string
		edit func(*kafka.ConsumerConfig)
	}{
		{"no brokers", func(c *kafka.ConsumerConfig) { c.Brokers = nil }},
		{"no group", func(c *kafka.ConsumerConfig) { c.Group = "" }},
		{"no topics", func(c *kafka.ConsumerConfig) { c.Topics = nil }},
		{"no pool", func(c *kafka.ConsumerConfig) {}},
		{"no handler", func(c *kafka.ConsumerConfig) { c.Handler = nil }},
	}
	for _, tt := range tests {
		cfg := base
		tt.edit(&cfg)
		if _, err := kafka.NewConsumer(cfg); !fault.Is(err, fault.Invalid) {
			t.Errorf("%s: NewConsumer = %v, want Invalid", tt.name, err)
		}
	}
}
