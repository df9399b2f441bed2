package config_test

import (
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/personalization-service/internal/config"
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
		"DATABASE_URL":  "postgres://personalization_service:pw@127.0.0.1:5432/packytrace",
		"KAFKA_BROKERS": "127.0.0.1:19092",
		"OIDC_ISSUER":   "http://127.0.0.1:8180/realms/packytrace",
		"HTTP_ADDR":     "127.0.0.1:9999",
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Schema.Name != "personalization" || cfg.Schema.Role != "personalization_service" || cfg.BasePath != "/api/v1/personalization" {
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
