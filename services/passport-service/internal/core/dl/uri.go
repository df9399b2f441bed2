package dl

import "strings"

// MaxInputLength bounds the length of a URI, path plus query, or element
// string that the parsers accept.
const MaxInputLength = 8192

// ParseURI parses and validates a full GS1 Digital Link URI with any stem:
// "https://id.example.com/some/stem/01/09506000134352/10/ABC?17=251231".
// A fragment is ignored. On failure the error is an *Error whose Offset is
// a byte offset in s.
func ParseURI(s string) (*URI, error) {
	u := new(URI)
	if err := u.parseURI(s); err != nil {
		return nil, err
	}
	return u, nil
}

// ParsePath parses and validates the path and raw query of a request for
// a GS1 Digital Link URI, as a resolver receives them: path starts with
// "/" and may carry any stem; rawQuery is the part after "?" (without it),
// possibly empty. Both are percent-encoded as sent. Error offsets count
// bytes of path + "?" + rawQuery.
func ParsePath(path, rawQuery string) (*URI, error) {
	u := new(URI)
	if err := u.parsePath(path, rawQuery); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *URI) parseURI(s string) *Error {
	if len(s) > MaxInputLength {
		return newErr(CodeInputTooLong, "URI is longer than "+itoa(MaxInputLength)+" bytes", "", MaxInputLength)
	}
	i, escapes := scanURIChars(s)
	if i >= 0 {
		return newErr(CodeIllegalCharacter, "character "+quoteByte(s[i])+" is not allowed in a URI (percent-encode it)", "", i)
	}
	var rest string
	switch {
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "HTTPS://"):
		u.Scheme, rest = s[:5], s[8:]
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "HTTP://"):
		u.Scheme, rest = s[:4], s[7:]
	default:
		msg := "URI must start with http:// or https://"
		if len(s) >= 7 && (strings.EqualFold(s[:7], "http://") || len(s) >= 8 && strings.EqualFold(s[:8], "https://")) {
			msg = "URI scheme must be all lower case or all upper case"
		}
		return newErr(CodeScheme, msg, "", 0)
	}
	base := len(s) - len(rest)
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return newErr(CodeHost, "URI has no path after the domain", "", len(s))
	}
	if slash == 0 {
		return newErr(CodeHost, "URI has no domain", "", base)
	}
	host := rest[:slash]
	for i := 0; i < len(host); i++ {
		if charClass[host[i]]&classBadDomain != 0 {
			return newErr(CodeHost, "character "+quoteByte(host[i])+" is not allowed in the domain", "", base+i)
		}
	}
	u.Host = host
	rest = rest[slash:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	path, query := rest, ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		path, query = rest[:i], rest[i+1:]
	}
	return u.parse(path, base+slash, query, base+slash+len(path)+1, escapes)
}

