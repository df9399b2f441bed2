package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/daemon"
)

// TestRun_DLCommand drives "passport-service dl ..." through run, the
// composition root, with sample input on stdin. It replaces the package's
// stdin and stderr, so it does not run in parallel.
func TestRun_DLCommand(t *testing.T) {
	oldIn, oldErr := stdin, stderr
	t.Cleanup(func() { stdin, stderr = oldIn, oldErr })

	stdin = strings.NewReader("https://id.gs1.org/01/09506000134352/10/LOT1?17=251231\n(01)09506000134352(21)S1\nhttps://id.gs1.org/01/09506000134353\n")
	stderr = &bytes.Buffer{}
	var out bytes.Buffer
	noEnv := func(string) string { return "" }
	if err := run(context.Background(), []string{"dl", "parse", "-domain", "brand.example"}, noEnv, &out); err != nil {
		t.Fatalf("dl parse: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 ||
		!strings.Contains(lines[0], `"canonical":"https://brand.example/01/09506000134352/10/LOT1?17=251231"`) ||
		!strings.Contains(lines[1], `"canonical":"https://brand.example/01/09506000134352/21/S1"`) ||
		!strings.Contains(lines[2], `"valid":false`) || !strings.Contains(lines[2], `"code":"check-digit"`) {
		t.Errorf("dl parse output:\n%s", out.String())
	}

	stdin = strings.NewReader("(01)09506000134352(10)LOT1\n")
	out.Reset()
	if err := run(context.Background(), []string{"dl", "build"}, noEnv, &out); err != nil {
		t.Fatalf("dl build: %v", err)
	}
	if !strings.Contains(out.String(), `"uri":"https://id.gs1.org/01/09506000134352/10/LOT1"`) {
		t.Errorf("dl build output: %s", out.String())
	}

	if err := run(context.Background(), []string{"dl"}, noEnv, &out); !errors.Is(err, daemon.ErrUsage) {
		t.Errorf("dl without subcommand = %v, want a usage error", err)
	}
}
