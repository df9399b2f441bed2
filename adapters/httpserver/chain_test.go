package httpserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

func TestChain_FirstListedIsOutermost(t *testing.T) {
	t.Parallel()
	var order []string
	mark := func(name string) httpserver.Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name+">")
				next.ServeHTTP(w, r)
				order = append(order, "<"+name)
			})
		}
	}
	h := httpserver.Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		order = append(order, "handler")
	}), mark("a"), mark("b"), mark("c"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if got := strings.Join(order, " "); got != "a> b> c> handler <c <b <a" {
		t.Fatalf("order = %s", got)
	}
	if httpserver.Chain(http.NotFoundHandler()) == nil {
		t.Fatal("empty chain returned nil")
	}
}

// TestChain_WrappedWriterKeepsOptionalInterfaces checks that streaming
// handlers still flush through the middlewares.
func TestChain_WrappedWriterKeepsOptionalInterfaces(t *testing.T) {
	t.Parallel()
	logger, _ := newTestLogger()
	flushed := make(chan struct{})
	h := httpserver.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			t.Error("writer is not a Flusher")
			return
		}
		_, _ = io.WriteString(w, "first")
		f.Flush()
		<-flushed
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController cannot reach the server's writer: %v", err)
		}
	}), httpserver.AccessLog(logger), httpserver.NewMetrics(prometheus.NewRegistry(), "s").Middleware())
	srv := serve(t, h)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
		t.Fatalf("first chunk not flushed: %q %v", buf, err)
	}
	close(flushed)
}
