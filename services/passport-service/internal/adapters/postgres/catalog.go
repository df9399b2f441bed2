package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka"
	pg "github.com/packytrace/packytrace/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres/internal/passportdb"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// Event type and producer of catalog changes.
const (
	ProductChangedType    = "passport.product.changed"
	ProductChangedVersion = 1
	producer              = "passport-service"
)

// CatalogRepository stores brands and products in Postgres and records a
// passport.product.changed event in the outbox in the transaction of every
// product change. Product creations and deletions take the anchor writers'
// advisory lock and a change sequence number, and notify ChangeChannel, so
// every replica's resolver index learns about the passport page link.
type CatalogRepository struct {
	pool   *pgxpool.Pool
	outbox *kafka.Outbox
	now    func() time.Time
}

var _ app.CatalogRepository = (*CatalogRepository)(nil)

// NewCatalogRepository returns the store on pool, writing events to outbox.
func NewCatalogRepository(pool *pgxpool.Pool, outbox *kafka.Outbox) *CatalogRepository {
	return &CatalogRepository{pool: pool, outbox: outbox, now: time.Now}
}

// CreateBrand implements app.CatalogRepository.
func (r *CatalogRepository) CreateBrand(ctx context.Context, b catalog.Brand) (catalog.Brand, error) {
	row, err := passportdb.New(r.pool).InsertBrand(ctx, passportdb.InsertBrandParams{ID: b.ID, Name: b.Name, Prefixes: nonNil(b.Prefixes)})
	if err != nil {
		err = pg.Classify(fmt.Errorf("postgres: create brand: %w", err))
		if fault.Is(err, fault.Conflict) {
			return catalog.Brand{}, fault.New(fault.Conflict, "Brand "+b.ID+" exists already.")
		}
		return catalog.Brand{}, err
	}
	return toBrand(row.ID, row.Name, row.Prefixes, row.Version, row.UpdatedAt), nil
}

// UpdateBrand implements app.CatalogRepository.
func (r *CatalogRepository) UpdateBrand(ctx context.Context, b catalog.Brand, check func(cur catalog.Brand) error) (catalog.Brand, error) {
	var out catalog.Brand
	var checkErr error
	err := pg.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := passportdb.New(tx)
		cur, err := q.GetBrandForUpdate(ctx, b.ID)
		if err != nil {
			return err
		}
		if checkErr = check(toBrand(cur.ID, cur.Name, cur.Prefixes, cur.Version, cur.UpdatedAt)); checkErr != nil {
			return checkErr
		}
		row, err := q.UpdateBrand(ctx, passportdb.UpdateBrandParams{ID: b.ID, Name: b.Name, Prefixes: nonNil(b.Prefixes)})
		if err != nil {
			return err
		}
		out = toBrand(row.ID, row.Name, row.Prefixes, row.Version, row.UpdatedAt)
		return nil
	})
	switch {
	case checkErr != nil && errors.Is(err, checkErr):
		return catalog.Brand{}, err
	case errors.Is(err, pgx.ErrNoRows):
		return catalog.Brand{}, fault.Wrap(fault.NotFound, err, "No brand has id "+b.ID+".")
	case err != nil:
		return catalog.Brand{}, pg.Classify(fmt.Errorf("postgres: update brand: %w", err))
	}
	return out, nil
}

// GetBrand implements app.CatalogRepository.
func (r *CatalogRepository) GetBrand(ctx context.Context, id string) (catalog.Brand, error) {
	row, err := passportdb.New(r.pool).GetBrand(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return catalog.Brand{}, fault.Wrap(fault.NotFound, err, "No brand has id "+id+".")
	}
	if err != nil {
		return catalog.Brand{}, pg.Classify(fmt.Errorf("postgres: get brand: %w", err))
	}
	return toBrand(row.ID, row.Name, row.Prefixes, row.Version, row.UpdatedAt), nil
}

// ListBrands implements app.CatalogRepository.
func (r *CatalogRepository) ListBrands(ctx context.Context, after string, limit int) ([]catalog.Brand, error) {
	rows, err := passportdb.New(r.pool).ListBrands(ctx, passportdb.ListBrandsParams{After: after, RowLimit: int32(limit)})
	if err != nil {
		return nil, pg.Classify(fmt.Errorf("postgres: list brands: %w", err))
	}
	out := make([]catalog.Brand, len(rows))
	for i, row := range rows {
		out[i] = toBrand(row.ID, row.Name, row.Prefixes, row.Version, row.UpdatedAt)
	}
	return out, nil
}

