package envconfig_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/envconfig"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestReader_ReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	r := envconfig.New(env(map[string]string{
		"PORT_NUM": "abc", "TIMEOUT": "forever", "FLAG": "maybe", "LEVEL": "loud", "U": "not a url",
	}))
	r.Required("DATABASE_URL")
	r.Int("PORT_NUM", 1, 1, 10)
	r.Duration("TIMEOUT", time.Second, 0, time.Minute)
	r.Bool("FLAG", false)
	r.Level("LEVEL", slog.LevelInfo)
	r.URL("U", "", true, "http")
	err := r.Err()
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, name := range []string{"DATABASE_URL", "PORT_NUM", "TIMEOUT", "FLAG", "LEVEL", "U"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestReader_DefaultsAndValues(t *testing.T) {
	t.Parallel()
	r := envconfig.New(env(map[string]string{
		"DATABASE_URL": "postgres://svc:hunter2@db:5432/x", "N": "7", "L": "a, b,,c", "TOKEN": "s3cret",
	}))
	if got := r.Int("N", 1, 0, 10); got != 7 {
		t.Fatalf("Int = %d", got)
	}
	if got := r.Duration("D", 3*time.Second, 0, time.Hour); got != 3*time.Second {
		t.Fatalf("Duration = %v", got)
	}
	if got := r.List("L", nil); strings.Join(got, "|") != "a|b|c" {
		t.Fatalf("List = %q", got)
	}
	if got := r.URL("DATABASE_URL", "", true, "postgres"); got == nil || got.Host != "db:5432" {
		t.Fatalf("URL = %v", got)
	}
	_ = r.Secret("TOKEN", "")
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	for _, a := range r.Values() {
		logged.WriteString(a.String() + " ")
	}
	if s := logged.String(); strings.Contains(s, "hunter2") || strings.Contains(s, "s3cret") || !strings.Contains(s, "D=3s") {
		t.Fatalf("values leak secrets or miss defaults: %s", s)
	}
}

func TestReader_CheckAddsCrossFieldRule(t *testing.T) {
	t.Parallel()
	r := envconfig.New(env(nil))
	r.Check(false, "A", "must be set together with %s", "B")
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "A: must be set together with B") {
		t.Fatalf("Err = %v", err)
	}
}
