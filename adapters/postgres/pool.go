// Package postgres holds the Postgres building blocks every service shares:
// a connection pool with sane defaults, the one-off bootstrap that gives a
// service its own schema and a role confined to it, goose migrations run
// inside that schema, a transaction helper, and the translation of driver
// errors into fault kinds.
//
// The isolation model is one schema and one login role per service: the role
// owns its schema, has no rights on the public schema and none on other
// services' schemas, so a bug or a leaked credential in one service cannot
// read another service's data.
package postgres

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/fault"
)

// PoolOption adjusts the pool configuration built by NewPool.
type PoolOption func(*poolSettings)

type poolSettings struct {
	maxConns   int32
	searchPath string
	configure  []func(*pgxpool.Config)
}

// WithMaxConns caps the number of open connections; the pgxpool default
// (the larger of 4 and the number of CPUs) applies otherwise.
func WithMaxConns(n int32) PoolOption {
	return func(s *poolSettings) { s.maxConns = n }
}

// WithSearchPath makes every connection resolve unqualified names in schema
// only, so a service's queries cannot silently fall through to another
// schema.
func WithSearchPath(schema string) PoolOption {
	return func(s *poolSettings) { s.searchPath = schema }
}

// WithConfig runs fn on the parsed pool configuration before the pool is
// created, for settings this package has no option for (tracers, hooks).
func WithConfig(fn func(*pgxpool.Config)) PoolOption {
	return func(s *poolSettings) { s.configure = append(s.configure, fn) }
}

// defaultConnectTimeout bounds a connection attempt when the URL sets none, so
// an unreachable host fails a start-up quickly instead of hanging on TCP.
const defaultConnectTimeout = 5 * time.Second

// NewPool parses url, applies the options, opens a pool and pings the server
// once. A URL that does not parse is an Invalid error whose text never
// repeats the URL (it may hold a password); a server that cannot be reached is
// an Unavailable error naming host:port.
func NewPool(ctx context.Context, url string, opts ...PoolOption) (*pgxpool.Pool, error) {
	var s poolSettings
	for _, opt := range opts {
		opt(&s)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error embeds the connection string, redacted only on a
		// best-effort basis, so it stays out of the returned error entirely.
		return nil, fault.New(fault.Invalid, "postgres: invalid database URL (check scheme, host, port and parameters)")
	}
	if s.maxConns < 0 {
		return nil, fault.Newf(fault.Invalid, "postgres: max connections must be positive, got %d", s.maxConns)
	}
	if s.maxConns > 0 {
		cfg.MaxConns = s.maxConns
		if cfg.MinConns > cfg.MaxConns {
			cfg.MinConns = cfg.MaxConns
		}
	}
	if s.searchPath != "" {
		if err := ValidateName(s.searchPath); err != nil {
			return nil, err
		}
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{s.searchPath}.Sanitize()
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	for _, fn := range s.configure {
		fn(cfg)
	}
	addr := hostPort(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fault.Wrap(fault.Unavailable, err, "postgres at "+addr+" unavailable")
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fault.Wrap(fault.Unavailable, err, "postgres at "+addr+" unavailable")
	}
	return pool, nil
}

func hostPort(cfg *pgxpool.Config) string {
	return net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
}

// Check returns a readiness probe that runs SELECT 1 within the probe's
// context deadline; any failure is reported as Unavailable.
func Check(pool *pgxpool.Pool) func(context.Context) error {
	return func(ctx context.Context) error {
		var one int
		if err := pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
			return fault.Wrap(fault.Unavailable, err, "postgres not ready")
		}
		return nil
	}
}

// InTx runs fn in a transaction and commits it. The transaction is rolled
// back when fn returns an error (returned unchanged, so domain errors pass
// through) or panics (the panic continues after the rollback).
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return InTxWith(ctx, pool, pgx.TxOptions{}, fn)
}

// InTxWith is InTx with explicit transaction options, for example the
// serializable isolation level; a serialization failure comes back as a
// Conflict that IsRetryable reports.
func InTxWith(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(pgx.Tx) error) (err error) {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return Classify(fmt.Errorf("postgres: begin transaction: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			// The rollback must happen even if ctx is already canceled.
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return Classify(fmt.Errorf("postgres: commit: %w", err))
	}
	return nil
}
