package auth_test

import (
	"testing"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/fault"
)

// FuzzVerify feeds arbitrary strings to Verify: it must never panic, must
// classify every failure as unauthenticated, and may accept only a token
// that names a subject.
func FuzzVerify(f *testing.F) {
	iss := authtest.NewIssuer(f)
	v := newVerifier(f, iss, nil)
	valid := iss.Token(f, authtest.Claims{Roles: []string{auth.RoleShopper}, Brands: []string{"9506000"}})
	f.Add(valid)
	f.Add(valid[:len(valid)-5])
	f.Add(iss.Token(f, authtest.Claims{Extra: map[string]any{"realm_access": map[string]any{"roles": []any{1, nil}}}}))

	f.Fuzz(func(t *testing.T, raw string) {
		p, err := v.Verify(t.Context(), raw)
		if err != nil {
			if k := fault.KindOf(err); k != fault.Unauthenticated {
				t.Fatalf("kind = %v for %q: %v", k, raw, err)
			}
			if fault.MessageOf(err) == "" {
				t.Fatalf("no client message for %q: %v", raw, err)
			}
			return
		}
		if p.Subject == "" {
			t.Fatalf("accepted %q without a subject", raw)
		}
	})
}
