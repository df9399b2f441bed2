package postgres_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/packytrace/packytrace/adapters/kafka"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// newCatalogRepo returns a catalog store on a database of the test's own,
// with the outbox the service gives it.
func newCatalogRepo(t testing.TB) (*postgres.CatalogRepository, *pgxpool.Pool) {
	t.Helper()
	pool := outboxDB(t)
	return postgres.NewCatalogRepository(pool, kafka.NewOutbox("passport", eventRegistry(t))), pool
}

func TestCatalogRepository_Contract(t *testing.T) {
	t.Parallel()
	apptest.RunCatalogRepositoryContract(t, func(t *testing.T) app.CatalogRepository {
		repo, _ := newCatalogRepo(t)
		return repo
	})
}

// productChanged is the data of passport.product.changed v1, as far as the
// tests read it.
type productChanged struct {
	GTIN    string `json:"gtin"`
	Change  string `json:"change"`
	Version int64  `json:"version"`
	Brand   struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"brand"`
	Names      map[string]string `json:"names"`
	Allergens  []string          `json:"allergens"`
	Traces     []string          `json:"traces"`
	NutriScore *struct {
		Status string `json:"status"`
		Grade  string `json:"grade"`
		Score  *int   `json:"score"`
	} `json:"nutri_score"`
	Nutrition *struct {
		Per   string   `json:"per"`
		Sugar *float64 `json:"sugars"`
	} `json:"nutrition"`
}

// outboxEvents returns the events in the passport outbox, oldest first,
// each validated against its schema.
func outboxEvents(t *testing.T, pool *pgxpool.Pool) []productChanged {
	t.Helper()
	reg := eventRegistry(t)
	rows, err := pool.Query(context.Background(), `SELECT o.topic, e.event_key, o.event_type, o.event_version,
			substring(o.payload FROM coalesce(o.payload_ends[e.n - 1], 0) + 1 FOR e.payload_end - coalesce(o.payload_ends[e.n - 1], 0))
		FROM passport.outbox o
		CROSS JOIN LATERAL unnest(o.event_keys, o.payload_ends) WITH ORDINALITY AS e(event_key, payload_end, n)
		ORDER BY o.id, e.n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []productChanged
	for rows.Next() {
		var topic, key, typ string
		var version int32
		var payload []byte
		if err := rows.Scan(&topic, &key, &typ, &version, &payload); err != nil {
			t.Fatal(err)
		}
		env, err := reg.Validate(payload)
		if err != nil {
			t.Fatalf("outbox event breaks its schema: %v\n%s", err, payload)
		}
		if env.Type != postgres.ProductChangedType || env.Version != postgres.ProductChangedVersion || typ != env.Type ||
			int(version) != env.Version || topic != "passport.product.changed.v1" || env.Producer != "passport-service" {
			t.Fatalf("event %s v%d on %s by %s", env.Type, env.Version, topic, env.Producer)
		}
		var d productChanged
		if err := json.Unmarshal(env.Data, &d); err != nil {
			t.Fatal(err)
		}
		if key != d.GTIN || env.Key != d.GTIN {
			t.Fatalf("event keys %q and %q, want the GTIN %s", key, env.Key, d.GTIN)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func summary(evs []productChanged) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Change+" "+e.GTIN+" "+e.Brand.ID)
	}
	return out
}

