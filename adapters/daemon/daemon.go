// Package daemon assembles the standard PackyTrace service process from the
// shared adapters: the service role's Postgres pool, the Kafka client and
// outbox relay, the token verifier, Prometheus metrics, the HTTP middleware
// chain with request validation, health and readiness, background runners
// and graceful shutdown. A service's main builds its own core and HTTP
// adapter and hands them to a Process; everything technical is the same in
// every service.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/adapters/kafka"
	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/adapters/retry"
)

// Process holds a running service's technical dependencies.
type Process struct {
	cfg      Config
	logger   *slog.Logger
	pool     *pgxpool.Pool
	kafka    *kgo.Client
	verifier *auth.Verifier
	registry *prometheus.Registry
	checks   []httpserver.Check
	runners  []runner
	drainers []runner
}

type runner struct {
	name string
	run  func(context.Context) error
}

// Open connects to Postgres as the service role, to the broker when the
// service uses one (and starts its outbox relay), and prepares the token
// verifier. The identity provider may be unreachable at start: readiness
// reports it until its keys arrive.
func Open(ctx context.Context, logger *slog.Logger, cfg Config) (*Process, error) {
	p := &Process{cfg: cfg, logger: logger, registry: prometheus.NewRegistry()}
	p.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	pool, err := postgres.NewPool(ctx, cfg.DatabaseURL, postgres.WithMaxConns(cfg.DatabaseMaxConns))
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	p.pool = pool
	p.checks = append(p.checks, httpserver.Check{Name: "postgres", Probe: postgres.Check(pool)})

	verifier, err := auth.NewVerifier(ctx, cfg.Auth)
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("token verifier: %w", err)
	}
	p.verifier = verifier
	p.checks = append(p.checks, httpserver.Check{Name: "identity-provider", Probe: verifier.Ready})

	if cfg.UsesKafka {
		cl, err := kafka.NewClient(kafka.Config{Brokers: cfg.KafkaBrokers, ClientID: cfg.Service})
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("kafka client: %w", err)
		}
		p.kafka = cl
		p.checks = append(p.checks, httpserver.Check{Name: "kafka", Probe: kafka.Check(cl)})
		relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{
			Schema:     cfg.Schema.Name,
			Logger:     logger,
			Registerer: p.registry,
		})
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("outbox relay: %w", err)
		}
		p.Go("outbox-relay", relay.Run)
	}
	return p, nil
}

// Close releases the broker client and the pool.
func (p *Process) Close() {
	if p.kafka != nil {
		p.kafka.Close()
	}
	if p.pool != nil {
		p.pool.Close()
	}
}

// Config returns the configuration the process was opened with.
func (p *Process) Config() Config { return p.cfg }

// Logger returns the process logger.
func (p *Process) Logger() *slog.Logger { return p.logger }

// Pool returns the service role's Postgres pool.
func (p *Process) Pool() *pgxpool.Pool { return p.pool }

// Kafka returns the broker client, or nil for a service without a broker.
func (p *Process) Kafka() *kgo.Client { return p.kafka }

// Verifier returns the access-token verifier.
func (p *Process) Verifier() *auth.Verifier { return p.verifier }

// Registry returns the Prometheus registry served on /metrics.
func (p *Process) Registry() *prometheus.Registry { return p.registry }

// AddCheck adds a readiness check.
func (p *Process) AddCheck(c httpserver.Check) { p.checks = append(p.checks, c) }

// Go registers a background runner started by Serve. A runner returns when
// its context ends; an error from it stops the whole process.
func (p *Process) Go(name string, run func(context.Context) error) {
	p.runners = append(p.runners, runner{name: name, run: run})
}

// GoDrainer registers a background runner like Go, except that its context
// ends only once the HTTP servers have stopped: they accept no more
// requests and those in flight have finished (or the shutdown timeout has
// passed). A runner that finishes work requests hand it, such as a buffer
// flushed to the database, registers here, so that on a graceful shutdown
// it still takes what the last requests produce and then drains it.
func (p *Process) GoDrainer(name string, run func(context.Context) error) {
	p.drainers = append(p.drainers, runner{name: name, run: run})
}

