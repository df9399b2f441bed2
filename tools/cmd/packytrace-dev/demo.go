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

// demoLinksets is the demo products' GS1 linkset: two products of GS1's
// example company prefix 950600 (Dal Giardino, GS1's fictitious brand), with
// GTIN-, lot- and serial-level anchors. The brand-owner development user owns the prefix.
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
	res, err := send(ctx, token, http.MethodPost, gw+"/api/v1/passport/linksets", "", "application/linkset+json", demoLinksets)
	if err != nil {
		return fmt.Errorf("demo data: upload linksets: %w", err)
	}
	if res.status != http.StatusOK {
		return fmt.Errorf("demo data: upload linksets: status %d: %s", res.status, res.body)
	}
	var doc struct {
		Linkset []json.RawMessage `json:"linkset"`
	}
	if err := json.Unmarshal(demoLinksets, &doc); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	s.say("demo data: %d anchors of GS1's example prefix 950600 loaded (linksets as %s)", len(doc.Linkset), demoOwner)
	if err := s.loadCatalog(ctx, gw, token); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	admin, err := s.devToken(ctx, issuer, demoAdmin)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	sum, err := s.importOFF(ctx, gw, admin)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	s.say("demo data: %s", sum)
	return nil
}

// demoCatalog is the Dal Giardino brand and three products' facts
// (fictitious), in the catalog API's shapes; the third has no brand links,
// so its default link is the passport page.
//
//go:embed demo/catalog.json
var demoCatalog []byte

// demoOFF holds six real Open Food Facts product records (ODbL; see
// demo/README.md), imported with the admin bulk import.
//
//go:embed demo/off-products.jsonl
var demoOFF []byte

// demoAdmin is the development user who runs the bulk import.
const demoAdmin = "admin"

// loadCatalog creates or updates the demo brand and products as the brand
// owner, with If-Match for what exists already, so every start converges on
// the same data without new versions when nothing changed.
func (s *stack) loadCatalog(ctx context.Context, gw, token string) error {
	var cat struct {
		Brand    json.RawMessage            `json:"brand"`
		Products map[string]json.RawMessage `json:"products"`
	}
	if err := json.Unmarshal(demoCatalog, &cat); err != nil {
		return err
	}
	base := gw + "/api/v1/passport"
	var brand struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(cat.Brand, &brand); err != nil {
		return err
	}
	if err := putVersioned(ctx, token, http.MethodPost, base+"/brands", base+"/brands/"+brand.ID, cat.Brand); err != nil {
		return fmt.Errorf("brand %s: %w", brand.ID, err)
	}
	for gtin, body := range cat.Products {
		if err := putVersioned(ctx, token, http.MethodPut, base+"/products/"+gtin, base+"/products/"+gtin, body); err != nil {
			return fmt.Errorf("product %s: %w", gtin, err)
		}
	}
	s.say("demo data: brand %s with %d catalog products (as %s)", brand.ID, len(cat.Products), demoOwner)
	return nil
}

// putVersioned creates a resource with method on createURL; when it
// exists already (409, or 428 for a PUT), it replaces the one at itemURL
// with If-Match set to its current ETag.
func putVersioned(ctx context.Context, token, method, createURL, itemURL string, body []byte) error {
	res, err := send(ctx, token, method, createURL, "", "application/json", body)
	if err != nil {
		return err
	}
	switch res.status {
	case http.StatusOK, http.StatusCreated:
		return nil
	case http.StatusConflict, http.StatusPreconditionRequired:
	default:
		return fmt.Errorf("%s %s: status %d: %s", method, createURL, res.status, res.body)
	}
	cur, err := send(ctx, token, http.MethodGet, itemURL, "", "", nil)
	if err != nil {
		return err
	}
	if cur.status != http.StatusOK {
		return fmt.Errorf("GET %s: status %d: %s", itemURL, cur.status, cur.body)
	}
	if method == http.MethodPost {
		// A brand's id is in the path of its update; the body may keep it.
		method = http.MethodPut
	}
	res, err = send(ctx, token, method, itemURL, cur.etag, "application/json", body)
	if err != nil {
		return err
	}
	if res.status != http.StatusOK {
		return fmt.Errorf("%s %s: status %d: %s", method, itemURL, res.status, res.body)
	}
	return nil
}

// importOFF posts the Open Food Facts records to the bulk import and
// describes what it did.
func (s *stack) importOFF(ctx context.Context, gw, token string) (string, error) {
	res, err := send(ctx, token, http.MethodPost, gw+"/api/v1/passport/imports", "", "application/x-ndjson", demoOFF)
	if err != nil {
		return "", err
	}
	if res.status != http.StatusOK {
		return "", fmt.Errorf("import: status %d: %s", res.status, res.body)
	}
	var sum struct {
		Records, Created, Updated, Unchanged, Rejected int
	}
	if err := json.Unmarshal(res.body, &sum); err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	return fmt.Sprintf("%d Open Food Facts products imported (%d created, %d updated, %d unchanged, %d rejected; data: Open Food Facts, ODbL)",
		sum.Records, sum.Created, sum.Updated, sum.Unchanged, sum.Rejected), nil
}

// reply is a response with its body read.
type reply struct {
	status int
	etag   string
	body   []byte
}

// send makes one request and reads the response.
func send(ctx context.Context, token, method, url, ifMatch, contentType string, body []byte) (reply, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer func() { _ = res.Body.Close() }()
	msg, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	return reply{status: res.StatusCode, etag: res.Header.Get("ETag"), body: msg}, nil
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
