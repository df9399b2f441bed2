// Package migrations embeds brand-analytics-service's goose migrations for the
// "analytics" schema. They are also sqlc's schema source.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
