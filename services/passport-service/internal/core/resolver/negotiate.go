package resolver

import "strings"

// Disambiguation of several candidate links of one type. The request's
// context parameter, Accept-Language and Accept headers are preferences, in
// that order: each narrows the candidates to those it prefers most, and a
// preference that would leave no candidate is skipped. Each filter also says
// whether it positively selected (the request asked for something a link
// offers), which decides between gs1:defaultLinkMulti links and the single
// gs1:defaultLink.

// filterContext keeps the links whose context lists want (case-insensitive);
// without such links, or without a wanted context, it prefers links that
// carry no context at all.
func filterContext(cands []*Link, want string) ([]*Link, bool) {
	if want != "" {
		if out, n := keep(cands, func(l *Link) bool { return containsFold(l.Context, want) }); n > 0 {
			return out, true
		}
	}
	out, _ := keep(cands, func(l *Link) bool { return len(l.Context) == 0 })
	return out, false
}

// filterLanguage keeps the links whose hreflang the Accept-Language header
// prefers most (see langScore). When the header matches no link it prefers
// links without a language (no hreflang, or "und").
func filterLanguage(cands []*Link, header string) ([]*Link, bool) {
	if header != "" {
		rl := parseRanges(header)
		ranges := rl.items[:rl.n]
		best := int64(0)
		for _, l := range cands {
			best = max(best, langScore(ranges, l.Hreflang))
		}
		if best > 0 {
			out, _ := keep(cands, func(l *Link) bool { return langScore(ranges, l.Hreflang) == best })
			return out, true
		}
	}
	out, _ := keep(cands, func(l *Link) bool { return languageNeutral(l.Hreflang) })
	return out, false
}

// filterMediaType keeps the links whose media type the Accept header prefers
// most (see mediaScore). It selected positively when the winning range named
// a type ("text/html" or "text/*"), not only "*/*".
func filterMediaType(cands []*Link, header string) ([]*Link, bool) {
	if header == "" {
		return cands, false
	}
	rl := parseRanges(header)
	ranges := rl.items[:rl.n]
	best := int64(0)
	for _, l := range cands {
		best = max(best, mediaScore(ranges, l.MediaType))
	}
	if best == 0 {
		return cands, false
	}
	out, _ := keep(cands, func(l *Link) bool { return mediaScore(ranges, l.MediaType) == best })
	return out, best>>specificityShift&3 >= specType
}

// keep compacts cands in place to the links pred accepts, unless it accepts
// none: then cands is returned untouched with n = 0.
func keep(cands []*Link, pred func(*Link) bool) (out []*Link, n int) {
	for _, l := range cands {
		if pred(l) {
			n++
		}
	}
	if n == 0 || n == len(cands) {
		return cands, n
	}
	out = cands[:0]
	for _, l := range cands {
		if pred(l) {
			out = append(out, l)
		}
	}
	return out, n
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func languageNeutral(tags []string) bool {
	for _, t := range tags {
		if !strings.EqualFold(t, "und") {
			return false
		}
	}
	return true
}

// weighted is one item of an HTTP list header with a q-value: a language
// range or a media range, parameters other than q cut off.
type weighted struct {
	value string
	q     int // thousandths, 1000 when absent, -1 when malformed
}

// maxRanges bounds the header items considered; items past it are ignored
// (a real Accept-Language or Accept header has a handful).
const maxRanges = 32

// rangeList holds the items of one header. It is returned by value so that
// it stays on the caller's stack (a store through a pointer would move the
// header's substrings to the heap in Go's escape analysis).
type rangeList struct {
	items [maxRanges]weighted
	n     int
}

// parseRanges reads the items of an HTTP list header (RFC 9110 sections
// 12.4.2 and 12.5) in header order. Items past maxRanges are ignored. It
// does not allocate.
func parseRanges(header string) (rl rangeList) {
	for header != "" && rl.n < maxRanges {
		item, rest, _ := strings.Cut(header, ",")
		header = rest
		value, params, _ := strings.Cut(item, ";")
		value = strings.TrimSpace(value)
		if value == "" {
			continue
		}
		q := 1000
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			name, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(name), "q") {
				q = parseQ(strings.TrimSpace(v))
			}
		}
		rl.items[rl.n] = weighted{value: value, q: q}
		rl.n++
	}
	return rl
}

// PreferredRange returns the item of an HTTP list header with a q-value
// (Accept-Language, Accept) that has the highest q-value above 0, the first
// of equals, without its parameters; "" when there is none. It does not
// allocate.
func PreferredRange(header string) string {
	rl := parseRanges(header)
	best, bestQ := "", 0
	for _, w := range rl.items[:rl.n] {
		if w.q > bestQ {
			best, bestQ = w.value, w.q
		}
	}
	return best
}

