package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/packytrace/packytrace/adapters/auth/authtest"
	"github.com/packytrace/packytrace/adapters/daemon/daemontest"
	"github.com/packytrace/packytrace/api/passportclient"
	"github.com/packytrace/packytrace/api/resolverclient"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/linksetschema"
	"github.com/packytrace/packytrace/services/passport-service/internal/config"
)

// The resolver's keys: a GTIN with lot and serial anchors, and the GTIN of
// GS1's compression example (/01/09506000134376/10/LOT01 compresses to
// ARFKk4XB0CDKWcnpq), both of brand 9506000.
const (
	rvGTIN    = "09506000134352"
	rvOilGTIN = "09506000134376"
	rvUnknown = "09506000134369"
)

// rvLinkset is the linkset document the component tests upload.
const rvLinkset = `{"linkset":[
 {"anchor":"https://id.gs1.org/01/` + rvGTIN + `","itemDescription":"Risotto rice",
  "https://gs1.org/voc/defaultLink":[{"href":"https://brand.example/rice","title":"Rice"}],
  "gs1:pip":[
   {"href":"https://brand.example/rice","title":"Product","type":"text/html","hreflang":["en"]},
   {"href":"https://brand.example/rice/fr","title":"Produit","type":"text/html","hreflang":["fr"]},
   {"href":"https://brand.example/rice/en.pdf","title":"Product sheet","type":"application/pdf","hreflang":["en"]}],
  "https://ref.gs1.org/voc/certificationInfo":[
   {"href":"https://cert.example/rice/lk","title":"Certificate (LK)","context":["LK"]},
   {"href":"https://cert.example/rice","title":"Certificate"}],
  "gs1:instructions":[
   {"href":"https://brand.example/rice/manual-1","title":"Manual"},
   {"href":"https://brand.example/rice/manual-2","title":"Manual"}],
  "gs1:support":[{"href":"https://brand.example/rice/support","title":"Support","fwqs":false}],
  "gs1:recallStatus":[{"href":"https://brand.example/rice/recall","title":"Recall","public":false}],
  "gs1:traceability":[{"href":"https://trace.example/lot/{10}","title":"Trace"}]},
 {"anchor":"https://id.gs1.org/01/` + rvGTIN + `/10/LOT1","itemDescription":"Risotto rice, lot LOT1",
  "gs1:pip":[{"href":"https://brand.example/rice/lot1","title":"Lot"}]},
 {"anchor":"https://id.gs1.org/01/` + rvGTIN + `/10/LOT1/21/S1","itemDescription":"Risotto rice, serial S1",
  "gs1:defaultLink":[{"href":"https://brand.example/rice/s1","title":"Serial"}],
  "gs1:pip":[{"href":"https://brand.example/rice/s1","title":"Serial"}],
  "gs1:dpp":[{"href":"https://dpp.example/rice/{21}","title":"Passport","type":"application/ld+json","context":["EU"]}]},
 {"anchor":"https://id.gs1.org/01/` + rvOilGTIN + `","itemDescription":"Olive oil",
  "gs1:defaultLink":[{"href":"https://brand.example/oil","title":"Oil"}],
  "gs1:pip":[{"href":"https://brand.example/oil","title":"Oil"}]}
]}`

