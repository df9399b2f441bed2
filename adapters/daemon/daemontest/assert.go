package daemontest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/problem"
)

// Status is what a test read from a service's GET /status, in neutral types
// (each service's generated client has its own).
type Status struct {
	Service       string
	Ready         bool
	SchemaVersion *int64
	Dependencies  map[string]bool
}

// AssertStatus fails the test unless the status names service, is ready,
// has applied at least one migration and reports every dependency in up as
// up.
func AssertStatus(t *testing.T, in *Instance, got Status, service string, up ...string) {
	t.Helper()
	if got.Service != service || !got.Ready || got.SchemaVersion == nil || *got.SchemaVersion < 1 {
		t.Fatalf("unexpected status %+v\n%s", got, in.Logs)
	}
	for _, name := range up {
		if !got.Dependencies[name] {
			t.Errorf("dependency %s not reported up: %v", name, got.Dependencies)
		}
	}
}

// AssertProblems checks that a running service answers what is wrong with a
// request as an RFC 9457 problem carrying a request id and no address: an
// unknown path, a wrong method on a known path, a malformed bearer token and
// an Authorization header of another scheme.
func AssertProblems(t *testing.T, baseURL, knownPath, unknownPath string) {
	t.Helper()
	tests := []struct {
		name, method, path string
		header             map[string]string
		status             int
	}{
		{"unknown path", http.MethodGet, unknownPath, nil, http.StatusNotFound},
		{"wrong method", http.MethodDelete, knownPath, nil, http.StatusMethodNotAllowed},
		{"bad token", http.MethodGet, knownPath, map[string]string{"Authorization": "Bearer not-a-jwt"}, http.StatusUnauthorized},
		{"not a bearer token", http.MethodGet, knownPath, map[string]string{"Authorization": "Basic dXNlcjpwdw=="}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(context.Background(), tt.method, baseURL+tt.path, nil)
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
				t.Fatalf("got %d %q, want a %d problem: %s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.status, body)
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

// AssertCommandLine checks a service's run function without starting it: an
// unknown command is a usage error, an empty environment is reported with
// the missing variables named, and version prints the version.
func AssertCommandLine(t *testing.T, run RunFunc, version string) {
	t.Helper()
	empty := func(string) string { return "" }
	var out strings.Builder
	if err := run(context.Background(), []string{"frobnicate"}, empty, &out); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	if err := run(context.Background(), []string{"serve"}, empty, &out); err == nil ||
		!strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "OIDC_ISSUER") {
		t.Fatalf("missing configuration not reported: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, empty, &out); err != nil || strings.TrimSpace(out.String()) != version {
		t.Fatalf("version printed %q, %v", out.String(), err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"help"}, empty, &out); err != nil || !strings.Contains(out.String(), "migrate") {
		t.Fatalf("help printed %q, %v", out.String(), err)
	}
}
