package resolver

import (
	"strconv"
	"unicode/utf8"
)

// Context is one link context of a linkset: an anchor's level with the
// links to list.
type Context struct {
	// Key is the level's canonical Digital Link path; the linkset's anchor
	// is the resolver root followed by it.
	Key         string
	Description string
	Links       []Link
}

// AppendLinkset appends the GS1 linkset document (RFC 9264
// application/linkset+json, shaped as GS1's gs1-linkset-schema.json wants
// it) for contexts to dst. root is the resolver's public root URL without a
// trailing slash.
//
// The document has only the member "linkset". Each context object has
// "anchor" (root + the level's path), "itemDescription" and one member per
// link type, keyed by the full link type URI, in the order the types first
// appear among the links. Each link has "href" and "title", and "type",
// "hreflang" and "context" when set.
func AppendLinkset(dst []byte, root string, contexts []Context) []byte {
	dst = append(dst, `{"linkset":[`...)
	for i, c := range contexts {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"anchor":`...)
		dst = appendJSONString(dst, root+c.Key)
		dst = append(dst, `,"itemDescription":`...)
		dst = appendJSONString(dst, c.Description)
		for j := range c.Links {
			lt := c.Links[j].Type
			if seenType(c.Links[:j], lt) {
				continue
			}
			dst = append(dst, ',')
			dst = appendJSONString(dst, lt)
			dst = append(dst, ":["...)
			first := true
			for k := j; k < len(c.Links); k++ {
				if c.Links[k].Type != lt {
					continue
				}
				if !first {
					dst = append(dst, ',')
				}
				first = false
				dst = appendLink(dst, &c.Links[k])
			}
			dst = append(dst, ']')
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...)
}

func seenType(links []Link, lt string) bool {
	for i := range links {
		if links[i].Type == lt {
			return true
		}
	}
	return false
}

func appendLink(dst []byte, l *Link) []byte {
	dst = append(dst, `{"href":`...)
	dst = appendJSONString(dst, l.Href)
	dst = append(dst, `,"title":`...)
	dst = appendJSONString(dst, l.Title)
	if l.MediaType != "" {
		dst = append(dst, `,"type":`...)
		dst = appendJSONString(dst, l.MediaType)
	}
	if len(l.Hreflang) > 0 {
		dst = append(dst, `,"hreflang":`...)
		dst = appendJSONStrings(dst, l.Hreflang)
	}
	if len(l.Context) > 0 {
		dst = append(dst, `,"context":`...)
		dst = appendJSONStrings(dst, l.Context)
	}
	return append(dst, '}')
}

func appendJSONStrings(dst []byte, list []string) []byte {
	dst = append(dst, '[')
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendJSONString appends s as a JSON string. Control characters, U+2028
// and U+2029 are escaped; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, `\u00`...)
				dst = append(dst, upperHex[c>>4], upperHex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u`...)
			dst = strconv.AppendInt(dst, int64(r), 16)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const upperHex = "0123456789ABCDEF"
