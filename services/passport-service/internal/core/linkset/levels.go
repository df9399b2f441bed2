package linkset

import (
	"slices"
	"strings"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// Ancestors returns the keys of the levels above an anchor key, most
// specific first: for "/01/09506000134352/10/LOT1/21/S1" they are
// "/01/09506000134352/10/LOT1" and "/01/09506000134352". A primary key has
// none. key must be a canonical path (values percent-encoded, so every "/"
// separates an AI from its value).
func Ancestors(key string) []string {
	var out []string
	// Each level is two segments, "/AI/value"; drop one level at a time
	// from the right.
	end := len(key)
	for {
		cut := strings.LastIndexByte(key[:end], '/')
		if cut <= 0 {
			return out
		}
		cut = strings.LastIndexByte(key[:cut], '/')
		if cut <= 0 {
			return out
		}
		end = cut
		out = append(out, key[:end])
	}
}

// HasDefault reports whether a has a gs1:defaultLink.
func HasDefault(a *resolver.Anchor) bool {
	return a != nil && slices.ContainsFunc(a.Links, func(l resolver.Link) bool { return l.Type == resolver.LinkTypeDefault })
}

// Lookup lists the keys of the levels above the uploaded anchors that the
// upload does not hold itself, sorted: the stored anchors CheckLevels needs.
func (u *Upload) Lookup() []string {
	in := make(map[string]bool, len(u.Anchors))
	for i := range u.Anchors {
		in[u.Anchors[i].Key] = true
	}
	var out []string
	for i := range u.Anchors {
		for _, k := range Ancestors(u.Anchors[i].Key) {
			if !in[k] {
				in[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// CheckLevels applies the rules that look at the levels above each anchor,
// taking a level from the upload when it holds it and from stored
// otherwise (stored maps keys from Lookup to the anchors stored under them;
// missing keys are not stored):
//   - R13: every anchor has a gs1:defaultLink at its own level or above;
//   - R12: the target of every gs1:defaultLink and gs1:defaultLinkMulti link
//     also appears under a descriptive link type of the anchor or a level
//     above.
//
// It returns nil or an Invalid error listing every problem.
func (u *Upload) CheckLevels(stored map[string]*resolver.Anchor) error {
	uploaded := make(map[string]*resolver.Anchor, len(u.Anchors))
	for i := range u.Anchors {
		uploaded[u.Anchors[i].Key] = &u.Anchors[i]
	}
	level := func(key string) *resolver.Anchor {
		if a, ok := uploaded[key]; ok {
			return a
		}
		return stored[key]
	}
	var p Problems
	for i := range u.Anchors {
		a := &u.Anchors[i]
		chain := []*resolver.Anchor{a}
		for _, k := range Ancestors(a.Key) {
			if l := level(k); l != nil {
				chain = append(chain, l)
			}
		}
		if !slices.ContainsFunc(chain, HasDefault) {
			p.Add(u.at[i], "has no "+resolver.LinkTypeDefault+", and no level above "+a.Key+
				" has one (in this upload or stored); every anchor needs a default link at its level or above")
		}
		for j, l := range a.Links {
			if !isDefaultType(l.Type) {
				continue
			}
			if !describedIn(chain, l.Href) {
				p.Add(u.linkAt[i][j]+"/"+attrHref, "is a default link's target that no descriptive link type "+
					"(such as gs1:pip) of this anchor or a level above lists; describe it there too")
			}
		}
	}
	return p.Err()
}

func isDefaultType(t string) bool {
	return t == resolver.LinkTypeDefault || t == resolver.LinkTypeDefaultMulti
}

// describedIn reports whether a link of a descriptive type in chain has href.
func describedIn(chain []*resolver.Anchor, href string) bool {
	for _, a := range chain {
		for _, l := range a.Links {
			if !isDefaultType(l.Type) && l.Href == href {
				return true
			}
		}
	}
	return false
}

// Pointer gives the JSON pointer of anchor i's context object in the
// uploaded document.
func (u *Upload) Pointer(i int) string { return u.at[i] }
