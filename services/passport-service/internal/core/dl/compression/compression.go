// Package compression reads and writes GS1 compressed Digital Link URIs: the
// "https://host[/stem]/{compressed}" form of GS1 Digital Link 1.1 and later,
// where {compressed} is one base64url path segment holding a bit stream of
// AI codes and values, optional one-byte "optimisation" codes that stand for
// common AI sequences, and non-GS1 key=value pairs.
//
// The algorithm follows GS1's reference implementation,
// gs1/GS1DigitalLinkCompressionPrototype (src/GS1DigitalLinkToolkit.js, read
// at 01ec8fd), bit for bit, except where that code has bugs:
//
//   - numeric values keep their leading zeros ("0123" decodes to "0123"; the
//     prototype drops them outside fixed-length parts);
//   - a value with a numeric part followed by a character part (253, 8003,
//     421, 7030-7039) is written once (the prototype's compressor repeats the
//     numeric bits, and its decompressor overwrites the numeric part);
//   - 18-digit and longer numbers are exact, as in the prototype's BigInt
//     code (the older copy inside digital-link.js rounds them through a
//     float, which breaks SSCCs).
//
// Where the prototype and digital-link.js produce different segments (SSCC,
// 414+254, GTIN+10+21+17; see the facts file on compression
// interoperability), this package follows the current prototype: exact
// numbers, AIs in AI order, and the 9D and 1A optimisations of its table.
//
// AIs the prototype does not know (235, 417, 7040, 8030, 43xx, ...) are
// encoded with a layout derived from the GS1 Barcode Syntax Dictionary the
// same way the prototype's table was (see deriveFormat); other compressors
// may not read those. In the prototype's "partially compressed" form
// (/01/{gtin}/{rest}), Decompress reads {rest}; joining it with the key is
// the caller's business.
//
// Decompress returns what the bit stream says, in stream order; the caller
// validates the elements as a Digital Link (primary key, qualifiers, check
// digits, dates), e.g. with dl.BuildURI, which also gives the uncompressed
// URI for the owl:sameAs link.
package compression

