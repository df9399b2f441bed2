package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/packytrace/packytrace/adapters/httpserver"
)

// Usage is the command-line help every service binary prints.
const Usage = `usage: %[1]s [command]

commands:
  serve     run the HTTP API and background workers (the default)
  migrate   bootstrap the schema and role (when DATABASE_ADMIN_URL is set) and apply migrations
  version   print the version
  help      print this help

Configuration is read from environment variables only; see the service README.
`

// ErrUsage marks a command-line mistake; Main exits with status 2 for it.
var ErrUsage = errors.New("usage error")

// RunFunc is a service's run function: everything main does but exiting.
type RunFunc func(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error

// Main runs run with a context that SIGINT and SIGTERM cancel and exits the
// process: 0 on success, 2 on a usage error, 1 otherwise. It is the only
// place a service exits.
func Main(service string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, service+":", err)
		if errors.Is(err, ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// ParseCommand returns the subcommand named by args: serve (the default),
// migrate, version or help.
func ParseCommand(service string, args []string) (string, error) {
	if len(args) == 0 {
		return "serve", nil
	}
	if len(args) > 1 {
		return "", fmt.Errorf("%w: unexpected arguments after %q; run %s help", ErrUsage, args[0], service)
	}
	switch args[0] {
	case "serve", "migrate", "version":
		return args[0], nil
	case "help", "-h", "-help", "--help":
		return "help", nil
	default:
		return "", fmt.Errorf("%w: unknown command %q; run %s help", ErrUsage, args[0], service)
	}
}

// Command is a parsed command line of a service.
type Command struct {
	Name    string // serve or migrate
	service string
	version string
	stdout  io.Writer
}

// Parse reads the command line. For help and version it prints the answer
// and returns done; the caller then returns nil.
func Parse(service, version string, args []string, stdout io.Writer) (cmd Command, done bool, err error) {
	name, err := ParseCommand(service, args)
	if err != nil {
		return Command{}, false, err
	}
	switch name {
	case "help":
		_, err = fmt.Fprintf(stdout, Usage, service)
		return Command{}, true, err
	case "version":
		_, err = fmt.Fprintln(stdout, version)
		return Command{}, true, err
	}
	return Command{Name: name, service: service, version: version, stdout: stdout}, false, nil
}

// Execute runs the parsed command with cfg, the configuration the service
// loaded: migrate applies migrations; serve opens the process, asks build
// for the service's HTTP handler and serves it until ctx ends. values are
// the configuration variables (secrets masked) for the start-up log line.
// Log lines to stdout are buffered and written out before Execute returns.
func (c Command) Execute(ctx context.Context, cfg Config, values []slog.Attr, migrations fs.FS,
	build func(proc *Process) (http.Handler, error),
) error {
	// Log lines are batched (see httpserver.LogBuffer for the crash window);
	// warnings and errors are written at once, the rest within 100 ms.
	logs := httpserver.NewLogBuffer(c.stdout, httpserver.DefaultLogBufferSize, httpserver.DefaultLogFlushInterval)
	defer func() { _ = logs.Close() }() // stdout has no one to report to
	logger := httpserver.NewLogger(logs, cfg.LogLevel, c.service)
	logger.InfoContext(ctx, "starting", slog.String("command", c.Name), slog.String("version", c.version),
		slog.Any("config", values))
	if c.Name == "migrate" {
		return Migrate(ctx, logger, cfg, migrations)
	}
	proc, err := Open(ctx, logger, cfg)
	if err != nil {
		return err
	}
	defer proc.Close()
	handler, err := build(proc)
	if err != nil {
		return err
	}
	return proc.Serve(ctx, handler)
}
