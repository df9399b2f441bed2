package dl

// MaxAIs is the most AIs one URI or element string may carry (the limit of
// gse, MAX_AIS).
const MaxAIs = 64

// checkLength is the parse-time check of a value's total length against
// the dictionary, done before the component linters so that a value that
// is simply too long is not reported as, say, a bad check digit (gse ai.c
// gs1_aiValLengthContentCheck). off is the value's offset in the input.
func checkLength(s *aiSpec, v string, off int) *Error {
	switch {
	case len(v) < int(s.minLen):
		if s.ai == "01" && (len(v) == 8 || len(v) == 12 || len(v) == 13) && allDigits(v) {
			return newErr(CodeGTINLength, aiPrefix(s.ai)+"a GTIN must be given as 14 digits (pad GTIN-8, -12 and -13 with leading zeros; GS1 Digital Link URI Syntax 1.4)", s.ai, off)
		}
		return newErr(CodeTooShort, aiPrefix(s.ai)+"value is too short (at least "+itoa(int(s.minLen))+" characters)", s.ai, off)
	case len(v) > int(s.maxLen):
		return newErr(CodeTooLong, aiPrefix(s.ai)+"value is too long (at most "+itoa(int(s.maxLen))+" characters)", s.ai, off)
	}
	return nil
}

// validateValue applies the dictionary's format components to v: each
// component takes up to its maximum length, an exhausted value may leave
// out optional components, and each component is checked for its
// character set and then by its linters (gse ai.c validate_ai_val). off is
// the value's offset in the input; exact says whether v appears verbatim
// there (not percent-decoded), so that positions inside v map to offsets.
func validateValue(s *aiSpec, v string, off int, exact bool) *Error {
	p := 0
	for i := range s.comps {
		c := &s.comps[i]
		n := len(v) - p
		if n > int(c.max) {
			n = int(c.max)
		}
		if c.optional && n == 0 {
			continue
		}
		if n < int(c.min) {
			return newErr(CodeTooShort, aiPrefix(s.ai)+"value is too short", s.ai, off)
		}
		part := v[p : p+n]
		if e := lintCharset(c.cset, part); e.kind != lintOK {
			return lintError(s, e, off, p, exact)
		}
		for _, l := range c.linters {
			if l == lintNone {
				break
			}
			if e := runLinter(l, part); e.kind != lintOK {
				return lintError(s, e, off, p, exact)
			}
		}
		p += n
	}
	if p < len(v) {
		return newErr(CodeTooLong, aiPrefix(s.ai)+"value is too long", s.ai, off)
	}
	return nil
}

func lintError(s *aiSpec, e lintErr, off, compOff int, exact bool) *Error {
	info := lintInfo[e.kind]
	if exact {
		off += compOff + e.pos
	}
	return newErr(info.code, aiPrefix(s.ai)+info.msg, s.ai, off)
}

// present reports whether an AI matching p, other than self, is among
// specs (gse ai.c aiExists: an AI never satisfies or violates its own
// patterns).
func present(p aiPattern, self *aiSpec, specs []*aiSpec) bool {
	for _, s := range specs {
		if s != self && p.matches(s) {
			return true
		}
	}
	return false
}

// validateAssociations checks, over the whole set of AIs, that repeated
// AIs agree, that no ex= pairing occurs and that every req= attribute is
// satisfied by one of its groups (all AIs of the group present). specs are
// the elements' dictionary entries; offs give each element's offset in the
// input for error reporting.
func validateAssociations(elems []Element, specs []*aiSpec, offs []int32) *Error {
	for i := range elems {
		s := specs[i]
		for j := i + 1; j < len(elems); j++ {
			if specs[j] == s && elems[j].Value != elems[i].Value {
				return newErr(CodeConflictingValues, "AI ("+s.ai+") appears more than once with different values", s.ai, int(offs[j]))
			}
		}
		for k, p := range s.exP {
			if present(p, s, specs) {
				return newErr(CodeExclusiveAIs, "AI ("+s.ai+") must not be used together with "+matchedAI(s.ex[k], s.ai, elems), s.ai, int(offs[i]))
			}
		}
	req:
		for k, alts := range s.reqP {
			for _, group := range alts {
				ok := true
				for _, p := range group {
					if !present(p, s, specs) {
						ok = false
						break
					}
				}
				if ok {
					continue req
				}
			}
			return newErr(CodeRequiredAIMissing, "AI ("+s.ai+") requires "+describeReq(s.req[k]), s.ai, int(offs[i]))
		}
	}
	return nil
}

func matchedAI(p, self string, elems []Element) string {
	for i := range elems {
		if a := elems[i].AI; a != self && matchPattern(p, a) {
			return "AI (" + a + ")"
		}
	}
	return p
}

// describeReq renders a req= attribute for people: "(01) or (02) or (8006) with (21)".
func describeReq(alts [][]string) string {
	out := ""
	for i, g := range alts {
		if i > 0 {
			out += " or "
		}
		for j, p := range g {
			if j > 0 {
				out += " with "
			}
			out += "(" + p + ")"
		}
	}
	return out
}
