// Package devoidc is a development-only OpenID provider for `make run`. It
// serves the parts of Keycloak's packytrace realm that the services and the
// command-line demos use (discovery, JWKS, and the token endpoint with the
// password and client_credentials grants) and mints access tokens shaped like
// Keycloak's, so the same auth.Verifier checks them as in production.
//
// It is not an identity provider: its users and secrets are hard-coded and
// published, its keys live in memory and change at every start. New refuses
// to build one unless Config.Mode is "dev", and the package lives in the tools
// module so that no service binary can link it. Production and compose run
// Keycloak.
package devoidc

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// Realm is the Keycloak realm this provider imitates.
const Realm = "packytrace"

// Audience is the aud every token carries, as the realm's audience mapper
// adds it for the API.
const Audience = "packytrace-api"

// DevOnlyNotice is the warning to print next to the credentials below.
const DevOnlyNotice = "DEV-ONLY credentials, published in the source: never use them outside make run."

// Realm paths, relative to the issuer URL.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	CertsPath     = "/protocol/openid-connect/certs"
	TokenPath     = "/protocol/openid-connect/token"
)

// defaultRole is the composite role Keycloak gives every user of a realm.
const defaultRole = "default-roles-" + Realm

// maxTokenTTL bounds Config.TokenTTL: even a dev token should expire.
const maxTokenTTL = 24 * time.Hour

// Config configures the provider.
type Config struct {
	// Issuer is the public issuer URL, ending in /realms/packytrace, e.g.
	// http://127.0.0.1:8180/realms/packytrace. Tokens carry it as iss and
	// the handler serves the realm paths under its path.
	Issuer string
	// Mode must be "dev"; anything else makes New refuse.
	Mode string
	// Now is the clock for iat and exp; nil means time.Now.
	Now func() time.Time
	// TokenTTL is the access token lifetime; zero means five minutes, like
	// Keycloak's default.
	TokenTTL time.Duration
}

// DevUser is a hard-coded realm user for the password grant.
type DevUser struct {
	// Username is what to log in with.
	Username string
	// Password is a DEV-ONLY credential, published in this source file.
	Password string
	// Subject is the user's stable id, the token's sub.
	Subject string
	// Roles are the realm roles the user holds.
	Roles []string
	// Brands are the GS1 company prefixes the user acts for.
	Brands []string
}

// DevClient is a hard-coded OAuth client of the realm.
type DevClient struct {
	// ClientID identifies the client.
	ClientID string
	// Secret is a DEV-ONLY credential; empty for a public client.
	Secret string
	// Public clients send no secret (a CLI cannot keep one).
	Public bool
	// Grant is the one grant type the client may use.
	Grant string
	// Subject is the sub of the client's service-account user, for the
	// client_credentials grant.
	Subject string
	// Roles are the realm roles of the service-account user.
	Roles []string
}

// Grant types the token endpoint supports.
const (
	GrantPassword          = "password"
	GrantClientCredentials = "client_credentials"
)

// The realm's users and clients. Every password and secret here is DEV-ONLY:
// it is published with the source and exists so that `make run` can print
// copy-paste commands.
var (
	devUsers = []DevUser{
		{Username: "shopper", Password: "shopper", Subject: "7f8e2a10-3c4b-4d5e-8f60-1a2b3c4d5e01", Roles: []string{"shopper"}},
		{Username: "brand-owner", Password: "brand-owner", Subject: "7f8e2a10-3c4b-4d5e-8f60-1a2b3c4d5e02", Roles: []string{"brand_owner"}, Brands: []string{"9506000"}},
		{Username: "brand-analyst", Password: "brand-analyst", Subject: "7f8e2a10-3c4b-4d5e-8f60-1a2b3c4d5e03", Roles: []string{"brand_analyst"}, Brands: []string{"9506000"}},
		{Username: "admin", Password: "admin", Subject: "7f8e2a10-3c4b-4d5e-8f60-1a2b3c4d5e04", Roles: []string{"admin"}},
	}
	devClients = []DevClient{
		{ClientID: "packytrace-cli", Public: true, Grant: GrantPassword},
		{ClientID: "partner-app", Secret: "partner-secret", Grant: GrantClientCredentials, Subject: "7f8e2a10-3c4b-4d5e-8f60-1a2b3c4d5e05", Roles: []string{"partner"}},
	}
)

