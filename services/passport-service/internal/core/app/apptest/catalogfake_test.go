package apptest_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
)

// The catalog fake passes the same contract as the Postgres adapter, so
// use-case tests can trust it.
func TestCatalogFake_Contract(t *testing.T) {
	t.Parallel()
	apptest.RunCatalogRepositoryContract(t, func(*testing.T) app.CatalogRepository {
		return apptest.NewCatalogFake()
	})
}
