// Package app holds passport-service's use cases as methods on Service, and
// in ports.go the interfaces they need from adapters.
//
// Access to link data: writes (UploadLinkset, DeleteAnchor) need role
// brand_owner or admin; reads (ListAnchors, GetAnchor) brand_owner,
// brand_analyst or admin. A brand_owner or brand_analyst reaches only keys
// whose company part (linkset.CompanyPart: the primary key value from where
// the GS1 Company Prefix starts) starts with one of the brands (company
// prefixes) they act for; an admin reaches every key. Whether a caller may
// touch a key follows from the key alone, so it is decided before the store
// is read and a refusal reveals nothing about stored data.
package app

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/linkset"
)

// Realm roles the use cases check (the names tokens carry).
const (
	RoleBrandOwner   = "brand_owner"
	RoleBrandAnalyst = "brand_analyst"
	RoleAdmin        = "admin"
)

// Page sizes of ListAnchors.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// Actor is the authenticated caller of a use case.
type Actor struct {
	Subject string
	// Roles are realm roles (RoleBrandOwner, ...).
	Roles []string
	// Brands are the GS1 Company Prefixes the caller acts for.
	Brands []string
}

func (a Actor) hasAny(roles ...string) bool {
	return slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(a.Roles, r) })
}

func (a Actor) isAdmin() bool { return slices.Contains(a.Roles, RoleAdmin) }

// companies are the actor's brands that are company prefixes; nil for an
// admin, who reaches every key.
func (a Actor) companies() []string {
	if a.isAdmin() {
		return nil
	}
	out := []string{}
	for _, b := range a.Brands {
		if linkset.IsCompanyPrefix(b) {
			out = append(out, b)
		}
	}
	return out
}

// reaches reports whether the actor may touch key.
func (a Actor) reaches(key string) bool {
	if a.isAdmin() {
		return true
	}
	_, ok := linkset.Owner(key, a.Brands)
	return ok
}

func require(a Actor, roles ...string) error {
	if !a.hasAny(roles...) {
		return fault.New(fault.Forbidden, "This needs role "+strings.Join(roles, " or ")+".")
	}
	return nil
}

// Service runs passport-service's use cases.
type Service struct {
	anchors AnchorRepository
	schema  LinksetSchema
	catalog CatalogRepository
}

// NewService returns the use cases over their ports.
func NewService(anchors AnchorRepository, schema LinksetSchema, catalog CatalogRepository) *Service {
	return &Service{anchors: anchors, schema: schema, catalog: catalog}
}

// UploadLinkset stores the links of every anchor in a GS1 linkset document
// (JSON), replacing the links of anchors already stored, all in one
// transaction: either every anchor is written or, with an error, none.
//
// brand optionally names the brand (GS1 Company Prefix) to record as the
// owner of every anchor; it must be one the actor acts for (any, for an
// admin) and prefix every key's company part. Without it each anchor gets
// the longest of the actor's brands that prefixes its company part. An
// admin uploading keys outside their own brands must name the brand.
//
// Errors: Forbidden without role brand_owner or admin, or for keys of
// brands the actor does not act for (field errors say which); Invalid with
// field errors at JSON pointers for a document that breaks GS1's schema or
// the rules of package linkset.
func (s *Service) UploadLinkset(ctx context.Context, actor Actor, doc []byte, brand string) ([]WriteResult, error) {
	if err := require(actor, RoleBrandOwner, RoleAdmin); err != nil {
		return nil, err
	}
	if brand != "" {
		if !linkset.IsCompanyPrefix(brand) {
			return nil, fault.Validation("The brand parameter is invalid.",
				fault.FieldError{Field: "brand", Reason: "must be a GS1 Company Prefix: 4 to 12 digits"})
		}
		if !actor.isAdmin() && !slices.Contains(actor.Brands, brand) {
			return nil, fault.New(fault.Forbidden, "You do not act for brand "+brand+".")
		}
	}
	d, err := linkset.Parse(doc)
	if err != nil {
		return nil, err
	}
	for _, v := range s.schema.Validate(d.Tree()) {
		at := d.Pointer(v.Path)
		if at == "" {
			at = "body"
		}
		d.Problems.Add(at, v.Reason)
	}
	up, err := d.Anchors()
	if err != nil {
		return nil, err
	}
	if err := assignBrands(actor, brand, up); err != nil {
		return nil, err
	}
	return s.anchors.ReplaceAnchors(ctx, up.Anchors, up.Lookup(), up.CheckLevels)
}

