package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/api/passportclient"
)

// gtin completes 13 digits with the GS1 mod-10 check digit.
func gtin(first13 string) string {
	sum := 0
	for i := len(first13) - 1; i >= 0; i-- {
		d := int(first13[i] - '0')
		if (len(first13)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return first13 + strconv.Itoa((10-sum%10)%10)
}

// Keys of brand 9506000 (company part after the indicator digit) and of
// brand 9506001.
var (
	gtinA     = gtin("0950600013435") // 09506000134352
	gtinB     = gtin("0950600013436")
	gtinC     = gtin("0950600013437")
	gtinD     = gtin("0950600013438")
	gtinOther = gtin("0950600100000")
)

const ownBrand, otherBrand = "9506000", "9506001"

// linksetOf builds a linkset document from context objects.
func linksetOf(contexts ...string) string {
	return `{"linkset":[` + strings.Join(contexts, ",") + `]}`
}

// product is a context object for key (a path such as /01/...) with a
// default link described as a product page, plus extra members.
func product(key string, extra ...string) string {
	href := "https://brand.example/p" + key
	members := append([]string{
		`"anchor":"https://id.gs1.org` + key + `"`,
		`"itemDescription":"Item ` + key + `"`,
		`"https://gs1.org/voc/defaultLink":[{"href":"` + href + `","title":"Product"}]`,
		`"gs1:pip":[{"href":"` + href + `","title":"Product information","type":"text/html","hreflang":["en","en-GB"],"context":["gb"]}]`,
	}, extra...)
	return "{" + strings.Join(members, ",") + "}"
}

// level is a context object without a default link of its own.
func level(key string, extra ...string) string {
	members := append([]string{
		`"anchor":"https://id.gs1.org` + key + `"`,
		`"itemDescription":"Level ` + key + `"`,
	}, extra...)
	return "{" + strings.Join(members, ",") + "}"
}

type linksAPI struct {
	t      *testing.T
	in     *daemontest.Instance
	client *passportclient.ClientWithResponses
}

func (a linksAPI) token(roles []string, brands ...string) passportclient.RequestEditorFn {
	tok := a.in.Issuer.Token(a.t, authtest.Claims{Roles: roles, Brands: brands})
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

func (a linksAPI) owner() passportclient.RequestEditorFn {
	return a.token([]string{"brand_owner"}, ownBrand)
}

func (a linksAPI) admin() passportclient.RequestEditorFn { return a.token([]string{"admin"}) }

func (a linksAPI) upload(doc, contentType string, params *passportclient.UploadLinksetParams, auth ...passportclient.RequestEditorFn) *passportclient.UploadLinksetResponse {
	a.t.Helper()
	if params == nil {
		params = &passportclient.UploadLinksetParams{}
	}
	resp, err := a.client.UploadLinksetWithBodyWithResponse(context.Background(), params, contentType, strings.NewReader(doc), auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a linksAPI) get(anchor string, auth ...passportclient.RequestEditorFn) *passportclient.GetAnchorResponse {
	a.t.Helper()
	resp, err := a.client.GetAnchorWithResponse(context.Background(), anchor, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a linksAPI) list(params passportclient.ListAnchorsParams, auth ...passportclient.RequestEditorFn) *passportclient.ListAnchorsResponse {
	a.t.Helper()
	resp, err := a.client.ListAnchorsWithResponse(context.Background(), &params, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

func (a linksAPI) del(anchor string, auth ...passportclient.RequestEditorFn) *passportclient.DeleteAnchorResponse {
	a.t.Helper()
	resp, err := a.client.DeleteAnchorWithResponse(context.Background(), anchor, auth...)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp
}

// assertProblem fails unless the response is a problem with status and,
// when field is not empty, a field error at field.
func assertProblem(t *testing.T, hr *http.Response, body []byte, status int, field string) {
	t.Helper()
	if hr.StatusCode != status || hr.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %s, want a %d problem: %s", hr.StatusCode, hr.Header.Get("Content-Type"), status, body)
	}
	if field == "" {
		return
	}
	var p passportclient.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Errors != nil {
		for _, e := range *p.Errors {
			if e.Field == field && e.Reason != "" {
				return
			}
		}
	}
	t.Fatalf("no field error at %s: %s", field, body)
}

func TestLinks_ManagementAPI(t *testing.T) {
	in, client := start(t)
	api := linksAPI{t: t, in: in, client: client}
	root := in.Getenv("RESOLVER_ROOT")
	if root == "" {
		root = "http://localhost:8080" // config.DefaultResolverRoot
	}

	t.Run("upload creates anchors and the resolver follows", func(t *testing.T) {
		api.t = t
		lot := "/01/" + gtinA + "/10/A%2FB"
		doc := linksetOf(
			product("/01/"+gtinA),
			level(lot, `"https://ref.gs1.org/voc/recallStatus":[{"href":"https://brand.example/recall?lot={10}&exp={17}","title":"Recall","fwqs":false,"public":false}]`),
		)
		resp := api.upload(doc, "application/linkset+json", nil, api.owner())
		if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
			t.Fatalf("upload: %d %s", resp.StatusCode(), resp.Body)
		}
		want := []passportclient.WrittenAnchor{
			{Key: "/01/" + gtinA, Uri: root + "/01/" + gtinA, Status: passportclient.Created, Links: 2},
			{Key: lot, Uri: root + lot, Status: passportclient.Created, Links: 1},
		}
		if !slices.Equal(resp.JSON200.Anchors, want) {
			t.Fatalf("written %+v, want %+v", resp.JSON200.Anchors, want)
		}

		got := api.get("01/"+gtinA+"/10/A%2FB", api.owner()) // a slash inside a value, encoded twice on the wire
		if got.StatusCode() != http.StatusOK || got.JSON200 == nil {
			t.Fatalf("get: %d %s", got.StatusCode(), got.Body)
		}
		a := got.JSON200
		if a.Key != lot || a.Brand != ownBrand || a.ItemDescription != "Level "+lot || len(a.Links) != 1 || time.Since(a.UpdatedAt) > time.Hour {
			t.Fatalf("anchor %+v", a)
		}
		l := a.Links[0]
		if l.LinkType != "https://gs1.org/voc/recallStatus" || l.Href != "https://brand.example/recall?lot={10}&exp={17}" ||
			l.Title != "Recall" || l.Fwqs || l.Public || l.Type != nil || l.Hreflang != nil {
			t.Fatalf("link %+v", l)
		}
		got = api.get("01/"+gtinA, api.owner())
		if got.JSON200 == nil || len(got.JSON200.Links) != 2 {
			t.Fatalf("get: %d %s", got.StatusCode(), got.Body)
		}
		pip := got.JSON200.Links[1]
		if pip.LinkType != "https://gs1.org/voc/pip" || pip.Type == nil || *pip.Type != "text/html" ||
			pip.Hreflang == nil || !slices.Equal(*pip.Hreflang, []string{"en", "en-GB"}) ||
			pip.Context == nil || !slices.Equal(*pip.Context, []string{"gb"}) || !pip.Fwqs || !pip.Public {
			t.Fatalf("pip link %+v", pip)
		}

		// The replica's resolver index follows the upload.
		waitForRedirect(t, in.URL+"/01/"+gtinA, "https://brand.example/p/01/"+gtinA)
	})

	t.Run("upload replaces the links of stored anchors", func(t *testing.T) {
		api.t = t
		doc := linksetOf(product("/01/"+gtinA, `"gs1:certificationInfo":[{"href":"https://brand.example/cert","title":"Certificate"}]`))
		resp := api.upload(doc, "application/json", nil, api.owner())
		if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil {
			t.Fatalf("upload: %d %s", resp.StatusCode(), resp.Body)
		}
		if w := resp.JSON200.Anchors; len(w) != 1 || w[0].Status != passportclient.Replaced || w[0].Links != 3 {
			t.Fatalf("written %+v", w)
		}
		got := api.get("01/"+gtinA, api.owner())
		if got.JSON200 == nil || len(got.JSON200.Links) != 3 || got.JSON200.Links[0].LinkType != "https://gs1.org/voc/certificationInfo" {
			t.Fatalf("after replace: %s", got.Body)
		}
	})

	t.Run("a bad linkset gets a 400 saying where, and nothing is stored", func(t *testing.T) {
		api.t = t
		fresh := "/01/" + gtinB
		tests := []struct {
			name, doc, field string
		}{
			{"schema-invalid (GS1 hreflang pattern)",
				linksetOf(product(fresh), product("/01/"+gtinC, `"gs1:faqs":[{"href":"https://b.example/faq","title":"FAQ","hreflang":["und"]}]`)),
				"/linkset/1/gs1:faqs/0/hreflang/0"},
			{"schema-invalid (link attribute the schema does not know)",
				linksetOf(product(fresh, `"gs1:faqs":[{"href":"https://b.example/faq","title":"FAQ","colour":"red"}]`)),
				"/linkset/0/gs1:faqs/0/colour"},
			{"no default link", linksetOf(product(fresh), level("/01/"+gtinC,
				`"gs1:pip":[{"href":"https://b.example/c","title":"C"}]`)), "/linkset/1"},
			{"unknown link type", linksetOf(product(fresh, `"gs1:nosuchtype":[{"href":"https://b.example/x","title":"X"}]`)),
				"/linkset/0/gs1:nosuchtype"},
			{"bad key (check digit)", linksetOf(product(fresh), product("/01/09506000134353")), "/linkset/1/anchor"},
			{"bad key (query attribute in the anchor)", linksetOf(product(fresh + "?17=261231")), "/linkset/0/anchor"},
			{"bad template (AI the key cannot carry)", linksetOf(product(fresh,
				`"https://www.gs1.org/voc/traceability":[{"href":"https://b.example/t/{254}","title":"Trace"}]`)),
				"/linkset/0/https:~1~1www.gs1.org~1voc~1traceability/0/href"},
			{"default link with other attributes", linksetOf(level(fresh,
				`"gs1:defaultLink":[{"href":"https://b.example/d","title":"D","hreflang":["en"]}]`,
				`"gs1:pip":[{"href":"https://b.example/d","title":"D"}]`)),
				"/linkset/0/gs1:defaultLink/0/hreflang"},
			{"default target not described", linksetOf(level(fresh,
				`"gs1:defaultLink":[{"href":"https://b.example/d","title":"D"}]`)),
				"/linkset/0/gs1:defaultLink/0/href"},
			{"not JSON", `{"linkset": [`, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				api.t = t
				resp := api.upload(tt.doc, "application/linkset+json", nil, api.owner())
				assertProblem(t, resp.HTTPResponse, resp.Body, http.StatusBadRequest, tt.field)
				for _, k := range []string{"01/" + gtinB, "01/" + gtinC} {
					if got := api.get(k, api.owner()); got.StatusCode() != http.StatusNotFound {
						t.Fatalf("%s stored by a refused upload: %d %s", k, got.StatusCode(), got.Body)
					}
				}
			})
		}
		api.t = t
		// A refused replacement leaves the stored links as they were.
		resp := api.upload(linksetOf(product("/01/"+gtinA), level("/01/"+gtinC)), "application/linkset+json", nil, api.owner())
		assertProblem(t, resp.HTTPResponse, resp.Body, http.StatusBadRequest, "/linkset/1")
		if got := api.get("01/"+gtinA, api.owner()); got.JSON200 == nil || len(got.JSON200.Links) != 3 {
			t.Fatalf("stored anchor changed by a refused upload: %s", got.Body)
		}
	})

	t.Run("no token is 401", func(t *testing.T) {
		api.t = t
		up := api.upload(linksetOf(product("/01/"+gtinB)), "application/linkset+json", nil)
		assertProblem(t, up.HTTPResponse, up.Body, http.StatusUnauthorized, "")
		ls := api.list(passportclient.ListAnchorsParams{})
		assertProblem(t, ls.HTTPResponse, ls.Body, http.StatusUnauthorized, "")
		g := api.get("01/" + gtinA)
		assertProblem(t, g.HTTPResponse, g.Body, http.StatusUnauthorized, "")
		d := api.del("01/" + gtinA)
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusUnauthorized, "")
	})

	t.Run("other brands and other roles get 403", func(t *testing.T) {
		api.t = t
		other := "/01/" + gtinOther
		up := api.upload(linksetOf(product("/01/"+gtinB), product(other)), "application/linkset+json", nil, api.owner())
		assertProblem(t, up.HTTPResponse, up.Body, http.StatusForbidden, "/linkset/1/anchor")
		if got := api.get("01/"+gtinB, api.owner()); got.StatusCode() != http.StatusNotFound {
			t.Fatalf("own anchor of a refused upload stored: %d", got.StatusCode())
		}
		shopper := api.token([]string{"shopper"})
		analyst := api.token([]string{"brand_analyst"}, ownBrand)
		for name, auth := range map[string]passportclient.RequestEditorFn{"shopper": shopper, "analyst": analyst} {
			up := api.upload(linksetOf(product("/01/"+gtinB)), "application/linkset+json", nil, auth)
			assertProblem(t, up.HTTPResponse, up.Body, http.StatusForbidden, "")
			d := api.del("01/"+gtinA, auth)
			assertProblem(t, d.HTTPResponse, d.Body, http.StatusForbidden, "")
			if name == "shopper" {
				g := api.get("01/"+gtinA, auth)
				assertProblem(t, g.HTTPResponse, g.Body, http.StatusForbidden, "")
			}
		}
		if g := api.get("01/"+gtinA, analyst); g.StatusCode() != http.StatusOK {
			t.Fatalf("analyst of the brand cannot read: %d %s", g.StatusCode(), g.Body)
		}
		// The other brand's owner can neither read nor delete this brand's anchors.
		them := api.token([]string{"brand_owner"}, otherBrand)
		g := api.get("01/"+gtinA, them)
		assertProblem(t, g.HTTPResponse, g.Body, http.StatusForbidden, "")
		d := api.del("01/"+gtinA, them)
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusForbidden, "")
	})

	t.Run("admin writes every brand, naming the brand", func(t *testing.T) {
		api.t = t
		other := "/01/" + gtinOther
		up := api.upload(linksetOf(product(other)), "application/linkset+json", nil, api.admin())
		assertProblem(t, up.HTTPResponse, up.Body, http.StatusBadRequest, "/linkset/0/anchor")
		brand := otherBrand
		up = api.upload(linksetOf(product(other)), "application/linkset+json",
			&passportclient.UploadLinksetParams{Brand: &brand}, api.admin())
		if up.StatusCode() != http.StatusOK {
			t.Fatalf("admin upload: %d %s", up.StatusCode(), up.Body)
		}
		g := api.get("01/"+gtinOther, api.admin())
		if g.JSON200 == nil || g.JSON200.Brand != otherBrand {
			t.Fatalf("admin read: %d %s", g.StatusCode(), g.Body)
		}
		// A brand that does not cover the key is refused.
		wrong := ownBrand
		up = api.upload(linksetOf(product(other)), "application/linkset+json",
			&passportclient.UploadLinksetParams{Brand: &wrong}, api.admin())
		assertProblem(t, up.HTTPResponse, up.Body, http.StatusBadRequest, "/linkset/0/anchor")
	})

	t.Run("list shows the caller's brands, in pages", func(t *testing.T) {
		api.t = t
		resp := api.upload(linksetOf(product("/01/"+gtinD), product("/01/"+gtinD+"/10/L1")), "application/linkset+json", nil, api.owner())
		if resp.StatusCode() != http.StatusOK {
			t.Fatalf("upload: %d %s", resp.StatusCode(), resp.Body)
		}
		keys := func(auth passportclient.RequestEditorFn, p passportclient.ListAnchorsParams) []string {
			t.Helper()
			var out []string
			for range 10 {
				r := api.list(p, auth)
				if r.JSON200 == nil {
					t.Fatalf("list: %d %s", r.StatusCode(), r.Body)
				}
				for _, a := range r.JSON200.Items {
					out = append(out, a.Key)
				}
				if r.JSON200.NextCursor == nil {
					return out
				}
				p.Cursor = r.JSON200.NextCursor
			}
			t.Fatal("more pages than anchors")
			return nil
		}
		own := []string{"/01/" + gtinA, "/01/" + gtinA + "/10/A%2FB", "/01/" + gtinD, "/01/" + gtinD + "/10/L1"}
		one := 1
		if got := keys(api.owner(), passportclient.ListAnchorsParams{Limit: &one}); !slices.Equal(got, own) {
			t.Errorf("owner pages: %v, want %v", got, own)
		}
		all := append(slices.Clone(own), "/01/"+gtinOther)
		if got := keys(api.admin(), passportclient.ListAnchorsParams{}); !slices.Equal(got, all) {
			t.Errorf("admin: %v, want %v", got, all)
		}
		prefix := "/01/" + gtinD
		if got := keys(api.owner(), passportclient.ListAnchorsParams{KeyPrefix: &prefix}); !slices.Equal(got, own[2:]) {
			t.Errorf("key prefix: %v", got)
		}
		brand := otherBrand
		if got := keys(api.admin(), passportclient.ListAnchorsParams{Brand: &brand}); !slices.Equal(got, []string{"/01/" + gtinOther}) {
			t.Errorf("brand filter: %v", got)
		}
		if got := keys(api.token([]string{"brand_owner"}, otherBrand), passportclient.ListAnchorsParams{}); !slices.Equal(got, []string{"/01/" + gtinOther}) {
			t.Errorf("other brand's owner: %v", got)
		}
		bad := "not-a-cursor"
		r := api.list(passportclient.ListAnchorsParams{Cursor: &bad}, api.owner())
		assertProblem(t, r.HTTPResponse, r.Body, http.StatusBadRequest, "cursor")
	})

	t.Run("get and delete: 404, 409 and 204", func(t *testing.T) {
		api.t = t
		g := api.get("01/"+gtinB, api.owner())
		assertProblem(t, g.HTTPResponse, g.Body, http.StatusNotFound, "")
		g = api.get("01/123", api.owner())
		assertProblem(t, g.HTTPResponse, g.Body, http.StatusBadRequest, "anchor")
		d := api.del("01/"+gtinB, api.owner())
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusNotFound, "")

		// The lot anchor has no default of its own: its GTIN cannot go first.
		d = api.del("01/"+gtinA, api.owner())
		assertProblem(t, d.HTTPResponse, d.Body, http.StatusConflict, "")
		if g := api.get("01/"+gtinA, api.owner()); g.StatusCode() != http.StatusOK {
			t.Fatalf("refused delete removed the anchor: %d", g.StatusCode())
		}
		// The lot anchor beneath gtinD has its own default: no conflict.
		if d := api.del("01/"+gtinD, api.owner()); d.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete %s: %d %s", gtinD, d.StatusCode(), d.Body)
		}
		if d := api.del("01/"+gtinA+"/10/A%2FB", api.owner()); d.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete lot: %d %s", d.StatusCode(), d.Body)
		}
		if d := api.del("01/"+gtinA, api.owner()); d.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete gtin: %d %s", d.StatusCode(), d.Body)
		}
		g = api.get("01/"+gtinA, api.owner())
		assertProblem(t, g.HTTPResponse, g.Body, http.StatusNotFound, "")
		waitForStatus(t, in.URL+"/01/"+gtinA, http.StatusNotFound)
	})
}

// waitForRedirect polls the resolver until path redirects to location.
func waitForRedirect(t *testing.T, url, location string) {
	t.Helper()
	waitForResolver(t, url, func(resp *http.Response) bool {
		return resp.StatusCode == http.StatusTemporaryRedirect && resp.Header.Get("Location") == location
	}, "a redirect to "+location)
}

// waitForStatus polls the resolver until path answers status.
func waitForStatus(t *testing.T, url string, status int) {
	t.Helper()
	waitForResolver(t, url, func(resp *http.Response) bool { return resp.StatusCode == status }, "status "+strconv.Itoa(status))
}

// waitForResolver polls url until ok holds, failing after a generous
// deadline; it asserts that the index follows, not how fast.
func waitForResolver(t *testing.T, url string, ok func(*http.Response) bool, what string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(15 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if ok(resp) {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never answered %s; last: %s", url, what, last)
}
