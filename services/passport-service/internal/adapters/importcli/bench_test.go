package importcli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/importcli"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

// countingImporter validates and counts, as the use case does before the
// database; it stores nothing.
type countingImporter struct{ n int }

func (c *countingImporter) ImportProducts(_ context.Context, b app.ImportBatch) (app.ImportResult, error) {
	var res app.ImportResult
	for _, r := range b.Records {
		p := r.Product
		if err := p.Validate(); err != nil {
			res.Rejected = append(res.Rejected, app.RecordError{Source: r.Source, GTIN: p.GTIN, Reason: err.Error()})
			continue
		}
		p.Compute()
		res.Created++
	}
	c.n += len(b.Records)
	return res, nil
}

func (c *countingImporter) Checkpoint(context.Context, string) (app.Checkpoint, bool, error) {
	return app.Checkpoint{}, false, nil
}

func (c *countingImporter) FinishImport(context.Context, string) error { return nil }

// BenchmarkRun measures the command without a database: decoding the real
// sample products (repeated with distinct codes, as tools/cmd/offgen
// makes them), validating, computing the Nutri-Score and batching. The
// database's share comes on top; see the lead's import bench.
func BenchmarkRun(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("..", "offimport", "testdata", "off", "*.json"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no samples: %v", err)
	}
	var jsonl bytes.Buffer
	records := 0
	for copyN := range 40 {
		for i, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			var resp struct {
				Code    string          `json:"code"`
				Product json.RawMessage `json:"product"`
			}
			if err := json.Unmarshal(data, &resp); err != nil {
				b.Fatal(err)
			}
			var line bytes.Buffer
			if err := json.Compact(&line, resp.Product); err != nil {
				b.Fatal(err)
			}
			code := gtin13(copyN*len(files) + i + 1)
			jsonl.Write(bytes.ReplaceAll(line.Bytes(), []byte(strconv.Quote(resp.Code)), []byte(strconv.Quote(code))))
			jsonl.WriteByte('\n')
			records++
		}
	}
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	if err := os.WriteFile(path, jsonl.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(jsonl.Len()))
	for b.Loop() {
		imp := &countingImporter{}
		if err := importcli.Run(context.Background(), []string{"-progress", "none", path}, io.Discard, io.Discard, imp); err != nil {
			b.Fatal(err)
		}
		if imp.n != records {
			b.Fatalf("%d records imported, want %d", imp.n, records)
		}
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
}
