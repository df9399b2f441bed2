// Command brand-analytics-service runs PackyTrace's brand-analytics-service: privacy-preserving brand aggregates and the brand dashboard.
//
// Usage:
//
//	brand-analytics-service [serve|migrate|version|help]
//
// Configuration comes from the environment only; the service README lists
// every variable.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/brand-analytics-service/internal/adapters/httpapi"
	"github.com/packytrace/packytrace/services/brand-analytics-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/brand-analytics-service/internal/config"
	"github.com/packytrace/packytrace/services/brand-analytics-service/migrations"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, config.Service+":", err)
		if errors.Is(err, daemon.ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd, err := daemon.ParseCommand(config.Service, args)
	if err != nil {
		return err
	}
	switch cmd {
	case "help":
		_, err := fmt.Fprintf(stdout, daemon.Usage, config.Service)
		return err
	case "version":
		_, err := fmt.Fprintln(stdout, version)
		return err
	}
	cfg, err := config.Load(getenv, version)
	if err != nil {
		return err
	}
	logger := httpserver.NewLogger(stdout, cfg.LogLevel, config.Service)
	logger.InfoContext(ctx, "starting", slog.String("command", cmd), slog.String("version", version),
		slog.Any("config", cfg.Values))
	if cmd == "migrate" {
		return daemon.Migrate(ctx, logger, cfg.Config, migrations.FS)
	}

	proc, err := daemon.Open(ctx, logger, cfg.Config)
	if err != nil {
		return err
	}
	defer proc.Close()
	spec, err := oapigen.GetSpec()
	if err != nil {
		return fmt.Errorf("load embedded spec: %w", err)
	}
	api := httpapi.NewServer(proc)
	handler, err := proc.Handler(spec, func(mux *http.ServeMux) {
		httpapi.Mount(mux, api, cfg.BasePath, logger)
	})
	if err != nil {
		return err
	}
	return proc.Serve(ctx, handler)
}
