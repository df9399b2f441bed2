package compression_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl/compression"
)

var benchSegments = []struct{ name, segment string }{
	{"gtin", "ARHKVAdpQg"},
	{"gtin+lot", "ARFKk4XB0CDKWcnpq"},
	{"gtin+lot optimised", "CxFKk4XB0MpZyemo"},
	{"sscc", "ABeRcNWtKMPA"},
	{"gtin+lot+serial+15+pair", "HxHKVAdpQhCTxbrOF_yEFcx_4a2GeAh1mFOZkChg6Z8pgcEMEWpMganmIQ"},
}

func BenchmarkDecompress(b *testing.B) {
	for _, bs := range benchSegments {
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := compression.Decompress(bs.segment); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompress(b *testing.B) {
	elems := []dl.Element{{AI: "01", Value: "09780345418913"}, {AI: "10", Value: "38737643"},
		{AI: "15", Value: "230911"}, {AI: "21", Value: "58943"}}
	other := [][2]string{{"thngId", "U5mQKGDpnymBwQwRakyBqeYh"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compression.Compress(elems, other, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLooks(b *testing.B) {
	for b.Loop() {
		if !compression.Looks("CxFKk4XB0MpZyemo") {
			b.Fatal("Looks = false")
		}
	}
}
