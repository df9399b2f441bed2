package postgres_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	pg "github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
	"github.com/packytrace/packytrace/services/passport-service/migrations"
)

// newDB creates a database of its own for the test, with the passport
// schema migrated, and returns a pool on it. The queries name the schema
// passport, so tests cannot share one database through per-test schemas as
// other adapters do; a database each keeps them parallel and apart from the
// component tests, which use the passport schema of TEST_DATABASE_URL.
func newDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	admin := pgtest.AdminPool(t)
	name := pgtest.Name(t, "passport_adapter")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	pool, err := pg.NewPool(ctx, u.String(), pg.WithMaxConns(8))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close) // runs before the drop
	if _, err := pool.Exec(ctx, "CREATE SCHEMA passport"); err != nil {
		t.Fatal(err)
	}
	if err := pg.Migrate(ctx, pool, "passport", migrations.FS); err != nil {
		t.Fatal(err)
	}
	return pool
}

func TestAnchorRepository_Contract(t *testing.T) {
	t.Parallel()
	apptest.RunAnchorRepositoryContract(t, func(t *testing.T) app.AnchorRepository {
		return postgres.NewAnchorRepository(newDB(t))
	})
}
