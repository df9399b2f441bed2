package httpserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/problem"
)

// logBuffer collects JSON log lines written from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines decodes every log line.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// withMsg returns the log lines whose msg is msg.
func (b *logBuffer) withMsg(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range b.lines(t) {
		if l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

func newTestLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return httpserver.NewLogger(buf, slog.LevelDebug, "test-service"), buf
}

// serve starts a real HTTP server for h, closed when the test ends.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// do sends a request and returns the response with its body read.
func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, body
}

func newRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	return do(t, newRequest(t, http.MethodGet, url, nil))
}

// decodeProblem checks the media type and decodes a problem document.
func decodeProblem(t *testing.T, resp *http.Response, body []byte) problem.Problem {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != problem.ContentType {
		t.Fatalf("Content-Type = %q, want %q; body %s", ct, problem.ContentType, body)
	}
	var p problem.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decoding problem %s: %v", body, err)
	}
	if p.Status != resp.StatusCode {
		t.Fatalf("problem status %d != response status %d", p.Status, resp.StatusCode)
	}
	return p
}
