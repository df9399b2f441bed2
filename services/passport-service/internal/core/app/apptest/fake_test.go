package apptest_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
)

// The fake passes the same contract as the Postgres adapter
// (internal/adapters/postgres), so use-case tests can trust it.
func TestAnchorRepository_Contract(t *testing.T) {
	t.Parallel()
	apptest.RunAnchorRepositoryContract(t, func(*testing.T) app.AnchorRepository {
		return apptest.NewAnchorRepository()
	})
}
