package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app/apptest"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// schema is a fake of GS1's schema: it reports the violations it is given
// for every document, and records what it was asked to validate.
type schema struct {
	violations []app.SchemaViolation
	seen       []any
}

func (s *schema) Validate(doc any) []app.SchemaViolation {
	s.seen = append(s.seen, doc)
	return s.violations
}

const (
	brandA = "9506000"
	brandB = "9520123"
	gtinA  = "09506000134352"
	gtinA2 = "09506000134369"
	gtinB  = "09520123000004"
)

var (
	owner   = app.Actor{Subject: "o", Roles: []string{app.RoleBrandOwner}, Brands: []string{"9506", brandA}}
	ownerB  = app.Actor{Subject: "b", Roles: []string{app.RoleBrandOwner}, Brands: []string{brandB}}
	analyst = app.Actor{Subject: "a", Roles: []string{app.RoleBrandAnalyst}, Brands: []string{brandA}}
	admin   = app.Actor{Subject: "x", Roles: []string{app.RoleAdmin}}
	shopper = app.Actor{Subject: "s", Roles: []string{"shopper"}, Brands: []string{brandA}}
)

func newService(t *testing.T) (*app.Service, *apptest.AnchorRepository, *schema) {
	t.Helper()
	repo, s := apptest.NewAnchorRepository(), &schema{}
	return app.NewService(repo, s, apptest.NewCatalogFake()), repo, s
}

// product is a context object for a path with a described default link;
// extra members are appended.
func product(path string, extra ...string) string {
	href := "https://brand.example/p" + path
	m := append([]string{
		`"anchor":"https://id.gs1.org` + path + `"`, `"itemDescription":"Item"`,
		`"gs1:defaultLink":[{"href":"` + href + `","title":"P"}]`,
		`"gs1:pip":[{"href":"` + href + `","title":"P"}]`,
	}, extra...)
	return "{" + strings.Join(m, ",") + "}"
}

// bare is a context object without a default link.
func bare(path string) string {
	return `{"anchor":"https://id.gs1.org` + path + `","itemDescription":"Bare",` +
		`"gs1:traceability":[{"href":"https://brand.example/t/{10}","title":"T"}]}`
}

func linkset(contexts ...string) []byte {
	return []byte(`{"linkset":[` + strings.Join(contexts, ",") + `]}`)
}