// BrandsHoldingGTINs implements app.CatalogRepository.
func (r *CatalogRepository) BrandsHoldingGTINs(ctx context.Context, gtins []string) (map[string]string, error) {
	out := map[string]string{}
	if len(gtins) == 0 {
		return out, nil
	}
	rows, err := passportdb.New(r.pool).BrandsHoldingGTINs(ctx, gtins)
	if err != nil {
		return nil, pg.Classify(fmt.Errorf("postgres: brands holding GTINs: %w", err))
	}
	for _, row := range rows {
		out[row.Gtin] = row.ID
	}
	return out, nil
}

// GetProduct implements app.CatalogRepository.
func (r *CatalogRepository) GetProduct(ctx context.Context, gtin string) (catalog.Product, error) {
	row, err := passportdb.New(r.pool).GetProduct(ctx, gtin)
	if errors.Is(err, pgx.ErrNoRows) {
		return catalog.Product{}, fault.Wrap(fault.NotFound, err, "No product has GTIN "+gtin+".")
	}
	if err != nil {
		return catalog.Product{}, pg.Classify(fmt.Errorf("postgres: get product: %w", err))
	}
	return toProduct(row.Gtin, row.BrandID, row.Doc, row.Version, row.CreatedAt, row.UpdatedAt)
}

// ListProducts implements app.CatalogRepository.
func (r *CatalogRepository) ListProducts(ctx context.Context, q app.ProductQuery) ([]catalog.Product, error) {
	rows, err := passportdb.New(r.pool).ListProducts(ctx, passportdb.ListProductsParams{After: q.After, BrandID: q.BrandID, RowLimit: int32(q.Limit)})
	if err != nil {
		return nil, pg.Classify(fmt.Errorf("postgres: list products: %w", err))
	}
	out := make([]catalog.Product, len(rows))
	for i, row := range rows {
		if out[i], err = toProduct(row.Gtin, row.BrandID, row.Doc, row.Version, row.CreatedAt, row.UpdatedAt); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PutProduct implements app.CatalogRepository.
func (r *CatalogRepository) PutProduct(ctx context.Context, p catalog.Product, check func(cur *catalog.Product) error) (catalog.Product, app.Change, error) {
	doc, err := encodeDoc(&p)
	if err != nil {
		return catalog.Product{}, app.Unchanged, err
	}
	var out catalog.Product
	change := app.Unchanged
	var checkErr error
	err = pg.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := passportdb.New(tx)
		if err := q.LockAnchorWrites(ctx, writeLockKey); err != nil {
			return err
		}
		row, err := q.GetProductForUpdate(ctx, p.GTIN)
		var cur *catalog.Product
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			c, err := toProduct(row.Gtin, row.BrandID, row.Doc, row.Version, row.CreatedAt, row.UpdatedAt)
			if err != nil {
				return err
			}
			cur = &c
		}
		if checkErr = check(cur); checkErr != nil {
			return checkErr
		}
		if cur == nil {
			ins, err := q.InsertProduct(ctx, passportdb.InsertProductParams{Gtin: p.GTIN, BrandID: p.BrandID, Doc: doc})
			if err != nil {
				return err
			}
			if err := q.DeleteProductTombstones(ctx, []string{p.GTIN}); err != nil {
				return err
			}
			if err := notify(ctx, q, ins.AnchorSeq); err != nil {
				return err
			}
			out, change = p, app.Created
			out.Version, out.CreatedAt, out.UpdatedAt = ins.Version, ins.CreatedAt, ins.UpdatedAt
		} else {
			stored, err := encodeDoc(cur)
			if err != nil {
				return err
			}
			if cur.BrandID == p.BrandID && bytes.Equal(stored, doc) {
				out = *cur
				return nil
			}
			upd, err := q.UpdateProduct(ctx, passportdb.UpdateProductParams{Gtin: p.GTIN, BrandID: p.BrandID, Doc: doc})
			if err != nil {
				return err
			}
			out, change = p, app.Updated
			out.Version, out.CreatedAt, out.UpdatedAt = upd.Version, upd.CreatedAt, upd.UpdatedAt
		}
		return r.publish(ctx, tx, q, []catalog.Product{out}, []app.Change{change})
	})
	switch {
	case checkErr != nil && errors.Is(err, checkErr):
		return catalog.Product{}, app.Unchanged, err
	case err != nil:
		return catalog.Product{}, app.Unchanged, r.classifyWrite("put product", err)
	}
	return out, change, nil
}

