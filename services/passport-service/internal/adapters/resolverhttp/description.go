package resolverhttp

import (
	"encoding/json"
	"net/http"

	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// description is the resolver description file served at
// /.well-known/gs1resolver (GS1-Conformant Resolver 1.2 R21), shaped by
// GS1's description-file schema 1.2.0.
type description struct {
	Name         string `json:"name"`
	ResolverRoot string `json:"resolverRoot"`
	// SupportedPrimaryKeys are the primary keys of the GS1 Barcode Syntax
	// Dictionary (dlpkey): every one resolves.
	SupportedPrimaryKeys []string        `json:"supportedPrimaryKeys"`
	SupportedLinkType    []linkNamespace `json:"supportedLinkType"`
	// LinkTypeDefaultCanBeLinkset is false: a request without linkType is
	// redirected to the default link, never answered with the linkset.
	LinkTypeDefaultCanBeLinkset bool `json:"linkTypeDefaultCanBeLinkset"`
	// SupportedContextValuesEnumerated are the context values the public
	// links in the index use right now.
	SupportedContextValuesEnumerated []string `json:"supportedContextValuesEnumerated"`
	JSONLDContextLocation            string   `json:"jsonLdContextLocation"`
	Contact                          contact  `json:"contact"`
}

type linkNamespace struct {
	Namespace string `json:"namespace"`
	Prefix    string `json:"prefix"`
}

type contact struct {
	FN string `json:"fn"`
}

func (h *Handler) serveDescription(w http.ResponseWriter, r *http.Request) {
	d := description{
		Name:                             h.name,
		ResolverRoot:                     h.root,
		SupportedPrimaryKeys:             h.keys,
		SupportedLinkType:                []linkNamespace{{Namespace: resolver.Namespace, Prefix: resolver.Prefix}},
		SupportedContextValuesEnumerated: h.idx.Contexts(),
		JSONLDContextLocation:            LinksetContextURL,
		Contact:                          contact{FN: h.contact},
	}
	body, err := json.Marshal(d)
	if err != nil {
		problem.WriteError(w, r, err) // a plain 500; strings and a bool do not fail to encode
		return
	}
	hdr := w.Header()
	hdr["Content-Type"] = jsonType
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // the status is sent; a failed write has no one to tell
	}
}
