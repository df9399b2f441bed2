package resolverhttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/api/resolverclient"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/linksetschema"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/resolverhttp"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

const (
	gtinA = "09506000134352" // GTIN, lot and serial anchors
	gtinB = "09506000134376" // the GS1 compression example's GTIN
	gtinX = "12345678901231" // valid, nothing registered
	root  = "https://id.packytrace.example"
)

func voc(term string) string { return resolver.Namespace + term }

func key(path string) string {
	u, err := dl.ParsePath(path, "")
	if err != nil {
		panic(path + ": " + err.Error())
	}
	return u.CanonicalPath()
}

func link(term, href, title string, opts ...func(*resolver.Link)) resolver.Link {
	l := resolver.Link{Type: voc(term), Href: href, Title: title, Fwqs: true, Public: true}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func lang(tags ...string) func(*resolver.Link) { return func(l *resolver.Link) { l.Hreflang = tags } }
func mediaType(mt string) func(*resolver.Link) { return func(l *resolver.Link) { l.MediaType = mt } }
func inContext(c string) func(*resolver.Link) {
	return func(l *resolver.Link) { l.Context = []string{c} }
}
func noFwqs(l *resolver.Link)                   { l.Fwqs = false }
func hiddenLink(l *resolver.Link)               { l.Public = false }
func withHref(h string) func(l *resolver.Link)  { return func(l *resolver.Link) { l.Href = h } }
func withTitle(t string) func(l *resolver.Link) { return func(l *resolver.Link) { l.Title = t } }

// fixture is the index the in-process tests resolve against.
func fixture() *resolver.Index {
	x := resolver.NewIndex()
	x.Put(&resolver.Anchor{Key: key("/01/" + gtinA), Description: "Risotto rice", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/a", "Home"),
		link("pip", "https://brand.example/a/en", "Product", lang("en"), mediaType("text/html")),
		link("pip", "https://brand.example/a/fr", "Produit", lang("fr"), mediaType("text/html")),
		link("pip", "https://brand.example/a/en.pdf", "Product sheet", lang("en"), mediaType("application/pdf")),
		link("certificationInfo", "https://cert.example/a/lk", "Certificate LK", inContext("LK")),
		link("certificationInfo", "https://cert.example/a", "Certificate"),
		link("instructions", "https://brand.example/a/manual-1", "Manual"),
		link("instructions", "https://brand.example/a/manual-2", "Manual"),
		link("support", "https://brand.example/a/support", "Support", noFwqs),
		link("recallStatus", "https://brand.example/a/recall", "Recall", hiddenLink),
		link("traceability", "https://trace.example/{01}/{10}", "Trace"),
	}})
	x.Put(&resolver.Anchor{Key: key("/01/" + gtinA + "/10/LOT1"), Description: "Risotto rice, lot LOT1", Links: []resolver.Link{
		link("pip", "https://brand.example/a/lot1", "Lot page"),
	}})
	x.Put(&resolver.Anchor{Key: key("/01/" + gtinA + "/10/LOT1/21/S1"), Description: "Risotto rice, serial S1", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/a/s1", "Serial home"),
		link("dpp", "https://dpp.example/{01}/{21}", "Passport", inContext("EU")),
	}})
	x.Put(&resolver.Anchor{Key: key("/01/" + gtinB), Description: "Olive oil", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/b", "Home"),
		link("pip", "https://brand.example/b/pip", "Product", withTitle("Product"), withHref("https://brand.example/b/pip")),
	}})
	return x
}

// client serves h on a loopback server and returns the published client,
// not following redirects, with every response checked against
// api/openapi/resolver.yaml.
func client(t *testing.T, h http.Handler) (*resolverclient.ClientWithResponses, string) {
	c, base, _ := clientAndHTTP(t, h)
	return c, base
}

// clientAndHTTP is client plus the spec-checking http.Client it uses, for
// requests the generated client cannot make (a trailing slash, a bad
// path).
func clientAndHTTP(t *testing.T, h http.Handler) (*resolverclient.ClientWithResponses, string, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	spec, err := resolverclient.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	hc := daemontest.SpecClient(t, spec, srv.URL)
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c, err := resolverclient.NewClientWithResponses(srv.URL, resolverclient.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv.URL, hc
}

func newClient(t *testing.T) (*resolverclient.ClientWithResponses, string) {
	t.Helper()
	return client(t, resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root}))
}

