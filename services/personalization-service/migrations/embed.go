// Package migrations embeds personalization-service's goose migrations for the
// "personalization" schema. They are also sqlc's schema source.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
