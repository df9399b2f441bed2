package daemon

import (
	"errors"
	"fmt"
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

// ErrUsage marks a command-line mistake; main exits with status 2 for it.
var ErrUsage = errors.New("usage error")

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
