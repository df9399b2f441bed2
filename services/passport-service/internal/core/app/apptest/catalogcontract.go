package apptest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/nutriscore"
)

// GTINs the catalog contract uses (check digits computed with the GS1
// mod-10 rule): three of company prefix 9506000, two of 9506001 and one
// that no brand of the contract holds.
const (
	gtin1     = "09506000134352"
	gtin2     = "09506000134369"
	gtin3     = "09506000134376"
	gtinBig1  = "09506001000007"
	gtinBig2  = "09506001000014"
	gtinNoOne = "09520123000004"
)

func ptr[T any](v T) *T { return &v }

// Product returns a valid product of brand with every attribute set and
// its Nutri-Score computed, as the use cases hand products to a
// repository.
func Product(gtin, brand string) catalog.Product {
	p := catalog.Product{
		GTIN: gtin, BrandID: brand,
		Names:      map[string]string{"en": "Oat biscuits " + gtin, "fr": "Biscuits à l'avoine"},
		NetContent: &catalog.Quantity{Value: 250, Unit: catalog.Gram},
		Category:   "en:biscuits", Categories: []string{"en:snacks", "en:biscuits"},
		Ingredients: map[string]string{"en": "Oat flakes 60%, _wheat_ flour, sugar, butter (_milk_)", "fr": "Flocons d'avoine"},
		Allergens:   []catalog.Allergen{catalog.Gluten, catalog.Milk, catalog.Wheat},
		Traces:      []catalog.Allergen{catalog.Nuts},
		Nutrition: &catalog.Nutrition{Per: catalog.Per100g, EnergyKJ: ptr(1946.0), EnergyKcal: ptr(464.0), Fat: ptr(19.5),
			SaturatedFat: ptr(8.1), Carbohydrates: ptr(61.2), Sugars: ptr(21.3), Fibre: ptr(5.4), Protein: ptr(7.1),
			Salt: ptr(0.93), Sodium: ptr(0.372)},
		Packaging: []catalog.PackagingComponent{
			{Shape: "tray", Material: "PET", Recycling: "recycle", Count: 1},
			{Shape: "film", Material: "PP", Recycling: "discard", Count: 2},
		},
		Origin:   "United Kingdom",
		ImageURL: "https://images.example/" + gtin + ".jpg",
	}
	p.Compute()
	return p
}

func noProductCheck(*catalog.Product) error { return nil }

