// Package apptest holds what tests of the use cases and of their adapters
// share: in-memory fakes of the AnchorRepository and CatalogRepository
// ports, and the contract suites every implementation (the fakes and the
// Postgres adapters) must pass, so the fakes cannot drift from the real
// thing.
package apptest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/linkset"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// AnchorRepository is an in-memory app.AnchorRepository. Writes hold one
// lock from their check to their last change, as the Postgres adapter's
// transactions are serialised.
type AnchorRepository struct {
	mu      sync.Mutex
	anchors map[string]app.StoredAnchor
	now     func() time.Time
}

var _ app.AnchorRepository = (*AnchorRepository)(nil)

// NewAnchorRepository returns an empty repository.
func NewAnchorRepository() *AnchorRepository {
	return &AnchorRepository{anchors: map[string]app.StoredAnchor{}, now: time.Now}
}

// Len is the number of anchors stored.
func (r *AnchorRepository) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.anchors)
}

// ReplaceAnchors implements app.AnchorRepository.
func (r *AnchorRepository) ReplaceAnchors(ctx context.Context, anchors []resolver.Anchor, lookup []string,
	check func(stored map[string]*resolver.Anchor) error,
) ([]app.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	stored := make(map[string]*resolver.Anchor, len(lookup))
	for _, k := range lookup {
		if a, ok := r.anchors[k]; ok {
			c := clone(a.Anchor)
			stored[k] = &c
		}
	}
	if err := check(stored); err != nil {
		return nil, err
	}
	now := r.now()
	out := make([]app.WriteResult, 0, len(anchors))
	for _, a := range anchors {
		_, exists := r.anchors[a.Key]
		r.anchors[a.Key] = app.StoredAnchor{Anchor: clone(a), UpdatedAt: now}
		out = append(out, app.WriteResult{Key: a.Key, Created: !exists, Links: len(a.Links)})
	}
	return out, nil
}

// GetAnchor implements app.AnchorRepository.
func (r *AnchorRepository) GetAnchor(ctx context.Context, key string) (app.StoredAnchor, error) {
	if err := ctx.Err(); err != nil {
		return app.StoredAnchor{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.anchors[key]
	if !ok {
		return app.StoredAnchor{}, notFound(key)
	}
	return app.StoredAnchor{Anchor: clone(a.Anchor), UpdatedAt: a.UpdatedAt}, nil
}

func notFound(key string) error {
	return fault.New(fault.NotFound, "No anchor is stored under "+key+".")
}

// ListAnchors implements app.AnchorRepository.
func (r *AnchorRepository) ListAnchors(ctx context.Context, q app.AnchorQuery) ([]app.StoredAnchor, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.anchors))
	for k := range r.anchors {
		keys = append(keys, k)
	}
	slices.Sort(keys) // byte order, as Postgres' "C" collation
	var out []app.StoredAnchor
	for _, k := range keys {
		if len(out) >= q.Limit {
			break
		}
		a := r.anchors[k]
		switch {
		case k <= q.After,
			!strings.HasPrefix(k, q.KeyPrefix),
			q.Brand != "" && a.Brand != q.Brand,
			q.Companies != nil && !slices.ContainsFunc(q.Companies, func(c string) bool {
				return strings.HasPrefix(linkset.CompanyPart(k), c)
			}):
			continue
		}
		out = append(out, app.StoredAnchor{Anchor: clone(a.Anchor), UpdatedAt: a.UpdatedAt})
	}
	return out, nil
}

// DeleteAnchor implements app.AnchorRepository.
func (r *AnchorRepository) DeleteAnchor(ctx context.Context, key string, ancestors []string, check func(app.DeleteFacts) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.anchors[key]; !ok {
		return notFound(key)
	}
	var f app.DeleteFacts
	for _, k := range ancestors {
		if a, ok := r.anchors[k]; ok && linkset.HasDefault(&a.Anchor) {
			f.AncestorHasDefault = true
		}
	}
	for k, a := range r.anchors {
		if strings.HasPrefix(k, key+"/") && !linkset.HasDefault(&a.Anchor) && (f.Dependent == "" || k < f.Dependent) {
			f.Dependent = k
		}
	}
	if err := check(f); err != nil {
		return err
	}
	delete(r.anchors, key)
	return nil
}

// clone copies a deeply, so callers never share slices with the store.
func clone(a resolver.Anchor) resolver.Anchor {
	c := a
	c.Links = make([]resolver.Link, len(a.Links))
	for i, l := range a.Links {
		l.Hreflang = slices.Clone(l.Hreflang)
		l.Context = slices.Clone(l.Context)
		c.Links[i] = l
	}
	return c
}
