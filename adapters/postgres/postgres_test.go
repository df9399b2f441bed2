package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

var testMigrations = os.DirFS("testdata/migrations")

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// bootstrapService bootstraps a service with random names and removes its
// schema and role when the test ends.
func bootstrapService(t *testing.T, prefix string) postgres.Schema {
	t.Helper()
	ctx := testContext(t)
	admin := pgtest.AdminPool(t)
	s := postgres.Schema{Name: pgtest.Name(t, prefix), Role: pgtest.Name(t, prefix+"_service")}
	t.Cleanup(func() { dropService(t, s) })
	if err := postgres.Bootstrap(ctx, admin, s); err != nil {
		t.Fatalf("Bootstrap(%+v): %v", s, err)
	}
	return s
}

func dropService(t *testing.T, s postgres.Schema) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := pgtest.AdminPool(t)
	role := pgx.Identifier{s.Role}.Sanitize()
	var stmts []string
	if s.Name != "" {
		stmts = append(stmts, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s.Name}.Sanitize()+" CASCADE")
	}
	for _, stmt := range append(stmts,
		"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"+s.Role+"') THEN EXECUTE 'DROP OWNED BY "+role+" CASCADE'; END IF; END $$",
		"DROP ROLE IF EXISTS "+role,
	) {
		if _, err := admin.Exec(ctx, stmt); err != nil {
			t.Errorf("cleanup %q: %v", stmt, err)
		}
	}
}

// poolAs connects to the test database as role, relying on the server's
// trust authentication, with no search_path of its own: the role's default
// must do.
func poolAs(t *testing.T, role string) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.NewPool(testContext(t), pgtest.URL(t),
		postgres.WithMaxConns(2),
		postgres.WithConfig(func(c *pgxpool.Config) { c.ConnConfig.User = role }))
	if err != nil {
		t.Fatalf("NewPool as %s: %v", role, err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

func TestBootstrap_ConfinesEachRoleToItsSchema(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	a := bootstrapService(t, "isoa")
	b := bootstrapService(t, "isob")
	poolA, poolB := poolAs(t, a.Role), poolAs(t, b.Role)

	// Each role migrates its own schema, as a service does at start-up.
	for _, p := range []struct {
		pool *pgxpool.Pool
		s    postgres.Schema
	}{{poolA, a}, {poolB, b}} {
		if err := postgres.Migrate(ctx, p.pool, p.s.Name, testMigrations); err != nil {
			t.Fatalf("Migrate as %s: %v", p.s.Role, err)
		}
	}
	// Unqualified names resolve to the role's own schema (its search_path).
	if _, err := poolA.Exec(ctx, "INSERT INTO items (name) VALUES ('milk')"); err != nil {
		t.Fatalf("role A insert into its own table: %v", err)
	}
	var name string
	if err := poolA.QueryRow(ctx, "SELECT name FROM "+pgx.Identifier{a.Name, "items"}.Sanitize()).Scan(&name); err != nil || name != "milk" {
		t.Fatalf("role A read of its own table = %q, %v", name, err)
	}
	if _, err := poolA.Exec(ctx, "CREATE TABLE scratch (x int)"); err != nil {
		t.Fatalf("role A create table in its own schema: %v", err)
	}
	var owner string
	if err := poolA.QueryRow(ctx, "SELECT tableowner FROM pg_tables WHERE schemaname = $1 AND tablename = 'items'", a.Name).Scan(&owner); err != nil || owner != a.Role {
		t.Fatalf("items owner = %q, %v; want %s", owner, err, a.Role)
	}

	denied := []struct {
		name string
		sql  string
	}{
		{"read other service's table", "SELECT count(*) FROM " + pgx.Identifier{b.Name, "items"}.Sanitize()},
		{"write other service's table", "INSERT INTO " + pgx.Identifier{b.Name, "items"}.Sanitize() + " (name) VALUES ('x')"},
		{"create in other service's schema", "CREATE TABLE " + pgx.Identifier{b.Name, "intruder"}.Sanitize() + " (x int)"},
		{"create in public", "CREATE TABLE public.intruder (x int)"},
		{"create schema", "CREATE SCHEMA intruder"},
	}
	for _, tt := range denied {
		_, err := poolA.Exec(ctx, tt.sql)
		if got := sqlState(err); got != "42501" {
			t.Errorf("%s: SQLSTATE %q (%v), want 42501 insufficient_privilege", tt.name, got, err)
		}
	}
}

func TestBootstrap_SetsRoleAttributesIdempotentlyUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	admin := pgtest.AdminPool(t)
	s := postgres.Schema{Name: pgtest.Name(t, "conc"), Role: pgtest.Name(t, "conc_service"), Password: "correct horse battery staple"}
	t.Cleanup(func() { dropService(t, s) })

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- postgres.Bootstrap(ctx, admin, s) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent Bootstrap: %v", err)
		}
	}
	if err := postgres.Bootstrap(ctx, admin, s); err != nil {
		t.Fatalf("repeated Bootstrap: %v", err)
	}

	var login, super, inherit, createDB, createRole bool
	var config []string
	var password string
	err := admin.QueryRow(ctx, `SELECT r.rolcanlogin, r.rolsuper, r.rolinherit, r.rolcreatedb, r.rolcreaterole,
		COALESCE(r.rolconfig, '{}'), COALESCE(a.rolpassword, '')
		FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = $1`, s.Role).Scan(&login, &super, &inherit, &createDB, &createRole, &config, &password)
	if err != nil {
		t.Fatal(err)
	}
	if !login || super || inherit || createDB || createRole {
		t.Errorf("attributes login=%v super=%v inherit=%v createdb=%v createrole=%v", login, super, inherit, createDB, createRole)
	}
	if want := "search_path=" + s.Name; len(config) != 1 || config[0] != want {
		t.Errorf("rolconfig = %v, want [%s]", config, want)
	}
	if !strings.HasPrefix(password, "SCRAM-SHA-256$4096:") || strings.Contains(password, "horse") {
		t.Errorf("stored password %q is not a SCRAM verifier", password)
	}
	var owner string
	if err := admin.QueryRow(ctx, `SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1`, s.Name).Scan(&owner); err != nil || owner != s.Role {
		t.Errorf("schema owner = %q, %v; want %s", owner, err, s.Role)
	}
}

