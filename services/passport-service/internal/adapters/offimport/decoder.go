// Package offimport reads Open Food Facts product data (API v2/v3 responses,
// bare product objects, JSON arrays of either, or JSON lines such as OFF's
// JSONL export) and maps each product onto the catalog, one record at a
// time, so that a multi-gigabyte export never has to fit in memory.
//
// A bad record (a JSONL line that is not JSON, a "product not found"
// response, a missing or invalid barcode) is returned as a record with an
// error and the stream goes on; only an I/O error or input whose framing is
// lost (a top-level value that is not an object) ends it.
//
// Decoding uses github.com/valyala/fastjson and reads only the fields the
// mapping needs: encoding/json ran at about 8,000 sample records per second
// on one core, far too close to the import's target of 5,000 products per
// second including the database (see BenchmarkDecoder).
package offimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/valyala/fastjson"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

// DefaultMaxRecordBytes bounds one record (a JSONL line or a top-level
// object); the largest real OFF products are a few hundred kilobytes.
const DefaultMaxRecordBytes = 16 << 20

// Format is the shape of the input, detected from its first bytes.
type Format int

// Input shapes. Lines is one JSON object per line (OFF's JSONL export, or
// compact API responses); Objects is one or more JSON objects, each possibly
// spread over many lines (a pretty-printed API response), optionally inside
// a JSON array.
const (
	FormatUnknown Format = iota
	FormatLines
	FormatObjects
)

// String names the format for messages.
func (f Format) String() string {
	switch f {
	case FormatLines:
		return "JSON lines"
	case FormatObjects:
		return "JSON objects"
	}
	return "unknown"
}

// Options configure a Decoder.
type Options struct {
	// Name names the source in record positions ("products.jsonl:17");
	// "input" when empty.
	Name string
	// Offset resumes decoding at a byte offset an earlier run reported
	// (Record.Offset). The bytes before it are read and skipped without
	// decoding (so line numbers stay right and any io.Reader works).
	Offset int64
	// Records is how many records lie before Offset, so that record
	// numbers continue where the earlier run stopped.
	Records int64
	// MaxRecordBytes bounds one record; DefaultMaxRecordBytes when zero.
	MaxRecordBytes int
}

// Record is one decoded record: a mapped product, or why there is none.
type Record struct {
	// Source is the record's position: "name:line" (line from 1) for JSON
	// lines, "name:#n" (n from 1) otherwise.
	Source string
	// Index numbers the records of the source from 1, bad ones included.
	Index int64
	// Offset is the byte offset just after the record: pass it as
	// Options.Offset to resume after this record.
	Offset int64
	// Item is the mapped product when Err is nil; its Source is set.
	Item app.ImportRecord
	// Err says why the record could not be mapped; nil when it could.
	Err *RecordError
}

// RecordError says why one record was skipped.
type RecordError struct {
	Source string
	// GTIN is the barcode as the record gives it ("" when it has none or
	// it could not be read).
	GTIN   string
	Reason string
}

// Error implements error.
func (e *RecordError) Error() string {
	gtin := e.GTIN
	if gtin == "" {
		gtin = "(no code)"
	}
	return e.Source + ": " + gtin + ": " + e.Reason
}

// Decoder reads records from a stream. It is not safe for concurrent use.
type Decoder struct {
	in      input
	opts    Options
	name    string
	max     int
	format  Format
	started bool
	done    bool
	line    int64 // line number of the next unread line (FormatLines)
	index   int64 // records returned so far, plus opts.Records
	parser  fastjson.Parser
	mapper  mapper
}

// NewDecoder returns a decoder reading r as opts say.
func NewDecoder(r io.Reader, opts Options) *Decoder {
	d := &Decoder{in: input{r: r, buf: make([]byte, 0, 256<<10)}, opts: opts, name: opts.Name, max: opts.MaxRecordBytes}
	if d.name == "" {
		d.name = "input"
	}
	if d.max <= 0 {
		d.max = DefaultMaxRecordBytes
	}
	d.index = opts.Records
	d.line = 1
	return d
}

// Format reports the detected input shape; FormatUnknown before the first
// call to Next and for empty input.
func (d *Decoder) Format() Format { return d.format }

