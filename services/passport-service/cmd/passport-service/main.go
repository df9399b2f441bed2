// Command passport-service runs PackyTrace's passport-service: GS1 Digital Link resolution, the product catalog and links, scan records and the passport page.
//
// Usage:
//
//	passport-service [serve|migrate|version|help]
//	passport-service dl parse|build [-domain host] < input
//	passport-service catalog import [flags] FILE...
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
	"strings"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/kafka"
	eventschemas "github.com/packytrace/packytrace/events"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/dlcli"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/linksetschema"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/passportpage"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/resolverhttp"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/scanrecorder"
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
	if len(args) > 0 && args[0] == "catalog" {
		return runCatalog(ctx, args[1:], getenv, stdout)
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
		index.SetPassportBase(cfg.ResolverRoot + passportpage.DefaultBasePath)
		sync := postgres.NewIndexSync(proc.Pool(), index, postgres.IndexSyncConfig{
			Logger: proc.Logger(), Registerer: proc.Registry(),
		})
		proc.Go("anchor-index-sync", sync.Run)
		proc.AddCheck(httpserver.Check{Name: "anchor-index", Probe: sync.Ready})
		schema, err := linksetschema.NewValidator()
		if err != nil {
			return nil, err
		}
		registry, err := events.NewRegistry(eventschemas.Dir)
		if err != nil {
			return nil, fmt.Errorf("load event schemas: %w", err)
		}
		// The relay publishes outbox rows in order and waits on a topic that
		// does not exist; the service's topics are created at start.
		proc.EnsureTopics(producedTopics(registry)...)
		// Scan events are built from typed values clamped to their
		// contract (FuzzScanEnvelope_MeetsTheContract); a sample of them
		// is validated on produce, every other event is (ADR 0015).
		outbox := kafka.NewOutbox(config.SchemaName, registry, kafka.ValidateEvery(
			events.TypeVersion{Type: postgres.ScanRecordedType, Version: postgres.ScanRecordedVersion}, cfg.Scans.ValidateEvery))
		svc := app.NewService(postgres.NewAnchorRepository(proc.Pool()), schema,
			postgres.NewCatalogRepository(proc.Pool(), outbox))
		api := httpapi.NewServer(proc, svc, svc, cfg.ResolverRoot)

		var recorder resolverhttp.Recorder
		if cfg.Scans.Enabled {
			rec, err := scanrecorder.New(postgres.NewScanSink(proc.Pool(), outbox, proc.Logger()), scanrecorder.Config{
				BatchSize: cfg.Scans.BatchSize, FlushInterval: cfg.Scans.FlushInterval, Buffer: cfg.Scans.Buffer,
				Logger: proc.Logger(), Registerer: proc.Registry(),
			})
			if err != nil {
				return nil, err
			}
			// A drainer: it stops after the HTTP servers, so the scans of
			// the last requests are still written on a graceful shutdown.
			proc.GoDrainer("scan-recorder", rec.Run)
			recorder = rec
		}
		// The GS1 resolver answers every path outside the API (/01/..., the
		// compressed URIs, /.well-known/gs1resolver) without OpenAPI request
		// validation: its URI space is GS1's, and it validates every URI itself.
		gs1 := resolverhttp.NewHandler(index, resolverhttp.Config{Root: cfg.ResolverRoot, Recorder: recorder,
			Accounts: resolverhttp.PrincipalAccounts{}, RegionHeader: cfg.Scans.RegionHeader})
		page := passportpage.NewHandler(passportpage.Config{
			Catalog: svc,
			Links: func(gtin string) []resolver.Link {
				if a := index.Get("/01/" + gtin); a != nil {
					return a.Links
				}
				return nil
			},
			Logger: proc.Logger(),
			Cache:  passportpage.CacheConfig{Registerer: proc.Registry()},
		})
		public := http.NewServeMux()
		public.Handle(passportpage.DefaultBasePath+"/", page)
		public.Handle(passportpage.DefaultBasePath, page)
		public.Handle("/", gs1)
		return proc.Handler(spec, func(mux *http.ServeMux) {
			httpapi.Mount(mux, api, cfg.BasePath, proc.Logger())
		}, daemon.Unvalidated(public))
	})
}

// producedTopics are the topics of every event type the service produces,
// with their dead-letter topics.
func producedTopics(registry *events.Registry) []kafka.TopicSpec {
	var specs []kafka.TopicSpec
	for _, tv := range registry.Types() {
		if strings.HasPrefix(tv.Type, "passport.") {
			specs = append(specs, kafka.TopicSpec{Name: tv.String()})
		}
	}
	return kafka.WithDLQ(specs...)
}
