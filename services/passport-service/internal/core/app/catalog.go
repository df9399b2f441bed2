package app

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// Catalog access: reads are public. Writing a brand needs admin, or
// brand_owner acting for the brand's GS1 Company Prefixes. Writing a product
// needs admin, or brand_owner acting for a prefix that covers its GTIN and
// belongs to the product's brand (and to the brand of the product it
// replaces). Imports are admin only.

// Precondition holds a write's HTTP conditional headers, parsed.
type Precondition struct {
	// IfMatch is true when If-Match was sent; Any when it was "*".
	IfMatch, Any bool
	// Version is the version the If-Match entity tag names; 0 when the tag
	// is not one of ours (weak, or not "v<n>"), which matches nothing.
	Version int64
	// CreateOnly is If-None-Match: *.
	CreateOnly bool
}

// matches reports whether the condition holds for a stored version.
func (p Precondition) matches(version int64) bool {
	return p.Any || (p.Version != 0 && p.Version == version)
}

// ETag is the strong entity tag of a version.
func ETag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// ParseETags reads an If-Match value: "*" or a list of entity tags, of
// which it keeps the first that names one of our versions.
func ParseETags(h string) Precondition {
	p := Precondition{IfMatch: true}
	for _, tag := range strings.Split(h, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			p.Any = true
			return p
		}
		if !strings.HasPrefix(tag, `"v`) || !strings.HasSuffix(tag, `"`) || len(tag) < 4 {
			continue
		}
		if v, err := strconv.ParseInt(tag[2:len(tag)-1], 10, 64); err == nil && v > 0 {
			p.Version = v
			return p
		}
	}
	return p
}

// BrandPage is one page of brands.
type BrandPage struct {
	Items []catalog.Brand
	Next  string
}

// ProductPage is one page of products.
type ProductPage struct {
	Items []catalog.Product
	Next  string
}

// CreateBrand stores a new brand.
func (s *Service) CreateBrand(ctx context.Context, actor Actor, b catalog.Brand) (catalog.Brand, error) {
	if err := checkBrandWrite(actor, &b); err != nil {
		return catalog.Brand{}, err
	}
	return s.catalog.CreateBrand(ctx, b)
}

// checkBrandWrite checks that actor may write b as it is given: the role,
// valid fields (b is normalised), and every prefix one the actor acts for.
func checkBrandWrite(actor Actor, b *catalog.Brand) error {
	if err := require(actor, RoleBrandOwner, RoleAdmin); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	return actsForAll(actor, b.Prefixes)
}

// UpdateBrand replaces a brand's name and prefixes; pre must name its
// current version.
func (s *Service) UpdateBrand(ctx context.Context, actor Actor, b catalog.Brand, pre Precondition) (catalog.Brand, error) {
	if err := checkBrandWrite(actor, &b); err != nil {
		return catalog.Brand{}, err
	}
	return s.catalog.UpdateBrand(ctx, b, func(cur catalog.Brand) error {
		if !actor.isAdmin() && !actsForAny(actor, cur.Prefixes) {
			return fault.New(fault.Forbidden, "You do not act for brand "+cur.ID+".")
		}
		return checkVersion(pre, cur.Version, "brand")
	})
}

// GetBrand returns a brand.
func (s *Service) GetBrand(ctx context.Context, id string) (catalog.Brand, error) {
	if !catalog.ValidBrandID(id) {
		return catalog.Brand{}, fault.Validation("The brand id is invalid.",
			fault.FieldError{Field: "brand", Reason: "must be 2 to 64 lower-case letters, digits and dashes"})
	}
	return s.catalog.GetBrand(ctx, id)
}

// ListBrands returns a page of brands in id order.
func (s *Service) ListBrands(ctx context.Context, cursor string, limit int) (BrandPage, error) {
	after, limit, err := pageArgs(cursor, limit)
	if err != nil {
		return BrandPage{}, err
	}
	items, err := s.catalog.ListBrands(ctx, after, limit+1)
	if err != nil {
		return BrandPage{}, err
	}
	var page BrandPage
	page.Items, page.Next = pageOf(items, limit, func(b catalog.Brand) string { return b.ID })
	return page, nil
}

