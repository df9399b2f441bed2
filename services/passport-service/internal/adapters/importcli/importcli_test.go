package importcli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/importcli"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// memImporter is an in-memory Importer: it validates like the catalog
// use case, counts a product equal to the stored one as unchanged, and
// keeps checkpoints.
type memImporter struct {
	mu          sync.Mutex
	products    map[string]catalog.Product
	checkpoints map[string]app.Checkpoint
	batches     int
	finished    int
	// afterBatch, when set, runs after each stored batch (1, 2, ...).
	afterBatch func(n int)
	// failBatch, when set, makes that batch fail without storing anything.
	failBatch int
}

func newMem() *memImporter {
	return &memImporter{products: map[string]catalog.Product{}, checkpoints: map[string]app.Checkpoint{}}
}

func (m *memImporter) ImportProducts(_ context.Context, batch app.ImportBatch) (app.ImportResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches++
	if m.batches == m.failBatch {
		return app.ImportResult{}, fault.New(fault.Unavailable, "database is down")
	}
	var res app.ImportResult
	for _, r := range batch.Records {
		p := r.Product
		if err := p.Validate(); err != nil {
			// Field errors say it best, as in the catalog use case.
			var parts []string
			for _, f := range fault.FieldsOf(err) {
				parts = append(parts, f.Field+" "+f.Reason)
			}
			reason := strings.Join(parts, "; ")
			res.Rejected = append(res.Rejected, app.RecordError{Source: r.Source, GTIN: p.GTIN, Reason: reason})
			continue
		}
		old, ok := m.products[p.GTIN]
		switch {
		case !ok:
			res.Created++
		case reflect.DeepEqual(old, p):
			res.Unchanged++
		default:
			res.Updated++
		}
		m.products[p.GTIN] = p
	}
	if cp := batch.Checkpoint; cp != nil {
		m.checkpoints[cp.Source] = *cp
	}
	if m.afterBatch != nil {
		m.afterBatch(m.batches)
	}
	return res, nil
}

func (m *memImporter) Checkpoint(_ context.Context, source string) (app.Checkpoint, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp, ok := m.checkpoints[source]
	return cp, ok, nil
}

func (m *memImporter) FinishImport(_ context.Context, source string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.checkpoints, source)
	m.finished++
	return nil
}

var _ importcli.Importer = (*memImporter)(nil)

// gtin13 returns a valid GTIN-13 for n (GS1 prefix 20, which is for
// restricted distribution and so never a real product).
func gtin13(n int) string {
	s := fmt.Sprintf("20%010d", n)
	sum := 0
	for i := range 12 {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

func line(n int, name string) string {
	return fmt.Sprintf(`{"code":%q,"lang":"en","product_name":%q,"brands":"Acme","quantity":"%d g"}`, gtin13(n), name, 100+n)
}

// writeFile writes lines as a JSONL file in a test directory.
func writeFile(t *testing.T, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func goodLines(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, line(i, fmt.Sprintf("Product %d", i)))
	}
	return out
}

func run(t *testing.T, ctx context.Context, imp importcli.Importer, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = importcli.Run(ctx, append([]string{"-progress", "none"}, args...), &out, &errOut, imp)
	return out.String(), errOut.String(), err
}

func TestRun_ImportsAGoodFile(t *testing.T) {
	t.Parallel()
	mem := newMem()
	path := writeFile(t, "p.jsonl", goodLines(5)...)
	stdout, stderr, err := run(t, context.Background(), mem, "-batch", "2", path)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr %q, want nothing", stderr)
	}
	if !strings.Contains(stdout, "1 file, 5 records: 5 created, 0 updated, 0 unchanged, 0 rejected") {
		t.Errorf("summary %q", stdout)
	}
	if strings.Contains(stdout, "nothing changed") {
		t.Errorf("summary %q says nothing changed", stdout)
	}
	if len(mem.products) != 5 || mem.batches != 3 || mem.finished != 1 || len(mem.checkpoints) != 0 {
		t.Errorf("products %d, batches %d, finished %d, checkpoints %v", len(mem.products), mem.batches, mem.finished, mem.checkpoints)
	}
	p := mem.products["0"+gtin13(3)]
	if p.Name() != "Product 3" || p.BrandID != "acme" || p.NetContent == nil || p.NetContent.Value != 103 {
		t.Errorf("stored product %+v", p)
	}
}

