package kafka

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/retry"
)

// Header names on dead-lettered records: why and where the original was.
const (
	HeaderDLQReason    = "dlq-reason"
	HeaderDLQGroup     = "dlq-group"
	HeaderDLQTopic     = "dlq-topic"
	HeaderDLQPartition = "dlq-partition"
	HeaderDLQOffset    = "dlq-offset"
)

// DefaultMaxPollRecords bounds the records processed in one transaction.
const DefaultMaxPollRecords = 1000

// maxReasonBytes keeps dead-letter reasons to a readable size.
const maxReasonBytes = 1024

// Handler applies one event inside tx, the transaction that also records the
// event as processed. An error of kind fault.Invalid is permanent: the event
// goes to the dead-letter topic with the error's message. Any other error is
// transient: the event is retried, with backoff, until it succeeds. The
// search_path of tx is the consumer's Schema.
type Handler func(ctx context.Context, tx pgx.Tx, e events.Envelope) error

// ConsumerConfig configures a Consumer.
type ConsumerConfig struct {
	// Brokers are the seed brokers, host:port.
	Brokers []string
	// Group is the consumer group; it also scopes the processed-event ids.
	Group string
	// Topics are the topics to consume, usually events.Topic(type, version).
	Topics []string
	// Schema is the service schema holding processed_events (see Migrate).
	Schema string
	// Registry validates every message.
	Registry *events.Registry
	// Pool runs the transactions.
	Pool *pgxpool.Pool
	// Handler applies each new event.
	Handler Handler
	// Logger receives retries and dead letters; nil discards them.
	Logger *slog.Logger
	// Registerer receives the consumer's metrics; nil registers none.
	Registerer prometheus.Registerer
	// ClientOpts are applied after the consumer's own franz-go options.
	ClientOpts []kgo.Opt
	// MaxPollRecords bounds the records processed per transaction
	// (default 1000).
	MaxPollRecords int
	// MinBackoff and MaxBackoff bound the delay between retries (defaults
	// 100 ms and 5 s).
	MinBackoff, MaxBackoff time.Duration
}

// Consumer runs a consumer group whose effects are applied exactly once.
//
// Delivery is at least once; the effect is exactly once because each event's
// id is inserted into <schema>.processed_events (group, event id) in the same
// transaction as the handler's effect, and an id already there skips the
// handler.
//
// Offsets: the client blocks rebalances from the moment a poll returns
// (BlockRebalanceOnPoll) and never autocommits. After every record of a poll
// has been applied (or dead-lettered) the consumer commits the polled offsets
// and only then allows a rebalance, so it never commits a partition it no
// longer owns and never commits a record it has not finished. If the process
// dies in between, the records are delivered again and skipped by id.
//
// A poll is applied in one transaction: the ids are inserted with one
// statement, and the handler runs, in order, for the ids that were new. If a
// handler fails, that transaction is rolled back and the poll is applied one
// record per transaction, which isolates the failing record: a fault.Invalid
// error sends it to "<topic>.dlq", anything else is retried with backoff and
// holds back the records behind it (nothing is skipped or committed past it).
//
// A message that is not valid JSON, fails its schema, has an unknown type or
// version, or sits on a topic other than events.Topic(type, version) is
// produced to "<topic>.dlq" with its key, value and headers and the headers
// dlq-reason, dlq-group, dlq-topic, dlq-partition and dlq-offset; then
// consumption goes on. The dead-letter topics must exist (EnsureTopics with
// WithDLQ); until they do, the consumer retries and does not move on.
type Consumer struct {
	cfg    ConsumerConfig
	log    *slog.Logger
	txOpts pgx.TxOptions // pin search_path to cfg.Schema

	processed    *prometheus.CounterVec
	deadLettered *prometheus.CounterVec
	retries      *prometheus.CounterVec
	lag          *prometheus.GaugeVec
	batchSeconds prometheus.Histogram
}

