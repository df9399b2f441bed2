package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/packytrace/packytrace/adapters/envconfig"
)

// service is one platform process the stack starts.
type service struct {
	Name   string // binary and service name
	Short  string // API path segment: /api/v1/<short>
	Schema string
	Role   string
	Addr   string
	// BackendEnv is the gateway variable that points at this service.
	BackendEnv string
}

// config is the launcher's configuration; every address is loopback.
type config struct {
	BinDir      string
	Env         string // PACKYTRACE_ENV; the OpenID provider refuses anything but "dev"
	DatabaseURL string // admin URL, empty = try the local server
	KafkaAddr   string
	OIDCAddr    string
	GatewayAddr string
	Services    []service // started before the gateway
	Gateway     service
	// RolePassword is the dev-only password given to every service role, so
	// the stack also works against a server that does not trust local users.
	RolePassword string
}

const devRolePassword = "dev-only-not-a-secret"

func loadConfig(getenv func(string) string, binDir string) (config, error) {
	r := envconfig.New(getenv)
	c := config{
		BinDir:       binDir,
		Env:          r.String("PACKYTRACE_ENV", "dev"),
		DatabaseURL:  r.String("DATABASE_URL", ""),
		KafkaAddr:    r.String("PACKYTRACE_KAFKA_ADDR", "127.0.0.1:19092"),
		OIDCAddr:     r.String("PACKYTRACE_OIDC_ADDR", "127.0.0.1:8180"),
		GatewayAddr:  r.String("PACKYTRACE_GATEWAY_ADDR", "127.0.0.1:8080"),
		RolePassword: devRolePassword,
	}
	basePort := r.Int("PACKYTRACE_SERVICE_BASE_PORT", 8081, 1024, 65000)
	for _, a := range []struct{ name, value string }{{"PACKYTRACE_KAFKA_ADDR", c.KafkaAddr}, {"PACKYTRACE_OIDC_ADDR", c.OIDCAddr}, {"PACKYTRACE_GATEWAY_ADDR", c.GatewayAddr}} {
		host, _, err := net.SplitHostPort(a.value)
		ip := net.ParseIP(host)
		r.Check(err == nil && ip != nil && ip.IsLoopback(), a.name, "must be a loopback host:port like 127.0.0.1:8080, got %q", a.value)
	}
	if err := r.Err(); err != nil {
		return config{}, err
	}
	defs := []struct{ name, short, schema, role string }{
		{"identity-service", "identity", "identity", "identity_service"},
		{"passport-service", "passport", "passport", "passport_service"},
		{"fridge-service", "fridge", "fridge", "fridge_service"},
		{"measurement-pipeline", "measurement", "measurement", "measurement_pipeline"},
		{"personalization-service", "personalization", "personalization", "personalization_service"},
		{"brand-analytics-service", "analytics", "analytics", "brand_analytics_service"},
	}
	for i, d := range defs {
		c.Services = append(c.Services, service{
			Name: d.name, Short: d.short, Schema: d.schema, Role: d.role,
			Addr:       net.JoinHostPort("127.0.0.1", strconv.Itoa(basePort+i)),
			BackendEnv: "BACKEND_" + strings.ToUpper(d.short) + "_URL",
		})
	}
	c.Gateway = service{Name: "api-gateway", Short: "gateway", Schema: "gateway", Role: "api_gateway", Addr: c.GatewayAddr}
	for _, s := range append(c.Services, c.Gateway) {
		if _, err := os.Stat(filepath.Join(binDir, s.Name)); err != nil {
			return config{}, fmt.Errorf("service binary %s not found in %s: build with `make build` (make run does it)", s.Name, binDir)
		}
	}
	return c, nil
}
