// Package resolver is the GS1-conformant resolver's domain: anchors and their
// links, the in-memory index the hot path reads, and link selection.
package resolver

// Link is one link of an anchor.
type Link struct {
	// Type is the link type as a full URI in the canonical GS1 namespace,
	// e.g. "https://gs1.org/voc/pip" (gs1:defaultLink for the default link).
	Type string
	// Href is the target; it may contain templates such as {10} or {21}
	// filled from the request's AI values.
	Href      string
	Title     string
	MediaType string   // the link's "type" attribute, an IANA media type
	Hreflang  []string // e.g. "en", "en-GB"
	Context   []string
	// Fwqs says whether the request's query string is forwarded on redirect
	// (GS1 default: true).
	Fwqs bool
	// Public says whether the link is listed in linkset responses (default true).
	Public bool
	// Passport marks PackyTrace's own passport page, the link the index
	// adds for every catalog product: a redirect to it carries the scanned
	// key qualifiers, and a brand's own link of the same type wins over it.
	Passport bool
}

// Anchor is a primary key with optional key qualifiers, and the links a
// brand publishes for it.
type Anchor struct {
	// Key is the anchor's canonical Digital Link path, e.g.
	// "/01/09506000134352/10/LOT1" (14-digit GTIN, canonical percent-encoding).
	Key string
	// Brand is the GS1 company prefix the anchor belongs to.
	Brand       string
	Description string // the linkset's itemDescription
	Links       []Link

	// own is the brand's anchor this one extends with passport links, nil
	// when the anchor has only those (see Index.SetPassport).
	own *Anchor
	// passport says whether the index added passport links to Links.
	passport bool
}
