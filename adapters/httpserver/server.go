package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// DefaultShutdownTimeout is what Run waits for in-flight requests when it
// is given no positive timeout.
const DefaultShutdownTimeout = 15 * time.Second

// NewServer returns a server for h on addr with timeouts that bound what a
// slow or hostile client can hold: 5s to send the header, 30s for the whole
// request, 60s to write the response, 2 minutes idle between keep-alive
// requests, 1 MiB of header. Its ErrorLog is left nil for Run to route into
// the service's slog logger.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
}

// Run serves srv until ctx is done, then shuts it down gracefully: it stops
// accepting connections and waits up to shutdownTimeout for in-flight
// requests before closing what is left. It returns nil after a clean
// shutdown, an error at once when it cannot listen (the port is taken), and
// an error when the shutdown timed out. A nil srv.ErrorLog is pointed at
// logger, so net/http's own complaints come out as JSON too.
func Run(ctx context.Context, logger *slog.Logger, srv *http.Server, shutdownTimeout time.Duration) error {
	if shutdownTimeout <= 0 {
		shutdownTimeout = DefaultShutdownTimeout
	}
	if srv.ErrorLog == nil {
		srv.ErrorLog = slog.NewLogLogger(logger.With(slog.String("component", "net/http")).Handler(), slog.LevelWarn)
	}
	addr := srv.Addr
	if addr == "" {
		addr = ":http"
	}
	// Listening here rather than in ListenAndServe reports a taken port
	// before Run decides to wait.
	var lc net.ListenConfig
	ln, err := lc.Listen(context.WithoutCancel(ctx), "tcp", addr)
	if err != nil {
		return fmt.Errorf("httpserver: listen on %s: %w", addr, err)
	}
	logger.InfoContext(ctx, "http server listening", slog.String("addr", ln.Addr().String()))

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			return nil // shut down by someone else
		}
		return fmt.Errorf("httpserver: serve: %w", err)
	case <-ctx.Done():
	}

	logger.InfoContext(ctx, "http server shutting down", slog.Duration("timeout", shutdownTimeout))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// The timeout passed: drop the connections still open.
		err = errors.Join(fmt.Errorf("httpserver: graceful shutdown: %w", err), srv.Close())
		if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		return err
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("httpserver: serve: %w", err)
	}
	logger.InfoContext(ctx, "http server stopped")
	return nil
}
