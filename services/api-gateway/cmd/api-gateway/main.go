// Command api-gateway runs PackyTrace's api-gateway: the public entry point. It routes GS1 Digital Link paths, the /passport page and /.well-known/gs1resolver to passport-service and /api/v1/<service>/... to each service, gives shoppers' browsers a visitor-id cookie, validates bearer tokens where present, adds request ids and turns backend failures into 502/504 problems.
//
// Usage:
//
//	api-gateway [serve|migrate|version|help]
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
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/httpapi"
	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/proxy"
	"github.com/packytrace/packytrace/services/api-gateway/internal/config"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
	"github.com/packytrace/packytrace/services/api-gateway/migrations"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { daemon.Main(config.Service, run) }

// run is the composition root: the gateway's own API, validated against its
// spec, and the proxy for everything else, behind the standard middleware.
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
		px, err := proxy.New(proxy.Config{
			Backends:       cfg.Backends,
			Timeout:        cfg.ProxyTimeout,
			DialTimeout:    cfg.DialTimeout,
			TrustedProxies: cfg.TrustedProxies,
			Logger:         proc.Logger(),
		})
		if err != nil {
			return nil, err
		}
		spec, err := oapigen.GetSpec()
		if err != nil {
			return nil, fmt.Errorf("load embedded spec: %w", err)
		}
		validate, err := proc.Validator(spec)
		if err != nil {
			return nil, err
		}
		own := http.NewServeMux()
		httpapi.Mount(own, httpapi.NewServer(proc, px.ReadinessChecks()), cfg.BasePath, proc.Logger())
		mux := proc.HealthMux()
		mux.Handle("/", px.Handler(route.NewTable(), validate(own)))
		return httpserver.Chain(mux, proc.Middleware()...), nil
	})
}