// NewConsumer checks cfg and registers the metrics
// packytrace_consumer_processed_total{topic,result} (result "applied" or
// "duplicate"), packytrace_consumer_dead_lettered_total{topic},
// packytrace_consumer_retries_total{stage}, packytrace_consumer_lag{topic,
// partition} and packytrace_consumer_batch_seconds, with the constant labels
// schema and group. It does not connect; Run does.
func NewConsumer(cfg ConsumerConfig) (*Consumer, error) {
	switch {
	case len(cfg.Brokers) == 0:
		return nil, fault.New(fault.Invalid, "kafka: consumer needs brokers")
	case cfg.Group == "":
		return nil, fault.New(fault.Invalid, "kafka: consumer needs a group")
	case len(cfg.Topics) == 0:
		return nil, fault.New(fault.Invalid, "kafka: consumer needs topics")
	case cfg.Registry == nil || cfg.Pool == nil || cfg.Handler == nil:
		return nil, fault.New(fault.Invalid, "kafka: consumer needs a registry, a pool and a handler")
	case cfg.MaxPollRecords < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0:
		return nil, fault.New(fault.Invalid, "kafka: consumer settings must not be negative")
	}
	if err := postgres.ValidateName(cfg.Schema); err != nil {
		return nil, err
	}
	cfg.MaxPollRecords = cmp.Or(cfg.MaxPollRecords, DefaultMaxPollRecords)
	cfg.MinBackoff = cmp.Or(cfg.MinBackoff, DefaultMinBackoff)
	cfg.MaxBackoff = max(cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff), cfg.MinBackoff)
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	labels := prometheus.Labels{"schema": cfg.Schema, "group": cfg.Group}
	return &Consumer{
		cfg:    cfg,
		log:    log.With("component", "consumer", "group", cfg.Group),
		txOpts: txInSchema(searchPath(cfg.Schema), ""),

		processed: register(cfg.Registerer, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "packytrace_consumer_processed_total", Help: "Events handled: applied, or skipped as already applied.", ConstLabels: labels,
		}, []string{"topic", "result"})),
		deadLettered: register(cfg.Registerer, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "packytrace_consumer_dead_lettered_total", Help: "Messages sent to the dead-letter topic.", ConstLabels: labels,
		}, []string{"topic"})),
		retries: register(cfg.Registerer, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "packytrace_consumer_retries_total", Help: "Transient failures retried, by stage.", ConstLabels: labels,
		}, []string{"stage"})),
		lag: register(cfg.Registerer, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "packytrace_consumer_lag", Help: "Records behind the high watermark after the last poll.", ConstLabels: labels,
		}, []string{"topic", "partition"})),
		batchSeconds: register(cfg.Registerer, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "packytrace_consumer_batch_seconds", Help: "Time to apply one polled batch.", ConstLabels: labels, Buckets: batchBuckets,
		})),
	}, nil
}

func (c *Consumer) clientOpts() []kgo.Opt {
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.cfg.Brokers...),
		kgo.ClientID(c.cfg.Group),
		kgo.ConsumerGroup(c.cfg.Group),
		kgo.ConsumeTopics(c.cfg.Topics...),
		kgo.BlockRebalanceOnPoll(),
		kgo.DisableAutoCommit(),
		kgo.ConsumeStartOffset(kgo.NewOffset().AtStart()), // a new group sees every retained event
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	}
	opts = append(opts, producerOpts()...) // for dead letters
	return append(opts, c.cfg.ClientOpts...)
}

// Run consumes until ctx is done, then leaves the group and returns nil.
// Failures are retried (see Consumer); only a client that cannot be created
// ends Run with an error.
func (c *Consumer) Run(ctx context.Context) error {
	cl, err := kgo.NewClient(c.clientOpts()...)
	if err != nil {
		return fault.Wrap(fault.Invalid, err, "kafka: invalid consumer configuration")
	}
	defer cl.Close()
	idle := retry.Backoff{Min: c.cfg.MinBackoff, Max: c.cfg.MaxBackoff}
	for {
		fetches := cl.PollRecords(ctx, c.cfg.MaxPollRecords)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			cl.AllowRebalance()
			return nil
		}
		fetchFailed := false
		fetches.EachError(func(topic string, partition int32, err error) {
			fetchFailed = true
			c.log.Warn("fetch failed", "topic", topic, "partition", partition, "error", err)
		})
		c.observeLag(fetches)
		records := fetches.Records()
		if len(records) == 0 {
			cl.AllowRebalance()
			if fetchFailed && !retry.Sleep(ctx, idle.Next()) {
				return nil
			}
			continue
		}
		idle.Reset()
		if err := c.process(ctx, cl, records); err != nil {
			cl.AllowRebalance() // ctx is done; nothing of this poll is committed
			return nil
		}
		// The effects are committed; the offsets are committed even if ctx
		// has just been canceled, which saves a redelivery.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := cl.CommitUncommittedOffsets(cctx); err != nil {
			c.retries.WithLabelValues("commit").Inc()
			c.log.Warn("offset commit failed; the records will be delivered again and skipped", "error", err)
		}
		cancel()
		cl.AllowRebalance()
	}
}

