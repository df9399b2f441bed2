package auth_test

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/fault"
)

// newVerifier starts a verifier for iss, letting mutate adjust the config,
// and waits for the first JWKS fetch.
func newVerifier(t testing.TB, iss *authtest.Issuer, mutate func(*auth.Config)) *auth.Verifier {
	t.Helper()
	cfg := iss.Config()
	if mutate != nil {
		mutate(&cfg)
	}
	v, err := auth.NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	if err := v.Ready(t.Context()); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	return v
}

// otherKey is a key the test issuers do not publish, for forgeries.
var otherKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

var b64 = base64.RawURLEncoding

// compact builds a compact JWS by hand, so tests can make tokens the
// production signer never would. sign may be nil for an empty signature.
func compact(t testing.TB, header map[string]any, payload map[string]any, sign func(input []byte) []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(p)
	var sig []byte
	if sign != nil {
		sig = sign([]byte(input))
	}
	return input + "." + b64.EncodeToString(sig)
}

// rs256 signs with an RSA key, PKCS#1 v1.5 over SHA-256.
func rs256(t testing.TB, key *rsa.PrivateKey) func([]byte) []byte {
	return func(input []byte) []byte {
		sum := sha256.Sum256(input)
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

// ps256 signs with an RSA key, PSS over SHA-256.
func ps256(t testing.TB, key *rsa.PrivateKey) func([]byte) []byte {
	return func(input []byte) []byte {
		sum := sha256.Sum256(input)
		sig, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, sum[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

// hs256 signs with an HMAC secret.
func hs256(secret []byte) func([]byte) []byte {
	return func(input []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(input)
		return m.Sum(nil)
	}
}

// segments splits a compact token, failing the test unless it has three parts.
func segments(t testing.TB, tok string) []string {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments", len(parts))
	}
	return parts
}

// wantRejected fails unless err is Unauthenticated with the given message.
func wantRejected(t testing.TB, err error, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Verify accepted the token, want rejection %q", message)
	}
	if k := fault.KindOf(err); k != fault.Unauthenticated {
		t.Fatalf("kind = %v, want unauthenticated (err: %v)", k, err)
	}
	if got := fault.MessageOf(err); got != message {
		t.Fatalf("message = %q, want %q (err: %v)", got, message, err)
	}
}
