package resolver

import (
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// Request is what resolution needs from an HTTP request.
type Request struct {
	// URI is the parsed request: primary key, key qualifiers (the levels
	// walked up) and data attributes (available to href templates).
	URI *dl.URI
	// LinkType is the linkType parameter as sent: a gs1: CURIE or full URI,
	// "linkset", the deprecated "all", or "" when absent.
	LinkType string
	// Context is the context parameter, "" when absent.
	Context string
	// Accept and AcceptLanguage are the request headers, "" when absent.
	Accept, AcceptLanguage string
	// Query is the query string forwarded to the target on redirect (unless
	// the link says fwqs=false); "" for none.
	Query string
	// Path is the canonical path of URI's key and qualifiers, as
	// dl.AppendPath writes it, when the caller has it already; nil means
	// Resolve builds it.
	Path []byte
}

// Kind says which of Result's shapes a resolution produced.
type Kind uint8

// The kinds of result.
const (
	// NotFound: nothing to answer with (HTTP 404); see Result.Code.
	NotFound Kind = iota
	// Redirect to Result.Href (HTTP 307).
	Redirect
	// Choices: several links the request does not tell apart (HTTP 300),
	// listed in Result.Linkset (one context).
	Choices
	// LinksetDoc: the linkset (HTTP 200), one context per level in
	// Result.Linkset, most specific first.
	LinksetDoc
)

// Reasons a resolution finds nothing, carried in Result.Code.
const (
	CodeUnknownKey      = "unknown-key"       // no anchor at any level of the request
	CodeUnknownLinkType = "unknown-link-type" // linkType is not a GS1 Web Vocabulary link type
	CodeNoLinkOfType    = "no-link-of-type"   // no level has a usable link of the requested type
	CodeNoDefaultLink   = "no-default-link"   // no level has a usable default link
	CodeOnlyHidden      = "only-hidden-links" // only non-public links are left and they cannot be told apart
)

// Result is the outcome of Resolve. Which fields are set depends on Kind.
type Result struct {
	Kind Kind
	// Href is the redirect target: the link's href with its templates
	// filled and, unless the link has fwqs=false, the request's query
	// appended. Redirect only.
	Href string
	// Link is the link redirected to (Redirect), Anchor the anchor it
	// belongs to (Redirect and Choices).
	Link   *Link
	Anchor *Anchor
	// Linkset lists the contexts of a linkset (LinksetDoc) or the choices
	// (Choices), public links only, templates filled.
	Linkset []Context
	// Code and Message say why nothing was found (NotFound).
	Code, Message string
}

// maxCandidates is how many candidate links live on the stack; more spill
// to the heap.
const maxCandidates = 16

// keyBufSize holds the longest canonical path of a key with qualifiers
// (01 + 22 + 10 + 21, each value fully percent-encoded) without growing.
const keyBufSize = 256

// Resolve answers req from the anchors in idx.
//
// Levels: the request's primary key with all its key qualifiers is the most
// specific level; dropping qualifiers from the right gives the less specific
// ones, up to the primary key alone. A level exists when idx has an anchor
// for its canonical path.
//
// Link type: without linkType the default link is wanted: at the most
// specific level that has a default, gs1:defaultLinkMulti links are tried
// first and win when the request's context, language or media type picks
// one of them (or when the level has no gs1:defaultLink); otherwise the
// level's gs1:defaultLink. With linkType=X the most specific level that has
// links of type X wins. linkType=linkset or all, or an Accept header that
// prefers application/linkset+json (when no other linkType is given), asks
// for the linkset of every level.
//
// Candidates: links of the type whose href templates can be filled from the
// request. Several are narrowed by the context parameter, then
// Accept-Language, then Accept (see negotiate.go); a preference that would
// leave none is skipped. If several remain, non-public links drop out; one
// left is redirected to, several are offered as Choices (HTTP 300), none is
// NotFound.
//
// Non-public links (Public false) are never listed in a linkset or among
// choices, but they are redirect targets when they are the one match:
// "public" controls whether a link is advertised, not whether it works, so a
// brand may keep a link (a recall notice in preparation, a partner-only
// link type) out of linksets while scanners that ask for it by type still
// get there.
func Resolve(idx *Index, req Request) Result {
	u := req.URI
	if u == nil || u.PathLen < 1 || len(u.Elements) < u.PathLen {
		return notFound(CodeUnknownKey, "The request has no primary key.")
	}
	var keyBuf [keyBufSize]byte
	switch req.LinkType {
	case "linkset", "all":
		return linksetOf(idx, req, keyBuf[:0])
	case "":
		if prefersLinkset(req.Accept) {
			return linksetOf(idx, req, keyBuf[:0])
		}
		return resolveDefault(idx, req, keyBuf[:0])
	}
	lt, ok := NormalizeLinkType(req.LinkType)
	if !ok {
		return notFound(CodeUnknownLinkType, "The linkType is not a GS1 Web Vocabulary link type.")
	}
	var candBuf [maxCandidates]*Link
	lv := levelsOf(u, req.Path, keyBuf[:0])
	anyLevel := false
	for n := lv.n; n >= 1; n-- {
		a := idx.GetBytes(lv.key(n))
		if a == nil {
			continue
		}
		anyLevel = true
		cands := candidates(candBuf[:0], a, lt, u.Elements)
		if len(cands) == 0 {
			continue
		}
		cands = narrow(cands, req)
		return decide(a, cands, req, CodeNoLinkOfType)
	}
	if !anyLevel {
		return notFound(CodeUnknownKey, "No links are registered for this key.")
	}
	return notFound(CodeNoLinkOfType, "No link of the requested type is registered for this key.")
}

// resolveDefault redirects to the default link of the most specific level
// that has one.
func resolveDefault(idx *Index, req Request, keyBuf []byte) Result {
	u := req.URI
	var multiBuf, defBuf [maxCandidates]*Link
	lv := levelsOf(u, req.Path, keyBuf[:0])
	anyLevel := false
	for n := lv.n; n >= 1; n-- {
		a := idx.GetBytes(lv.key(n))
		if a == nil {
			continue
		}
		anyLevel = true
		multi, defs := defaultCandidates(multiBuf[:0], defBuf[:0], a, u.Elements)
		if len(multi) == 0 && len(defs) == 0 {
			continue
		}
		if len(multi) > 0 {
			picked, positive := narrowPositive(multi, req)
			if len(defs) == 0 || (positive && len(picked) == 1) {
				return decide(a, picked, req, CodeNoDefaultLink)
			}
		}
		return decide(a, narrow(defs, req), req, CodeNoDefaultLink)
	}
	if !anyLevel {
		return notFound(CodeUnknownKey, "No links are registered for this key.")
	}
	return notFound(CodeNoDefaultLink, "No default link is registered for this key.")
}

// candidates appends to dst the links of a with type lt whose templates the
// request can fill.
func candidates(dst []*Link, a *Anchor, lt string, elems []dl.Element) []*Link {
	for i := range a.Links {
		l := &a.Links[i]
		if l.Type == lt && fillable(l.Href, elems) {
			dst = append(dst, l)
		}
	}
	return dst
}

// defaultCandidates appends to multi and defs the gs1:defaultLinkMulti and
// gs1:defaultLink links of a whose templates the request can fill.
func defaultCandidates(multi, defs []*Link, a *Anchor, elems []dl.Element) ([]*Link, []*Link) {
	for i := range a.Links {
		l := &a.Links[i]
		switch l.Type {
		case LinkTypeDefaultMulti:
			if fillable(l.Href, elems) {
				multi = append(multi, l)
			}
		case LinkTypeDefault:
			if fillable(l.Href, elems) {
				defs = append(defs, l)
			}
		}
	}
	return multi, defs
}

// levels are the canonical paths of a request's levels: the path of the
// most specific level, built once, and where each less specific level's
// path ends in it.
type levels struct {
	path []byte
	ends [maxLevels]int
	n    int
	u    *dl.URI
}

// maxLevels bounds the levels kept as prefixes of one path; the dictionary's
// longest key path has four elements (01 with 22, 10 and 21).
const maxLevels = 8

// levelsOf finds the request's levels in path, building it in buf when
// path is nil. Each level's canonical path
// is a prefix of the next one's, since AppendPath writes a key's qualifiers
// in the one order the parser accepted them in and percent-encodes every
// "/" inside a value: level n ends before the (2n+1)-th "/".
func levelsOf(u *dl.URI, path, buf []byte) levels {
	if path == nil {
		path = dl.AppendPath(buf, u.Elements[:u.PathLen])
	}
	lv := levels{path: path, u: u}
	slashes := 0
	for i, c := range lv.path {
		if c != '/' {
			continue
		}
		if slashes%2 == 0 && slashes > 0 {
			if lv.n == maxLevels {
				lv.n = -1
				break
			}
			lv.ends[lv.n] = i
			lv.n++
		}
		slashes++
	}
	if lv.n >= 0 && lv.n < maxLevels {
		lv.ends[lv.n] = len(lv.path)
		lv.n++
	}
	if lv.n != u.PathLen {
		// Not prefixes after all: build each level's path on its own.
		lv.n = u.PathLen
		lv.ends[0] = -1
		lv.path = buf[:0]
	}
	return lv
}

// key is the canonical path of level n (1 = the primary key alone).
func (lv *levels) key(n int) []byte {
	if lv.ends[0] < 0 {
		return dl.AppendPath(lv.path[:0], lv.u.Elements[:n])
	}
	return lv.path[:lv.ends[n-1]]
}

// narrow applies the request's preferences to several candidates.
func narrow(cands []*Link, req Request) []*Link {
	out, _ := narrowPositive(cands, req)
	return out
}

// narrowPositive applies the preferences and reports whether any of them
// positively selected.
func narrowPositive(cands []*Link, req Request) ([]*Link, bool) {
	if len(cands) <= 1 {
		return cands, false
	}
	var p1, p2, p3 bool
	cands, p1 = filterContext(cands, req.Context)
	if len(cands) > 1 {
		cands, p2 = filterLanguage(cands, req.AcceptLanguage)
	}
	if len(cands) > 1 {
		cands, p3 = filterMediaType(cands, req.Accept)
	}
	return cands, p1 || p2 || p3
}

// decide turns the narrowed candidates of anchor a into a result.
func decide(a *Anchor, cands []*Link, req Request, emptyCode string) Result {
	if len(cands) > 1 {
		// A brand's own link wins over the passport page.
		cands, _ = keep(cands, func(l *Link) bool { return !l.Passport })
	}
	if len(cands) > 1 {
		var public int
		if cands, public = keep(cands, func(l *Link) bool { return l.Public }); public == 0 {
			return notFound(CodeOnlyHidden, "Several links match and cannot be told apart.")
		}
	}
	switch len(cands) {
	case 0:
		return notFound(emptyCode, "No matching link is registered for this key.")
	case 1:
		l := cands[0]
		return Result{Kind: Redirect, Href: target(l, req), Link: l, Anchor: a}
	}
	c := Context{Key: a.Key, Description: a.Description, Links: make([]Link, 0, len(cands))}
	for _, l := range cands {
		c.Links = append(c.Links, filled(l, req.URI.Elements))
	}
	return Result{Kind: Choices, Anchor: a, Linkset: []Context{c}}
}

// target is the redirect location for l.
func target(l *Link, req Request) string {
	if l.Passport {
		return passportTarget(l, req)
	}
	if !hasTemplate(l.Href) && (req.Query == "" || !l.Fwqs) {
		return l.Href
	}
	var buf [512]byte
	b, _ := appendFilled(buf[:0], l.Href, req.URI.Elements)
	if l.Fwqs {
		b = appendQuery(b, 0, req.Query)
	}
	return string(b)
}

// passportTarget is the passport page of the request's product with the
// request's key qualifiers (the page shows lot and serial) and its query
// (data attributes such as the expiry date).
func passportTarget(l *Link, req Request) string {
	var buf [512]byte
	b := append(buf[:0], l.Href...)
	if u := req.URI; u.PathLen > 1 {
		var pathBuf [keyBufSize]byte
		full := req.Path
		if full == nil {
			full = dl.AppendPath(pathBuf[:0], u.Elements[:u.PathLen])
		}
		if len(full) > gtinKeyLen {
			b = append(b, full[gtinKeyLen:]...)
		}
	}
	if l.Fwqs {
		b = appendQuery(b, 0, req.Query)
	}
	return string(b)
}

// gtinKeyLen is the length of a GTIN's canonical path, "/01/" and 14 digits.
const gtinKeyLen = 18

// filled is a copy of l with its href templates filled.
func filled(l *Link, elems []dl.Element) Link {
	c := *l
	if hasTemplate(l.Href) {
		b, _ := appendFilled(nil, l.Href, elems)
		c.Href = string(b)
	}
	return c
}

// linksetOf lists the public links of every level of the request, most
// specific level first.
func linksetOf(idx *Index, req Request, keyBuf []byte) Result {
	u := req.URI
	var out []Context
	lv := levelsOf(u, req.Path, keyBuf[:0])
	for n := lv.n; n >= 1; n-- {
		a := idx.GetBytes(lv.key(n))
		if a == nil {
			continue
		}
		c := Context{Key: a.Key, Description: a.Description}
		for i := range a.Links {
			l := &a.Links[i]
			if l.Public && fillable(l.Href, u.Elements) {
				c.Links = append(c.Links, filled(l, u.Elements))
			}
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return notFound(CodeUnknownKey, "No links are registered for this key.")
	}
	return Result{Kind: LinksetDoc, Linkset: out}
}

func notFound(code, msg string) Result {
	return Result{Kind: NotFound, Code: code, Message: msg}
}
