package devdb_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/packytrace/packytrace/tools/internal/devdb"
)

func TestEnsure_CreatesMissingDatabaseOnce(t *testing.T) {
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_DATABASE_URL must be set in CI")
		}
		t.Skip("TEST_DATABASE_URL not set")
	}
	ctx := context.Background()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("devdb_test_%d", time.Now().UnixNano())
	u.Path = "/" + name
	t.Cleanup(func() {
		admin, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	created, err := devdb.Ensure(ctx, u.String())
	if err != nil || !created {
		t.Fatalf("first Ensure = %v, %v; want created", created, err)
	}
	created, err = devdb.Ensure(ctx, u.String())
	if err != nil || created {
		t.Fatalf("second Ensure = %v, %v; want existing", created, err)
	}
}

func TestEnsure_RejectsBadURLAndDeadServer(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := devdb.Ensure(ctx, "postgres://%zz"); err == nil {
		t.Fatal("accepted an invalid URL")
	}
	if _, err := devdb.Ensure(ctx, "postgres://postgres@127.0.0.1:1/x?sslmode=disable"); err == nil {
		t.Fatal("no error for a server that does not answer")
	}
}
