package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/packytrace/packytrace/adapters/fault"
)

// maxTokenBytes bounds the work an attacker can ask for before the
// signature is checked. Keycloak access tokens are a few kilobytes even with
// many roles.
const maxTokenBytes = 16 << 10

// The JWKS is refreshed in the background between these bounds (Keycloak
// sends no max-age); rotations are picked up sooner through the forced
// refresh on an unknown key id.
const (
	backgroundMinInterval = 5 * time.Minute
	backgroundMaxInterval = time.Hour
)

// ErrKeysUnavailable is the cause when no JWKS has been fetched yet, so no
// token can be checked; Verify and Ready report it as fault.Unavailable.
var ErrKeysUnavailable = errors.New("auth: JWKS not fetched yet")

// errRefreshLimited is the cause when a forced refresh was skipped because
// the last one was less than RefreshInterval ago.
var errRefreshLimited = errors.New("auth: forced JWKS refresh rate limited")

// Verifier checks access tokens against the realm's cached signing keys. It
// is safe for concurrent use.
type Verifier struct {
	cfg   Config
	algs  map[string]jwa.SignatureAlgorithm
	cache *jwk.Cache
	res   *httprc.ResourceBase[jwk.Set]
	opts  []jwt.ParseOption

	// refreshSlot serialises forced refreshes; holding it guards lastForced
	// and lastErr. A channel rather than a mutex so that waiting honours the
	// caller's context.
	refreshSlot chan struct{}
	lastForced  time.Time
	lastErr     error
	now         func() time.Time
}

// NewVerifier starts a JWKS cache whose background refresh lives as long as
// ctx. It does not wait for the first fetch: services start independently of
// the identity provider, report through Ready, and fetch again on demand.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	cfg, algs, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var client *http.Client
	if cfg.HTTPClient != nil {
		client = jwk.WrapHTTPClientDefaults(cfg.HTTPClient)
	}
	cache, err := jwk.NewCache(ctx, httprc.NewClient())
	if err != nil {
		return nil, fmt.Errorf("auth: start JWKS cache: %w", err)
	}
	regOpts := []jwk.RegisterOption{
		jwk.WithWaitReady(false),
		jwk.WithMinInterval(backgroundMinInterval),
		jwk.WithMaxInterval(backgroundMaxInterval),
		// A key type this jwx cannot parse (say, a post-quantum key the
		// realm adds later) must not make every other key unusable.
		jwk.WithStrictKeySetParsing(false),
	}
	if client != nil {
		regOpts = append(regOpts, jwk.WithHTTPClient(client))
	}
	if err := cache.Register(ctx, cfg.JWKSURL, regOpts...); err != nil {
		return nil, fmt.Errorf("auth: register JWKS %s: %w", cfg.JWKSURL, err)
	}
	res, err := cache.LookupResource(ctx, cfg.JWKSURL)
	if err != nil {
		return nil, fmt.Errorf("auth: look up JWKS %s: %w", cfg.JWKSURL, err)
	}
	return &Verifier{
		cfg:   cfg,
		algs:  algs,
		cache: cache,
		res:   res,
		opts: []jwt.ParseOption{
			jwt.WithValidate(true),
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audience),
			jwt.WithAcceptableSkew(cfg.Leeway),
			jwt.WithRequiredClaim(jwt.ExpirationKey),
			jwt.WithRequiredClaim(jwt.SubjectKey),
		},
		refreshSlot: make(chan struct{}, 1),
		now:         time.Now,
	}, nil
}

// Ready reports whether the signing keys have been fetched at least once;
// /readyz uses it. When they have not, it tries a fetch (subject to the
// refresh rate limit) before giving up with fault.Unavailable.
func (v *Verifier) Ready(ctx context.Context) error {
	if v.res.Resource() != nil {
		return nil
	}
	err := v.forceRefresh(ctx)
	if v.res.Resource() != nil {
		return nil
	}
	return fault.Wrap(fault.Unavailable, errors.Join(ErrKeysUnavailable, err), "token signing keys unavailable")
}

