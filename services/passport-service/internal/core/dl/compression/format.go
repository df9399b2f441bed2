package compression

import (
	"fmt"
	"math"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// part is one binary-encoded part of an AI value. Numeric parts are a binary
// number; other parts carry a 3-bit encoding indicator and characters.
// Variable parts carry a length field first.
type part struct {
	numeric bool
	fixed   bool
	// min and max bound the number of characters (equal when fixed).
	min, max int
	// lenBits is the width of the length field of a variable part.
	lenBits int
}

// format is how the value of one AI is encoded: its parts, in order. Only
// the last part may be variable.
type format struct {
	ai    string
	parts []part
	// maxBits bounds the bits of an encoded value (AI code excluded).
	maxBits int
}

// formatOverrides are the AIs whose encoding the GS1 compression prototype
// fixes differently from what the Syntax Dictionary implies. Compressed URIs
// made by the prototype must decode, so its layout wins.
//
// Source: gs1/GS1DigitalLinkCompressionPrototype@01ec8fd,
// src/GS1DigitalLinkToolkit.js, tableF ("8007":[{"E":"X","M":"24"}], from
// GS1 General Specifications v18); the dictionary now says X..34, which would
// widen the length field from 5 to 6 bits.
var formatOverrides = map[string][]part{
	"8007": {{numeric: false, min: 1, max: 24}},
}

// deriveFormat turns the dictionary's components of an AI into encoded
// parts, the way the prototype's tableF groups them:
//
//   - components are grouped into runs of numeric and of non-numeric ones
//     (X, Y and Z are all sent as characters);
//   - in a numeric run, the leading mandatory fixed-length components form
//     one fixed-length numeric part ("N1 N13" of 8003 is N14, "N6 N4" of 7003
//     is N10) and the rest (variable or optional) one variable part ("N8
//     [N2] [N2]" of 8008 is N8 + N..4, "N3 [N3]x4" of 423 is N3 + N..12);
//   - a non-numeric run forms one part, fixed only when all its components
//     are mandatory and fixed ("X2 X..28" of 7230 is X..30).
//
// The cross-check against the prototype's tableF is in format_test.go.
func deriveFormat(info dl.AIInfo) (format, error) {
	f := format{ai: info.AI}
	if o, ok := formatOverrides[info.AI]; ok {
		f.parts = append([]part(nil), o...)
		return f.finish()
	}
	comps := info.Components
	for i := 0; i < len(comps); {
		numeric := comps[i].Charset == 'N'
		j := i
		for j < len(comps) && (comps[j].Charset == 'N') == numeric {
			j++
		}
		run := comps[i:j]
		if numeric {
			k := 0
			fixedLen := 0
			for k < len(run) && !run[k].Optional && run[k].Min == run[k].Max {
				fixedLen += run[k].Max
				k++
			}
			if k > 0 {
				f.parts = append(f.parts, part{numeric: true, fixed: true, min: fixedLen, max: fixedLen})
			}
			if k < len(run) {
				f.parts = append(f.parts, mergeVariable(run[k:], true))
			}
		} else {
			f.parts = append(f.parts, mergeVariable(run, false))
		}
		i = j
	}
	return f.finish()
}

// mergeVariable makes one part of consecutive components: fixed when all
// are mandatory and fixed, otherwise variable with the summed bounds
// (optional components count nothing towards the minimum).
func mergeVariable(run []dl.Component, numeric bool) part {
	p := part{numeric: numeric, fixed: true}
	for _, c := range run {
		p.max += c.Max
		if !c.Optional {
			p.min += c.Min
		}
		if c.Optional || c.Min != c.Max {
			p.fixed = false
		}
	}
	if p.fixed {
		p.min = p.max
	}
	return p
}

// finish checks the shape of f and fills the derived widths.
func (f format) finish() (format, error) {
	if len(f.parts) == 0 {
		return format{}, fmt.Errorf("AI %s: no components", f.ai)
	}
	for i := range f.parts {
		p := &f.parts[i]
		if p.max < 1 || p.max > maxValueChars || p.min < 0 || p.min > p.max {
			return format{}, fmt.Errorf("AI %s: part %d has bounds %d..%d", f.ai, i, p.min, p.max)
		}
		if !p.fixed && i != len(f.parts)-1 {
			return format{}, fmt.Errorf("AI %s: variable part %d is not the last", f.ai, i)
		}
		if !p.fixed {
			p.lenBits = lengthBits(p.max)
		}
		switch {
		case p.numeric && p.fixed:
			f.maxBits += valueBits(p.max)
		case p.numeric:
			f.maxBits += p.lenBits + valueBits(p.max)
		default:
			// Worst case: 3-bit indicator, length and 7-bit ASCII characters.
			f.maxBits += 3 + p.lenBits + 7*p.max
		}
	}
	return f, nil
}

// maxValueChars bounds the characters of any one value or part (GS1 values
// have at most 90; the prototype's 7-bit length fields allow 127).
const maxValueChars = 127

// valueBitsTable and lengthBitsTable hold the prototype's bit widths for 0 to
// maxValueChars characters.
var valueBitsTable, lengthBitsTable [maxValueChars + 1]int

func init() {
	for n := 0; n <= maxValueChars; n++ {
		// Prototype numberOfValueBits: ceil(n*log(10)/log(2) + 0.01).
		valueBitsTable[n] = int(math.Ceil(float64(n)*math.Log(10)/math.Log(2) + 0.01))
		if n > 0 {
			// Prototype numberOfLengthBits: ceil(log(n)/log(2) + 0.01).
			lengthBitsTable[n] = int(math.Ceil(math.Log(float64(n))/math.Log(2) + 0.01))
		}
	}
}

// valueBits is the number of bits of a number of n decimal digits (the
// prototype sends 1 bit for 0 digits).
func valueBits(n int) int { return valueBitsTable[n] }

// lengthBits is the width of the length field of a part of at most max
// characters.
func lengthBits(max int) int { return lengthBitsTable[max] }

// formats holds the format of every AI the dictionary knows, indexed by
// dl.Slot. formatErrors lists AIs whose format could not
// be derived (none with the current dictionary; see format_test.go).
var (
	formats      [dl.Slots]*format
	formatErrors []error
	// maxFormatBits is the largest maxBits of any format.
	maxFormatBits int
)

func init() {
	for _, ai := range dl.AIs() {
		info, ok := dl.Spec(ai)
		if !ok {
			continue
		}
		f, err := deriveFormat(info)
		if err != nil {
			formatErrors = append(formatErrors, err)
			continue
		}
		idx, ok := dl.Slot(ai)
		if !ok {
			formatErrors = append(formatErrors, fmt.Errorf("AI %s: not 2-4 digits", ai))
			continue
		}
		formats[idx] = &f
		maxFormatBits = max(maxFormatBits, f.maxBits)
	}
}

// formatOf returns the format of ai, or nil when compression does not know
// ai.
func formatOf(ai string) *format {
	idx, ok := dl.Slot(ai)
	if !ok {
		return nil
	}
	return formats[idx]
}

// optimisation is a one-byte code standing for a sequence of AIs whose
// values follow it in that order.
type optimisation struct {
	code byte
	ais  []string
}

// optimisations are the prototype's predefined AI sequences, in the order
// its compressor tries them (the first of equally good ones wins).
//
// Source: gs1/GS1DigitalLinkCompressionPrototype@01ec8fd,
// src/GS1DigitalLinkToolkit.js, tableOpt ("we'll initially use 0A-0F through
// 9A-9F to keep Ah - Eh unallocated and reserve Fh for support for non-GS1
// keys from the URI query string").
var optimisations = []optimisation{
	{0x0A, []string{"01", "22"}},
	{0x0B, []string{"01", "10"}},
	{0x0C, []string{"01", "21"}},
	{0x0D, []string{"01", "17"}},
	{0x0E, []string{"01", "7003"}},
	{0x0F, []string{"01", "30"}},
	{0x1A, []string{"01", "10", "21", "17"}},
	{0x1B, []string{"01", "15"}},
	{0x1C, []string{"01", "11"}},
	{0x1D, []string{"01", "16"}},
	{0x1E, []string{"01", "91"}},
	{0x1F, []string{"01", "10", "15"}},
	{0x2A, []string{"01", "3100"}},
	{0x2B, []string{"01", "3101"}},
	{0x2C, []string{"01", "3102"}},
	{0x2D, []string{"01", "3103"}},
	{0x2E, []string{"01", "3104"}},
	{0x2F, []string{"01", "3105"}},
	{0x3A, []string{"01", "3200"}},
	{0x3B, []string{"01", "3201"}},
	{0x3C, []string{"01", "3202"}},
	{0x3D, []string{"01", "3203"}},
	{0x3E, []string{"01", "3204"}},
	{0x3F, []string{"01", "3205"}},
	{0x9A, []string{"8010", "8011"}},
	{0x9B, []string{"8017", "8019"}},
	{0x9C, []string{"8018", "8019"}},
	{0x9D, []string{"414", "254"}},
	{0xA0, []string{"01", "3920"}},
	{0xA1, []string{"01", "3921"}},
	{0xA2, []string{"01", "3922"}},
	{0xA3, []string{"01", "3923"}},
	{0xA4, []string{"01", "3924"}},
	{0xA5, []string{"01", "3925"}},
	{0xA6, []string{"01", "3926"}},
	{0xA7, []string{"01", "3927"}},
	{0xA8, []string{"01", "3928"}},
	{0xA9, []string{"01", "3929"}},
	{0xC0, []string{"255", "3900"}},
	{0xC1, []string{"255", "3901"}},
	{0xC2, []string{"255", "3902"}},
	{0xC3, []string{"255", "3903"}},
	{0xC4, []string{"255", "3904"}},
	{0xC5, []string{"255", "3905"}},
	{0xC6, []string{"255", "3906"}},
	{0xC7, []string{"255", "3907"}},
	{0xC8, []string{"255", "3908"}},
	{0xC9, []string{"255", "3909"}},
	{0xCA, []string{"255", "3940"}},
	{0xCB, []string{"255", "3941"}},
	{0xCC, []string{"255", "3942"}},
	{0xCD, []string{"255", "3943"}},
}

// optIndex maps a code byte to 1 + its position in optimisations (0: none).
var optIndex [256]uint8

func init() {
	for i, o := range optimisations {
		optIndex[o.code] = uint8(i + 1)
	}
}

// optimisationOf returns the optimisation with code c, or nil.
func optimisationOf(c byte) *optimisation {
	if i := optIndex[c]; i > 0 {
		return &optimisations[i-1]
	}
	return nil
}