// DeleteProduct implements app.CatalogRepository.
func (r *CatalogRepository) DeleteProduct(ctx context.Context, gtin string, check func(cur catalog.Product) error) error {
	var checkErr error
	err := pg.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := passportdb.New(tx)
		if err := q.LockAnchorWrites(ctx, writeLockKey); err != nil {
			return err
		}
		row, err := q.GetProductForUpdate(ctx, gtin)
		if err != nil {
			return err
		}
		cur, err := toProduct(row.Gtin, row.BrandID, row.Doc, row.Version, row.CreatedAt, row.UpdatedAt)
		if err != nil {
			return err
		}
		if checkErr = check(cur); checkErr != nil {
			return checkErr
		}
		if err := q.DeleteProduct(ctx, gtin); err != nil {
			return err
		}
		seq, err := q.InsertProductTombstone(ctx, gtin)
		if err != nil {
			return err
		}
		if err := notify(ctx, q, seq); err != nil {
			return err
		}
		return r.publishDeleted(ctx, tx, q, cur)
	})
	switch {
	case checkErr != nil && errors.Is(err, checkErr):
		return err
	case errors.Is(err, pgx.ErrNoRows):
		return fault.Wrap(fault.NotFound, err, "No product has GTIN "+gtin+".")
	case err != nil:
		return r.classifyWrite("delete product", err)
	}
	return nil
}

// ImportProducts implements app.CatalogRepository.
func (r *CatalogRepository) ImportProducts(ctx context.Context, products []catalog.Product, newBrands []catalog.Brand, cp *app.Checkpoint) ([]app.Change, error) {
	p := passportdb.UpsertProductsParams{
		Gtins:    make([]string, len(products)),
		BrandIds: make([]string, len(products)),
		Docs:     make([][]byte, len(products)),
	}
	index := make(map[string]int, len(products))
	for i := range products {
		doc, err := encodeDoc(&products[i])
		if err != nil {
			return nil, err
		}
		if _, dup := index[products[i].GTIN]; dup {
			return nil, fault.New(fault.Invalid, "product "+products[i].GTIN+" is given twice")
		}
		index[products[i].GTIN] = i
		p.Gtins[i], p.BrandIds[i], p.Docs[i] = products[i].GTIN, products[i].BrandID, doc
	}
	changes := make([]app.Change, len(products))
	err := pg.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := passportdb.New(tx)
		if len(newBrands) > 0 {
			ids, names := make([]string, len(newBrands)), make([]string, len(newBrands))
			for i, b := range newBrands {
				ids[i], names[i] = b.ID, b.Name
			}
			if err := q.EnsureBrands(ctx, passportdb.EnsureBrandsParams{Ids: ids, Names: names}); err != nil {
				return err
			}
		}
		if len(products) > 0 {
			if err := q.LockAnchorWrites(ctx, writeLockKey); err != nil {
				return err
			}
			rows, err := q.UpsertProducts(ctx, p)
			if err != nil {
				return err
			}
			var created []string
			var lastSeq int64
			changed := make([]catalog.Product, 0, len(rows))
			kinds := make([]app.Change, 0, len(rows))
			for _, row := range rows {
				i := index[row.Gtin]
				prod := products[i]
				prod.Version, prod.CreatedAt, prod.UpdatedAt = row.Version, row.CreatedAt, row.UpdatedAt
				if row.Created {
					changes[i] = app.Created
					created = append(created, row.Gtin)
					lastSeq = max(lastSeq, row.AnchorSeq)
				} else {
					changes[i] = app.Updated
				}
				changed = append(changed, prod)
				kinds = append(kinds, changes[i])
			}
			if len(created) > 0 {
				if err := q.DeleteProductTombstones(ctx, created); err != nil {
					return err
				}
				if err := notify(ctx, q, lastSeq); err != nil {
					return err
				}
			}
			if err := r.publish(ctx, tx, q, changed, kinds); err != nil {
				return err
			}
		}
		if cp != nil {
			return q.UpsertCheckpoint(ctx, passportdb.UpsertCheckpointParams{Source: cp.Source, ByteOffset: cp.Offset, Records: cp.Records})
		}
		return nil
	})
	if err != nil {
		return nil, r.classifyWrite("import products", err)
	}
	return changes, nil
}

// Checkpoint implements app.CatalogRepository.
func (r *CatalogRepository) Checkpoint(ctx context.Context, source string) (app.Checkpoint, bool, error) {
	row, err := passportdb.New(r.pool).GetCheckpoint(ctx, source)
	if errors.Is(err, pgx.ErrNoRows) {
		return app.Checkpoint{}, false, nil
	}
	if err != nil {
		return app.Checkpoint{}, false, pg.Classify(fmt.Errorf("postgres: get checkpoint: %w", err))
	}
	return app.Checkpoint{Source: row.Source, Offset: row.ByteOffset, Records: row.Records, UpdatedAt: row.UpdatedAt}, true, nil
}

