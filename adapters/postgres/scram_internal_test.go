package postgres

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

// TestScramVerifier_MatchesServer lets the server hash a password, then
// recomputes the verifier with the server's salt and iteration count: equal
// strings prove Bootstrap stores verifiers the server will accept.
func TestScramVerifier_MatchesServer(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := pgtest.AdminPool(t)
	role := pgtest.Name(t, "scram")
	const password = `pa55 w0rd with 'quotes' and \backslash`
	err := InTx(ctx, admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL password_encryption = 'scram-sha-256'"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "CREATE ROLE "+role); err != nil {
			return err
		}
		t.Cleanup(func() { _, _ = admin.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) })
		var stmt string
		if err := tx.QueryRow(ctx, "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", role, password).Scan(&stmt); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, stmt)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := admin.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = $1", role).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	// SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
	head, _, ok := strings.Cut(strings.TrimPrefix(stored, "SCRAM-SHA-256$"), "$")
	iterText, saltText, ok2 := strings.Cut(head, ":")
	if !ok || !ok2 {
		t.Fatalf("unexpected verifier format %q", stored)
	}
	iterations, err := strconv.Atoi(iterText)
	if err != nil {
		t.Fatal(err)
	}
	salt, err := base64.StdEncoding.DecodeString(saltText)
	if err != nil {
		t.Fatal(err)
	}
	got, err := scramVerifier(password, salt, iterations)
	if err != nil {
		t.Fatal(err)
	}
	if got != stored {
		t.Fatalf("scramVerifier = %q, server stored %q", got, stored)
	}
}
