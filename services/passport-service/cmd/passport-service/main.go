// Command passport-service runs PackyTrace's passport-service: GS1 Digital Link resolution, the product catalog and links, scan records and the passport page.
//
// Usage:
//
//	passport-service [serve|migrate|version|help]
//	passport-service dl parse|build [-domain host] < input
//
// Configuration comes from the environment only; the service README lists
// every variable.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/dlcli"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/linksetschema"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/resolverhttp"
	"github.com/packytrace/packytrace/services/passport-service/internal/config"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
	"github.com/packytrace/packytrace/services/passport-service/migrations"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// stdin and stderr serve the "dl" command (daemon.RunFunc passes only
// stdout); tests replace them.
var (
	stdin  io.Reader = os.Stdin
	stderr io.Writer = os.Stderr
)

func main() { daemon.Main(config.Service, run) }

// run is the composition root: it reads the configuration and wires the
// adapters and the HTTP API of this service.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "dl" {
		return dlcli.Run(args[1:], stdin, stdout, stderr)
	}
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
		// index is the resolver's in-memory view of the stored links; the
		// sync loads it and keeps it current (not ready until loaded).
		index := resolver.NewIndex()
		sync := postgres.NewIndexSync(proc.Pool(), index, postgres.IndexSyncConfig{
			Logger: proc.Logger(), Registerer: proc.Registry(),
		})
		proc.Go("anchor-index-sync", sync.Run)
		proc.AddCheck(httpserver.Check{Name: "anchor-index", Probe: sync.Ready})
		schema, err := linksetschema.NewValidator()
		if err != nil {
			return nil, err
		}
		links := app.NewService(postgres.NewAnchorRepository(proc.Pool()), schema)
		api := httpapi.NewServer(proc, links, cfg.ResolverRoot)
		// The GS1 resolver answers every path outside the API (/01/..., the
		// compressed URIs, /.well-known/gs1resolver) without OpenAPI request
		// validation: its URI space is GS1's, and it validates every URI itself.
		gs1 := resolverhttp.NewHandler(index, resolverhttp.Config{Root: cfg.ResolverRoot})
		return proc.Handler(spec, func(mux *http.ServeMux) {
			httpapi.Mount(mux, api, cfg.BasePath, proc.Logger())
		}, daemon.Unvalidated(gs1))
	})
}