import (
	"fmt"
	"sort"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// Error codes of the *dl.Error values this package returns.
const (
	// CodeSyntax: the segment is not a well-formed compressed Digital Link
	// (a character outside base64url, a non-digit AI, an unknown
	// optimisation or encoding code, a number or length out of range, a
	// character not allowed in a value, non-zero padding).
	CodeSyntax = "compressed-syntax"
	// CodeTruncated: the bit stream ends inside an element.
	CodeTruncated = "compressed-truncated"
	// CodeUnknownAI: the stream names an AI the dictionary does not know.
	CodeUnknownAI = "compressed-unknown-ai"
	// CodeDuplicate: the stream carries an AI twice.
	CodeDuplicate = "compressed-duplicate"
	// CodeTooLong: the segment or its number of elements exceeds the limits.
	CodeTooLong = "compressed-too-long"
	// CodeCompressInvalid: Compress was given something it cannot encode.
	CodeCompressInvalid = "compress-invalid"
	// CodeCompressUnknownAI: Compress was given an AI the dictionary does
	// not know.
	CodeCompressUnknownAI = "compress-unknown-ai"
)

// Codes lists every error code this package returns.
var Codes = []string{CodeSyntax, CodeTruncated, CodeUnknownAI, CodeDuplicate, CodeTooLong,
	CodeCompressInvalid, CodeCompressUnknownAI}

// Limits. Compress never produces a segment Decompress would refuse: the
// largest output of MaxElements elements and MaxOtherPairs pairs fits in
// MaxSegmentLen (compression_test.go checks it).
const (
	// MinSegmentLen is the shortest compressed segment that can hold a
	// primary key (AI 401 with a one-digit value: 24 bits).
	MinSegmentLen = 4
	// MaxSegmentLen is the longest segment Decompress reads.
	MaxSegmentLen = 16384
	// MaxElements is the most GS1 elements in one segment, as many as a
	// Digital Link may carry (dl.MaxAIs).
	MaxElements = dl.MaxAIs
	// MaxOtherPairs is the most non-GS1 key=value pairs in one segment.
	MaxOtherPairs = 32
	// maxOtherLen bounds a non-GS1 key or value: its length field has 7 bits.
	maxOtherLen = 127
)

// Character encodings of non-numeric parts (prototype handleEncodings).
const (
	encNumeric  = 0 // digits as one binary number
	encHexLower = 1 // 0-9 a-f, 4 bits each
	encHexUpper = 2 // 0-9 A-F, 4 bits each
	encBase64   = 3 // base64url alphabet, 6 bits each
	encASCII    = 4 // 7-bit ASCII
)

const (
	hexLower = "0123456789abcdef"
	hexUpper = "0123456789ABCDEF"
)

// prefixWidth is the AI length implied by two leading digits (0: none).
var prefixWidth [100]uint8

func init() {
	for i := range prefixWidth {
		prefixWidth[i] = uint8(dl.AILength(string([]byte{byte('0' + i/10), byte('0' + i%10)})))
	}
}

// Looks reports cheaply whether a path segment could be a compressed Digital
// Link: MinSegmentLen to MaxSegmentLen base64url characters whose first byte
// is an AI prefix of the dictionary or an optimisation code. A plain number
// such as a GTIN never looks compressed: digits are base64url values 52-61,
// so its first byte would start with the unused nibbles D, E or F.
func Looks(segment string) bool {
	if len(segment) < MinSegmentLen || len(segment) > MaxSegmentLen {
		return false
	}
	for i := 0; i < len(segment); i++ {
		if alphabetIndex[segment[i]] == 0 {
			return false
		}
	}
	first := (alphabetIndex[segment[0]]-1)<<2 | (alphabetIndex[segment[1]]-1)>>4
	h1, h2 := first>>4, first&15
	if h1 <= 9 && h2 <= 9 {
		return prefixWidth[h1*10+h2] != 0
	}
	return optimisationOf(first) != nil
}

// Decompress decodes the compressed segment (no slashes) into GS1 elements,
// in encoded order, and the non-GS1 key=value pairs it carried. Values are
// plain text (not percent-encoded). Errors are *dl.Error with one of the
// Code* codes above and the character offset in segment where the faulty
// element or field starts.
func Decompress(segment string) (elems []dl.Element, other [][2]string, err error) {
	if len(segment) > MaxSegmentLen {
		return nil, nil, &dl.Error{Code: CodeTooLong, Offset: MaxSegmentLen,
			Message: fmt.Sprintf("compressed Digital Link: segment longer than %d characters", MaxSegmentLen)}
	}
	if segment == "" {
		return nil, nil, &dl.Error{Code: CodeSyntax, Message: "compressed Digital Link: empty segment"}
	}
	for i := 0; i < len(segment); i++ {
		if alphabetIndex[segment[i]] == 0 {
			return nil, nil, &dl.Error{Code: CodeSyntax, Offset: i,
				Message: fmt.Sprintf("compressed Digital Link: character %q at offset %d is not base64url", segment[i], i)}
		}
	}
	d := decoder{r: bitReader{seg: segment, n: len(segment) * 6}}
	if err := d.run(); err != nil {
		return nil, nil, err
	}
	return d.elems, d.other, nil
}

// decoder holds the state of one Decompress call.
type decoder struct {
	r     bitReader
	elems []dl.Element
	other [][2]string
	// scratch holds a value while it is decoded.
	scratch [128]byte
}

// fail builds an error at bit position pos.
func (d *decoder) fail(code string, pos int, ai, format string, args ...any) *dl.Error {
	return &dl.Error{Code: code, AI: ai, Offset: pos / 6,
		Message: fmt.Sprintf("compressed Digital Link: "+format, args...) + fmt.Sprintf(" (at character %d)", pos/6)}
}

// truncated builds the error for a stream that ends at bit position pos.
func (d *decoder) truncated(pos int, ai string) *dl.Error {
	if ai != "" {
		return d.fail(CodeTruncated, pos, ai, "data ends inside the value of AI %s", ai)
	}
	return d.fail(CodeTruncated, pos, "", "data ends inside an element")
}

// run decodes elements until only padding (fewer than 6 bits) is left.
func (d *decoder) run() *dl.Error {
	for d.r.left() >= 6 {
		start := d.r.pos
		h, ok := d.r.read(8)
		if !ok {
			return d.truncated(start, "")
		}
		h1, h2 := h>>4, h&15
		switch {
		case h1 <= 9 && h2 <= 9:
			if err := d.gs1Element(start, int(h1*10+h2)); err != nil {
				return err
			}
		case h1 == 0xF:
			if err := d.otherPair(start, int(h2)); err != nil {
				return err
			}
		default:
			opt := optimisationOf(byte(h))
			if opt == nil {
				return d.fail(CodeSyntax, start, "", "unknown optimisation code %02X", h)
			}
			for _, ai := range opt.ais {
				f := formatOf(ai)
				if f == nil { // the dictionary lost an AI of the table; format_test.go guards this
					return d.fail(CodeUnknownAI, start, ai, "optimisation %02X: unknown AI %s", h, ai)
				}
				if err := d.addValue(start, f); err != nil {
					return err
				}
			}
		}
	}
	padStart := d.r.pos
	if pad, _ := d.r.read(d.r.left()); pad != 0 {
		return d.fail(CodeSyntax, padStart, "", "padding bits are not zero")
	}
	if len(d.elems) == 0 {
		return d.fail(CodeSyntax, 0, "", "no GS1 element")
	}
	return nil
}

// gs1Element decodes an AI code whose first two digits are prefix, then its
// value.
func (d *decoder) gs1Element(start, prefix int) *dl.Error {
	width := int(prefixWidth[prefix])
	if width < 2 || width > 4 {
		ai := fmt.Sprintf("%02d", prefix)
		return d.fail(CodeUnknownAI, start, ai, "no AI starts with %s", ai)
	}
	n := prefix
	for i := 2; i < width; i++ {
		digit, ok := d.r.read(4)
		if !ok {
			return d.truncated(start, "")
		}
		if digit > 9 {
			return d.fail(CodeSyntax, start, "", "AI digit %X is not a decimal digit", digit)
		}
		n = n*10 + int(digit)
	}
	var f *format
	if slot, ok := dl.SlotOf(width, n); ok {
		f = formats[slot]
	}
	if f == nil {
		ai := fmt.Sprintf("%0*d", width, n)
		return d.fail(CodeUnknownAI, start, ai, "unknown AI %s", ai)
	}
	return d.addValue(start, f)
}

// addValue decodes the value of f's AI and appends the element.
func (d *decoder) addValue(start int, f *format) *dl.Error {
	if len(d.elems) == MaxElements {
		return d.fail(CodeTooLong, start, f.ai, "more than %d GS1 elements", MaxElements)
	}
	for _, e := range d.elems {
		if e.AI == f.ai {
			return d.fail(CodeDuplicate, start, f.ai, "AI %s appears twice", f.ai)
		}
	}
	v, err := d.value(f)
	if err != nil {
		return err
	}
	if d.elems == nil {
		d.elems = make([]dl.Element, 0, 4) // a key, qualifiers, an attribute or two
	}
	d.elems = append(d.elems, dl.Element{AI: f.ai, Value: v})
	return nil
}

// value decodes the parts of one value.
func (d *decoder) value(f *format) (string, *dl.Error) {
	out := d.scratch[:0]
	for _, p := range f.parts {
		start := d.r.pos
		enc := uint64(encNumeric)
		if !p.numeric {
			var ok bool
			if enc, ok = d.r.read(3); !ok {
				return "", d.truncated(start, f.ai)
			}
		}
		n := p.max
		if !p.fixed {
			v, ok := d.r.read(p.lenBits)
			if !ok {
				return "", d.truncated(start, f.ai)
			}
			if int(v) < p.min || int(v) > p.max {
				return "", d.fail(CodeSyntax, start, f.ai, "AI %s: length %d is outside %d..%d", f.ai, v, p.min, p.max)
			}
			n = int(v)
		}
		var err *dl.Error
		if out, err = d.chars(start, f.ai, enc, n, out, '!'); err != nil {
			return "", err
		}
	}
	return string(out), nil
}

// otherPair decodes a non-GS1 key=value pair; h2 holds the top 4 of the 7
// bits of the key length.
func (d *decoder) otherPair(start, h2 int) *dl.Error {
	if len(d.other) == MaxOtherPairs {
		return d.fail(CodeTooLong, start, "", "more than %d non-GS1 pairs", MaxOtherPairs)
	}
	low, ok := d.r.read(3)
	if !ok {
		return d.truncated(start, "")
	}
	keyLen := h2<<3 | int(low)
	if keyLen == 0 {
		return d.fail(CodeSyntax, start, "", "non-GS1 pair with an empty key")
	}
	key := d.scratch[:0]
	digits := true
	for range keyLen {
		v, ok := d.r.read(6)
		if !ok {
			return d.truncated(start, "")
		}
		c := alphabet[v]
		digits = digits && c >= '0' && c <= '9'
		key = append(key, c)
	}
	if digits {
		return d.fail(CodeSyntax, start, "", "non-GS1 key %q is a number (AIs are not sent as pairs)", string(key))
	}
	k := string(key)
	valueStart := d.r.pos
	enc, ok := d.r.read(3)
	if !ok {
		return d.truncated(valueStart, "")
	}
	n, ok := d.r.read(7)
	if !ok {
		return d.truncated(valueStart, "")
	}
	v, err := d.chars(valueStart, "", enc, int(n), d.scratch[:0], ' ')
	if err != nil {
		return err
	}
	d.other = append(d.other, [2]string{k, string(v)})
	return nil
}

// chars decodes n characters in encoding enc and appends them to dst. ASCII
// characters must be from lowest to '~' ('!' for GS1 values, ' ' for
// non-GS1 values).
func (d *decoder) chars(start int, ai string, enc uint64, n int, dst []byte, lowest byte) ([]byte, *dl.Error) {
	if enc == encNumeric {
		if valueBits(n) > d.r.left() {
			return dst, d.truncated(start, ai)
		}
		dst, ok := d.r.readDigits(n, dst)
		if !ok {
			return dst, d.fail(CodeSyntax, start, ai, "number has more than %d digits", n)
		}
		return dst, nil
	}
	width := 0
	switch enc {
	case encHexLower, encHexUpper:
		width = 4
	case encBase64:
		width = 6
	case encASCII:
		width = 7
	default:
		return dst, d.fail(CodeSyntax, start, ai, "unknown character encoding %d", enc)
	}
	if width*n > d.r.left() {
		return dst, d.truncated(start, ai)
	}
	for range n {
		v, _ := d.r.read(width)
		var c byte
		switch enc {
		case encHexLower:
			c = hexLower[v]
		case encHexUpper:
			c = hexUpper[v]
		case encBase64:
			c = alphabet[v]
		default:
			c = byte(v)
			if c < lowest || c > '~' {
				return dst, d.fail(CodeSyntax, start, ai, "character 0x%02X is not allowed", c)
			}
		}
		dst = append(dst, c)
	}
	return dst, nil
}

// Compress encodes GS1 elements and non-GS1 key=value pairs (plain text, not
// percent-encoded) into a compressed segment, the way the GS1 prototype
// does: with optimise, the predefined AI sequences that save most AI digits
// go first; the other AIs follow in AI order; the pairs come last, in the
// order given. So the segment does not depend on the order of elems.
//
// Errors are *dl.Error with code CodeCompressInvalid or
// CodeCompressUnknownAI, the AI concerned and, as Offset, the index of the
// offending element in elems (or of the pair in other).
func Compress(elems []dl.Element, other [][2]string, optimise bool) (string, error) {
	if len(elems) == 0 {
		return "", compressErr(CodeCompressInvalid, "", 0, "no GS1 element")
	}
	if len(elems) > MaxElements {
		return "", compressErr(CodeCompressInvalid, "", MaxElements, "more than %d GS1 elements", MaxElements)
	}
	if len(other) > MaxOtherPairs {
		return "", compressErr(CodeCompressInvalid, "", MaxOtherPairs, "more than %d non-GS1 pairs", MaxOtherPairs)
	}
	fs := make([]*format, len(elems))
	for i, e := range elems {
		f := formatOf(e.AI)
		if f == nil {
			return "", compressErr(CodeCompressUnknownAI, e.AI, i, "unknown AI %q", e.AI)
		}
		for _, prev := range elems[:i] {
			if prev.AI == e.AI {
				return "", compressErr(CodeCompressInvalid, e.AI, i, "AI %s appears twice", e.AI)
			}
		}
		if msg := checkValue(f, e.Value); msg != "" {
			return "", compressErr(CodeCompressInvalid, e.AI, i, "AI %s: %s", e.AI, msg)
		}
		fs[i] = f
	}
	for i, kv := range other {
		if msg := checkOther(kv[0], kv[1]); msg != "" {
			return "", compressErr(CodeCompressInvalid, "", i, "non-GS1 pair %q: %s", kv[0], msg)
		}
	}

	order := make([]int, len(elems))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return elems[order[a]].AI < elems[order[b]].AI })
	used := make([]bool, len(elems))
	var chosen []*optimisation
	if optimise {
		chosen = chooseOptimisations(elems, used)
	}

	w := bitWriter{buf: make([]byte, 0, 64)}
	for _, o := range chosen {
		w.write(uint64(o.code), 8)
		for _, ai := range o.ais {
			i := indexOf(elems, ai)
			encodeValue(&w, fs[i], elems[i].Value)
		}
	}
	for _, i := range order {
		if used[i] {
			continue
		}
		for j := 0; j < len(elems[i].AI); j++ {
			w.write(uint64(elems[i].AI[j]-'0'), 4)
		}
		encodeValue(&w, fs[i], elems[i].Value)
	}
	for _, kv := range other {
		key, value := kv[0], kv[1]
		w.write(0xF, 4)
		w.write(uint64(len(key)), 7)
		for j := 0; j < len(key); j++ {
			w.write(uint64(alphabetIndex[key[j]]-1), 6)
		}
		enc := chooseEncoding(value)
		w.write(uint64(enc), 3)
		w.write(uint64(len(value)), 7)
		writeChars(&w, enc, value)
	}
	s := w.segment()
	if len(s) > MaxSegmentLen { // unreachable within the element limits; kept as a guard
		return "", compressErr(CodeCompressInvalid, "", 0, "result longer than %d characters", MaxSegmentLen)
	}
	return s, nil
}

