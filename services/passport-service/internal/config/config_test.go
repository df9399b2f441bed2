package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/config"
)

func TestLoad_ReportsMissingVariables(t *testing.T) {
	t.Parallel()
	_, err := config.Load(func(string) string { return "" }, "test")
	if err == nil {
		t.Fatal("Load accepted an empty environment")
	}
	for _, name := range []string{"DATABASE_URL", "OIDC_ISSUER"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestLoad_ReadsValidEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DATABASE_URL":  "postgres://passport_service:pw@127.0.0.1:5432/packytrace",
		"KAFKA_BROKERS": "127.0.0.1:19092",
		"OIDC_ISSUER":   "http://127.0.0.1:8180/realms/packytrace",
		"HTTP_ADDR":     "127.0.0.1:9999",
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Schema.Name != "passport" || cfg.Schema.Role != "passport_service" || cfg.BasePath != "/api/v1/passport" {
		t.Fatalf("unexpected identity: %+v", cfg.Config)
	}
	if cfg.HTTPAddr != "127.0.0.1:9999" || cfg.Version != "1.2.3" {
		t.Fatalf("unexpected values: %+v", cfg.Config)
	}
	if cfg.Auth.JWKSURL != "http://127.0.0.1:8180/realms/packytrace/protocol/openid-connect/certs" {
		t.Fatalf("JWKS URL default = %q", cfg.Auth.JWKSURL)
	}
	for _, a := range cfg.Values {
		if strings.Contains(a.Value.String(), ":pw@") {
			t.Fatalf("password logged: %v", a)
		}
	}
}

func TestLoad_ResolverRoot(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"DATABASE_URL":  "postgres://passport_service@127.0.0.1:5432/packytrace",
		"KAFKA_BROKERS": "127.0.0.1:19092",
		"OIDC_ISSUER":   "http://127.0.0.1:8180/realms/packytrace",
	}
	tests := []struct {
		value, want string
		ok          bool
	}{
		{"", config.DefaultResolverRoot, true},
		{"https://id.packytrace.example", "https://id.packytrace.example", true},
		{"https://id.packytrace.example/", "https://id.packytrace.example", true},
		{"https://packytrace.example/id/", "https://packytrace.example/id", true},
		{"ftp://id.packytrace.example", "", false},
		{"id.packytrace.example", "", false},
		{"https://id.packytrace.example/?x=1", "", false},
		{"https://user:pw@id.packytrace.example", "", false},
	}
	for _, tt := range tests {
		env := map[string]string{"RESOLVER_ROOT": tt.value}
		for k, v := range base {
			env[k] = v
		}
		cfg, err := config.Load(func(k string) string { return env[k] }, "test")
		if tt.ok != (err == nil) {
			t.Errorf("RESOLVER_ROOT=%q: err = %v", tt.value, err)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), "RESOLVER_ROOT") || strings.Contains(err.Error(), ":pw@") {
				t.Errorf("RESOLVER_ROOT=%q: error %v does not name the variable or leaks a password", tt.value, err)
			}
			continue
		}
		if cfg.ResolverRoot != tt.want {
			t.Errorf("RESOLVER_ROOT=%q: ResolverRoot = %q, want %q", tt.value, cfg.ResolverRoot, tt.want)
		}
	}
}

func TestLoad_ScanRecording(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"DATABASE_URL":  "postgres://passport_service@127.0.0.1:5432/packytrace",
		"KAFKA_BROKERS": "127.0.0.1:19092",
		"OIDC_ISSUER":   "http://127.0.0.1:8180/realms/packytrace",
	}
	load := func(extra map[string]string) (config.Config, error) {
		return config.Load(func(k string) string {
			if v, ok := extra[k]; ok {
				return v
			}
			return base[k]
		}, "test")
	}
	cfg, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (config.Scans{Enabled: true, BatchSize: 500, FlushInterval: 100 * time.Millisecond, Buffer: 10_000, ValidateEvery: 128}); cfg.Scans != want {
		t.Fatalf("defaults %+v, want %+v", cfg.Scans, want)
	}
	cfg, err = load(map[string]string{"SCAN_RECORDING": "false", "SCAN_BATCH_SIZE": "50", "SCAN_FLUSH_INTERVAL": "250ms",
		"SCAN_BUFFER": "50", "SCAN_REGION_HEADER": "CloudFront-Viewer-Country", "SCAN_VALIDATE_EVERY": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (config.Scans{BatchSize: 50, FlushInterval: 250 * time.Millisecond, Buffer: 50, RegionHeader: "CloudFront-Viewer-Country", ValidateEvery: 1}); cfg.Scans != want {
		t.Fatalf("read %+v, want %+v", cfg.Scans, want)
	}
	for name, env := range map[string]map[string]string{
		"SCAN_BATCH_SIZE":     {"SCAN_BATCH_SIZE": "0"},
		"SCAN_FLUSH_INTERVAL": {"SCAN_FLUSH_INTERVAL": "soon"},
		"SCAN_BUFFER":         {"SCAN_BUFFER": "100", "SCAN_BATCH_SIZE": "200"},
		"SCAN_REGION_HEADER":  {"SCAN_REGION_HEADER": "Viewer Country"},
		"SCAN_RECORDING":      {"SCAN_RECORDING": "maybe"},
		"SCAN_VALIDATE_EVERY": {"SCAN_VALIDATE_EVERY": "0"},
	} {
		if _, err := load(env); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v, want one naming %s", env, err, name)
		}
	}
}