// FinishImport implements app.CatalogRepository.
func (r *CatalogRepository) FinishImport(ctx context.Context, source string) error {
	if err := passportdb.New(r.pool).DeleteCheckpoint(ctx, source); err != nil {
		return pg.Classify(fmt.Errorf("postgres: delete checkpoint: %w", err))
	}
	return nil
}

// publish adds a passport.product.changed event per changed product.
func (r *CatalogRepository) publish(ctx context.Context, tx pgx.Tx, q *passportdb.Queries, products []catalog.Product, kinds []app.Change) error {
	if len(products) == 0 {
		return nil
	}
	names, err := r.brandNames(ctx, q, products)
	if err != nil {
		return err
	}
	now := r.now()
	envs := make([]events.Envelope, len(products))
	for i := range products {
		p := &products[i]
		data := productChangedData(p, kinds[i], names[p.BrandID])
		if envs[i], err = events.New(ProductChangedType, ProductChangedVersion, producer, p.GTIN, data, now); err != nil {
			return err
		}
	}
	return r.outbox.Add(ctx, tx, envs...)
}

func (r *CatalogRepository) publishDeleted(ctx context.Context, tx pgx.Tx, q *passportdb.Queries, p catalog.Product) error {
	names, err := r.brandNames(ctx, q, []catalog.Product{p})
	if err != nil {
		return err
	}
	data := productChangedV1{GTIN: p.GTIN, Change: "deleted", Version: p.Version, Brand: brandRefV1{ID: p.BrandID, Name: names[p.BrandID]}}
	env, err := events.New(ProductChangedType, ProductChangedVersion, producer, p.GTIN, data, r.now())
	if err != nil {
		return err
	}
	return r.outbox.Add(ctx, tx, env)
}

func (r *CatalogRepository) brandNames(ctx context.Context, q *passportdb.Queries, products []catalog.Product) (map[string]string, error) {
	ids := make([]string, 0, 4)
	seen := map[string]bool{}
	for i := range products {
		if id := products[i].BrandID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows, err := q.BrandsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(rows))
	for _, row := range rows {
		names[row.ID] = row.Name
	}
	return names, nil
}

func productChangedData(p *catalog.Product, kind app.Change, brandName string) productChangedV1 {
	d := toDoc(p)
	c := "updated"
	if kind == app.Created {
		c = "created"
	}
	ns := &nutriScoreV1{Status: d.NutriScore.Status, Class: d.NutriScore.Class, Grade: d.NutriScore.Grade}
	if ns.Status == "computed" {
		score := d.NutriScore.Score
		ns.Score = &score
	}
	return productChangedV1{
		GTIN: p.GTIN, Change: c, Version: p.Version, Brand: brandRefV1{ID: p.BrandID, Name: brandName},
		Names: d.Names, NetContent: d.NetContent, Category: d.Category, Categories: d.Categories,
		Allergens: d.Allergens, Traces: d.Traces, Nutrition: d.Nutrition, NutriScore: ns,
		UpdatedAt: p.UpdatedAt.UTC().Format(time.RFC3339Nano),
	}
}

// classifyWrite maps a failed write: a product naming a brand that does
// not exist is the caller's mistake.
func (r *CatalogRepository) classifyWrite(what string, err error) error {
	if fault.KindOf(err) != fault.Internal {
		return err
	}
	err = pg.Classify(fmt.Errorf("postgres: %s: %w", what, err))
	if pg.IsForeignKeyViolation(err) {
		return fault.Validation("The product names an unknown brand.", fault.FieldError{Field: "/brand", Reason: "no such brand"})
	}
	return err
}

func toBrand(id, name string, prefixes []string, version int64, updated time.Time) catalog.Brand {
	if prefixes == nil {
		prefixes = []string{}
	}
	return catalog.Brand{ID: id, Name: name, Prefixes: prefixes, Version: version, UpdatedAt: updated}
}

func toProduct(gtin, brandID string, doc []byte, version int64, created, updated time.Time) (catalog.Product, error) {
	p := catalog.Product{GTIN: gtin, BrandID: brandID, Version: version, CreatedAt: created, UpdatedAt: updated}
	if err := decodeDoc(doc, &p); err != nil {
		return catalog.Product{}, err
	}
	return p, nil
}
