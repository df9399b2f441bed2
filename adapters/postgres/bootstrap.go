package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/fault"
)

// Schema names a service's schema and the login role that owns it.
type Schema struct {
	// Name is the schema, e.g. "fridge".
	Name string
	// Role is the service's login role, e.g. "fridge_service".
	Role string
	// Password is set on the role when not empty; empty leaves the role
	// without one (trust or peer authentication in development).
	Password string
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidateName checks that name is a plain lower-case Postgres identifier
// (at most 63 characters, [a-z][a-z0-9_]*) and returns an Invalid error
// otherwise. Schema and role names are restricted this way so that they read
// the same quoted and unquoted, in SQL and in search_path.
func ValidateName(name string) error {
	if !namePattern.MatchString(name) {
		return fault.Newf(fault.Invalid, "postgres: %q is not a valid name (want [a-z][a-z0-9_]{0,62})", name)
	}
	return nil
}

// bootstrapLockKey serialises concurrent Bootstrap calls on one database; the
// value is arbitrary but fixed.
var bootstrapLockKey = lockKey("packytrace.postgres.bootstrap")

// lockKey derives a stable advisory-lock key from a name.
func lockKey(name string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return int64(h.Sum64()) // a hash folded into Postgres' bigint key space on purpose
}

// Bootstrap gives a service its schema and a role confined to it. It is
// idempotent and safe to run from several processes at once (an advisory
// transaction lock serialises the runs). admin must be a superuser pool, or
// one allowed to create roles and owning the public schema.
//
// The role gets LOGIN and nothing else (NOSUPERUSER NOCREATEDB NOCREATEROLE
// NOINHERIT), CONNECT on the current database, ownership of its schema and
// that schema as its search_path. The public schema loses all privileges for
// PUBLIC and for the role, so unqualified names cannot land there. An existing
// schema owned by another role, or an existing superuser role of that name,
// is a Conflict: Bootstrap never takes over objects it did not create.
func Bootstrap(ctx context.Context, admin *pgxpool.Pool, s Schema) error {
	if err := ValidateName(s.Name); err != nil {
		return err
	}
	if err := ValidateName(s.Role); err != nil {
		return err
	}
	err := InTx(ctx, admin, func(tx pgx.Tx) error { return bootstrap(ctx, tx, s) })
	if sqlState(err) == "42710" || IsUniqueViolation(err) {
		// Roles are cluster-wide while the advisory lock is per database: a
		// bootstrap in another database may have created the role between
		// our check and our CREATE ROLE. Once more finds it.
		err = InTx(ctx, admin, func(tx pgx.Tx) error { return bootstrap(ctx, tx, s) })
	}
	if err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) {
			return err
		}
		return Classify(fmt.Errorf("postgres: bootstrap schema %s: %w", s.Name, err))
	}
	return nil
}

func bootstrap(ctx context.Context, tx pgx.Tx, s Schema) error {
	role := pgx.Identifier{s.Role}.Sanitize()
	schema := pgx.Identifier{s.Name}.Sanitize()
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", bootstrapLockKey); err != nil {
		return err
	}

	var exists, super bool
	err := tx.QueryRow(ctx,
		"SELECT true, rolsuper FROM pg_roles WHERE rolname = $1", s.Role).Scan(&exists, &super)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	const attrs = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
	switch {
	case super:
		return fault.Newf(fault.Conflict, "postgres: role %s exists and is a superuser; refusing to use it as a service role", s.Role)
	case exists:
		if _, err := tx.Exec(ctx, "ALTER ROLE "+role+attrs); err != nil {
			return err
		}
	default:
		if _, err := tx.Exec(ctx, "CREATE ROLE "+role+attrs); err != nil {
			return err
		}
	}
	if s.Password != "" {
		if err := setPassword(ctx, tx, role, s.Password); err != nil {
			return err
		}
	}

	var db string
	if err := tx.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "GRANT CONNECT ON DATABASE "+pgx.Identifier{db}.Sanitize()+" TO "+role); err != nil {
		return err
	}

	var owner string
	err = tx.QueryRow(ctx,
		`SELECT r.rolname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = $1`,
		s.Name).Scan(&owner)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema+" AUTHORIZATION "+role); err != nil {
			return err
		}
	case err != nil:
		return err
	case owner != s.Role:
		return fault.Newf(fault.Conflict, "postgres: schema %s exists and is owned by %s, not %s", s.Name, owner, s.Role)
	}

	var hasPublic bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public')").Scan(&hasPublic); err != nil {
		return err
	}
	if hasPublic {
		if _, err := tx.Exec(ctx, "REVOKE ALL ON SCHEMA public FROM PUBLIC"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "REVOKE ALL ON SCHEMA public FROM "+role); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, "ALTER ROLE "+role+" SET search_path = "+schema)
	return err
}

// scramIterations is Postgres' own default for SCRAM-SHA-256 verifiers.
const scramIterations = 4096

// setPassword stores a SCRAM-SHA-256 verifier computed here, so the clear
// password never reaches the server (nor its statement log). Passwords
// outside printable ASCII would need SASLprep normalisation, which the server
// applies and this package does not; those are quoted and hashed server-side.
func setPassword(ctx context.Context, tx pgx.Tx, role, password string) error {
	if printableASCII(password) {
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		verifier, err := scramVerifier(password, salt, scramIterations)
		if err != nil {
			return err
		}
		// A verifier is base64, digits, '$' and ':' only: nothing to escape.
		_, err = tx.Exec(ctx, "ALTER ROLE "+role+" PASSWORD '"+verifier+"'")
		return err
	}
	var stmt string
	if err := tx.QueryRow(ctx, "SELECT format('ALTER ROLE %s PASSWORD %L', $1::text, $2::text)", role, password).Scan(&stmt); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, stmt)
	return err
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// scramVerifier builds the verifier Postgres stores for a SCRAM-SHA-256
// password (RFC 5802, RFC 7677): iterations, salt, StoredKey and ServerKey.
func scramVerifier(password string, salt []byte, iterations int) (string, error) {
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	serverKey := hmacSHA256(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return "SCRAM-SHA-256$" + strconv.Itoa(iterations) + ":" + b64(salt) + "$" +
		b64(storedKey[:]) + ":" + b64(serverKey), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
