package postgres_test

import (
	"testing"

	"github.com/packytrace/packytrace/adapters/postgres"
)

func TestURLForRole_ReplacesUserInBothForms(t *testing.T) {
	t.Parallel()
	tests := []struct{ admin, password, want string }{
		{"postgres://postgres:pw@db:5432/app?sslmode=disable", "s", "postgres://fridge_service:s@db:5432/app?sslmode=disable"},
		{"postgres://postgres@127.0.0.1/app", "", "postgres://fridge_service@127.0.0.1/app"},
		{"postgres:///app?host=%2Fvar%2Frun%2Fpostgresql&user=postgres", "s", "postgres:///app?host=%2Fvar%2Frun%2Fpostgresql&password=s&user=fridge_service"},
	}
	for _, tt := range tests {
		got, err := postgres.URLForRole(tt.admin, "fridge_service", tt.password)
		if err != nil || got != tt.want {
			t.Errorf("URLForRole(%q) = %q, %v; want %q", tt.admin, got, err, tt.want)
		}
	}
	if _, err := postgres.URLForRole("mysql://x", "r", ""); err == nil {
		t.Error("accepted a non-postgres URL")
	}
}
