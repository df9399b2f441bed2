package dl

// Character classes, one bit each, looked up by byte value.
const (
	classURI        uint16 = 1 << iota // allowed anywhere in a DL URI (RFC 3986 characters plus '%')
	classBadDomain                     // URI character that may not appear in the host
	classUnreserved                    // left as is by canonical percent-encoding
	classCSET82                        // GS1 AI encodable character set 82
	classCSET39                        // GS1 AI encodable character set 39
	classCSET64                        // GS1 AI encodable character set 64 (base64url, without '=')
	classDigit
	classHex
	classEscape // '%' or '+': a value holding one may need decoding
)

// charClass holds the classes of every byte. Sources: gse dl.c
// (uriCharacters, badDomainCharacters, isURIunreservedCharacters) and the
// GS1 General Specifications character set tables as implemented by
// lint_cset82.c, lint_cset39.c and lint_cset64.c (gs1/gs1-syntax-engine).
var charClass = func() (t [256]uint16) {
	set := func(chars string, c uint16) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= c
		}
	}
	const (
		upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		lower  = "abcdefghijklmnopqrstuvwxyz"
		digits = "0123456789"
	)
	set(upper+lower+digits+"-._~:/?#[]@!$&'()*+,;=%", classURI)
	set("_~?#@!$&'()*+,;=%", classBadDomain)
	set(upper+lower+digits+"-._~", classUnreserved)
	set("!\"%&'()*+,-./"+digits+":;<=>?"+upper+"_"+lower, classCSET82)
	set("#-/"+digits+upper, classCSET39)
	set(upper+lower+digits+"-_", classCSET64)
	set(digits, classDigit)
	set(digits+"abcdefABCDEF", classHex)
	set("%+", classEscape)
	return t
}()

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// needsUnescape reports whether raw changes when decoded: it holds a valid
// %XX sequence, or a '+' in a query component.
func needsUnescape(raw string, query bool) bool {
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '%':
			if i+2 < len(raw) && charClass[raw[i+1]]&classHex != 0 && charClass[raw[i+2]]&classHex != 0 {
				return true
			}
		case '+':
			if query {
				return true
			}
		}
	}
	return false
}

// unescape decodes GS1 Digital Link percent-encoding: %XX in either hex
// case becomes the byte, malformed '%' sequences stay as they are, and '+'
// is a space in query components only (gse dl.c URIunescape). It returns
// the decoded value and the index in raw of a decoded NUL (-1 if none);
// raw itself is returned, without allocating, when nothing needs decoding.
func unescape(raw string, query bool) (string, int) {
	if !needsUnescape(raw, query) {
		return raw, -1
	}
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '%' && i+2 < len(raw) && charClass[raw[i+1]]&classHex != 0 && charClass[raw[i+2]]&classHex != 0:
			d := unhex(raw[i+1])<<4 | unhex(raw[i+2])
			if d == 0 {
				return "", i
			}
			b = append(b, d)
			i += 2
		case c == '+' && query:
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b), -1
}

// AppendEscaped appends v with canonical GS1 Digital Link percent-encoding:
// A-Z a-z 0-9 - . _ ~ are kept, every other byte becomes %XX with
// upper-case hex digits (so '+' is always %2B and a space %20).
func AppendEscaped(dst []byte, v string) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(v); i++ {
		c := v[i]
		if charClass[c]&classUnreserved != 0 {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

// escapedLen is the length of v after AppendEscaped.
func escapedLen(v string) int {
	n := len(v)
	for i := 0; i < len(v); i++ {
		if charClass[v[i]]&classUnreserved == 0 {
			n += 2
		}
	}
	return n
}

// Escape returns v with canonical GS1 Digital Link percent-encoding (see
// AppendEscaped): the form values take in canonical URIs.
func Escape(v string) string { return string(AppendEscaped(make([]byte, 0, escapedLen(v)), v)) }