func TestBootstrap_RejectsInvalidNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    postgres.Schema
	}{
		{"empty schema", postgres.Schema{Name: "", Role: "ok_service"}},
		{"upper case", postgres.Schema{Name: "Fridge", Role: "fridge_service"}},
		{"leading digit", postgres.Schema{Name: "1fridge", Role: "fridge_service"}},
		{"hyphen", postgres.Schema{Name: "fridge", Role: "fridge-service"}},
		{"injection", postgres.Schema{Name: "fridge; DROP SCHEMA public", Role: "fridge_service"}},
		{"quote", postgres.Schema{Name: "fridge", Role: `x"y`}},
		{"too long", postgres.Schema{Name: strings.Repeat("a", 64), Role: "fridge_service"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Validation happens before the pool is touched, so nil is fine.
			err := postgres.Bootstrap(context.Background(), nil, tt.s)
			if !fault.Is(err, fault.Invalid) {
				t.Fatalf("Bootstrap(%+v) = %v, want Invalid", tt.s, err)
			}
		})
	}
}

func TestBootstrap_RefusesSchemaOwnedByAnotherRole(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	schema, _ := pgtest.NewSchema(t, "foreign") // owned by the admin user
	s := postgres.Schema{Name: schema, Role: pgtest.Name(t, "foreign_service")}
	t.Cleanup(func() { dropService(t, postgres.Schema{Role: s.Role}) })
	err := postgres.Bootstrap(ctx, pgtest.AdminPool(t), s)
	if !fault.Is(err, fault.Conflict) {
		t.Fatalf("Bootstrap over a foreign schema = %v, want Conflict", err)
	}
}