func header(name, value string) resolverclient.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set(name, value)
		return nil
	}
}

func ptr[T any](v T) *T { return &v }

var ctx = context.Background()

// checkCORS fails unless resp carries the CORS headers every answer has.
func checkCORS(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Location") {
		t.Errorf("%s %s: no CORS headers: %v", resp.Request.Method, resp.Request.URL, resp.Header)
	}
}

func checkRedirect(t *testing.T, resp *http.Response, location string) {
	t.Helper()
	if resp.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("%s: status %d, want 307", resp.Request.URL, resp.StatusCode)
	}
	if got := resp.Header.Get("Location"); got != location {
		t.Errorf("%s: Location %q, want %q", resp.Request.URL, got, location)
	}
	checkCORS(t, resp)
}

func TestResolve_RedirectsToTheDefaultLink(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp, err := c.ResolveKeyWithResponse(ctx, "01", gtinA, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRedirect(t, resp.HTTPResponse, "https://brand.example/a")
	wantLink := `<` + root + `/01/` + gtinA + `?linkType=linkset>; rel="linkset"; type="application/linkset+json"`
	if got := resp.HTTPResponse.Header.Values("Link"); len(got) != 1 || got[0] != wantLink {
		t.Errorf("Link = %q, want %q", got, wantLink)
	}
	if resp.HTTPResponse.Header.Get("Vary") != "Accept, Accept-Language" {
		t.Errorf("Vary = %q", resp.HTTPResponse.Header.Get("Vary"))
	}
	if len(resp.Body) != 0 {
		t.Errorf("307 has a body: %q", resp.Body)
	}
}

func TestResolve_ForwardsTheQueryString(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp, err := c.ResolveKeyWithResponse(ctx, "01", gtinA, &resolverclient.ResolveKeyParams{
		Attributes: &resolverclient.Attributes{"17": "261231", "foo": "bar"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRedirect(t, resp.HTTPResponse, "https://brand.example/a?"+resp.HTTPResponse.Request.URL.RawQuery)
	if q := resp.HTTPResponse.Request.URL.RawQuery; !strings.Contains(q, "17=261231") || !strings.Contains(q, "foo=bar") {
		t.Fatalf("the client did not send the attributes: %q", q)
	}

	// fwqs=false keeps the query back.
	resp, err = c.ResolveKeyWithResponse(ctx, "01", gtinA, &resolverclient.ResolveKeyParams{
		LinkType: ptr("gs1:support"), Attributes: &resolverclient.Attributes{"foo": "bar"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRedirect(t, resp.HTTPResponse, "https://brand.example/a/support")
}

func TestResolve_WalksUpTheLevels(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	tests := []struct {
		name     string
		do       func() (*http.Response, error)
		location string
	}{
		{"lot without default -> GTIN default", func() (*http.Response, error) {
			r, err := c.ResolveQualified1WithResponse(ctx, "01", gtinA, "10", "LOT1", nil)
			return r.HTTPResponse, err
		}, "https://brand.example/a"},
		{"unknown lot -> GTIN default", func() (*http.Response, error) {
			r, err := c.ResolveQualified1WithResponse(ctx, "01", gtinA, "10", "LOT9", nil)
			return r.HTTPResponse, err
		}, "https://brand.example/a"},
		{"serial default", func() (*http.Response, error) {
			r, err := c.ResolveQualified2WithResponse(ctx, "01", gtinA, "10", "LOT1", "21", "S1", nil)
			return r.HTTPResponse, err
		}, "https://brand.example/a/s1"},
		{"unknown serial -> GTIN default", func() (*http.Response, error) {
			r, err := c.ResolveQualified2WithResponse(ctx, "01", gtinA, "10", "LOT1", "21", "S2", nil)
			return r.HTTPResponse, err
		}, "https://brand.example/a"},
		{"pip from the lot level, asked at the serial", func() (*http.Response, error) {
			r, err := c.ResolveQualified2WithResponse(ctx, "01", gtinA, "10", "LOT1", "21", "S1", &resolverclient.ResolveQualified2Params{LinkType: ptr("gs1:pip")})
			return r.HTTPResponse, err
		}, "https://brand.example/a/lot1?linkType=gs1%3Apip"},
		{"certificate from the GTIN level, asked at the lot", func() (*http.Response, error) {
			r, err := c.ResolveQualified1WithResponse(ctx, "01", gtinA, "10", "LOT1", &resolverclient.ResolveQualified1Params{LinkType: ptr("gs1:certificationInfo")})
			return r.HTTPResponse, err
		}, "https://cert.example/a?linkType=gs1%3AcertificationInfo"},
		{"template filled from the request", func() (*http.Response, error) {
			r, err := c.ResolveQualified1WithResponse(ctx, "01", gtinA, "10", "A/B", &resolverclient.ResolveQualified1Params{LinkType: ptr("gs1:traceability")})
			return r.HTTPResponse, err
		}, "https://trace.example/" + gtinA + "/A%2FB?linkType=gs1%3Atraceability"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.do()
			if err != nil {
				t.Fatal(err)
			}
			checkRedirect(t, resp, tt.location)
		})
	}
}

func TestResolve_LinkTypes(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	for _, lt := range []string{"gs1:pip", "https://gs1.org/voc/pip", "https://ref.gs1.org/voc/pip", "https://www.gs1.org/voc/pip", "http://gs1.org/voc/pip"} {
		resp, err := c.ResolveKeyWithResponse(ctx, "01", gtinB, &resolverclient.ResolveKeyParams{LinkType: ptr(lt)})
		if err != nil {
			t.Fatal(err)
		}
		checkRedirect(t, resp.HTTPResponse, "https://brand.example/b/pip?"+resp.HTTPResponse.Request.URL.RawQuery)
	}
}

func TestResolve_Linkset(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	for _, tt := range []struct {
		name   string
		params *resolverclient.ResolveQualified2Params
		edit   []resolverclient.RequestEditorFn
	}{
		{"linkType=linkset", &resolverclient.ResolveQualified2Params{LinkType: ptr("linkset")}, nil},
		{"linkType=all", &resolverclient.ResolveQualified2Params{LinkType: ptr("all")}, nil},
		{"Accept", nil, []resolverclient.RequestEditorFn{header("Accept", "application/linkset+json")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.ResolveQualified2WithResponse(ctx, "01", gtinA, "10", "LOT1", "21", "S1", tt.params, tt.edit...)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode() != http.StatusOK || resp.ApplicationlinksetJSON200 == nil {
				t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
			}
			if ct := resp.HTTPResponse.Header.Get("Content-Type"); ct != "application/linkset+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			checkCORS(t, resp.HTTPResponse)
			links := strings.Join(resp.HTTPResponse.Header.Values("Link"), ", ")
			for _, want := range []string{
				`<` + root + `/01/` + gtinA + `/10/LOT1/21/S1?linkType=linkset>; rel="linkset"`,
				`<https://ref.gs1.org/standards/resolver/linkset-context>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
			} {
				if !strings.Contains(links, want) {
					t.Errorf("Link headers %q lack %q", links, want)
				}
			}
			validateLinkset(t, resp.Body)
			ls := resp.ApplicationlinksetJSON200.Linkset
			var anchors []string
			for _, lc := range ls {
				anchors = append(anchors, lc.Anchor)
			}
			want := []string{root + "/01/" + gtinA + "/10/LOT1/21/S1", root + "/01/" + gtinA + "/10/LOT1", root + "/01/" + gtinA}
			if strings.Join(anchors, " ") != strings.Join(want, " ") {
				t.Fatalf("anchors %q, want %q", anchors, want)
			}
			if got := ls[0].AdditionalProperties[voc("dpp")]; len(got) != 1 || got[0].Href != "https://dpp.example/"+gtinA+"/S1" {
				t.Errorf("serial dpp = %+v", got)
			}
			if got := ls[2].AdditionalProperties[voc("pip")]; len(got) != 3 {
				t.Errorf("GTIN pip links = %+v", got)
			}
			if _, ok := ls[2].AdditionalProperties[voc("recallStatus")]; ok || bytes.Contains(resp.Body, []byte("recall")) {
				t.Error("the linkset lists a non-public link")
			}
		})
	}
}

func TestResolve_Negotiation(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	tests := []struct {
		name     string
		params   *resolverclient.ResolveKeyParams
		edit     []resolverclient.RequestEditorFn
		location string
	}{
		{"Accept-Language", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:pip"), AcceptLanguage: ptr("fr-CH, en;q=0.5")}, nil,
			"https://brand.example/a/fr?linkType=gs1%3Apip"},
		{"Accept-Language q-values", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:pip"), AcceptLanguage: ptr("fr;q=0.2, en;q=0.8")},
			[]resolverclient.RequestEditorFn{header("Accept", "text/html")}, "https://brand.example/a/en?linkType=gs1%3Apip"},
		{"q=0 excludes", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:pip"), AcceptLanguage: ptr("en;q=0, fr;q=0.1")}, nil,
			"https://brand.example/a/fr?linkType=gs1%3Apip"},
		{"Accept", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:pip"), AcceptLanguage: ptr("en")},
			[]resolverclient.RequestEditorFn{header("Accept", "application/pdf, text/html;q=0.5")}, "https://brand.example/a/en.pdf?linkType=gs1%3Apip"},
		{"context", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:certificationInfo"), Context: ptr("LK")}, nil,
			"https://cert.example/a/lk?linkType=gs1%3AcertificationInfo&context=LK"},
		{"no context", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:certificationInfo")}, nil,
			"https://cert.example/a?linkType=gs1%3AcertificationInfo"},
		{"non-public link is a redirect target", &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:recallStatus")}, nil,
			"https://brand.example/a/recall?linkType=gs1%3ArecallStatus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.ResolveKeyWithResponse(ctx, "01", gtinA, tt.params, tt.edit...)
			if err != nil {
				t.Fatal(err)
			}
			checkRedirect(t, resp.HTTPResponse, tt.location)
		})
	}
}

func TestResolve_MultipleChoices(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp, err := c.ResolveKeyWithResponse(ctx, "01", gtinA, &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:instructions")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusMultipleChoices || resp.ApplicationlinksetJSON300 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	if ct := resp.HTTPResponse.Header.Get("Content-Type"); ct != "application/linkset+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	checkCORS(t, resp.HTTPResponse)
	validateLinkset(t, resp.Body)
	ls := resp.ApplicationlinksetJSON300.Linkset
	if len(ls) != 1 || ls[0].Anchor != root+"/01/"+gtinA || len(ls[0].AdditionalProperties[voc("instructions")]) != 2 {
		t.Fatalf("choices = %s", resp.Body)
	}
	if !strings.Contains(resp.HTTPResponse.Header.Get("Link"), `rel="linkset"`) {
		t.Errorf("no linkset Link header: %v", resp.HTTPResponse.Header)
	}
}

func TestResolve_NotFound(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	tests := []struct {
		name, key, code string
		params          *resolverclient.ResolveKeyParams
	}{
		{"no link of the type", gtinA, resolver.CodeNoLinkOfType, &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:homepage")}},
		{"unknown link type", gtinA, resolver.CodeUnknownLinkType, &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:nosuchlt")}},
		{"unknown key", gtinX, resolver.CodeUnknownKey, nil},
		{"unknown key linkset", gtinX, resolver.CodeUnknownKey, &resolverclient.ResolveKeyParams{LinkType: ptr("linkset")}},
		{"template naming an absent AI", gtinA, resolver.CodeNoLinkOfType, &resolverclient.ResolveKeyParams{LinkType: ptr("gs1:traceability")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.ResolveKeyWithResponse(ctx, "01", tt.key, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode() != http.StatusNotFound || resp.ApplicationproblemJSON404 == nil {
				t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
			}
			p := resp.ApplicationproblemJSON404
			if p.Code == nil || *p.Code != tt.code || p.Status != http.StatusNotFound || p.Instance == nil || *p.Instance != "/01/"+tt.key {
				t.Errorf("problem = %s", resp.Body)
			}
			checkCORS(t, resp.HTTPResponse)
		})
	}
}

func TestResolve_BadSyntaxIs400(t *testing.T) {
	t.Parallel()
	_, base, hc := clientAndHTTP(t, resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root}))
	tests := []struct {
		name, path, code, ai string
		offset               int
	}{
		{"check digit", "/01/09506000134353", dl.CodeCheckDigit, "01", 17},
		{"GTIN too short", "/01/123", dl.CodeTooShort, "01", 4},
		{"segment appended (GS1 suite)", "/01/" + gtinA + "/foo", dl.CodeNoPrimaryKey, "", 0},
		{"qualifier without value", "/01/" + gtinA + "/10", dl.CodeNoPrimaryKey, "", 0},
		{"a second primary key", "/01/" + gtinA + "/10/LOT1/414/9506000134369", resolverhttp.CodeStem, "414", 26},
		{"qualifier as attribute", "/01/" + gtinA + "?10=LOT1", dl.CodeQualifierInQuery, "10", -1},
		{"unknown attribute", "/01/" + gtinA + "?89=1", dl.CodeUnknownAI, "89", -1},
		{"truncated compressed URI", "/ARFKk4XB0CDKW", "compressed-truncated", "10", 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				req, err := http.NewRequestWithContext(ctx, method, base+tt.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%s %s: status %d %q, want a 400 problem: %s", method, tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
				}
				checkCORS(t, resp)
				if method == http.MethodHead {
					if len(body) != 0 {
						t.Errorf("HEAD has a body: %s", body)
					}
					continue
				}
				var p struct {
					Status int
					Code   string
					AI     string
					Offset *int
					Detail string
				}
				if err := json.Unmarshal(body, &p); err != nil {
					t.Fatal(err)
				}
				if tt.code != "" && p.Code != tt.code || p.Code == "" || p.AI != tt.ai || p.Offset == nil ||
					(tt.offset >= 0 && *p.Offset != tt.offset) || p.Detail == "" {
					t.Errorf("problem %s, want code %q ai %q offset %d", body, tt.code, tt.ai, tt.offset)
				}
			}
		})
	}
}

func TestResolve_TrailingSlashIsTolerated(t *testing.T) {
	t.Parallel()
	_, base, hc := clientAndHTTP(t, resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root}))
	for _, tt := range []struct{ path, location string }{
		{"/01/" + gtinA + "/", "https://brand.example/a"},
		{"/01/" + gtinA + "/10/LOT1/21/S1/", "https://brand.example/a/s1"},
		{"/01/" + gtinA + "/?foo=bar", "https://brand.example/a?foo=bar"},
		{"/ARFKk4XB0CDKWcnpq/", "https://brand.example/b"},
	} {
		for _, p := range []string{tt.path, strings.Replace(tt.path, "/?", "?", 1)} {
			p = strings.TrimSuffix(p, "/") + map[bool]string{true: "/", false: ""}[p == tt.path && !strings.Contains(p, "?")]
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			checkRedirect(t, resp, tt.location)
		}
	}
}

func TestResolve_Head(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp, err := c.HeadKeyWithResponse(ctx, "01", gtinA, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRedirect(t, resp.HTTPResponse, "https://brand.example/a")
	resp, err = c.HeadKeyWithResponse(ctx, "01", gtinA, &resolverclient.HeadKeyParams{LinkType: ptr("linkset")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || len(resp.Body) != 0 || resp.HTTPResponse.Header.Get("Content-Type") != "application/linkset+json" {
		t.Fatalf("HEAD linkset: %d %v %q", resp.StatusCode(), resp.HTTPResponse.Header, resp.Body)
	}
	q2, err := c.HeadQualified2WithResponse(ctx, "01", gtinA, "10", "LOT1", "21", "S1", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRedirect(t, q2.HTTPResponse, "https://brand.example/a/s1")
}

func TestResolve_OptionsAndPreflight(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp, err := c.OptionsKeyWithResponse(ctx, "01", gtinA, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusNoContent || resp.HTTPResponse.Header.Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Fatalf("OPTIONS: %d %v", resp.StatusCode(), resp.HTTPResponse.Header)
	}
	checkCORS(t, resp.HTTPResponse)
	if resp.HTTPResponse.Header.Get("Access-Control-Allow-Methods") != "" {
		t.Error("a plain OPTIONS got preflight headers")
	}

	pre, err := c.OptionsQualified1WithResponse(ctx, "01", gtinA, "10", "LOT1", &resolverclient.OptionsQualified1Params{
		AccessControlRequestMethod:  ptr("GET"),
		AccessControlRequestHeaders: ptr("accept-language, x-app"),
	}, header("Origin", "https://app.example"))
	if err != nil {
		t.Fatal(err)
	}
	h := pre.HTTPResponse.Header
	if pre.StatusCode() != http.StatusNoContent || h.Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS" ||
		h.Get("Access-Control-Allow-Headers") != "accept-language, x-app" || h.Get("Access-Control-Allow-Origin") != "*" ||
		h.Get("Access-Control-Max-Age") == "" {
		t.Fatalf("preflight: %d %v", pre.StatusCode(), h)
	}
	pre2, err := c.OptionsCompressedWithResponse(ctx, "ARFKk4XB0CDKWcnpq", &resolverclient.OptionsCompressedParams{AccessControlRequestMethod: ptr("GET")})
	if err != nil {
		t.Fatal(err)
	}
	if pre2.HTTPResponse.Header.Get("Access-Control-Allow-Headers") != "Accept, Accept-Language" {
		t.Fatalf("preflight without requested headers: %v", pre2.HTTPResponse.Header)
	}
}

func TestResolve_OtherMethodsAndPaths(t *testing.T) {
	t.Parallel()
	_, base := newClient(t)
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/01/" + gtinA, http.StatusMethodNotAllowed},
		{http.MethodDelete, "/01/" + gtinA + "/10/LOT1", http.StatusMethodNotAllowed},
		{http.MethodPut, "/.well-known/gs1resolver", http.StatusMethodNotAllowed},
		{http.MethodGet, "/robots.txt", http.StatusNotFound},
		{http.MethodGet, "/gtin/9506000134352", http.StatusNotFound},
		{http.MethodGet, "/", http.StatusNotFound},
		{http.MethodGet, "/abc/def", http.StatusNotFound},
	} {
		req, err := http.NewRequestWithContext(ctx, tt.method, base+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s = %d %q, want a %d problem", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.status)
		}
		if tt.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("%s %s: Allow = %q", tt.method, tt.path, resp.Header.Get("Allow"))
		}
		checkCORS(t, resp)
	}
}

func TestResolve_CompressedURI(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	// GS1's compression of /01/09506000134376/10/LOT01, without and with
	// optimisation (facts file section 6; GS1DigitalLinkCompressionPrototype
	// and digital-link.js agree on both).
	for _, seg := range []string{"ARFKk4XB0CDKWcnpq", "CxFKk4XB0MpZyemo"} {
		resp, err := c.ResolveCompressedWithResponse(ctx, seg, &resolverclient.ResolveCompressedParams{
			Attributes: &resolverclient.Attributes{"foo": "bar"},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Resolved (the GTIN's default, walking up from the lot), not
		// redirected to the uncompressed URI; the query of the uncompressed
		// URI and the request's own is forwarded.
		checkRedirect(t, resp.HTTPResponse, "https://brand.example/b?foo=bar")
		links := strings.Join(resp.HTTPResponse.Header.Values("Link"), ", ")
		sameAs := `<` + root + `/01/` + gtinB + `/10/LOT01>; rel="owl:sameAs"`
		if !strings.Contains(links, sameAs) || !strings.Contains(links, `<`+root+`/01/`+gtinB+`/10/LOT01?linkType=linkset>; rel="linkset"`) {
			t.Errorf("%s: Link headers %q, want %q and the linkset", seg, links, sameAs)
		}
		ls, err := c.ResolveCompressedWithResponse(ctx, seg, &resolverclient.ResolveCompressedParams{LinkType: ptr("linkset")})
		if err != nil {
			t.Fatal(err)
		}
		if ls.StatusCode() != http.StatusOK {
			t.Fatalf("%s linkset: %d %s", seg, ls.StatusCode(), ls.Body)
		}
		validateLinkset(t, ls.Body)
		if a := ls.ApplicationlinksetJSON200.Linkset[0].Anchor; a != root+"/01/"+gtinB {
			t.Errorf("%s: linkset anchor %q is not the uncompressed URI's level", seg, a)
		}
	}
}

func TestResolve_RouteLabels(t *testing.T) {
	t.Parallel()
	h := resolverhttp.NewHandler(fixture(), resolverhttp.Config{Root: root})
	for _, tt := range []struct{ path, pattern string }{
		{"/01/" + gtinA, "/01/"},
		{"/8004/95060001343691234", "/8004/"},
		{"/ARFKk4XB0CDKWcnpq", "/{compressed}"},
		{"/.well-known/gs1resolver", "/.well-known/gs1resolver"},
		{"/nothing/here", ""},
	} {
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, tt.path, nil)
		h.ServeHTTP(httptest.NewRecorder(), req)
		if req.Pattern != tt.pattern {
			t.Errorf("%s: pattern %q, want %q", tt.path, req.Pattern, tt.pattern)
		}
	}
}

func TestDescription_ValidatesAgainstGS1Schema(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp, err := c.GetResolverDescriptionWithResponse(ctx, header("Accept", "application/json"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil || resp.HTTPResponse.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	checkCORS(t, resp.HTTPResponse)
	validateDescription(t, resp.Body)
	d := resp.JSON200
	if d.ResolverRoot != root || len(d.SupportedPrimaryKeys) != 16 || d.LinkTypeDefaultCanBeLinkset == nil || *d.LinkTypeDefaultCanBeLinkset {
		t.Errorf("description: %s", resp.Body)
	}
	for _, k := range []string{"01", "00", "414", "8004", "8006", "8013", "8017", "8018", "253", "255", "401", "402", "415", "417", "8003", "8010"} {
		if !strings.Contains(strings.Join(d.SupportedPrimaryKeys, ","), k) {
			t.Errorf("primary key %s missing from %v", k, d.SupportedPrimaryKeys)
		}
	}
	if d.SupportedLinkType == nil || len(*d.SupportedLinkType) != 1 || (*d.SupportedLinkType)[0].Namespace != "https://gs1.org/voc/" || (*d.SupportedLinkType)[0].Prefix != "gs1:" {
		t.Errorf("supportedLinkType: %s", resp.Body)
	}
	if d.SupportedContextValuesEnumerated == nil || strings.Join(*d.SupportedContextValuesEnumerated, ",") != "EU,LK" {
		t.Errorf("contexts: %s", resp.Body)
	}
}

// validateLinkset fails the test unless body validates against GS1's
// linkset schema.
func validateLinkset(t *testing.T, body []byte) {
	t.Helper()
	v, err := linksetschema.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("linkset is not JSON: %v: %s", err, body)
	}
	if errs := v.Validate(doc); len(errs) > 0 {
		t.Fatalf("linkset does not validate against GS1's schema: %v\n%s", errs, body)
	}
}

var (
	descriptionOnce   sync.Once
	descriptionSchema *jsonschema.Schema
	descriptionErr    error
)

// validateDescription fails the test unless body validates against GS1's
// description-file schema (formats asserted).
func validateDescription(t *testing.T, body []byte) {
	t.Helper()
	descriptionOnce.Do(func() {
		f, err := os.Open("testdata/gs1-description-file-schema.json")
		if err != nil {
			descriptionErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			descriptionErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		const id = "https://ref.gs1.org/standards/resolver/1.2.0/description-file-schema"
		if err := c.AddResource(id, doc); err != nil {
			descriptionErr = err
			return
		}
		descriptionSchema, descriptionErr = c.Compile(id)
	})
	if descriptionErr != nil {
		t.Fatal(descriptionErr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := descriptionSchema.Validate(inst); err != nil {
		t.Fatalf("description does not validate against GS1's schema: %v\n%s", err, body)
	}
}

func TestDescriptionSchema_CanFail(t *testing.T) {
	t.Parallel()
	validateDescription(t, []byte(`{"resolverRoot":"https://id.example","supportedPrimaryKeys":["01"]}`))
	// The schema requires resolverRoot and supportedPrimaryKeys, limits the
	// keys to GS1's list and wants URIs: a broken description must fail.
	for _, doc := range []string{
		`{"supportedPrimaryKeys":["01"]}`,
		`{"resolverRoot":"https://id.example","supportedPrimaryKeys":["99"]}`,
		`{"resolverRoot":"not a uri","supportedPrimaryKeys":["01"]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if descriptionSchema.Validate(inst) == nil {
			t.Errorf("schema accepted %s", doc)
		}
	}
}
