package app

import (
	"context"
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// AnchorRepository stores anchors and their links; it is the source of
// truth the resolver's in-memory index follows. Keys are canonical
// Digital Link paths ("/01/09506000134352/10/LOT1").
//
// Writes (ReplaceAnchors, DeleteAnchor) are serialised with one another, so
// a check callback sees stored data no other write can change before the
// write commits.
type AnchorRepository interface {
	// ReplaceAnchors stores anchors in one transaction: each anchor's brand,
	// description and links replace what is stored under its key, or it is
	// created. Before writing, it calls check with the stored anchors under
	// the keys in lookup (keys not stored are absent from the map); when
	// check returns an error nothing is written and that error is returned.
	// Results are in the order of anchors.
	ReplaceAnchors(ctx context.Context, anchors []resolver.Anchor, lookup []string,
		check func(stored map[string]*resolver.Anchor) error) ([]WriteResult, error)
	// GetAnchor returns the anchor stored under key, or a NotFound error.
	GetAnchor(ctx context.Context, key string) (StoredAnchor, error)
	// ListAnchors returns up to q.Limit anchors matching q, ordered by key.
	ListAnchors(ctx context.Context, q AnchorQuery) ([]StoredAnchor, error)
	// DeleteAnchor deletes the anchor stored under key in one transaction,
	// or returns a NotFound error. Before committing it calls check with
	// facts about the levels around key (ancestors are the keys of the
	// levels above it); an error from check undoes the delete and is
	// returned.
	DeleteAnchor(ctx context.Context, key string, ancestors []string, check func(DeleteFacts) error) error
}

// LinksetSchema validates a decoded linkset document (see
// linkset.Document.Tree) against GS1's linkset JSON schema.
type LinksetSchema interface {
	// Validate returns every schema violation, empty for a valid document.
	Validate(doc any) []SchemaViolation
}

// SchemaViolation is one place where a document breaks the schema.
type SchemaViolation struct {
	// Path holds the JSON pointer's reference tokens, unescaped
	// (["linkset", "0", "anchor"]); empty for the document itself.
	Path   []string
	Reason string
}

// StoredAnchor is an anchor as stored, with the time of its last change.
type StoredAnchor struct {
	resolver.Anchor
	UpdatedAt time.Time
}

// WriteResult says what an upload did to one anchor.
type WriteResult struct {
	Key string
	// Created is true for a new anchor, false when its links were replaced.
	Created bool
	// Links is the number of links the anchor has now.
	Links int
}

// AnchorQuery selects anchors for ListAnchors. Empty fields do not filter.
type AnchorQuery struct {
	// After is the key the page starts after ("" for the first page).
	After string
	// KeyPrefix keeps keys that start with it ("/01/09506000134352" for a
	// GTIN and everything beneath it).
	KeyPrefix string
	// Brand keeps anchors stored with this brand.
	Brand string
	// Companies, when not nil, keeps anchors whose company part
	// (linkset.CompanyPart) starts with one of them; an empty, non-nil
	// slice keeps nothing.
	Companies []string
	// Limit is the largest number of anchors returned (at least 1).
	Limit int
}

// DeleteFacts describe the levels around an anchor about to be deleted.
type DeleteFacts struct {
	// AncestorHasDefault is true when a stored level above the anchor has
	// a gs1:defaultLink.
	AncestorHasDefault bool
	// Dependent is the key of a stored anchor beneath the anchor that has
	// no gs1:defaultLink of its own, or "" when there is none.
	Dependent string
}
