package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/tools/internal/devdb"
	"github.com/packytrace/packytrace/tools/internal/devoidc"
	"github.com/packytrace/packytrace/tools/internal/loadgen"
)

// productTopic carries passport-service's catalog changes.
const productTopic = "passport.product.changed.v1"

// rolePassword is the DEV-ONLY password the bench gives passport-service's
// database role; the bench database is thrown away.
const rolePassword = "bench-only-password"

// bench runs the whole script; see the package comment.
func bench(ctx context.Context, o options, stdout io.Writer) error {
	say := func(format string, args ...any) { _, _ = fmt.Fprintf(stdout, format+"\n", args...) }
	bin := filepath.Join(o.bin, "passport-service")
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("passport-service binary: %w (build it: go build -o %s/ ./services/passport-service/cmd/passport-service)", err, o.bin)
	}
	if err := freshSchema(ctx, o.db); err != nil {
		return err
	}
	// The topics passport-service produces to exist from the start: the
	// relay publishes its outbox in order, so a missing topic would hold up
	// the scans behind that topic's events.
	cluster, err := kfake.NewCluster(kfake.Ports(port(o.kafkaAddr)), kfake.SeedTopics(3, scanTopic, productTopic))
	if err != nil {
		return fmt.Errorf("kfake on %s: %w", o.kafkaAddr, err)
	}
	defer cluster.Close()
	var scans *scanWatch
	if o.scans {
		wctx, stopWatch := context.WithCancel(ctx)
		defer stopWatch()
		if scans, err = watchScans(wctx, o.kafkaAddr); err != nil {
			return err
		}
	}
	issuer, stopOIDC, err := startOIDC(ctx, o.oidcAddr)
	if err != nil {
		return err
	}
	defer stopOIDC()

	roleURL, err := postgres.URLForRole(o.db, "passport_service", rolePassword)
	if err != nil {
		return err
	}
	logFile, err := os.CreateTemp("", "resolverbench-passport-*.log")
	if err != nil {
		return err
	}
	defer func() {
		_ = logFile.Close()
		if !o.keep {
			_ = os.Remove(logFile.Name())
		}
	}()
	env := append(os.Environ(),
		"HTTP_ADDR="+o.addr, "DATABASE_URL="+roleURL, "DATABASE_ADMIN_URL="+o.db,
		"DATABASE_ROLE_PASSWORD="+rolePassword, "KAFKA_BROKERS="+o.kafkaAddr,
		"OIDC_ISSUER="+issuer, "OIDC_AUDIENCE=packytrace-api", "LOG_LEVEL=info",
		"HTTP_MAX_BODY_BYTES="+strconv.Itoa(16<<20), "RESOLVER_ROOT=http://"+o.addr,
		"SCAN_RECORDING="+strconv.FormatBool(o.scans))
	migrate := exec.CommandContext(ctx, bin, "migrate")
	migrate.Env, migrate.Stdout, migrate.Stderr = env, logFile, logFile
	if err := migrate.Run(); err != nil {
		return fmt.Errorf("passport-service migrate: %w (log: %s)", err, logFile.Name())
	}
	svc, err := startChild(bin, []string{"serve"}, env, logFile)
	if err != nil {
		return err
	}
	defer func() { svc.stop() }() // svc is replaced by the fresh replica
	base := "http://" + o.addr
	if err := waitHTTP(ctx, base+"/readyz", 60*time.Second); err != nil {
		return fmt.Errorf("passport-service: %w (log: %s)", err, logFile.Name())
	}
	say("passport-service pid %d ready at %s (log %s)", svc.cmd.Process.Pid, base, logFile.Name())

	client := loadgen.NewClient(o.concurrency, 30*time.Second)
	token, err := devoidc.PasswordToken(ctx, client, issuer, "packytrace-cli", "admin", "admin")
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := load(ctx, client, base, token, 0, o.anchors, o.batch); err != nil {
		return err
	}
	if err := waitResolves(ctx, client, base, o.anchors-1, 60*time.Second); err != nil {
		return err
	}
	took := time.Since(t0)
	say("loaded %d anchors through the management API in %s (%.0f anchors/s, upload to resolvable)",
		o.anchors, took.Round(time.Millisecond), float64(o.anchors)/took.Seconds())
	rss100k, _ := residentBytes(svc.cmd.Process.Pid)

	self, err := os.Executable()
	if err != nil {
		return err
	}
	bare, err := startChild(self, []string{"-serve-bare", o.bareAddr, "-anchors", strconv.Itoa(o.anchors)}, os.Environ(), logFile)
	if err != nil {
		return err
	}
	defer bare.stop()
	bareBase := "http://" + o.bareAddr
	if err := waitResolves(ctx, client, bareBase, o.anchors-1, 30*time.Second); err != nil {
		return fmt.Errorf("bare baseline: %w", err)
	}

	// The same shuffled GTIN order for both servers.
	rng := rand.New(rand.NewPCG(1, 2))
	order := rng.Perm(o.anchors)
	urls := func(b string) []string {
		u := make([]string, len(order))
		for i, k := range order {
			u[i] = b + "/01/" + gtin(k)
		}
		return u
	}
	// window is when the last closed-loop run was measured (after its
	// warm-up): its scans are those that arrived then.
	var window [2]time.Time
	closed := func(name, b string) (loadgen.Result, error) {
		cfg := loadgen.Config{URLs: urls(b), Concurrency: o.concurrency, ExpectStatus: http.StatusTemporaryRedirect,
			Client: loadgen.NewClient(o.concurrency, 30*time.Second)}
		if o.warmup > 0 {
			cfg.Duration = o.warmup
			if _, err := loadgen.Run(ctx, cfg); err != nil {
				return loadgen.Result{}, err
			}
		}
		cfg.Duration = o.duration
		window[0] = time.Now()
		res, err := loadgen.Run(ctx, cfg)
		window[1] = time.Now()
		if err == nil {
			say("%-12s %s", name, res)
		}
		return res, err
	}
	say("\nclosed loop: GET /01/{gtin} -> 307 over %d GTINs, c=%d, %s each, %d rounds of bare then resolver",
		o.anchors, o.concurrency, o.duration, o.rounds)
	var bareRuns, resRuns []loadgen.Result
	var ratios []float64
	var resWindows [][2]time.Time
	if scans != nil {
		scans.pause()
	}
	for round := 1; round <= o.rounds; round++ {
		b, err := closed(fmt.Sprintf("bare #%d", round), bareBase)
		if err != nil {
			return err
		}
		r, err := closed(fmt.Sprintf("resolver #%d", round), base)
		if err != nil {
			return err
		}
		resWindows = append(resWindows, window)
		if scans != nil {
			took, err := drained(ctx, client, base, 5*time.Minute)
			if err != nil {
				return err
			}
			say("%-12s scan pipeline drained %s after the run", "", took.Round(time.Millisecond))
		}
		if b.Errors > 0 || r.Errors > 0 {
			return fmt.Errorf("errors during the closed-loop runs: bare %d (%s), resolver %d (%s)",
				b.Errors, b.FirstError, r.Errors, r.FirstError)
		}
		bareRuns, resRuns = append(bareRuns, b), append(resRuns, r)
		ratios = append(ratios, r.Throughput/b.Throughput)
	}
	if scans != nil {
		// Read what the closed loop produced before the open loop, whose
		// scans are then consumed as they arrive.
		scans.resume()
		scans.settle(ctx, 2*time.Second, 2*time.Minute)
	}
	ratio := median(ratios)
	mid := slices.Index(ratios, ratio)
	bareRes, resRes := bareRuns[mid], resRuns[mid]

	// The open loop runs against both servers, so that what the load
	// generator and the machine add to the latency shows in the baseline.
	var openBare, open loadgen.Result
	var openWindow [2]time.Time
	if o.rate > 0 {
		say("\nopen loop: %.0f req/s for %s, bare then resolver", o.rate, o.rateDuration)
		for _, t := range []struct {
			name, base string
			into       *loadgen.Result
		}{{"bare", bareBase, &openBare}, {"resolver", base, &open}} {
			start := time.Now()
			res, err := loadgen.Run(ctx, loadgen.Config{URLs: urls(t.base), Concurrency: o.concurrency, Rate: o.rate,
				Duration: o.rateDuration, ExpectStatus: http.StatusTemporaryRedirect,
				Client: loadgen.NewClient(o.concurrency, 30*time.Second)})
			if err != nil {
				return err
			}
			say("%-12s %s", t.name, res)
			*t.into = res
			if t.into == &open {
				openWindow = [2]time.Time{start, time.Now()}
			}
		}
	}
	bare.stop()

	// Scan records: every resolved GET of the runs above should reach the
	// broker; wait until the pipeline is quiet, then count them per run.
	var scanRuns []scanStats
	var openScans scanStats
	if scans != nil {
		took := scans.settle(ctx, 2*time.Second, 2*time.Minute)
		say("\nscan records on %s (pipeline quiet after %s)", scanTopic, took.Round(time.Millisecond))
		for i, w := range resWindows {
			st := scans.window(w[0], w[1])
			scanRuns = append(scanRuns, st)
			say("%-12s %s; %.3f scans per request", fmt.Sprintf("resolver #%d", i+1), st, float64(st.scans)/float64(max(resRuns[i].Requests, 1)))
		}
		if o.rate > 0 {
			openScans = scans.window(openWindow[0], openWindow[1])
			openScans.live = true
			say("%-12s %s", "open loop", openScans)
		}
		if err := scans.problems(); err != nil {
			return err
		}
	}

	var rssBig int64
	if o.memoryAnchors > o.anchors {
		say("\nmemory: loading anchors up to %d", o.memoryAnchors)
		t0 := time.Now()
		if err := load(ctx, client, base, token, o.anchors, o.memoryAnchors, o.batch); err != nil {
			return err
		}
		if err := waitResolves(ctx, client, base, o.memoryAnchors-1, 5*time.Minute); err != nil {
			return err
		}
		took := time.Since(t0)
		say("loaded %d more anchors in %s (%.0f anchors/s)", o.memoryAnchors-o.anchors, took.Round(time.Millisecond),
			float64(o.memoryAnchors-o.anchors)/took.Seconds())
		if rssBig, err = residentBytes(svc.cmd.Process.Pid); err != nil {
			return err
		}
	}

	// A fresh replica: the same binary started on the loaded database, as a
	// new replica or a restarted one starts. It holds only the index its
	// start-up load built, no upload garbage: a replica's steady state.
	loaded := max(o.anchors, o.memoryAnchors)
	say("\nfresh replica: restarting passport-service on %d anchors", loaded)
	svc.stop()
	t0 = time.Now()
	if svc, err = startChild(bin, []string{"serve"}, env, logFile); err != nil {
		return err
	}
	if err := waitHTTP(ctx, base+"/readyz", 5*time.Minute); err != nil {
		return fmt.Errorf("fresh replica: %w (log: %s)", err, logFile.Name())
	}
	if err := waitResolves(ctx, client, base, loaded-1, time.Minute); err != nil {
		return fmt.Errorf("fresh replica: %w", err)
	}
	startup := time.Since(t0)
	rssFresh, err := residentBytes(svc.cmd.Process.Pid)
	if err != nil {
		return err
	}
	say("ready and resolving in %s (pid %d)", startup.Round(time.Millisecond), svc.cmd.Process.Pid)

	say("\nsummary")
	// The aims: 0.8 for resolution alone (issue 3), 0.6 with every scan
	// recorded (issue 4).
	aim := 0.8
	if o.scans {
		aim = 0.6
	}
	say("  throughput  ratio per round %s; median %.3f (aim >= %.1f): bare %.0f req/s, resolver %.0f req/s",
		fmtRatios(ratios), ratio, aim, bareRes.Throughput, resRes.Throughput)
	say("  latency     bare p50 %s p99 %s; resolver p50 %s p99 %s (closed loop, c=%d)",
		ms(bareRes.P50), ms(bareRes.P99), ms(resRes.P50), ms(resRes.P99), o.concurrency)
	if o.rate > 0 {
		say("  at %.0f req/s resolver p50 %s p99 %s, %d errors (aim p99 < 5 ms); bare p50 %s p99 %s",
			o.rate, ms(open.P50), ms(open.P99), open.Errors, ms(openBare.P50), ms(openBare.P99))
	}
	if scans != nil {
		st := scanRuns[mid]
		say("  scans       %.0f scans/s recorded in the median round (%.3f per request), lag scan -> broker p99 %s (closed loop, aim < 1 s)",
			st.perSecond, float64(st.scans)/float64(max(resRes.Requests, 1)), ms(st.lagP99))
		if o.rate > 0 {
			say("  scans       at %.0f req/s: %.0f scans/s, lag scan -> broker p50 %s p99 %s, -> consumer p99 %s (aim < 1 s)",
				o.rate, openScans.perSecond, ms(openScans.lagP50), ms(openScans.lagP99), ms(openScans.consumeP99))
		}
	} else {
		say("  scans       recording off (-scans=false)")
	}
	say("  memory      resolver VmRSS %s with %d anchors", mib(rss100k), o.anchors)
	if rssBig > 0 {
		say("  memory      resolver VmRSS %s with %d anchors (aim < 1 GiB)", mib(rssBig), o.memoryAnchors)
	}
	say("  memory      fresh replica VmRSS %s with %d anchors, start-up load %s (aim < 1 GiB)",
		mib(rssFresh), loaded, startup.Round(time.Millisecond))
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// port returns the port of a host:port address (validated by parse).
func port(addr string) int {
	_, p, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return n
}

