// Command ensuredb creates the PostgreSQL database named in a URL when it does
// not exist yet, so make test works on a fresh machine. It exits 1 with a
// message saying how to fix things when no server answers, 2 on usage errors.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/packytrace/packytrace/tools/internal/devdb"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: ensuredb postgres://user@host:port/dbname")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	created, err := devdb.Ensure(ctx, os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "ensuredb:", err)
		fmt.Fprintln(os.Stderr, "fix: start PostgreSQL (Debian: pg_ctlcluster 15 main start) or set TEST_DATABASE_URL to a server you can create databases on")
		os.Exit(1)
	}
	if created {
		fmt.Println("ensuredb: created the test database")
	}
}
