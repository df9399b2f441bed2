package devoidc

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// maxFormBytes bounds a token request body; real ones are a few hundred bytes.
const maxFormBytes = 16 << 10

// supportedScopes are the scopes a client may ask for. profile and email are
// Keycloak's default client scopes and are always granted.
var supportedScopes = []string{"openid", "profile", "email"}

// Handler serves the realm's discovery document, JWKS and token endpoint
// under the issuer's path (/realms/packytrace unless the issuer has a
// prefix).
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p.basePath+DiscoveryPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, p.discovery)
	})
	mux.HandleFunc("GET "+p.basePath+CertsPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, p.jwks)
	})
	mux.HandleFunc("POST "+p.basePath+TokenPath, p.token)
	return mux
}

// oauthError is an RFC 6749 section 5.2 error response.
type oauthError struct {
	status      int
	code        string
	description string
}

func (e *oauthError) Error() string { return e.code + ": " + e.description }

func invalidRequest(format string, args ...any) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: "invalid_request", description: fmt.Sprintf(format, args...)}
}

// tokenResponse is the RFC 6749 section 5.1 success response.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
}

// token is the token endpoint.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	resp, err := p.issue(w, r)
	if err != nil {
		var oe *oauthError
		if !errors.As(err, &oe) {
			oe = &oauthError{status: http.StatusInternalServerError, code: "server_error", description: "could not issue a token"}
		}
		if oe.status == http.StatusUnauthorized {
			// Required when the client tried Basic (RFC 6749 section 5.2);
			// harmless otherwise.
			w.Header().Set("WWW-Authenticate", `Basic realm="`+Realm+`"`)
		}
		body, _ := json.Marshal(map[string]string{"error": oe.code, "error_description": oe.description})
		writeJSON(w, oe.status, body)
		return
	}
	body, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "encode token response", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// issue validates a token request and mints the access token.
func (p *Provider) issue(w http.ResponseWriter, r *http.Request) (tokenResponse, error) {
	form, err := readForm(w, r)
	if err != nil {
		return tokenResponse{}, err
	}
	grant := form.Get("grant_type")
	switch grant {
	case "":
		return tokenResponse{}, invalidRequest("grant_type is required")
	case GrantPassword, GrantClientCredentials:
	default:
		return tokenResponse{}, &oauthError{status: http.StatusBadRequest, code: "unsupported_grant_type", description: fmt.Sprintf("grant type %q is not supported", grant)}
	}
	client, err := p.authenticateClient(r, form)
	if err != nil {
		return tokenResponse{}, err
	}
	if client.Grant != grant {
		return tokenResponse{}, &oauthError{status: http.StatusBadRequest, code: "unauthorized_client", description: fmt.Sprintf("client %q may not use grant type %q", client.ClientID, grant)}
	}
	scope, err := grantedScope(form.Get("scope"))
	if err != nil {
		return tokenResponse{}, err
	}

	var sub, username string
	var roles, brands []string
	switch grant {
	case GrantPassword:
		user, err := p.authenticateUser(form)
		if err != nil {
			return tokenResponse{}, err
		}
		sub, username, roles, brands = user.Subject, user.Username, user.Roles, user.Brands
	case GrantClientCredentials:
		sub, username, roles = client.Subject, "service-account-"+client.ClientID, client.Roles
	}

	now := p.cfg.Now()
	claims := map[string]any{
		"iss":                p.cfg.Issuer,
		"sub":                sub,
		"aud":                []string{Audience},
		"azp":                client.ClientID,
		"typ":                "Bearer",
		"exp":                now.Add(p.cfg.TokenTTL).Unix(),
		"iat":                now.Unix(),
		"jti":                rand.Text(),
		"scope":              scope,
		"preferred_username": username,
		"realm_access":       map[string]any{"roles": append(slices.Clone(roles), defaultRole)},
	}
	if len(brands) > 0 {
		claims["brands"] = slices.Clone(brands)
	}
	if grant == GrantClientCredentials {
		claims["client_id"] = client.ClientID
	}
	tok, err := p.sign(claims)
	if err != nil {
		return tokenResponse{}, err
	}
	return tokenResponse{AccessToken: tok, ExpiresIn: int64(p.cfg.TokenTTL.Seconds()), TokenType: "Bearer", Scope: scope}, nil
}

