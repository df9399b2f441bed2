package kafka

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
	"github.com/packytrace/packytrace/adapters/postgres"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// VersionTable is the goose version table of this package's migrations,
// kept apart from the service's own goose_db_version so the two sets of
// migrations number independently.
const VersionTable = "goose_kafka_version"

// Migrate creates this package's tables in the service schema: <schema>.outbox
// and <schema>.processed_events. Run it with the service role's pool, next to
// the service's own migrations; it is idempotent.
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	return postgres.Migrate(ctx, pool, schema, sub, postgres.WithVersionTable(VersionTable))
}

// PruneProcessed deletes the processed-event ids recorded before cutoff and
// returns how many went. Keep ids for longer than the topics' retention: an
// id pruned too early lets a very late redelivery apply twice.
func PruneProcessed(ctx context.Context, pool *pgxpool.Pool, schema string, cutoff time.Time) (int64, error) {
	if err := postgres.ValidateName(schema); err != nil {
		return 0, err
	}
	var n int64
	err := postgres.InTxWith(ctx, pool, txInSchema(searchPath(schema), ""), func(tx pgx.Tx) error {
		var err error
		n, err = outboxdb.New(tx).PruneProcessed(ctx, cutoff)
		return err
	})
	if err != nil {
		return 0, postgres.Classify(err)
	}
	return n, nil
}
