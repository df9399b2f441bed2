package httpapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi/oapigen"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
)

// LinkService is what the link management endpoints need of the core
// (app.Service).
type LinkService interface {
	UploadLinkset(ctx context.Context, actor app.Actor, doc []byte, brand string) ([]app.WriteResult, error)
	ListAnchors(ctx context.Context, actor app.Actor, q app.ListQuery) (app.AnchorPage, error)
	GetAnchor(ctx context.Context, actor app.Actor, anchor string) (app.StoredAnchor, error)
	DeleteAnchor(ctx context.Context, actor app.Actor, anchor string) error
}

var _ LinkService = (*app.Service)(nil)

// actor gives the authenticated caller, or an Unauthenticated error.
func actor(ctx context.Context) (app.Actor, error) {
	p, err := auth.Require(ctx)
	if err != nil {
		return app.Actor{}, err
	}
	return app.Actor{Subject: p.Subject, Roles: p.Roles, Brands: p.Brands}, nil
}

// UploadLinkset stores a GS1 linkset. The request was validated against the
// spec and decoded into the generated model; it is encoded again for the
// core, which applies GS1's schema and the domain rules to the JSON (member
// order and white space do not matter to either).
func (s *Server) UploadLinkset(ctx context.Context, req oapigen.UploadLinksetRequestObject) (oapigen.UploadLinksetResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	body := req.ApplicationLinksetPlusJSONBody
	if body == nil {
		body = req.JSONBody
	}
	if body == nil {
		return nil, fault.Validation("The request has no linkset.", fault.FieldError{Field: "body", Reason: "is required"})
	}
	doc, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode linkset: %w", err)
	}
	written, err := s.links.UploadLinkset(ctx, who, doc, deref(req.Params.Brand))
	if err != nil {
		return nil, err
	}
	out := oapigen.UploadResult{Anchors: make([]oapigen.WrittenAnchor, len(written))}
	for i, w := range written {
		status := oapigen.Replaced
		if w.Created {
			status = oapigen.Created
		}
		out.Anchors[i] = oapigen.WrittenAnchor{Key: w.Key, Uri: s.root + w.Key, Status: status, Links: w.Links}
	}
	return oapigen.UploadLinkset200JSONResponse(out), nil
}

// ListAnchors returns a page of the anchors the caller may read.
func (s *Server) ListAnchors(ctx context.Context, req oapigen.ListAnchorsRequestObject) (oapigen.ListAnchorsResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	q := app.ListQuery{Brand: deref(req.Params.Brand), KeyPrefix: deref(req.Params.KeyPrefix), Cursor: deref(req.Params.Cursor)}
	if req.Params.Limit != nil {
		q.Limit = *req.Params.Limit
	}
	page, err := s.links.ListAnchors(ctx, who, q)
	if err != nil {
		return nil, err
	}
	out := oapigen.AnchorPage{Items: make([]oapigen.Anchor, len(page.Items))}
	for i, a := range page.Items {
		out.Items[i] = s.toAPIAnchor(a)
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	return oapigen.ListAnchors200JSONResponse(out), nil
}

// GetAnchor returns one anchor.
func (s *Server) GetAnchor(ctx context.Context, req oapigen.GetAnchorRequestObject) (oapigen.GetAnchorResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.links.GetAnchor(ctx, who, req.Anchor)
	if err != nil {
		return nil, err
	}
	return oapigen.GetAnchor200JSONResponse(s.toAPIAnchor(a)), nil
}

// DeleteAnchor deletes one anchor.
func (s *Server) DeleteAnchor(ctx context.Context, req oapigen.DeleteAnchorRequestObject) (oapigen.DeleteAnchorResponseObject, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.links.DeleteAnchor(ctx, who, req.Anchor); err != nil {
		return nil, err
	}
	return oapigen.DeleteAnchor204Response{}, nil
}

func (s *Server) toAPIAnchor(a app.StoredAnchor) oapigen.Anchor {
	out := oapigen.Anchor{
		Key: a.Key, Uri: s.root + a.Key, Brand: a.Brand, ItemDescription: a.Description,
		Links: make([]oapigen.Link, len(a.Links)), UpdatedAt: a.UpdatedAt.UTC(),
	}
	for i, l := range a.Links {
		out.Links[i] = oapigen.Link{
			LinkType: l.Type, Href: l.Href, Title: l.Title, Fwqs: l.Fwqs, Public: l.Public,
			Type: optional(l.MediaType), Hreflang: optionalSlice(l.Hreflang), Context: optionalSlice(l.Context),
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optionalSlice(s []string) *[]string {
	if len(s) == 0 {
		return nil
	}
	return &s
}
