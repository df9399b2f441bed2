package kafka

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/retry"
)

// Header names the relay sets on every record, so consumers and tools can
// route or inspect a record without decoding it.
const (
	HeaderEventType    = "event-type"
	HeaderEventVersion = "event-version"
	HeaderEventID      = "event-id"
)

// Relay defaults.
const (
	DefaultBatchSize      = 1000
	DefaultPollInterval   = 250 * time.Millisecond
	DefaultMinBackoff     = 100 * time.Millisecond
	DefaultMaxBackoff     = 5 * time.Second
	DefaultPublishTimeout = 30 * time.Second
)

// backlogEvery bounds how often a busy relay counts its backlog.
const backlogEvery = time.Second

// RelayConfig configures a Relay.
type RelayConfig struct {
	// Schema is the service schema whose outbox the relay drains.
	Schema string
	// BatchSize is the most events read, published and deleted at once
	// (default 1000); a row that holds more is published alone.
	BatchSize int
	// PollInterval is how often the relay looks for rows when no
	// notification woke it (default 250 ms); notifications normally wake it
	// at once.
	PollInterval time.Duration
	// MinBackoff and MaxBackoff bound the delay between retries after a
	// failure (defaults 100 ms and 5 s).
	MinBackoff, MaxBackoff time.Duration
	// PublishTimeout bounds the wait for the broker to acknowledge one batch
	// (default 30 s); unacknowledged rows are retried after a backoff.
	PublishTimeout time.Duration
	// VacuumEvery is how many published events the relay deletes before it
	// vacuums the outbox itself (default 50,000; see Relay.vacuum). Events,
	// not rows: the dead space a deleted row leaves grows with its events.
	VacuumEvery int
	// Logger receives retries and failures; nil discards them.
	Logger *slog.Logger
	// Registerer receives the relay's metrics; nil registers none.
	Registerer prometheus.Registerer
}

// Relay publishes the committed rows of one schema's outbox and deletes them
// once the broker has acknowledged them.
//
// Only one relay per schema is active at a time, across all replicas: the
// active one holds a session advisory lock on a dedicated connection, the
// others block on that lock and the first of them takes over as soon as the
// holder's connection ends (crash, shutdown, network loss).
//
// Ordering: rows are read in id order and produced with an idempotent
// producer that hashes the key to a partition, so one key's events reach the
// broker in outbox order. When records fail, franz-go fails the rest of that
// partition's buffer with them; the relay additionally keeps every row of a
// topic and key from the first failed one on, so a later event is never
// deleted before an earlier one of its key has been acknowledged. A row may
// be published more than once (a crash between acknowledgement and delete);
// consumers deduplicate on the event id. The client must keep idempotent
// writes on (NewClient does).
//
// The lock is a session lock, so the pool must reach Postgres directly or
// through a session-mode pooler, never a transaction-mode one. Run one Run
// per Relay value.
type Relay struct {
	pool     *pgxpool.Pool
	cl       *kgo.Client
	cfg      RelayConfig
	log      *slog.Logger
	path     string // search_path value naming the schema
	channel  string
	lockKey  int64
	active   atomic.Bool
	lastSeen time.Time // last backlog count, touched by Run's goroutine only
	// deleted counts events deleted since the relay last vacuumed the
	// outbox; touched by Run's goroutine only.
	deleted int

	backlog       prometheus.Gauge
	activeGauge   prometheus.Gauge
	published     prometheus.Counter
	publishErrors prometheus.Counter
	batchSeconds  prometheus.Histogram
}

