package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/tools/internal/devdb"
	"github.com/packytrace/packytrace/tools/internal/devoidc"
)

const (
	realmPath    = "/realms/packytrace"
	readyTimeout = 90 * time.Second
	stopTimeout  = 25 * time.Second
	databaseName = "packytrace"
)

// stack owns every process and in-process server of the local platform.
type stack struct {
	cfg   config
	out   *syncWriter
	mu    sync.Mutex // guards procs
	procs []*proc    // running services, in start order
	kafka *kfake.Cluster
	// provider and adminURL are kept for the banner.
	provider *devoidc.Provider
	adminURL string
	oidc     *http.Server
	exited   chan *proc
}

func newStack(cfg config, stdout io.Writer) *stack {
	return &stack{cfg: cfg, out: &syncWriter{w: stdout}, exited: make(chan *proc, 16)}
}

func (s *stack) say(format string, args ...any) {
	s.out.line(fmt.Sprintf("%-24s| ", "packytrace-dev") + fmt.Sprintf(format, args...))
}

func (s *stack) run(ctx context.Context) error {
	defer s.shutdown()
	if err := s.start(ctx); err != nil {
		if ctx.Err() != nil { // Ctrl-C while starting: a clean stop, not a failure
			s.say("stopping (Ctrl-C)")
			return nil
		}
		return err
	}
	select {
	case <-ctx.Done():
		s.say("stopping (Ctrl-C)")
		return nil
	case p := <-s.exited:
		return fmt.Errorf("%s exited unexpectedly (%w); its log is above", p.name, p.err)
	}
}

// start brings the stack up in order, waiting for each part to be ready.
func (s *stack) start(ctx context.Context) error {
	started := time.Now()

	adminURL, err := s.ensureDatabase(ctx)
	if err != nil {
		return err
	}
	s.adminURL = adminURL
	if err := s.startKafka(ctx); err != nil {
		return err
	}
	issuer, err := s.startOIDC(ctx)
	if err != nil {
		return err
	}
	env := func(svc service) ([]string, error) { return s.serviceEnv(svc, adminURL, issuer) }
	if err := s.startAll(ctx, s.cfg.Services, env); err != nil {
		return err
	}
	if err := s.startAll(ctx, []service{s.cfg.Gateway}, env); err != nil {
		return err
	}
	if err := s.loadDemo(ctx, issuer); err != nil {
		return err
	}
	s.banner(issuer, time.Since(started))
	return nil
}

// ensureDatabase finds a PostgreSQL server, creates the packytrace database
// when it is missing and returns the admin URL the services' migrate steps use.
func (s *stack) ensureDatabase(ctx context.Context) (string, error) {
	candidates := []string{s.cfg.DatabaseURL}
	if s.cfg.DatabaseURL == "" {
		candidates = []string{
			"postgres://postgres@127.0.0.1:5432/" + databaseName + "?sslmode=disable",
			"postgres:///" + databaseName + "?host=/var/run/postgresql&user=postgres",
		}
	}
	var errs []error
	for _, u := range candidates {
		if _, err := devdb.Ensure(ctx, u); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", redact(u), err))
			continue
		}
		s.say("postgres ready at %s", redact(u))
		return u, nil
	}
	return "", fmt.Errorf("no PostgreSQL server answered:\n  %w\n\nfix: start one (Debian: pg_ctlcluster 15 main start) "+
		"or point DATABASE_URL at a server you can administer, e.g.\n  DATABASE_URL=postgres://postgres:secret@localhost:5432/packytrace make run",
		errors.Join(errs...))
}

func (s *stack) startKafka(ctx context.Context) error {
	_, portText, _ := net.SplitHostPort(s.cfg.KafkaAddr)
	port, _ := strconv.Atoi(portText)
	cluster, err := kfake.NewCluster(kfake.Ports(port))
	if err != nil {
		return fmt.Errorf("start kfake broker on %s: %w (is the port taken?)", s.cfg.KafkaAddr, err)
	}
	s.kafka = cluster
	cl, err := kgo.NewClient(kgo.SeedBrokers(s.cfg.KafkaAddr))
	if err != nil {
		return err
	}
	defer cl.Close()
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := cl.Ping(pingCtx); err != nil {
		return fmt.Errorf("kfake broker on %s does not answer: %w", s.cfg.KafkaAddr, err)
	}
	s.say("kafka (kfake) ready at %s", s.cfg.KafkaAddr)
	return nil
}

