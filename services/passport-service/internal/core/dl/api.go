package dl

// Element is one GS1 Application Identifier with its (decoded) value.
type Element struct {
	AI    string
	Value string
}

// URI is a parsed and validated GS1 Digital Link URI.
//
// Elements and Ignored may share storage with the URI itself (small inline
// arrays keep parsing free of extra allocations): copy the slices before
// changing them.
type URI struct {
	// Scheme ("http" or "https", as written), Host (with port) and Stem (the
	// path before the primary key, "" or e.g. "/some/stem") of the input.
	Scheme, Host, Stem string
	// Elements are the AIs in input order: the primary key, its key
	// qualifiers (path), then data attributes (query). Values are decoded.
	Elements []Element
	// PathLen is the number of Elements that came from the path.
	PathLen int
	// Ignored are the query parameters that are not GS1 AIs ("linkType=gs1:pip"),
	// as written, in input order.
	Ignored []string

	elemBuf [inlineElements]Element
	ignBuf  [inlineIgnored]string
}

// Inline capacities of URI: enough for a key, three qualifiers and two
// attributes, and for two non-AI query parameters, before slices spill to
// the heap (keeping the one allocation of a parse small).
const (
	inlineElements = 6
	inlineIgnored  = 2
)

// PrimaryKey is the primary key element.
func (u *URI) PrimaryKey() Element { return u.Elements[0] }

// Qualifiers are the key qualifiers, in path order.
func (u *URI) Qualifiers() []Element { return u.Elements[1:u.PathLen] }

// Attributes are the data attributes from the query string.
func (u *URI) Attributes() []Element { return u.Elements[u.PathLen:] }

// Value returns the value of ai in u and whether u carries it.
func (u *URI) Value(ai string) (string, bool) {
	for i := range u.Elements {
		if u.Elements[i].AI == ai {
			return u.Elements[i].Value, true
		}
	}
	return "", false
}

// Error is a syntax or validation error: what went wrong (Code, a stable
// machine-readable identifier such as "check-digit", listed in Codes and
// the package documentation), a message for people, the AI concerned (if
// any) and the byte offset in the input where it was found.
type Error struct {
	Code    string
	Message string
	AI      string
	Offset  int
}

// Error returns the message, so that *Error satisfies error.
func (e *Error) Error() string { return e.Message }