func TestMigrate_IsIdempotentAndConcurrent(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	schema, pool := pgtest.NewSchema(t, "migrate")

	if v, err := postgres.MigrationVersion(ctx, pool, schema); err != nil || v != 0 {
		t.Fatalf("MigrationVersion before = %d, %v; want 0", v, err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() { errs <- postgres.Migrate(ctx, pool, schema, testMigrations) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent Migrate: %v", err)
		}
	}
	if err := postgres.Migrate(ctx, pool, schema, testMigrations); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if v, err := postgres.MigrationVersion(ctx, pool, schema); err != nil || v != 2 {
		t.Fatalf("MigrationVersion = %d, %v; want 2", v, err)
	}
	var applied int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{schema, "goose_db_version"}.Sanitize()+" WHERE version_id > 0").Scan(&applied); err != nil || applied != 2 {
		t.Fatalf("applied rows = %d, %v; want 2 (each migration once)", applied, err)
	}
	if _, err := pool.Exec(ctx, "INSERT INTO items (name, quantity) VALUES ('eggs', 6)"); err != nil {
		t.Fatalf("migrated table unusable: %v", err)
	}
}

func TestMigrate_RejectsBadInput(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	schema, pool := pgtest.NewSchema(t, "migbad")
	tests := []struct {
		name   string
		schema string
		fsys   string
		opts   []postgres.MigrateOption
	}{
		{"invalid schema", "Bad-Schema", "testdata/migrations", nil},
		{"invalid version table", schema, "testdata/migrations", []postgres.MigrateOption{postgres.WithVersionTable("x;y")}},
		{"no migrations at root", schema, "testdata", nil},
	}
	for _, tt := range tests {
		err := postgres.Migrate(ctx, pool, tt.schema, os.DirFS(tt.fsys), tt.opts...)
		if !fault.Is(err, fault.Invalid) {
			t.Errorf("%s: Migrate = %v, want Invalid", tt.name, err)
		}
	}
}

func TestInTx(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	_, pool := pgtest.NewSchema(t, "intx")
	if _, err := pool.Exec(ctx, "CREATE TABLE counters (n int NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	insert := func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO counters (n) VALUES (1)")
		return err
	}
	count := func() int {
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM counters").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	errBoom := errors.New("boom")

	t.Run("commits", func(t *testing.T) {
		if err := postgres.InTx(ctx, pool, insert); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 1 {
			t.Fatalf("rows = %d, want 1", n)
		}
	})
	t.Run("rolls back on error and returns it unchanged", func(t *testing.T) {
		err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
			if err := insert(tx); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if n := count(); n != 1 {
			t.Fatalf("rows = %d, want 1 (rolled back)", n)
		}
	})
	t.Run("rolls back on panic and re-panics", func(t *testing.T) {
		func() {
			defer func() {
				if p := recover(); p != "kaboom" {
					t.Fatalf("recovered %v, want kaboom", p)
				}
			}()
			_ = postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
				if err := insert(tx); err != nil {
					return err
				}
				panic("kaboom")
			})
		}()
		if n := count(); n != 1 {
			t.Fatalf("rows = %d, want 1 (rolled back)", n)
		}
		// The pool still works: the connection went back clean.
		if err := postgres.InTx(ctx, pool, insert); err != nil || count() != 2 {
			t.Fatalf("pool after panic: %v, rows %d", err, count())
		}
	})
}

