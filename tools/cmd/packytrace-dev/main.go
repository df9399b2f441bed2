// Command packytrace-dev runs the whole platform on one machine: the embedded
// default behind `make run`. In order, and waiting until each is ready, it
// checks PostgreSQL (creating the database, schemas and roles when missing),
// starts franz-go's kfake broker on a fixed local port, starts the
// development OpenID provider, runs every service's migrations and starts the
// services, then the gateway. It prints where to look and how to get a token.
// Ctrl-C stops everything and leaves no process behind.
//
// It is a development tool: it lives in the tools module and no service
// binary contains it or the provider.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "packytrace-dev:", err)
		var usage usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ error }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("packytrace-dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	binDir := fs.String("bin", "bin", "directory holding the service binaries (make run builds them there)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	cfg, err := loadConfig(getenv, *binDir)
	if err != nil {
		return err
	}
	return newStack(cfg, stdout).run(ctx)
}
