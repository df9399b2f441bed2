package httpserver_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/requestid"
)

func TestAccessLog_WritesOneLinePerRequest(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	})
	mux.HandleFunc("POST /fail", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	})
	srv := serve(t, httpserver.Chain(mux, httpserver.RequestID(), httpserver.AccessLog(logger)))

	tests := []struct {
		method, path, query string
		status              int
		route               string
		bytes               float64
		level               string
	}{
		{http.MethodGet, "/items/0123", "secret=token", 200, "/items/{id}", 5, "INFO"},
		{http.MethodPost, "/fail", "", 502, "/fail", 0, "ERROR"},
		{http.MethodGet, "/nowhere", "", 404, "unmatched", 19, "INFO"},
	}
	for _, tt := range tests {
		url := srv.URL + tt.path
		if tt.query != "" {
			url += "?" + tt.query
		}
		req := newRequest(t, tt.method, url, nil)
		req.Header.Set(requestid.Header, "req-"+tt.method)
		resp, _ := do(t, req)
		if resp.StatusCode != tt.status {
			t.Fatalf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
		}
		var line map[string]any
		for _, l := range logs.withMsg(t, "http request") {
			if l["path"] == tt.path {
				line = l
			}
		}
		if line == nil {
			t.Fatalf("no access log line for %s: %s", tt.path, logs)
		}
		want := map[string]any{
			"method": tt.method, "path": tt.path, "route": tt.route, "status": float64(tt.status),
			"bytes": tt.bytes, "request_id": "req-" + tt.method, "level": tt.level, "service": "test-service",
		}
		for k, v := range want {
			if line[k] != v {
				t.Errorf("%s %s: %s = %v, want %v (line %v)", tt.method, tt.path, k, line[k], v, line)
			}
		}
		if d, ok := line["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("duration_ms = %v", line["duration_ms"])
		}
	}
	if strings.Contains(logs.String(), "secret") {
		t.Fatalf("query string logged: %s", logs)
	}
	if n := len(logs.withMsg(t, "http request")); n != len(tests) {
		t.Fatalf("%d access log lines for %d requests", n, len(tests))
	}
}

func TestAccessLog_OutsideRequestIDStillLogsID(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	h := httpserver.Chain(http.NotFoundHandler(), httpserver.AccessLog(logger), httpserver.RequestID())
	srv := serve(t, h)
	resp, _ := get(t, srv.URL+"/x")
	lines := logs.withMsg(t, "http request")
	if len(lines) != 1 || lines[0]["request_id"] != resp.Header.Get(requestid.Header) {
		t.Fatalf("want one line with id %q: %s", resp.Header.Get(requestid.Header), logs)
	}
}

func TestContextHandler_DoesNotDuplicateIDs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(httpserver.NewContextHandler(slog.NewJSONHandler(&buf, nil)))
	ctx := httpserver.WithTraceID(requestid.With(context.Background(), "req-ctx"), "trace-ctx")

	logger.InfoContext(ctx, "explicit", slog.String("request_id", "req-own"))
	logger.With(slog.String("trace_id", "trace-own")).InfoContext(ctx, "with")
	logger.InfoContext(context.Background(), "none")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines: %s", buf.String())
	}
	checks := []struct {
		line       string
		want, lack []string
	}{
		{lines[0], []string{`"request_id":"req-own"`, `"trace_id":"trace-ctx"`}, []string{"req-ctx"}},
		{lines[1], []string{`"request_id":"req-ctx"`, `"trace_id":"trace-own"`}, []string{"trace-ctx"}},
		{lines[2], nil, []string{"request_id", "trace_id"}},
	}
	for _, c := range checks {
		for _, w := range c.want {
			if !strings.Contains(c.line, w) {
				t.Errorf("line %s lacks %s", c.line, w)
			}
		}
		for _, l := range c.lack {
			if strings.Contains(c.line, l) {
				t.Errorf("line %s has %s", c.line, l)
			}
		}
	}
}

func TestNewLogger_RespectsLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := httpserver.NewLogger(&buf, slog.LevelWarn, "svc")
	logger.Info("quiet")
	logger.Warn("loud")
	if out := buf.String(); strings.Contains(out, "quiet") || !strings.Contains(out, `"service":"svc"`) {
		t.Fatalf("unexpected output %s", out)
	}
}
