package offimport_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/offimport"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// samples returns the sample files as given (pretty-printed responses) and
// compacted to one line each.
func samples(tb testing.TB) (pretty, compact [][]byte) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "off", "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no samples: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			tb.Fatal(err)
		}
		pretty = append(pretty, data)
		compact = append(compact, buf.Bytes())
	}
	return pretty, compact
}

// FuzzDecoder feeds arbitrary bytes through the decoder and the mapping:
// no panic, offsets that grow within the input, records that are either
// mapped with a 14-digit GTIN or carry a reason, and resuming after the
// first record giving the rest.
func FuzzDecoder(f *testing.F) {
	pretty, compact := samples(f)
	for _, p := range pretty {
		f.Add(p)
	}
	f.Add(append(append(append([]byte{}, compact[0]...), '\n'), compact[1]...))
	f.Add([]byte("[" + string(compact[2]) + "," + string(compact[3]) + "]"))
	f.Add([]byte(`{"code":"3222473161867","status":0}` + "\n" + `{"code":1,"product_name":"x","quantity":"6 x 33 cl"}` + "\n{"))
	f.Add([]byte(`{"code":"3222473161867","nutriments":{"fat_100g":"1e999","energy_100g":"-"},"packagings":[{"shape":{"id":7}}]}`))
	f.Add([]byte("\uFEFF[\n{\"a\":\"}\\\"\"}\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		opts := offimport.Options{Name: "fuzz", MaxRecordBytes: 1 << 17}
		d := offimport.NewDecoder(bytes.NewReader(data), opts)
		var recs []offimport.Record
		var last int64
		var end error
		for {
			rec, err := d.Next()
			if err != nil {
				end = err
				break
			}
			if len(recs) > len(data) {
				t.Fatalf("more records (%d) than input bytes", len(recs))
			}
			if rec.Offset <= last && len(recs) > 0 || rec.Offset > int64(len(data)) {
				t.Fatalf("record %d: offset %d after %d, input %d bytes", len(recs)+1, rec.Offset, last, len(data))
			}
			last = rec.Offset
			if rec.Err != nil {
				if rec.Err.Reason == "" || rec.Err.Source != rec.Source {
					t.Fatalf("record error without reason or source: %+v", rec.Err)
				}
			} else {
				p := rec.Item.Product
				if len(p.GTIN) != 14 || !catalog.ValidBrandID(p.BrandID) {
					t.Fatalf("mapped record with GTIN %q brand %q", p.GTIN, p.BrandID)
				}
				_ = p.Validate() // must not panic either
			}
			recs = append(recs, rec)
		}
		if !errors.Is(end, io.EOF) || len(recs) == 0 {
			return
		}
		opts.Offset, opts.Records = recs[0].Offset, recs[0].Index
		r := offimport.NewDecoder(bytes.NewReader(data), opts)
		for i := 1; ; i++ {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				if i != len(recs) {
					t.Fatalf("resumed decoding gave %d records, want %d", i-1, len(recs)-1)
				}
				return
			}
			if err != nil {
				t.Fatalf("resumed decoding: %v", err)
			}
			if i >= len(recs) || rec.Source != recs[i].Source || rec.Offset != recs[i].Offset {
				t.Fatalf("resumed record %d: %s at %d", i, rec.Source, rec.Offset)
			}
		}
	})
}
