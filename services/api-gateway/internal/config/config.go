// Package config reads api-gateway's configuration from the environment
// once, at start, and validates all of it.
package config

import (
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/envconfig"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
)

// Service is the gateway's name in logs, metrics and events.
const Service = "api-gateway"

// The service's API base path, Postgres schema and Postgres role.
const (
	BasePath   = "/api/v1/gateway"
	SchemaName = "gateway"
	RoleName   = "api_gateway"
)

// Config is api-gateway's configuration.
type Config struct {
	daemon.Config
	// Backends maps each service to its base URL (scheme and host).
	Backends       map[route.Backend]*url.URL
	ProxyTimeout   time.Duration
	DialTimeout    time.Duration
	TrustedProxies []netip.Prefix
	// Values are the variables read, secrets masked, for the start-up log.
	Values []slog.Attr
}

// Load reads and validates the configuration, reporting every problem at once.
//
//	BACKEND_<SHORT>_URL  base URL of each service, e.g. BACKEND_PASSPORT_URL=http://passport-service:8080 (required)
//	PROXY_TIMEOUT        wait for a backend's response headers before 504 (default 10s)
//	PROXY_DIAL_TIMEOUT   wait to connect to a backend before 502 (default 2s)
//	TRUSTED_PROXIES      CIDRs whose X-Forwarded-* headers are believed (e.g. Caddy's network); their X-Forwarded-Proto: https makes the visitor cookie Secure
func Load(getenv func(string) string, version string) (Config, error) {
	r := envconfig.New(getenv)
	c := Config{Config: daemon.LoadConfig(r, daemon.Spec{
		Service:  Service,
		Version:  version,
		BasePath: BasePath,
		Schema:   postgres.Schema{Name: SchemaName, Role: RoleName},
	})}
	c.Backends = map[route.Backend]*url.URL{}
	for short, backend := range route.ShortNames() {
		if backend == route.Gateway {
			continue
		}
		if u := r.URL("BACKEND_"+strings.ToUpper(short)+"_URL", "", true, "http", "https"); u != nil {
			c.Backends[backend] = u
		}
	}
	c.ProxyTimeout = r.Duration("PROXY_TIMEOUT", 10*time.Second, 100*time.Millisecond, 5*time.Minute)
	c.DialTimeout = r.Duration("PROXY_DIAL_TIMEOUT", 2*time.Second, 10*time.Millisecond, time.Minute)
	for _, cidr := range r.List("TRUSTED_PROXIES", nil) {
		prefix, err := netip.ParsePrefix(cidr)
		r.Check(err == nil, "TRUSTED_PROXIES", "must be comma-separated CIDRs like 172.18.0.0/16, got %q", cidr)
		if err == nil {
			c.TrustedProxies = append(c.TrustedProxies, prefix)
		}
	}
	if err := r.Err(); err != nil {
		return Config{}, err
	}
	c.Values = r.Values()
	return c, nil
}