// assignBrands checks that actor may write every anchor of up and records
// the owning brand on each.
func assignBrands(actor Actor, brand string, up *linkset.Upload) error {
	var denied, invalid []fault.FieldError
	for i := range up.Anchors {
		a := &up.Anchors[i]
		at := up.Pointer(i) + "/anchor"
		owner, owns := linkset.Owner(a.Key, actor.Brands)
		switch {
		case !owns && !actor.isAdmin():
			denied = append(denied, fault.FieldError{Field: at,
				Reason: "is a key of a brand you do not act for (" + a.Key + ")"})
		case brand != "":
			if !strings.HasPrefix(linkset.CompanyPart(a.Key), brand) {
				invalid = append(invalid, fault.FieldError{Field: at,
					Reason: "is not a key of brand " + brand + ": its GS1 Company Prefix does not start with " + brand})
				continue
			}
			a.Brand = brand
		case owns:
			a.Brand = owner
		default:
			invalid = append(invalid, fault.FieldError{Field: at,
				Reason: "belongs to none of your brands; name its owner's GS1 Company Prefix in the brand parameter"})
		}
	}
	if len(denied) > 0 {
		return capped(fault.Forbidden, "The linkset holds keys of brands you do not act for; nothing was stored.", denied)
	}
	if len(invalid) > 0 {
		return capped(fault.Invalid, "The linkset's keys do not fit the brand; nothing was stored.", invalid)
	}
	return nil
}

func capped(kind fault.Kind, msg string, fields []fault.FieldError) error {
	if len(fields) > linkset.MaxErrors {
		msg += " The first " + strconv.Itoa(linkset.MaxErrors) + " of " + strconv.Itoa(len(fields)) + " problems are listed."
		fields = fields[:linkset.MaxErrors]
	}
	return &fault.Error{Kind: kind, Message: msg, Fields: fields}
}

// ListQuery selects a page of anchors.
type ListQuery struct {
	// Brand keeps anchors stored with this brand ("" for all).
	Brand string
	// KeyPrefix keeps anchors whose key starts with it ("" for all); keys
	// start with "/".
	KeyPrefix string
	// Cursor continues a listing where an AnchorPage's Next left off.
	Cursor string
	// Limit is the page size: 0 for DefaultPageSize, at most MaxPageSize.
	Limit int
}

// AnchorPage is one page of anchors.
type AnchorPage struct {
	Items []StoredAnchor
	// Next is the cursor of the following page, "" on the last one.
	Next string
}

// ListAnchors returns a page of the anchors the actor may read, ordered by
// key.
func (s *Service) ListAnchors(ctx context.Context, actor Actor, q ListQuery) (AnchorPage, error) {
	if err := require(actor, RoleBrandOwner, RoleBrandAnalyst, RoleAdmin); err != nil {
		return AnchorPage{}, err
	}
	var bad []fault.FieldError
	limit := q.Limit
	switch {
	case limit == 0:
		limit = DefaultPageSize
	case limit < 1 || limit > MaxPageSize:
		bad = append(bad, fault.FieldError{Field: "limit", Reason: "must be between 1 and " + strconv.Itoa(MaxPageSize)})
	}
	if q.Brand != "" && !linkset.IsCompanyPrefix(q.Brand) {
		bad = append(bad, fault.FieldError{Field: "brand", Reason: "must be a GS1 Company Prefix: 4 to 12 digits"})
	}
	if q.KeyPrefix != "" && (q.KeyPrefix[0] != '/' || len(q.KeyPrefix) > 512 || !printableASCII(q.KeyPrefix)) {
		bad = append(bad, fault.FieldError{Field: "keyPrefix", Reason: "must be the start of a canonical key, beginning with /, e.g. /01/09506000134352"})
	}
	after, err := decodeCursor(q.Cursor)
	if err != nil {
		bad = append(bad, fault.FieldError{Field: "cursor", Reason: "is not a cursor this API returned"})
	}
	if len(bad) > 0 {
		return AnchorPage{}, fault.Validation("The query is invalid.", bad...)
	}
	items, err := s.anchors.ListAnchors(ctx, AnchorQuery{
		After:     after,
		KeyPrefix: q.KeyPrefix,
		Brand:     q.Brand,
		Companies: actor.companies(),
		Limit:     limit + 1,
	})
	if err != nil {
		return AnchorPage{}, err
	}
	page := AnchorPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(items[limit-1].Key))
	}
	return page, nil
}

