package daemon

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestServe_DrainersStopAfterTheServer cancels Serve while a request is in
// flight: the request must still see the drainer running when it ends, and
// the drainer must be stopped before Serve returns.
func TestServe_DrainersStopAfterTheServer(t *testing.T) {
	t.Parallel()
	p := testProcess(t)
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.cfg.HTTPAddr = l.Addr().String()
	_ = l.Close()
	p.cfg.ShutdownTimeout = 10 * time.Second

	drainerCtx := make(chan context.Context, 1)
	var drainerStopped atomic.Bool
	p.GoDrainer("drainer", func(ctx context.Context) error {
		drainerCtx <- ctx
		<-ctx.Done()
		drainerStopped.Store(true)
		return nil
	})
	var runnerStopped atomic.Bool
	p.Go("runner", func(ctx context.Context) error {
		<-ctx.Done()
		runnerStopped.Store(true)
		return nil
	})

	inHandler := make(chan struct{})
	shuttingDown := make(chan struct{})
	var sawDrainerRunning atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(inHandler)
		<-shuttingDown
		// The plain runner stops at once; give it the time to, then look
		// at the drainer, which must outlive this request.
		for !runnerStopped.Load() {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		dctx := <-drainerCtx
		sawDrainerRunning.Store(dctx.Err() == nil)
		w.WriteHeader(http.StatusNoContent)
	})

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- p.Serve(ctx, h) }()

	resc := make(chan error, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://"+p.cfg.HTTPAddr+"/", nil)
			res, err := http.DefaultClient.Do(req)
			if err == nil {
				_ = res.Body.Close()
				resc <- nil
				return
			}
			if time.Now().After(deadline) {
				resc <- err
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	<-inHandler
	cancel()
	close(shuttingDown)
	if err := <-resc; err != nil {
		t.Fatalf("request in flight during shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve = %v", err)
	}
	if !sawDrainerRunning.Load() {
		t.Fatal("the drainer was stopped while a request was still being served")
	}
	if !drainerStopped.Load() {
		t.Fatal("Serve returned before the drainer stopped")
	}
}
