package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/fault"
	pg "github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres/internal/passportdb"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// IndexSyncConfig tunes an IndexSync. Zero fields get the defaults.
type IndexSyncConfig struct {
	Logger *slog.Logger
	// PollInterval is how long the sync waits for a notification before it
	// looks for changes anyway, a safety net for a lost notification
	// (default 30s).
	PollInterval time.Duration
	// BatchSize is the number of rows read per query (default 5000).
	BatchSize int
	// Registerer, when set, gets the index size and the last applied change
	// sequence number as gauges.
	Registerer prometheus.Registerer
}

// IndexSync keeps a resolver.Index equal to the anchors stored in Postgres.
// Run loads every anchor once, then applies the changes after the last one
// it applied whenever a write notifies ChangeChannel, after every
// reconnection, and every PollInterval. Each replica runs one.
type IndexSync struct {
	pool   *pgxpool.Pool
	index  *resolver.Index
	log    *slog.Logger
	poll   time.Duration
	batch  int
	dec    *linkDecoder // used by Run's goroutine only
	loaded atomic.Bool
	last   atomic.Int64
}

// NewIndexSync returns a sync that fills index from pool.
func NewIndexSync(pool *pgxpool.Pool, index *resolver.Index, cfg IndexSyncConfig) *IndexSync {
	s := &IndexSync{pool: pool, index: index, log: cfg.Logger, poll: cfg.PollInterval, batch: cfg.BatchSize,
		dec: newLinkDecoder()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.poll <= 0 {
		s.poll = 30 * time.Second
	}
	if s.batch <= 0 {
		s.batch = 5000
	}
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "passport_anchor_index_anchors", Help: "Anchors in this replica's in-memory resolver index.",
			}, func() float64 { return float64(index.Len()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "passport_anchor_index_change_seq", Help: "Latest link-data change sequence number applied to the index.",
			}, func() float64 { return float64(s.last.Load()) }),
		)
	}
	return s
}

// Ready fails with Unavailable until the first full load has finished: a
// replica must not resolve from a half-filled index.
func (s *IndexSync) Ready(context.Context) error {
	if !s.loaded.Load() {
		return fault.New(fault.Unavailable, "the resolver index is still loading")
	}
	return nil
}

// Applied is the latest change sequence number applied to the index.
func (s *IndexSync) Applied() int64 { return s.last.Load() }

// Run syncs until ctx ends, then returns nil. Lost connections are logged
// and retried with backoff; they never end Run.
func (s *IndexSync) Run(ctx context.Context) error {
	delay := 100 * time.Millisecond
	for {
		err := s.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("anchor index sync interrupted; reconnecting", "error", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(delay*2, 10*time.Second)
	}
}

// session listens on a dedicated connection, loads the index the first
// time, then applies changes until ctx ends or the connection fails.
func (s *IndexSync) session(ctx context.Context) error {
	cfg := s.pool.Config().ConnConfig.Copy()
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "passport-anchor-index-sync"
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	// Listening starts before the load reads its snapshot, so no commit
	// after the snapshot goes unnoticed.
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ChangeChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if !s.loaded.Load() {
		if err := s.load(ctx, conn); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		s.loaded.Store(true)
	}
	for {
		pg.DiscardNotifications(conn)
		if err := s.catchUp(ctx, conn); err != nil {
			return fmt.Errorf("apply changes: %w", err)
		}
		if err := pg.WaitForNotification(ctx, conn, s.poll); err != nil {
			return err
		}
	}
}

// load puts every stored anchor into the index and removes every deleted
// key (what an interrupted earlier load may have left), from one snapshot,
// a batch at a time so that only the index holds the anchors.
func (s *IndexSync) load(ctx context.Context, conn *pgx.Conn) error {
	start := time.Now()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	q := passportdb.New(tx)
	last, err := q.LastAnchorChange(ctx)
	if err != nil {
		return err
	}
	n, after := 0, ""
	for {
		rows, err := q.AnchorBatch(ctx, passportdb.AnchorBatchParams{After: after, RowLimit: int32(s.batch)})
		if err != nil {
			return err
		}
		for _, row := range rows {
			s.put(row.Key, row.Brand, row.Description, row.Links)
		}
		n += len(rows)
		if len(rows) < s.batch {
			break
		}
		after = rows[len(rows)-1].Key
	}
	after = ""
	for {
		keys, err := q.TombstoneBatch(ctx, passportdb.TombstoneBatchParams{After: after, RowLimit: int32(s.batch)})
		if err != nil {
			return err
		}
		for _, k := range keys {
			s.index.Delete(k)
		}
		if len(keys) < s.batch {
			break
		}
		after = keys[len(keys)-1]
	}
	products, err := s.loadProducts(ctx, q)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	s.last.Store(last)
	s.log.Info("anchor index loaded", "anchors", n, "products", products, "change_seq", last, "took", time.Since(start))
	return nil
}

// loadProducts marks every catalog product's key in the index (its
// passport links) and unmarks deleted ones, a batch at a time.
func (s *IndexSync) loadProducts(ctx context.Context, q *passportdb.Queries) (int, error) {
	n, after := 0, ""
	for {
		gtins, err := q.ProductKeyBatch(ctx, passportdb.ProductKeyBatchParams{After: after, RowLimit: int32(s.batch)})
		if err != nil {
			return n, err
		}
		for _, g := range gtins {
			s.index.SetPassport("/01/"+g, true)
		}
		n += len(gtins)
		if len(gtins) < s.batch {
			break
		}
		after = gtins[len(gtins)-1]
	}
	after = ""
	for {
		gtins, err := q.ProductTombstoneBatch(ctx, passportdb.ProductTombstoneBatchParams{After: after, RowLimit: int32(s.batch)})
		if err != nil {
			return n, err
		}
		for _, g := range gtins {
			s.index.SetPassport("/01/"+g, false)
		}
		if len(gtins) < s.batch {
			return n, nil
		}
		after = gtins[len(gtins)-1]
	}
}

// catchUp applies the changes after the last applied one, in order.
func (s *IndexSync) catchUp(ctx context.Context, conn *pgx.Conn) error {
	q := passportdb.New(conn)
	for {
		last := s.last.Load()
		rows, err := q.AnchorChangesSince(ctx, passportdb.AnchorChangesSinceParams{After: last, RowLimit: int32(s.batch)})
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.Product {
				s.index.SetPassport(row.Key, !row.Deleted)
			} else if row.Deleted {
				s.index.Delete(row.Key)
			} else {
				s.put(row.Key, row.Brand, row.Description, row.Links)
			}
			last = row.Seq
		}
		s.last.Store(last)
		if len(rows) < s.batch {
			return nil
		}
	}
}

// put adds a stored row to the index. A row whose links do not decode (only
// a bug could write one) is logged and left out rather than stopping every
// later change.
func (s *IndexSync) put(key, brand, description string, links []byte) {
	a, err := s.dec.decodeAnchor(key, brand, description, links)
	if err != nil {
		s.log.Error("anchor left out of the resolver index", "key", key, "error", fmt.Errorf("postgres: decode links: %w", err))
		return
	}
	s.index.Put(a)
}