// chooseOptimisations picks optimisations the way the prototype does: while
// one applies to AIs not yet covered, take the one whose AIs have the most
// digits (the first of equals), and mark its AIs used.
func chooseOptimisations(elems []dl.Element, used []bool) []*optimisation {
	var chosen []*optimisation
	for {
		var best *optimisation
		bestScore := 0
		for k := range optimisations {
			o := &optimisations[k]
			score := 0
			for _, ai := range o.ais {
				i := indexOf(elems, ai)
				if i < 0 || used[i] {
					score = 0
					break
				}
				score += len(ai)
			}
			if score > bestScore {
				best, bestScore = o, score
			}
		}
		if best == nil {
			return chosen
		}
		for _, ai := range best.ais {
			used[indexOf(elems, ai)] = true
		}
		chosen = append(chosen, best)
	}
}

// indexOf returns the index of the element with AI ai, or -1.
func indexOf(elems []dl.Element, ai string) int {
	for i, e := range elems {
		if e.AI == ai {
			return i
		}
	}
	return -1
}

// checkValue reports what is wrong with value for format f ("" if nothing).
func checkValue(f *format, value string) string {
	pos := 0
	for _, p := range f.parts {
		var s string
		if p.fixed {
			if len(value)-pos < p.max {
				return fmt.Sprintf("value %q is too short", value)
			}
			s = value[pos : pos+p.max]
		} else {
			s = value[pos:]
			if len(s) < p.min || len(s) > p.max {
				return fmt.Sprintf("value %q has a part of %d characters, want %d..%d", value, len(s), p.min, p.max)
			}
		}
		pos += len(s)
		for j := 0; j < len(s); j++ {
			c := s[j]
			if p.numeric && (c < '0' || c > '9') {
				return fmt.Sprintf("value %q: %q where a digit is required", value, c)
			}
			if c < '!' || c > '~' {
				return fmt.Sprintf("value %q: character %q cannot be compressed", value, c)
			}
		}
	}
	if pos != len(value) {
		return fmt.Sprintf("value %q is too long", value)
	}
	return ""
}