func TestRun_ImportsPrettyResponsesAndSeveralFiles(t *testing.T) {
	t.Parallel()
	mem := newMem()
	pretty := "{\n  \"status\": 1,\n  \"code\": \"" + gtin13(1) + "\",\n  \"product\": " + line(1, "One") + "\n}\n"
	a := writeFile(t, "a.json", pretty)
	b := writeFile(t, "b.jsonl", line(2, "Two"), line(3, "Three"))
	stdout, stderr, err := run(t, context.Background(), mem, a, b)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "2 files, 3 records: 3 created") {
		t.Errorf("summary %q", stdout)
	}
}

func TestRun_ReportsBadRecordsWithoutStopping(t *testing.T) {
	t.Parallel()
	mem := newMem()
	path := writeFile(t, "bad.jsonl",
		line(1, "Good"),
		`{"code":"`+gtin13(2)+`","product_name":"bro`,
		`{"code":"2000000000038","product_name":"bad check digit"}`,
		`{"code":"`+gtin13(4)+`","brands":"Acme"}`,
		`{"code":"`+gtin13(5)+`","status":0,"status_verbose":"product not found"}`,
		line(6, "Also good"),
	)
	stdout, stderr, err := run(t, context.Background(), mem, "-batch", "4", path)
	if err != nil {
		t.Fatalf("rejected records must not fail the run: %v", err)
	}
	for _, want := range []string{
		path + ":2: (no code): is not valid JSON",
		path + ":3: 2000000000038: code has a wrong check digit",
		path + ":4: 0" + gtin13(4) + ": /names needs the name",
		path + ":5: " + gtin13(5) + ": the response has no product (product not found)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, "\n"); n != 4 {
		t.Errorf("%d lines on stderr, want 4:\n%s", n, stderr)
	}
	if !strings.Contains(stdout, "6 records: 2 created, 0 updated, 0 unchanged, 4 rejected") {
		t.Errorf("summary %q", stdout)
	}
	if len(mem.products) != 2 || mem.finished != 1 {
		t.Errorf("products %d finished %d", len(mem.products), mem.finished)
	}
}

func TestRun_RepeatedRunChangesNothing(t *testing.T) {
	t.Parallel()
	mem := newMem()
	path := writeFile(t, "p.jsonl", goodLines(7)...)
	if _, stderr, err := run(t, context.Background(), mem, "-batch", "3", path); err != nil {
		t.Fatalf("first run: %v\n%s", err, stderr)
	}
	stdout, stderr, err := run(t, context.Background(), mem, "-batch", "3", path)
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, stderr)
	}
	if strings.Contains(stderr, "resuming") {
		t.Errorf("a finished file must be read in full, got %q", stderr)
	}
	if !strings.Contains(stdout, "7 records: 0 created, 0 updated, 7 unchanged, 0 rejected") ||
		!strings.Contains(stdout, "nothing changed") {
		t.Errorf("summary %q", stdout)
	}
}

func TestRun_InterruptedImportResumes(t *testing.T) {
	t.Parallel()
	mem := newMem()
	lines := goodLines(10)
	lines[4] = `{"broken` // record 5 is bad: the totals must still add up
	path := writeFile(t, "p.jsonl", lines...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mem.afterBatch = func(n int) {
		if n == 1 {
			cancel() // as SIGINT would, while the first batch is being stored
		}
	}
	stdout1, stderr1, err := run(t, ctx, mem, "-batch", "3", path)
	if !errors.Is(err, importcli.ErrInterrupted) || importcli.ExitCode(err) != 130 {
		t.Fatalf("interrupted run: error %v", err)
	}
	if !strings.Contains(stderr1, "interrupted: "+path+" is stored up to record 3; run the same command again to resume") {
		t.Errorf("stderr %q", stderr1)
	}
	if !strings.Contains(stdout1, "1 file, 3 records: 3 created") {
		t.Errorf("summary %q", stdout1)
	}
	if len(mem.checkpoints) != 1 || mem.finished != 0 {
		t.Fatalf("checkpoints %v, finished %d", mem.checkpoints, mem.finished)
	}
	for _, cp := range mem.checkpoints {
		if cp.Records != 3 || cp.Offset != int64(len(strings.Join(lines[:3], "\n"))+1) {
			t.Errorf("checkpoint %+v", cp)
		}
	}

	mem.afterBatch = nil
	stdout2, stderr2, err := run(t, context.Background(), mem, "-batch", "3", path)
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, stderr2)
	}
	if !strings.Contains(stderr2, "resuming "+path+" at record 4") {
		t.Errorf("stderr %q", stderr2)
	}
	if !strings.Contains(stderr2, path+":5: (no code): is not valid JSON") {
		t.Errorf("the bad record keeps its line number after resuming: %q", stderr2)
	}
	if !strings.Contains(stdout2, "7 records: 6 created, 0 updated, 0 unchanged, 1 rejected") {
		t.Errorf("summary %q", stdout2)
	}
	if len(mem.products) != 9 || len(mem.checkpoints) != 0 || mem.finished != 1 {
		t.Errorf("products %d, checkpoints %v, finished %d", len(mem.products), mem.checkpoints, mem.finished)
	}
}

