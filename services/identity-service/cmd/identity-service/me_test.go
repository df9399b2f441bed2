package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/api/identityclient"
)

func bearer(token string) identityclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

func TestMe_DescribesTheVerifiedCaller(t *testing.T) {
	in, client := start(t)
	ctx := context.Background()

	token := in.Issuer.Token(t, authtest.Claims{
		Subject:  "8d5bd1a4-3c0e-4c1f-9a57-2f3c1f7e4b10",
		Username: "brand-owner",
		ClientID: "packytrace-cli",
		Roles:    []string{"brand_owner", "offline_access", "default-roles-packytrace"},
		Brands:   []string{"9506000", "not-a-prefix"},
	})
	resp, err := client.GetMeWithResponse(ctx, bearer(token))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	me := resp.JSON200
	if me.Subject != "8d5bd1a4-3c0e-4c1f-9a57-2f3c1f7e4b10" || me.ClientId != "packytrace-cli" ||
		me.Username == nil || *me.Username != "brand-owner" {
		t.Fatalf("unexpected principal %+v", me)
	}
	if len(me.Roles) != 1 || me.Roles[0] != identityclient.BrandOwner {
		t.Fatalf("roles %v: Keycloak's own roles must be left out", me.Roles)
	}
	if !slices.Equal(me.Brands, []string{"9506000"}) {
		t.Fatalf("brands %v: malformed prefixes must be left out", me.Brands)
	}
}

func TestMe_RefusesMissingOrBadTokens(t *testing.T) {
	in, client := start(t)
	ctx := context.Background()
	other := authtest.NewIssuer(t) // a different key and issuer
	tests := []struct {
		name string
		edit []identityclient.RequestEditorFn
	}{
		{"no token", nil},
		{"garbage", []identityclient.RequestEditorFn{bearer("abc.def.ghi")}},
		{"foreign issuer", []identityclient.RequestEditorFn{bearer(other.Token(t, authtest.Claims{Subject: "x", Roles: []string{"admin"}}))}},
		{"expired", []identityclient.RequestEditorFn{bearer(in.Issuer.Token(t, authtest.Claims{Subject: "x", ExpiresIn: -5 * time.Minute}))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.GetMeWithResponse(ctx, tt.edit...)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode() != http.StatusUnauthorized || resp.ApplicationproblemJSONDefault == nil {
				t.Fatalf("status %d, want a 401 problem: %s", resp.StatusCode(), resp.Body)
			}
		})
	}
}
