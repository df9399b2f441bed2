package apptest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// Keys the contract uses: a GTIN of brand 9506000 with levels beneath it,
// and keys of other brands.
const (
	gtin      = "/01/09506000134352"
	gtinLot   = gtin + "/10/LOT1"
	gtinSer   = gtinLot + "/21/S%2F1"
	otherGTIN = "/01/09506001000003"
	sscc      = "/00/395060000000000019"
	gln       = "/414/9520123456788"
)

// Anchor returns an anchor of brand with a default link and a described
// product page; extra links are appended.
func Anchor(key, brand string, extra ...resolver.Link) resolver.Anchor {
	return resolver.Anchor{
		Key: key, Brand: brand, Description: "Item " + key,
		Links: append([]resolver.Link{
			{Type: resolver.LinkTypeDefault, Href: "https://brand.example/p" + key, Title: "Product", Fwqs: true, Public: true},
			{Type: resolver.Namespace + "pip", Href: "https://brand.example/p" + key, Title: "Product information",
				MediaType: "text/html", Hreflang: []string{"en", "en-GB"}, Context: []string{"gb"}, Fwqs: true, Public: true},
		}, extra...),
	}
}

// bare returns an anchor without a default link.
func bare(key, brand string) resolver.Anchor {
	return resolver.Anchor{Key: key, Brand: brand, Description: "Bare " + key, Links: []resolver.Link{
		{Type: resolver.Namespace + "dpp", Href: "https://brand.example/dpp/{21}", Title: "Passport", Fwqs: false, Public: false},
	}}
}

func noCheck(map[string]*resolver.Anchor) error { return nil }

