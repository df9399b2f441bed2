// Package devdb prepares a PostgreSQL database for development and tests:
// it creates the database named in a URL when the server has none by that
// name. Production databases are made by the deployment, not by this.
package devdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Ensure connects to the database in rawURL, creating it through the
// server's "postgres" maintenance database when it does not exist. It
// reports whether it created it.
func Ensure(ctx context.Context, rawURL string) (bool, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return false, fmt.Errorf("not a valid PostgreSQL URL: %w", err)
	}
	cfg.ConnectTimeout = 5 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		return false, conn.Close(ctx)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // 3D000: no such database
		return false, err
	}
	maint := cfg.Copy()
	maint.Database = "postgres"
	conn, err = pgx.ConnectConfig(ctx, maint)
	if err != nil {
		return false, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{cfg.Database}.Sanitize()); err != nil {
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created by someone else meanwhile
			return false, nil
		}
		return false, fmt.Errorf("create database %s: %w", cfg.Database, err)
	}
	return true, nil
}
