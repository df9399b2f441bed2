package apptest

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// CatalogFake is an in-memory app.CatalogRepository. Like the Postgres
// adapter, it records a passport.product.changed event for every product
// change (Published), so use-case tests can assert what would reach the
// outbox. Writes are serialised from their check to their last change, as
// the adapter's transactions are, while reads (also from within a check, as
// the use cases make them) go on.
type CatalogFake struct {
	writing     sync.Mutex // held by a write throughout
	mu          sync.Mutex // held while the maps are read or changed
	brands      map[string]catalog.Brand
	products    map[string]catalog.Product
	checkpoints map[string]app.Checkpoint
	published   []ProductChange
	now         func() time.Time
}

// ProductChange is a passport.product.changed event the fake published.
type ProductChange struct {
	GTIN string
	// Change is the event's change member: "created", "updated" or
	// "deleted".
	Change  string
	Version int64
	BrandID string
	// Product is the product as stored after the change (before it, for a
	// deletion).
	Product catalog.Product
}

var _ app.CatalogRepository = (*CatalogFake)(nil)

// NewCatalogFake returns an empty catalog.
func NewCatalogFake() *CatalogFake {
	return &CatalogFake{
		brands:      map[string]catalog.Brand{},
		products:    map[string]catalog.Product{},
		checkpoints: map[string]app.Checkpoint{},
		now:         time.Now,
	}
}

// Published returns the product changes published so far, oldest first.
func (r *CatalogFake) Published() []ProductChange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ProductChange, len(r.published))
	for i, c := range r.published {
		c.Product = cloneProduct(c.Product)
		out[i] = c
	}
	return out
}

// CreateBrand implements app.CatalogRepository.
func (r *CatalogFake) CreateBrand(ctx context.Context, b catalog.Brand) (catalog.Brand, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Brand{}, err
	}
	r.writing.Lock()
	defer r.writing.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.brands[b.ID]; ok {
		return catalog.Brand{}, fault.New(fault.Conflict, "Brand "+b.ID+" exists already.")
	}
	b = cloneBrand(b)
	b.Version, b.UpdatedAt = 1, r.now()
	r.brands[b.ID] = b
	return cloneBrand(b), nil
}