// checkOther reports what is wrong with a non-GS1 pair ("" if nothing).
func checkOther(key, value string) string {
	if key == "" || len(key) > maxOtherLen {
		return fmt.Sprintf("key must have 1 to %d characters", maxOtherLen)
	}
	digits := true
	for j := 0; j < len(key); j++ {
		c := key[j]
		if alphabetIndex[c] == 0 {
			return fmt.Sprintf("key character %q is not base64url", c)
		}
		digits = digits && c >= '0' && c <= '9'
	}
	if digits {
		return "a numeric key is an AI, not a non-GS1 pair"
	}
	if len(value) > maxOtherLen {
		return fmt.Sprintf("value longer than %d characters", maxOtherLen)
	}
	for j := 0; j < len(value); j++ {
		if c := value[j]; c < ' ' || c > '~' {
			return fmt.Sprintf("value character %q cannot be compressed", c)
		}
	}
	return ""
}

// encodeValue writes a value already checked by checkValue.
func encodeValue(w *bitWriter, f *format, value string) {
	pos := 0
	for _, p := range f.parts {
		s := value[pos:]
		if p.fixed {
			s = value[pos : pos+p.max]
		}
		pos += len(s)
		if p.numeric {
			if !p.fixed {
				w.write(uint64(len(s)), p.lenBits)
			}
			w.writeDigits(s)
			continue
		}
		enc := chooseEncoding(s)
		w.write(uint64(enc), 3)
		if !p.fixed {
			w.write(uint64(len(s)), p.lenBits)
		}
		writeChars(w, enc, s)
	}
}

