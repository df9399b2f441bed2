// Package daemontest runs a service's real composition root in component
// tests: it migrates and serves the service on a free loopback port against
// the test PostgreSQL server (TEST_DATABASE_URL), an in-process kfake broker
// and an in-process identity provider, and gives an HTTP client that checks
// every response against the service's OpenAPI spec.
package daemontest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/postgres/pgtest"
)

// RunFunc is a service's run function: what main calls.
type RunFunc = daemon.RunFunc

// Service is a service under test.
type Service struct {
	Name      string
	Schema    postgres.Schema
	UsesKafka bool
	Run       RunFunc
	// Env adds or overrides variables (the gateway's backends, say).
	Env map[string]string
}

// Instance is a running service.
type Instance struct {
	// URL is the service's root, e.g. http://127.0.0.1:40123.
	URL    string
	Issuer *authtest.Issuer
	Kafka  *kfake.Cluster
	// Logs holds everything the service wrote to stdout.
	Logs *Buffer
	env  map[string]string
}

// Getenv reads the environment the service runs with.
func (in *Instance) Getenv(k string) string { return in.env[k] }

const rolePassword = "test-only-password"

// Start migrates the service (bootstrapping its schema and role through the
// admin connection, as in production) and serves it until the test ends,
// when it cancels the context and fails the test if run did not return
// cleanly. The schema is dropped afterwards.
func Start(t *testing.T, svc Service) *Instance {
	t.Helper()
	adminURL := pgtest.URL(t)
	roleURL, err := postgres.URLForRole(adminURL, svc.Schema.Role, rolePassword)
	if err != nil {
		t.Fatal(err)
	}
	issuer := authtest.NewIssuer(t)
	addr := FreeAddr(t)
	in := &Instance{URL: "http://" + addr, Issuer: issuer, Logs: &Buffer{}}
	in.env = map[string]string{
		"HTTP_ADDR":              addr,
		"DATABASE_URL":           roleURL,
		"DATABASE_ADMIN_URL":     adminURL,
		"DATABASE_ROLE_PASSWORD": rolePassword,
		"OIDC_ISSUER":            issuer.Config().Issuer,
		"OIDC_JWKS_URL":          issuer.Config().JWKSURL,
		"OIDC_AUDIENCE":          issuer.Config().Audience,
		"SHUTDOWN_TIMEOUT":       "5s",
		"LOG_LEVEL":              "debug",
	}
	if svc.UsesKafka {
		cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cluster.Close)
		in.Kafka = cluster
		in.env["KAFKA_BROKERS"] = strings.Join(cluster.ListenAddrs(), ",")
	}
	for k, v := range svc.Env {
		in.env[k] = v
	}
	t.Cleanup(func() { dropSchema(t, adminURL, svc.Schema.Name) })

	ctx, cancel := context.WithCancel(context.Background())
	if err := svc.Run(ctx, []string{"migrate"}, in.Getenv, in.Logs); err != nil {
		cancel()
		t.Fatalf("%s migrate: %v\n%s", svc.Name, err, in.Logs)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx, []string{"serve"}, in.Getenv, in.Logs) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s serve returned %v after shutdown", svc.Name, err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("%s did not shut down within 15s", svc.Name)
		}
	})
	if err := waitReady(ctx, in.URL+"/readyz", done); err != nil {
		t.Fatalf("%s not ready: %v\n%s", svc.Name, err, in.Logs)
	}
	return in
}

func waitReady(ctx context.Context, url string, done <-chan error) error {
	deadline := time.Now().Add(30 * time.Second)
	last := "no answer"
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case err := <-done:
			return fmt.Errorf("serve returned early: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New(last)
}

func dropSchema(t *testing.T, adminURL, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// SpecClient returns an HTTP client whose every response to a request the
// spec describes is validated against it; a mismatch fails the test. Its
// servers are pointed at baseURL (the service root) plus the spec's base path.
func SpecClient(t testing.TB, spec *openapi3.T, baseURL string) *http.Client {
	t.Helper()
	if len(spec.Servers) != 1 {
		t.Fatalf("spec must have one server, has %d", len(spec.Servers))
	}
	spec.Servers = openapi3.Servers{{URL: strings.TrimRight(baseURL, "/") + spec.Servers[0].URL}}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: &specTransport{t: t, router: router, next: http.DefaultTransport}, Timeout: 30 * time.Second}
}

type specTransport struct {
	t      testing.TB
	router routers.Router
	next   http.RoundTripper
}

func (s *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	route, params, ferr := s.router.FindRoute(req)
	if ferr != nil {
		return resp, nil // not an operation of the spec (an unknown path on purpose, say)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  resp.StatusCode,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		s.t.Errorf("%s %s: response %d does not match the spec: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

// Buffer is a goroutine-safe log sink.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