// GetProduct returns a product by GTIN (8 to 14 digits).
func (s *Service) GetProduct(ctx context.Context, gtin string) (catalog.Product, error) {
	g, err := gtinParam(gtin)
	if err != nil {
		return catalog.Product{}, err
	}
	return s.catalog.GetProduct(ctx, g)
}

// ProductView returns a product with its brand, for the passport page.
func (s *Service) ProductView(ctx context.Context, gtin string) (ProductView, error) {
	p, err := s.GetProduct(ctx, gtin)
	if err != nil {
		return ProductView{}, err
	}
	b, err := s.catalog.GetBrand(ctx, p.BrandID)
	if err != nil {
		return ProductView{}, err
	}
	return ProductView{Product: p, Brand: b}, nil
}

// ListProducts returns a page of products in GTIN order, of one brand when
// brandID is set.
func (s *Service) ListProducts(ctx context.Context, brandID, cursor string, limit int) (ProductPage, error) {
	if brandID != "" && !catalog.ValidBrandID(brandID) {
		return ProductPage{}, fault.Validation("The brand filter is invalid.",
			fault.FieldError{Field: "brand", Reason: "must be a brand id"})
	}
	after, limit, err := pageArgs(cursor, limit)
	if err != nil {
		return ProductPage{}, err
	}
	items, err := s.catalog.ListProducts(ctx, ProductQuery{After: after, BrandID: brandID, Limit: limit + 1})
	if err != nil {
		return ProductPage{}, err
	}
	var page ProductPage
	page.Items, page.Next = pageOf(items, limit, func(p catalog.Product) string { return p.GTIN })
	return page, nil
}

// PutProduct creates p or replaces the product with its GTIN. Creating
// needs no If-Match (or If-None-Match: *); replacing needs If-Match with the
// current version: PreconditionRequired without it, PreconditionFailed
// when it is stale. The Nutri-Score is computed here. It returns the product
// as stored and what changed.
func (s *Service) PutProduct(ctx context.Context, actor Actor, p catalog.Product, pre Precondition) (catalog.Product, Change, error) {
	if err := require(actor, RoleBrandOwner, RoleAdmin); err != nil {
		return catalog.Product{}, Unchanged, err
	}
	if err := p.Validate(); err != nil {
		return catalog.Product{}, Unchanged, err
	}
	if !actor.reaches("/01/" + p.GTIN) {
		return catalog.Product{}, Unchanged, fault.New(fault.Forbidden,
			"GTIN "+p.GTIN+" belongs to a brand you do not act for.")
	}
	brand, err := s.catalog.GetBrand(ctx, p.BrandID)
	if fault.Is(err, fault.NotFound) {
		return catalog.Product{}, Unchanged, fault.Validation("The product names an unknown brand.",
			fault.FieldError{Field: "/brand", Reason: "no brand has id " + p.BrandID})
	}
	if err != nil {
		return catalog.Product{}, Unchanged, err
	}
	if !actor.isAdmin() {
		if !actsForAny(actor, brand.Prefixes) {
			return catalog.Product{}, Unchanged, fault.New(fault.Forbidden, "You do not act for brand "+brand.ID+".")
		}
		if !brand.HoldsGTIN(p.GTIN) {
			return catalog.Product{}, Unchanged, fault.Validation("The GTIN is not the brand's.",
				fault.FieldError{Field: "/brand", Reason: "none of brand " + brand.ID + "'s GS1 Company Prefixes covers GTIN " + p.GTIN})
		}
	}
	p.Compute()
	return s.catalog.PutProduct(ctx, p, func(cur *catalog.Product) error {
		if cur == nil {
			if pre.IfMatch {
				return fault.New(fault.PreconditionFailed, "If-Match names a version, but product "+p.GTIN+" does not exist.")
			}
			return nil
		}
		if pre.CreateOnly {
			return fault.New(fault.PreconditionFailed, "Product "+p.GTIN+" exists already (If-None-Match: *).")
		}
		if !actor.isAdmin() && cur.BrandID != p.BrandID {
			if err := s.reachesBrand(ctx, actor, cur.BrandID); err != nil {
				return err
			}
		}
		return checkVersion(pre, cur.Version, "product")
	})
}

