package config_test

import (
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/config"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
)

func validEnv() map[string]string {
	return map[string]string{
		"DATABASE_URL":                "postgres://api_gateway@127.0.0.1:5432/packytrace",
		"OIDC_ISSUER":                 "http://127.0.0.1:8180/realms/packytrace",
		"BACKEND_PASSPORT_URL":        "http://127.0.0.1:8081",
		"BACKEND_FRIDGE_URL":          "http://127.0.0.1:8082",
		"BACKEND_MEASUREMENT_URL":     "http://127.0.0.1:8083",
		"BACKEND_IDENTITY_URL":        "http://127.0.0.1:8084",
		"BACKEND_PERSONALIZATION_URL": "http://127.0.0.1:8085",
		"BACKEND_ANALYTICS_URL":       "http://127.0.0.1:8086",
		"TRUSTED_PROXIES":             "172.18.0.0/16, 10.0.0.0/8",
	}
}

func TestLoad_ReadsBackendsAndProxies(t *testing.T) {
	t.Parallel()
	env := validEnv()
	cfg, err := config.Load(func(k string) string { return env[k] }, "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Backends) != 6 || cfg.Backends[route.BrandAnalytics].Host != "127.0.0.1:8086" {
		t.Fatalf("backends = %v", cfg.Backends)
	}
	if len(cfg.TrustedProxies) != 2 || cfg.UsesKafka {
		t.Fatalf("unexpected config %+v", cfg)
	}
}

func TestLoad_NamesEveryBadVariable(t *testing.T) {
	t.Parallel()
	env := validEnv()
	delete(env, "BACKEND_FRIDGE_URL")
	env["BACKEND_PASSPORT_URL"] = "passport:8080"
	env["TRUSTED_PROXIES"] = "everyone"
	env["PROXY_TIMEOUT"] = "soon"
	_, err := config.Load(func(k string) string { return env[k] }, "1")
	if err == nil {
		t.Fatal("Load accepted a bad environment")
	}
	for _, name := range []string{"BACKEND_FRIDGE_URL", "BACKEND_PASSPORT_URL", "TRUSTED_PROXIES", "PROXY_TIMEOUT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}
