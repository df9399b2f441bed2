// Package pgtest gives tests a real Postgres: the server named by
// TEST_DATABASE_URL, with a fresh schema per test so tests can run in
// parallel without seeing each other's rows.
//
// Without TEST_DATABASE_URL the calling test is skipped, except when CI=true:
// there a missing database is a failure, so CI can never go green by skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvURL is the environment variable naming the test database.
const EnvURL = "TEST_DATABASE_URL"

// schemaMaxConns bounds each per-test pool so that many parallel tests stay
// below the server's max_connections.
const schemaMaxConns = 8

var (
	adminOnce sync.Once
	adminPool *pgxpool.Pool
	adminErr  error
)

// URL returns TEST_DATABASE_URL, skipping the test when it is unset (failing
// it when CI=true).
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(EnvURL)
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set; CI must run the Postgres tests", EnvURL)
		}
		t.Skipf("%s is not set; skipping a test that needs Postgres", EnvURL)
	}
	return url
}

// AdminPool returns a pool on TEST_DATABASE_URL shared by the whole test
// process (it is never closed; the process exit closes it). The URL's user
// should be a superuser so tests can create schemas and roles.
func AdminPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := URL(t)
	adminOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			adminErr = err
			return
		}
		cfg.MaxConns = 4
		adminPool, adminErr = pgxpool.NewWithConfig(ctx, cfg)
		if adminErr == nil {
			adminErr = adminPool.Ping(ctx)
		}
	})
	if adminErr != nil {
		t.Fatalf("pgtest: connect to %s: %v", EnvURL, adminErr)
	}
	return adminPool
}

var prefixPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// Name returns prefix followed by an underscore and 12 random hex digits, a
// valid Postgres name unlikely to collide across parallel tests and runs.
func Name(t testing.TB, prefix string) string {
	t.Helper()
	if !prefixPattern.MatchString(prefix) {
		t.Fatalf("pgtest: prefix %q must match %s", prefix, prefixPattern)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: random name: %v", err)
	}
	return prefix + "_" + hex.EncodeToString(b[:])
}

// NewSchema creates a schema named prefix_<random> and returns it with a pool
// whose search_path is that schema alone. On cleanup the pool is closed and
// the schema dropped with everything in it.
func NewSchema(t testing.TB, prefix string) (schema string, pool *pgxpool.Pool) {
	t.Helper()
	admin := AdminPool(t)
	schema = Name(t, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(URL(t))
	if err != nil {
		t.Fatalf("pgtest: parse %s: %v", EnvURL, err)
	}
	cfg.MaxConns = schemaMaxConns
	cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("pgtest: pool for schema %s: %v", schema, err)
	}
	// Registered after the drop, so it runs before it: connections must be
	// gone before the schema is dropped.
	t.Cleanup(pool.Close)
	return schema, pool
}
