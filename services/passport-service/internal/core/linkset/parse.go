package linkset

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// Member names of a link context object that are not link types.
const (
	memberAnchor      = "anchor"
	memberDescription = "itemDescription"
	memberLinkset     = "linkset"
)

// Document is a decoded linkset document whose link-type keys have been
// renamed to their canonical URIs. Problems already found (keys that are no
// GS1 link type, two spellings of one link type) are in Problems.
type Document struct {
	tree any
	// renamed maps, per context object index, a canonical link type to the
	// key it had in the document.
	renamed map[int]map[string]string
	// Problems holds what Parse found wrong; later steps add to it.
	Problems Problems
}

// Parse decodes doc (JSON) and renames every link-type key of each context
// object to its canonical URI. Keys that are no GS1 Web Vocabulary link type
// are recorded in Problems and left out of the tree, so schema validation
// reports only what remains. A document that is not JSON, or holds more
// than MaxAnchors context objects, is an Invalid error.
func Parse(doc []byte) (*Document, error) {
	var p Problems
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		p.Add("body", jsonReason(err))
		return nil, p.Err()
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		p.Add("body", "holds more than one JSON value")
		return nil, p.Err()
	}
	d := &Document{tree: tree, renamed: map[int]map[string]string{}}
	root, ok := tree.(map[string]any)
	if !ok {
		return d, nil // the schema says what is wrong
	}
	contexts, ok := root[memberLinkset].([]any)
	if !ok {
		return d, nil
	}
	if len(contexts) > MaxAnchors {
		p.Add(Pointer(memberLinkset), "holds "+strconv.Itoa(len(contexts))+" anchors; at most "+
			strconv.Itoa(MaxAnchors)+" are allowed in one upload")
		return nil, p.Err()
	}
	for i, c := range contexts {
		obj, ok := c.(map[string]any)
		if !ok {
			continue
		}
		contexts[i] = d.normalize(i, obj)
	}
	return d, nil
}

// normalize returns obj with its link-type keys canonical.
func (d *Document) normalize(i int, obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	idx := strconv.Itoa(i)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // problems in a stable order
	for _, k := range keys {
		if k == memberAnchor || k == memberDescription {
			out[k] = obj[k]
			continue
		}
		canonical, ok := resolver.NormalizeLinkType(k)
		if !ok {
			d.Problems.Add(Pointer(memberLinkset, idx, k),
				"is not a GS1 Web Vocabulary link type; use one such as https://gs1.org/voc/pip or gs1:pip")
			continue
		}
		if _, dup := out[canonical]; dup {
			d.Problems.Add(Pointer(memberLinkset, idx, k),
				"names link type "+canonical+" again, in another spelling; list its links under one key")
			continue
		}
		out[canonical] = obj[k]
		if canonical != k {
			if d.renamed[i] == nil {
				d.renamed[i] = map[string]string{}
			}
			d.renamed[i][canonical] = k
		}
	}
	return out
}

// Tree is the decoded document with canonical link-type keys, as
// encoding/json decodes JSON with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil. It is for schema validation; do not modify it.
func (d *Document) Tree() any { return d.tree }

// Pointer renders a location in Tree (as reference tokens) as a JSON pointer
// into the document as it was sent: a renamed link-type key gets its
// original spelling back.
func (d *Document) Pointer(tokens []string) string {
	if len(tokens) >= 3 && tokens[0] == memberLinkset {
		if i, err := strconv.Atoi(tokens[1]); err == nil {
			if orig, ok := d.renamed[i][tokens[2]]; ok {
				t := slices.Clone(tokens)
				t[2] = orig
				return Pointer(t...)
			}
		}
	}
	return Pointer(tokens...)
}

// key gives the original spelling of a canonical link-type key of context i.
func (d *Document) key(i int, canonical string) string {
	if orig, ok := d.renamed[i][canonical]; ok {
		return orig
	}
	return canonical
}

func jsonReason(err error) string {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return "is not valid JSON: " + syn.Error() + " (at byte " + strconv.FormatInt(syn.Offset, 10) + ")"
	case errors.Is(err, io.EOF):
		return "is empty; send a linkset document"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "is not valid JSON: it ends too early"
	}
	return "is not valid JSON"
}