// readForm reads a form-encoded body. Query parameters are ignored: RFC 6749
// keeps credentials out of URLs, which end up in logs.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, invalidRequest("the body must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, invalidRequest("the form body is malformed or too large")
	}
	for name, values := range r.PostForm {
		if len(values) > 1 {
			return nil, invalidRequest("parameter %q is repeated", name)
		}
	}
	return r.PostForm, nil
}

// authenticateClient identifies the client by HTTP Basic or by the form's
// client_id and client_secret (RFC 6749 section 2.3.1), never both.
func (p *Provider) authenticateClient(r *http.Request, form url.Values) (DevClient, error) {
	var id, secret string
	_, usedBasic := r.Header["Authorization"]
	if usedBasic {
		rawID, rawSecret, ok := r.BasicAuth()
		if !ok {
			return DevClient{}, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: "malformed client credentials"}
		}
		if form.Has("client_secret") {
			return DevClient{}, invalidRequest("use one client authentication method, not Basic and client_secret")
		}
		// Basic credentials are form-encoded before base64 (section 2.3.1).
		var err1, err2 error
		id, err1 = url.QueryUnescape(rawID)
		secret, err2 = url.QueryUnescape(rawSecret)
		if err1 != nil || err2 != nil {
			return DevClient{}, &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: "malformed client credentials"}
		}
		if form.Has("client_id") && form.Get("client_id") != id {
			return DevClient{}, invalidRequest("client_id does not match the Basic credentials")
		}
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	unknown := &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: "invalid client or invalid client credentials"}
	client, ok := p.clients[id]
	if !ok {
		return DevClient{}, unknown
	}
	if !client.Public && !equal(secret, client.Secret) {
		return DevClient{}, unknown
	}
	return client, nil
}

// authenticateUser checks the password grant's resource owner credentials.
func (p *Provider) authenticateUser(form url.Values) (DevUser, error) {
	username, password := form.Get("username"), form.Get("password")
	if username == "" || password == "" {
		return DevUser{}, invalidRequest("username and password are required")
	}
	user, ok := p.users[username]
	if !ok || !equal(password, user.Password) {
		return DevUser{}, &oauthError{status: http.StatusBadRequest, code: "invalid_grant", description: "invalid user credentials"}
	}
	return user, nil
}

// grantedScope checks the requested scopes and adds the default ones, in a
// fixed order.
func grantedScope(requested string) (string, error) {
	want := map[string]bool{"profile": true, "email": true}
	for s := range strings.FieldsSeq(requested) {
		if !slices.Contains(supportedScopes, s) {
			return "", &oauthError{status: http.StatusBadRequest, code: "invalid_scope", description: fmt.Sprintf("scope %q is not supported", s)}
		}
		want[s] = true
	}
	granted := make([]string, 0, len(want))
	for _, s := range supportedScopes {
		if want[s] {
			granted = append(granted, s)
		}
	}
	return strings.Join(granted, " "), nil
}

// sign makes a compact RS256 JWS with Keycloak's header (typ JWT and kid).
func (p *Provider) sign(claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("devoidc: encode claims: %w", err)
	}
	kid, _ := p.signer.KeyID()
	hdr := jws.NewHeaders()
	if err := errors.Join(hdr.Set(jws.TypeKey, "JWT"), hdr.Set(jws.KeyIDKey, kid)); err != nil {
		return "", fmt.Errorf("devoidc: header: %w", err)
	}
	tok, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), p.signer, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("devoidc: sign: %w", err)
	}
	return string(tok), nil
}

// equal compares credentials in constant time, as a real provider must.
func equal(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// writeJSON sends a JSON body that must not be cached (RFC 6749 section 5.1).
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
