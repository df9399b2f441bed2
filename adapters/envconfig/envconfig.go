// Package envconfig reads a service's configuration from environment
// variables. A Reader records every missing or malformed variable instead of
// stopping at the first, so a misconfigured process reports all of its
// problems in one start, and it remembers what it read so the configuration
// can be logged with secrets masked.
package envconfig

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Reader reads variables through a getenv function (os.Getenv in main, a map
// in tests).
type Reader struct {
	getenv func(string) string
	errs   []error
	seen   map[string]string
	secret map[string]bool
}

// New returns a Reader over getenv.
func New(getenv func(string) string) *Reader {
	return &Reader{getenv: getenv, seen: map[string]string{}, secret: map[string]bool{}}
}

func (r *Reader) lookup(name, def string) (string, bool) {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		if def != "" {
			r.seen[name] = def
		}
		return def, false
	}
	r.seen[name] = v
	return v, true
}

func (r *Reader) fail(name, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

// String reads name, or def when it is unset.
func (r *Reader) String(name, def string) string {
	v, _ := r.lookup(name, def)
	return v
}

// Required reads name and records an error when it is unset.
func (r *Reader) Required(name string) string {
	v, ok := r.lookup(name, "")
	if !ok {
		r.fail(name, "is required but not set")
	}
	return v
}

// Secret reads name like String and masks its value in Values.
func (r *Reader) Secret(name, def string) string {
	r.secret[name] = true
	return r.String(name, def)
}

// Int reads a decimal integer within [lo, hi].
func (r *Reader) Int(name string, def, lo, hi int) int {
	v, ok := r.lookup(name, "")
	if !ok {
		r.seen[name] = strconv.Itoa(def)
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, "must be an integer from %d to %d, got %q", lo, hi, v)
		return def
	}
	return n
}

// Duration reads a Go duration ("250ms", "30s") within [lo, hi].
func (r *Reader) Duration(name string, def, lo, hi time.Duration) time.Duration {
	v, ok := r.lookup(name, "")
	if !ok {
		r.seen[name] = def.String()
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		r.fail(name, "must be a duration from %s to %s (like 30s), got %q", lo, hi, v)
		return def
	}
	return d
}

// Bool reads true/false/1/0.
func (r *Reader) Bool(name string, def bool) bool {
	v, ok := r.lookup(name, "")
	if !ok {
		r.seen[name] = strconv.FormatBool(def)
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "must be true or false, got %q", v)
		return def
	}
	return b
}

// List reads a comma-separated list, dropping empty items.
func (r *Reader) List(name string, def []string) []string {
	v, ok := r.lookup(name, strings.Join(def, ","))
	if !ok {
		return def
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// URL reads an absolute URL with one of the given schemes. An empty def with
// required false returns nil when unset.
func (r *Reader) URL(name, def string, required bool, schemes ...string) *url.URL {
	v, ok := r.lookup(name, def)
	if !ok && def == "" {
		if required {
			r.fail(name, "is required but not set")
		}
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || !contains(schemes, u.Scheme) {
		r.fail(name, "must be an absolute %s URL, got %q", strings.Join(schemes, " or "), redactURL(v))
		return nil
	}
	return u
}

// Level reads a slog level name (debug, info, warn, error).
func (r *Reader) Level(name string, def slog.Level) slog.Level {
	v, ok := r.lookup(name, "")
	if !ok {
		r.seen[name] = def.String()
		return def
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		r.fail(name, "must be debug, info, warn or error, got %q", v)
		return def
	}
	return l
}

// Check lets a caller add a rule that spans variables.
func (r *Reader) Check(ok bool, name, format string, args ...any) {
	if !ok {
		r.fail(name, format, args...)
	}
}

// Err returns every recorded problem joined, or nil.
func (r *Reader) Err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("configuration is invalid:\n  %w", errors.Join(r.errs...))
}

// Values returns the variables read, sorted by name, with secrets masked and
// passwords removed from URLs, ready to log.
func (r *Reader) Values() []slog.Attr {
	names := make([]string, 0, len(r.seen))
	for n := range r.seen {
		names = append(names, n)
	}
	sort.Strings(names)
	attrs := make([]slog.Attr, 0, len(names))
	for _, n := range names {
		v := r.seen[n]
		switch {
		case r.secret[n]:
			v = "***"
		case strings.Contains(v, "://"):
			v = redactURL(v)
		}
		attrs = append(attrs, slog.String(n, v))
	}
	return attrs
}

func redactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