func TestClassify_MapsDriverErrors(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	_, pool := pgtest.NewSchema(t, "classify")
	if _, err := pool.Exec(ctx, "CREATE TABLE u (k text PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "INSERT INTO u VALUES ('a')"); err != nil {
		t.Fatal(err)
	}
	_, dupErr := pool.Exec(ctx, "INSERT INTO u VALUES ('a')")
	var s string
	noRowsErr := pool.QueryRow(ctx, "SELECT k FROM u WHERE k = 'zzz'").Scan(&s)
	_, syntaxErr := pool.Exec(ctx, "SELEC 1")
	_, refusedErr := pgx.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")

	tests := []struct {
		name      string
		err       error
		want      fault.Kind
		unchanged bool
		retryable bool
	}{
		{name: "unique violation", err: dupErr, want: fault.Conflict},
		{name: "no rows", err: fmt.Errorf("load: %w", noRowsErr), want: fault.NotFound},
		{name: "serialization failure", err: &pgconn.PgError{Code: "40001"}, want: fault.Conflict, retryable: true},
		{name: "deadlock", err: &pgconn.PgError{Code: "40P01"}, want: fault.Conflict, retryable: true},
		{name: "admin shutdown", err: &pgconn.PgError{Code: "57P01"}, want: fault.Unavailable},
		{name: "connection refused", err: refusedErr, want: fault.Unavailable},
		{name: "syntax error stays internal", err: syntaxErr, want: fault.Internal, unchanged: true},
		{name: "classified stays", err: fault.New(fault.Forbidden, "no"), want: fault.Forbidden, unchanged: true},
		{name: "canceled stays", err: context.Canceled, want: fault.Internal, unchanged: true},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Fatalf("%s: the setup produced no error", tt.name)
		}
		got := postgres.Classify(tt.err)
		if k := fault.KindOf(got); k != tt.want {
			t.Errorf("%s: kind %v, want %v (%v)", tt.name, k, tt.want, got)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("%s: cause lost", tt.name)
		}
		if tt.unchanged && got != tt.err { //nolint:errorlint // identity is the point: not rewrapped
			t.Errorf("%s: error was rewrapped", tt.name)
		}
		if postgres.IsRetryable(got) != tt.retryable {
			t.Errorf("%s: IsRetryable = %v", tt.name, !tt.retryable)
		}
	}
	if !postgres.IsUniqueViolation(dupErr) || postgres.IsUniqueViolation(syntaxErr) {
		t.Error("IsUniqueViolation misclassifies")
	}
	if !postgres.IsForeignKeyViolation(fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23503"})) || postgres.IsForeignKeyViolation(dupErr) {
		t.Error("IsForeignKeyViolation misclassifies")
	}
	if postgres.Classify(nil) != nil {
		t.Error("Classify(nil) != nil")
	}
}

func TestNewPool_UnreachableServerIsUnavailableWithoutPassword(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	_, err := postgres.NewPool(ctx, "postgres://svc:s3cret-pw@127.0.0.1:1/db?connect_timeout=2")
	if !fault.Is(err, fault.Unavailable) {
		t.Fatalf("err = %v, want Unavailable", err)
	}
	msg := fault.MessageOf(err)
	if !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("message %q does not name host:port", msg)
	}
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("error leaks the password: %v", err)
	}

	_, err = postgres.NewPool(ctx, "postgres://svc:s3cret-pw@127.0.0.1:notaport/db")
	if !fault.Is(err, fault.Invalid) || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("invalid URL: err = %v, want Invalid without the password", err)
	}
	_, err = postgres.NewPool(ctx, "postgres://127.0.0.1/db", postgres.WithSearchPath("No-Good"))
	if !fault.Is(err, fault.Invalid) {
		t.Errorf("invalid search path: err = %v, want Invalid", err)
	}
}

func TestNewPool_AppliesOptions(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	schema, _ := pgtest.NewSchema(t, "poolopt")
	pool, err := postgres.NewPool(ctx, pgtest.URL(t), postgres.WithMaxConns(3), postgres.WithSearchPath(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if got := pool.Config().MaxConns; got != 3 {
		t.Errorf("MaxConns = %d, want 3", got)
	}
	var sp string
	if err := pool.QueryRow(ctx, "SHOW search_path").Scan(&sp); err != nil || sp != `"`+schema+`"` && sp != schema {
		t.Errorf("search_path = %q, %v; want %s", sp, err, schema)
	}
}

func TestCheck_ReportsReadiness(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	pool, err := postgres.NewPool(ctx, pgtest.URL(t), postgres.WithMaxConns(1))
	if err != nil {
		t.Fatal(err)
	}
	check := postgres.Check(pool)
	if err := check(ctx); err != nil {
		t.Fatalf("Check on a live pool: %v", err)
	}
	pool.Close()
	if err := check(ctx); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("Check on a closed pool = %v, want Unavailable", err)
	}
}