// Verify checks raw, a compact JWS access token, and maps its claims to a
// Principal. A bad token gives fault.Unauthenticated with a short message a
// client may see; keys that cannot be fetched give fault.Unavailable.
func (v *Verifier) Verify(ctx context.Context, raw string) (Principal, error) {
	if raw == "" {
		return Principal{}, reject("token missing", errors.New("empty token"))
	}
	if len(raw) > maxTokenBytes || strings.Count(raw, ".") != 2 {
		return Principal{}, reject("token malformed", errors.New("not a compact JWS of acceptable size"))
	}
	msg, err := jws.ParseString(raw, jws.WithCompact())
	if err != nil {
		return Principal{}, reject("token malformed", err)
	}
	sigs := msg.Signatures()
	if len(sigs) != 1 || sigs[0].ProtectedHeaders() == nil {
		return Principal{}, reject("token malformed", errors.New("want exactly one signature"))
	}
	hdr := sigs[0].ProtectedHeaders()
	hdrAlg, ok := hdr.Algorithm()
	if !ok {
		return Principal{}, reject("token algorithm not accepted", errors.New("no alg in protected header"))
	}
	alg, ok := v.algs[hdrAlg.String()]
	if !ok {
		return Principal{}, reject("token algorithm not accepted", fmt.Errorf("alg %q not in allow-list", hdrAlg.String()))
	}
	kid, ok := hdr.KeyID()
	if !ok || kid == "" {
		return Principal{}, reject("token signing key unknown", errors.New("no kid in protected header"))
	}
	key, err := v.key(ctx, kid)
	if err != nil {
		return Principal{}, err
	}
	if err := keyFits(key, alg); err != nil {
		return Principal{}, reject("token algorithm not accepted", err)
	}

	opts := make([]jwt.ParseOption, 0, len(v.opts)+1)
	opts = append(opts, jwt.WithKey(alg, key))
	opts = append(opts, v.opts...)
	tok, err := jwt.ParseString(raw, opts...)
	if err != nil {
		return Principal{}, reject(messageFor(err), err)
	}
	return principalOf(tok)
}

// key finds the signing key for kid. An unknown kid may mean the realm has
// rotated its keys, so it forces one refresh (rate limited across all
// callers) and looks again.
func (v *Verifier) key(ctx context.Context, kid string) (jwk.Key, error) {
	if set := v.res.Resource(); set != nil {
		if key, ok := set.LookupKeyID(kid); ok {
			return key, nil
		}
	}
	refreshErr := v.forceRefresh(ctx)
	set := v.res.Resource()
	if set == nil {
		return nil, fault.Wrap(fault.Unavailable, errors.Join(ErrKeysUnavailable, refreshErr), "token signing keys unavailable")
	}
	if key, ok := set.LookupKeyID(kid); ok {
		return key, nil
	}
	return nil, reject("token signing key unknown", errors.Join(fmt.Errorf("kid %q not in JWKS", kid), refreshErr))
}

// forceRefresh fetches the JWKS now unless another forced fetch happened
// within RefreshInterval. Callers that queue behind a fetch in progress
// return when it ends and then see its result in the cache.
func (v *Verifier) forceRefresh(ctx context.Context) error {
	select {
	case v.refreshSlot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-v.refreshSlot }()

	now := v.now()
	if !v.lastForced.IsZero() && now.Sub(v.lastForced) < v.cfg.RefreshInterval {
		return errors.Join(errRefreshLimited, v.lastErr)
	}
	v.lastForced = now
	_, err := v.cache.Refresh(ctx, v.cfg.JWKSURL)
	v.lastErr = err
	return err
}

// keyFits checks that a JWKS key may verify a signature made with alg: it
// must be a signing key, and its own alg (when it states one, as Keycloak's
// do) must be alg; without one the key type must suit alg.
func keyFits(key jwk.Key, alg jwa.SignatureAlgorithm) error {
	if jwk.IsUnsupportedKey(key) {
		return errors.New("key type not supported")
	}
	if use, ok := key.KeyUsage(); ok && use != "" && use != jwk.ForSignature.String() {
		return fmt.Errorf("key use %q is not %q", use, jwk.ForSignature.String())
	}
	if keyAlg, ok := key.Algorithm(); ok {
		if keyAlg.String() != alg.String() {
			return fmt.Errorf("token alg %q does not match key alg %q", alg.String(), keyAlg.String())
		}
		return nil
	}
	name := alg.String()
	var fits bool
	switch key.KeyType() {
	case jwa.RSA():
		fits = strings.HasPrefix(name, "RS") || strings.HasPrefix(name, "PS")
	case jwa.EC():
		fits = strings.HasPrefix(name, "ES")
	case jwa.OKP():
		fits = name == jwa.EdDSA().String()
	}
	if !fits {
		return fmt.Errorf("token alg %q does not suit key type %q", name, key.KeyType().String())
	}
	return nil
}

