package dl

import "strings"

// GS is the ASCII group separator (29) that stands for FNC1 between
// element strings in scanned data.
const GS = '\x1d'

// symbologyIDs are the AIM symbology identifiers of GS1 data carriers that
// may prefix scanned raw data: GS1-128, GS1 DataBar, GS1 DataMatrix, GS1
// QR Code and GS1 DotCode (GS1 General Specifications, "Symbology
// identifiers").
var symbologyIDs = [...]string{"]C1", "]e0", "]d2", "]Q3", "]J1"}

// ParseElementString parses and validates GS1 element strings, bracketed
// or raw, and returns the elements in input order:
//
//   - bracketed: "(01)09506000134352(10)ABC"; a "(" inside a value is
//     written "\(" (as in gse).
//   - raw: "0109506000134352" + "10ABC" with FNC1 separators after
//     variable-length values, written as '^' or ASCII 29 (GS). The data may
//     start with FNC1 ('^' or GS) or with the symbology identifier of a GS1
//     carrier (]C1, ]e0, ]d2, ]Q3, ]J1), or with the first AI directly.
//
// Values are checked against the dictionary (lengths, character sets,
// linters) and the set of AIs for req/ex associations; an AI may repeat
// only with the same value. Error offsets are byte offsets in s.
func ParseElementString(s string) ([]Element, error) {
	elems, err := parseElements(s, true)
	if err != nil {
		return nil, err
	}
	return elems, nil
}

// parseElements parses and validates an element string; associations
// (req/ex, repeated AIs) are checked only when assoc is set.
func parseElements(s string, assoc bool) ([]Element, *Error) {
	if len(s) > MaxInputLength {
		return nil, newErr(CodeInputTooLong, "element string is longer than "+itoa(MaxInputLength)+" bytes", "", MaxInputLength)
	}
	var (
		elems []Element
		offs  []int32
		err   *Error
	)
	if strings.HasPrefix(s, "(") {
		elems, offs, err = parseBracketed(s)
	} else {
		elems, offs, err = parseRaw(s)
	}
	if err != nil {
		return nil, err
	}
	specs := make([]*aiSpec, len(elems))
	for i, e := range elems {
		specs[i] = lookup(e.AI)
		// Positions inside a value map to input offsets unless "\(" escapes
		// were removed from it.
		exact := int(offs[i])+len(e.Value) <= len(s) && s[offs[i]:int(offs[i])+len(e.Value)] == e.Value
		if err := validateValue(specs[i], e.Value, int(offs[i]), exact); err != nil {
			return nil, err
		}
	}
	if assoc {
		if err := validateAssociations(elems, specs, offs); err != nil {
			return nil, err
		}
	}
	return elems, nil
}

func parseBracketed(s string) ([]Element, []int32, *Error) {
	var (
		elems []Element
		offs  []int32
	)
	for p := 0; p < len(s); {
		if s[p] != '(' {
			return nil, nil, newErr(CodeSyntax, "expected ( to start an AI", "", p)
		}
		close := strings.IndexByte(s[p+1:], ')')
		if close < 0 {
			return nil, nil, newErr(CodeSyntax, "AI is not closed with )", "", p)
		}
		ai := s[p+1 : p+1+close]
		spec := lookup(ai)
		if spec == nil {
			if len(ai) < 2 || len(ai) > 4 || !allDigits(ai) {
				return nil, nil, newErr(CodeSyntax, "("+ai+") is not an AI: AIs are 2 to 4 digits", ai, p+1)
			}
			return nil, nil, newErr(CodeUnknownAI, "AI ("+ai+") is not a known GS1 Application Identifier", ai, p+1)
		}
		start := p + 2 + close
		// The value runs to the next "(" that is not escaped as "\(".
		end, escaped := start, false
		for end < len(s) {
			if s[end] == '(' {
				if end == start || s[end-1] != '\\' {
					break
				}
				escaped = true
			}
			end++
		}
		val := s[start:end]
		if escaped {
			val = strings.ReplaceAll(val, `\(`, "(")
		}
		if val == "" {
			return nil, nil, newErr(CodeEmptyValue, aiPrefix(ai)+"value is empty", ai, start)
		}
		if err := checkLength(spec, val, start); err != nil {
			return nil, nil, err
		}
		if len(elems) == MaxAIs {
			return nil, nil, newErr(CodeTooManyAIs, "more than "+itoa(MaxAIs)+" AIs", ai, p)
		}
		elems = append(elems, Element{AI: ai, Value: val})
		offs = append(offs, int32(start))
		p = end
	}
	if len(elems) == 0 {
		return nil, nil, newErr(CodeSyntax, "no AIs", "", 0)
	}
	return elems, offs, nil
}

