package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/api/analyticsclient"
	"github.com/packytrace/packytrace/services/brand-analytics-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/brand-analytics-service/internal/config"
)

// start runs the real service (migrate, then serve) and returns it with the
// published client, whose responses are checked against the spec.
func start(t *testing.T) (*daemontest.Instance, *analyticsclient.ClientWithResponses) {
	t.Helper()
	in := daemontest.Start(t, daemontest.Service{
		Name:      config.Service,
		Schema:    postgres.Schema{Name: config.SchemaName, Role: config.RoleName},
		UsesKafka: true,
		Run:       run,
		Env:       nil,
	})
	spec, err := oapigen.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	client, err := analyticsclient.NewClientWithResponses(in.URL+config.BasePath,
		analyticsclient.WithHTTPClient(daemontest.SpecClient(t, spec, in.URL)))
	if err != nil {
		t.Fatal(err)
	}
	return in, client
}

func TestService_ReportsStatusThroughPublishedClient(t *testing.T) {
	in, client := start(t)
	resp, err := client.GetStatusWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	st := resp.JSON200
	if st.Service != config.Service || !st.Ready || st.SchemaVersion == nil || *st.SchemaVersion < 1 {
		t.Fatalf("unexpected status %+v\n%s", st, in.Logs)
	}
	up := map[string]bool{}
	for _, d := range st.Dependencies {
		up[d.Name] = d.Up
	}
	for _, name := range []string{"postgres", "kafka", "identity-provider"} {
		if !up[name] {
			t.Errorf("dependency %s not reported up: %+v", name, st.Dependencies)
		}
	}
}

func TestService_AnswersErrorsAsProblems(t *testing.T) {
	in, _ := start(t)
	tests := []struct {
		name, method, path string
		header             map[string]string
		status             int
	}{
		{"unknown path", http.MethodGet, config.BasePath + "/no-such-thing", nil, http.StatusNotFound},
		{"wrong method", http.MethodDelete, config.BasePath + "/status", nil, http.StatusMethodNotAllowed},
		{"bad token", http.MethodGet, config.BasePath + "/status", map[string]string{"Authorization": "Bearer not-a-jwt"}, http.StatusUnauthorized},
		{"not a bearer token", http.MethodGet, config.BasePath + "/status", map[string]string{"Authorization": "Basic dXNlcjpwdw=="}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(context.Background(), tt.method, in.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != problem.ContentType {
				t.Fatalf("got %d %q, want %d problem: %s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.status, body)
			}
			var p problem.Problem
			if err := json.Unmarshal(body, &p); err != nil || p.Status != tt.status || p.RequestID == "" {
				t.Fatalf("not a problem document with a request id: %s", body)
			}
			if strings.Contains(string(body), "127.0.0.1") {
				t.Fatalf("problem leaks an address: %s", body)
			}
		})
	}
}

func TestRun_RejectsBadCommandsAndConfig(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
	err := run(context.Background(), []string{"serve"}, func(string) string { return "" }, &out)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("missing configuration not reported: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out); err != nil || strings.TrimSpace(out.String()) != version {
		t.Fatalf("version printed %q, %v", out.String(), err)
	}
}
