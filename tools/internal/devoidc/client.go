package devoidc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// PasswordToken logs in to the realm at issuer as username with the
// password grant of the public client clientID, the way the launcher's
// banner commands do, and returns the access token.
func PasswordToken(ctx context.Context, client *http.Client, issuer, clientID, username, password string) (string, error) {
	form := url.Values{"grant_type": {GrantPassword}, "client_id": {clientID}, "username": {username}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, issuer+TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("token for %s: %w", username, err)
	}
	defer func() { _ = res.Body.Close() }()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil {
		return "", fmt.Errorf("token for %s: status %d: %w", username, res.StatusCode, err)
	}
	if tok.AccessToken == "" {
		return "", fmt.Errorf("token for %s: status %d and no access token", username, res.StatusCode)
	}
	return tok.AccessToken, nil
}