// Next returns the next record. It returns io.EOF after the last record;
// any other error (reading r, input that is not a JSON object stream) ends
// the stream. Problems with single records come back as Record.Err, with a
// nil error.
func (d *Decoder) Next() (Record, error) {
	if d.done {
		return Record{}, io.EOF
	}
	if !d.started {
		d.started = true
		if err := d.start(); err != nil {
			d.done = true
			return Record{}, err
		}
	}
	var (
		raw    []byte
		rec    Record
		err    error
		ok     bool
		source string
	)
	switch d.format {
	case FormatLines:
		raw, source, ok, rec, err = d.nextLine()
	case FormatObjects:
		raw, ok, rec, err = d.nextObject()
		source = d.name + ":#" + strconv.FormatInt(d.index+1, 10)
	default:
		ok, err = false, io.EOF
	}
	if err != nil {
		d.done = true
		return Record{}, err
	}
	d.index++
	if !ok { // a record-level framing problem, already described in rec
		rec.Index = d.index
		rec.Err.Source = rec.Source
		return rec, nil
	}
	rec = Record{Source: source, Index: d.index, Offset: d.in.off}
	item, gtin, reason := d.decode(raw)
	if reason != "" {
		rec.Err = &RecordError{Source: source, GTIN: gtin, Reason: reason}
		return rec, nil
	}
	item.Source = source
	rec.Item = item
	return rec, nil
}

// decode parses one record and maps it; reason is non-empty when the
// record is unusable.
func (d *Decoder) decode(raw []byte) (item app.ImportRecord, gtin, reason string) {
	v, err := d.parser.ParseBytes(raw)
	if err != nil {
		return item, "", "is not valid JSON: " + shorten(err.Error())
	}
	return d.mapper.mapValue(v)
}

// start detects the format and skips to opts.Offset.
func (d *Decoder) start() error {
	in := &d.in
	// Find the first significant byte, skipping a UTF-8 byte order mark.
	i, bom := 0, int64(0)
	for {
		if i >= in.len() {
			if !in.fill(d.max) {
				if in.err != nil {
					return in.err
				}
				d.format = FormatUnknown
				return d.skipTo(max(d.opts.Offset, bom))
			}
			continue
		}
		c := in.at(i)
		if i == 0 && c == 0xEF && in.off == 0 {
			if in.len() < 3 && in.fill(d.max) {
				continue
			}
			if bytes.HasPrefix(in.bytes(), []byte{0xEF, 0xBB, 0xBF}) {
				i = 3
				bom = 3
				continue
			}
		}
		if !isSpace(c) {
			break
		}
		i++
	}
	switch in.at(i) {
	case '[':
		d.format = FormatObjects
	case '{':
		// A pretty-printed object has nothing after its opening brace on
		// the first line; a JSON line has its first key there.
		j := i + 1
		for {
			if j >= in.len() {
				if !in.fill(d.max) {
					if in.err != nil {
						return in.err
					}
					break
				}
				continue
			}
			c := in.at(j)
			if c == ' ' || c == '\t' || c == '\r' {
				j++
				continue
			}
			break
		}
		if j >= in.len() || in.at(j) == '\n' {
			d.format = FormatObjects
		} else {
			d.format = FormatLines
		}
	default:
		return fmt.Errorf("%s: not Open Food Facts JSON: expected '{' or '[' at byte %d, found %q", d.name, int64(i), in.at(i))
	}
	return d.skipTo(max(d.opts.Offset, bom))
}

// skipTo discards input up to the absolute offset off, counting lines.
func (d *Decoder) skipTo(off int64) error {
	in := &d.in
	for in.off < off {
		if in.len() == 0 && !in.fill(d.max) {
			if in.err != nil {
				return in.err
			}
			return fmt.Errorf("%s: cannot resume at byte %d: the input ends at byte %d", d.name, off, in.off)
		}
		n := in.len()
		if rest := off - in.off; int64(n) > rest {
			n = int(rest)
		}
		d.line += int64(bytes.Count(in.bytes()[:n], []byte{'\n'}))
		in.advance(n)
	}
	return nil
}

// nextLine returns the next non-blank line. A line that is too long is
// reported as a record error (ok false) and skipped.
func (d *Decoder) nextLine() (raw []byte, source string, ok bool, rec Record, err error) {
	in := &d.in
	for {
		scanned := 0
		tooLong := false
		for {
			if k := bytes.IndexByte(in.bytes()[scanned:], '\n'); k >= 0 {
				scanned += k
				break
			}
			scanned = in.len()
			if scanned > d.max {
				tooLong = true
				break
			}
			if !in.fill(d.max + 1) {
				if in.err != nil {
					return nil, "", false, rec, in.err
				}
				break
			}
		}
		if scanned > d.max {
			tooLong = true
		}
		line := d.line
		source = d.name + ":" + strconv.FormatInt(line, 10)
		if tooLong {
			if err := d.discardLine(); err != nil {
				return nil, "", false, rec, err
			}
			return nil, source, false, Record{Source: source, Offset: in.off,
				Err: &RecordError{Reason: "line is longer than " + strconv.Itoa(d.max) + " bytes"}}, nil
		}
		if scanned == 0 && in.len() == 0 {
			return nil, "", false, rec, io.EOF
		}
		raw = in.bytes()[:scanned]
		consumed := scanned
		if scanned < in.len() { // ends with a newline
			consumed++
			d.line++
		}
		in.advance(consumed)
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		return raw, source, true, rec, nil
	}
}

