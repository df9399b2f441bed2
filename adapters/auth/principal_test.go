package auth_test

import (
	"context"
	"testing"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/fault"
)

func TestRequire_ChecksPrincipalAndRoles(t *testing.T) {
	t.Parallel()
	analyst := auth.Principal{Subject: "u-1", Roles: []string{auth.RoleBrandAnalyst}, Brands: []string{"9506000"}}
	withAnalyst := auth.WithPrincipal(context.Background(), analyst)

	tests := []struct {
		name     string
		ctx      context.Context
		roles    []string
		wantKind fault.Kind
		wantOK   bool
	}{
		{"anonymous, any principal", context.Background(), nil, fault.Unauthenticated, false},
		{"anonymous, a role", context.Background(), []string{auth.RoleShopper}, fault.Unauthenticated, false},
		{"authenticated, no roles asked", withAnalyst, nil, 0, true},
		{"holds the role", withAnalyst, []string{auth.RoleBrandAnalyst}, 0, true},
		{"holds one of the roles", withAnalyst, []string{auth.RoleBrandOwner, auth.RoleBrandAnalyst}, 0, true},
		{"lacks the role", withAnalyst, []string{auth.RoleAdmin}, fault.Forbidden, false},
		{"lacks every role", withAnalyst, []string{auth.RoleAdmin, auth.RolePartner}, fault.Forbidden, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := auth.Require(tt.ctx, tt.roles...)
			if tt.wantOK {
				if err != nil || p.Subject != analyst.Subject {
					t.Fatalf("Require = %+v, %v; want the analyst", p, err)
				}
				return
			}
			if err == nil || fault.KindOf(err) != tt.wantKind {
				t.Fatalf("Require err = %v, want kind %v", err, tt.wantKind)
			}
			if p.Subject != "" {
				t.Fatalf("Require returned a principal with its error: %+v", p)
			}
		})
	}
}

func TestPrincipal_HasAnyRole(t *testing.T) {
	t.Parallel()
	p := auth.Principal{Roles: []string{auth.RoleShopper, auth.RolePartner}}
	tests := []struct {
		roles []string
		want  bool
	}{
		{nil, false},
		{[]string{auth.RoleAdmin}, false},
		{[]string{auth.RoleAdmin, auth.RolePartner}, true},
		{[]string{auth.RoleShopper}, true},
	}
	for _, tt := range tests {
		if got := p.HasAnyRole(tt.roles...); got != tt.want {
			t.Errorf("HasAnyRole(%v) = %v, want %v", tt.roles, got, tt.want)
		}
	}
}

func TestPrincipalFrom_RoundTrips(t *testing.T) {
	t.Parallel()
	if _, ok := auth.PrincipalFrom(context.Background()); ok {
		t.Fatal("empty context has a principal")
	}
	p, ok := auth.PrincipalFrom(auth.WithPrincipal(context.Background(), auth.Principal{Subject: "s"}))
	if !ok || p.Subject != "s" {
		t.Fatalf("PrincipalFrom = %+v, %v", p, ok)
	}
}