// EnsureTopics registers a background runner that creates the given topics
// (those that do not exist yet), retrying with backoff until the broker
// answers: the service starts, serves and fills its outbox while the broker
// is down. A service calls it with the topics of the events it produces,
// because the outbox relay publishes rows in order and waits on a topic
// that does not exist.
func (p *Process) EnsureTopics(specs ...kafka.TopicSpec) {
	p.Go("ensure-topics", func(ctx context.Context) error {
		for delay := time.Second; ; delay = min(2*delay, 30*time.Second) {
			err := kafka.EnsureTopics(ctx, p.kafka, specs...)
			if err == nil {
				p.logger.InfoContext(ctx, "topics ready", "topics", len(specs))
				<-ctx.Done()
				return nil
			}
			p.logger.WarnContext(ctx, "topics not created yet; retrying", "error", err, "retry_in", delay)
			if !retry.Sleep(ctx, delay) {
				return nil
			}
		}
	})
}

// Status is the service status reported by every service's GET /status.
type Status struct {
	Service       string
	Version       string
	SchemaVersion int64
	Ready         bool
	Dependencies  []Dependency
}

// Dependency is one readiness check's result.
type Dependency struct {
	Name string
	Up   bool
}

// Status runs the readiness checks and reads the schema version.
func (p *Process) Status(ctx context.Context) Status {
	up, ready := httpserver.Ready(ctx, p.checks...)
	st := Status{Service: p.cfg.Service, Version: p.cfg.Version, Ready: ready}
	for name, ok := range up {
		st.Dependencies = append(st.Dependencies, Dependency{Name: name, Up: ok})
	}
	sort.Slice(st.Dependencies, func(i, j int) bool { return st.Dependencies[i].Name < st.Dependencies[j].Name })
	if v, err := postgres.MigrationVersion(ctx, p.pool, p.cfg.Schema.Name); err == nil {
		st.SchemaVersion = v
	} else {
		p.logger.WarnContext(ctx, "read schema version", slog.Any("error", err))
	}
	return st
}

// Middleware returns the standard chain, outermost first: request id,
// access log, metrics, panic recovery, token verification and the body
// limit. The body limit stays innermost so the route the mux matched reaches
// the metrics and the access log (the auth middleware copies the request).
// Request validation comes after it, per API.
func (p *Process) Middleware() []httpserver.Middleware {
	m := httpserver.NewMetrics(p.registry, p.cfg.Service)
	return []httpserver.Middleware{
		httpserver.RequestID(),
		httpserver.AccessLog(p.logger),
		m.Middleware(),
		httpserver.Recover(p.logger),
		auth.Middleware(p.verifier),
		httpserver.MaxBodyBytes(p.cfg.MaxBodyBytes),
	}
}

// Validator returns kin-openapi request validation for spec, enforcing the
// spec's security requirements with the verified principal.
func (p *Process) Validator(spec *openapi3.T) (httpserver.Middleware, error) {
	return httpserver.OpenAPIValidator(spec, httpserver.ValidatorOptions{
		Authenticate: func(ctx context.Context, _ *openapi3filter.AuthenticationInput) error {
			_, err := auth.Require(ctx)
			return err
		},
		ExcludePaths: []string{"/healthz", "/readyz", "/metrics"},
	})
}

// HealthMux returns a new mux serving /healthz, /readyz and /metrics.
func (p *Process) HealthMux() *http.ServeMux {
	mux := http.NewServeMux()
	httpserver.Mount(mux, p.registry, p.checks...)
	return mux
}

// Handler builds the service's HTTP handler: /healthz, /readyz and /metrics,
// plus whatever mount registers on the mux (the generated API handler), all
// behind the standard middleware and validation against spec. Options add
// handlers served beside the API (see Unvalidated).
func (p *Process) Handler(spec *openapi3.T, mount func(mux *http.ServeMux), opts ...HandlerOption) (http.Handler, error) {
	var o handlerOptions
	for _, opt := range opts {
		opt(&o)
	}
	mux := p.HealthMux()
	mount(mux)
	validate, err := p.Validator(spec)
	if err != nil {
		return nil, fmt.Errorf("request validator: %w", err)
	}
	h := validate(mux)
	if o.unvalidated != nil {
		base := strings.TrimRight(p.cfg.BasePath, "/")
		if base == "" {
			return nil, errors.New("daemon: Unvalidated needs the API's Config.BasePath to tell the two apart")
		}
		h = splitAPI(base, h, o.unvalidated)
	}
	return httpserver.Chain(h, p.Middleware()...), nil
}

// HandlerOption changes what Process.Handler serves.
type HandlerOption func(*handlerOptions)

type handlerOptions struct {
	unvalidated http.Handler
}