// freshSchema creates the bench database if missing and drops its passport
// schema, so every run starts from an empty resolver.
func freshSchema(ctx context.Context, adminURL string) error {
	if _, err := devdb.Ensure(ctx, adminURL); err != nil {
		return fmt.Errorf("bench database: %w", err)
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("bench database: %w", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS passport CASCADE"); err != nil {
		return fmt.Errorf("drop the bench passport schema: %w", err)
	}
	return nil
}

// startOIDC serves the development OpenID provider on addr.
func startOIDC(ctx context.Context, addr string) (string, func(), error) {
	issuer := "http://" + addr + "/realms/packytrace"
	provider, err := devoidc.New(devoidc.Config{Issuer: issuer, Mode: "dev", TokenTTL: time.Hour})
	if err != nil {
		return "", nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("development OpenID provider: %w", err)
	}
	srv := &http.Server{Handler: provider.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return issuer, func() { _ = srv.Close() }, nil
}

// child is a process the bench started.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startChild starts bin; the child lives until stop, not until a context
// ends, so that it can be asked to stop gracefully.
func startChild(bin string, args, env []string, log io.Writer) (*child, error) {
	cmd := exec.CommandContext(context.Background(), bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(c.done) }()
	return c, nil
}

// stop asks the child to shut down (SIGTERM) and kills it after 10 s. It is
// safe to call twice.
func (c *child) stop() {
	select {
	case <-c.done:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// waitHTTP polls url until it answers 200.
func waitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	return poll(ctx, http.DefaultClient, url, timeout, 100*time.Millisecond, "answer 200",
		func(res *http.Response) bool { return res.StatusCode == http.StatusOK })
}

// residentBytes reads a process's resident set size (VmRSS) from /proc.
func residentBytes(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read resident memory: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parse VmRSS %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("no VmRSS line in /proc status")
}

// median returns the middle value of xs (the lower middle for an even
// count); xs is not modified.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

func fmtRatios(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.3f", x)
	}
	return strings.Join(parts, ", ")
}