// RunCatalogRepositoryContract runs the behaviour every
// app.CatalogRepository must have against repositories that newRepo
// returns; each call must give an empty repository of its own.
func RunCatalogRepositoryContract(t *testing.T, newRepo func(t *testing.T) app.CatalogRepository) {
	brand := func(id string, prefixes ...string) catalog.Brand {
		return catalog.Brand{ID: id, Name: "Brand " + id, Prefixes: prefixes}
	}
	// seed stores the contract's brands: acme holds 9506000, big the
	// shorter 950600 (which also covers acme's GTINs).
	seed := func(t *testing.T, repo app.CatalogRepository) {
		t.Helper()
		for _, b := range []catalog.Brand{brand("acme", "9506000"), brand("big", "950600", "5012345"), brand("nameonly")} {
			if _, err := repo.CreateBrand(context.Background(), b); err != nil {
				t.Fatal(err)
			}
		}
	}
	put := func(t *testing.T, repo app.CatalogRepository, p catalog.Product) (catalog.Product, app.Change) {
		t.Helper()
		got, change, err := repo.PutProduct(context.Background(), p, noProductCheck)
		if err != nil {
			t.Fatalf("put %s: %v", p.GTIN, err)
		}
		return got, change
	}

	t.Run("CreateBrand stores at version 1, refuses a taken id, and GetBrand returns it", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		before := time.Now().Add(-time.Minute)
		got, err := repo.CreateBrand(ctx, brand("acme", "9506000", "9506001"))
		if err != nil {
			t.Fatal(err)
		}
		assertBrand(t, got, brand("acme", "9506000", "9506001"), 1)
		if got.UpdatedAt.Before(before) {
			t.Errorf("UpdatedAt %v not set", got.UpdatedAt)
		}
		again, err := repo.GetBrand(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		assertBrand(t, again, brand("acme", "9506000", "9506001"), 1)
		if _, err := repo.CreateBrand(ctx, brand("acme", "5012345")); !fault.Is(err, fault.Conflict) {
			t.Fatalf("second create: %v, want conflict", err)
		}
		if _, err := repo.GetBrand(ctx, "nobody"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown brand: %v, want not found", err)
		}
		nameOnly, err := repo.CreateBrand(ctx, brand("nameonly"))
		if err != nil {
			t.Fatal(err)
		}
		if nameOnly.Prefixes == nil || len(nameOnly.Prefixes) != 0 {
			t.Errorf("prefixes of a brand without any: %#v, want empty", nameOnly.Prefixes)
		}
	})

	t.Run("ListBrands pages in id order", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		for _, id := range []string{"delta", "alpha", "charlie", "bravo"} {
			if _, err := repo.CreateBrand(ctx, brand(id)); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			after string
			limit int
			want  []string
		}{
			{"", 10, []string{"alpha", "bravo", "charlie", "delta"}},
			{"", 2, []string{"alpha", "bravo"}},
			{"bravo", 2, []string{"charlie", "delta"}},
			{"delta", 2, nil},
			{"b", 1, []string{"bravo"}},
		}
		for _, tt := range tests {
			got, err := repo.ListBrands(ctx, tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, b := range got {
				ids = append(ids, b.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("after %q limit %d: %v, want %v", tt.after, tt.limit, ids, tt.want)
			}
		}
	})

	t.Run("UpdateBrand checks the stored brand, then stores the next version", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		if _, err := repo.UpdateBrand(ctx, brand("acme"), func(catalog.Brand) error { return nil }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("update of an unknown brand: %v, want not found", err)
		}
		if _, err := repo.CreateBrand(ctx, brand("acme", "9506000")); err != nil {
			t.Fatal(err)
		}
		refuse := fault.New(fault.PreconditionFailed, "stale")
		var seen catalog.Brand
		_, err := repo.UpdateBrand(ctx, catalog.Brand{ID: "acme", Name: "Renamed"}, func(cur catalog.Brand) error {
			seen = cur
			return refuse
		})
		if !errors.Is(err, refuse) {
			t.Fatalf("refused update: %v, want the check's error", err)
		}
		assertBrand(t, seen, brand("acme", "9506000"), 1)
		if got, err := repo.GetBrand(ctx, "acme"); err != nil || got.Name != "Brand acme" || got.Version != 1 {
			t.Fatalf("after a refused update: %+v %v", got, err)
		}
		want := catalog.Brand{ID: "acme", Name: "Acme Foods", Prefixes: []string{"5012345", "9506000"}}
		got, err := repo.UpdateBrand(ctx, want, func(catalog.Brand) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		assertBrand(t, got, want, 2)
		got, err = repo.GetBrand(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		assertBrand(t, got, want, 2)
	})

	t.Run("BrandsHoldingGTINs maps GTINs to the brand with the longest prefix", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		got, err := repo.BrandsHoldingGTINs(ctx, []string{gtin1, gtinBig1, gtinNoOne, "05012345000006"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{gtin1: "acme", gtinBig1: "big", "05012345000006": "big"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("holders %v, want %v", got, want)
		}
		if got, err := repo.BrandsHoldingGTINs(ctx, nil); err != nil || len(got) != 0 {
			t.Fatalf("no GTINs: %v %v", got, err)
		}
	})

	t.Run("PutProduct creates, replaces with the next version, and leaves an unchanged product alone", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		if _, err := repo.GetProduct(ctx, gtin1); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown product: %v, want not found", err)
		}
		first := Product(gtin1, "acme")
		got, change := put(t, repo, first)
		if change != app.Created || got.Version != 1 || got.CreatedAt.IsZero() || !got.UpdatedAt.Equal(got.CreatedAt) {
			t.Fatalf("create: change %v version %d created %v updated %v", change, got.Version, got.CreatedAt, got.UpdatedAt)
		}
		assertProduct(t, got, first)
		stored, err := repo.GetProduct(ctx, gtin1)
		if err != nil {
			t.Fatal(err)
		}
		assertProduct(t, stored, first)
		if stored.Version != 1 || !stored.CreatedAt.Equal(got.CreatedAt) {
			t.Fatalf("stored version %d created %v, want 1 and %v", stored.Version, stored.CreatedAt, got.CreatedAt)
		}

		same := Product(gtin1, "acme")
		got, change = put(t, repo, same)
		if change != app.Unchanged || got.Version != 1 || !got.UpdatedAt.Equal(stored.UpdatedAt) {
			t.Fatalf("unchanged write: change %v version %d updated %v", change, got.Version, got.UpdatedAt)
		}
		assertProduct(t, got, first)

		second := Product(gtin1, "acme")
		second.Names["de"] = "Haferkekse"
		second.Nutrition.Sugars = ptr(30.0)
		second.Packaging = nil
		second.Compute()
		got, change = put(t, repo, second)
		if change != app.Updated || got.Version != 2 || !got.CreatedAt.Equal(stored.CreatedAt) {
			t.Fatalf("replace: change %v version %d created %v", change, got.Version, got.CreatedAt)
		}
		assertProduct(t, got, second)
		stored, err = repo.GetProduct(ctx, gtin1)
		if err != nil {
			t.Fatal(err)
		}
		assertProduct(t, stored, second)

		// A change of brand alone is a change.
		moved := second
		moved.BrandID = "big"
		got, change = put(t, repo, moved)
		if change != app.Updated || got.Version != 3 || got.BrandID != "big" {
			t.Fatalf("brand change: change %v version %d brand %s", change, got.Version, got.BrandID)
		}

		// A product of the bare minimum comes back as it went in.
		bare := catalog.Product{GTIN: gtin2, BrandID: "acme", Names: map[string]string{"en": "Bare"}}
		bare.Compute()
		got, change = put(t, repo, bare)
		if change != app.Created {
			t.Fatalf("create bare: %v", change)
		}
		stored, err = repo.GetProduct(ctx, gtin2)
		if err != nil {
			t.Fatal(err)
		}
		assertProduct(t, stored, bare)
		if stored.NutriScore.Status != nutriscore.StatusUnknown {
			t.Errorf("bare product's Nutri-Score %+v, want unknown", stored.NutriScore)
		}
		if _, change = put(t, repo, bare); change != app.Unchanged {
			t.Errorf("second write of the bare product: %v, want unchanged", change)
		}
	})

	t.Run("PutProduct shows the check the stored product and stores nothing when it fails", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		refuse := fault.New(fault.PreconditionRequired, "needs If-Match")
		var seen []*catalog.Product
		check := func(cur *catalog.Product) error {
			seen = append(seen, cur)
			return refuse
		}
		if _, _, err := repo.PutProduct(ctx, Product(gtin1, "acme"), check); !errors.Is(err, refuse) {
			t.Fatalf("refused create: %v, want the check's error", err)
		}
		if len(seen) != 1 || seen[0] != nil {
			t.Fatalf("check of a create saw %v, want nil", seen)
		}
		if _, err := repo.GetProduct(ctx, gtin1); !fault.Is(err, fault.NotFound) {
			t.Fatalf("product after a refused create: %v, want not found", err)
		}
		first, _ := put(t, repo, Product(gtin1, "acme"))
		changed := Product(gtin1, "acme")
		changed.Origin = "France"
		if _, _, err := repo.PutProduct(ctx, changed, check); !errors.Is(err, refuse) {
			t.Fatalf("refused replace: %v, want the check's error", err)
		}
		if len(seen) != 2 || seen[1] == nil || seen[1].Version != 1 {
			t.Fatalf("check of a replace saw %+v, want version 1", seen[1])
		}
		assertProduct(t, *seen[1], Product(gtin1, "acme"))
		stored, err := repo.GetProduct(ctx, gtin1)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Version != first.Version || stored.Origin != "United Kingdom" {
			t.Fatalf("after a refused replace: version %d origin %q", stored.Version, stored.Origin)
		}
	})

	t.Run("checks may read the repository, as the use cases' checks do", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		read := func() error {
			if _, err := repo.GetBrand(ctx, "acme"); err != nil {
				return err
			}
			_, err := repo.GetProduct(ctx, gtin1)
			if fault.Is(err, fault.NotFound) {
				return nil
			}
			return err
		}
		if _, _, err := repo.PutProduct(ctx, Product(gtin1, "acme"), func(*catalog.Product) error { return read() }); err != nil {
			t.Fatal(err)
		}
		changed := Product(gtin1, "acme")
		changed.Origin = "Spain"
		if _, _, err := repo.PutProduct(ctx, changed, func(*catalog.Product) error { return read() }); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.UpdateBrand(ctx, brand("acme", "9506000"), func(catalog.Brand) error { return read() }); err != nil {
			t.Fatal(err)
		}
		if err := repo.DeleteProduct(ctx, gtin1, func(catalog.Product) error { return read() }); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("PutProduct of an unknown brand is invalid", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		_, _, err := repo.PutProduct(ctx, Product(gtin1, "nobody"), noProductCheck)
		if !fault.Is(err, fault.Invalid) {
			t.Fatalf("err = %v (%v), want invalid", err, fault.KindOf(err))
		}
		if _, err := repo.GetProduct(ctx, gtin1); !fault.Is(err, fault.NotFound) {
			t.Fatalf("product of an unknown brand stored: %v", err)
		}
	})

	t.Run("DeleteProduct checks the stored product, deletes, and a new product starts over", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		accept := func(catalog.Product) error { return nil }
		if err := repo.DeleteProduct(ctx, gtin1, accept); !fault.Is(err, fault.NotFound) {
			t.Fatalf("delete of an unknown product: %v, want not found", err)
		}
		put(t, repo, Product(gtin1, "acme"))
		changed := Product(gtin1, "acme")
		changed.Origin = "Wales"
		put(t, repo, changed)
		refuse := errors.New("keep it")
		var seen catalog.Product
		if err := repo.DeleteProduct(ctx, gtin1, func(cur catalog.Product) error {
			seen = cur
			return refuse
		}); !errors.Is(err, refuse) {
			t.Fatalf("refused delete: %v, want the check's error", err)
		}
		if seen.Version != 2 || seen.BrandID != "acme" {
			t.Fatalf("check saw version %d brand %q, want 2 and acme", seen.Version, seen.BrandID)
		}
		assertProduct(t, seen, changed)
		if _, err := repo.GetProduct(ctx, gtin1); err != nil {
			t.Fatalf("product gone after a refused delete: %v", err)
		}
		if err := repo.DeleteProduct(ctx, gtin1, accept); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.GetProduct(ctx, gtin1); !fault.Is(err, fault.NotFound) {
			t.Fatalf("deleted product: %v, want not found", err)
		}
		if err := repo.DeleteProduct(ctx, gtin1, accept); !fault.Is(err, fault.NotFound) {
			t.Fatalf("second delete: %v, want not found", err)
		}
		if got, change := put(t, repo, Product(gtin1, "acme")); change != app.Created || got.Version != 1 {
			t.Fatalf("re-create: change %v version %d, want created at 1", change, got.Version)
		}
	})

	t.Run("ListProducts pages in GTIN order and filters by brand", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		for _, p := range []catalog.Product{Product(gtinBig2, "big"), Product(gtin3, "acme"), Product(gtin1, "acme"),
			Product(gtinBig1, "big"), Product(gtin2, "acme")} {
			put(t, repo, p)
		}
		tests := []struct {
			name string
			q    app.ProductQuery
			want []string
		}{
			{"all", app.ProductQuery{Limit: 100}, []string{gtin1, gtin2, gtin3, gtinBig1, gtinBig2}},
			{"limit", app.ProductQuery{Limit: 2}, []string{gtin1, gtin2}},
			{"after", app.ProductQuery{After: gtin2, Limit: 2}, []string{gtin3, gtinBig1}},
			{"brand", app.ProductQuery{BrandID: "big", Limit: 100}, []string{gtinBig1, gtinBig2}},
			{"brand and after", app.ProductQuery{BrandID: "acme", After: gtin1, Limit: 1}, []string{gtin2}},
			{"brand without products", app.ProductQuery{BrandID: "nameonly", Limit: 100}, nil},
			{"after the last", app.ProductQuery{After: gtinBig2, Limit: 100}, nil},
		}
		for _, tt := range tests {
			got, err := repo.ListProducts(ctx, tt.q)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var gtins []string
			for _, p := range got {
				gtins = append(gtins, p.GTIN)
			}
			if !slices.Equal(gtins, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, gtins, tt.want)
			}
		}
		got, err := repo.ListProducts(ctx, app.ProductQuery{After: gtin2, Limit: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("list: %v %v", got, err)
		}
		assertProduct(t, got[0], Product(gtin3, "acme"))
		if got[0].Version != 1 || got[0].CreatedAt.IsZero() {
			t.Errorf("listed product version %d created %v", got[0].Version, got[0].CreatedAt)
		}
	})

	t.Run("ImportProducts creates, updates and leaves alone, with new brands and the checkpoint", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		put(t, repo, Product(gtin1, "acme"))
		put(t, repo, Product(gtin2, "acme"))
		changed := Product(gtin2, "acme")
		changed.Names = map[string]string{"en": "New name"}
		fresh := Product(gtinNoOne, "off-brand")
		cp := &app.Checkpoint{Source: "sha256:abc", Offset: 4096, Records: 3}
		changes, err := repo.ImportProducts(ctx, []catalog.Product{Product(gtin1, "acme"), fresh, changed},
			[]catalog.Brand{{ID: "off-brand", Name: "Off Brand"}, {ID: "acme", Name: "Not renamed"}}, cp)
		if err != nil {
			t.Fatal(err)
		}
		if want := []app.Change{app.Unchanged, app.Created, app.Updated}; !slices.Equal(changes, want) {
			t.Fatalf("changes %v, want %v", changes, want)
		}
		if got, err := repo.GetProduct(ctx, gtin1); err != nil || got.Version != 1 {
			t.Fatalf("unchanged product: version %d, %v", got.Version, err)
		}
		got, err := repo.GetProduct(ctx, gtin2)
		if err != nil || got.Version != 2 {
			t.Fatalf("updated product: version %d, %v", got.Version, err)
		}
		assertProduct(t, got, changed)
		got, err = repo.GetProduct(ctx, gtinNoOne)
		if err != nil || got.Version != 1 || got.BrandID != "off-brand" {
			t.Fatalf("created product: %+v, %v", got, err)
		}
		assertProduct(t, got, fresh)
		b, err := repo.GetBrand(ctx, "off-brand")
		if err != nil {
			t.Fatal(err)
		}
		assertBrand(t, b, catalog.Brand{ID: "off-brand", Name: "Off Brand"}, 1)
		if b, err := repo.GetBrand(ctx, "acme"); err != nil || b.Name != "Brand acme" || b.Version != 1 {
			t.Fatalf("existing brand changed by an import: %+v %v", b, err)
		}
		stored, ok, err := repo.Checkpoint(ctx, cp.Source)
		if err != nil || !ok {
			t.Fatalf("checkpoint: %v %v", ok, err)
		}
		if stored.Source != cp.Source || stored.Offset != 4096 || stored.Records != 3 || stored.UpdatedAt.IsZero() {
			t.Fatalf("checkpoint %+v", stored)
		}

		// The same batch again changes nothing and moves the checkpoint.
		cp.Offset, cp.Records = 8192, 6
		changes, err = repo.ImportProducts(ctx, []catalog.Product{Product(gtin1, "acme"), fresh, changed}, nil, cp)
		if err != nil {
			t.Fatal(err)
		}
		if want := []app.Change{app.Unchanged, app.Unchanged, app.Unchanged}; !slices.Equal(changes, want) {
			t.Fatalf("second import: %v, want %v", changes, want)
		}
		if stored, _, _ := repo.Checkpoint(ctx, cp.Source); stored.Offset != 8192 || stored.Records != 6 {
			t.Fatalf("checkpoint after the second batch %+v", stored)
		}
		// A batch without products still stores its checkpoint.
		if changes, err := repo.ImportProducts(ctx, nil, nil, &app.Checkpoint{Source: "empty", Offset: 10, Records: 1}); err != nil || len(changes) != 0 {
			t.Fatalf("empty batch: %v %v", changes, err)
		}
		if _, ok, _ := repo.Checkpoint(ctx, "empty"); !ok {
			t.Fatal("checkpoint of an empty batch not stored")
		}
	})

	t.Run("ImportProducts stores nothing of a failed batch, not even its checkpoint", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		seed(t, repo)
		cp := app.Checkpoint{Source: "src", Offset: 100, Records: 1}
		if _, err := repo.ImportProducts(ctx, nil, nil, &cp); err != nil {
			t.Fatal(err)
		}
		next := app.Checkpoint{Source: "src", Offset: 200, Records: 2}
		batches := map[string][]catalog.Product{
			"unknown brand": {Product(gtin1, "acme"), Product(gtin2, "nobody")},
			"GTIN twice":    {Product(gtin1, "acme"), Product(gtin1, "big")},
		}
		for name, batch := range batches {
			_, err := repo.ImportProducts(ctx, batch, []catalog.Brand{{ID: "new-brand", Name: "New"}}, &next)
			if !fault.Is(err, fault.Invalid) {
				t.Fatalf("%s: %v (%v), want invalid", name, err, fault.KindOf(err))
			}
			if _, err := repo.GetProduct(ctx, gtin1); !fault.Is(err, fault.NotFound) {
				t.Fatalf("%s: a product of the failed batch was stored: %v", name, err)
			}
			if _, err := repo.GetBrand(ctx, "new-brand"); !fault.Is(err, fault.NotFound) {
				t.Fatalf("%s: a brand of the failed batch was stored: %v", name, err)
			}
			if got, _, _ := repo.Checkpoint(ctx, "src"); got.Offset != 100 || got.Records != 1 {
				t.Fatalf("%s: checkpoint moved by a failed batch: %+v", name, got)
			}
		}
	})

	t.Run("Checkpoint is absent until stored and FinishImport forgets it", func(t *testing.T) {
		t.Parallel()
		repo, ctx := newRepo(t), context.Background()
		if _, ok, err := repo.Checkpoint(ctx, "src"); ok || err != nil {
			t.Fatalf("checkpoint of a new source: %v %v", ok, err)
		}
		for _, src := range []string{"src", "other"} {
			if _, err := repo.ImportProducts(ctx, nil, nil, &app.Checkpoint{Source: src, Offset: 7, Records: 2}); err != nil {
				t.Fatal(err)
			}
		}
		if err := repo.FinishImport(ctx, "src"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := repo.Checkpoint(ctx, "src"); ok || err != nil {
			t.Fatalf("checkpoint after FinishImport: %v %v", ok, err)
		}
		if got, ok, err := repo.Checkpoint(ctx, "other"); !ok || err != nil || got.Offset != 7 {
			t.Fatalf("other source's checkpoint: %+v %v %v", got, ok, err)
		}
		if err := repo.FinishImport(ctx, "never-started"); err != nil {
			t.Fatalf("FinishImport of an unknown source: %v", err)
		}
	})
}

