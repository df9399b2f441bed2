package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// storedLink is one element of the links JSON array.
type storedLink struct {
	Rel      string   `json:"rel"`
	Href     string   `json:"href"`
	Title    string   `json:"title"`
	Type     string   `json:"type,omitempty"`
	Hreflang []string `json:"hreflang,omitempty"`
	Context  []string `json:"context,omitempty"`
	Fwqs     bool     `json:"fwqs"`
	Public   bool     `json:"public"`
}

func encodeLinks(links []resolver.Link) ([]byte, error) {
	s := make([]storedLink, len(links))
	for i, l := range links {
		s[i] = storedLink{Rel: l.Type, Href: l.Href, Title: l.Title, Type: l.MediaType,
			Hreflang: l.Hreflang, Context: l.Context, Fwqs: l.Fwqs, Public: l.Public}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("postgres: encode links: %w", err)
	}
	return b, nil
}

// linkDecoder decodes the links column. Loading a million anchors at start
// is dominated by JSON decoding, so it has a fast path for what the column
// holds (encodeLinks' output, kept verbatim by the json type: an array of
// flat objects with the members of storedLink) that copies each string once and
// shares repeated short strings (link types, titles, media types, language
// tags, contexts) among anchors. Anything else, such as a string with an
// escape, goes through encoding/json; both give the same links.
//
// On the fast path the strings only one anchor has (its key, description,
// hrefs and titles) go into one string per anchor, an equal one only once (a
// default link's target repeats a descriptive link's, R12; a default link's
// title is often the description), and decodeAnchor allocates the anchor
// with its links: the index then holds three objects per anchor instead of
// ten, which is most of its memory with a million anchors.
//
// A linkDecoder is not safe for concurrent use.
type linkDecoder struct {
	// intern shares short strings, lists the hreflang and context lists
	// (as their JSON text); each is bounded by maxInterned.
	intern map[string]string
	lists  map[string][]string
	// Scratch space of the row being decoded, reused from row to row.
	links []resolver.Link
	buf   []byte // the row's own strings, back to back
	spans []span // where the links' own strings are in buf
	desc  span   // the description in buf
}

// span is a piece of linkDecoder.buf that a link's Href (or Title) gets
// once buf is copied into a string.
type span struct {
	link   int
	title  bool
	off, n int
}

const (
	maxInterned   = 100000
	maxInternSize = 64
)

// linkTypes maps every known link type to one shared string.
var linkTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range resolver.LinkTypes() {
		m[t] = t
	}
	return m
}()

func newLinkDecoder() *linkDecoder {
	return &linkDecoder{intern: map[string]string{}, lists: map[string][]string{}}
}

// decode returns the links held in b.
func (d *linkDecoder) decode(b []byte) ([]resolver.Link, error) {
	d.buf, d.desc = d.buf[:0], span{}
	links, fast, err := d.decodeLinks(b)
	if err != nil || !fast {
		return links, err
	}
	out := make([]resolver.Link, len(links))
	copy(out, links)
	d.own(out, string(d.buf))
	return out, nil
}

// decodeAnchor returns the anchor a stored row holds, laid out for the
// index (see linkDecoder).
func (d *linkDecoder) decodeAnchor(key, brand, description string, b []byte) (*resolver.Anchor, error) {
	d.buf = append(append(d.buf[:0], key...), description...)
	d.desc = span{off: len(key), n: len(description)}
	links, fast, err := d.decodeLinks(b)
	if err != nil {
		return nil, err
	}
	a := newAnchor(len(links))
	copy(a.Links, links)
	clear(d.links)
	a.Brand = d.shareString(brand)
	if !fast {
		a.Key, a.Description = key, description
		return a, nil
	}
	s := string(d.buf)
	a.Key, a.Description = s[:len(key)], s[len(key):len(key)+len(description)]
	d.own(a.Links, s)
	return a, nil
}

// decodeLinks decodes b into d.links; fast says whether the fast path took
// it, in which case the links' own strings are still to be set from d.spans.
func (d *linkDecoder) decodeLinks(b []byte) (links []resolver.Link, fast bool, err error) {
	if links, ok := d.fast(b); ok {
		return links, true, nil
	}
	var s []storedLink
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, false, err
	}
	links = make([]resolver.Link, len(s))
	for i, l := range s {
		links[i] = resolver.Link{Type: l.Rel, Href: l.Href, Title: l.Title, MediaType: l.Type,
			Hreflang: l.Hreflang, Context: l.Context, Fwqs: l.Fwqs, Public: l.Public}
	}
	return links, false, nil
}

