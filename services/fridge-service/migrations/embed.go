// Package migrations embeds fridge-service's goose migrations for the
// "fridge" schema. They are also sqlc's schema source.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
