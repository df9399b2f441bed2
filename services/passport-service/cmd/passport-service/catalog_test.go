package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/api/passportclient"
)

// catalogAPI drives the catalog endpoints of a running service through the
// published client.
type catalogAPI struct {
	t      *testing.T
	in     *daemontest.Instance
	client *passportclient.ClientWithResponses
}

// as is a bearer token of a caller with roles acting for brands (GS1
// Company Prefixes), the claims the dev OpenID provider gives its users.
func (a catalogAPI) as(roles []string, brands ...string) passportclient.RequestEditorFn {
	tok := a.in.Issuer.Token(a.t, authtest.Claims{Roles: roles, Brands: brands})
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

func (a catalogAPI) putProduct(gtin string, body passportclient.ProductInput, params passportclient.PutProductParams,
	auth ...passportclient.RequestEditorFn,
) *passportclient.PutProductResponse {
	a.t.Helper()
	resp, err := a.client.PutProductWithResponse(context.Background(), gtin, &params, body, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) putProductJSON(gtin, body string, auth ...passportclient.RequestEditorFn) *passportclient.PutProductResponse {
	a.t.Helper()
	resp, err := a.client.PutProductWithBodyWithResponse(context.Background(), gtin, &passportclient.PutProductParams{},
		"application/json", strings.NewReader(body), auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) getProduct(gtin string) *passportclient.GetProductResponse {
	a.t.Helper()
	resp, err := a.client.GetProductWithResponse(context.Background(), gtin)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) deleteProduct(gtin string, ifMatch *string, auth ...passportclient.RequestEditorFn) *passportclient.DeleteProductResponse {
	a.t.Helper()
	resp, err := a.client.DeleteProductWithResponse(context.Background(), gtin, &passportclient.DeleteProductParams{IfMatch: ifMatch}, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) createBrand(body passportclient.BrandInput, auth ...passportclient.RequestEditorFn) *passportclient.CreateBrandResponse {
	a.t.Helper()
	resp, err := a.client.CreateBrandWithResponse(context.Background(), body, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) updateBrand(id string, body passportclient.BrandInput, ifMatch *string, auth ...passportclient.RequestEditorFn) *passportclient.UpdateBrandResponse {
	a.t.Helper()
	resp, err := a.client.UpdateBrandWithResponse(context.Background(), id, &passportclient.UpdateBrandParams{IfMatch: ifMatch}, body, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) listProducts(params passportclient.ListProductsParams) *passportclient.ListProductsResponse {
	a.t.Helper()
	resp, err := a.client.ListProductsWithResponse(context.Background(), &params)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a catalogAPI) importProducts(body string, auth ...passportclient.RequestEditorFn) *passportclient.ImportProductsResponse {
	a.t.Helper()
	resp, err := a.client.ImportProductsWithBodyWithResponse(context.Background(), "application/x-ndjson", strings.NewReader(body), auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func ref[T any](v T) *T { return &v }

// biscuits is a product of brand with a full label.
func biscuits(brand string) passportclient.ProductInput {
	allergens := []passportclient.Allergen{passportclient.Milk, passportclient.Gluten}
	traces := []passportclient.Allergen{passportclient.Nuts}
	return passportclient.ProductInput{
		Brand:       brand,
		Names:       passportclient.LangText{"en": "Oat biscuits", "fr": "Biscuits à l'avoine"},
		NetContent:  &passportclient.Quantity{Value: 250, Unit: passportclient.G},
		Categories:  &[]string{"en:snacks", "en:biscuits"},
		Ingredients: &passportclient.LangText{"en": "Oat flakes, _wheat_ flour, sugar, butter (_milk_)"},
		Allergens:   &allergens,
		Traces:      &traces,
		Nutrition: &passportclient.Nutrition{Per: passportclient.N100g, EnergyKj: ref(1946.0), EnergyKcal: ref(464.0),
			Fat: ref(19.5), SaturatedFat: ref(8.1), Carbohydrates: ref(61.2), Sugars: ref(21.3), Fibre: ref(5.4),
			Protein: ref(7.1), Salt: ref(0.93)},
		Packaging: &[]passportclient.PackagingComponent{{Shape: ref("tray"), Material: ref("PET"), Recycling: ref("recycle")}},
		Origin:    ref("United Kingdom"),
		ImageUrl:  ref("https://images.example/biscuits.jpg"),
	}
}

// problemFields returns the fields a problem's errors name, failing unless
// the response is a problem with status.
func problemFields(t *testing.T, hr *http.Response, body []byte, status int) []string {
	t.Helper()
	assertProblem(t, hr, body, status, "")
	var p passportclient.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	var fields []string
	if p.Errors != nil {
		for _, e := range *p.Errors {
			if e.Reason == "" {
				t.Errorf("field error at %s without a reason", e.Field)
			}
			fields = append(fields, e.Field)
		}
	}
	return fields
}

func etag(hr *http.Response) string { return hr.Header.Get("ETag") }

func TestCatalog_API(t *testing.T) {
	in, client := start(t)
	api := catalogAPI{t: t, in: in, client: client}
	owner := api.as([]string{"brand_owner"}, ownBrand)
	rival := api.as([]string{"brand_owner"}, otherBrand)
	admin := api.as([]string{"admin"})
	analyst := api.as([]string{"brand_analyst"}, ownBrand)
	root := in.Getenv("RESOLVER_ROOT")
	if root == "" {
		root = "http://localhost:8080" // config.DefaultResolverRoot
	}

	t.Run("brands are created by their owners and replaced with If-Match", func(t *testing.T) {
		api.t = t
		resp := api.createBrand(passportclient.BrandInput{Id: ref("acme"), Name: "Acme", Prefixes: &[]string{ownBrand}}, owner)
		if resp.StatusCode() != http.StatusCreated || resp.JSON201 == nil || etag(resp.HTTPResponse) != `"v1"` {
			t.Fatalf("create: %d %s %s", resp.StatusCode(), etag(resp.HTTPResponse), resp.Body)
		}
		if b := resp.JSON201; b.Id != "acme" || b.Version != 1 || !slices.Equal(b.Prefixes, []string{ownBrand}) {
			t.Fatalf("created %+v", b)
		}
		if r := api.createBrand(passportclient.BrandInput{Id: ref("rival"), Name: "Rival", Prefixes: &[]string{otherBrand}}, rival); r.StatusCode() != http.StatusCreated {
			t.Fatalf("rival's create: %d %s", r.StatusCode(), r.Body)
		}
		r := api.createBrand(passportclient.BrandInput{Id: ref("acme"), Name: "Acme again"}, admin)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusConflict, "")
		r = api.createBrand(passportclient.BrandInput{Id: ref("stolen"), Name: "Stolen", Prefixes: &[]string{otherBrand}}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusForbidden, "")
		r = api.createBrand(passportclient.BrandInput{Id: ref("analysed"), Name: "A", Prefixes: &[]string{ownBrand}}, analyst)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusForbidden, "")
		r = api.createBrand(passportclient.BrandInput{Id: ref("no-prefix"), Name: "No prefix"}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusBadRequest, "/prefixes")
		r = api.createBrand(passportclient.BrandInput{Id: ref("Bad Id"), Name: "Bad"}, admin)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusBadRequest, "/id")

		got, err := api.client.GetBrandWithResponse(context.Background(), "acme") // public
		if err != nil {
			t.Fatal(err)
		}
		if got.StatusCode() != http.StatusOK || got.JSON200 == nil || got.JSON200.Name != "Acme" || etag(got.HTTPResponse) != `"v1"` {
			t.Fatalf("get: %d %s %s", got.StatusCode(), etag(got.HTTPResponse), got.Body)
		}
		if got, _ := api.client.GetBrandWithResponse(context.Background(), "nobody"); got.StatusCode() != http.StatusNotFound {
			t.Fatalf("unknown brand: %d %s", got.StatusCode(), got.Body)
		}

		renamed := passportclient.BrandInput{Name: "Acme Foods", Prefixes: &[]string{ownBrand}}
		u := api.updateBrand("acme", renamed, nil, owner)
		assertProblem(t, u.HTTPResponse, u.Body, http.StatusPreconditionRequired, "")
		u = api.updateBrand("acme", renamed, ref(`"v2"`), owner)
		assertProblem(t, u.HTTPResponse, u.Body, http.StatusPreconditionFailed, "")
		u = api.updateBrand("acme", passportclient.BrandInput{Name: "Mine", Prefixes: &[]string{otherBrand}}, ref(`"v1"`), rival)
		assertProblem(t, u.HTTPResponse, u.Body, http.StatusForbidden, "")
		u = api.updateBrand("acme", passportclient.BrandInput{Id: ref("other"), Name: "Acme"}, ref(`"v1"`), owner)
		assertProblem(t, u.HTTPResponse, u.Body, http.StatusBadRequest, "/id")
		u = api.updateBrand("acme", renamed, ref(`"v1"`), owner)
		if u.StatusCode() != http.StatusOK || u.JSON200 == nil || u.JSON200.Name != "Acme Foods" || u.JSON200.Version != 2 || etag(u.HTTPResponse) != `"v2"` {
			t.Fatalf("update: %d %s %s", u.StatusCode(), etag(u.HTTPResponse), u.Body)
		}

		list, err := api.client.ListBrandsWithResponse(context.Background(), &passportclient.ListBrandsParams{Limit: ref(1)})
		if err != nil {
			t.Fatal(err)
		}
		if list.JSON200 == nil || len(list.JSON200.Items) != 1 || list.JSON200.Items[0].Id != "acme" || list.JSON200.NextCursor == nil {
			t.Fatalf("first page of brands: %d %s", list.StatusCode(), list.Body)
		}
		list, err = api.client.ListBrandsWithResponse(context.Background(), &passportclient.ListBrandsParams{Cursor: list.JSON200.NextCursor})
		if err != nil {
			t.Fatal(err)
		}
		if list.JSON200 == nil || len(list.JSON200.Items) != 1 || list.JSON200.Items[0].Id != "rival" || list.JSON200.NextCursor != nil {
			t.Fatalf("second page of brands: %d %s", list.StatusCode(), list.Body)
		}
	})

	t.Run("a product is created, read by anyone, and replaced only with a current If-Match", func(t *testing.T) {
		api.t = t
		resp := api.putProduct(gtinA, biscuits("acme"), passportclient.PutProductParams{}, owner)
		if resp.StatusCode() != http.StatusCreated || resp.JSON201 == nil || etag(resp.HTTPResponse) != `"v1"` {
			t.Fatalf("create: %d %s %s", resp.StatusCode(), etag(resp.HTTPResponse), resp.Body)
		}
		p := resp.JSON201
		if p.Gtin != gtinA || p.Brand != "acme" || p.Version != 1 || p.Names["fr"] != "Biscuits à l'avoine" ||
			!slices.Equal(p.Allergens, []passportclient.Allergen{passportclient.Gluten, passportclient.Milk}) ||
			len(p.Packaging) != 1 || p.Packaging[0].Count == nil || *p.Packaging[0].Count != 1 {
			t.Fatalf("created %s", resp.Body)
		}
		ns := p.NutriScore
		if ns.Status != passportclient.NutriScoreStatusComputed || ns.Class != passportclient.NutriScoreClassGeneral || ns.Grade == nil || ns.Score == nil || len(ns.Components) == 0 {
			t.Fatalf("Nutri-Score not computed: %+v", ns)
		}

		got := api.getProduct(gtinA) // public, no token
		if got.StatusCode() != http.StatusOK || got.JSON200 == nil || etag(got.HTTPResponse) != `"v1"` || got.JSON200.Version != 1 {
			t.Fatalf("get: %d %s %s", got.StatusCode(), etag(got.HTTPResponse), got.Body)
		}
		if short := api.getProduct(gtinA[1:]); short.StatusCode() != http.StatusOK || short.JSON200.Gtin != gtinA {
			t.Fatalf("get by GTIN-13: %d %s", short.StatusCode(), short.Body)
		}
		if missing := api.getProduct(gtinD); missing.StatusCode() != http.StatusNotFound {
			t.Fatalf("unknown product: %d %s", missing.StatusCode(), missing.Body)
		}
		waitForRedirect(t, in.URL+"/01/"+gtinA, root+"/passport/01/"+gtinA)

		changed := biscuits("acme")
		changed.Origin = ref("Ireland")
		r := api.putProduct(gtinA, changed, passportclient.PutProductParams{}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusPreconditionRequired, "")
		r = api.putProduct(gtinA, changed, passportclient.PutProductParams{IfMatch: ref(`"v2"`)}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusPreconditionFailed, "")
		r = api.putProduct(gtinA, changed, passportclient.PutProductParams{IfNoneMatch: ref(passportclient.Asterisk)}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusPreconditionFailed, "")
		r = api.putProduct(gtinB, changed, passportclient.PutProductParams{IfMatch: ref(`"v1"`)}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusPreconditionFailed, "")

		r = api.putProduct(gtinA, changed, passportclient.PutProductParams{IfMatch: ref(`"v1"`)}, owner)
		if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.Version != 2 || etag(r.HTTPResponse) != `"v2"` ||
			r.JSON200.Origin == nil || *r.JSON200.Origin != "Ireland" {
			t.Fatalf("replace: %d %s %s", r.StatusCode(), etag(r.HTTPResponse), r.Body)
		}
		// The same facts again change nothing: same version, same ETag.
		r = api.putProduct(gtinA, changed, passportclient.PutProductParams{IfMatch: ref(`"v2"`)}, admin)
		if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.Version != 2 || etag(r.HTTPResponse) != `"v2"` {
			t.Fatalf("unchanged write: %d %s %s", r.StatusCode(), etag(r.HTTPResponse), r.Body)
		}
		if got := api.getProduct(gtinA); etag(got.HTTPResponse) != `"v2"` {
			t.Fatalf("ETag after the replacement: %s", etag(got.HTTPResponse))
		}
	})

	t.Run("writes to another brand's products are forbidden", func(t *testing.T) {
		api.t = t
		for name, body := range map[string]passportclient.ProductInput{"under its brand": biscuits("acme"), "under one's own brand": biscuits("rival")} {
			r := api.putProduct(gtinA, body, passportclient.PutProductParams{IfMatch: ref(`"v2"`)}, rival)
			if r.StatusCode() != http.StatusForbidden {
				t.Errorf("%s: %d %s", name, r.StatusCode(), r.Body)
			}
			assertProblem(t, r.HTTPResponse, r.Body, http.StatusForbidden, "")
		}
		r := api.putProduct(gtinOther, biscuits("acme"), passportclient.PutProductParams{}, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusForbidden, "")
		r = api.putProduct(gtinB, biscuits("acme"), passportclient.PutProductParams{}, analyst)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusForbidden, "")
		d := api.deleteProduct(gtinA, ref(`"v2"`), rival)
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusForbidden, "")
		if got := api.getProduct(gtinA); got.JSON200 == nil || got.JSON200.Version != 2 || got.JSON200.Brand != "acme" {
			t.Fatalf("product after refused writes: %s", got.Body)
		}
	})

	t.Run("a bad product gets a 400 naming each bad field", func(t *testing.T) {
		api.t = t
		// Checked by the catalog's rules: the check digit, the language
		// tags, sugars within carbohydrates, saturated fat within fat.
		bad := biscuits("acme")
		bad.Names = passportclient.LangText{"english": "Oat biscuits", "fr": "Biscuits"}
		bad.Nutrition.Sugars, bad.Nutrition.Carbohydrates = ref(70.0), ref(60.0)
		bad.Nutrition.SaturatedFat = ref(25.0)
		r := api.putProduct("09506000134353", bad, passportclient.PutProductParams{}, owner)
		fields := problemFields(t, r.HTTPResponse, r.Body, http.StatusBadRequest)
		for _, want := range []string{"gtin", "/names/english", "/nutrition/sugars", "/nutrition/saturatedFat"} {
			if !slices.Contains(fields, want) {
				t.Errorf("no field error at %s: %s", want, r.Body)
			}
		}
		// Checked against the spec before the catalog sees them: an
		// unknown allergen, a negative amount, an unknown member.
		r = api.putProductJSON(gtinB, `{"brand":"acme","names":{"en":"B"},"allergens":["milk","peanut"],`+
			`"nutrition":{"per":"100g","salt":-1},"colour":"red"}`, owner)
		fields = problemFields(t, r.HTTPResponse, r.Body, http.StatusBadRequest)
		for _, want := range []string{"/allergens/1", "/nutrition/salt", "/colour"} {
			if !slices.Contains(fields, want) {
				t.Errorf("no field error at %s: %s", want, r.Body)
			}
		}
		r = api.putProductJSON("0950600013435", `{"brand":"acme","names":{"en":"B"}}`, owner) // GTIN of 13 digits, wrong check digit
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusBadRequest, "gtin")
		r = api.putProductJSON("95060001343", `{"brand":"acme","names":{"en":"B"}}`, owner) // 11 digits: no GTIN at all
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusBadRequest, "gtin")
		if got := api.getProduct(gtinB); got.StatusCode() != http.StatusNotFound {
			t.Fatalf("a bad product was stored: %d", got.StatusCode())
		}
	})

	t.Run("writes need a token", func(t *testing.T) {
		api.t = t
		r := api.putProduct(gtinB, biscuits("acme"), passportclient.PutProductParams{})
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusUnauthorized, "")
		d := api.deleteProduct(gtinA, ref(`"v2"`))
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusUnauthorized, "")
		c := api.createBrand(passportclient.BrandInput{Id: ref("anon"), Name: "Anon"})
		assertProblem(t, c.HTTPResponse, c.Body, http.StatusUnauthorized, "")
		u := api.updateBrand("acme", passportclient.BrandInput{Name: "Anon"}, ref(`"v2"`))
		assertProblem(t, u.HTTPResponse, u.Body, http.StatusUnauthorized, "")
		i := api.importProducts("{}\n")
		assertProblem(t, i.HTTPResponse, i.Body, http.StatusUnauthorized, "")
	})

	t.Run("products list in pages, by brand", func(t *testing.T) {
		api.t = t
		for _, g := range []string{gtinB, gtinC} {
			if r := api.putProduct(g, biscuits("acme"), passportclient.PutProductParams{}, owner); r.StatusCode() != http.StatusCreated {
				t.Fatalf("create %s: %d %s", g, r.StatusCode(), r.Body)
			}
		}
		if r := api.putProduct(gtinOther, biscuits("rival"), passportclient.PutProductParams{}, rival); r.StatusCode() != http.StatusCreated {
			t.Fatalf("create rival's: %d %s", r.StatusCode(), r.Body)
		}
		var seen []string
		params := passportclient.ListProductsParams{Brand: ref("acme"), Limit: ref(2)}
		for range 3 {
			page := api.listProducts(params)
			if page.StatusCode() != http.StatusOK || page.JSON200 == nil {
				t.Fatalf("list: %d %s", page.StatusCode(), page.Body)
			}
			for _, p := range page.JSON200.Items {
				seen = append(seen, p.Gtin)
			}
			if page.JSON200.NextCursor == nil {
				break
			}
			params.Cursor = page.JSON200.NextCursor
		}
		if want := []string{gtinA, gtinB, gtinC}; !slices.Equal(seen, want) {
			t.Fatalf("paged through %v, want %v", seen, want)
		}
		all := api.listProducts(passportclient.ListProductsParams{})
		if all.JSON200 == nil || len(all.JSON200.Items) != 4 || all.JSON200.NextCursor != nil {
			t.Fatalf("all products: %s", all.Body)
		}
		bad := api.listProducts(passportclient.ListProductsParams{Cursor: ref("!")})
		assertProblem(t, bad.HTTPResponse, bad.Body, http.StatusBadRequest, "cursor")
		bad = api.listProducts(passportclient.ListProductsParams{Limit: ref(0)})
		assertProblem(t, bad.HTTPResponse, bad.Body, http.StatusBadRequest, "limit")
	})

	t.Run("a product is deleted with If-Match and leaves the resolver", func(t *testing.T) {
		api.t = t
		d := api.deleteProduct(gtinC, nil, owner)
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusPreconditionRequired, "")
		d = api.deleteProduct(gtinC, ref(`"v7"`), owner)
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusPreconditionFailed, "")
		waitForRedirect(t, in.URL+"/01/"+gtinC, root+"/passport/01/"+gtinC)
		d = api.deleteProduct(gtinC, ref(`"v1"`), owner)
		if d.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete: %d %s", d.StatusCode(), d.Body)
		}
		if got := api.getProduct(gtinC); got.StatusCode() != http.StatusNotFound {
			t.Fatalf("deleted product: %d %s", got.StatusCode(), got.Body)
		}
		d = api.deleteProduct(gtinC, ref(`"v1"`), owner)
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusNotFound, "")
		waitForStatus(t, in.URL+"/01/"+gtinC, http.StatusNotFound)
	})

	t.Run("admins import Open Food Facts records", func(t *testing.T) {
		api.t = t
		raw, err := os.ReadFile("../../internal/adapters/offimport/testdata/off/3033610048398.json")
		if err != nil {
			t.Fatal(err)
		}
		var line bytes.Buffer
		if err := json.Compact(&line, raw); err != nil {
			t.Fatal(err)
		}
		body := line.String() + "\n" + `{"code":"3033610048399","product":{"product_name":"Bad check digit"}}` + "\n"
		r := api.importProducts(body, owner)
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusForbidden, "")

		r = api.importProducts(body, admin)
		if r.StatusCode() != http.StatusOK || r.JSON200 == nil {
			t.Fatalf("import: %d %s", r.StatusCode(), r.Body)
		}
		if s := r.JSON200; s.Created != 1 || s.Rejected != 1 || len(s.Errors) != 1 || s.Errors[0].Source == "" || s.Errors[0].Reason == "" {
			t.Fatalf("first import: %s", r.Body)
		}
		if got := api.getProduct("3033610048398"); got.StatusCode() != http.StatusOK || got.JSON200.Version != 1 {
			t.Fatalf("imported product: %d %s", got.StatusCode(), got.Body)
		}
		r = api.importProducts(body, admin)
		if r.JSON200 == nil || r.JSON200.Created != 0 || r.JSON200.Updated != 0 || r.JSON200.Unchanged != 1 || r.JSON200.Rejected != 1 {
			t.Fatalf("repeated import: %d %s", r.StatusCode(), r.Body)
		}
	})
}