func (s *stack) startOIDC(ctx context.Context) (string, error) {
	issuer := "http://" + s.cfg.OIDCAddr + realmPath
	provider, err := devoidc.New(devoidc.Config{Issuer: issuer, Mode: s.cfg.Env})
	if err != nil {
		return "", fmt.Errorf("development OpenID provider: %w", err)
	}
	s.provider = provider
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.OIDCAddr)
	if err != nil {
		return "", fmt.Errorf("development OpenID provider: %w", err)
	}
	s.oidc = &http.Server{Handler: provider.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.oidc.Serve(ln) }()
	if err := waitHTTP(ctx, issuer+"/.well-known/openid-configuration", nil, 10*time.Second); err != nil {
		return "", fmt.Errorf("development OpenID provider: %w", err)
	}
	s.say("OpenID provider (development) ready at %s", issuer)
	return issuer, nil
}

// startAll migrates the given services, starts them and waits until every
// one answers /readyz.
func (s *stack) startAll(ctx context.Context, svcs []service, env func(service) ([]string, error)) error {
	var wg sync.WaitGroup
	errs := make([]error, len(svcs))
	for i, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vars, err := env(svc)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = s.startOne(ctx, svc, vars)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (s *stack) startOne(ctx context.Context, svc service, env []string) error {
	bin := filepath.Join(s.cfg.BinDir, svc.Name)
	migrate, err := startProc(svc.Name, bin, []string{"migrate"}, env, s.out)
	if err != nil {
		return err
	}
	<-migrate.done
	if migrate.err != nil {
		return fmt.Errorf("%s migrate failed (%w); its log is above", svc.Name, migrate.err)
	}
	p, err := startProc(svc.Name, bin, []string{"serve"}, env, s.out)
	if err != nil {
		return err
	}
	s.track(p)
	if err := waitHTTP(ctx, "http://"+svc.Addr+"/readyz", p.done, readyTimeout); err != nil {
		return fmt.Errorf("%s did not become ready: %w", svc.Name, err)
	}
	s.say("%s ready at http://%s", svc.Name, svc.Addr)
	return nil
}

func (s *stack) track(p *proc) {
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	go func() {
		<-p.done
		if !p.stopping() {
			s.exited <- p
		}
	}()
}

func (s *stack) serviceEnv(svc service, adminURL, issuer string) ([]string, error) {
	roleURL, err := postgres.URLForRole(adminURL, svc.Role, s.cfg.RolePassword)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", svc.Name, err)
	}
	env := append(os.Environ(),
		"HTTP_ADDR="+svc.Addr,
		"DATABASE_URL="+roleURL,
		"DATABASE_ADMIN_URL="+adminURL,
		"DATABASE_ROLE_PASSWORD="+s.cfg.RolePassword,
		"KAFKA_BROKERS="+s.cfg.KafkaAddr,
		"OIDC_ISSUER="+issuer,
		"OIDC_AUDIENCE=packytrace-api",
		"RESOLVER_ROOT=http://"+s.cfg.Gateway.Addr,
	)
	if svc.Name == s.cfg.Gateway.Name {
		for _, b := range s.cfg.Services {
			env = append(env, b.BackendEnv+"=http://"+b.Addr)
		}
	}
	return env, nil
}

func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// waitHTTP polls url until it answers 200, the process behind it exits
// (done closes), ctx ends or timeout passes.
func waitHTTP(ctx context.Context, target string, done <-chan struct{}, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	var last string
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %s", target, last)
		case <-done:
			return errors.New("the process exited; its log is above")
		case <-tick.C:
		}
	}
}

// shutdown stops the gateway first, then the services, then the provider and
// the broker.
func (s *stack) shutdown() {
	s.mu.Lock()
	procs := append([]*proc(nil), s.procs...)
	s.mu.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].markStopping()
	}
	var wg sync.WaitGroup
	for i := len(procs) - 1; i >= 0; i-- {
		wg.Add(1)
		go func(p *proc) {
			defer wg.Done()
			p.stop()
		}(procs[i])
	}
	wg.Wait()
	if s.oidc != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = s.oidc.Shutdown(ctx)
		cancel()
	}
	if s.kafka != nil {
		s.kafka.Close()
	}
	if len(procs) > 0 || s.kafka != nil {
		s.say("stopped")
	}
}
