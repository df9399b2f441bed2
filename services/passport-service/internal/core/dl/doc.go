// Package dl is PackyTrace's GS1 Digital Link engine: it parses and validates
// Digital Link URIs and GS1 element strings against the GS1 Barcode Syntax
// Dictionary, converts between them and gives canonical forms.
//
// Only passport-service imports it; other services receive parsed data
// through events and APIs. All functions are safe for concurrent use; the
// tables are built once at start-up.
//
// # Model
//
// A GS1 Application Identifier (AI) is 2 to 4 digits; its value follows the
// format the dictionary gives (character set N, X = CSET 82, Y = CSET 39,
// Z = CSET 64; fixed or variable lengths; linters such as check digits,
// dates and code lists). The AI table (aitable_gen.go) is generated from
// data/gs1-syntax-dictionary.txt by internal/aigen (go generate); AIs are
// looked up by array index, and AILength and Spec expose the table.
//
// A Digital Link URI is http(s)://host[/stem]/{key AI}/{key}[/{qualifier
// AI}/{value}...][?{AI}={value}&...][#fragment]. The rightmost primary key
// in the path wins (any stem is allowed); its key qualifiers must follow
// one of the key's qualifier sequences ("dlpkey=22,10,21|235"), in order
// and without mixing sequences; query parameters with numeric keys must be
// known AIs permitted as data attributes (the dictionary's "?" flag), must
// not repeat an AI, and must not be key qualifiers that belong in the
// path; other query parameters (linkType, context, ...) are ignored and
// reported in URI.Ignored. Then every value is checked against the
// dictionary and the whole set against its req= and ex= attributes. GTINs
// in the path must have 14 digits (URI Syntax 1.4). The rules and their
// order follow GS1's reference engine (gs1/gs1-syntax-engine src/c-lib/dl.c
// gs1_parseDLuri); two behaviours are taken over from it on purpose: a
// GTIN-8/12/13 given as a query attribute (?01=...) is padded to 14 digits,
// and the scheme may be all upper case (HTTPS://) but not mixed.
//
// Percent-encoding: %XX is decoded in either hex case; a malformed '%'
// sequence is kept as is (and then judged as a value character); '+' is a
// space in the query and a literal '+' in the path; a decoded NUL is an
// error. Canonical output keeps A-Z a-z 0-9 - . _ ~ and writes every other
// byte as %XX with upper-case hex (Escape).
//
// Canonical URIs (URI.Canonical, BuildURI) are "https://" + domain, no
// stem, the key and qualifiers in dictionary order in the path, then the
// attributes: predefined-length AIs first, then the others, each in input
// order (as gse's gs1_generateDLuri does). BuildURI picks the first
// element that is a primary key and the qualifier sequence that leaves no
// AI unfit for the query, then the one that places the most AIs in the
// path.
//
// Element strings come bracketed, "(01)09506000134352(10)ABC" with "\("
// for a "(" in a value, or raw as scanned, with FNC1 as '^' or ASCII 29
// (GS); raw data may start with FNC1, with the symbology identifier of a
// GS1 carrier (]C1, ]e0, ]d2, ]Q3, ]J1), or with the first AI.
//
// # Errors
//
// Failures are *Error values with a stable Code, a Message for people, the
// AI concerned (if any) and the byte Offset in the input (element index
// for BuildURI). The codes:
//
//	input-too-long        input exceeds MaxInputLength bytes
//	illegal-character     a byte that may not appear in a URI (not percent-encoded)
//	scheme                not http:// or https:// (upper or lower case, not mixed)
//	host                  missing domain or a character not allowed in it
//	no-primary-key        no /{primary key AI}/{value} in the path (or no key among elements)
//	trailing-slash        the path ends with "/"
//	empty-value           an AI with an empty value
//	nul-character         a value decodes to a NUL byte
//	unknown-ai            a numeric AI that the dictionary does not define
//	invalid-qualifier     a path AI after the key that is no qualifier of that key
//	qualifier-order       key qualifiers out of order or from mixed sequences
//	not-data-attribute    a query AI the dictionary does not permit as an attribute
//	qualifier-in-query    a key qualifier given in the query that belongs in the path
//	duplicate-ai          an AI given twice in a URI
//	conflicting-values    an AI repeated in an element string with different values
//	too-many-ais          more than MaxAIs AIs
//	gtin-length           GTIN-8/12/13 in the path instead of 14 digits
//	too-short, too-long   value length outside the dictionary's bounds
//	invalid-character     a character outside the component's character set
//	check-digit           wrong mod-10 check digit, alphanumeric check pair or IBAN check
//	invalid-date          impossible date (month, day, leap year, DD=00 where not allowed)
//	invalid-time          impossible hour, minute or second
//	invalid-code          not in the code list (ISO 3166, ISO 4217, package type, ...)
//	invalid-value         any other linter finding (zero values, piece/total, coupons, ...)
//	required-ai-missing   a req= association is not satisfied
//	exclusive-ais         an ex= association is violated
//	syntax                malformed element string or path
//
// # Sources
//
// GS1 Barcode Syntax Dictionary (gs1/gs1-syntax-dictionary@ff2eb4b,
// Apache-2.0, see data/README.md); the GS1 Barcode Syntax Engine
// (gs1/gs1-syntax-engine) for URI parsing rules, linter rules and the test
// vectors carried over in this package's tests; the code lists in
// codelists.go name their sources.
package dl