// Provider is a running development realm.
type Provider struct {
	cfg       Config
	basePath  string
	signer    jwk.Key // private key with kid and alg
	jwks      []byte
	discovery []byte
	users     map[string]DevUser
	clients   map[string]DevClient
}

// New generates a fresh RSA 2048 signing key and builds the realm. It
// refuses unless cfg.Mode is "dev".
func New(cfg Config) (*Provider, error) {
	if cfg.Mode != "dev" {
		return nil, fmt.Errorf("devoidc: refusing to run in mode %q: the development OpenID provider runs only in mode \"dev\"", cfg.Mode)
	}
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("devoidc: issuer %q must be an absolute http(s) URL", cfg.Issuer)
	}
	if !strings.HasSuffix(u.Path, "/realms/"+Realm) {
		return nil, fmt.Errorf("devoidc: issuer %q must end in /realms/%s", cfg.Issuer, Realm)
	}
	switch {
	case cfg.TokenTTL == 0:
		cfg.TokenTTL = 5 * time.Minute
	case cfg.TokenTTL < time.Second || cfg.TokenTTL > maxTokenTTL:
		return nil, fmt.Errorf("devoidc: token TTL %s must be between 1s and %s", cfg.TokenTTL, maxTokenTTL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}

	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devoidc: generate key: %w", err)
	}
	signer, pub, err := keyPair(priv, "dev-"+strings.ToLower(rand.Text()[:12]))
	if err != nil {
		return nil, err
	}
	set := jwk.NewSet()
	if err := set.AddKey(pub); err != nil {
		return nil, fmt.Errorf("devoidc: build JWKS: %w", err)
	}
	jwks, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("devoidc: encode JWKS: %w", err)
	}
	discovery, err := json.Marshal(map[string]any{
		"issuer":                                cfg.Issuer,
		"token_endpoint":                        cfg.Issuer + TokenPath,
		"jwks_uri":                              cfg.Issuer + CertsPath,
		"grant_types_supported":                 []string{GrantPassword, GrantClientCredentials},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"subject_types_supported":               []string{"public"},
		"scopes_supported":                      supportedScopes,
		"claims_supported":                      []string{"iss", "sub", "aud", "azp", "typ", "exp", "iat", "jti", "scope", "preferred_username", "realm_access", "brands"},
	})
	if err != nil {
		return nil, fmt.Errorf("devoidc: encode discovery: %w", err)
	}

	p := &Provider{
		cfg:       cfg,
		basePath:  u.Path,
		signer:    signer,
		jwks:      jwks,
		discovery: discovery,
		users:     make(map[string]DevUser, len(devUsers)),
		clients:   make(map[string]DevClient, len(devClients)),
	}
	for _, du := range devUsers {
		p.users[du.Username] = du
	}
	for _, dc := range devClients {
		p.clients[dc.ClientID] = dc
	}
	return p, nil
}

// Issuer gives the issuer URL the provider stamps into tokens.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// Users lists the realm's users with their DEV-ONLY passwords, for printing
// copy-paste login commands; show DevOnlyNotice with them.
func (p *Provider) Users() []DevUser {
	out := make([]DevUser, len(devUsers))
	for i, du := range devUsers {
		du.Roles, du.Brands = slices.Clone(du.Roles), slices.Clone(du.Brands)
		out[i] = du
	}
	return out
}

// Clients lists the realm's clients with their DEV-ONLY secrets; show
// DevOnlyNotice with them.
func (p *Provider) Clients() []DevClient {
	out := make([]DevClient, len(devClients))
	for i, dc := range devClients {
		dc.Roles = slices.Clone(dc.Roles)
		out[i] = dc
	}
	return out
}

// keyPair makes the signing JWK and its public half, both carrying kid,
// alg RS256 and use sig as Keycloak's keys do.
func keyPair(priv *rsa.PrivateKey, kid string) (jwk.Key, jwk.Key, error) {
	signer, err := jwk.Import(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("devoidc: import key: %w", err)
	}
	pub, err := jwk.PublicKeyOf(signer)
	if err != nil {
		return nil, nil, fmt.Errorf("devoidc: public key: %w", err)
	}
	var errs []error
	for _, k := range []jwk.Key{signer, pub} {
		errs = append(errs,
			k.Set(jwk.KeyIDKey, kid),
			k.Set(jwk.AlgorithmKey, jwa.RS256()),
			k.Set(jwk.KeyUsageKey, jwk.ForSignature),
		)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, fmt.Errorf("devoidc: key attributes: %w", err)
	}
	return signer, pub, nil
}