func mustUpload(t *testing.T, svc *app.Service, who app.Actor, brand string, contexts ...string) []app.WriteResult {
	t.Helper()
	res, err := svc.UploadLinkset(context.Background(), who, linkset(contexts...), brand)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func assertKind(t *testing.T, err error, kind fault.Kind, field string) {
	t.Helper()
	if !fault.Is(err, kind) {
		t.Fatalf("err = %v (%v), want %v", err, fault.KindOf(err), kind)
	}
	if field == "" {
		return
	}
	for _, f := range fault.FieldsOf(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("no field error at %s: %+v", field, fault.FieldsOf(err))
}

func TestUploadLinkset_CreatesThenReplacesAndRecordsTheBrand(t *testing.T) {
	t.Parallel()
	svc, repo, sch := newService(t)
	ctx := context.Background()
	res := mustUpload(t, svc, owner, "", product("/01/"+gtinA), bare("/01/"+gtinA+"/10/L1"))
	want := []app.WriteResult{{Key: "/01/" + gtinA, Created: true, Links: 2}, {Key: "/01/" + gtinA + "/10/L1", Created: true, Links: 1}}
	if !slices.Equal(res, want) {
		t.Fatalf("results %+v, want %+v", res, want)
	}
	if len(sch.seen) != 1 {
		t.Fatalf("schema asked %d times, want once", len(sch.seen))
	}
	a, err := repo.GetAnchor(ctx, "/01/"+gtinA)
	if err != nil {
		t.Fatal(err)
	}
	if a.Brand != brandA { // the longest of 9506 and 9506000
		t.Fatalf("brand %q, want %q", a.Brand, brandA)
	}

	// The lot level relies on the stored GTIN's default link.
	res = mustUpload(t, svc, owner, "", bare("/01/"+gtinA+"/10/L2"), product("/01/"+gtinA, `"gs1:faqs":[{"href":"https://b.example/f","title":"F"}]`))
	if res[0].Created != true || res[1].Created != false || res[1].Links != 3 {
		t.Fatalf("results %+v", res)
	}
	if repo.Len() != 3 {
		t.Fatalf("%d anchors stored, want 3", repo.Len())
	}
}

func TestUploadLinkset_StoresNothingOfABadDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		doc        []byte
		violations []app.SchemaViolation
		field      string
	}{
		{"schema violation at a renamed key", linkset(product("/01/" + gtinA)),
			[]app.SchemaViolation{{Path: []string{"linkset", "0", "https://gs1.org/voc/pip", "0", "title"}, Reason: "bad"}},
			"/linkset/0/gs1:pip/0/title"},
		{"schema violation of the whole document", linkset(product("/01/" + gtinA)),
			[]app.SchemaViolation{{Reason: "additional properties 'x' not allowed"}}, "body"},
		{"no default anywhere", linkset(product("/01/"+gtinA2), bare("/01/"+gtinA+"/10/L1")), nil, "/linkset/1"},
		{"unknown link type", linkset(product("/01/"+gtinA, `"gs1:unheardOf":[{"href":"https://b.example","title":"U"}]`)), nil,
			"/linkset/0/gs1:unheardOf"},
		{"bad key", linkset(product("/01/09506000134353")), nil, "/linkset/0/anchor"},
		{"bad template", linkset(product("/01/"+gtinA, `"gs1:faqs":[{"href":"https://b.example/{8020}","title":"F"}]`)), nil,
			"/linkset/0/gs1:faqs/0/href"},
		{"not JSON", []byte(`{"linkset":`), nil, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, repo, sch := newService(t)
			sch.violations = tt.violations
			_, err := svc.UploadLinkset(context.Background(), owner, tt.doc, "")
			assertKind(t, err, fault.Invalid, tt.field)
			if repo.Len() != 0 {
				t.Fatalf("%d anchors stored", repo.Len())
			}
		})
	}
}