// discardLine skips the rest of an over-long line, up to its newline.
func (d *Decoder) discardLine() error {
	in := &d.in
	for {
		if k := bytes.IndexByte(in.bytes(), '\n'); k >= 0 {
			in.advance(k + 1)
			d.line++
			return nil
		}
		in.advance(in.len())
		if !in.fill(d.max) {
			return in.err
		}
	}
}

// nextObject returns the next top-level object. Between objects it skips
// white space and the brackets and commas of an enclosing array. A last
// object cut short by the end of input is a record error.
func (d *Decoder) nextObject() (raw []byte, ok bool, rec Record, err error) {
	in := &d.in
	for {
		if in.len() == 0 && !in.fill(d.max) {
			if in.err != nil {
				return nil, false, rec, in.err
			}
			return nil, false, rec, io.EOF
		}
		c := in.at(0)
		if isSpace(c) || c == '[' || c == ']' || c == ',' {
			in.advance(1)
			continue
		}
		if c != '{' {
			return nil, false, rec, fmt.Errorf("%s: expected a JSON object at byte %d, found %q", d.name, in.off, c)
		}
		break
	}
	// Scan to the matching closing brace, aware of strings.
	depth := 0
	inString := false
	i := 0
	for {
		if i >= in.len() {
			if in.len() > d.max {
				return nil, false, rec, fmt.Errorf("%s: the object at byte %d is larger than %d bytes", d.name, in.off, d.max)
			}
			if !in.fill(d.max + 1) {
				if in.err != nil {
					return nil, false, rec, in.err
				}
				source := d.name + ":#" + strconv.FormatInt(d.index+1, 10)
				in.advance(in.len())
				return nil, false, Record{Source: source, Offset: in.off,
					Err: &RecordError{Reason: "is cut short: the input ends inside it"}}, nil
			}
			continue
		}
		b := in.bytes()
		if inString {
			k := bytes.IndexByte(b[i:], '"')
			if k < 0 {
				i = len(b)
				continue
			}
			i += k
			// The quote is escaped when an odd number of backslashes
			// precedes it.
			bs := 0
			for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
				bs++
			}
			i++
			if bs%2 == 0 {
				inString = false
			}
			continue
		}
		switch b[i] {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if i >= d.max {
					return nil, false, rec, fmt.Errorf("%s: the object at byte %d is larger than %d bytes", d.name, in.off, d.max)
				}
				raw = b[:i+1]
				in.advance(i + 1)
				return raw, true, rec, nil
			}
		}
		i++
	}
}

// input is a growable read buffer that knows the absolute offset of its
// first unread byte.
type input struct {
	r   io.Reader
	buf []byte // unread bytes are buf[pos:]
	pos int
	off int64 // absolute offset of buf[pos]
	eof bool
	err error
}

func (in *input) len() int      { return len(in.buf) - in.pos }
func (in *input) at(i int) byte { return in.buf[in.pos+i] }
func (in *input) bytes() []byte { return in.buf[in.pos:] }
func (in *input) advance(n int) { in.pos += n; in.off += int64(n) }
func isSpace(c byte) bool       { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }
func (in *input) ended() bool   { return in.eof || in.err != nil }

// fill reads more input, keeping the unread bytes (which move to the front
// of the buffer, so indexes relative to the unread bytes stay valid). The
// buffer grows while the unread bytes need it, up to about limit bytes. It
// reports whether any byte was added.
func (in *input) fill(limit int) bool {
	if in.ended() {
		return false
	}
	if in.pos > 0 {
		n := copy(in.buf[:cap(in.buf)], in.buf[in.pos:])
		in.buf = in.buf[:n]
		in.pos = 0
	}
	if len(in.buf) == cap(in.buf) {
		if len(in.buf) > limit {
			return false
		}
		nb := make([]byte, len(in.buf), 2*cap(in.buf)+4096)
		copy(nb, in.buf)
		in.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := in.r.Read(in.buf[len(in.buf):cap(in.buf)])
		in.buf = in.buf[:len(in.buf)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				in.eof = true
			} else {
				in.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	in.err = io.ErrNoProgress
	return false
}

// shorten keeps error text from quoting half a record.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
