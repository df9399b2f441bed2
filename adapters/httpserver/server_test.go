package httpserver_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

// startRun runs srv in the background and returns its address and the
// channel Run's result arrives on.
func startRun(t *testing.T, ctx context.Context, srv *http.Server, timeout time.Duration) (string, <-chan error) {
	t.Helper()
	logger, _ := newTestLogger()
	addrc := make(chan string, 1)
	srv.BaseContext = func(ln net.Listener) context.Context {
		addrc <- ln.Addr().String()
		return context.Background()
	}
	done := make(chan error, 1)
	go func() { done <- httpserver.Run(ctx, logger, srv, timeout) }()
	select {
	case addr := <-addrc:
		return addr, done
	case err := <-done:
		t.Fatalf("Run returned before serving: %v", err)
	}
	return "", nil
}

// waitClosed waits until addr refuses connections: Shutdown has begun.
func waitClosed(t *testing.T, addr string) {
	t.Helper()
	for range 1000 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		_ = conn.Close()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("listener still open after shutdown began")
}

func TestRun_ShutsDownGracefully(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startRun(t, ctx, httpserver.NewServer("127.0.0.1:0", h), time.Minute)

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-entered
	cancel()
	waitClosed(t, addr)
	select {
	case err := <-done:
		t.Fatalf("Run returned %v with a request in flight", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request got %q, %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
}

func TestRun_ReportsShutdownTimeout(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := startRun(t, ctx, httpserver.NewServer("127.0.0.1:0", h), time.Millisecond)
	go func() {
		if resp, err := http.Get("http://" + addr + "/stuck"); err == nil {
			_ = resp.Body.Close()
		}
	}()
	<-entered
	cancel()
	if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run = %v, want a deadline error", err)
	}
}

func TestRun_FailsWhenPortTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	logger, _ := newTestLogger()
	// A context that never ends: Run must return on its own.
	err = httpserver.Run(context.Background(), logger, httpserver.NewServer(ln.Addr().String(), http.NotFoundHandler()), time.Second)
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("Run = %v, want address in use", err)
	}
}

func TestNewServer_SetsTimeouts(t *testing.T) {
	t.Parallel()
	srv := httpserver.NewServer(":8080", http.NotFoundHandler())
	if srv.Addr != ":8080" || srv.ReadHeaderTimeout != 5*time.Second || srv.ReadTimeout != 30*time.Second ||
		srv.WriteTimeout != 60*time.Second || srv.IdleTimeout != 120*time.Second || srv.MaxHeaderBytes != 1<<20 {
		t.Fatalf("unexpected server settings: %+v", srv)
	}
}

func TestRun_RoutesServerErrorsToSlog(t *testing.T) {
	t.Parallel()
	logger, logs := newTestLogger()
	srv := httpserver.NewServer("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		w.WriteHeader(http.StatusOK) // net/http complains through ErrorLog
	}))
	addrc := make(chan string, 1)
	srv.BaseContext = func(ln net.Listener) context.Context {
		addrc <- ln.Addr().String()
		return context.Background()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpserver.Run(ctx, logger, srv, time.Second) }()
	addr := <-addrc
	if resp, err := http.Get("http://" + addr + "/twice"); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("GET = %v, %v", resp, err)
	} else {
		_ = resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range logs.lines(t) {
		msg, _ := l["msg"].(string)
		if l["component"] == "net/http" && l["level"] == "WARN" && strings.Contains(msg, "superfluous") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no net/http warning in the slog output: %s", logs)
	}
}
