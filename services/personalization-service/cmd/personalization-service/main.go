// Command personalization-service runs PackyTrace's personalization-service: health profiles and verdict rules.
//
// Usage:
//
//	personalization-service [serve|migrate|version|help]
//
// Configuration comes from the environment only; the service README lists
// every variable.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/services/personalization-service/internal/adapters/httpapi"
	"github.com/packytrace/packytrace/services/personalization-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/personalization-service/internal/config"
	"github.com/packytrace/packytrace/services/personalization-service/migrations"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { daemon.Main(config.Service, run) }

// run is the composition root: it reads the configuration and wires the
// adapters and the HTTP API of this service.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd, done, err := daemon.Parse(config.Service, version, args, stdout)
	if done || err != nil {
		return err
	}
	cfg, err := config.Load(getenv, version)
	if err != nil {
		return err
	}
	return cmd.Execute(ctx, cfg.Config, cfg.Values, migrations.FS, func(proc *daemon.Process) (http.Handler, error) {
		spec, err := oapigen.GetSpec()
		if err != nil {
			return nil, fmt.Errorf("load embedded spec: %w", err)
		}
		api := httpapi.NewServer(proc)
		return proc.Handler(spec, func(mux *http.ServeMux) {
			httpapi.Mount(mux, api, cfg.BasePath, proc.Logger())
		})
	})
}