// Unvalidated makes Process.Handler pass every request outside the API to
// h: a path that is neither Config.BasePath nor below it, nor /healthz,
// /readyz or /metrics. Those requests get the standard middleware but no
// OpenAPI request validation, and h answers all of them, unknown paths
// included. It is for a public URI space that a standard defines rather
// than the service's spec (passport-service's GS1 resolver answers
// /01/{gtin}/..., for one). A handler that routes by itself may set
// r.Pattern, as ServeMux does, to label its requests in metrics and logs.
func Unvalidated(h http.Handler) HandlerOption {
	return func(o *handlerOptions) { o.unvalidated = h }
}

// splitAPI sends requests for the API under base and the health endpoints
// to api, everything else to other.
func splitAPI(base string, api, other http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		switch {
		case path == base, strings.HasPrefix(path, base) && path[len(base)] == '/',
			path == httpserver.HealthzPath, path == httpserver.ReadyzPath, path == httpserver.MetricsPath:
			api.ServeHTTP(w, r)
		default:
			other.ServeHTTP(w, r)
		}
	})
}

// Serve runs the HTTP server and every registered runner until ctx ends or
// one of them fails, then shuts everything down gracefully: the servers and
// the runners of Go stop together; the runners of GoDrainer are stopped
// once the servers have.
func (p *Process) Serve(ctx context.Context, h http.Handler) error {
	g, ctx := errgroup.WithContext(ctx)
	var servers sync.WaitGroup // the HTTP servers still running
	srv := httpserver.NewServer(p.cfg.HTTPAddr, h)
	servers.Add(1)
	g.Go(func() error {
		defer servers.Done()
		p.logger.InfoContext(ctx, "listening", slog.String("addr", p.cfg.HTTPAddr))
		return httpserver.Run(ctx, p.logger, srv, p.cfg.ShutdownTimeout)
	})
	if p.cfg.DebugAddr != "" {
		debug := httpserver.NewServer(p.cfg.DebugAddr, debugMux())
		servers.Add(1)
		g.Go(func() error {
			defer servers.Done()
			p.logger.InfoContext(ctx, "debug listener (pprof)", slog.String("addr", p.cfg.DebugAddr))
			return httpserver.Run(ctx, p.logger, debug, p.cfg.ShutdownTimeout)
		})
	}
	run := func(ctx context.Context, r runner) func() error {
		return func() error {
			err := r.run(ctx)
			if err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%s: %w", r.name, err)
			}
			return nil
		}
	}
	for _, r := range p.runners {
		g.Go(run(ctx, r))
	}
	if len(p.drainers) > 0 {
		drainCtx, stopDrainers := context.WithCancel(context.WithoutCancel(ctx))
		for _, r := range p.drainers {
			g.Go(run(drainCtx, r))
		}
		g.Go(func() error {
			<-ctx.Done()
			servers.Wait()
			stopDrainers()
			return nil
		})
	}
	return g.Wait()
}

// debugMux serves the runtime profiles. It is never mounted on the API
// listener.
func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Migrate bootstraps the service's schema and role when an admin URL is
// configured, then applies the service's migrations (and the broker
// adapter's tables for a service that uses Kafka) as the service role.
func Migrate(ctx context.Context, logger *slog.Logger, cfg Config, migrations fs.FS) error {
	if cfg.DatabaseAdminURL != "" {
		admin, err := postgres.NewPool(ctx, cfg.DatabaseAdminURL, postgres.WithMaxConns(2))
		if err != nil {
			return fmt.Errorf("open admin connection: %w", err)
		}
		schema := cfg.Schema
		schema.Password = cfg.DatabaseRolePassword
		err = postgres.Bootstrap(ctx, admin, schema)
		admin.Close()
		if err != nil {
			return fmt.Errorf("bootstrap schema %s: %w", cfg.Schema.Name, err)
		}
		logger.InfoContext(ctx, "schema and role ready", slog.String("schema", cfg.Schema.Name), slog.String("role", cfg.Schema.Role))
	}
	pool, err := postgres.NewPool(ctx, cfg.DatabaseURL, postgres.WithMaxConns(2))
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	defer pool.Close()
	start := time.Now()
	if err := postgres.Migrate(ctx, pool, cfg.Schema.Name, migrations); err != nil {
		return fmt.Errorf("migrate %s: %w", cfg.Schema.Name, err)
	}
	if cfg.UsesKafka {
		if err := kafka.Migrate(ctx, pool, cfg.Schema.Name); err != nil {
			return fmt.Errorf("migrate outbox tables in %s: %w", cfg.Schema.Name, err)
		}
	}
	v, err := postgres.MigrationVersion(ctx, pool, cfg.Schema.Name)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	logger.InfoContext(ctx, "migrated", slog.String("schema", cfg.Schema.Name), slog.Int64("version", v),
		slog.Duration("took", time.Since(start)))
	return nil
}
