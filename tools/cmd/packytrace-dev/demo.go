package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/packytrace/packytrace/tools/internal/devoidc"
)

// demoLinksets is the demo products' GS1 linkset: GS1's example company
// prefix 950600 (Dal Giardino, GS1's fictitious brand), with GTIN-, lot- and
// serial-level anchors. The brand-owner development user owns the prefix.
//
//go:embed demo/linksets.json
var demoLinksets []byte

// demoOwner is the development user who uploads the demo data: the brand
// owner of prefix 9506000, so the upload goes through the same brand check
// as a real brand's.
const demoOwner = "brand-owner"

// loadDemo uploads the demo linksets through the gateway, as the brand
// owner, with a token from the development OpenID provider. Uploading
// replaces the anchors' links, so every start leaves the same demo data.
func (s *stack) loadDemo(ctx context.Context, issuer string) error {
	token, err := s.devToken(ctx, issuer, demoOwner)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	gw := "http://" + s.cfg.Gateway.Addr
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, gw+"/api/v1/passport/linksets", bytes.NewReader(demoLinksets))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/linkset+json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("demo data: upload linksets: %w", err)
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("demo data: upload linksets: status %d: %s", res.StatusCode, body)
	}
	var doc struct {
		Linkset []json.RawMessage `json:"linkset"`
	}
	if err := json.Unmarshal(demoLinksets, &doc); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	s.say("demo data: %d anchors of GS1's example prefix 950600 loaded (linksets as %s)", len(doc.Linkset), demoOwner)
	return nil
}

// devToken gets an access token for a development user with the password
// grant, the way the banner's curl commands do.
func (s *stack) devToken(ctx context.Context, issuer, username string) (string, error) {
	var user *devoidc.DevUser
	for _, u := range s.provider.Users() {
		if u.Username == username {
			user = &u
		}
	}
	var client string
	for _, c := range s.provider.Clients() {
		if c.Public {
			client = c.ClientID
		}
	}
	if user == nil || client == "" {
		return "", fmt.Errorf("the development realm has no user %q or no public client", username)
	}
	return devoidc.PasswordToken(ctx, http.DefaultClient, issuer, client, user.Username, user.Password)
}