// DeleteProduct deletes a product; pre must name its current version.
func (s *Service) DeleteProduct(ctx context.Context, actor Actor, gtin string, pre Precondition) error {
	if err := require(actor, RoleBrandOwner, RoleAdmin); err != nil {
		return err
	}
	g, err := gtinParam(gtin)
	if err != nil {
		return err
	}
	if !actor.reaches("/01/" + g) {
		return fault.New(fault.Forbidden, "GTIN "+g+" belongs to a brand you do not act for.")
	}
	return s.catalog.DeleteProduct(ctx, g, func(cur catalog.Product) error {
		if !actor.isAdmin() {
			if err := s.reachesBrand(ctx, actor, cur.BrandID); err != nil {
				return err
			}
		}
		return checkVersion(pre, cur.Version, "product")
	})
}

// reachesBrand checks that a brand owner acts for brand id.
func (s *Service) reachesBrand(ctx context.Context, actor Actor, id string) error {
	b, err := s.catalog.GetBrand(ctx, id)
	if err != nil {
		return err
	}
	if !actsForAny(actor, b.Prefixes) {
		return fault.New(fault.Forbidden, "The product belongs to brand "+id+", which you do not act for.")
	}
	return nil
}

// ImportProducts validates and stores a batch of imported records (admin
// only). Each product's brand is the registered brand holding its GTIN's
// company prefix, else the brand named by the record (BrandID, created with
// BrandName when missing). Invalid records are reported in the result and
// the rest are stored, with the batch's checkpoint, in one transaction.
func (s *Service) ImportProducts(ctx context.Context, actor Actor, batch ImportBatch) (ImportResult, error) {
	if err := require(actor, RoleAdmin); err != nil {
		return ImportResult{}, err
	}
	// The registered brand holding a GTIN's company prefix comes first, so
	// a record's own brand id counts only when no registered brand does.
	gtins := make([]string, 0, len(batch.Records))
	for _, r := range batch.Records {
		if g, reason := catalog.NormalizeGTIN(r.Product.GTIN); reason == "" {
			gtins = append(gtins, g)
		}
	}
	holders, err := s.catalog.BrandsHoldingGTINs(ctx, gtins)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	valid := make([]catalog.Product, 0, len(batch.Records))
	names := map[string]string{}
	seen := make(map[string]int, len(batch.Records))
	for _, r := range batch.Records {
		p := r.Product
		if g, reason := catalog.NormalizeGTIN(p.GTIN); reason == "" {
			if id, ok := holders[g]; ok {
				p.BrandID = id
			}
		}
		if err := p.Validate(); err != nil {
			res.Rejected = append(res.Rejected, recordError(r, p.GTIN, err))
			continue
		}
		if _, ok := holders[p.GTIN]; !ok && strings.TrimSpace(names[p.BrandID]) == "" {
			names[p.BrandID] = r.BrandName
		}
		if i, dup := seen[p.GTIN]; dup {
			// The later record of a GTIN wins, as a second import would.
			valid[i] = p
			continue
		}
		seen[p.GTIN] = len(valid)
		valid = append(valid, p)
	}
	var newBrands []catalog.Brand
	for i := range valid {
		if _, ok := holders[valid[i].GTIN]; !ok {
			if id := valid[i].BrandID; !slices.ContainsFunc(newBrands, func(b catalog.Brand) bool { return b.ID == id }) {
				name := strings.TrimSpace(names[id])
				if name == "" {
					name = id
				}
				newBrands = append(newBrands, catalog.Brand{ID: id, Name: name})
			}
		}
		valid[i].Compute()
	}
	changes, err := s.catalog.ImportProducts(ctx, valid, newBrands, batch.Checkpoint)
	if err != nil {
		return ImportResult{}, err
	}
	for _, c := range changes {
		switch c {
		case Created:
			res.Created++
		case Updated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

// AuthorizeImport checks that actor may import (admin only), so a bulk
// request is refused before its body is read.
func (s *Service) AuthorizeImport(actor Actor) error { return require(actor, RoleAdmin) }

// ImportCheckpoint returns the checkpoint of an unfinished import of source
// (admin only).
func (s *Service) ImportCheckpoint(ctx context.Context, actor Actor, source string) (Checkpoint, bool, error) {
	if err := require(actor, RoleAdmin); err != nil {
		return Checkpoint{}, false, err
	}
	return s.catalog.Checkpoint(ctx, source)
}

// FinishImport forgets source's checkpoint once it is imported in full
// (admin only).
func (s *Service) FinishImport(ctx context.Context, actor Actor, source string) error {
	if err := require(actor, RoleAdmin); err != nil {
		return err
	}
	return s.catalog.FinishImport(ctx, source)
}

func recordError(r ImportRecord, gtin string, err error) RecordError {
	e := RecordError{Source: r.Source, GTIN: gtin, Reason: fault.MessageOf(err)}
	var parts []string
	for _, f := range fault.FieldsOf(err) {
		e.Fields = append(e.Fields, f.Field)
		parts = append(parts, f.Field+" "+f.Reason)
	}
	if len(parts) > 0 {
		e.Reason = strings.Join(parts, "; ")
	}
	return e
}

func checkVersion(pre Precondition, version int64, what string) error {
	if !pre.IfMatch {
		return fault.New(fault.PreconditionRequired, "Replacing the "+what+" needs If-Match with its current ETag, "+ETag(version)+".")
	}
	if !pre.matches(version) {
		return fault.New(fault.PreconditionFailed, "The "+what+" has changed: its current ETag is "+ETag(version)+".")
	}
	return nil
}

// actsForAll checks that a brand owner acts for every prefix.
func actsForAll(actor Actor, prefixes []string) error {
	if actor.isAdmin() {
		return nil
	}
	if len(prefixes) == 0 {
		return fault.Validation("A brand owner's brand needs a GS1 Company Prefix.",
			fault.FieldError{Field: "/prefixes", Reason: "must list at least one of the prefixes you act for"})
	}
	for _, p := range prefixes {
		if !slices.Contains(actor.Brands, p) {
			return fault.New(fault.Forbidden, "You do not act for GS1 Company Prefix "+p+".")
		}
	}
	return nil
}

func actsForAny(actor Actor, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return slices.Contains(actor.Brands, p) })
}

func gtinParam(gtin string) (string, error) {
	g, reason := catalog.NormalizeGTIN(gtin)
	if reason != "" {
		return "", fault.Validation("The GTIN is invalid.", fault.FieldError{Field: "gtin", Reason: reason})
	}
	return g, nil
}

func pageArgs(cursor string, limit int) (string, int, error) {
	switch {
	case limit == 0:
		limit = DefaultPageSize
	case limit < 1 || limit > MaxPageSize:
		return "", 0, fault.Validation("The page size is invalid.",
			fault.FieldError{Field: "limit", Reason: "must be between 1 and " + strconv.Itoa(MaxPageSize)})
	}
	if cursor == "" {
		return "", limit, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) == 0 {
		return "", 0, fault.Validation("The cursor is invalid.", fault.FieldError{Field: "cursor", Reason: "is not a cursor this API gave out"})
	}
	return string(raw), limit, nil
}

// pageOf cuts items, read with one more than limit, to a page and gives the
// cursor of the next page ("" on the last), made of the last item's key.
func pageOf[T any](items []T, limit int, key func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	return items[:limit], base64.RawURLEncoding.EncodeToString([]byte(key(items[limit-1])))
}