// assertBrand fails unless got holds want's id, name and prefixes (nil and
// empty equal) at version.
func assertBrand(t *testing.T, got, want catalog.Brand, version int64) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || !slices.Equal(got.Prefixes, want.Prefixes) || got.Version != version {
		t.Fatalf("brand\n got %+v\nwant %+v at version %d", got, want, version)
	}
}

// assertProduct fails unless got has want's GTIN, brand and facts.
func assertProduct(t *testing.T, got, want catalog.Product) {
	t.Helper()
	if got.GTIN != want.GTIN || got.BrandID != want.BrandID || !sameFacts(got, want) {
		t.Fatalf("product\n got %+v\nwant %+v", dump(got), dump(want))
	}
}

// dump shows a product with its pointers followed.
func dump(p catalog.Product) string {
	s := fmt.Sprintf("%+v", factsOf(p))
	if p.NetContent != nil {
		s += fmt.Sprintf(" net content %+v", *p.NetContent)
	}
	if n := p.Nutrition; n != nil {
		s += " nutrition " + string(n.Per)
		for _, v := range []*float64{n.EnergyKJ, n.EnergyKcal, n.Fat, n.SaturatedFat, n.Carbohydrates, n.Sugars,
			n.Fibre, n.Protein, n.Salt, n.Sodium, n.FruitVegLegumes} {
			if v == nil {
				s += " -"
			} else {
				s += fmt.Sprintf(" %g", *v)
			}
		}
	}
	return p.GTIN + " " + p.BrandID + " " + s
}
