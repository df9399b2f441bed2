package app

import (
	"context"
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
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

// CatalogRepository stores brands and products. Product writes also record
// a passport.product.changed event in the same transaction, and creations
// and deletions reach the resolver's index (the passport page link). The
// store sets versions and times; the use cases validate and authorise.
type CatalogRepository interface {
	// CreateBrand stores a new brand at version 1; Conflict when its id is
	// taken.
	CreateBrand(ctx context.Context, b catalog.Brand) (catalog.Brand, error)
	// UpdateBrand replaces the brand with b's id in one transaction: it
	// calls check with the stored brand (an error from check is returned
	// and nothing changes), then stores b's name and prefixes at the next
	// version. NotFound when there is no such brand.
	UpdateBrand(ctx context.Context, b catalog.Brand, check func(cur catalog.Brand) error) (catalog.Brand, error)
	// GetBrand returns a brand or a NotFound error.
	GetBrand(ctx context.Context, id string) (catalog.Brand, error)
	// ListBrands returns up to limit brands with ids after after, in id
	// order.
	ListBrands(ctx context.Context, after string, limit int) ([]catalog.Brand, error)
	// BrandsHoldingGTINs maps each of gtins that a brand's GS1 Company
	// Prefix covers to that brand's id (the longest prefix wins).
	BrandsHoldingGTINs(ctx context.Context, gtins []string) (map[string]string, error)

	// GetProduct returns a product or a NotFound error.
	GetProduct(ctx context.Context, gtin string) (catalog.Product, error)
	// ListProducts returns up to q.Limit products after q.After in GTIN
	// order.
	ListProducts(ctx context.Context, q ProductQuery) ([]catalog.Product, error)
	// PutProduct creates p or replaces the stored product with p's GTIN in
	// one transaction. It calls check with the stored product (nil when
	// there is none) first; an error from check is returned and nothing
	// changes. A replacement that changes nothing returns the stored
	// product with changed false. New products start at version 1, each
	// change adds one.
	PutProduct(ctx context.Context, p catalog.Product, check func(cur *catalog.Product) error) (stored catalog.Product, change Change, err error)
	// DeleteProduct deletes the product after check accepts the stored
	// one; NotFound when there is none.
	DeleteProduct(ctx context.Context, gtin string, check func(cur catalog.Product) error) error
	// ImportProducts creates or updates valid products in one transaction,
	// creating the brands in newBrands that do not exist yet, and stores cp
	// (when not nil) in the same transaction. Products whose brand and facts
	// equal the stored ones are left alone. Results are in the order of
	// products.
	ImportProducts(ctx context.Context, products []catalog.Product, newBrands []catalog.Brand, cp *Checkpoint) ([]Change, error)
	// Checkpoint returns the checkpoint of an unfinished import of source.
	Checkpoint(ctx context.Context, source string) (Checkpoint, bool, error)
	// FinishImport forgets source's checkpoint.
	FinishImport(ctx context.Context, source string) error
}

// Change says what a write did to one product.
type Change int

// The outcomes of a product write.
const (
	Unchanged Change = iota
	Created
	Updated
)

// ProductQuery selects products for ListProducts.
type ProductQuery struct {
	// After is the GTIN the page starts after ("" for the first page).
	After string
	// BrandID keeps products of this brand ("" for all).
	BrandID string
	// Limit is the largest number of products returned (at least 1).
	Limit int
}
