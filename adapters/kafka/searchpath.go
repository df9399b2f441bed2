package kafka

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
)

// The statements in this file set search_path and so stay hand-written:
// they touch no table and sqlc cannot generate session or transaction
// settings. The same holds for the relay's pg_advisory_lock and for LISTEN,
// whose channel is an identifier built at run time.

// searchPath is the search_path value that resolves the adapter's
// unqualified table names in schema alone. schema must have passed
// postgres.ValidateName.
func searchPath(schema string) string { return pgx.Identifier{schema}.Sanitize() }

// setSearchPathSQL pins search_path until the end of the current
// transaction: set_config's third argument makes it transaction-local, like
// SET LOCAL, but it takes the value as a parameter.
const setSearchPathSQL = "SELECT set_config('search_path', $1, true)"

// txInSchema returns the options of a transaction the adapter owns, with
// access mode access ("" for the default). Its BEGIN carries SET LOCAL
// search_path: with no arguments pgx sends the two statements as one simple
// query, so the setting costs no round trip, and it is in force before any
// statement of the transaction is parsed.
func txInSchema(path string, access pgx.TxAccessMode) pgx.TxOptions {
	begin := "BEGIN"
	if access != "" {
		begin += " " + string(access)
	}
	return pgx.TxOptions{BeginQuery: begin + "; SET LOCAL search_path = " + path}
}

// preparedKey marks, in a connection's CustomData, a query that callerTx has
// prepared on it with search_path pinned.
const preparedKey = "packytrace/kafka prepared: "

// callerTx runs generated queries inside a transaction the adapter does not
// own (Outbox.Add) and pins that transaction's search_path to the adapter's
// schema before the first of them, in the same round trip: the first Exec is
// sent as a pgx batch of set_config and the query. The setting is
// transaction-local, so it ends with the caller's transaction; until then it
// names the service's own schema, the one its role defaults to, and service
// queries name their schema anyway.
//
// A batch prepares the statements it has not seen before running any of
// them, that is before its set_config: a new statement would be parsed under
// the caller's search_path, which need not reach the schema. So the first
// use of a query on a connection pins search_path first and prepares the
// query explicitly; afterwards pgx runs the prepared statement, and Postgres
// re-resolves its tables whenever search_path differs from when it was
// planned, so it always reaches the pinned schema.
//
// A callerTx is used by one Add call, never concurrently.
type callerTx struct {
	tx     pgx.Tx
	path   string
	pinned bool // search_path is pinned for the rest of tx
}

var _ outboxdb.DBTX = (*callerTx)(nil)

// pin sets search_path in its own round trip; only needed before a
// statement that cannot carry set_config in a batch.
func (c *callerTx) pin(ctx context.Context) error {
	if c.pinned {
		return nil
	}
	if _, err := c.tx.Exec(ctx, setSearchPathSQL, c.path); err != nil {
		return fmt.Errorf("set search_path: %w", err)
	}
	c.pinned = true
	return nil
}

// prepare makes sql a prepared statement of the connection, parsed with
// search_path pinned, unless it already is.
func (c *callerTx) prepare(ctx context.Context, sql string) error {
	conn := c.tx.Conn()
	data := conn.PgConn().CustomData()
	key := preparedKey + sql
	if _, ok := data[key]; ok {
		return nil
	}
	if err := c.pin(ctx); err != nil {
		return err
	}
	// The simple protocol prepares nothing: a batch is one query string
	// whose statements are parsed one after the other.
	if conn.Config().DefaultQueryExecMode != pgx.QueryExecModeSimpleProtocol {
		if _, err := conn.Prepare(ctx, sql, sql); err != nil {
			return err
		}
	}
	data[key] = struct{}{}
	return nil
}

// Exec runs sql, preceded in the same round trip by set_config unless
// search_path is already pinned.
func (c *callerTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := c.prepare(ctx, sql); err != nil {
		return pgconn.CommandTag{}, err
	}
	if c.pinned {
		return c.tx.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(setSearchPathSQL, c.path)
	b.Queue(sql, args...)
	br := c.tx.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return pgconn.CommandTag{}, err
	}
	c.pinned = true
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

// Query runs sql after pinning search_path in a round trip of its own.
func (c *callerTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := c.prepare(ctx, sql); err != nil {
		return nil, err
	}
	if err := c.pin(ctx); err != nil {
		return nil, err
	}
	return c.tx.Query(ctx, sql, args...)
}

// QueryRow is Query for one row.
func (c *callerTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := c.prepare(ctx, sql); err != nil {
		return errRow{err}
	}
	if err := c.pin(ctx); err != nil {
		return errRow{err}
	}
	return c.tx.QueryRow(ctx, sql, args...)
}

// errRow is a row whose Scan reports the error that prevented the query.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
