package resolver

import "github.com/packytrace/packytrace/services/passport-service/internal/core/dl"

// Href templates: a link's href may name Application Identifiers in braces,
// "{10}" for the lot, "{21}" for the serial, "{17}" for the expiry date. At
// resolution each is replaced by the request's value of that AI (from the
// path or the query), percent-encoded the way GS1 encodes Digital Link values
// (A-Z a-z 0-9 - . _ ~ as they are, everything else as upper-case %XX). A
// link whose template names an AI the request does not carry is not a
// candidate. Braces that do not enclose 2 to 4 digits are left as they are.

// templateAI reports whether href[i:] starts a template "{NN}" to "{NNNN}"
// and returns the AI and the template's length.
func templateAI(href string, i int) (ai string, n int) {
	j := i + 1
	for j < len(href) && j-i <= 5 && href[j] >= '0' && href[j] <= '9' {
		j++
	}
	digits := j - i - 1
	if digits < 2 || digits > 4 || j >= len(href) || href[j] != '}' {
		return "", 0
	}
	return href[i+1 : j], j - i + 1
}

// valueOf returns the request's value of ai.
func valueOf(elems []dl.Element, ai string) (string, bool) {
	for i := range elems {
		if elems[i].AI == ai {
			return elems[i].Value, true
		}
	}
	return "", false
}

// fillable reports whether every template in href names an AI of elems.
func fillable(href string, elems []dl.Element) bool {
	for i := 0; i < len(href); i++ {
		if href[i] != '{' {
			continue
		}
		if ai, n := templateAI(href, i); n > 0 {
			if _, ok := valueOf(elems, ai); !ok {
				return false
			}
			i += n - 1
		}
	}
	return true
}

// hasTemplate reports whether href holds at least one template.
func hasTemplate(href string) bool {
	for i := 0; i < len(href); i++ {
		if href[i] == '{' {
			if _, n := templateAI(href, i); n > 0 {
				return true
			}
		}
	}
	return false
}

// appendFilled appends href to dst with its templates filled from elems;
// ok is false when a template names an AI elems lacks.
func appendFilled(dst []byte, href string, elems []dl.Element) (out []byte, ok bool) {
	start := 0
	for i := 0; i < len(href); i++ {
		if href[i] != '{' {
			continue
		}
		ai, n := templateAI(href, i)
		if n == 0 {
			continue
		}
		v, found := valueOf(elems, ai)
		if !found {
			return dst, false
		}
		dst = append(dst, href[start:i]...)
		dst = dl.AppendEscaped(dst, v)
		i += n - 1
		start = i + 1
	}
	return append(dst, href[start:]...), true
}

// appendQuery appends query to the URL in dst[start:] (which may already
// have a query, and may end in a fragment, which stays last).
func appendQuery(dst []byte, start int, query string) []byte {
	if query == "" {
		return dst
	}
	u := dst[start:]
	frag := -1
	hasQuery := false
	for i, c := range u {
		if c == '#' {
			frag = i
			break
		}
		if c == '?' {
			hasQuery = true
		}
	}
	sep := byte('?')
	if hasQuery {
		sep = '&'
		if last := len(u) - 1; frag >= 0 {
			last = frag - 1
			if last >= 0 && (u[last] == '?' || u[last] == '&') {
				sep = 0
			}
		} else if u[last] == '?' || u[last] == '&' {
			sep = 0
		}
	}
	if frag < 0 {
		if sep != 0 {
			dst = append(dst, sep)
		}
		return append(dst, query...)
	}
	// Insert before the fragment.
	fragment := string(u[frag:])
	dst = dst[:start+frag]
	if sep != 0 {
		dst = append(dst, sep)
	}
	dst = append(dst, query...)
	return append(dst, fragment...)
}
