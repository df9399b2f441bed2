package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/packytrace/packytrace/adapters/fault"
)

// SQLSTATE codes this package reacts to.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeForeignKeyViolation  = "23503"
	codeTooManyConnections   = "53300"
	codeAdminShutdown        = "57P01"
	codeCrashShutdown        = "57P02"
	codeCannotConnectNow     = "57P03"
)

// IsUniqueViolation reports whether err is (or wraps) a unique-constraint
// violation, SQLSTATE 23505.
func IsUniqueViolation(err error) bool {
	return sqlState(err) == codeUniqueViolation
}

// IsForeignKeyViolation reports whether err is (or wraps) a foreign-key
// violation, SQLSTATE 23503: a row refers to one that does not exist.
func IsForeignKeyViolation(err error) bool {
	return sqlState(err) == codeForeignKeyViolation
}

// IsRetryable reports whether err is a serialization failure or a deadlock
// (SQLSTATE 40001, 40P01): the transaction did nothing and running it again
// from the start may succeed.
func IsRetryable(err error) bool {
	switch sqlState(err) {
	case codeSerializationFailure, codeDeadlockDetected:
		return true
	}
	return false
}

// Classify translates a driver error into a fault kind, wrapping it so the
// cause stays reachable with errors.Is/As: no rows is NotFound, a unique
// violation is Conflict, a serialization failure or deadlock is a Conflict
// that IsRetryable reports, a lost or refused connection is Unavailable.
// Errors that are already classified, and all others, are returned unchanged.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fault.Wrap(fault.NotFound, err, "not found")
	}
	state := sqlState(err)
	switch {
	case state == codeUniqueViolation:
		return fault.Wrap(fault.Conflict, err, "already exists")
	case state == codeSerializationFailure || state == codeDeadlockDetected:
		return fault.Wrap(fault.Conflict, err, "concurrent update, try again")
	case strings.HasPrefix(state, "08"), // connection exception class
		state == codeTooManyConnections,
		state == codeAdminShutdown, state == codeCrashShutdown, state == codeCannotConnectNow:
		return fault.Wrap(fault.Unavailable, err, "database unavailable")
	case state != "":
		return err
	}
	if isConnectionError(err) {
		return fault.Wrap(fault.Unavailable, err, "database unavailable")
	}
	return err
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// isConnectionError reports failures of the connection itself rather than of
// a statement: refused or dropped connections and timeouts. A canceled
// context is the caller giving up, not the database failing, so it is not
// one.
func isConnectionError(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	if pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	// pgx reports a connection closed underneath a pool as a plain error.
	return strings.Contains(err.Error(), "conn closed")
}