func (c *Consumer) observeLag(fetches kgo.Fetches) {
	fetches.EachPartition(func(p kgo.FetchTopicPartition) {
		if len(p.Records) == 0 {
			return
		}
		lag := p.HighWatermark - p.Records[len(p.Records)-1].Offset - 1
		c.lag.WithLabelValues(p.Topic, strconv.Itoa(int(p.Partition))).Set(float64(max(lag, 0)))
	})
}

type delivery struct {
	rec *kgo.Record
	env events.Envelope
}

// process applies or dead-letters every record of one poll. It returns an
// error only when ctx is done.
func (c *Consumer) process(ctx context.Context, cl *kgo.Client, records []*kgo.Record) error {
	start := time.Now()
	var dead []*kgo.Record
	valid := make([]delivery, 0, len(records))
	for _, rec := range records {
		env, err := c.cfg.Registry.Validate(rec.Value)
		if err == nil {
			if want := events.Topic(env.Type, env.Version); want != rec.Topic {
				err = fault.Newf(fault.Invalid, "event %s does not belong on topic %s", want, rec.Topic)
			}
		}
		if err != nil {
			dead = append(dead, c.deadLetter(rec, reasonOf(err)))
			continue
		}
		valid = append(valid, delivery{rec: rec, env: env})
	}
	if len(valid) > 0 {
		rejected, err := c.apply(ctx, valid)
		if err != nil {
			return err
		}
		dead = append(dead, rejected...)
	}
	if len(dead) > 0 {
		if err := c.produceDeadLetters(ctx, cl, dead); err != nil {
			return err
		}
	}
	c.batchSeconds.Observe(time.Since(start).Seconds())
	return nil
}

// handlerError marks an error that came from the Handler, as opposed to the
// database.
type handlerError struct{ err error }

func (e *handlerError) Error() string { return e.err.Error() }
func (e *handlerError) Unwrap() error { return e.err }

