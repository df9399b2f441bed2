package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
)

// Defaults and limits of Config.
const (
	// DefaultLeeway is the clock skew allowed on exp, nbf and iat.
	DefaultLeeway = 30 * time.Second
	// MaxLeeway bounds Leeway: a longer skew would keep expired tokens alive.
	MaxLeeway = 30 * time.Second
	// DefaultRefreshInterval is the least time between two forced JWKS
	// fetches, so a stream of tokens with unknown key ids cannot hammer the
	// identity provider.
	DefaultRefreshInterval = 10 * time.Second
)

// Config says which tokens a Verifier accepts.
type Config struct {
	// Issuer is the exact iss value, the realm's public URL, for example
	// http://127.0.0.1:8180/realms/packytrace.
	Issuer string
	// Audience must be one of the token's aud values, e.g. "packytrace-api".
	Audience string
	// JWKSURL is where the realm's signing keys are fetched. It may use an
	// internal host name while Issuer stays the public URL.
	JWKSURL string
	// Algorithms is the allow-list of JWS algorithms; empty means RS256.
	// Only asymmetric algorithms are allowed: "none" and HS* are refused,
	// since an HMAC check keyed with a public key is forgeable.
	Algorithms []string
	// Leeway is the clock skew for exp, nbf and iat; zero means
	// DefaultLeeway and more than MaxLeeway is refused.
	Leeway time.Duration
	// RefreshInterval is the least time between forced JWKS fetches caused
	// by unknown key ids; zero means DefaultRefreshInterval.
	RefreshInterval time.Duration
	// HTTPClient fetches the JWKS; nil uses a client with a timeout. A
	// client without a timeout gets one.
	HTTPClient *http.Client
}

// asymmetric lists the algorithms a Config may allow.
var asymmetric = map[string]jwa.SignatureAlgorithm{
	"RS256": jwa.RS256(), "RS384": jwa.RS384(), "RS512": jwa.RS512(),
	"PS256": jwa.PS256(), "PS384": jwa.PS384(), "PS512": jwa.PS512(),
	"ES256": jwa.ES256(), "ES384": jwa.ES384(), "ES512": jwa.ES512(),
	"EdDSA": jwa.EdDSA(),
}

// withDefaults validates c, filling the defaults, and reports every problem
// at once.
func (c Config) withDefaults() (Config, map[string]jwa.SignatureAlgorithm, error) {
	var errs []error
	if c.Issuer == "" {
		errs = append(errs, errors.New("issuer is required"))
	}
	if c.Audience == "" {
		errs = append(errs, errors.New("audience is required"))
	}
	if u, err := url.Parse(c.JWKSURL); c.JWKSURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("JWKS URL %q must be an absolute http(s) URL", c.JWKSURL))
	}
	if len(c.Algorithms) == 0 {
		c.Algorithms = []string{"RS256"}
	}
	algs := make(map[string]jwa.SignatureAlgorithm, len(c.Algorithms))
	for _, name := range c.Algorithms {
		alg, ok := asymmetric[name]
		if !ok {
			errs = append(errs, fmt.Errorf("algorithm %q is not allowed (asymmetric JWS algorithms only)", name))
			continue
		}
		algs[name] = alg
	}
	switch {
	case c.Leeway == 0:
		c.Leeway = DefaultLeeway
	case c.Leeway < 0 || c.Leeway > MaxLeeway:
		errs = append(errs, fmt.Errorf("leeway %s must be between 0 and %s", c.Leeway, MaxLeeway))
	}
	switch {
	case c.RefreshInterval == 0:
		c.RefreshInterval = DefaultRefreshInterval
	case c.RefreshInterval < 0:
		errs = append(errs, fmt.Errorf("refresh interval %s must not be negative", c.RefreshInterval))
	}
	if err := errors.Join(errs...); err != nil {
		return c, nil, fmt.Errorf("auth: invalid config: %w", err)
	}
	return c, algs, nil
}
