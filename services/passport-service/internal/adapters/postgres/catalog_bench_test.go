package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// BenchmarkCatalogRepository_ImportProducts stores batches of 1,000 new
// products (with their passport.product.changed events), as the catalog
// import does; ns/op is per batch, products/s is reported.
func BenchmarkCatalogRepository_ImportProducts(b *testing.B) {
	repo, _ := newCatalogRepo(b)
	ctx := context.Background()
	const batch = 1000
	brand := []catalog.Brand{{ID: "acme", Name: "Acme"}}
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		products := make([]catalog.Product, batch)
		for i := range products {
			body := fmt.Sprintf("2%012d", next)
			next++
			d, _ := dl.CheckDigit(body)
			products[i] = apptest.Product(body+string(d), "acme")
		}
		changes, err := repo.ImportProducts(ctx, products, brand, &app.Checkpoint{Source: "bench", Offset: int64(next)})
		if err != nil {
			b.Fatal(err)
		}
		if changes[0] != app.Created {
			b.Fatalf("change %v", changes[0])
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "products/s")
}