func (u *URI) parsePath(path, rawQuery string) *Error {
	if len(path)+len(rawQuery) >= MaxInputLength {
		return newErr(CodeInputTooLong, "path and query are longer than "+itoa(MaxInputLength)+" bytes", "", 0)
	}
	if !strings.HasPrefix(path, "/") {
		return newErr(CodeSyntax, "path must start with /", "", 0)
	}
	i, escPath := scanURIChars(path)
	if j := strings.IndexAny(path, "?#"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i >= 0 {
		return newErr(CodeIllegalCharacter, "character "+quoteByte(path[i])+" is not allowed in a URI path (percent-encode it)", "", i)
	}
	i, escQuery := scanURIChars(rawQuery)
	if i >= 0 {
		return newErr(CodeIllegalCharacter, "character "+quoteByte(rawQuery[i])+" is not allowed in a URI query (percent-encode it)", "", len(path)+1+i)
	}
	if i := strings.IndexByte(rawQuery, '#'); i >= 0 {
		rawQuery = rawQuery[:i]
	}
	return u.parse(path, 0, rawQuery, len(path)+1, escPath || escQuery)
}

// scanURIChars returns the index of the first byte of s that may not
// appear in a URI (-1 if none) and whether s holds '%' or '+', i.e.
// whether any value may need decoding.
func scanURIChars(s string) (int, bool) {
	all, any := classURI, uint16(0)
	for t := s; len(t) > 0; {
		if len(t) >= 8 {
			c0, c1, c2, c3 := charClass[t[0]], charClass[t[1]], charClass[t[2]], charClass[t[3]]
			c4, c5, c6, c7 := charClass[t[4]], charClass[t[5]], charClass[t[6]], charClass[t[7]]
			all &= c0 & c1 & c2 & c3 & c4 & c5 & c6 & c7
			any |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7
			t = t[8:]
			continue
		}
		c := charClass[t[0]]
		all &= c
		any |= c
		t = t[1:]
	}
	if all&classURI == 0 {
		return firstNotIn(s, classURI), false
	}
	return -1, any&classEscape != 0
}

// firstNotIn returns the index of the first byte of s outside class, or -1.
func firstNotIn(s string, class uint16) int {
	for i := 0; i < len(s); i++ {
		if charClass[s[i]]&class == 0 {
			return i
		}
	}
	return -1
}

func quoteByte(c byte) string {
	if c >= 0x21 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hexDigits = "0123456789ABCDEF"
	return "0x" + string([]byte{hexDigits[c>>4], hexDigits[c&15]})
}

// parse handles the path (starting with "/") and the raw query of a DL
// URI; pathOff and queryOff are their offsets in the original input;
// escapes says whether the input holds '%' or '+' at all.
func (u *URI) parse(path string, pathOff int, query string, queryOff int, escapes bool) *Error {
	// Per element: dictionary entry, offset of the value in the input, and
	// whether the value is verbatim input (not decoded). Small inputs keep
	// these on the stack.
	var (
		specsBuf [2 * inlineElements]*aiSpec
		offsBuf  [2 * inlineElements]int32
		exactBuf [2 * inlineElements]bool
	)
	specs, offs, exact := specsBuf[:0], offsBuf[:0], exactBuf[:0]
	u.Elements = u.elemBuf[:0]

	if len(path) > 1 && path[len(path)-1] == '/' {
		return newErr(CodeTrailingSlash, "path must not end with /", "", pathOff+len(path)-1)
	}

	// Find the rightmost primary key: walk /AI/value pairs from the end of
	// the path while the AIs are known; the pairs must reach a primary key.
	// The pairs seen are remembered (up to len(pairs)) for the forward pass.
	type pair struct {
		a, v, e int // start of the AI, of the value, end of the value
		s       *aiSpec
	}
	var pairs [2 * inlineElements]pair
	np, keyStart := 0, -1
	for end := len(path); ; {
		v := strings.LastIndexByte(path[:end], '/')
		if v <= 0 {
			break
		}
		a := strings.LastIndexByte(path[:v], '/')
		s := lookup(path[a+1 : v])
		if s == nil {
			if seg := path[a+1 : v]; len(seg) >= 2 && len(seg) <= 4 && allDigits(seg) && keyBefore(path[:a]) {
				return newErr(CodeUnknownAI, "AI ("+seg+") in the path is not a known GS1 Application Identifier", seg, pathOff+a+1)
			}
			break
		}
		if np < len(pairs) {
			pairs[np] = pair{a + 1, v + 1, end, s}
		}
		np++
		if s.primaryKey {
			keyStart = a
			break
		}
		end = a
	}
	if keyStart < 0 {
		return newErr(CodeNoPrimaryKey, "no GS1 primary key found in the path: expected /{primary key AI}/{value} followed by /{AI}/{value} key qualifiers", "", pathOff)
	}
	if np > len(pairs) {
		// No key takes that many qualifiers (a sequence holds at most three).
		key := path[keyStart+1 : keyStart+1+strings.IndexByte(path[keyStart+1:], '/')]
		return newErr(CodeQualifierOrder, "AI ("+key+") is followed by "+itoa(np-1)+" path elements: more than any key qualifier sequence allows", key, pathOff+keyStart+1)
	}
	u.Stem = path[:keyStart]

	// Path elements, in order.
	for k := np - 1; k >= 0; k-- {
		pr := pairs[k]
		ai, raw, s := path[pr.a:pr.v-1], path[pr.v:pr.e], pr.s
		if raw == "" {
			return newErr(CodeEmptyValue, aiPrefix(ai)+"value in the path is empty", ai, pathOff+pr.v)
		}
		val, nul := raw, -1
		if escapes {
			val, nul = unescape(raw, false)
		}
		if nul >= 0 {
			return newErr(CodeNulCharacter, aiPrefix(ai)+"value holds a percent-encoded NUL", ai, pathOff+pr.v+nul)
		}
		if err := checkLength(s, val, pathOff+pr.v); err != nil {
			return err
		}
		specs, offs, exact = append(specs, s), append(offs, int32(pathOff+pr.v)), append(exact, len(val) == len(raw))
		u.Elements = append(u.Elements, Element{AI: ai, Value: val})
	}
	u.PathLen = len(u.Elements)

	// Query: AIs (numeric keys) and other parameters.
	for q := 0; q < len(query); {
		end := strings.IndexByte(query[q:], '&')
		if end < 0 {
			end = len(query)
		} else {
			end += q
		}
		param := query[q:end]
		pOff := queryOff + q
		q = end + 1
		if param == "" {
			continue
		}
		eq := strings.IndexByte(param, '=')
		if eq <= 0 || !allDigits(param[:eq]) {
			if u.Ignored == nil {
				u.Ignored = u.ignBuf[:0]
			}
			u.Ignored = append(u.Ignored, param)
			continue
		}
		ai := param[:eq]
		s := lookup(ai)
		if s == nil {
			return newErr(CodeUnknownAI, "query parameter "+ai+" is numeric but not a known GS1 Application Identifier", ai, pOff)
		}
		raw := param[eq+1:]
		if raw == "" {
			return newErr(CodeEmptyValue, aiPrefix(ai)+"value in the query is empty", ai, pOff+eq+1)
		}
		val, nul := raw, -1
		if escapes {
			val, nul = unescape(raw, true)
		}
		if nul >= 0 {
			return newErr(CodeNulCharacter, aiPrefix(ai)+"value holds a percent-encoded NUL", ai, pOff+eq+1+nul)
		}
		if ai == "01" && (len(val) == 8 || len(val) == 12 || len(val) == 13) && allDigits(val) {
			// gse dl.c pads a GTIN-8/12/13 given as a query attribute to 14 digits.
			val = strings.Repeat("0", 14-len(val)) + val
		}
		if err := checkLength(s, val, pOff+eq+1); err != nil {
			return err
		}
		if len(u.Elements) == MaxAIs {
			return newErr(CodeTooManyAIs, "more than "+itoa(MaxAIs)+" AIs", ai, pOff)
		}
		specs, offs, exact = append(specs, s), append(offs, int32(pOff+eq+1)), append(exact, len(val) == len(raw))
		u.Elements = append(u.Elements, Element{AI: ai, Value: val})
	}

	// The key qualifiers must follow one of the key's sequences, in order.
	key := specs[0]
	if bad, notQual := sequenceError(key, specs[1:u.PathLen]); bad >= 0 {
		q := u.Elements[1+bad].AI
		off := int(offs[1+bad]) - len(q) - 1
		if notQual {
			return newErr(CodeInvalidQualifier, "AI ("+q+") is not a key qualifier of primary key ("+key.ai+")"+qualifierHint(key), q, off)
		}
		return newErr(CodeQualifierOrder, "AI ("+q+") is out of order: key qualifiers of ("+key.ai+") must keep the order "+qualifierOrders(key)+" (alternatives are not mixed)", q, off)
	}

	// Query attributes: no duplicates, none that belongs in the path, only
	// AIs the dictionary permits as attributes.
	for i := u.PathLen; i < len(u.Elements); i++ {
		ai := u.Elements[i].AI
		off := int(offs[i]) - len(ai) - 1
		for j := 0; j < i; j++ {
			if specs[j] == specs[i] {
				return newErr(CodeDuplicateAI, "AI ("+ai+") appears more than once", ai, off)
			}
		}
		if belongsInPath(key, specs[1:u.PathLen], specs[i]) {
			return newErr(CodeQualifierInQuery, "AI ("+ai+") is a key qualifier of ("+key.ai+") and belongs in the path, in the order "+qualifierOrders(key), ai, off)
		}
		if !specs[i].dlAttr {
			return newErr(CodeNotDataAttribute, "AI ("+ai+") is not permitted as a Digital Link query attribute", ai, off)
		}
	}

	for i := range u.Elements {
		if err := validateValue(specs[i], u.Elements[i].Value, int(offs[i]), exact[i]); err != nil {
			return err
		}
	}
	if err := validateAssociations(u.Elements, specs, offs); err != nil {
		return err
	}
	return nil
}

// keyBefore reports whether some segment of path is a primary key AI (used
// to tell an unknown AI after a key from a path with no key at all).
func keyBefore(path string) bool {
	for path != "" {
		i := strings.LastIndexByte(path, '/')
		if i < 0 {
			return IsPrimaryKey(path)
		}
		if IsPrimaryKey(path[i+1:]) {
			return true
		}
		path = path[:i]
	}
	return false
}

// sequenceError checks the key qualifiers quals (their dictionary
// entries) of key against the key's alternative sequences: each must be in
// one sequence, in its order, with no mixing of sequences. It returns the
// index of the first qualifier that breaks this (-1 if none) and whether
// that AI is no qualifier of key at all.
func sequenceError(key *aiSpec, quals []*aiSpec) (int, bool) {
	if validPrefix(key, quals) {
		return -1, false
	}
	for k := 1; k <= len(quals); k++ {
		if !validPrefix(key, quals[:k]) {
			return k - 1, !isQualifier(key, quals[k-1])
		}
	}
	return -1, false
}

func validPrefix(key *aiSpec, quals []*aiSpec) bool {
	if len(quals) == 0 {
		return true
	}
alt:
	for _, seq := range key.qualP {
		pos := 0
		for _, q := range quals {
			idx := indexSpec(seq, pos, q)
			if idx < 0 {
				continue alt
			}
			pos = idx + 1
		}
		return true
	}
	return false
}

func indexSpec(seq []*aiSpec, from int, s *aiSpec) int {
	for i := from; i < len(seq); i++ {
		if seq[i] == s {
			return i
		}
	}
	return -1
}

func isQualifier(key *aiSpec, s *aiSpec) bool {
	for _, seq := range key.qualP {
		if indexSpec(seq, 0, s) >= 0 {
			return true
		}
	}
	return false
}

// belongsInPath reports whether the AI of s, given as a query attribute,
// could be inserted among the path's key qualifiers quals to give a valid
// sequence (gse dl.c rejects such attributes: they belong in the path).
func belongsInPath(key *aiSpec, quals []*aiSpec, s *aiSpec) bool {
alt:
	for _, seq := range key.qualP {
		if indexSpec(seq, 0, s) < 0 {
			continue
		}
		for _, q := range quals {
			if indexSpec(seq, 0, q) < 0 {
				continue alt
			}
		}
		return true
	}
	return false
}

// qualifierOrders renders a key's qualifier sequences, e.g. "22,10,21 | 235".
func qualifierOrders(key *aiSpec) string {
	if len(key.qualifiers) == 0 {
		return "(none)"
	}
	out := ""
	for i, seq := range key.qualifiers {
		if i > 0 {
			out += " | "
		}
		out += strings.Join(seq, ",")
	}
	return out
}

func qualifierHint(key *aiSpec) string {
	if len(key.qualifiers) == 0 {
		return " (it takes no key qualifiers)"
	}
	return " (qualifiers: " + qualifierOrders(key) + ")"
}