func TestCatalogRepository_RecordsEveryProductChangeInTheOutbox(t *testing.T) {
	t.Parallel()
	repo, pool := newCatalogRepo(t)
	ctx := context.Background()
	if _, err := repo.CreateBrand(ctx, catalog.Brand{ID: "acme", Name: "Acme Foods", Prefixes: []string{"9506000"}}); err != nil {
		t.Fatal(err)
	}
	const g1, g2, g3 = "09506000134352", "09506000134369", "04000000000013"
	accept := func(*catalog.Product) error { return nil }
	put := func(p catalog.Product) app.Change {
		t.Helper()
		_, change, err := repo.PutProduct(ctx, p, accept)
		if err != nil {
			t.Fatal(err)
		}
		return change
	}
	put(apptest.Product(g1, "acme"))
	if put(apptest.Product(g1, "acme")) != app.Unchanged {
		t.Fatal("second write of the same product changed it")
	}
	changed := apptest.Product(g1, "acme")
	changed.Names["en"] = "Renamed"
	put(changed)
	if _, change, err := repo.PutProduct(ctx, apptest.Product(g2, "acme"), func(*catalog.Product) error {
		return context.Canceled // a refused write records nothing
	}); err == nil || change != app.Unchanged {
		t.Fatalf("refused write: %v %v", change, err)
	}
	if err := repo.DeleteProduct(ctx, g1, func(catalog.Product) error { return nil }); err != nil {
		t.Fatal(err)
	}
	_, err := repo.ImportProducts(ctx, []catalog.Product{apptest.Product(g2, "acme"), apptest.Product(g3, "imported")},
		[]catalog.Brand{{ID: "imported", Name: "Imported Ltd"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.ImportProducts(ctx, []catalog.Product{apptest.Product(g2, "acme"), apptest.Product(g3, "imported")}, nil, nil); err != nil {
		t.Fatal(err)
	}

	evs := outboxEvents(t, pool)
	want := []string{"created " + g1 + " acme", "updated " + g1 + " acme", "deleted " + g1 + " acme",
		"created " + g2 + " acme", "created " + g3 + " imported"}
	if got := summary(evs); !slices.Equal(got, want) {
		t.Fatalf("outbox holds %v, want %v", got, want)
	}
	created, updated, deleted := evs[0], evs[1], evs[2]
	if created.Version != 1 || created.Brand.Name != "Acme Foods" || created.Names["fr"] == "" ||
		!slices.Equal(created.Allergens, []string{"gluten", "milk", "wheat"}) || !slices.Equal(created.Traces, []string{"nuts"}) ||
		created.Nutrition == nil || created.Nutrition.Per != "100g" || created.Nutrition.Sugar == nil || *created.Nutrition.Sugar != 21.3 ||
		created.NutriScore == nil || created.NutriScore.Status != "computed" || created.NutriScore.Grade == "" || created.NutriScore.Score == nil {
		t.Errorf("created event %+v", created)
	}
	if updated.Version != 2 || updated.Names["en"] != "Renamed" {
		t.Errorf("updated event %+v", updated)
	}
	if deleted.Version != 2 || deleted.Brand.Name != "Acme Foods" || deleted.Names != nil || deleted.NutriScore != nil {
		t.Errorf("deleted event %+v, want only gtin, change, version and brand", deleted)
	}
	if evs[4].Brand.Name != "Imported Ltd" {
		t.Errorf("imported product's brand %+v", evs[4].Brand)
	}
}

// startPassportSync is startSync with the passport page base set, as the
// service sets it.
func startPassportSync(t *testing.T, pool *pgxpool.Pool, base string) *resolver.Index {
	t.Helper()
	idx := resolver.NewIndex()
	idx.SetPassportBase(base)
	runSync(t, pool, idx, 0)
	return idx
}

// resolves returns where the index sends a scan of /01/gtin, "" when
// nowhere.
func resolves(t *testing.T, idx *resolver.Index, gtin string) string {
	t.Helper()
	u, err := dl.ParsePath("/01/"+gtin, "")
	if err != nil {
		t.Fatal(err)
	}
	r := resolver.Resolve(idx, resolver.Request{URI: u})
	if r.Kind != resolver.Redirect {
		return ""
	}
	return r.Href
}

func TestCatalogRepository_ProductsReachTheResolverIndex(t *testing.T) {
	t.Parallel()
	repo, pool := newCatalogRepo(t)
	ctx := context.Background()
	const base = "https://id.example.com/passport"
	const g1, g2, g3 = "09506000134352", "09506000134369", "09506000134376"
	if _, err := repo.CreateBrand(ctx, catalog.Brand{ID: "acme", Name: "Acme", Prefixes: []string{"9506000"}}); err != nil {
		t.Fatal(err)
	}
	accept := func(*catalog.Product) error { return nil }
	// A product stored before the replica starts arrives with the load; one
	// deleted before it starts does not.
	if _, _, err := repo.PutProduct(ctx, apptest.Product(g3, "acme"), accept); err != nil {
		t.Fatal(err)
	}
	if _, _, err := repo.PutProduct(ctx, apptest.Product(g2, "acme"), accept); err != nil {
		t.Fatal(err)
	}
	if err := repo.DeleteProduct(ctx, g2, func(catalog.Product) error { return nil }); err != nil {
		t.Fatal(err)
	}
	idx := startPassportSync(t, pool, base)
	if got := resolves(t, idx, g3); got != base+"/01/"+g3 {
		t.Fatalf("loaded product resolves to %q", got)
	}
	if got := resolves(t, idx, g2); got != "" {
		t.Fatalf("product deleted before the load resolves to %q", got)
	}

	if _, _, err := repo.PutProduct(ctx, apptest.Product(g1, "acme"), accept); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "created product resolves to its passport page", func() bool { return resolves(t, idx, g1) == base+"/01/"+g1 })
	if err := repo.DeleteProduct(ctx, g1, func(catalog.Product) error { return nil }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "deleted product no longer resolves", func() bool { return resolves(t, idx, g1) == "" })

	// Imports reach the index too, and a re-created product comes back.
	if _, err := repo.ImportProducts(ctx, []catalog.Product{apptest.Product(g1, "acme"), apptest.Product(g2, "acme")}, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{g1, g2} {
		waitFor(t, "imported product "+g+" resolves", func() bool { return resolves(t, idx, g) == base+"/01/"+g })
	}

	// A brand's own default link wins over the passport page, which stays
	// the product's gs1:pip.
	anchors := postgres.NewAnchorRepository(pool)
	put(t, anchors, apptest.Anchor("/01/"+g3, "9506000"))
	waitFor(t, "brand's default link wins", func() bool { return resolves(t, idx, g3) == "https://brand.example/p/01/"+g3 })
	a := idx.Get("/01/" + g3)
	if a == nil || !slices.ContainsFunc(a.Links, func(l resolver.Link) bool { return l.Passport && l.Href == base+"/01/"+g3 }) {
		t.Fatalf("anchor of a catalog product without the passport link: %+v", a)
	}
}