// UpdateBrand implements app.CatalogRepository.
func (r *CatalogFake) UpdateBrand(ctx context.Context, b catalog.Brand, check func(cur catalog.Brand) error) (catalog.Brand, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Brand{}, err
	}
	r.writing.Lock()
	defer r.writing.Unlock()
	r.mu.Lock()
	cur, ok := r.brands[b.ID]
	r.mu.Unlock()
	if !ok {
		return catalog.Brand{}, brandNotFound(b.ID)
	}
	if err := check(cloneBrand(cur)); err != nil {
		return catalog.Brand{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cur.Name, cur.Prefixes = b.Name, slices.Clone(b.Prefixes)
	cur.Version++
	cur.UpdatedAt = r.now()
	r.brands[b.ID] = cur
	return cloneBrand(cur), nil
}

// GetBrand implements app.CatalogRepository.
func (r *CatalogFake) GetBrand(ctx context.Context, id string) (catalog.Brand, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Brand{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.brands[id]
	if !ok {
		return catalog.Brand{}, brandNotFound(id)
	}
	return cloneBrand(b), nil
}

// ListBrands implements app.CatalogRepository.
func (r *CatalogFake) ListBrands(ctx context.Context, after string, limit int) ([]catalog.Brand, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []catalog.Brand
	for _, id := range slices.Sorted(maps.Keys(r.brands)) {
		if len(out) >= limit {
			break
		}
		if id > after {
			out = append(out, cloneBrand(r.brands[id]))
		}
	}
	return out, nil
}

// BrandsHoldingGTINs implements app.CatalogRepository.
func (r *CatalogFake) BrandsHoldingGTINs(ctx context.Context, gtins []string) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for _, g := range gtins {
		if len(g) != 14 {
			continue
		}
		best, bestLen := "", 0
		for _, id := range slices.Sorted(maps.Keys(r.brands)) {
			for _, p := range r.brands[id].Prefixes {
				if strings.HasPrefix(g[1:], p) && len(p) > bestLen {
					best, bestLen = id, len(p)
				}
			}
		}
		if best != "" {
			out[g] = best
		}
	}
	return out, nil
}

// GetProduct implements app.CatalogRepository.
func (r *CatalogFake) GetProduct(ctx context.Context, gtin string) (catalog.Product, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Product{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.products[gtin]
	if !ok {
		return catalog.Product{}, productNotFound(gtin)
	}
	return cloneProduct(p), nil
}

// ListProducts implements app.CatalogRepository.
func (r *CatalogFake) ListProducts(ctx context.Context, q app.ProductQuery) ([]catalog.Product, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []catalog.Product
	for _, g := range slices.Sorted(maps.Keys(r.products)) {
		if len(out) >= q.Limit {
			break
		}
		p := r.products[g]
		if g > q.After && (q.BrandID == "" || p.BrandID == q.BrandID) {
			out = append(out, cloneProduct(p))
		}
	}
	return out, nil
}

// PutProduct implements app.CatalogRepository.
func (r *CatalogFake) PutProduct(ctx context.Context, p catalog.Product, check func(cur *catalog.Product) error) (catalog.Product, app.Change, error) {
	if err := ctx.Err(); err != nil {
		return catalog.Product{}, app.Unchanged, err
	}
	r.writing.Lock()
	defer r.writing.Unlock()
	r.mu.Lock()
	var cur *catalog.Product
	if c, ok := r.products[p.GTIN]; ok {
		c = cloneProduct(c)
		cur = &c
	}
	r.mu.Unlock()
	if err := check(cur); err != nil {
		return catalog.Product{}, app.Unchanged, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.brands[p.BrandID]; !ok {
		return catalog.Product{}, app.Unchanged, unknownBrand()
	}
	stored, change := r.write(p)
	return cloneProduct(stored), change, nil
}

// write stores p as a creation or a replacement, or leaves the stored
// product alone when p changes nothing; r.mu is held.
func (r *CatalogFake) write(p catalog.Product) (catalog.Product, app.Change) {
	now := r.now()
	cur, exists := r.products[p.GTIN]
	p = cloneProduct(p)
	change := app.Created
	switch {
	case !exists:
		p.Version, p.CreatedAt, p.UpdatedAt = 1, now, now
	case cur.BrandID == p.BrandID && sameFacts(cur, p):
		return cur, app.Unchanged
	default:
		p.Version, p.CreatedAt, p.UpdatedAt = cur.Version+1, cur.CreatedAt, now
		change = app.Updated
	}
	r.products[p.GTIN] = p
	name := "created"
	if change == app.Updated {
		name = "updated"
	}
	r.published = append(r.published, ProductChange{GTIN: p.GTIN, Change: name, Version: p.Version, BrandID: p.BrandID,
		Product: cloneProduct(p)})
	return p, change
}

// DeleteProduct implements app.CatalogRepository.
func (r *CatalogFake) DeleteProduct(ctx context.Context, gtin string, check func(cur catalog.Product) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.writing.Lock()
	defer r.writing.Unlock()
	r.mu.Lock()
	cur, ok := r.products[gtin]
	r.mu.Unlock()
	if !ok {
		return productNotFound(gtin)
	}
	if err := check(cloneProduct(cur)); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.products, gtin)
	r.published = append(r.published, ProductChange{GTIN: gtin, Change: "deleted", Version: cur.Version, BrandID: cur.BrandID,
		Product: cloneProduct(cur)})
	return nil
}

// ImportProducts implements app.CatalogRepository.
func (r *CatalogFake) ImportProducts(ctx context.Context, products []catalog.Product, newBrands []catalog.Brand, cp *app.Checkpoint) ([]app.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.writing.Lock()
	defer r.writing.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	// Everything is checked before anything changes: the batch is one
	// transaction.
	seen := make(map[string]bool, len(products))
	for _, p := range products {
		if seen[p.GTIN] {
			return nil, fault.New(fault.Invalid, "product "+p.GTIN+" is given twice")
		}
		seen[p.GTIN] = true
		_, stored := r.brands[p.BrandID]
		if !stored && !slices.ContainsFunc(newBrands, func(b catalog.Brand) bool { return b.ID == p.BrandID }) {
			return nil, unknownBrand()
		}
	}
	now := r.now()
	for _, b := range newBrands {
		if _, ok := r.brands[b.ID]; !ok {
			r.brands[b.ID] = catalog.Brand{ID: b.ID, Name: b.Name, Prefixes: []string{}, Version: 1, UpdatedAt: now}
		}
	}
	changes := make([]app.Change, len(products))
	for i, p := range products {
		_, changes[i] = r.write(p)
	}
	if cp != nil {
		c := *cp
		c.UpdatedAt = now
		r.checkpoints[c.Source] = c
	}
	return changes, nil
}

// Checkpoint implements app.CatalogRepository.
func (r *CatalogFake) Checkpoint(ctx context.Context, source string) (app.Checkpoint, bool, error) {
	if err := ctx.Err(); err != nil {
		return app.Checkpoint{}, false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.checkpoints[source]
	return c, ok, nil
}

// FinishImport implements app.CatalogRepository.
func (r *CatalogFake) FinishImport(ctx context.Context, source string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.checkpoints, source)
	return nil
}

func brandNotFound(id string) error { return fault.New(fault.NotFound, "No brand has id "+id+".") }

func productNotFound(gtin string) error {
	return fault.New(fault.NotFound, "No product has GTIN "+gtin+".")
}

func unknownBrand() error {
	return fault.Validation("The product names an unknown brand.", fault.FieldError{Field: "/brand", Reason: "no such brand"})
}

// sameFacts reports whether a and b hold the same facts: everything but the
// GTIN, brand, version and times, with nil and empty lists and maps taken
// as equal. It is the equality by which a write changes nothing.
func sameFacts(a, b catalog.Product) bool {
	return reflect.DeepEqual(factsOf(a), factsOf(b))
}

// factsOf returns a copy of p with the fields that are no facts cleared and
// empty collections made nil.
func factsOf(p catalog.Product) catalog.Product {
	p = cloneProduct(p)
	p.GTIN, p.BrandID, p.Version, p.CreatedAt, p.UpdatedAt = "", "", 0, time.Time{}, time.Time{}
	if len(p.Names) == 0 {
		p.Names = nil
	}
	if len(p.Ingredients) == 0 {
		p.Ingredients = nil
	}
	if len(p.Categories) == 0 {
		p.Categories = nil
	}
	if len(p.Allergens) == 0 {
		p.Allergens = nil
	}
	if len(p.Traces) == 0 {
		p.Traces = nil
	}
	if len(p.Packaging) == 0 {
		p.Packaging = nil
	}
	r := &p.NutriScore
	if len(r.Components) == 0 {
		r.Components = nil
	}
	if len(r.Missing) == 0 {
		r.Missing = nil
	}
	if len(r.Assumed) == 0 {
		r.Assumed = nil
	}
	return p
}

func cloneBrand(b catalog.Brand) catalog.Brand {
	b.Prefixes = slices.Clone(b.Prefixes)
	if b.Prefixes == nil {
		b.Prefixes = []string{}
	}
	return b
}

// cloneProduct copies p deeply, so callers never share memory with the
// store.
func cloneProduct(p catalog.Product) catalog.Product {
	p.Names = maps.Clone(p.Names)
	p.Ingredients = maps.Clone(p.Ingredients)
	p.Categories = slices.Clone(p.Categories)
	p.Allergens = slices.Clone(p.Allergens)
	p.Traces = slices.Clone(p.Traces)
	p.Packaging = slices.Clone(p.Packaging)
	if p.NetContent != nil {
		q := *p.NetContent
		p.NetContent = &q
	}
	if p.Nutrition != nil {
		n := *p.Nutrition
		for _, f := range []**float64{&n.EnergyKJ, &n.EnergyKcal, &n.Fat, &n.SaturatedFat, &n.Carbohydrates, &n.Sugars,
			&n.Fibre, &n.Protein, &n.Salt, &n.Sodium, &n.FruitVegLegumes} {
			if *f != nil {
				v := **f
				*f = &v
			}
		}
		if n.NonNutritiveSweeteners != nil {
			v := *n.NonNutritiveSweeteners
			n.NonNutritiveSweeteners = &v
		}
		p.Nutrition = &n
	}
	p.NutriScore.Components = slices.Clone(p.NutriScore.Components)
	p.NutriScore.Missing = slices.Clone(p.NutriScore.Missing)
	p.NutriScore.Assumed = slices.Clone(p.NutriScore.Assumed)
	return p
}
