package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
)

func TestRun_RefusesBadUsage(t *testing.T) {
	t.Parallel()
	const gw = "http://127.0.0.1:8080/api/v1/passport/bench"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"remote direct", []string{"-direct", "http://example.com/x", "-gateway", gw}, "only loopback"},
		{"remote gateway", []string{"-direct", gw, "-gateway", "https://10.0.0.8:8080/x"}, "only loopback"},
		{"unspecified address", []string{"-direct", "http://0.0.0.0:18081/x", "-gateway", gw}, "only loopback"},
		{"loopback-looking name", []string{"-direct", "http://127.0.0.1.nip.io/x", "-gateway", gw}, "only loopback"},
		{"serve on all interfaces", []string{"-serve-backend", ":18081"}, "only loopback"},
		{"serve on public ip", []string{"-serve-backend", "192.0.2.1:18081"}, "only loopback"},
		{"spawn on public ip", []string{"-spawn", "-backend-addr", "192.0.2.1:18081", "-gateway", gw}, "only loopback"},
		{"no direct", []string{"-gateway", gw}, "-direct is required"},
		{"no gateway", []string{"-direct", gw}, "-gateway is required"},
		{"relative url", []string{"-direct", "/x", "-gateway", gw}, "absolute"},
		{"unbounded", []string{"-direct", gw, "-gateway", gw, "-d", "0"}, "set -d or -n"},
		{"too long", []string{"-direct", gw, "-gateway", gw, "-d", "3h"}, "-d and -warmup"},
		{"no workers", []string{"-direct", gw, "-gateway", gw, "-c", "0"}, "-c must be"},
		{"stray argument", []string{"-direct", gw, "-gateway", gw, "extra"}, "unexpected arguments"},
		{"unknown flag", []string{"-x"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, &stdout, &stderr); code != 2 {
				t.Fatalf("exit code %d, want 2 (stderr %q)", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("stderr %q does not mention %q", stderr.String(), tt.want)
			}
			if stdout.Len() != 0 {
				t.Fatalf("refused run wrote %q", stdout.String())
			}
		})
	}
}

func TestRun_ComparesDirectAndGateway(t *testing.T) {
	t.Parallel()
	backend := httptest.NewServer(newBackendServer().Handler)
	t.Cleanup(backend.Close)
	target, _ := url.Parse(backend.URL)
	gateway := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	t.Cleanup(gateway.Close)

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-direct", backend.URL + benchPath, "-gateway", gateway.URL + benchPath,
		"-c", "4", "-d", "0", "-n", "200", "-warmup", "0",
	}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"direct   requests=200 errors=0", "gateway  requests=200 errors=0", "gateway/direct throughput="} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRun_FailsWhenGatewayFails(t *testing.T) {
	t.Parallel()
	backend := httptest.NewServer(newBackendServer().Handler)
	t.Cleanup(backend.Close)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(broken.Close)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{
		"-direct", backend.URL + benchPath, "-gateway", broken.URL + benchPath, "-n", "20", "-d", "0", "-warmup", "0", "-c", "2",
	}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no successful requests") {
		t.Fatalf("exit code %d, stderr %q; want 1", code, stderr.String())
	}
}

func TestBackend_ServesPassportJSON(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(newBackendServer().Handler)
	t.Cleanup(srv.Close)
	res, err := http.Get(srv.URL + benchPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" || !json.Valid(body) {
		t.Fatalf("status %d type %q body %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if len(body) < 150 || len(body) > 300 {
		t.Fatalf("body is %d bytes, want about 200", len(body))
	}
	res, err = http.Get(srv.URL + "/other")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown path: status %d", res.StatusCode)
	}
}

func TestServeBackend_StopsWithContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout bytes.Buffer
	if err := serveBackend(ctx, "127.0.0.1:0", &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "backend listening on 127.0.0.1:") {
		t.Fatalf("stdout %q", stdout.String())
	}
}