// own sets the links' own strings from s, a copy of d.buf.
func (d *linkDecoder) own(links []resolver.Link, s string) {
	for _, sp := range d.spans {
		v := s[sp.off : sp.off+sp.n]
		if sp.title {
			links[sp.link].Title = v
		} else {
			links[sp.link].Href = v
		}
	}
}

// keep records that link i's Href (or Title) is v, adding v to the row's
// buffer unless an equal string is already there.
func (d *linkDecoder) keep(i int, title bool, v []byte) {
	sp := span{link: i, title: title, off: -1, n: len(v)}
	if d.desc.n == len(v) && string(d.buf[d.desc.off:d.desc.off+d.desc.n]) == string(v) {
		sp.off = d.desc.off
	}
	for j := 0; j < len(d.spans) && sp.off < 0; j++ {
		if e := d.spans[j]; e.n == len(v) && string(d.buf[e.off:e.off+e.n]) == string(v) {
			sp.off = e.off
		}
	}
	if sp.off < 0 {
		sp.off = len(d.buf)
		d.buf = append(d.buf, v...)
	}
	d.spans = append(d.spans, sp)
}

// newAnchor allocates an anchor with n zero links, in one allocation when n
// is small (most anchors have a handful of links).
func newAnchor(n int) *resolver.Anchor {
	switch n {
	case 0:
		return &resolver.Anchor{Links: []resolver.Link{}}
	case 1:
		b := new(struct {
			a resolver.Anchor
			l [1]resolver.Link
		})
		b.a.Links = b.l[:]
		return &b.a
	case 2:
		b := new(struct {
			a resolver.Anchor
			l [2]resolver.Link
		})
		b.a.Links = b.l[:]
		return &b.a
	case 3:
		b := new(struct {
			a resolver.Anchor
			l [3]resolver.Link
		})
		b.a.Links = b.l[:]
		return &b.a
	case 4:
		b := new(struct {
			a resolver.Anchor
			l [4]resolver.Link
		})
		b.a.Links = b.l[:]
		return &b.a
	}
	return &resolver.Anchor{Links: make([]resolver.Link, n)}
}

var errSlowPath = errors.New("not on the fast path")

// fast decodes b when it has the expected shape; ok is false otherwise.
// The links' own strings are left empty, to be set from d.spans.
func (d *linkDecoder) fast(b []byte) (links []resolver.Link, ok bool) {
	p := &scanner{b: b}
	d.links, d.spans = d.links[:0], d.spans[:0]
	if !p.consume('[') {
		return nil, false
	}
	if p.consume(']') {
		return d.links, p.end()
	}
	for {
		l, err := d.link(p, len(d.links))
		if err != nil {
			return nil, false
		}
		d.links = append(d.links, l)
		links = d.links
		if p.consume(']') {
			return links, p.end()
		}
		if !p.consume(',') {
			return nil, false
		}
	}
}

// link decodes the i-th link object of an anchor.
func (d *linkDecoder) link(p *scanner, i int) (resolver.Link, error) {
	var l resolver.Link
	var seen uint8
	if !p.consume('{') {
		return l, errSlowPath
	}
	if p.consume('}') {
		return l, errSlowPath // a link without members is not one we stored
	}
	for {
		name, err := p.str()
		if err != nil || !p.consume(':') {
			return l, errSlowPath
		}
		var bit uint8
		switch string(name) {
		case "rel":
			bit = 1
			v, err := p.str()
			if err != nil {
				return l, err
			}
			if t, ok := linkTypes[string(v)]; ok {
				l.Type = t
			} else {
				l.Type = d.share(v)
			}
		case "href":
			bit = 2
			v, err := p.str()
			if err != nil {
				return l, err
			}
			d.keep(i, false, v)
		case "title":
			bit = 4
			v, err := p.str()
			if err != nil {
				return l, err
			}
			if t, ok := d.intern[string(v)]; ok {
				l.Title = t
			} else if d.desc.n == len(v) || len(v) > maxInternSize || d.intern == nil || len(d.intern) >= maxInterned {
				d.keep(i, true, v)
			} else {
				l.Title = d.share(v)
			}
		case "type":
			bit = 8
			v, err := p.str()
			if err != nil {
				return l, err
			}
			l.MediaType = d.share(v)
		case "hreflang":
			bit = 16
			if l.Hreflang, err = d.strings(p); err != nil {
				return l, err
			}
		case "context":
			bit = 32
			if l.Context, err = d.strings(p); err != nil {
				return l, err
			}
		case "fwqs":
			bit = 64
			if l.Fwqs, err = p.boolean(); err != nil {
				return l, err
			}
		case "public":
			bit = 128
			if l.Public, err = p.boolean(); err != nil {
				return l, err
			}
		default:
			return l, errSlowPath
		}
		if seen&bit != 0 {
			return l, errSlowPath // a repeated member: encoding/json's rules apply
		}
		seen |= bit
		if p.consume('}') {
			return l, nil
		}
		if !p.consume(',') {
			return l, errSlowPath
		}
	}
}