// parseQ reads an RFC 9110 qvalue ("0", "0.8", "1.000") in thousandths; -1
// when malformed.
func parseQ(s string) int {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return -1
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q
	}
	if s[1] != '.' {
		return -1
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		q += int(s[i]-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return -1
	}
	return q
}

// Scores pack (q, match quality, earlier position) into one integer so that
// a larger score is a better match; 0 is no match.
const (
	qualityShift     = 12
	specificityShift = 12
	qShift           = 16
	maxPos           = 1<<qualityShift - 1
)

// Language match qualities of an Accept-Language range against a tag.
const (
	langWildcard = 1 + iota // "*"
	langSibling             // en-GB range, en-US tag: same primary language
	langPrimary             // en-GB range, en tag: the range's primary subtag (RFC 4647 lookup)
	langPrefix              // en range, en-GB tag (RFC 4647 basic filtering)
	langExact               // en-GB range, en-GB tag
)

// langScore is how much the Accept-Language ranges want a link in the
// given languages: the best over the ranges with q > 0 of (q, match
// quality, earlier in the header). q=0 ranges are ignored.
func langScore(ranges []weighted, tags []string) int64 {
	if len(tags) == 0 {
		return 0
	}
	best := int64(0)
	for pos, r := range ranges {
		if r.q <= 0 {
			continue
		}
		quality := 0
		for _, t := range tags {
			quality = max(quality, langMatch(r.value, t))
		}
		if quality > 0 {
			best = max(best, int64(r.q)<<qShift|int64(quality)<<qualityShift|int64(maxPos-min(pos, maxPos)))
		}
	}
	return best
}

func langMatch(rng, tag string) int {
	switch {
	case rng == "*":
		return langWildcard
	case strings.EqualFold(rng, tag):
		return langExact
	case len(tag) > len(rng) && tag[len(rng)] == '-' && strings.EqualFold(tag[:len(rng)], rng):
		return langPrefix
	}
	rp, tp := primarySubtag(rng), primarySubtag(tag)
	switch {
	case strings.EqualFold(rp, tag):
		return langPrimary
	case strings.EqualFold(rp, tp):
		return langSibling
	}
	return 0
}

func primarySubtag(tag string) string {
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		return tag[:i]
	}
	return tag
}

// Media range specificities.
const (
	specAny     = 1 // */*
	specType    = 2 // text/*
	specSubtype = 3 // text/html
)

// mediaScore is how much the Accept ranges want a link of media type mt:
// the best over the ranges with q > 0 of (q, specificity, earlier in the
// header). A link without a media type matches only "*/*". Parameters of
// mt ("; charset=utf-8") are ignored.
func mediaScore(ranges []weighted, mt string) int64 {
	mt, _, _ = strings.Cut(mt, ";")
	mt = strings.TrimSpace(mt)
	mtType, mtSub, _ := strings.Cut(mt, "/")
	best := int64(0)
	for pos, r := range ranges {
		if r.q <= 0 {
			continue
		}
		rType, rSub, ok := strings.Cut(r.value, "/")
		if !ok {
			continue
		}
		spec := 0
		switch {
		case rType == "*" && rSub == "*":
			spec = specAny
		case mt == "":
		case rSub == "*" && strings.EqualFold(rType, mtType):
			spec = specType
		case strings.EqualFold(rType, mtType) && strings.EqualFold(rSub, mtSub):
			spec = specSubtype
		}
		if spec > 0 {
			best = max(best, int64(r.q)<<qShift|int64(spec)<<specificityShift|int64(maxPos-min(pos, maxPos)))
		}
	}
	return best
}

// MediaTypeLinkset is the media type of a linkset document (RFC 9264).
const MediaTypeLinkset = "application/linkset+json"

// prefersLinkset reports whether the Accept header asks for a linkset: it
// names application/linkset+json with q > 0 and no range has a higher q.
// Wildcards alone never ask for a linkset, and neither does
// application/json: a client asking for JSON may want a JSON target (a
// passport, say), which link selection gives it.
func prefersLinkset(header string) bool {
	if header == "" {
		return false
	}
	rl := parseRanges(header)
	linksetQ, otherQ := 0, 0
	for _, r := range rl.items[:rl.n] {
		if strings.EqualFold(r.value, MediaTypeLinkset) {
			linksetQ = max(linksetQ, r.q)
		} else {
			otherQ = max(otherQ, r.q)
		}
	}
	return linksetQ > 0 && linksetQ >= otherQ
}
