package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/daemon"
)

// TestCatalogImport_CommandStoresAndRepeats runs "passport-service
// catalog import" through the composition root against the real database
// of a running instance: a real Open Food Facts record (ODbL; see the
// offimport testdata README) and a broken line, then the same file again.
// It replaces the package's stderr, so it does not run in parallel.
func TestCatalogImport_CommandStoresAndRepeats(t *testing.T) {
	in, client := start(t)
	sample, err := os.ReadFile("../../internal/adapters/offimport/testdata/off/3222473161867.json")
	if err != nil {
		t.Fatal(err)
	}
	var line bytes.Buffer
	for _, b := range bytes.Split(sample, []byte("\n")) {
		line.Write(bytes.TrimSpace(b))
	}
	file := filepath.Join(t.TempDir(), "off.jsonl")
	if err := os.WriteFile(file, []byte(line.String()+"\n{\"code\": broken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	oldErr := stderr
	t.Cleanup(func() { stderr = oldErr })
	importOnce := func() (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		stderr = &errOut
		if err := run(context.Background(), []string{"catalog", "import", "-progress", "none", file}, in.Getenv, &out); err != nil {
			t.Fatalf("catalog import: %v\n%s", err, errOut.String())
		}
		return out.String(), errOut.String()
	}

	out, errOut := importOnce()
	if !strings.Contains(out, "2 records: 1 created, 0 updated, 0 unchanged, 1 rejected") {
		t.Errorf("first summary: %s", out)
	}
	if !strings.Contains(errOut, file+":2:") {
		t.Errorf("the broken line is not reported: %s", errOut)
	}
	resp, err := client.GetProductWithResponse(context.Background(), "03222473161867")
	if err != nil || resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("imported product: %v %d", err, resp.StatusCode())
	}
	if p := resp.JSON200; p.Attribution == nil || !strings.Contains(*p.Attribution, "Open Food Facts") || len(p.Allergens) == 0 {
		t.Errorf("imported product %+v", p)
	}

	out, _ = importOnce()
	if !strings.Contains(out, "0 created, 0 updated, 1 unchanged, 1 rejected") {
		t.Errorf("second summary: %s", out)
	}

	err = run(context.Background(), []string{"catalog", "export"}, in.Getenv, &bytes.Buffer{})
	if !errors.Is(err, daemon.ErrUsage) {
		t.Errorf("catalog export: %v, want a usage error", err)
	}
}
