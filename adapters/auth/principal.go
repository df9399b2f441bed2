// Package auth verifies the bearer access tokens that Keycloak (realm
// packytrace) issues, and carries the authenticated caller through a request
// as a Principal.
//
// Every service checks tokens itself rather than trusting the gateway (no
// trust in network position), so the checks live here once: signature through
// a cached JWKS, an allow-list of asymmetric algorithms, exact issuer,
// audience, expiry with a small leeway, and Keycloak's typ claim so that an
// ID token cannot stand in for an access token.
package auth

import (
	"context"
	"slices"

	"github.com/packytrace/packytrace/adapters/fault"
)

// Realm roles of the packytrace realm.
const (
	// RoleShopper is a signed-in consumer.
	RoleShopper = "shopper"
	// RoleBrandOwner manages a brand's catalogue and links.
	RoleBrandOwner = "brand_owner"
	// RoleBrandAnalyst reads a brand's aggregates.
	RoleBrandAnalyst = "brand_analyst"
	// RolePartner is a partner application using client credentials.
	RolePartner = "partner"
	// RoleAdmin operates the platform.
	RoleAdmin = "admin"
)

// Principal is the authenticated caller as the access token describes it.
type Principal struct {
	// Subject is the token's sub: the Keycloak user id (a service-account
	// user for client credentials).
	Subject string
	// ClientID is azp, the client that asked for the token.
	ClientID string
	// Username is preferred_username; it may be empty and is for display
	// and logs only, never for authorisation.
	Username string
	// Roles are the realm roles from realm_access.roles.
	Roles []string
	// Brands are the GS1 company prefixes the caller acts for.
	Brands []string
}

// HasRole reports whether the principal holds the realm role.
func (p Principal) HasRole(role string) bool {
	return slices.Contains(p.Roles, role)
}

// HasAnyRole reports whether the principal holds at least one of roles.
func (p Principal) HasAnyRole(roles ...string) bool {
	return slices.ContainsFunc(roles, p.HasRole)
}

// HasBrand reports whether the principal acts for the GS1 company prefix.
func (p Principal) HasBrand(prefix string) bool {
	return slices.Contains(p.Brands, prefix)
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom gives the principal in ctx, if the request was authenticated.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Require gives the principal in ctx when it holds at least one of roles
// (any authenticated principal when roles is empty). It fails with
// fault.Unauthenticated when there is no principal and fault.Forbidden when
// the principal lacks every role, so handlers can return the error as it is.
func Require(ctx context.Context, roles ...string) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, fault.New(fault.Unauthenticated, "authentication required")
	}
	if len(roles) > 0 && !p.HasAnyRole(roles...) {
		return Principal{}, fault.New(fault.Forbidden, "missing a required role")
	}
	return p, nil
}