func isFNC1(c byte) bool { return c == '^' || c == GS }

func parseRaw(s string) ([]Element, []int32, *Error) {
	p := 0
	switch {
	case s == "":
		return nil, nil, newErr(CodeSyntax, "empty element string", "", 0)
	case isFNC1(s[0]):
		p = 1
	case s[0] == ']':
		for _, id := range symbologyIDs {
			if strings.HasPrefix(s, id) {
				p = len(id)
				break
			}
		}
		if p == 0 {
			return nil, nil, newErr(CodeSyntax, "unsupported symbology identifier (expected ]C1, ]e0, ]d2, ]Q3 or ]J1)", "", 0)
		}
	}
	var (
		elems []Element
		offs  []int32
	)
	for p < len(s) {
		if len(s)-p < 2 || !isDigit(s[p]) || !isDigit(s[p+1]) {
			return nil, nil, newErr(CodeSyntax, "expected an AI (digits) at offset "+itoa(p), "", p)
		}
		n := AILength(s[p : p+2])
		if n == 0 || len(s)-p < n {
			return nil, nil, newErr(CodeUnknownAI, "no known AI starts with "+s[p:min(len(s), p+4)], "", p)
		}
		ai := s[p : p+n]
		spec := lookup(ai)
		if spec == nil {
			return nil, nil, newErr(CodeUnknownAI, "AI ("+ai+") is not a known GS1 Application Identifier", ai, p)
		}
		start := p + n
		end := start
		for end < len(s) && !isFNC1(s[end]) {
			end++
		}
		if spec.fixed && end-start > int(spec.maxLen) {
			// A predefined-length value needs no separator: the next AI
			// follows directly.
			end = start + int(spec.maxLen)
		}
		val := s[start:end]
		if val == "" {
			return nil, nil, newErr(CodeEmptyValue, aiPrefix(ai)+"value is empty", ai, start)
		}
		if err := checkLength(spec, val, start); err != nil {
			return nil, nil, err
		}
		if len(elems) == MaxAIs {
			return nil, nil, newErr(CodeTooManyAIs, "more than "+itoa(MaxAIs)+" AIs", ai, p)
		}
		elems = append(elems, Element{AI: ai, Value: val})
		offs = append(offs, int32(start))
		p = end
		if p < len(s) && isFNC1(s[p]) {
			p++
		}
	}
	if len(elems) == 0 {
		return nil, nil, newErr(CodeSyntax, "no AIs", "", 0)
	}
	return elems, offs, nil
}

// FormatElementString renders elems as a bracketed element string,
// "(01)09506000134352(10)ABC", escaping "(" in values as "\(" so that
// ParseElementString reads it back.
func FormatElementString(elems []Element) string {
	n := 0
	for _, e := range elems {
		n += 2 + len(e.AI) + len(e.Value) + strings.Count(e.Value, "(")
	}
	var b strings.Builder
	b.Grow(n)
	for _, e := range elems {
		b.WriteByte('(')
		b.WriteString(e.AI)
		b.WriteByte(')')
		if strings.IndexByte(e.Value, '(') < 0 {
			b.WriteString(e.Value)
			continue
		}
		b.WriteString(strings.ReplaceAll(e.Value, "(", `\(`))
	}
	return b.String()
}

// FormatRaw renders elems as raw element-string data as a scanner would
// deliver it: AI and value concatenated, a GS (ASCII 29) after each
// variable-length value that is not last. No leading FNC1 or symbology
// identifier is written.
func FormatRaw(elems []Element) string {
	var b strings.Builder
	for i, e := range elems {
		b.WriteString(e.AI)
		b.WriteString(e.Value)
		if s := lookup(e.AI); i < len(elems)-1 && (s == nil || !s.fixed) {
			b.WriteByte(GS)
		}
	}
	return b.String()
}

// ElementString returns u's elements as a bracketed element string in
// input order (path, then query): "(01)09506000134352(10)ABC".
func (u *URI) ElementString() string { return FormatElementString(u.Elements) }