// resolverFixture runs the service, uploads rvLinkset through the
// management API and waits until the resolver's index has it. It returns
// the published resolver client (redirects not followed, every response
// checked against api/openapi/resolver.yaml), the spec-checking HTTP client
// for raw requests, the service's URL and the resolver root.
func resolverFixture(t *testing.T) (*resolverclient.ClientWithResponses, *http.Client, string, string) {
	t.Helper()
	in, passport := start(t)
	tok := in.Issuer.Token(t, authtest.Claims{Roles: []string{"brand_owner"}, Brands: []string{"9506000"}})
	up, err := passport.UploadLinksetWithBodyWithResponse(context.Background(), &passportclient.UploadLinksetParams{},
		"application/linkset+json", strings.NewReader(rvLinkset), func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+tok)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if up.StatusCode() != http.StatusOK {
		t.Fatalf("upload: %d %s", up.StatusCode(), up.Body)
	}
	spec, err := resolverclient.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	hc := daemontest.SpecClient(t, spec, in.URL)
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c, err := resolverclient.NewClientWithResponses(in.URL, resolverclient.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	// The index follows the upload through the change notification; wait
	// for the last anchor (this asserts that it follows, not how fast).
	deadline := time.Now().Add(15 * time.Second)
	for {
		r, err := c.ResolveKeyWithResponse(context.Background(), "01", rvOilGTIN, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode() == http.StatusTemporaryRedirect {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the resolver never saw the upload: %d %s", r.StatusCode(), r.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	root := in.Getenv("RESOLVER_ROOT")
	if root == "" {
		root = config.DefaultResolverRoot
	}
	return c, hc, in.URL, root
}

func rvPtr[T any](v T) *T { return &v }

func rvHeader(name, value string) resolverclient.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set(name, value)
		return nil
	}
}

// rvExpect fails unless resp is a 307 to location with the resolver's
// headers.
func rvExpect(t *testing.T, resp *http.Response, location string) {
	t.Helper()
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != location {
		t.Fatalf("%s %s: %d Location %q, want 307 to %q", resp.Request.Method, resp.Request.URL, resp.StatusCode, resp.Header.Get("Location"), location)
	}
	rvCORS(t, resp)
	if !strings.Contains(resp.Header.Get("Link"), `rel="linkset"`) {
		t.Errorf("%s: no linkset Link header", resp.Request.URL)
	}
}

func rvCORS(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Link") {
		t.Errorf("%s %s: no CORS headers", resp.Request.Method, resp.Request.URL)
	}
}

func rvLinksetValid(t *testing.T, body []byte) {
	t.Helper()
	v, err := linksetschema.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	if errs := v.Validate(doc); len(errs) > 0 {
		t.Fatalf("linkset fails GS1's schema: %v\n%s", errs, body)
	}
}

func TestResolver_ThroughPublishedClient(t *testing.T) {
	c, hc, base, root := resolverFixture(t)
	ctx := context.Background()

	t.Run("307 to the default link with the query forwarded", func(t *testing.T) {
		r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{
			Attributes: &resolverclient.Attributes{"17": "261231"},
		})
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice?17=261231")
		want := `<` + root + `/01/` + rvGTIN + `?linkType=linkset>; rel="linkset"; type="application/linkset+json"`
		if got := r.HTTPResponse.Header.Get("Link"); got != want {
			t.Errorf("Link = %q, want %q", got, want)
		}
	})
	t.Run("fwqs=false", func(t *testing.T) {
		r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{LinkType: rvPtr("gs1:support")})
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice/support")
	})
	t.Run("walk up from the lot", func(t *testing.T) {
		r, err := c.ResolveQualified1WithResponse(ctx, "01", rvGTIN, "10", "LOT1", nil)
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice")
		r, err = c.ResolveQualified1WithResponse(ctx, "01", rvGTIN, "10", "LOT1", &resolverclient.ResolveQualified1Params{LinkType: rvPtr("gs1:pip")})
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice/lot1?linkType=gs1%3Apip")
	})
	t.Run("walk up from the serial", func(t *testing.T) {
		r, err := c.ResolveQualified2WithResponse(ctx, "01", rvGTIN, "10", "LOT1", "21", "S1", nil)
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice/s1")
		r, err = c.ResolveQualified2WithResponse(ctx, "01", rvGTIN, "10", "LOT1", "21", "S7", nil)
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice")
		r, err = c.ResolveQualified2WithResponse(ctx, "01", rvGTIN, "10", "LOT2", "21", "S1",
			&resolverclient.ResolveQualified2Params{LinkType: rvPtr("https://gs1.org/voc/traceability")})
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://trace.example/lot/LOT2?linkType=https%3A%2F%2Fgs1.org%2Fvoc%2Ftraceability")
	})
	t.Run("link type spellings", func(t *testing.T) {
		for _, lt := range []string{"gs1:certificationInfo", "https://gs1.org/voc/certificationInfo", "https://ref.gs1.org/voc/certificationInfo"} {
			r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{LinkType: rvPtr(lt), Context: rvPtr("LK")})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.HTTPResponse.Header.Get("Location"); !strings.HasPrefix(got, "https://cert.example/rice/lk?") {
				t.Errorf("linkType %s: Location %q", lt, got)
			}
		}
	})
	t.Run("context", func(t *testing.T) {
		r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{LinkType: rvPtr("gs1:certificationInfo")})
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://cert.example/rice?linkType=gs1%3AcertificationInfo")
	})
	t.Run("Accept-Language with q-values", func(t *testing.T) {
		r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{
			LinkType: rvPtr("gs1:pip"), AcceptLanguage: rvPtr("de;q=1, en;q=0.3, fr-BE;q=0.7"),
		})
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice/fr?linkType=gs1%3Apip")
	})
	t.Run("Accept", func(t *testing.T) {
		r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{
			LinkType: rvPtr("gs1:pip"), AcceptLanguage: rvPtr("en-GB"),
		}, rvHeader("Accept", "application/pdf;q=0.9, text/html;q=0.1"))
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice/en.pdf?linkType=gs1%3Apip")
	})
	t.Run("300 when links cannot be told apart", func(t *testing.T) {
		r, err := c.ResolveKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.ResolveKeyParams{LinkType: rvPtr("gs1:instructions")})
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode() != http.StatusMultipleChoices || r.ApplicationlinksetJSON300 == nil {
			t.Fatalf("%d %s", r.StatusCode(), r.Body)
		}
		rvLinksetValid(t, r.Body)
		if got := r.ApplicationlinksetJSON300.Linkset[0].AdditionalProperties["https://gs1.org/voc/instructions"]; len(got) != 2 {
			t.Errorf("choices %s", r.Body)
		}
	})
	t.Run("linkset", func(t *testing.T) {
		for _, p := range []*resolverclient.ResolveQualified2Params{{LinkType: rvPtr("linkset")}, {LinkType: rvPtr("all")}, nil} {
			r, err := c.ResolveQualified2WithResponse(ctx, "01", rvGTIN, "10", "LOT1", "21", "S1", p,
				rvHeader("Accept", "application/linkset+json"))
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode() != http.StatusOK || r.ApplicationlinksetJSON200 == nil || r.HTTPResponse.Header.Get("Content-Type") != "application/linkset+json" {
				t.Fatalf("%d %s", r.StatusCode(), r.Body)
			}
			rvLinksetValid(t, r.Body)
			var anchors []string
			for _, lc := range r.ApplicationlinksetJSON200.Linkset {
				anchors = append(anchors, lc.Anchor)
			}
			prefix := root + "/01/" + rvGTIN
			if strings.Join(anchors, " ") != prefix+"/10/LOT1/21/S1 "+prefix+"/10/LOT1 "+prefix {
				t.Errorf("anchors %q", anchors)
			}
			if bytes.Contains(r.Body, []byte("recall")) || !bytes.Contains(r.Body, []byte("https://dpp.example/rice/S1")) {
				t.Errorf("linkset lists a hidden link or an unfilled template: %s", r.Body)
			}
			links := strings.Join(r.HTTPResponse.Header.Values("Link"), ", ")
			if !strings.Contains(links, `<https://ref.gs1.org/standards/resolver/linkset-context>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`) {
				t.Errorf("no JSON-LD context Link: %q", links)
			}
		}
	})
	t.Run("404", func(t *testing.T) {
		for _, tt := range []struct {
			key, code string
			params    *resolverclient.ResolveKeyParams
		}{
			{rvGTIN, "no-link-of-type", &resolverclient.ResolveKeyParams{LinkType: rvPtr("gs1:homepage")}},
			{rvGTIN, "unknown-link-type", &resolverclient.ResolveKeyParams{LinkType: rvPtr("gs1:nosuchlt")}},
			{rvUnknown, "unknown-key", nil},
		} {
			r, err := c.ResolveKeyWithResponse(ctx, "01", tt.key, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode() != http.StatusNotFound || r.ApplicationproblemJSON404 == nil || r.ApplicationproblemJSON404.Code == nil ||
				*r.ApplicationproblemJSON404.Code != tt.code {
				t.Errorf("%s %+v: %d %s", tt.key, tt.params, r.StatusCode(), r.Body)
			}
			rvCORS(t, r.HTTPResponse)
		}
	})
	t.Run("400, never 200", func(t *testing.T) {
		for _, tt := range []struct{ key, code string }{
			{"09506000134353", "check-digit"},
			{"9506000134352", "gtin-length"},
			{"0950600013435A", "invalid-character"},
		} {
			r, err := c.ResolveKeyWithResponse(ctx, "01", tt.key, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := r.ApplicationproblemJSON400
			if r.StatusCode() != http.StatusBadRequest || p == nil || p.Code == nil || *p.Code != tt.code || p.Ai == nil || *p.Ai != "01" || p.Offset == nil {
				t.Errorf("%s: %d %s", tt.key, r.StatusCode(), r.Body)
			}
		}
		// GS1's suite appends a segment to a valid URI and wants a 400.
		r, err := c.ResolveQualified1WithResponse(ctx, "01", rvGTIN, "99", "foo", nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode() != http.StatusBadRequest {
			t.Errorf("/01/%s/99/foo: %d %s", rvGTIN, r.StatusCode(), r.Body)
		}
	})
	t.Run("trailing slash", func(t *testing.T) {
		for _, p := range []string{"/01/" + rvGTIN + "/", "/01/" + rvGTIN + "/10/LOT1/21/S1/"} {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			want := "https://brand.example/rice"
			if strings.Contains(p, "S1") {
				want += "/s1"
			}
			rvExpect(t, resp, want)
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		r, err := c.HeadQualified1WithResponse(ctx, "01", rvGTIN, "10", "LOT1", nil)
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/rice")
		if len(r.Body) != 0 {
			t.Errorf("HEAD body %q", r.Body)
		}
	})
	t.Run("OPTIONS and CORS preflight", func(t *testing.T) {
		r, err := c.OptionsKeyWithResponse(ctx, "01", rvGTIN, &resolverclient.OptionsKeyParams{
			AccessControlRequestMethod: rvPtr("GET"),
		}, rvHeader("Origin", "https://scanner.example"))
		if err != nil {
			t.Fatal(err)
		}
		h := r.HTTPResponse.Header
		if r.StatusCode() != http.StatusNoContent || h.Get("Allow") != "GET, HEAD, OPTIONS" ||
			h.Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS" || h.Get("Access-Control-Allow-Origin") != "*" ||
			h.Get("Access-Control-Allow-Headers") == "" {
			t.Fatalf("%d %v", r.StatusCode(), h)
		}
	})
	t.Run("compressed URI", func(t *testing.T) {
		r, err := c.ResolveCompressedWithResponse(ctx, "ARFKk4XB0CDKWcnpq", nil)
		if err != nil {
			t.Fatal(err)
		}
		rvExpect(t, r.HTTPResponse, "https://brand.example/oil")
		sameAs := `<` + root + `/01/` + rvOilGTIN + `/10/LOT01>; rel="owl:sameAs"`
		if links := strings.Join(r.HTTPResponse.Header.Values("Link"), ", "); !strings.Contains(links, sameAs) {
			t.Errorf("Link %q lacks %q", links, sameAs)
		}
	})
	t.Run("well-known description", func(t *testing.T) {
		r, err := c.GetResolverDescriptionWithResponse(ctx, rvHeader("Accept", "application/json"))
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.ResolverRoot != root {
			t.Fatalf("%d %s", r.StatusCode(), r.Body)
		}
		rvCORS(t, r.HTTPResponse)
		f, err := os.Open("../../internal/adapters/resolverhttp/testdata/gs1-description-file-schema.json")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		schemaDoc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			t.Fatal(err)
		}
		comp := jsonschema.NewCompiler()
		comp.AssertFormat()
		if err := comp.AddResource("description-file-schema.json", schemaDoc); err != nil {
			t.Fatal(err)
		}
		sch, err := comp.Compile("description-file-schema.json")
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("description fails GS1's schema: %v\n%s", err, r.Body)
		}
		if ctxs := r.JSON200.SupportedContextValuesEnumerated; ctxs == nil || strings.Join(*ctxs, ",") != "EU,LK" {
			t.Errorf("contexts %v", ctxs)
		}
	})
	t.Run("the API keeps its validation", func(t *testing.T) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+config.BasePath+"/no-such-thing", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), "not-a-digital-link") {
			t.Errorf("%d %s: the API path reached the resolver", resp.StatusCode, body)
		}
	})
}