// messageFor gives the client-safe reason for a jwt.Parse failure.
func messageFor(err error) string {
	switch {
	case errors.Is(err, jwt.TokenExpiredError()):
		return "token expired"
	case errors.Is(err, jwt.TokenNotYetValidError()):
		return "token not yet valid"
	case errors.Is(err, jwt.InvalidIssuedAtError()):
		return "token issued in the future"
	case errors.Is(err, jwt.InvalidIssuerError()):
		return "token issuer not accepted"
	case errors.Is(err, jwt.InvalidAudienceError()):
		return "token audience not accepted"
	case errors.Is(err, jwt.MissingRequiredClaimError()):
		return "token lacks a required claim"
	case errors.Is(err, jws.VerificationError()):
		return "token signature invalid"
	case errors.Is(err, jwt.ValidateError()):
		return "token claims not accepted"
	default:
		return "token invalid"
	}
}

// principalOf reads the Keycloak claims of a verified token. Malformed role
// or brand claims reject the token: authorising from a half-read claim is
// worse than refusing.
func principalOf(tok jwt.Token) (Principal, error) {
	var typ string
	if err := tok.Get("typ", &typ); err != nil {
		return Principal{}, reject("token type not accepted", fmt.Errorf("typ claim: %w", err))
	}
	if typ != "Bearer" {
		return Principal{}, reject("token type not accepted", fmt.Errorf("typ %q is not Bearer", typ))
	}
	sub, ok := tok.Subject()
	if !ok || sub == "" {
		return Principal{}, reject("token lacks a required claim", errors.New("empty sub"))
	}
	p := Principal{Subject: sub}
	var err error
	if p.ClientID, err = optionalString(tok, "azp"); err != nil {
		return Principal{}, err
	}
	if p.Username, err = optionalString(tok, "preferred_username"); err != nil {
		return Principal{}, err
	}

	var realmAccess any
	switch err := tok.Get("realm_access", &realmAccess); {
	case errors.Is(err, jwt.ClaimNotFoundError()):
	case err != nil:
		return Principal{}, reject("token claims malformed", err)
	default:
		obj, ok := realmAccess.(map[string]any)
		if !ok {
			return Principal{}, reject("token claims malformed", errors.New("realm_access is not an object"))
		}
		if roles, present := obj["roles"]; present {
			if p.Roles, ok = stringList(roles, false); !ok {
				return Principal{}, reject("token claims malformed", errors.New("realm_access.roles is not a list of strings"))
			}
		}
	}

	var brands any
	switch err := tok.Get("brands", &brands); {
	case errors.Is(err, jwt.ClaimNotFoundError()):
	case err != nil:
		return Principal{}, reject("token claims malformed", err)
	default:
		// A Keycloak user-attribute mapper that is not marked multivalued
		// emits a single string, so accept that too.
		if p.Brands, ok = stringList(brands, true); !ok {
			return Principal{}, reject("token claims malformed", errors.New("brands is not a list of strings"))
		}
	}
	return p, nil
}

// optionalString reads a string claim that may be absent.
func optionalString(tok jwt.Token, name string) (string, error) {
	var s string
	err := tok.Get(name, &s)
	switch {
	case err == nil:
		return s, nil
	case errors.Is(err, jwt.ClaimNotFoundError()):
		return "", nil
	default:
		return "", reject("token claims malformed", fmt.Errorf("claim %s: %w", name, err))
	}
}

// stringList converts a decoded JSON array of strings (or, when single is
// set, one string) to a []string.
func stringList(v any, single bool) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case string:
		if !single {
			return nil, false
		}
		return []string{v}, true
	case []string:
		return v, true
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	default:
		return nil, false
	}
}

// reject classifies a token failure as Unauthenticated with a client-safe
// message, keeping the cause for logs.
func reject(message string, cause error) error {
	return fault.Wrap(fault.Unauthenticated, cause, message)
}
