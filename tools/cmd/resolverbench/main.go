// Command resolverbench is the resolver's load script. In one run, on
// loopback only, it:
//
//  1. starts a Kafka-protocol broker (kfake) and the development OpenID
//     provider in-process, and the real passport-service binary against a
//     fresh `passport` schema in the bench database;
//  2. loads -anchors GTIN anchors (a default link and a pip link each) through
//     the management API, as the admin user, and waits until the resolver
//     answers for the last of them;
//  3. starts a bare Go HTTP server (this binary, -serve-bare) that answers
//     the same 307 from a map, as the baseline;
//  4. drives GET /01/{gtin} -> 307 over every anchor, closed loop with -c
//     workers for -d, against the baseline and then the resolver, -rounds
//     times in turn (so that neither always runs on a warmer or cooler
//     machine), and prints every run, the ratio of each round and their
//     median;
//  5. drives both servers open loop at -rate requests/s for -rate-d and
//     prints p50/p99 (latency counted from when each request was due), the
//     baseline's showing what the load generator and the machine add;
//  6. loads anchors up to -memory-anchors and prints the resolver's resident
//     memory (VmRSS) with them all in its index;
//  7. with -scans (the default: scan recording on, as in production),
//     consumes passport.scan.recorded.v1 from the broker all along and
//     prints, per resolver run, the scans recorded per second and the lag
//     from each scan (the event's occurred_at) to its record's timestamp
//     on the broker (p50, p99, max) and to the bench's consumer (p99);
//  8. stops passport-service and starts it again on the same database, and
//     prints the fresh replica's start-up load time (until /readyz answers
//     and the last anchor resolves) and its VmRSS: a replica's steady state,
//     without the upload path's garbage.
//
// Usage (make bench-resolver runs the defaults):
//
//	go build -o bin/ ./services/passport-service/cmd/passport-service ./tools/cmd/resolverbench
//	bin/resolverbench -bin bin -anchors 100000 -memory-anchors 1000000
//
// Exit codes: 0 done, 1 a step failed, 2 bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Upper bounds that keep a mistyped flag from running for hours.
const (
	maxAnchors     = 5_000_000
	maxDuration    = 10 * time.Minute
	maxConcurrency = 4096
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	bin           string
	db            string
	anchors       int
	memoryAnchors int
	batch         int
	concurrency   int
	rounds        int
	duration      time.Duration
	warmup        time.Duration
	rate          float64
	rateDuration  time.Duration
	addr          string
	bareAddr      string
	oidcAddr      string
	kafkaAddr     string
	serveBare     string
	keep          bool
	scans         bool
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parse(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		_, _ = fmt.Fprintln(stderr, "resolverbench:", err)
		return 2
	}
	if opts.serveBare != "" {
		err = serveBare(ctx, opts.serveBare, opts.anchors)
	} else {
		err = bench(ctx, opts, stdout)
	}
	if err != nil && ctx.Err() == nil {
		_, _ = fmt.Fprintln(stderr, "resolverbench:", err)
		return 1
	}
	return 0
}

func parse(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("resolverbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	defaultDB := os.Getenv("BENCH_DATABASE_URL")
	if defaultDB == "" {
		defaultDB = "postgres://postgres@127.0.0.1:5432/packytrace_bench?sslmode=disable"
	}
	fs.StringVar(&o.bin, "bin", "bin", "directory holding the passport-service binary")
	fs.StringVar(&o.db, "db", defaultDB, "admin URL of the bench database (created if missing; its passport schema is dropped and rebuilt)")
	fs.IntVar(&o.anchors, "anchors", 100_000, "GTIN anchors loaded for the throughput runs")
	fs.IntVar(&o.memoryAnchors, "memory-anchors", 1_000_000, "anchors loaded for the memory reading (0 skips it)")
	fs.IntVar(&o.batch, "batch", 2_000, "anchors per linkset upload")
	fs.IntVar(&o.concurrency, "c", 64, "concurrent keep-alive clients in the closed-loop runs")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "duration of each closed-loop run")
	fs.IntVar(&o.rounds, "rounds", 3, "closed-loop rounds, each bare then resolver; the median ratio is reported")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "untimed warm-up before each closed-loop run")
	fs.Float64Var(&o.rate, "rate", 1000, "requests per second of the open-loop latency run (0 skips it)")
	fs.DurationVar(&o.rateDuration, "rate-d", 10*time.Second, "duration of the open-loop run")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:18380", "listen address of passport-service")
	fs.StringVar(&o.bareAddr, "bare-addr", "127.0.0.1:18381", "listen address of the bare baseline server")
	fs.StringVar(&o.oidcAddr, "oidc-addr", "127.0.0.1:18382", "listen address of the development OpenID provider")
	fs.StringVar(&o.kafkaAddr, "kafka-addr", "127.0.0.1:18383", "listen address of the kfake broker")
	fs.StringVar(&o.serveBare, "serve-bare", "", "only serve the bare baseline on this address (used by the run itself)")
	fs.BoolVar(&o.keep, "keep", false, "leave passport-service's log file in place")
	fs.BoolVar(&o.scans, "scans", true, "run passport-service with scan recording on and report the scans on the broker (per second, lag)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	switch {
	case o.anchors < 1 || o.anchors > maxAnchors:
		return o, usageError{fmt.Sprintf("-anchors must be between 1 and %d", maxAnchors)}
	case o.memoryAnchors != 0 && (o.memoryAnchors < o.anchors || o.memoryAnchors > maxAnchors):
		return o, usageError{fmt.Sprintf("-memory-anchors must be 0 or between -anchors and %d", maxAnchors)}
	case o.batch < 1 || o.batch > 10_000:
		return o, usageError{"-batch must be between 1 and 10000"}
	case o.rounds < 1 || o.rounds > 20:
		return o, usageError{"-rounds must be between 1 and 20"}
	case o.concurrency < 1 || o.concurrency > maxConcurrency:
		return o, usageError{fmt.Sprintf("-c must be between 1 and %d", maxConcurrency)}
	case o.duration <= 0 || o.duration > maxDuration || o.rateDuration <= 0 || o.rateDuration > maxDuration:
		return o, usageError{fmt.Sprintf("-d and -rate-d must be positive and at most %s", maxDuration)}
	case o.warmup < 0 || o.warmup > maxDuration:
		return o, usageError{"-warmup must be between 0 and " + maxDuration.String()}
	case o.rate < 0 || o.rate > 1e6:
		return o, usageError{"-rate must be between 0 and 1000000"}
	}
	for _, a := range []string{o.addr, o.bareAddr, o.oidcAddr, o.kafkaAddr, o.serveBare} {
		if a == "" {
			continue
		}
		if err := loopback(a); err != nil {
			return o, usageError{err.Error()}
		}
	}
	return o, nil
}

// loopback refuses listen addresses off the loopback interface: the script
// must never load someone else's server or expose the bench one.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q is not a loopback IP address", addr)
	}
	return nil
}