// RunAnchorRepositoryContract runs the behaviour every app.AnchorRepository
// must have against repositories that newRepo returns; each call must give
// an empty repository of its own.
func RunAnchorRepositoryContract(t *testing.T, newRepo func(t *testing.T) app.AnchorRepository) {
	t.Run("ReplaceAnchors creates, then replaces, and GetAnchor returns every attribute", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		first := Anchor(gtin, "9506000")
		res, err := repo.ReplaceAnchors(ctx, []resolver.Anchor{first, bare(gtinSer, "9506000")}, nil, noCheck)
		if err != nil {
			t.Fatal(err)
		}
		want := []app.WriteResult{{Key: gtin, Created: true, Links: 2}, {Key: gtinSer, Created: true, Links: 1}}
		if !slices.Equal(res, want) {
			t.Fatalf("results %+v, want %+v", res, want)
		}
		got, err := repo.GetAnchor(ctx, gtin)
		if err != nil {
			t.Fatal(err)
		}
		assertAnchor(t, got.Anchor, first)
		if got.UpdatedAt.IsZero() {
			t.Error("UpdatedAt not set")
		}
		got, err = repo.GetAnchor(ctx, gtinSer)
		if err != nil {
			t.Fatal(err)
		}
		assertAnchor(t, got.Anchor, bare(gtinSer, "9506000"))

		second := Anchor(gtin, "95060", resolver.Link{Type: resolver.Namespace + "recallStatus",
			Href: "https://brand.example/recall?lot={10}", Title: "Recall", Fwqs: true, Public: true})
		second.Description = "Renamed"
		res, err = repo.ReplaceAnchors(ctx, []resolver.Anchor{second}, nil, noCheck)
		if err != nil {
			t.Fatal(err)
		}
		if want := []app.WriteResult{{Key: gtin, Created: false, Links: 3}}; !slices.Equal(res, want) {
			t.Fatalf("results %+v, want %+v", res, want)
		}
		again, err := repo.GetAnchor(ctx, gtin)
		if err != nil {
			t.Fatal(err)
		}
		assertAnchor(t, again.Anchor, second)
	})

	t.Run("ReplaceAnchors stores nothing when the check fails, and the check sees the lookup keys", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		if _, err := repo.ReplaceAnchors(ctx, []resolver.Anchor{Anchor(gtin, "9506000")}, nil, noCheck); err != nil {
			t.Fatal(err)
		}
		refuse := fault.New(fault.Invalid, "refused")
		var seen map[string]*resolver.Anchor
		_, err := repo.ReplaceAnchors(ctx, []resolver.Anchor{Anchor(gtinLot, "9506000"), Anchor(otherGTIN, "9506001")},
			[]string{gtin, sscc}, func(stored map[string]*resolver.Anchor) error {
				seen = stored
				return refuse
			})
		if !errors.Is(err, refuse) {
			t.Fatalf("err = %v, want the check's error", err)
		}
		if len(seen) != 1 || seen[gtin] == nil {
			t.Fatalf("check saw %v, want only %s", keysOf(seen), gtin)
		}
		assertAnchor(t, *seen[gtin], Anchor(gtin, "9506000"))
		for _, k := range []string{gtinLot, otherGTIN} {
			if _, err := repo.GetAnchor(ctx, k); !fault.Is(err, fault.NotFound) {
				t.Errorf("%s after a refused write: %v, want not found", k, err)
			}
		}
	})

	t.Run("GetAnchor of an unknown key is NotFound", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		if _, err := repo.GetAnchor(context.Background(), gtin); !fault.Is(err, fault.NotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
	})

	t.Run("ListAnchors pages in key order and filters", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		all := []resolver.Anchor{
			Anchor(gtinSer, "9506000"), Anchor(gtin, "9506000"), Anchor(gtinLot, "950600"),
			Anchor(otherGTIN, "9506001"), Anchor(sscc, "9506000"), Anchor(gln, "9520123"),
		}
		if _, err := repo.ReplaceAnchors(ctx, all, nil, noCheck); err != nil {
			t.Fatal(err)
		}
		sorted := []string{sscc, gtin, gtinLot, gtinSer, otherGTIN, gln} // byte order: "/00" < "/01" < "/414"
		tests := []struct {
			name string
			q    app.AnchorQuery
			want []string
		}{
			{"all", app.AnchorQuery{Limit: 100}, sorted},
			{"limit", app.AnchorQuery{Limit: 2}, sorted[:2]},
			{"after", app.AnchorQuery{After: gtinLot, Limit: 2}, []string{gtinSer, otherGTIN}},
			{"key prefix", app.AnchorQuery{KeyPrefix: gtin, Limit: 100}, []string{gtin, gtinLot, gtinSer}},
			{"key prefix and after", app.AnchorQuery{KeyPrefix: gtin, After: gtin, Limit: 100}, []string{gtinLot, gtinSer}},
			{"key prefix matches nothing", app.AnchorQuery{KeyPrefix: "/8004/", Limit: 100}, nil},
			{"brand", app.AnchorQuery{Brand: "9506000", Limit: 100}, []string{sscc, gtin, gtinSer}},
			{"companies skip the indicator and extension digits", app.AnchorQuery{Companies: []string{"9506000"}, Limit: 100},
				[]string{sscc, gtin, gtinLot, gtinSer}},
			{"companies of several brands", app.AnchorQuery{Companies: []string{"9506001", "9520123"}, Limit: 100},
				[]string{otherGTIN, gln}},
			{"no companies", app.AnchorQuery{Companies: []string{}, Limit: 100}, nil},
			{"all filters", app.AnchorQuery{Companies: []string{"9506000"}, Brand: "9506000", KeyPrefix: "/01/", Limit: 1},
				[]string{gtin}},
		}
		for _, tt := range tests {
			got, err := repo.ListAnchors(ctx, tt.q)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var keys []string
			for _, a := range got {
				keys = append(keys, a.Key)
			}
			if !slices.Equal(keys, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, keys, tt.want)
			}
		}
		got, err := repo.ListAnchors(ctx, app.AnchorQuery{KeyPrefix: gtinSer, Limit: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("list %s: %v %v", gtinSer, got, err)
		}
		assertAnchor(t, got[0].Anchor, Anchor(gtinSer, "9506000"))
	})

	t.Run("DeleteAnchor reports the levels around the key and deletes", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		if err := repo.DeleteAnchor(ctx, gtin, nil, func(app.DeleteFacts) error { return nil }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("delete of an unknown key: %v, want not found", err)
		}
		_, err := repo.ReplaceAnchors(ctx, []resolver.Anchor{
			Anchor(gtin, "9506000"), Anchor(gtinLot, "9506000"), bare(gtinSer, "9506000"),
			Anchor(gtin+"/10/LOT", "9506000"), bare(gtin+"/10/LOT2", "9506000"),
		}, nil, noCheck)
		if err != nil {
			t.Fatal(err)
		}
		facts := func(key string, ancestors ...string) app.DeleteFacts {
			t.Helper()
			refuse := errors.New("keep it")
			var f app.DeleteFacts
			if err := repo.DeleteAnchor(ctx, key, ancestors, func(got app.DeleteFacts) error {
				f = got
				return refuse
			}); !errors.Is(err, refuse) {
				t.Fatalf("delete %s: %v, want the check's error", key, err)
			}
			if _, err := repo.GetAnchor(ctx, key); err != nil {
				t.Fatalf("%s gone after a refused delete: %v", key, err)
			}
			return f
		}
		if f := facts(gtin); f.AncestorHasDefault || f.Dependent != gtin+"/10/LOT1/21/S%2F1" {
			t.Errorf("facts of %s: %+v", gtin, f)
		}
		if f := facts(gtinLot, gtin); !f.AncestorHasDefault || f.Dependent != gtinSer {
			t.Errorf("facts of %s: %+v", gtinLot, f)
		}
		if f := facts(gtinSer, gtinLot, gtin); !f.AncestorHasDefault || f.Dependent != "" {
			t.Errorf("facts of %s: %+v", gtinSer, f)
		}
		if err := repo.DeleteAnchor(ctx, gtinLot, []string{gtin}, func(app.DeleteFacts) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.GetAnchor(ctx, gtinLot); !fault.Is(err, fault.NotFound) {
			t.Fatalf("deleted anchor still there: %v", err)
		}
		// A key that merely shares a prefix ("/10/LOT2" and "/10/LOT") is no
		// level beneath.
		if f := facts(gtin+"/10/LOT", gtin); f.Dependent != "" || !f.AncestorHasDefault {
			t.Errorf("facts of %s/10/LOT: %+v", gtin, f)
		}
		if _, err := repo.ReplaceAnchors(ctx, []resolver.Anchor{Anchor(gtinLot, "9506000")}, nil, noCheck); err != nil {
			t.Fatalf("re-create after delete: %v", err)
		}
	})

	t.Run("writes are serialised: checks never overlap", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		var inside atomic.Int32
		var overlaps atomic.Int32
		check := func(map[string]*resolver.Anchor) error {
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			time.Sleep(5 * time.Millisecond) // widen the window an unserialised store would leave open
			inside.Add(-1)
			return nil
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				a := Anchor(gtin, "9506000") // the same key from every writer, on purpose
				_, err := repo.ReplaceAnchors(context.Background(), []resolver.Anchor{a}, []string{gtin}, check)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := overlaps.Load(); n > 0 {
			t.Fatalf("%d checks ran while another write was in progress", n)
		}
	})
}

func keysOf(m map[string]*resolver.Anchor) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// assertAnchor fails the test unless got and want hold the same data (nil
// and empty slices count as equal).
func assertAnchor(t *testing.T, got, want resolver.Anchor) {
	t.Helper()
	if got.Key != want.Key || got.Brand != want.Brand || got.Description != want.Description || len(got.Links) != len(want.Links) {
		t.Fatalf("anchor\n got %+v\nwant %+v", got, want)
	}
	for i := range want.Links {
		g, w := got.Links[i], want.Links[i]
		if g.Type != w.Type || g.Href != w.Href || g.Title != w.Title || g.MediaType != w.MediaType ||
			g.Fwqs != w.Fwqs || g.Public != w.Public || !slices.Equal(g.Hreflang, w.Hreflang) || !slices.Equal(g.Context, w.Context) {
			t.Fatalf("link %d of %s\n got %+v\nwant %+v", i, want.Key, g, w)
		}
	}
}