// printableASCII reports whether s holds only the characters canonical keys
// are made of.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || b[0] != '/' || !printableASCII(string(b)) {
		return "", fault.New(fault.Invalid, "bad cursor")
	}
	return string(b), nil
}

// GetAnchor returns one anchor. anchor is the anchor's canonical key without
// its leading "/" ("01/09506000134352/10/LOT1").
func (s *Service) GetAnchor(ctx context.Context, actor Actor, anchor string) (StoredAnchor, error) {
	if err := require(actor, RoleBrandOwner, RoleBrandAnalyst, RoleAdmin); err != nil {
		return StoredAnchor{}, err
	}
	key, err := KeyOf(anchor)
	if err != nil {
		return StoredAnchor{}, err
	}
	if !actor.reaches(key) {
		return StoredAnchor{}, fault.New(fault.Forbidden, "The anchor belongs to a brand you do not act for.")
	}
	return s.anchors.GetAnchor(ctx, key)
}

// DeleteAnchor deletes one anchor and its links. It refuses (Conflict) when
// an anchor beneath it has no default link of its own and no level above
// the deleted one has one either, since that anchor would be left without a
// default (R13).
func (s *Service) DeleteAnchor(ctx context.Context, actor Actor, anchor string) error {
	if err := require(actor, RoleBrandOwner, RoleAdmin); err != nil {
		return err
	}
	key, err := KeyOf(anchor)
	if err != nil {
		return err
	}
	if !actor.reaches(key) {
		return fault.New(fault.Forbidden, "The anchor belongs to a brand you do not act for.")
	}
	return s.anchors.DeleteAnchor(ctx, key, linkset.Ancestors(key), func(f DeleteFacts) error {
		if f.Dependent != "" && !f.AncestorHasDefault {
			return fault.New(fault.Conflict, "Anchor "+f.Dependent+" beneath "+key+" has no default link of its own "+
				"and relies on this one's; give it a default link or delete it first.")
		}
		return nil
	})
}

// KeyOf turns an anchor path parameter (a canonical key without its leading
// "/", e.g. "01/09506000134352/10/LOT1") into the canonical key, or an
// Invalid error saying what is wrong with it.
func KeyOf(anchor string) (string, error) {
	bad := func(reason string) error {
		return fault.Validation("The anchor is not a Digital Link key.", fault.FieldError{Field: "anchor", Reason: reason})
	}
	if anchor == "" || strings.ContainsAny(anchor, "?#") || len(anchor) > 1024 {
		return "", bad("must be a primary key with optional key qualifiers, e.g. 01/09506000134352/10/LOT1")
	}
	u, err := dl.ParsePath("/"+anchor, "")
	if err != nil {
		return "", bad(err.Error())
	}
	if u.PathLen == 0 || len(u.Elements) != u.PathLen || u.Stem != "" {
		return "", bad("must be a primary key with optional key qualifiers, e.g. 01/09506000134352/10/LOT1")
	}
	return string(dl.AppendPath(nil, u.Elements[:u.PathLen])), nil
}
