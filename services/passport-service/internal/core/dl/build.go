package dl

import "strings"

// DefaultDomain is the host of GS1's canonical Digital Link URIs
// ("https://id.gs1.org/01/..."), used by the CLI when no domain is given.
const DefaultDomain = "id.gs1.org"

// Canonical returns the canonical form of u on host domain:
// "https://"+domain, no stem, the primary key and key qualifiers in the
// path (in dictionary order, as validated), then the data attributes in
// the query: predefined-length AIs first, then the others, each group in
// input order (the order of gse's gs1_generateDLuri). Values use canonical
// percent-encoding (see Escape); non-AI query parameters are dropped.
// domain is used as given (check it once with CheckDomain).
func (u *URI) Canonical(domain string) string {
	var b strings.Builder
	b.Grow(len("https://") + len(domain) + pathLen(u.Elements[:u.PathLen]) + queryLen(u.Elements[u.PathLen:]))
	b.WriteString("https://")
	b.WriteString(domain)
	var buf [256]byte
	for i := 0; i < u.PathLen; i++ {
		b.Write(appendPair(buf[:0], u.Elements[i]))
	}
	writeQuery(&b, u.Elements[u.PathLen:], buf[:0])
	return b.String()
}

// CanonicalPath is the path part of Canonical: "/01/09506000134352/10/ABC".
func (u *URI) CanonicalPath() string {
	return string(AppendPath(make([]byte, 0, pathLen(u.Elements[:u.PathLen])), u.Elements[:u.PathLen]))
}

func appendPair(dst []byte, e Element) []byte {
	dst = append(dst, '/')
	dst = append(dst, e.AI...)
	dst = append(dst, '/')
	return AppendEscaped(dst, e.Value)
}

func pathLen(elems []Element) int {
	n := 0
	for _, e := range elems {
		n += 2 + len(e.AI) + escapedLen(e.Value)
	}
	return n
}

func queryLen(elems []Element) int {
	n := 0
	for _, e := range elems {
		n += 2 + len(e.AI) + escapedLen(e.Value)
	}
	return n
}

// writeQuery writes "?AI=value&..." for attrs: predefined-length AIs
// first, then the others, each in the given order.
func writeQuery(b *strings.Builder, attrs []Element, buf []byte) {
	sep := byte('?')
	for pass := 0; pass < 2; pass++ {
		for _, e := range attrs {
			s := lookup(e.AI)
			fixed := s != nil && s.fixed
			if fixed != (pass == 0) {
				continue
			}
			b.WriteByte(sep)
			sep = '&'
			b.WriteString(e.AI)
			b.WriteByte('=')
			b.Write(AppendEscaped(buf[:0], e.Value))
		}
	}
}

// AppendPath appends to dst the canonical path "/01/.../10/..." of the
// primary key and key qualifiers among elems: the key is the first
// element that is a primary key; the qualifiers follow the key's
// qualifier sequence that fits elems best (see BuildURI). Other elements
// are not written. It allocates only when dst must grow.
func AppendPath(dst []byte, elems []Element) []byte {
	key, seq := plan(elems)
	if key < 0 {
		return dst
	}
	dst = appendPair(dst, elems[key])
	for _, q := range seq {
		if i := indexAI(elems, q); i >= 0 {
			dst = appendPair(dst, elems[i])
		}
	}
	return dst
}

func indexAI(elems []Element, ai string) int {
	for i := range elems {
		if elems[i].AI == ai {
			return i
		}
	}
	return -1
}

// plan picks the primary key (the first element that is one, as gse does)
// and the key qualifier sequence to use for the path: the one that leaves
// no AI that cannot be a query attribute, then the one that puts the most
// elements in the path, then the first in dictionary order.
func plan(elems []Element) (key int, seq []string) {
	key = -1
	for i := range elems {
		if IsPrimaryKey(elems[i].AI) {
			key = i
			break
		}
	}
	if key < 0 {
		return -1, nil
	}
	ks := lookup(elems[key].AI)
	bestValid, bestMatches := false, -1
	for _, alt := range ks.qualifiers {
		matches := 0
		for _, q := range alt {
			if indexAI(elems, q) >= 0 {
				matches++
			}
		}
		valid := true
		for i := range elems {
			if i == key || elems[i].AI == ks.ai || indexFrom(alt, 0, elems[i].AI) >= 0 {
				continue
			}
			if s := lookup(elems[i].AI); s == nil || !s.dlAttr {
				valid = false
				break
			}
		}
		if bestMatches < 0 || valid && !bestValid || valid == bestValid && matches > bestMatches {
			seq, bestValid, bestMatches = alt, valid, matches
		}
	}
	return key, seq
}