func TestUploadLinkset_ChecksRolesBrandsAndTheBrandParameter(t *testing.T) {
	t.Parallel()
	own, theirs := product("/01/"+gtinA), product("/01/"+gtinB)
	tests := []struct {
		name     string
		who      app.Actor
		brand    string
		contexts []string
		kind     fault.Kind
		field    string
		stored   string // brand recorded on the first anchor when the upload succeeds
	}{
		{"shopper", shopper, "", []string{own}, fault.Forbidden, "", ""},
		{"analyst", analyst, "", []string{own}, fault.Forbidden, "", ""},
		{"no roles", app.Actor{Brands: []string{brandA}}, "", []string{own}, fault.Forbidden, "", ""},
		{"owner, key of another brand", owner, "", []string{own, theirs}, fault.Forbidden, "/linkset/1/anchor", ""},
		{"owner without brands", app.Actor{Roles: []string{app.RoleBrandOwner}}, "", []string{own}, fault.Forbidden, "/linkset/0/anchor", ""},
		{"owner names a brand they do not act for", owner, brandB, []string{own}, fault.Forbidden, "", ""},
		{"brand parameter not a company prefix", owner, "95x", []string{own}, fault.Invalid, "brand", ""},
		{"owner names the shorter of their brands", owner, "9506", []string{own}, 0, "", "9506"},
		{"admin without a brand", admin, "", []string{theirs}, fault.Invalid, "/linkset/0/anchor", ""},
		{"admin with a brand that does not cover the key", admin, brandA, []string{theirs}, fault.Invalid, "/linkset/0/anchor", ""},
		{"admin with the brand", admin, brandB, []string{theirs}, 0, "", brandB},
		{"admin who also acts for the brand", app.Actor{Roles: []string{app.RoleAdmin}, Brands: []string{brandB}}, "", []string{theirs}, 0, "", brandB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, repo, _ := newService(t)
			res, err := svc.UploadLinkset(context.Background(), tt.who, linkset(tt.contexts...), tt.brand)
			if tt.kind != 0 {
				assertKind(t, err, tt.kind, tt.field)
				if repo.Len() != 0 {
					t.Fatalf("%d anchors stored by a refused upload", repo.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			a, err := repo.GetAnchor(context.Background(), res[0].Key)
			if err != nil || a.Brand != tt.stored {
				t.Fatalf("stored brand %q (%v), want %q", a.Brand, err, tt.stored)
			}
		})
	}
}

func TestListAnchors_ShowsTheCallersBrandsInPages(t *testing.T) {
	t.Parallel()
	svc, _, _ := newService(t)
	mustUpload(t, svc, owner, "", product("/01/"+gtinA), product("/01/"+gtinA2), product("/01/"+gtinA+"/10/L1"))
	mustUpload(t, svc, admin, brandB, product("/01/"+gtinB))
	ctx := context.Background()
	keys := func(who app.Actor, q app.ListQuery) []string {
		t.Helper()
		var out []string
		for range 10 {
			page, err := svc.ListAnchors(ctx, who, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				out = append(out, a.Key)
			}
			if page.Next == "" {
				return out
			}
			q.Cursor = page.Next
		}
		t.Fatal("more pages than anchors")
		return nil
	}
	own := []string{"/01/" + gtinA, "/01/" + gtinA + "/10/L1", "/01/" + gtinA2}
	for name, tt := range map[string]struct {
		who  app.Actor
		q    app.ListQuery
		want []string
	}{
		"owner, pages of one":     {owner, app.ListQuery{Limit: 1}, own},
		"analyst":                 {analyst, app.ListQuery{}, own},
		"other brand's owner":     {ownerB, app.ListQuery{}, []string{"/01/" + gtinB}},
		"admin sees every brand":  {admin, app.ListQuery{Limit: 2}, append(slices.Clone(own), "/01/"+gtinB)},
		"admin, brand filter":     {admin, app.ListQuery{Brand: brandB}, []string{"/01/" + gtinB}},
		"owner, key prefix":       {owner, app.ListQuery{KeyPrefix: "/01/" + gtinA}, own[:2]},
		"owner, other's brand":    {owner, app.ListQuery{Brand: brandB}, nil},
		"an owner without brands": {app.Actor{Roles: []string{app.RoleBrandOwner}}, app.ListQuery{}, nil},
	} {
		if got := keys(tt.who, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", name, got, tt.want)
		}
	}
	for name, tt := range map[string]struct {
		who   app.Actor
		q     app.ListQuery
		kind  fault.Kind
		field string
	}{
		"shopper":          {shopper, app.ListQuery{}, fault.Forbidden, ""},
		"limit too large":  {owner, app.ListQuery{Limit: 1001}, fault.Invalid, "limit"},
		"negative limit":   {owner, app.ListQuery{Limit: -1}, fault.Invalid, "limit"},
		"bad brand":        {owner, app.ListQuery{Brand: "x"}, fault.Invalid, "brand"},
		"bad key prefix":   {owner, app.ListQuery{KeyPrefix: "01/"}, fault.Invalid, "keyPrefix"},
		"non-ASCII prefix": {owner, app.ListQuery{KeyPrefix: "/01/é"}, fault.Invalid, "keyPrefix"},
		"bad cursor":       {owner, app.ListQuery{Cursor: "!!"}, fault.Invalid, "cursor"},
		"forged cursor":    {owner, app.ListQuery{Cursor: "eA"}, fault.Invalid, "cursor"},
	} {
		_, err := svc.ListAnchors(ctx, tt.who, tt.q)
		if !fault.Is(err, tt.kind) {
			t.Errorf("%s: err = %v, want %v", name, err, tt.kind)
			continue
		}
		if tt.field != "" && (len(fault.FieldsOf(err)) == 0 || fault.FieldsOf(err)[0].Field != tt.field) {
			t.Errorf("%s: fields %+v, want %s", name, fault.FieldsOf(err), tt.field)
		}
	}
}

func TestGetAnchor(t *testing.T) {
	t.Parallel()
	svc, _, _ := newService(t)
	mustUpload(t, svc, owner, "", product("/01/"+gtinA), product("/01/"+gtinA+"/10/A%2Fb"))
	ctx := context.Background()
	a, err := svc.GetAnchor(ctx, analyst, "01/"+gtinA+"/10/A%2fb") // percent-encoding in any case
	if err != nil || a.Key != "/01/"+gtinA+"/10/A%2Fb" || len(a.Links) != 2 || a.Links[0].Type != resolver.LinkTypeDefault {
		t.Fatalf("GetAnchor = %+v, %v", a, err)
	}
	for name, tt := range map[string]struct {
		who    app.Actor
		anchor string
		kind   fault.Kind
	}{
		"unknown":             {owner, "01/" + gtinA2, fault.NotFound},
		"other brand":         {ownerB, "01/" + gtinA, fault.Forbidden},
		"shopper":             {shopper, "01/" + gtinA, fault.Forbidden},
		"bad check digit":     {owner, "01/09506000134353", fault.Invalid},
		"with a stem":         {owner, "x/01/" + gtinA, fault.Invalid},
		"with an attribute":   {owner, "01/" + gtinA + "?17=261231", fault.Invalid},
		"with a leading /":    {owner, "/01/" + gtinA, fault.Invalid},
		"empty":               {owner, "", fault.Invalid},
		"qualifier too early": {owner, "01/" + gtinA + "/21/S/10/L", fault.Invalid},
	} {
		if _, err := svc.GetAnchor(ctx, tt.who, tt.anchor); !fault.Is(err, tt.kind) {
			t.Errorf("%s: err = %v, want %v", name, err, tt.kind)
		}
	}
}

func TestDeleteAnchor_KeepsADefaultForEveryLevel(t *testing.T) {
	t.Parallel()
	svc, repo, _ := newService(t)
	ctx := context.Background()
	mustUpload(t, svc, owner, "",
		product("/01/"+gtinA), product("/01/"+gtinA+"/10/L1"), bare("/01/"+gtinA+"/10/L1/21/S1"),
		product("/01/"+gtinA2), product("/01/"+gtinA2+"/10/L1"))
	tests := []struct {
		name   string
		who    app.Actor
		anchor string
		kind   fault.Kind
	}{
		{"analyst", analyst, "01/" + gtinA2, fault.Forbidden},
		{"other brand", ownerB, "01/" + gtinA2, fault.Forbidden},
		{"another brand's key is refused before looking", owner, "01/" + gtinB, fault.Forbidden},
		{"unknown own key", owner, "01/09506000134376", fault.NotFound},
		{"bad key", owner, "01/1", fault.Invalid},
		// The serial has no default; the lot above it is its nearest, and the
		// GTIN above the lot has one too: deleting the lot is fine, but the
		// GTIN is the only default left for the serial afterwards.
		{"lot above a serial that relies on the GTIN too", owner, "01/" + gtinA + "/10/L1", 0},
		{"GTIN the serial relies on", owner, "01/" + gtinA, fault.Conflict},
		{"serial", owner, "01/" + gtinA + "/10/L1/21/S1", 0},
		{"GTIN with nothing relying on it", owner, "01/" + gtinA, 0},
		// The lot beneath has its own default.
		{"GTIN whose lot has a default", owner, "01/" + gtinA2, 0},
		{"deleted already", owner, "01/" + gtinA2, fault.NotFound},
	}
	for _, tt := range tests {
		err := svc.DeleteAnchor(ctx, tt.who, tt.anchor)
		if tt.kind == 0 {
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			continue
		}
		if !fault.Is(err, tt.kind) {
			t.Fatalf("%s: err = %v, want %v", tt.name, err, tt.kind)
		}
	}
	if repo.Len() != 1 { // the lot of gtinA2
		t.Fatalf("%d anchors left, want 1", repo.Len())
	}
}

func TestKeyOf_GivesTheCanonicalKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"01/" + gtinA:                   "/01/" + gtinA,
		"01/" + gtinA + "/10/a%2fB":     "/01/" + gtinA + "/10/a%2FB",
		"01/" + gtinA + "/10/x+y/21/s1": "/01/" + gtinA + "/10/x%2By/21/s1",
		"414/9520123456788/254/1":       "/414/9520123456788/254/1",
	} {
		if got, err := app.KeyOf(in); err != nil || got != want {
			t.Errorf("KeyOf(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
}