// NewRelay checks cfg, fills in defaults and registers the metrics
// packytrace_outbox_backlog, packytrace_outbox_published_total,
// packytrace_outbox_publish_errors_total, packytrace_outbox_batch_seconds and
// packytrace_outbox_relay_active (1 while this relay holds the lock), all with
// the constant label schema.
func NewRelay(pool *pgxpool.Pool, cl *kgo.Client, cfg RelayConfig) (*Relay, error) {
	if pool == nil || cl == nil {
		return nil, fault.New(fault.Invalid, "kafka: relay needs a pool and a client")
	}
	if err := postgres.ValidateName(cfg.Schema); err != nil {
		return nil, err
	}
	if cfg.BatchSize < 0 || cfg.VacuumEvery < 0 || cfg.PollInterval < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 || cfg.PublishTimeout < 0 {
		return nil, fault.New(fault.Invalid, "kafka: relay settings must not be negative")
	}
	cfg.BatchSize = cmp.Or(cfg.BatchSize, DefaultBatchSize)
	cfg.VacuumEvery = cmp.Or(cfg.VacuumEvery, DefaultVacuumEvery)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, DefaultPollInterval)
	cfg.MinBackoff = cmp.Or(cfg.MinBackoff, DefaultMinBackoff)
	cfg.MaxBackoff = max(cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff), cfg.MinBackoff)
	cfg.PublishTimeout = cmp.Or(cfg.PublishTimeout, DefaultPublishTimeout)
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	labels := prometheus.Labels{"schema": cfg.Schema}
	return &Relay{
		pool:    pool,
		cl:      cl,
		cfg:     cfg,
		log:     log.With("component", "outbox-relay", "schema", cfg.Schema),
		path:    searchPath(cfg.Schema),
		channel: notifyChannel(cfg.Schema),
		lockKey: relayLockKey(cfg.Schema),

		backlog: register(cfg.Registerer, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "packytrace_outbox_backlog", Help: "Outbox events waiting to be published.", ConstLabels: labels,
		})),
		activeGauge: register(cfg.Registerer, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "packytrace_outbox_relay_active", Help: "1 while this process runs the schema's active outbox relay.", ConstLabels: labels,
		})),
		published: register(cfg.Registerer, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "packytrace_outbox_published_total", Help: "Outbox events acknowledged by the broker and removed from the outbox.", ConstLabels: labels,
		})),
		publishErrors: register(cfg.Registerer, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "packytrace_outbox_publish_errors_total", Help: "Outbox events the broker did not acknowledge (they are retried).", ConstLabels: labels,
		})),
		batchSeconds: register(cfg.Registerer, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "packytrace_outbox_batch_seconds", Help: "Time to read, publish and delete one outbox batch.", ConstLabels: labels, Buckets: batchBuckets,
		})),
	}, nil
}

func relayLockKey(schema string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("packytrace.outbox.relay:" + schema))
	return int64(h.Sum64()) // folding a hash into Postgres' bigint lock space on purpose
}

// Active reports whether this relay currently holds its schema's relay lock.
func (r *Relay) Active() bool { return r.active.Load() }

// Backlog counts the events waiting in the outbox.
func (r *Relay) Backlog(ctx context.Context) (int64, error) {
	var n int64
	err := postgres.InTxWith(ctx, r.pool, txInSchema(r.path, pgx.ReadOnly), func(tx pgx.Tx) error {
		var err error
		n, err = outboxdb.New(tx).CountOutbox(ctx)
		return err
	})
	if err != nil {
		return 0, postgres.Classify(fmt.Errorf("kafka: outbox backlog: %w", err))
	}
	return n, nil
}

// Run relays until ctx is done, then returns nil. Failures (database or
// broker down, lost lock connection) are logged and retried with backoff;
// they never end Run.
func (r *Relay) Run(ctx context.Context) error {
	bo := retry.Backoff{Min: r.cfg.MinBackoff, Max: r.cfg.MaxBackoff}
	for {
		err := r.session(ctx, &bo)
		if ctx.Err() != nil {
			return nil
		}
		delay := bo.Next()
		r.log.Warn("outbox relay session ended; reconnecting", "error", err, "retry_in", delay)
		if !retry.Sleep(ctx, delay) {
			return nil
		}
	}
}

