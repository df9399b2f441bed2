package compression

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// protoTableF is the value format table of the GS1 compression prototype,
// gs1/GS1DigitalLinkCompressionPrototype@01ec8fd, src/GS1DigitalLinkToolkit.js,
// tableF, written compactly: "AI or AI range" then the parts ("N13" fixed
// numeric, "N..12" variable numeric, "X..20" variable characters). Ranges
// "a-b" stand for every AI from a to b. The 31nn-36nn measures (all "N6")
// are added by protoFormats.
const protoTableF = `
00 N18
01 N14
02 N14
10 X..20
11-13 N6
15-17 N6
20 N2
21-22 X..20
240-241 X..30
242 N..6
243 X..20
250-251 X..30
253 N13 X..17
254 X..20
255 N13 N..12
30 N..8
37 N..8
3900-3909 N..15
3910-3919 N3 N..15
3920-3929 N..15
3930-3939 N3 N..15
3940-3943 N4
400-401 X..30
402 N17
403 X..30
410-416 N13
420 X..20
421 N3 X..9
422 N3
423 N3 N..12
424 N3
425 N3 N..12
426 N3
427 X..3
7001 N13
7002 X..30
7003 N10
7004 N..4
7005 X..12
7006 N6
7007 N6 N..6
7008 X..3
7009 X..10
7010 X..2
7020-7022 X..20
7023 X..30
7030-7039 N3 X..27
710-714 X..20
7230-7239 X..30
8001 N14
8002 X..20
8003 N14 X..16
8004 X..30
8005 N6
8006 N18
8007 X..24
8008 N8 N..4
8009 X..50
8010 X..30
8011 N..12
8012 X..20
8013 X..30
8017-8018 N18
8019 N..10
8020 X..25
8026 N18
8110 X..70
8111 N4
8112 X..70
8200 X..70
90 X..30
91-99 X..90
`

// protoMeasures are the three-digit prefixes of the prototype's N6 measure
// AIs (each with fourth digit 0-5).
var protoMeasures = []int{310, 311, 312, 313, 314, 315, 316,
	320, 321, 322, 323, 324, 325, 326, 327, 328, 329,
	330, 331, 332, 333, 334, 335, 336, 337,
	340, 341, 342, 343, 344, 345, 346, 347, 348, 349,
	350, 351, 352, 353, 354, 355, 356, 357,
	360, 361, 362, 363, 364, 365, 366, 367, 368, 369}

// protoTableP is the prototype's tableP: the AI length implied by the first
// two digits (same source).
var protoTableP = map[string]int{"00": 2, "01": 2, "02": 2, "10": 2, "11": 2, "12": 2, "13": 2, "15": 2, "16": 2,
	"17": 2, "20": 2, "21": 2, "22": 2, "23": 3, "24": 3, "25": 3, "30": 2, "31": 4, "32": 4, "33": 4, "34": 4,
	"35": 4, "36": 4, "37": 2, "39": 4, "40": 3, "41": 3, "42": 3, "70": 4, "71": 3, "72": 4, "80": 4, "81": 4,
	"82": 4, "90": 2, "91": 2, "92": 2, "93": 2, "94": 2, "95": 2, "96": 2, "97": 2, "98": 2, "99": 2}

// protoFormats expands protoTableF.
func protoFormats(t *testing.T) map[string][]part {
	t.Helper()
	out := map[string][]part{}
	for _, line := range strings.Split(strings.TrimSpace(protoTableF), "\n") {
		fields := strings.Fields(line)
		var parts []part
		for _, p := range fields[1:] {
			numeric := p[0] == 'N'
			if rest, ok := strings.CutPrefix(p[1:], ".."); ok {
				m, err := strconv.Atoi(rest)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, part{numeric: numeric, max: m, lenBits: lengthBits(m)})
			} else {
				l, err := strconv.Atoi(p[1:])
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, part{numeric: numeric, fixed: true, min: l, max: l})
			}
		}
		lo, hi, isRange := strings.Cut(fields[0], "-")
		if !isRange {
			hi = lo
		}
		a, _ := strconv.Atoi(lo)
		b, _ := strconv.Atoi(hi)
		for n := a; n <= b; n++ {
			out[fmt.Sprintf("%0*d", len(lo), n)] = parts
		}
	}
	for _, m := range protoMeasures {
		for d := 0; d <= 5; d++ {
			out[fmt.Sprintf("%d%d", m, d)] = []part{{numeric: true, fixed: true, min: 6, max: 6}}
		}
	}
	return out
}

// TestFormats_MatchPrototype checks that every AI the prototype can compress
// is laid out bit for bit as the prototype does, so that its compressed URIs
// decode here. Variable parts may differ only in their maximum when the
// length field keeps its width (8013: the dictionary's X..25 against the
// prototype's X..30, both 5 bits).
func TestFormats_MatchPrototype(t *testing.T) {
	t.Parallel()
	proto := protoFormats(t)
	if len(proto) < 350 {
		t.Fatalf("protoTableF expanded to %d AIs, want the ~390 of the prototype", len(proto))
	}
	allowedMaxDiff := map[string]bool{"8013": true}
	for ai, want := range proto {
		f := formatOf(ai)
		if f == nil {
			t.Errorf("AI %s: the prototype compresses it, no format here", ai)
			continue
		}
		if len(f.parts) != len(want) {
			t.Errorf("AI %s: parts %+v, prototype %+v", ai, f.parts, want)
			continue
		}
		for i, p := range f.parts {
			w := want[i]
			same := p.numeric == w.numeric && p.fixed == w.fixed
			if p.fixed {
				same = same && p.max == w.max
			} else {
				same = same && p.lenBits == w.lenBits && (p.max == w.max || allowedMaxDiff[ai])
			}
			if !same {
				t.Errorf("AI %s part %d: %+v, prototype %+v", ai, i, p, w)
			}
		}
	}
}