func TestRun_StoreErrorStopsAndKeepsTheCheckpoint(t *testing.T) {
	t.Parallel()
	mem := newMem()
	mem.failBatch = 2
	path := writeFile(t, "p.jsonl", goodLines(5)...)
	_, _, err := run(t, context.Background(), mem, "-batch", "2", path)
	if err == nil || !strings.Contains(err.Error(), "database is down") || importcli.ExitCode(err) != 1 {
		t.Fatalf("error %v", err)
	}
	if len(mem.products) != 2 || len(mem.checkpoints) != 1 || mem.finished != 0 {
		t.Errorf("products %d, checkpoints %v, finished %d", len(mem.products), mem.checkpoints, mem.finished)
	}
}

func TestRun_CommandLineErrors(t *testing.T) {
	t.Parallel()
	good := writeFile(t, "p.jsonl", goodLines(1)...)
	notJSON := writeFile(t, "p.csv", "code;name", "1;x")
	tests := []struct {
		name  string
		args  []string
		usage bool
		code  int
		want  string
	}{
		{"no files", nil, true, 2, "no files"},
		{"unknown flag", []string{"-bogus", good}, true, 2, "bogus"},
		{"batch out of range", []string{"-batch", "0", good}, true, 2, "-batch"},
		{"batch not a number", []string{"-batch", "many", good}, true, 2, "batch"},
		{"progress mode", []string{"-progress", "fancy", good}, true, 2, "-progress"},
		{"missing file", []string{good, filepath.Join(t.TempDir(), "nope.jsonl")}, false, 1, "nope.jsonl"},
		{"directory", []string{t.TempDir()}, false, 1, "directory"},
		{"not Open Food Facts JSON", []string{notJSON}, false, 1, "not Open Food Facts JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mem := newMem()
			var out, errOut bytes.Buffer
			err := importcli.Run(context.Background(), tt.args, &out, &errOut, mem)
			var usage *importcli.UsageError
			if err == nil || errors.As(err, &usage) != tt.usage || importcli.ExitCode(err) != tt.code ||
				!strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v (usage %v, exit %d), want usage=%v exit %d containing %q",
					err, errors.As(err, &usage), importcli.ExitCode(err), tt.usage, tt.code, tt.want)
			}
			if tt.name == "missing file" && mem.batches != 0 {
				t.Errorf("files are checked before any is imported; %d batches stored", mem.batches)
			}
		})
	}
}

func TestRun_Help(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := importcli.Run(context.Background(), []string{"-h"}, &out, &errOut, newMem()); err != nil {
		t.Fatalf("-h: %v", err)
	}
	if !strings.Contains(errOut.String(), "usage: passport-service catalog import") || !strings.Contains(errOut.String(), "-batch") {
		t.Errorf("help %q", errOut.String())
	}
}

func TestRun_ProgressLinesAreOptional(t *testing.T) {
	t.Parallel()
	// Plain progress lines come at most every 2 s; a short run shows none,
	// and never control characters when stderr is not a terminal.
	mem := newMem()
	path := writeFile(t, "p.jsonl", goodLines(3)...)
	var out, errOut bytes.Buffer
	if err := importcli.Run(context.Background(), []string{path}, &out, &errOut, mem); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(errOut.String(), "\r\x1b") {
		t.Errorf("stderr %q has terminal control characters", errOut.String())
	}
}
