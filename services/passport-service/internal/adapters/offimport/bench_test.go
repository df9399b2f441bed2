package offimport_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/offimport"
)

// BenchmarkDecoder measures decoding plus mapping of the 26 real sample
// products (14-72 KB each as served, about 19 KB compacted), repeated: as
// JSON lines (the import bench's format and OFF's export) and as
// pretty-printed API responses. The records/s figure is what the import's
// 5,000 products/s target is measured against.
func BenchmarkDecoder(b *testing.B) {
	pretty, compact := samples(b)
	const copies = 8
	var lines, objects []byte
	for range copies {
		for _, c := range compact {
			lines = append(append(lines, c...), '\n')
		}
		for _, p := range pretty {
			objects = append(objects, p...)
		}
	}
	records := copies * len(compact)
	for _, in := range []struct {
		name string
		data []byte
	}{{"lines", lines}, {"pretty", objects}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				d := offimport.NewDecoder(bytes.NewReader(in.data), offimport.Options{Name: "bench"})
				n := 0
				for {
					rec, err := d.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					if rec.Err != nil {
						b.Fatal(rec.Err)
					}
					n++
				}
				if n != records {
					b.Fatalf("%d records, want %d", n, records)
				}
			}
			b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
