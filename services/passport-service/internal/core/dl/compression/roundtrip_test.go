package compression_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl/compression"
)

// Character sets of the dictionary (gs1-syntax-dictionary.txt header).
const (
	cset82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
	cset39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	cset64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	// printable is what non-GS1 values may hold.
	printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
)

// styles steer generated text towards each encoding of the format: digits
// (numeric), upper-case hex, lower-case hex, base64url, anything.
var styles = []string{"0123456789", "0123456789ABCDEF", "0123456789abcdef", cset64, printable}

// genValue makes a value for ai that fits its dictionary format (not
// necessarily one that passes its linters: compression does not check them).
func genValue(rng *rand.Rand, ai string) string {
	info, ok := dl.Spec(ai)
	if !ok {
		panic("genValue: unknown AI " + ai)
	}
	style := styles[rng.IntN(len(styles))]
	var b strings.Builder
	for _, c := range info.Components {
		if c.Optional && rng.IntN(2) == 0 {
			break // optional components only at the end; leave out the rest
		}
		maxLen := c.Max
		if ai == "8007" {
			maxLen = 24 // the prototype's limit, see format.go
		}
		n := c.Min + rng.IntN(maxLen-c.Min+1)
		set := map[byte]string{'N': "0123456789", 'X': cset82, 'Y': cset39, 'Z': cset64}[c.Charset]
		if c.Charset != 'N' {
			if both := intersect(set, style); both != "" {
				set = both
			}
		}
		for range n {
			b.WriteByte(set[rng.IntN(len(set))])
		}
	}
	return b.String()
}

func intersect(a, b string) string {
	var out []byte
	for i := 0; i < len(a); i++ {
		if strings.IndexByte(b, a[i]) >= 0 {
			out = append(out, a[i])
		}
	}
	return string(out)
}

// genOther makes up to three non-GS1 pairs.
func genOther(rng *rand.Rand) [][2]string {
	var out [][2]string
	for range rng.IntN(4) {
		key := "k"
		for range rng.IntN(12) {
			key += string(cset64[rng.IntN(len(cset64))])
		}
		style := styles[rng.IntN(len(styles))]
		var v strings.Builder
		for range rng.IntN(40) {
			v.WriteByte(style[rng.IntN(len(style))])
		}
		out = append(out, [2]string{key, v.String()})
	}
	return out
}

// scenarios are element sets a resolver meets: a primary key with
// qualifiers and attributes, including every AI of the optimisation table.
var scenarios = [][]string{
	{"01"}, {"01", "10"}, {"01", "21"}, {"01", "22", "10", "21"}, {"01", "10", "17"}, {"01", "10", "21", "17"},
	{"01", "10", "15"}, {"01", "11", "7003"}, {"01", "16", "91"}, {"01", "30", "3103"}, {"01", "3205", "3922"},
	{"01", "235"}, {"01", "10", "21", "17", "15", "11", "3100", "3920", "91", "92"},
	{"00"}, {"00", "02", "37"}, {"00", "400", "4300", "4309", "4321"},
	{"414"}, {"414", "254"}, {"414", "7040"}, {"417", "7040"}, {"415", "8020", "8007"},
	{"8003"}, {"253"}, {"255", "3900"}, {"255", "3943", "17"}, {"8006", "22", "10", "21"},
	{"8010", "8011"}, {"8017", "8019"}, {"8018", "8019", "7250"}, {"8004", "7040", "8030"},
	{"401"}, {"402"}, {"8013"}, {"01", "423", "425", "7007", "7011", "8008", "4330", "7230"},
}

// TestRoundTrip_Scenarios: Compress then Decompress gives the same elements
// and pairs, with and without optimisation, for random values of many
// element sets; the optimised segment is never longer; and the segment
// does not depend on the order of the elements.
func TestRoundTrip_Scenarios(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(20260101, 7))
	for round := range 120 {
		for _, sc := range scenarios {
			elems := make([]dl.Element, len(sc))
			for i, ai := range sc {
				elems[i] = dl.Element{AI: ai, Value: genValue(rng, ai)}
			}
			other := genOther(rng)
			var plainLen int
			for _, optimise := range []bool{false, true} {
				s, err := compression.Compress(elems, other, optimise)
				if err != nil {
					t.Fatalf("round %d: Compress(%v, %q, %v): %v", round, elems, other, optimise, err)
				}
				back, backOther, err := compression.Decompress(s)
				if err != nil {
					t.Fatalf("round %d: Decompress(%q) of %v: %v", round, s, elems, err)
				}
				if !sameElements(back, elems) || !slices.Equal(backOther, other) {
					t.Fatalf("round %d: %v %q -> %q -> %v %q", round, elems, other, s, back, backOther)
				}
				if !compression.Looks(s) {
					t.Fatalf("Looks(%q) = false for %v", s, elems)
				}
				shuffled := slices.Clone(elems)
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				if s2, _ := compression.Compress(shuffled, other, optimise); s2 != s {
					t.Fatalf("order changed the segment: %q vs %q", s2, s)
				}
				if !optimise {
					plainLen = len(s)
				} else if len(s) > plainLen {
					t.Fatalf("optimised %q is longer than the plain segment (%d)", s, plainLen)
				}
			}
		}
	}
}

// TestRoundTrip_EveryAI round-trips a value of every AI of the dictionary,
// with a GTIN in front, in every encoding style.
func TestRoundTrip_EveryAI(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(42, 42))
	for _, ai := range dl.AIs() {
		for range 20 {
			elems := []dl.Element{{AI: ai, Value: genValue(rng, ai)}}
			if ai != "01" {
				elems = append(elems, dl.Element{AI: "01", Value: "09506000134376"})
			}
			for _, optimise := range []bool{false, true} {
				s, err := compression.Compress(elems, nil, optimise)
				if err != nil {
					t.Fatalf("Compress(%v): %v", elems, err)
				}
				back, _, err := compression.Decompress(s)
				if err != nil {
					t.Fatalf("Decompress(%q) of %v: %v", s, elems, err)
				}
				if !sameElements(back, elems) {
					t.Fatalf("%v -> %q -> %v", elems, s, back)
				}
			}
		}
	}
}
