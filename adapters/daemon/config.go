package daemon

import (
	"log/slog"
	"time"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/envconfig"
	"github.com/packytrace/packytrace/adapters/postgres"
)

// Config is the part of a service's configuration every PackyTrace process
// shares. A service's own config package embeds it and adds its own fields.
type Config struct {
	Service string // e.g. "fridge-service"
	Version string // build version
	// BasePath is where the service's API is mounted, e.g. /api/v1/fridge.
	BasePath string

	HTTPAddr string
	// DebugAddr, when set, serves net/http/pprof on a separate listener
	// that must stay private (loopback or the internal network).
	DebugAddr       string
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	LogLevel        slog.Level

	// DatabaseURL connects as the service's own role.
	DatabaseURL      string
	DatabaseMaxConns int32
	// DatabaseAdminURL, when set, lets `migrate` bootstrap the schema and
	// role before migrating. Only the migrate subcommand reads it.
	DatabaseAdminURL string
	// DatabaseRolePassword is the password bootstrap gives the role; empty
	// means none (local trust or peer authentication).
	DatabaseRolePassword string
	Schema               postgres.Schema

	// KafkaBrokers is empty for a service that uses no broker.
	KafkaBrokers []string
	UsesKafka    bool

	Auth auth.Config
}

// Spec names a service for LoadConfig.
type Spec struct {
	Service   string
	Version   string
	BasePath  string
	Schema    postgres.Schema
	UsesKafka bool
}

// LoadConfig reads the shared variables through r. Problems are recorded in
// r; the caller reads r.Err() after adding its own variables.
//
//	HTTP_ADDR             listen address (default 127.0.0.1:8080)
//	DEBUG_ADDR            pprof listener, off when unset; never expose it publicly
//	SHUTDOWN_TIMEOUT      graceful shutdown limit (default 20s)
//	HTTP_MAX_BODY_BYTES   request body limit (default 1 MiB)
//	LOG_LEVEL             debug, info, warn, error (default info)
//	DATABASE_URL          the service role's connection URL (required)
//	DATABASE_MAX_CONNS    pool size (default 10)
//	DATABASE_ADMIN_URL    admin URL for `migrate` to bootstrap schema and role (optional)
//	DATABASE_ROLE_PASSWORD password bootstrap sets on the role (optional, secret)
//	KAFKA_BROKERS         comma-separated seed brokers (required when the service uses Kafka)
//	OIDC_ISSUER           exact token issuer, e.g. https://auth.example.com/realms/packytrace (required)
//	OIDC_JWKS_URL         JWKS location (default OIDC_ISSUER + /protocol/openid-connect/certs)
//	OIDC_AUDIENCE         required audience (default packytrace-api)
func LoadConfig(r *envconfig.Reader, s Spec) Config {
	c := Config{
		Service:         s.Service,
		Version:         s.Version,
		BasePath:        s.BasePath,
		Schema:          s.Schema,
		UsesKafka:       s.UsesKafka,
		HTTPAddr:        r.String("HTTP_ADDR", "127.0.0.1:8080"),
		DebugAddr:       r.String("DEBUG_ADDR", ""),
		ShutdownTimeout: r.Duration("SHUTDOWN_TIMEOUT", 20*time.Second, time.Second, 10*time.Minute),
		MaxBodyBytes:    int64(r.Int("HTTP_MAX_BODY_BYTES", 1<<20, 1024, 1<<30)),
		LogLevel:        r.Level("LOG_LEVEL", slog.LevelInfo),
	}
	if u := r.URL("DATABASE_URL", "", true, "postgres", "postgresql"); u != nil {
		c.DatabaseURL = u.String()
	}
	c.DatabaseMaxConns = int32(r.Int("DATABASE_MAX_CONNS", 10, 1, 1000))
	if u := r.URL("DATABASE_ADMIN_URL", "", false, "postgres", "postgresql"); u != nil {
		c.DatabaseAdminURL = u.String()
	}
	c.DatabaseRolePassword = r.Secret("DATABASE_ROLE_PASSWORD", "")
	if s.UsesKafka {
		c.KafkaBrokers = r.List("KAFKA_BROKERS", nil)
		r.Check(len(c.KafkaBrokers) > 0, "KAFKA_BROKERS", "is required but not set")
	}
	issuer := r.URL("OIDC_ISSUER", "", true, "http", "https")
	if issuer != nil {
		c.Auth.Issuer = issuer.String()
		if jwks := r.URL("OIDC_JWKS_URL", c.Auth.Issuer+"/protocol/openid-connect/certs", false, "http", "https"); jwks != nil {
			c.Auth.JWKSURL = jwks.String()
		}
	}
	c.Auth.Audience = r.String("OIDC_AUDIENCE", "packytrace-api")
	return c
}
