package httpapi

import (
	"context"
	"errors"
	"io"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/offimport"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// CatalogService is what the catalog endpoints need of the core
// (app.Service).
type CatalogService interface {
	CreateBrand(ctx context.Context, actor app.Actor, b catalog.Brand) (catalog.Brand, error)
	UpdateBrand(ctx context.Context, actor app.Actor, b catalog.Brand, pre app.Precondition) (catalog.Brand, error)
	GetBrand(ctx context.Context, id string) (catalog.Brand, error)
	ListBrands(ctx context.Context, cursor string, limit int) (app.BrandPage, error)
	GetProduct(ctx context.Context, gtin string) (catalog.Product, error)
	ListProducts(ctx context.Context, brandID, cursor string, limit int) (app.ProductPage, error)
	PutProduct(ctx context.Context, actor app.Actor, p catalog.Product, pre app.Precondition) (catalog.Product, app.Change, error)
	DeleteProduct(ctx context.Context, actor app.Actor, gtin string, pre app.Precondition) error
	AuthorizeImport(actor app.Actor) error
	ImportProducts(ctx context.Context, actor app.Actor, batch app.ImportBatch) (app.ImportResult, error)
}

var _ CatalogService = (*app.Service)(nil)

// ListBrands returns a page of brands.
func (s *Server) ListBrands(ctx context.Context, req oapigen.ListBrandsRequestObject) (oapigen.ListBrandsResponseObject, error) {
	page, err := s.catalog.ListBrands(ctx, deref(req.Params.Cursor), derefInt(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	out := oapigen.BrandPage{Items: make([]oapigen.Brand, len(page.Items))}
	for i, b := range page.Items {
		out.Items[i] = toAPIBrand(b)
	}
	out.NextCursor = optional(page.Next)
	return oapigen.ListBrands200JSONResponse(out), nil
}

// CreateBrand creates a brand.
func (s *Server) CreateBrand(ctx context.Context, req oapigen.CreateBrandRequestObject) (oapigen.CreateBrandResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if req.Body == nil || req.Body.Id == nil {
		return nil, fault.Validation("The brand has invalid fields.", fault.FieldError{Field: "/id", Reason: "is required to create a brand"})
	}
	b, err := s.catalog.CreateBrand(ctx, who, toBrand(*req.Body.Id, req.Body))
	if err != nil {
		return nil, err
	}
	tag := app.ETag(b.Version)
	return oapigen.CreateBrand201JSONResponse{Body: toAPIBrand(b), Headers: oapigen.CreateBrand201ResponseHeaders{ETag: &tag}}, nil
}

// GetBrand returns a brand.
func (s *Server) GetBrand(ctx context.Context, req oapigen.GetBrandRequestObject) (oapigen.GetBrandResponseObject, error) {
	b, err := s.catalog.GetBrand(ctx, req.Brand)
	if err != nil {
		return nil, err
	}
	tag := app.ETag(b.Version)
	return oapigen.GetBrand200JSONResponse{Body: toAPIBrand(b), Headers: oapigen.GetBrand200ResponseHeaders{ETag: &tag}}, nil
}

// UpdateBrand replaces a brand's name and prefixes.
func (s *Server) UpdateBrand(ctx context.Context, req oapigen.UpdateBrandRequestObject) (oapigen.UpdateBrandResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		return nil, fault.Validation("The request has no brand.", fault.FieldError{Field: "body", Reason: "is required"})
	}
	if req.Body.Id != nil && *req.Body.Id != req.Brand {
		return nil, fault.Validation("The brand has invalid fields.", fault.FieldError{Field: "/id", Reason: "must equal the brand id in the path"})
	}
	b, err := s.catalog.UpdateBrand(ctx, who, toBrand(req.Brand, req.Body), precondition(req.Params.IfMatch, false))
	if err != nil {
		return nil, err
	}
	tag := app.ETag(b.Version)
	return oapigen.UpdateBrand200JSONResponse{Body: toAPIBrand(b), Headers: oapigen.UpdateBrand200ResponseHeaders{ETag: &tag}}, nil
}

// ListProducts returns a page of products.
func (s *Server) ListProducts(ctx context.Context, req oapigen.ListProductsRequestObject) (oapigen.ListProductsResponseObject, error) {
	page, err := s.catalog.ListProducts(ctx, deref(req.Params.Brand), deref(req.Params.Cursor), derefInt(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	out := oapigen.ProductPage{Items: make([]oapigen.Product, len(page.Items))}
	for i := range page.Items {
		out.Items[i] = toAPIProduct(&page.Items[i])
	}
	out.NextCursor = optional(page.Next)
	return oapigen.ListProducts200JSONResponse(out), nil
}

// GetProduct returns a product.
func (s *Server) GetProduct(ctx context.Context, req oapigen.GetProductRequestObject) (oapigen.GetProductResponseObject, error) {
	p, err := s.catalog.GetProduct(ctx, req.Gtin)
	if err != nil {
		return nil, err
	}
	tag := app.ETag(p.Version)
	return oapigen.GetProduct200JSONResponse{Body: toAPIProduct(&p), Headers: oapigen.GetProduct200ResponseHeaders{ETag: &tag}}, nil
}

// PutProduct creates or replaces a product.
func (s *Server) PutProduct(ctx context.Context, req oapigen.PutProductRequestObject) (oapigen.PutProductResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		return nil, fault.Validation("The request has no product.", fault.FieldError{Field: "body", Reason: "is required"})
	}
	p := toProduct(req.Gtin, req.Body)
	pre := precondition(req.Params.IfMatch, req.Params.IfNoneMatch != nil)
	stored, change, err := s.catalog.PutProduct(ctx, who, p, pre)
	if err != nil {
		return nil, err
	}
	tag := app.ETag(stored.Version)
	if change == app.Created {
		return oapigen.PutProduct201JSONResponse{Body: toAPIProduct(&stored), Headers: oapigen.PutProduct201ResponseHeaders{ETag: &tag}}, nil
	}
	return oapigen.PutProduct200JSONResponse{Body: toAPIProduct(&stored), Headers: oapigen.PutProduct200ResponseHeaders{ETag: &tag}}, nil
}

// DeleteProduct deletes a product.
func (s *Server) DeleteProduct(ctx context.Context, req oapigen.DeleteProductRequestObject) (oapigen.DeleteProductResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.catalog.DeleteProduct(ctx, who, req.Gtin, precondition(req.Params.IfMatch, false)); err != nil {
		return nil, err
	}
	return oapigen.DeleteProduct204Response{}, nil
}

func precondition(ifMatch *string, createOnly bool) app.Precondition {
	pre := app.Precondition{CreateOnly: createOnly}
	if ifMatch != nil {
		pre = app.ParseETags(*ifMatch)
		pre.CreateOnly = createOnly
	}
	return pre
}

func toBrand(id string, in *oapigen.BrandInput) catalog.Brand {
	b := catalog.Brand{ID: id, Name: in.Name}
	if in.Prefixes != nil {
		b.Prefixes = *in.Prefixes
	}
	return b
}

func toAPIBrand(b catalog.Brand) oapigen.Brand {
	prefixes := b.Prefixes
	if prefixes == nil {
		prefixes = []string{}
	}
	return oapigen.Brand{Id: b.ID, Name: b.Name, Prefixes: prefixes, Version: b.Version, UpdatedAt: b.UpdatedAt.UTC()}
}

func toProduct(gtin string, in *oapigen.ProductInput) catalog.Product {
	p := catalog.Product{
		GTIN: gtin, BrandID: in.Brand, Names: in.Names, Category: deref(in.Category),
		Origin: deref(in.Origin), ImageURL: deref(in.ImageUrl), Attribution: deref(in.Attribution),
	}
	if in.Categories != nil {
		p.Categories = *in.Categories
	}
	if in.NutriScoreClass != nil {
		p.NutriScoreClass = nutriscore.Class(*in.NutriScoreClass)
	}
	if in.Ingredients != nil {
		p.Ingredients = *in.Ingredients
	}
	if q := in.NetContent; q != nil {
		p.NetContent = &catalog.Quantity{Value: q.Value, Unit: catalog.Unit(q.Unit)}
	}
	if in.Allergens != nil {
		for _, a := range *in.Allergens {
			p.Allergens = append(p.Allergens, catalog.Allergen(a))
		}
	}
	if in.Traces != nil {
		for _, a := range *in.Traces {
			p.Traces = append(p.Traces, catalog.Allergen(a))
		}
	}
	if n := in.Nutrition; n != nil {
		p.Nutrition = &catalog.Nutrition{Per: catalog.Per(n.Per), EnergyKJ: n.EnergyKj, EnergyKcal: n.EnergyKcal, Fat: n.Fat,
			SaturatedFat: n.SaturatedFat, Carbohydrates: n.Carbohydrates, Sugars: n.Sugars, Fibre: n.Fibre,
			Protein: n.Protein, Salt: n.Salt, Sodium: n.Sodium, FruitVegLegumes: n.FruitVegLegumes,
			NonNutritiveSweeteners: n.NonNutritiveSweeteners}
	}
	if in.Packaging != nil {
		for _, c := range *in.Packaging {
			count := 1
			if c.Count != nil {
				count = *c.Count
			}
			p.Packaging = append(p.Packaging, catalog.PackagingComponent{Shape: deref(c.Shape), Material: deref(c.Material),
				Recycling: deref(c.Recycling), Count: count})
		}
	}
	return p
}

func toAPIProduct(p *catalog.Product) oapigen.Product {
	out := oapigen.Product{
		Gtin: p.GTIN, Brand: p.BrandID, Names: p.Names, Category: optional(p.Category),
		Origin: optional(p.Origin), ImageUrl: optional(p.ImageURL), Attribution: optional(p.Attribution),
		Allergens: apiAllergens(p.Allergens), Traces: apiAllergens(p.Traces), Packaging: []oapigen.PackagingComponent{},
		NutriScore: toAPINutriScore(p.NutriScore), Version: p.Version,
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
	}
	if out.Names == nil {
		out.Names = oapigen.LangText{}
	}
	if len(p.Categories) > 0 {
		out.Categories = &p.Categories
	}
	if p.NutriScoreClass != "" {
		c := oapigen.NutriScoreClass(p.NutriScoreClass)
		out.NutriScoreClass = &c
	}
	if len(p.Ingredients) > 0 {
		in := oapigen.LangText(p.Ingredients)
		out.Ingredients = &in
	}
	if q := p.NetContent; q != nil {
		out.NetContent = &oapigen.Quantity{Value: q.Value, Unit: oapigen.QuantityUnit(q.Unit)}
	}
	if n := p.Nutrition; n != nil {
		out.Nutrition = &oapigen.Nutrition{Per: oapigen.NutritionPer(n.Per), EnergyKj: n.EnergyKJ, EnergyKcal: n.EnergyKcal, Fat: n.Fat,
			SaturatedFat: n.SaturatedFat, Carbohydrates: n.Carbohydrates, Sugars: n.Sugars, Fibre: n.Fibre,
			Protein: n.Protein, Salt: n.Salt, Sodium: n.Sodium, FruitVegLegumes: n.FruitVegLegumes,
			NonNutritiveSweeteners: n.NonNutritiveSweeteners}
	}
	for _, c := range p.Packaging {
		count := c.Count
		out.Packaging = append(out.Packaging, oapigen.PackagingComponent{Shape: optional(c.Shape), Material: optional(c.Material),
			Recycling: optional(c.Recycling), Count: &count})
	}
	return out
}

func toAPINutriScore(r nutriscore.Result) oapigen.NutriScore {
	out := oapigen.NutriScore{Status: oapigen.NutriScoreStatus(r.Status), Class: oapigen.NutriScoreClass(r.Class),
		Components: make([]oapigen.NutriScoreComponent, len(r.Components))}
	if r.Status == nutriscore.StatusComputed {
		g := oapigen.NutriScoreGrade(r.Grade)
		score, neg, pos, pc := r.Score, r.Negative, r.Positive, r.ProteinCounted
		out.Grade, out.Score, out.NegativePoints, out.PositivePoints, out.ProteinCounted = &g, &score, &neg, &pos, &pc
	}
	if len(r.Missing) > 0 {
		out.Missing = &r.Missing
	}
	if len(r.Assumed) > 0 {
		out.Assumed = &r.Assumed
	}
	for i, c := range r.Components {
		out.Components[i] = oapigen.NutriScoreComponent{Id: c.ID, Kind: oapigen.NutriScoreComponentKind(c.Kind), Value: c.Value,
			Unit: c.Unit, Points: c.Points, MaxPoints: c.MaxPoints}
	}
	return out
}

func apiAllergens(list []catalog.Allergen) []oapigen.Allergen {
	out := make([]oapigen.Allergen, len(list))
	for i, a := range list {
		out[i] = oapigen.Allergen(a)
	}
	return out
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// importBatch is how many records the bulk import stores per transaction.
const importBatch = 1000

// maxImportErrors is how many rejected records the summary lists.
const maxImportErrors = 1000

// ImportProducts streams Open Food Facts records from the body into the
// catalog, a batch at a time; bad records are listed, not fatal.
func (s *Server) ImportProducts(ctx context.Context, req oapigen.ImportProductsRequestObject) (oapigen.ImportProductsResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.catalog.AuthorizeImport(who); err != nil {
		return nil, err
	}
	dec := offimport.NewDecoder(req.Body, offimport.Options{Name: "body"})
	var sum oapigen.ImportSummary
	sum.Errors = []oapigen.ImportError{}
	reject := func(source, gtin, reason string) {
		sum.Rejected++
		if len(sum.Errors) < maxImportErrors {
			sum.Errors = append(sum.Errors, oapigen.ImportError{Source: source, Gtin: optional(gtin), Reason: reason})
		}
	}
	batch := make([]app.ImportRecord, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := s.catalog.ImportProducts(ctx, who, app.ImportBatch{Records: batch})
		if err != nil {
			return err
		}
		sum.Created += res.Created
		sum.Updated += res.Updated
		sum.Unchanged += res.Unchanged
		for _, e := range res.Rejected {
			reject(e.Source, e.GTIN, e.Reason)
		}
		batch = batch[:0]
		return nil
	}
	for {
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if httpserver.IsBodyTooLarge(err) {
				return nil, err
			}
			return nil, fault.Wrap(fault.Invalid, err, "The body cannot be read as Open Food Facts product JSON: "+err.Error())
		}
		sum.Records++
		if rec.Err != nil {
			reject(rec.Err.Source, rec.Err.GTIN, rec.Err.Reason)
			continue
		}
		batch = append(batch, rec.Item)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return oapigen.ImportProducts200JSONResponse(sum), nil
}
