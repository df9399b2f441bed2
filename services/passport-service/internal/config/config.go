// Package config reads passport-service's configuration from the environment
// once, at start, and validates all of it.
package config

import (
	"log/slog"
	"strings"
	"time"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/envconfig"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/scanrecorder"
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
	// Scans configures scan recording.
	Scans Scans
	// Values are the variables read, secrets masked, for the start-up log.
	Values []slog.Attr
}

// Scans configures the recording of resolver scans. A crash loses at most
// the scans buffered in memory: up to Buffer, normally those of the last
// FlushInterval; a graceful shutdown loses none.
type Scans struct {
	// Enabled turns recording on (SCAN_RECORDING, default true).
	Enabled bool
	// BatchSize is the most scans written to the outbox in one transaction
	// (SCAN_BATCH_SIZE, default 500).
	BatchSize int
	// FlushInterval is the longest a scan waits in memory before its batch
	// is written (SCAN_FLUSH_INTERVAL, default 100ms).
	FlushInterval time.Duration
	// Buffer is the most scans held in memory; resolver requests wait for
	// room while it is full (SCAN_BUFFER, default 10000, at least
	// SCAN_BATCH_SIZE).
	Buffer int
	// RegionHeader names the request header a trusted edge sets to the
	// viewer's country (SCAN_REGION_HEADER, e.g. CloudFront-Viewer-Country;
	// default none: the region comes from Accept-Language).
	RegionHeader string
	// ValidateEvery is how many scan events share one full JSON Schema
	// validation on produce: the first of each batch and one in every
	// ValidateEvery are validated (SCAN_VALIDATE_EVERY, default 128; 1
	// validates every event). See ADR 0015.
	ValidateEvery int
}

// DefaultScanValidateEvery is SCAN_VALIDATE_EVERY's default.
const DefaultScanValidateEvery = 128

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
	c.Scans = Scans{
		Enabled:       r.Bool("SCAN_RECORDING", true),
		BatchSize:     r.Int("SCAN_BATCH_SIZE", scanrecorder.DefaultBatchSize, 1, 10_000),
		FlushInterval: r.Duration("SCAN_FLUSH_INTERVAL", scanrecorder.DefaultFlushInterval, time.Millisecond, time.Minute),
		Buffer:        r.Int("SCAN_BUFFER", scanrecorder.DefaultBuffer, 1, 1_000_000),
		RegionHeader:  r.String("SCAN_REGION_HEADER", ""),
		ValidateEvery: r.Int("SCAN_VALIDATE_EVERY", DefaultScanValidateEvery, 1, 1_000_000),
	}
	r.Check(c.Scans.Buffer >= c.Scans.BatchSize, "SCAN_BUFFER",
		"must be at least SCAN_BATCH_SIZE (%d), got %d", c.Scans.BatchSize, c.Scans.Buffer)
	r.Check(c.Scans.RegionHeader == "" || headerName(c.Scans.RegionHeader), "SCAN_REGION_HEADER",
		"must be an HTTP header name (letters, digits and !#$%%&'*+-.^_`|~), got %q", c.Scans.RegionHeader)
	if err := r.Err(); err != nil {
		return Config{}, err
	}
	c.Values = r.Values()
	return c, nil
}

// headerName reports whether s is an RFC 9110 field name (a token).
func headerName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return s != ""
}