// session runs on one dedicated connection: wait for the lock, then publish
// until ctx is done or the connection fails (which also releases the lock).
func (r *Relay) session(ctx context.Context, bo *retry.Backoff) error {
	connCfg := r.pool.Config().ConnConfig // a copy
	if _, ok := connCfg.RuntimeParams["application_name"]; !ok {
		connCfg.RuntimeParams["application_name"] = "packytrace-outbox-relay"
	}
	// The connection is the relay's alone, so its whole session resolves
	// the unqualified tables of the generated queries in the schema,
	// whatever the role's default search_path.
	connCfg.RuntimeParams["search_path"] = r.path
	conn, err := pgx.ConnectConfig(ctx, connCfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(closeCtx) // ends the session, releasing the lock
	}()
	// Blocks while another replica is active; returns as soon as its
	// session ends.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", r.lockKey); err != nil {
		return fmt.Errorf("acquire relay lock: %w", err)
	}
	r.active.Store(true)
	r.activeGauge.Set(1)
	defer func() {
		r.active.Store(false)
		r.activeGauge.Set(0)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{r.channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	bo.Reset()
	r.log.Info("outbox relay active")

	q := outboxdb.New(conn)
	publishRetry := retry.Backoff{Min: r.cfg.MinBackoff, Max: r.cfg.MaxBackoff}
	for {
		postgres.DiscardNotifications(conn)
		if err := r.drain(ctx, q, conn); err != nil {
			if ctx.Err() != nil || conn.IsClosed() {
				return err
			}
			delay := publishRetry.Next()
			r.log.Warn("outbox publish failed; retrying", "error", err, "retry_in", delay)
			if !retry.Sleep(ctx, delay) {
				return ctx.Err()
			}
			continue
		}
		publishRetry.Reset()
		if err := postgres.WaitForNotification(ctx, conn, r.cfg.PollInterval); err != nil {
			return err
		}
	}
}

// drain publishes batches until the outbox is empty, as far as committed
// rows go, or something fails.
func (r *Relay) drain(ctx context.Context, q *outboxdb.Queries, conn *pgx.Conn) error {
	for {
		start := time.Now()
		batch, err := q.FetchOutbox(ctx, int32(r.cfg.BatchSize))
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		if len(batch) == 0 {
			r.caughtUp()
			return nil
		}
		acked, events, pubErr := r.publish(ctx, batch)
		if len(acked) > 0 {
			// Published rows are deleted even when ctx has just been
			// canceled: leaving them would only publish them again.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			err := q.DeleteOutbox(dctx, acked)
			cancel()
			if err != nil {
				return fmt.Errorf("delete published rows: %w", err)
			}
			r.published.Add(float64(events))
			r.deleted += events
			if r.deleted >= r.cfg.VacuumEvery {
				r.vacuum(ctx, conn)
			}
		}
		r.batchSeconds.Observe(time.Since(start).Seconds())
		if pubErr != nil {
			return pubErr
		}
		// The batch held every row the query looked at, and the query
		// looked at fewer rows than it could have: nothing else waits.
		if head := batch[0].HeadRows; head == int64(len(batch)) && head < int64(r.cfg.BatchSize) {
			r.caughtUp()
			return nil
		}
		r.updateBacklog(ctx, q)
	}
}

// publish produces every event of the batch asynchronously, each as a
// record of its own, waits for every acknowledgement and returns the ids of
// the rows that may be deleted, with the number of events they hold.
//
// A row may be deleted when all of its events were acknowledged and none of
// them follows an unacknowledged event of the same topic and key, so a
// later event is never deleted before an earlier one of its key has been
// acknowledged. A row that stays is published whole again later; the
// events of it that were acknowledged reach the broker twice, which
// consumers absorb (they deduplicate on the event id).
func (r *Relay) publish(ctx context.Context, batch []outboxdb.FetchOutboxRow) (acked []int64, events int, err error) {
	pctx, cancel := context.WithTimeout(ctx, r.cfg.PublishTimeout)
	defer cancel()
	total := 0
	for i := range batch {
		if err := checkRow(&batch[i]); err != nil {
			return nil, 0, err
		}
		total += len(batch[i].EventIds)
	}
	results := make([]error, total)
	var wg sync.WaitGroup
	wg.Add(total)
	n := 0
	for i := range batch {
		row := &batch[i]
		eventType := []byte(row.EventType)
		eventVersion := strconv.AppendInt(nil, int64(row.EventVersion), 10)
		from := int32(0)
		for j, end := range row.PayloadEnds {
			rec := &kgo.Record{
				Topic: row.Topic,
				Key:   []byte(row.EventKeys[j]),
				Value: row.Payload[from:end:end],
				Headers: []kgo.RecordHeader{
					{Key: HeaderEventType, Value: eventType},
					{Key: HeaderEventVersion, Value: eventVersion},
					{Key: HeaderEventID, Value: []byte(row.EventIds[j])},
				},
			}
			from = end
			k := n
			r.cl.Produce(pctx, rec, func(_ *kgo.Record, err error) {
				results[k] = err
				wg.Done()
			})
			n++
		}
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		// Records still in flight may yet be acknowledged; their rows stay
		// and are published again by the next active relay.
		return nil, 0, ctx.Err()
	}

	acked = make([]int64, 0, len(batch))
	var failedKeys map[string]struct{}
	var firstErr error
	failed := 0
	n = 0
	for i := range batch {
		row := &batch[i]
		stays := false
		for j, key := range row.EventKeys {
			k := row.Topic + "\x00" + key
			if err := results[n+j]; err != nil {
				if failedKeys == nil {
					failedKeys = make(map[string]struct{})
				}
				failedKeys[k] = struct{}{}
				failed++
				firstErr = cmp.Or(firstErr, err)
				stays = true
			} else if _, ok := failedKeys[k]; ok {
				stays = true
			}
		}
		n += len(row.EventKeys)
		if !stays {
			acked = append(acked, row.ID)
			events += len(row.EventKeys)
		}
	}
	if failed > 0 {
		r.publishErrors.Add(float64(failed))
		return acked, events, fmt.Errorf("%d of %d records not acknowledged: %w", failed, total, firstErr)
	}
	return acked, events, nil
}

// checkRow checks that a row's arrays line up and its payload offsets
// rise within its payload. The table's constraint and Outbox.Add ensure it;
// a row that breaks it anyway holds the relay up (each retry logs the row)
// rather than have it publish records cut from the wrong bytes.
func checkRow(row *outboxdb.FetchOutboxRow) error {
	n := len(row.EventIds)
	ok := n > 0 && len(row.EventKeys) == n && len(row.PayloadEnds) == n
	from := int32(0)
	for _, end := range row.PayloadEnds {
		ok = ok && end > from && int(end) <= len(row.Payload)
		from = end
	}
	if !ok || int(from) != len(row.Payload) {
		return fmt.Errorf("outbox row %d is malformed: %d ids, %d keys, %d payload ends over %d bytes",
			row.ID, n, len(row.EventKeys), len(row.PayloadEnds), len(row.Payload))
	}
	return nil
}

// DefaultVacuumEvery is RelayConfig.VacuumEvery's default.
const DefaultVacuumEvery = 50_000

// vacuum removes the dead rows the relay's deletes leave. The outbox is a
// queue, and every read of its head and every count passes over dead rows
// until they are vacuumed; autovacuum may come late (or be off, as on some
// development servers), so the relay, which knows how much it deleted, does
// it. VACUUM of a table that holds only a backlog takes milliseconds and
// never blocks writers. A failure is logged, not fatal.
func (r *Relay) vacuum(ctx context.Context, conn *pgx.Conn) {
	r.deleted = 0
	if _, err := conn.Exec(ctx, "VACUUM outbox"); err != nil && ctx.Err() == nil {
		r.log.Warn("outbox vacuum failed", "error", err)
	}
}

// caughtUp records an empty backlog: a batch came back short, so every row
// committed before it was read has now been published and deleted. Rows
// committed since then wake the relay again. Counting instead would cost a
// scan of the table on every wake-up, and under steady inserts and deletes
// the table holds many dead rows that count(*) visits too.
func (r *Relay) caughtUp() {
	r.lastSeen = time.Now()
	r.backlog.Set(0)
}

// updateBacklog counts the backlog of a relay that is behind, at most once
// per backlogEvery.
func (r *Relay) updateBacklog(ctx context.Context, q *outboxdb.Queries) {
	if time.Since(r.lastSeen) < backlogEvery {
		return
	}
	n, err := q.CountOutbox(ctx)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			r.log.Warn("outbox backlog count failed", "error", err)
		}
		return
	}
	r.lastSeen = time.Now()
	r.backlog.Set(float64(n))
}
