package postgres

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/packytrace/packytrace/adapters/fault"
)

// DefaultVersionTable is goose's version table, created inside the service
// schema.
const DefaultVersionTable = "goose_db_version"

// MigrateOption adjusts Migrate and MigrationVersion.
type MigrateOption func(*migrateSettings)

type migrateSettings struct {
	table string
}

// WithVersionTable names the version table (inside the schema), so that
// several independent sets of migrations can share one schema; each set
// needs its own table.
func WithVersionTable(name string) MigrateOption {
	return func(s *migrateSettings) { s.table = name }
}

func migrateConfig(schema string, opts []MigrateOption) (migrateSettings, error) {
	s := migrateSettings{table: DefaultVersionTable}
	for _, opt := range opts {
		opt(&s)
	}
	if err := ValidateName(schema); err != nil {
		return s, err
	}
	if err := ValidateName(s.table); err != nil {
		return s, err
	}
	return s, nil
}

// Migrate applies the goose SQL migrations found at the root of migrations
// (pass fs.Sub(embedded, "migrations") for a subdirectory) to schema and
// records them in "<schema>.goose_db_version". It runs with the pool's
// credentials, which should be the service role's, so the tables it creates
// belong to that role.
//
// The migrations run on separate connections whose search_path is schema
// alone, whatever the pool's own setting, so unqualified names in the SQL
// files land in the service schema. It is idempotent, and replicas starting
// together are serialised by a session advisory lock per schema and version
// table.
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string, migrations fs.FS, opts ...MigrateOption) error {
	s, err := migrateConfig(schema, opts)
	if err != nil {
		return err
	}
	if migrations == nil {
		return fault.New(fault.Invalid, "postgres: no migrations given")
	}
	if files, err := fs.Glob(migrations, "*.sql"); err != nil || len(files) == 0 {
		return fault.Newf(fault.Invalid, "postgres: no *.sql migrations at the root of the file system for schema %s (use fs.Sub for a subdirectory)", schema)
	}

	connCfg := pool.Config().ConnConfig.Copy()
	connCfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	db := stdlib.OpenDB(*connCfg)
	defer func() { _ = db.Close() }()
	// One connection holds the advisory lock, one runs the migrations.
	db.SetMaxOpenConns(2)

	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(lockKey("packytrace.goose:"+schema+"."+s.table)),
		lock.WithLockTimeout(1, 600), // probe every second for up to ten minutes
	)
	if err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations,
		goose.WithTableName(schema+"."+s.table),
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
		goose.WithLogger(goose.NopLogger()),
	)
	if err != nil {
		return fmt.Errorf("postgres: migrations for schema %s: %w", schema, err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return Classify(fmt.Errorf("postgres: migrate schema %s: %w", schema, err))
	}
	return nil
}

// MigrationVersion returns the highest migration version applied to schema,
// or 0 when none has been (the version table does not exist yet).
func MigrationVersion(ctx context.Context, pool *pgxpool.Pool, schema string, opts ...MigrateOption) (int64, error) {
	s, err := migrateConfig(schema, opts)
	if err != nil {
		return 0, err
	}
	table := pgx.Identifier{schema, s.table}.Sanitize()
	var v int64
	err = pool.QueryRow(ctx, "SELECT COALESCE(max(version_id), 0) FROM "+table+" WHERE version_id > 0").Scan(&v)
	if sqlState(err) == "42P01" { // undefined_table
		return 0, nil
	}
	if err != nil {
		return 0, Classify(fmt.Errorf("postgres: migration version of %s: %w", schema, err))
	}
	return v, nil
}
