package httpserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

func up(context.Context) error { return nil }

func TestMount_Healthz(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	httpserver.Mount(mux, prometheus.NewRegistry(), httpserver.Check{Name: "db", Probe: func(context.Context) error {
		return errors.New("down") // liveness must not depend on it
	}})
	srv := serve(t, mux)
	resp, body := get(t, srv.URL+httpserver.HealthzPath)
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Fatalf("healthz = %d %s", resp.StatusCode, body)
	}
}

func TestMount_ReadyzWhenAllChecksPass(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	httpserver.Mount(mux, nil,
		httpserver.Check{Name: "postgres", Probe: up},
		httpserver.Check{Name: "kafka", Probe: up})
	srv := serve(t, mux)
	resp, body := get(t, srv.URL+httpserver.ReadyzPath)
	var got struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || got.Status != "ready" || got.Checks["postgres"] != "up" || got.Checks["kafka"] != "up" {
		t.Fatalf("readyz = %d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, srv.URL+httpserver.MetricsPath); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("metrics mounted without a gatherer: %d", resp.StatusCode)
	}
}

func TestMount_ReadyzWhenChecksFail(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	hung := make(chan struct{})
	t.Cleanup(func() { close(hung) })
	mux := http.NewServeMux()
	httpserver.Mount(mux, prometheus.NewRegistry(),
		httpserver.Check{Name: "postgres", Probe: func(context.Context) error {
			return errors.New("dial tcp 10.0.0.7:5432: connection refused")
		}},
		httpserver.Check{Name: "kafka", Probe: up},
		// Ignores its context: readiness must answer anyway, at the timeout.
		httpserver.Check{Name: "keycloak", Timeout: 20 * time.Millisecond, Probe: func(context.Context) error {
			<-hung
			return nil
		}},
	)
	srv := serve(t, httpserver.Chain(mux, httpserver.RequestID(), httpserver.AccessLog(logger)))

	resp, body := get(t, srv.URL+httpserver.ReadyzPath)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	p := decodeProblem(t, resp, body)
	if !strings.Contains(p.Detail, "keycloak, postgres") || strings.Contains(p.Detail, "kafka") {
		t.Fatalf("detail %q does not name exactly the failing checks", p.Detail)
	}
	if strings.Contains(string(body), "10.0.0.7") || strings.Contains(string(body), "deadline") {
		t.Fatalf("check errors reached the client: %s", body)
	}
	lines := logs.withMsg(t, "http request")
	if len(lines) != 1 {
		t.Fatalf("want one access log line: %s", logs)
	}
	failed, _ := lines[0]["failed_checks"].(map[string]any)
	if pg, _ := failed["postgres"].(string); !strings.Contains(pg, "connection refused") {
		t.Fatalf("postgres error not logged: %v", lines[0])
	}
	if kc, _ := failed["keycloak"].(string); !strings.Contains(kc, "deadline exceeded") {
		t.Fatalf("keycloak timeout not logged: %v", lines[0])
	}
}

func TestReady_ReportsEachCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		checks []httpserver.Check
		want   map[string]bool
		all    bool
	}{
		{"no checks is ready", nil, map[string]bool{}, true},
		{"all up", []httpserver.Check{{Name: "a", Probe: up}, {Name: "b", Probe: up}}, map[string]bool{"a": true, "b": true}, true},
		{"one down", []httpserver.Check{{Name: "a", Probe: up}, {Name: "b", Probe: func(context.Context) error { return errors.New("x") }}},
			map[string]bool{"a": true, "b": false}, false},
		{"probe honouring its timeout", []httpserver.Check{{Name: "slow", Timeout: time.Millisecond, Probe: func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}}}, map[string]bool{"slow": false}, false},
		{"panicking probe is down", []httpserver.Check{{Name: "p", Probe: func(context.Context) error { panic("oops") }}},
			map[string]bool{"p": false}, false},
		{"nil probe is down", []httpserver.Check{{Name: "nil"}}, map[string]bool{"nil": false}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, all := httpserver.Ready(context.Background(), tt.checks...)
			if all != tt.all || len(got) != len(tt.want) {
				t.Fatalf("Ready = %v, %v; want %v, %v", got, all, tt.want, tt.all)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("Ready[%s] = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func TestReady_ChecksRunConcurrently(t *testing.T) {
	t.Parallel()
	// Each probe waits for the other to start: run one after the other,
	// the first would wait out its timeout and fail.
	a, b := make(chan struct{}), make(chan struct{})
	checks := []httpserver.Check{
		{Name: "a", Timeout: 10 * time.Second, Probe: func(ctx context.Context) error { close(a); <-b; return nil }},
		{Name: "b", Timeout: 10 * time.Second, Probe: func(ctx context.Context) error { close(b); <-a; return nil }},
	}
	if _, all := httpserver.Ready(context.Background(), checks...); !all {
		t.Fatal("checks did not pass")
	}
}
