// Package linkset reads the GS1 linkset documents brands upload (RFC 9264
// application/linkset+json whose link relations are GS1 Web Vocabulary link
// types) into resolver anchors, and checks the rules a GS1-conformant
// resolver needs its link data to keep.
//
// An upload goes through three steps, and nothing of it is stored unless all
// pass:
//
//  1. Parse decodes the JSON and renames every link-type key to its
//     canonical URI (https://gs1.org/voc/x; gs1:x, https://ref.gs1.org/voc/x,
//     https://www.gs1.org/voc/x and http:// spellings are accepted). Keys that
//     are no GS1 link type are reported and left out.
//  2. The caller validates Document.Tree against GS1's linkset JSON schema
//     (gs1/linkset gs1-linkset-schema.json; the core holds no schema engine)
//     and reports violations through Document.Pointer, which gives JSON
//     pointers into the document as it was sent.
//  3. Document.Anchors applies the domain rules, and Upload.CheckLevels the
//     rules that need the levels above each anchor (from the upload or
//     already stored).
//
// Domain rules (R-numbers from the project's GS1 Digital Link notes):
//   - anchor is a GS1 Digital Link URI on any host, uncompressed, whose path
//     holds a primary key and key qualifiers only: no query attributes, no
//     query string, no fragment. The stored key is its canonical path
//     (14-digit GTIN, canonical percent-encoding). An anchor appears once.
//   - at most one gs1:defaultLink array per anchor holding exactly one link,
//     with href and title and optionally fwqs only (R13); the default's
//     target also appears under a descriptive link type of the anchor or a
//     level above (R12); every anchor has a default at its own level or at a
//     level above it (R13). gs1:defaultLinkMulti links are optional extras
//     and are held to R12 as well.
//   - hrefs are absolute http(s) URLs, at most MaxHrefLen bytes, without
//     spaces or control characters. They may hold templates {NN} naming a
//     GS1 Application Identifier the anchor's URIs can carry: the primary
//     key, one of the anchor's qualifiers, or an AI the GS1 Barcode Syntax
//     Dictionary allows as a qualifier or data attribute of the primary key.
//     Templates may sit in the path, query or fragment, never in the
//     scheme or host.
//   - type is a media type "type/subtype" (RFC 6838 restricted names, no
//     parameters); hreflang values are "xx" or "xx-YY" (letters; the GS1
//     schema's pattern); context values are non-empty strings; fwqs and
//     public default to true.
//
// Limits: MaxAnchors context objects per upload, MaxLinksPerAnchor links
// per anchor, MaxHrefLen bytes per href, MaxTextLen bytes per title or
// itemDescription, MaxValues hreflang or context values per link,
// MaxContextLen bytes per context value. At most MaxErrors problems are
// reported for one document.
package linkset

// Limits of one upload.
const (
	// MaxAnchors is the largest number of context objects (anchors) in one
	// linkset document.
	MaxAnchors = 10000
	// MaxLinksPerAnchor is the largest number of links one anchor may have,
	// over all its link types.
	MaxLinksPerAnchor = 100
	// MaxHrefLen is the longest href, in bytes.
	MaxHrefLen = 2048
	// MaxTextLen is the longest title or itemDescription, in bytes.
	MaxTextLen = 1000
	// MaxValues is the largest number of hreflang or context values of one
	// link.
	MaxValues = 20
	// MaxContextLen is the longest context value, in bytes.
	MaxContextLen = 100
	// MaxErrors is the largest number of problems reported for one
	// document; further ones are counted, not listed.
	MaxErrors = 50
)
