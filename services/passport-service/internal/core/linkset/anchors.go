package linkset

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// Upload is a checked linkset document: its anchors in document order, with
// where each came from for later problems.
type Upload struct {
	// Anchors are the anchors of the document, Brand not yet set. Their links
	// are ordered by link type, then as listed.
	Anchors []resolver.Anchor
	at      []string   // JSON pointer of each anchor's context object
	linkAt  [][]string // JSON pointer of each link, parallel to Anchors[i].Links
}

// Link attribute names (RFC 9264 target attributes and GS1's additions).
const (
	attrHref     = "href"
	attrTitle    = "title"
	attrType     = "type"
	attrHreflang = "hreflang"
	attrContext  = "context"
	attrFwqs     = "fwqs"
	attrPublic   = "public"
)

// defaultAttrs are the only attributes a gs1:defaultLink may carry (R13).
var defaultAttrs = []string{attrHref, attrTitle, attrFwqs}

var knownAttrs = []string{attrHref, attrTitle, attrType, attrHreflang, attrContext, attrFwqs, attrPublic}

// Anchors applies the domain rules to the document and returns its anchors,
// or an Invalid error listing every problem (those Parse and the schema step
// recorded in Problems too). It never panics on a tree that skipped schema
// validation.
func (d *Document) Anchors() (*Upload, error) {
	if d.Problems.Len() > 0 {
		return nil, d.Problems.Err()
	}
	p := &d.Problems
	root, ok := d.tree.(map[string]any)
	if !ok {
		p.Add("body", "must be a JSON object with a linkset member")
		return nil, p.Err()
	}
	contexts, ok := root[memberLinkset].([]any)
	if !ok {
		p.Add(Pointer(memberLinkset), "must be an array of link context objects")
		return nil, p.Err()
	}
	if len(contexts) == 0 {
		p.Add(Pointer(memberLinkset), "must hold at least one link context object")
		return nil, p.Err()
	}
	u := &Upload{}
	seen := make(map[string]int, len(contexts))
	for i, c := range contexts {
		at := Pointer(memberLinkset, strconv.Itoa(i))
		obj, ok := c.(map[string]any)
		if !ok {
			p.Add(at, "must be a link context object")
			continue
		}
		a, linkAt, ok := d.anchor(i, at, obj)
		if !ok {
			continue
		}
		if j, dup := seen[a.Key]; dup {
			p.Add(at+"/"+memberAnchor, "names the same anchor as /linkset/"+strconv.Itoa(j)+
				" ("+a.Key+"); list its links in one context object")
			continue
		}
		seen[a.Key] = i
		u.Anchors = append(u.Anchors, a)
		u.at = append(u.at, at)
		u.linkAt = append(u.linkAt, linkAt)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return u, nil
}

// anchor decodes context object i; ok is false when it has problems (they
// are recorded).
func (d *Document) anchor(i int, at string, obj map[string]any) (resolver.Anchor, []string, bool) {
	p := &d.Problems
	before := p.Len()
	var a resolver.Anchor
	var primary string
	var qualifiers []string
	switch s, ok := obj[memberAnchor].(string); {
	case obj[memberAnchor] == nil:
		p.Add(at, "needs an anchor: the Digital Link URI the links belong to")
	case !ok:
		p.Add(at+"/"+memberAnchor, "must be a string")
	default:
		key, pk, quals, reason := anchorKey(s)
		if reason != "" {
			p.Add(at+"/"+memberAnchor, reason)
		}
		a.Key, primary, qualifiers = key, pk, quals
	}
	switch s, ok := obj[memberDescription].(string); {
	case obj[memberDescription] == nil:
		p.Add(at, "needs an itemDescription")
	case !ok:
		p.Add(at+"/"+memberDescription, "must be a string")
	case len(s) > MaxTextLen:
		p.Add(at+"/"+memberDescription, "is longer than "+strconv.Itoa(MaxTextLen)+" bytes")
	default:
		a.Description = s
	}

	types := make([]string, 0, len(obj))
	for k := range obj {
		if k != memberAnchor && k != memberDescription {
			types = append(types, k)
		}
	}
	slices.Sort(types)
	var linkAt []string
	defaults := 0
	for _, typ := range types {
		key := d.key(i, typ)
		tat := at + Pointer(key)
		list, ok := obj[typ].([]any)
		switch {
		case !ok:
			p.Add(tat, "must be an array of link objects")
			continue
		case len(list) == 0:
			p.Add(tat, "must hold at least one link; leave the link type out instead")
			continue
		}
		if typ == resolver.LinkTypeDefault {
			defaults++
			if len(list) != 1 {
				p.Add(tat, "must hold exactly one link; list alternatives told apart by language, "+
					"media type or context under "+resolver.LinkTypeDefaultMulti)
			}
		}
		for j, v := range list {
			lat := tat + "/" + strconv.Itoa(j)
			l, ok := d.link(lat, typ, v, primary, qualifiers)
			if !ok {
				continue
			}
			a.Links = append(a.Links, l)
			linkAt = append(linkAt, lat)
		}
	}
	if n := len(a.Links); n > MaxLinksPerAnchor {
		p.Add(at, "has "+strconv.Itoa(n)+" links; at most "+strconv.Itoa(MaxLinksPerAnchor)+" are allowed per anchor")
	}
	return a, linkAt, p.Len() == before
}

// anchorKey checks an anchor URI and returns its canonical path, primary key
// AI and qualifier AIs, or a reason it is refused.
func anchorKey(s string) (key, primary string, qualifiers []string, reason string) {
	if strings.ContainsAny(s, "?#") {
		return "", "", nil, "must be a Digital Link URI without query string or fragment: key qualifiers belong in the path and data attributes do not identify an anchor"
	}
	u, err := dl.ParseURI(s)
	if err != nil {
		return "", "", nil, "is not a valid GS1 Digital Link URI: " + dlReason(err)
	}
	if len(u.Elements) != u.PathLen || u.PathLen == 0 {
		return "", "", nil, "must hold only a primary key and key qualifiers"
	}
	path := u.Elements[:u.PathLen]
	for _, q := range path[1:] {
		qualifiers = append(qualifiers, q.AI)
	}
	return string(dl.AppendPath(nil, path)), path[0].AI, qualifiers, ""
}

func dlReason(err error) string {
	var de *dl.Error
	if errors.As(err, &de) {
		if de.Code != "" {
			return de.Message + " (" + de.Code + ")"
		}
		return de.Message
	}
	return err.Error()
}

// link decodes one link object at lat of link type typ.
func (d *Document) link(lat, typ string, v any, primary string, qualifiers []string) (resolver.Link, bool) {
	p := &d.Problems
	obj, ok := v.(map[string]any)
	if !ok {
		p.Add(lat, "must be a link object with href and title")
		return resolver.Link{}, false
	}
	before := p.Len()
	isDefault := typ == resolver.LinkTypeDefault
	attrs := make([]string, 0, len(obj))
	for k := range obj {
		attrs = append(attrs, k)
	}
	slices.Sort(attrs)
	for _, k := range attrs {
		switch {
		case !slices.Contains(knownAttrs, k):
			p.Add(lat+Pointer(k), "is not a link attribute; use href, title, type, hreflang, context, fwqs or public")
		case isDefault && !slices.Contains(defaultAttrs, k):
			p.Add(lat+Pointer(k), "is not allowed on a default link, which carries only href, title and fwqs; "+
				"describe the target under a descriptive link type instead")
		}
	}
	l := resolver.Link{Type: typ, Fwqs: true, Public: true}
	switch s, ok := obj[attrHref].(string); {
	case obj[attrHref] == nil:
		p.Add(lat, "needs an href")
	case !ok:
		p.Add(lat+"/"+attrHref, "must be a string")
	default:
		if reason := checkHref(s, primary, qualifiers); reason != "" {
			p.Add(lat+"/"+attrHref, reason)
		}
		l.Href = s
	}
	switch s, ok := obj[attrTitle].(string); {
	case obj[attrTitle] == nil:
		p.Add(lat, "needs a title")
	case !ok:
		p.Add(lat+"/"+attrTitle, "must be a string")
	case strings.TrimSpace(s) == "":
		p.Add(lat+"/"+attrTitle, "must not be empty")
	case len(s) > MaxTextLen:
		p.Add(lat+"/"+attrTitle, "is longer than "+strconv.Itoa(MaxTextLen)+" bytes")
	default:
		l.Title = s
	}
	if v, present := obj[attrType]; present {
		s, ok := v.(string)
		if !ok || !mediaType.MatchString(s) {
			p.Add(lat+"/"+attrType, "must be a media type such as text/html or application/pdf (type/subtype, no parameters)")
		}
		l.MediaType = s
	}
	if v, present := obj[attrHreflang]; present {
		l.Hreflang = d.strings(lat+"/"+attrHreflang, v, func(s string) string {
			if !languageTag.MatchString(s) {
				return "must be a language tag of the form xx or xx-YY, e.g. en or en-GB"
			}
			return ""
		})
	}
	if v, present := obj[attrContext]; present {
		l.Context = d.strings(lat+"/"+attrContext, v, func(s string) string {
			if s == "" || len(s) > MaxContextLen {
				return "must be a non-empty string of at most " + strconv.Itoa(MaxContextLen) + " bytes"
			}
			return ""
		})
	}
	if v, present := obj[attrFwqs]; present {
		b, ok := v.(bool)
		if !ok {
			p.Add(lat+"/"+attrFwqs, "must be true or false")
		}
		l.Fwqs = b
	}
	if v, present := obj[attrPublic]; present {
		b, ok := v.(bool)
		if !ok {
			p.Add(lat+"/"+attrPublic, "must be true or false")
		}
		l.Public = b
	}
	return l, p.Len() == before
}

// strings decodes an array of strings at at, checking each with check (which
// returns a reason, or "").
func (d *Document) strings(at string, v any, check func(string) string) []string {
	list, ok := v.([]any)
	if !ok {
		d.Problems.Add(at, "must be an array of strings")
		return nil
	}
	if len(list) > MaxValues {
		d.Problems.Add(at, "holds more than "+strconv.Itoa(MaxValues)+" values")
		return nil
	}
	out := make([]string, 0, len(list))
	for k, e := range list {
		s, ok := e.(string)
		if !ok {
			d.Problems.Add(at+"/"+strconv.Itoa(k), "must be a string")
			continue
		}
		if reason := check(s); reason != "" {
			d.Problems.Add(at+"/"+strconv.Itoa(k), reason)
			continue
		}
		out = append(out, s)
	}
	return out
}

var (
	// mediaType is RFC 6838's restricted-name syntax for type and subtype.
	mediaType = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$`)
	// languageTag is the GS1 linkset schema's hreflang pattern,
	// (^\w{2}$)|(^\w{2}-\w{2}$), narrowed to letters.
	languageTag = regexp.MustCompile(`^[A-Za-z]{2}(-[A-Za-z]{2})?$`)
)

// checkHref returns why href is refused as a link target of an anchor with
// the given primary key and qualifier AIs, or "".
func checkHref(href, primary string, qualifiers []string) string {
	if len(href) > MaxHrefLen {
		return "is longer than " + strconv.Itoa(MaxHrefLen) + " bytes"
	}
	for i := 0; i < len(href); i++ {
		if c := href[i]; c <= ' ' || c == 0x7f {
			return "must not contain spaces or control characters; percent-encode them"
		}
	}
	filled, firstTemplate, reason := fillTemplates(href, primary, qualifiers)
	if reason != "" {
		return reason
	}
	u, err := url.Parse(filled)
	if err != nil {
		return "is not a valid URL (check its percent-encoding)"
	}
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.Opaque != "" {
		return "must be an absolute http or https URL"
	}
	if firstTemplate >= 0 {
		// The authority ends at the first '/', '?' or '#' after "//".
		rest := filled[strings.Index(filled, "//")+2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 || strings.Index(filled, "//")+2+end > firstTemplate {
			return "may hold templates such as {10} in its path, query or fragment only, not in the scheme or host"
		}
	}
	return ""
}

// fillTemplates replaces every template {NN} in href with "0" and returns
// the result with the offset of the first template (-1 for none), or the
// reason a template is refused.
func fillTemplates(href, primary string, qualifiers []string) (string, int, string) {
	if !strings.ContainsAny(href, "{}") {
		return href, -1, ""
	}
	var b strings.Builder
	first := -1
	for i := 0; i < len(href); i++ {
		switch href[i] {
		case '}':
			return "", 0, "has a '}' without a '{'; templates look like {10}"
		case '{':
			end := strings.IndexByte(href[i:], '}')
			if end < 0 {
				return "", 0, "has an unclosed template; templates look like {10}"
			}
			ai := href[i+1 : i+end]
			if !isAIName(ai) {
				return "", 0, "has template {" + ai + "}, which names no GS1 Application Identifier; templates look like {10}, {21} or {17}"
			}
			if !templateAllowed(primary, qualifiers, ai) {
				return "", 0, "has template {" + ai + "}, but AI (" + ai + ") cannot appear in a Digital Link URI with primary key (" +
					primary + "), so it could never be filled"
			}
			if first < 0 {
				first = b.Len()
			}
			b.WriteByte('0')
			i += end
		default:
			b.WriteByte(href[i])
		}
	}
	return b.String(), first, ""
}

// isAIName reports whether s has the shape of an Application Identifier:
// two to four digits.
func isAIName(s string) bool { return digits(s, 2, 4) }

// templateAllowed reports whether a URI of an anchor with this primary key
// and these qualifiers can carry ai, so that a template {ai} can be filled.
func templateAllowed(primary string, qualifiers []string, ai string) bool {
	if primary == "" {
		return true // the anchor itself is refused; do not pile on
	}
	return ai == primary || slices.Contains(qualifiers, ai) || dl.AttributeAllowed(primary, ai)
}
