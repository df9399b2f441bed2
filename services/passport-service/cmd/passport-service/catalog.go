package main

import (
	"context"
	"fmt"
	"io"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/envconfig"
	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/kafka"
	pg "github.com/packytrace/packytrace/adapters/postgres"
	eventschemas "github.com/packytrace/packytrace/events"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/importcli"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/config"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

// catalogUsage is the command line of the catalog commands.
const catalogUsage = "usage: passport-service catalog import [flags] FILE...  (run passport-service catalog import -h for the flags)"

// runCatalog runs "passport-service catalog ...": operator commands that
// work on the catalog straight through the service's database, next to the
// running service (whose outbox relay publishes the events they record).
// They need only DATABASE_URL (the service role) and the migrated schema.
func runCatalog(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%w: %s", daemon.ErrUsage, catalogUsage)
	}
	r := envconfig.New(getenv)
	dbURL := r.URL("DATABASE_URL", "", true, "postgres", "postgresql")
	if err := r.Err(); err != nil {
		return err
	}
	pool, err := pg.NewPool(ctx, dbURL.String())
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	defer pool.Close()
	registry, err := events.NewRegistry(eventschemas.Dir)
	if err != nil {
		return fmt.Errorf("load event schemas: %w", err)
	}
	svc := app.NewService(postgres.NewAnchorRepository(pool), nil,
		postgres.NewCatalogRepository(pool, kafka.NewOutbox(config.SchemaName, registry)))
	err = importcli.Run(ctx, args[1:], stdout, stderr, operator{svc: svc})
	if importcli.ExitCode(err) == 2 {
		return fmt.Errorf("%w: %w", daemon.ErrUsage, err)
	}
	return err
}

// operator runs the import use cases as an admin: whoever holds the
// service's database credentials has that power already.
type operator struct{ svc *app.Service }

var operatorActor = app.Actor{Subject: "passport-service catalog import", Roles: []string{app.RoleAdmin}}

func (o operator) ImportProducts(ctx context.Context, b app.ImportBatch) (app.ImportResult, error) {
	return o.svc.ImportProducts(ctx, operatorActor, b)
}

func (o operator) Checkpoint(ctx context.Context, source string) (app.Checkpoint, bool, error) {
	return o.svc.ImportCheckpoint(ctx, operatorActor, source)
}

func (o operator) FinishImport(ctx context.Context, source string) error {
	return o.svc.FinishImport(ctx, operatorActor, source)
}