// strings reads a list of strings. Equal lists are shared among anchors
// (the index never modifies an anchor), so a million anchors with
// ["en"] hold one slice.
func (d *linkDecoder) strings(p *scanner) ([]string, error) {
	p.skipSpace()
	start := p.i
	if !p.consume('[') {
		return nil, errSlowPath
	}
	if l, ok := d.lists[string(p.listText(start))]; ok {
		p.i = start + len(p.listText(start))
		return l, nil
	}
	l, err := d.list(p)
	if err == nil && d.lists != nil && len(d.lists) < maxInterned && p.i-start <= maxInternSize {
		d.lists[string(p.b[start:p.i])] = l
	}
	return l, err
}

// list reads the rest of a list of strings after its "[".
func (d *linkDecoder) list(p *scanner) ([]string, error) {
	if p.consume(']') {
		return []string{}, nil
	}
	var out []string
	for {
		v, err := p.str()
		if err != nil {
			return nil, err
		}
		out = append(out, d.share(v))
		if p.consume(']') {
			return out, nil
		}
		if !p.consume(',') {
			return nil, errSlowPath
		}
	}
}

// share returns v as a string, shared with earlier equal ones when short
// (a decoder without an intern map shares nothing).
func (d *linkDecoder) share(v []byte) string {
	if d.intern == nil {
		return string(v)
	}
	if s, ok := d.intern[string(v)]; ok {
		return s
	}
	s := string(v)
	if len(v) <= maxInternSize && len(d.intern) < maxInterned {
		d.intern[s] = s
	}
	return s
}

// listText returns the bytes from start (a "[") to the first "]" after it,
// inclusive, or nil: the JSON text of a list of strings without escapes.
func (p *scanner) listText(start int) []byte {
	for i := start; i < len(p.b); i++ {
		switch p.b[i] {
		case ']':
			return p.b[start : i+1]
		case '\\':
			return nil
		}
	}
	return nil
}

// shareString is share for a string already allocated.
func (d *linkDecoder) shareString(s string) string {
	if d.intern == nil {
		return s
	}
	if v, ok := d.intern[s]; ok {
		return v
	}
	if len(s) <= maxInternSize && len(d.intern) < maxInterned {
		d.intern[s] = s
	}
	return s
}

// scanner reads JSON tokens from b.
type scanner struct {
	b []byte
	i int
}

func (p *scanner) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// consume skips white space and c, if c comes next.
func (p *scanner) consume(c byte) bool {
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (p *scanner) end() bool {
	p.skipSpace()
	return p.i == len(p.b)
}

// str reads a string without escapes or control characters, in valid
// UTF-8, returning its bytes (valid until b changes).
func (p *scanner) str() ([]byte, error) {
	if !p.consume('"') {
		return nil, errSlowPath
	}
	start, ascii := p.i, true
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			v := p.b[start:p.i]
			p.i++
			// encoding/json replaces invalid UTF-8; leave that to it.
			if !ascii && !utf8.Valid(v) {
				return nil, errSlowPath
			}
			return v, nil
		case c == '\\' || c < 0x20:
			return nil, errSlowPath // escapes need decoding
		case c >= 0x80:
			ascii = false
		}
		p.i++
	}
	return nil, errSlowPath
}

func (p *scanner) boolean() (bool, error) {
	p.skipSpace()
	switch rest := p.b[p.i:]; {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		p.i += 4
		return true, nil
	case len(rest) >= 5 && string(rest[:5]) == "false":
		p.i += 5
		return false, nil
	}
	return false, errSlowPath
}
