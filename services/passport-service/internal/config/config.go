// Package config reads passport-service's configuration from the environment
// once, at start, and validates all of it.
package config

import (
	"log/slog"
	"strings"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/envconfig"
	"github.com/packytrace/packytrace/adapters/postgres"
)

// DefaultResolverRoot is RESOLVER_ROOT for local development.
const DefaultResolverRoot = "http://localhost:8080"

// Service is the service's name in logs, metrics and events.
const Service = "passport-service"

// The service's API base path, Postgres schema and Postgres role.
const (
	BasePath   = "/api/v1/passport"
	SchemaName = "passport"
	RoleName   = "passport_service"
)

// Config is passport-service's configuration.
type Config struct {
	daemon.Config
	// ResolverRoot is the GS1 resolver's public root URL (RESOLVER_ROOT):
	// scheme, host and optional path prefix, no trailing slash. Linkset
	// anchors, Link headers and /.well-known/gs1resolver name it; it never
	// comes from a request's Host header.
	ResolverRoot string
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
	if u := r.URL("RESOLVER_ROOT", DefaultResolverRoot, false, "http", "https"); u != nil {
		r.Check(u.RawQuery == "" && u.Fragment == "" && u.User == nil, "RESOLVER_ROOT",
			"must have no query, fragment or user info, got %q", u.Redacted())
		c.ResolverRoot = strings.TrimRight(u.String(), "/")
	}
	if err := r.Err(); err != nil {
		return Config{}, err
	}
	c.Values = r.Values()
	return c, nil
}