// TestFormats_EveryAIOfTheDictionary checks that every AI of the dictionary
// has a format, so Compress and Decompress know all of them.
func TestFormats_EveryAIOfTheDictionary(t *testing.T) {
	t.Parallel()
	if len(formatErrors) > 0 {
		t.Fatalf("formats not derived: %v", formatErrors)
	}
	ais := dl.AIs()
	if len(ais) < 400 {
		t.Fatalf("dictionary has %d AIs, want hundreds", len(ais))
	}
	for _, ai := range ais {
		if formatOf(ai) == nil {
			t.Errorf("AI %s: no format", ai)
		}
	}
}

// TestFormats_DerivationRules pins the grouping rules on AIs whose
// dictionary entries have several components but the prototype has no entry.
func TestFormats_DerivationRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ai   string
		want []part
	}{
		// N1 X1 X1 X1: one fixed numeric, one fixed character part.
		{"7040", []part{{numeric: true, fixed: true, min: 1, max: 1}, {fixed: true, min: 3, max: 3}}},
		// N6 [X1]: the optional character becomes a variable part.
		{"4330", []part{{numeric: true, fixed: true, min: 6, max: 6}, {max: 1, lenBits: 1}}},
		// N10 N10: one fixed numeric part.
		{"4309", []part{{numeric: true, fixed: true, min: 20, max: 20}}},
		// N6 [N4].
		{"7011", []part{{numeric: true, fixed: true, min: 6, max: 6}, {numeric: true, max: 4, lenBits: 3}}},
		// Z..90 is sent as characters.
		{"8030", []part{{min: 1, max: 90, lenBits: 7}}},
		// X..28 with no prototype entry.
		{"235", []part{{min: 1, max: 28, lenBits: 5}}},
	}
	for _, tc := range tests {
		f := formatOf(tc.ai)
		if f == nil {
			t.Errorf("AI %s: no format", tc.ai)
			continue
		}
		if fmt.Sprint(f.parts) != fmt.Sprint(tc.want) {
			t.Errorf("AI %s: parts %+v, want %+v", tc.ai, f.parts, tc.want)
		}
	}
}

// TestAILength_MatchesPrototypeTableP checks the dictionary's AI widths
// against the prototype's tableP for every prefix the prototype knows.
func TestAILength_MatchesPrototypeTableP(t *testing.T) {
	t.Parallel()
	for prefix, want := range protoTableP {
		if got := dl.AILength(prefix); got != want {
			t.Errorf("AILength(%s) = %d, prototype tableP %d", prefix, got, want)
		}
	}
}

// TestOptimisations_UseKnownAIs checks that every AI of the optimisation
// table has a format and that codes are unique and never look like AI digits
// or the non-GS1 flag F.
func TestOptimisations_UseKnownAIs(t *testing.T) {
	t.Parallel()
	seen := map[byte]bool{}
	for _, o := range optimisations {
		if seen[o.code] {
			t.Errorf("code %02X twice", o.code)
		}
		seen[o.code] = true
		if o.code>>4 == 0xF || (o.code>>4 <= 9 && o.code&15 <= 9) {
			t.Errorf("code %02X collides with AI digits or the F flag", o.code)
		}
		for _, ai := range o.ais {
			if formatOf(ai) == nil {
				t.Errorf("code %02X: AI %s has no format", o.code, ai)
			}
		}
	}
}

// TestBitWidths_FarFromRounding checks that the prototype's floating-point
// width formulas are nowhere near an integer boundary for the lengths used,
// so no last-bit difference between math libraries can change a width; and
// that they equal the exact widths (bits of 10^n-1 when that is not a power
// of two minus one; bits.Len(max) for length fields).
func TestBitWidths_FarFromRounding(t *testing.T) {
	t.Parallel()
	for n := 1; n <= maxValueChars; n++ {
		x := float64(n)*math.Log2(10) + 0.01
		if frac := x - math.Floor(x); frac < 1e-6 || frac > 1-1e-6 {
			t.Errorf("valueBits(%d): %v is too close to an integer", n, x)
		}
		limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
		exact := limit.Sub(limit, big.NewInt(1)).BitLen()
		if frac := float64(n)*math.Log2(10) - math.Floor(float64(n)*math.Log2(10)); frac > 0.99 {
			exact++ // the prototype's +0.01 adds a bit here
		}
		if valueBits(n) != exact {
			t.Errorf("valueBits(%d) = %d, want %d", n, valueBits(n), exact)
		}
		y := math.Log2(float64(n)) + 0.01
		if frac := y - math.Floor(y); frac < 1e-6 || frac > 1-1e-6 {
			t.Errorf("lengthBits(%d): %v is too close to an integer", n, y)
		}
		if want := big.NewInt(int64(n)).BitLen(); lengthBits(n) != want {
			t.Errorf("lengthBits(%d) = %d, want %d", n, lengthBits(n), want)
		}
	}
	if valueBits(0) != 1 {
		t.Errorf("valueBits(0) = %d, want the prototype's 1", valueBits(0))
	}
}
