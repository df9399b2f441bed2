package auth_test

import (
	"testing"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/auth/authtest"
)

// BenchmarkVerify measures checking an RS256 token whose key is cached: the
// cost every authenticated request pays in every service.
func BenchmarkVerify(b *testing.B) {
	iss := authtest.NewIssuer(b)
	v := newVerifier(b, iss, nil)
	tok := iss.Token(b, authtest.Claims{Roles: []string{auth.RoleShopper}, Brands: []string{"9506000"}, Username: "shopper"})
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify_Parallel is BenchmarkVerify from all cores at once, to show
// the verifier has no shared lock on the hot path.
func BenchmarkVerify_Parallel(b *testing.B) {
	iss := authtest.NewIssuer(b)
	v := newVerifier(b, iss, nil)
	tok := iss.Token(b, authtest.Claims{Roles: []string{auth.RoleShopper}, Brands: []string{"9506000"}, Username: "shopper"})
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
