// Package config reads fridge-service's configuration from the environment
// once, at start, and validates all of it.
package config

import (
	"log/slog"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/envconfig"
	"github.com/packytrace/packytrace/adapters/postgres"
)

// Service is the service's name in logs, metrics and events.
const Service = "fridge-service"

// The service's API base path, Postgres schema and Postgres role.
const (
	BasePath   = "/api/v1/fridge"
	SchemaName = "fridge"
	RoleName   = "fridge_service"
)

// Config is fridge-service's configuration.
type Config struct {
	daemon.Config
	// Values are the variables read, secrets masked, for the start-up log.
	Values []slog.Attr
}

// Load reads and validates the configuration, reporting every problem at once.
func Load(getenv func(string) string, version string) (Config, error) {
	r := envconfig.New(getenv)
	c := Config{Config: daemon.LoadConfig(r, daemon.Spec{
		Service:   Service,
		Version:   version,
		BasePath:  BasePath,
		Schema:    postgres.Schema{Name: SchemaName, Role: RoleName},
		UsesKafka: true,
	})}
	if err := r.Err(); err != nil {
		return Config{}, err
	}
	c.Values = r.Values()
	return c, nil
}