// chooseEncoding picks the most compact encoding that can hold s, in the
// prototype's order of preference (determineEncoding): digits, upper-case
// hex, lower-case hex, base64url, ASCII. The empty string is sent as ASCII.
func chooseEncoding(s string) int {
	if s == "" {
		return encASCII
	}
	digits, upper, lower, b64 := true, true, true, true
	for j := 0; j < len(s); j++ {
		c := s[j]
		isDigit := c >= '0' && c <= '9'
		digits = digits && isDigit
		upper = upper && (isDigit || c >= 'A' && c <= 'F')
		lower = lower && (isDigit || c >= 'a' && c <= 'f')
		b64 = b64 && alphabetIndex[c] != 0
	}
	switch {
	case digits:
		return encNumeric
	case upper:
		return encHexUpper
	case lower:
		return encHexLower
	case b64:
		return encBase64
	}
	return encASCII
}

// writeChars writes s in encoding enc (chosen by chooseEncoding).
func writeChars(w *bitWriter, enc int, s string) {
	if enc == encNumeric {
		w.writeDigits(s)
		return
	}
	for j := 0; j < len(s); j++ {
		c := s[j]
		switch enc {
		case encHexLower, encHexUpper:
			v := c - '0'
			if c > '9' {
				v = c&^0x20 - 'A' + 10
			}
			w.write(uint64(v), 4)
		case encBase64:
			w.write(uint64(alphabetIndex[c]-1), 6)
		default:
			w.write(uint64(c), 7)
		}
	}
}

// compressErr builds a Compress error.
func compressErr(code, ai string, index int, format string, args ...any) *dl.Error {
	return &dl.Error{Code: code, AI: ai, Offset: index,
		Message: "compress Digital Link: " + fmt.Sprintf(format, args...)}
}
