package compression_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl/compression"
)

// FuzzDecompress feeds arbitrary segments to Decompress. It must not panic,
// must fail only with a *dl.Error carrying a code and an offset inside the
// segment, and whatever it decodes must compress (with and without
// optimisation) to a segment that decodes to the same elements and pairs.
// Seeds: the vectors and error cases of the unit tests plus
// testdata/fuzz/FuzzDecompress.
func FuzzDecompress(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.segment)
	}
	for _, s := range []string{"", "AR", "ARFKk4XB0CDKWcnpr", "favicon", "09506000134376", "9AAA", "_____________",
		"D0AAAAAA", "ARFK.4XB", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, segment string) {
		elems, other, err := compression.Decompress(segment)
		if err != nil {
			var de *dl.Error
			if !errors.As(err, &de) || !slices.Contains(compression.Codes, de.Code) || de.Message == "" {
				t.Fatalf("Decompress(%q): error %v is not a coded *dl.Error", segment, err)
			}
			if de.Offset < 0 || de.Offset > len(segment) {
				t.Fatalf("Decompress(%q): offset %d outside the segment", segment, de.Offset)
			}
			if elems != nil || other != nil {
				t.Fatalf("Decompress(%q): results with an error", segment)
			}
			return
		}
		if len(elems) == 0 || len(elems) > compression.MaxElements || len(other) > compression.MaxOtherPairs {
			t.Fatalf("Decompress(%q): %d elements, %d pairs", segment, len(elems), len(other))
		}
		for _, optimise := range []bool{false, true} {
			s, err := compression.Compress(elems, other, optimise)
			if err != nil {
				t.Fatalf("Decompress(%q) = %v %q, which does not compress: %v", segment, elems, other, err)
			}
			back, backOther, err := compression.Decompress(s)
			if err != nil {
				t.Fatalf("re-compressed %q does not decompress: %v", s, err)
			}
			if !sameElements(back, elems) || !slices.Equal(backOther, other) {
				t.Fatalf("%q -> %v %q -> %q -> %v %q", segment, elems, other, s, back, backOther)
			}
			if len(s) >= compression.MinSegmentLen && !compression.Looks(s) {
				t.Fatalf("Looks(%q) = false for a segment Compress made", s)
			}
		}
	})
}

// FuzzCompress feeds arbitrary elements and pairs to Compress: no panic,
// coded errors only, and every segment it makes decodes to its input.
func FuzzCompress(f *testing.F) {
	f.Add("01", "09506000134376", "10", "LOT01", "k", "v", true)
	f.Add("414", "9506000000005", "254", "32a/b", "linkType", "gs1:pip", false)
	f.Add("00", "106141412345678908", "8007", "", "", "", true)
	f.Add("253", "9506000000005X1", "01", "09506000134376", "123", "a\nb", false)
	f.Fuzz(func(t *testing.T, ai1, v1, ai2, v2, key, value string, optimise bool) {
		elems := []dl.Element{{AI: ai1, Value: v1}, {AI: ai2, Value: v2}}
		other := [][2]string{{key, value}}
		s, err := compression.Compress(elems, other, optimise)
		if err != nil {
			var de *dl.Error
			if !errors.As(err, &de) || !slices.Contains(compression.Codes, de.Code) || de.Message == "" {
				t.Fatalf("Compress: error %v is not a coded *dl.Error", err)
			}
			return
		}
		back, backOther, err := compression.Decompress(s)
		if err != nil {
			t.Fatalf("Compress(%v, %q) = %q, which does not decompress: %v", elems, other, s, err)
		}
		if !sameElements(back, elems) || !slices.Equal(backOther, other) {
			t.Fatalf("%v %q -> %q -> %v %q", elems, other, s, back, backOther)
		}
	})
}