// apply runs the batch in one transaction, retrying database failures; if a
// handler fails it falls back to one transaction per record. It returns the
// dead letters for records a handler rejected.
func (c *Consumer) apply(ctx context.Context, batch []delivery) ([]*kgo.Record, error) {
	bo := retry.Backoff{Min: c.cfg.MinBackoff, Max: c.cfg.MaxBackoff}
	for {
		err := c.applyBatch(ctx, batch)
		if err == nil {
			return nil, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var he *handlerError
		if errors.As(err, &he) {
			return c.applyEach(ctx, batch)
		}
		c.retries.WithLabelValues("database").Inc()
		delay := bo.Next()
		c.log.Warn("applying a batch failed; retrying", "records", len(batch), "error", err, "retry_in", delay)
		if !retry.Sleep(ctx, delay) {
			return nil, ctx.Err()
		}
	}
}

func (c *Consumer) applyBatch(ctx context.Context, batch []delivery) error {
	ids := make([]pgtype.UUID, len(batch))
	for i, d := range batch {
		ids[i] = pgtype.UUID{Bytes: d.env.ID, Valid: true}
	}
	var applied, duplicate []string // topics, counted once the transaction commits
	err := postgres.InTxWith(ctx, c.cfg.Pool, c.txOpts, func(tx pgx.Tx) error {
		applied, duplicate = applied[:0], duplicate[:0]
		inserted, err := outboxdb.New(tx).InsertProcessedBatch(ctx, outboxdb.InsertProcessedBatchParams{ConsumerGroup: c.cfg.Group, EventIds: ids})
		if err != nil {
			return err
		}
		fresh := make(map[uuid.UUID]struct{}, len(inserted))
		for _, id := range inserted {
			fresh[id.Bytes] = struct{}{}
		}
		for _, d := range batch {
			if _, ok := fresh[d.env.ID]; !ok {
				duplicate = append(duplicate, d.rec.Topic)
				continue
			}
			delete(fresh, d.env.ID) // the same id twice in one poll runs once
			if err := c.cfg.Handler(ctx, tx, d.env); err != nil {
				return &handlerError{err: err}
			}
			applied = append(applied, d.rec.Topic)
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.count(applied, "applied")
	c.count(duplicate, "duplicate")
	return nil
}

func (c *Consumer) count(topics []string, result string) {
	for _, t := range topics {
		c.processed.WithLabelValues(t, result).Inc()
	}
}

// applyEach applies the records one per transaction, in order. A record
// whose handler returns fault.Invalid becomes a dead letter; any other
// failure is retried until it succeeds or ctx is done.
func (c *Consumer) applyEach(ctx context.Context, batch []delivery) ([]*kgo.Record, error) {
	var dead []*kgo.Record
	for _, d := range batch {
		bo := retry.Backoff{Min: c.cfg.MinBackoff, Max: c.cfg.MaxBackoff}
		for {
			var isNew bool
			err := postgres.InTxWith(ctx, c.cfg.Pool, c.txOpts, func(tx pgx.Tx) error {
				n, err := outboxdb.New(tx).InsertProcessed(ctx, outboxdb.InsertProcessedParams{ConsumerGroup: c.cfg.Group, EventID: pgtype.UUID{Bytes: d.env.ID, Valid: true}})
				if err != nil {
					return err
				}
				if isNew = n == 1; !isNew {
					return nil
				}
				if err := c.cfg.Handler(ctx, tx, d.env); err != nil {
					return &handlerError{err: err}
				}
				return nil
			})
			if err == nil {
				if isNew {
					c.processed.WithLabelValues(d.rec.Topic, "applied").Inc()
				} else {
					c.processed.WithLabelValues(d.rec.Topic, "duplicate").Inc()
				}
				break
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var he *handlerError
			if errors.As(err, &he) && fault.Is(he.err, fault.Invalid) {
				dead = append(dead, c.deadLetter(d.rec, "handler rejected the event: "+reasonOf(he.err)))
				break
			}
			stage := "database"
			if errors.As(err, &he) {
				stage = "handler"
			}
			c.retries.WithLabelValues(stage).Inc()
			delay := bo.Next()
			c.log.Warn("applying an event failed; retrying", "topic", d.rec.Topic, "partition", d.rec.Partition,
				"offset", d.rec.Offset, "event_id", d.env.ID, "error", err, "retry_in", delay)
			if !retry.Sleep(ctx, delay) {
				return nil, ctx.Err()
			}
		}
	}
	return dead, nil
}

// reasonOf gives the client-safe message of err, or its text when it has
// none, cut to maxReasonBytes.
func reasonOf(err error) string {
	reason := fault.MessageOf(err)
	if reason == "" {
		reason = err.Error()
	}
	if len(reason) > maxReasonBytes {
		reason = strings.ToValidUTF8(reason[:maxReasonBytes], "")
	}
	return reason
}

func (c *Consumer) deadLetter(rec *kgo.Record, reason string) *kgo.Record {
	headers := make([]kgo.RecordHeader, 0, len(rec.Headers)+5)
	headers = append(headers, rec.Headers...)
	headers = append(headers,
		kgo.RecordHeader{Key: HeaderDLQReason, Value: []byte(reason)},
		kgo.RecordHeader{Key: HeaderDLQGroup, Value: []byte(c.cfg.Group)},
		kgo.RecordHeader{Key: HeaderDLQTopic, Value: []byte(rec.Topic)},
		kgo.RecordHeader{Key: HeaderDLQPartition, Value: strconv.AppendInt(nil, int64(rec.Partition), 10)},
		kgo.RecordHeader{Key: HeaderDLQOffset, Value: strconv.AppendInt(nil, rec.Offset, 10)},
	)
	c.log.Warn("dead-lettering a message", "topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset, "reason", reason)
	return &kgo.Record{Topic: DLQTopic(rec.Topic), Key: rec.Key, Value: rec.Value, Headers: headers}
}

// produceDeadLetters produces recs and waits for every acknowledgement,
// retrying the failed ones; the poll's offsets are committed only after.
func (c *Consumer) produceDeadLetters(ctx context.Context, cl *kgo.Client, recs []*kgo.Record) error {
	bo := retry.Backoff{Min: c.cfg.MinBackoff, Max: c.cfg.MaxBackoff}
	for {
		results := cl.ProduceSync(ctx, recs...)
		var failed []*kgo.Record
		var firstErr error
		for _, res := range results {
			if res.Err != nil {
				failed = append(failed, res.Record)
				if firstErr == nil {
					firstErr = res.Err
				}
				continue
			}
			c.deadLettered.WithLabelValues(res.Record.Topic[:len(res.Record.Topic)-len(DLQSuffix)]).Inc()
		}
		if len(failed) == 0 {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.retries.WithLabelValues("dead_letter").Inc()
		delay := bo.Next()
		c.log.Error("producing dead letters failed; retrying", "records", len(failed), "error", firstErr, "retry_in", delay)
		if !retry.Sleep(ctx, delay) {
			return ctx.Err()
		}
		// Produced records carry state from the failed attempt; resend
		// fresh copies.
		recs = make([]*kgo.Record, len(failed))
		for i, r := range failed {
			recs[i] = &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value, Headers: r.Headers}
		}
	}
}