// BuildURI validates elems as a set of GS1 AIs (known AIs, values, req/ex
// associations, repeated AIs agreeing) and returns the canonical Digital
// Link URI for them on host domain ("https://"+domain+path+query; see
// URI.Canonical). Exact repeats of an element are dropped. It fails when
// no element is a primary key or an element left for the query is not a
// permitted data attribute. Error offsets are element indexes.
func BuildURI(elems []Element, domain string) (string, error) {
	if err := checkDomain(domain); err != nil {
		return "", err
	}
	if len(elems) == 0 {
		return "", newErr(CodeNoPrimaryKey, "no AIs given", "", 0)
	}
	if len(elems) > MaxAIs {
		return "", newErr(CodeTooManyAIs, "more than "+itoa(MaxAIs)+" AIs", "", MaxAIs)
	}
	specs := make([]*aiSpec, len(elems))
	offs := make([]int32, len(elems))
	for i, e := range elems {
		s := lookup(e.AI)
		if s == nil {
			return "", newErr(CodeUnknownAI, "AI ("+e.AI+") is not a known GS1 Application Identifier", e.AI, i)
		}
		if e.Value == "" {
			return "", newErr(CodeEmptyValue, aiPrefix(e.AI)+"value is empty", e.AI, i)
		}
		if err := checkLength(s, e.Value, i); err != nil {
			return "", err
		}
		if err := validateValue(s, e.Value, i, false); err != nil {
			return "", err
		}
		specs[i], offs[i] = s, int32(i)
	}
	if err := validateAssociations(elems, specs, offs); err != nil {
		return "", err
	}
	uniq := make([]Element, 0, len(elems))
	for _, e := range elems {
		dup := false
		for _, x := range uniq {
			if x.AI == e.AI {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, e)
		}
	}
	key, seq := plan(uniq)
	if key < 0 {
		return "", newErr(CodeNoPrimaryKey, "none of the AIs is a GS1 Digital Link primary key", "", 0)
	}
	path := make([]Element, 0, 1+len(seq))
	path = append(path, uniq[key])
	for _, q := range seq {
		if i := indexAI(uniq, q); i >= 0 {
			path = append(path, uniq[i])
		}
	}
	ks := specs[indexAI(elems, uniq[key].AI)]
	pathSpecs := make([]*aiSpec, len(path)-1)
	for j := range pathSpecs {
		pathSpecs[j] = lookup(path[j+1].AI)
	}
	attrs := make([]Element, 0, len(uniq))
	for i, e := range uniq {
		if i == key || indexAI(path, e.AI) >= 0 {
			continue
		}
		at := indexAI(elems, e.AI)
		if belongsInPath(ks, pathSpecs, specs[at]) {
			return "", newErr(CodeQualifierInQuery, "AI ("+e.AI+") is a key qualifier of ("+ks.ai+") but cannot join the path with the other qualifiers ("+qualifierOrders(ks)+")", e.AI, at)
		}
		if !specs[at].dlAttr {
			return "", newErr(CodeNotDataAttribute, "AI ("+e.AI+") is not permitted as a Digital Link query attribute (nor as a key qualifier of ("+ks.ai+"))", e.AI, at)
		}
		attrs = append(attrs, e)
	}
	var b strings.Builder
	b.Grow(len("https://") + len(domain) + pathLen(path) + queryLen(attrs))
	b.WriteString("https://")
	b.WriteString(domain)
	var buf [256]byte
	for _, e := range path {
		b.Write(appendPair(buf[:0], e))
	}
	writeQuery(&b, attrs, buf[:0])
	return b.String(), nil
}

// checkDomain accepts a host name or address with optional port, as the
// URI parser would: non-empty, URI characters only, none of those that
// may not appear in a domain, and no "/".
func checkDomain(domain string) *Error {
	if domain == "" {
		return newErr(CodeHost, "domain is empty", "", 0)
	}
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if charClass[c]&classURI == 0 || charClass[c]&classBadDomain != 0 || c == '/' {
			return newErr(CodeHost, "character "+quoteByte(c)+" is not allowed in the domain", "", i)
		}
	}
	return nil
}

// CheckDomain reports whether domain can serve as the host of canonical
// URIs (see BuildURI); the error is an *Error with code "host".
func CheckDomain(domain string) error {
	if err := checkDomain(domain); err != nil {
		return err
	}
	return nil
}

// indexFrom is the index of ai in seq at or after from, or -1.
func indexFrom(seq []string, from int, ai string) int {
	for i := from; i < len(seq); i++ {
		if seq[i] == ai {
			return i
		}
	}
	return -1
}
