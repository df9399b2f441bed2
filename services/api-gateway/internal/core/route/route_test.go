package route_test

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
)

func TestTable_Match(t *testing.T) {
	t.Parallel()
	table := route.NewTable()
	tests := []struct {
		name string
		path string
		want route.Backend
		ok   bool
	}{
		{"gtin", "/01/09506000134352", route.Passport, true},
		{"gtin with qualifiers", "/01/09506000134352/10/AB1/21/12345", route.Passport, true},
		{"gtin trailing slash", "/01/09506000134352/", route.Passport, true},
		{"sscc", "/00/106141412345678908", route.Passport, true},
		{"gdti", "/253/4602443000331XYZ", route.Passport, true},
		{"gcn", "/255/0614141123452", route.Passport, true},
		{"ginc", "/401/0614141xyz", route.Passport, true},
		{"gsin", "/402/06141411234567890", route.Passport, true},
		{"gln", "/414/0614141123452", route.Passport, true},
		{"gln with qualifier", "/414/0614141123452/254/ABC", route.Passport, true},
		{"pay-to gln", "/415/0614141123452", route.Passport, true},
		{"party gln", "/417/0614141123452", route.Passport, true},
		{"grai", "/8003/00614141123452", route.Passport, true},
		{"giai", "/8004/0614141ABC", route.Passport, true},
		{"itip", "/8006/095060001343520102", route.Passport, true},
		{"cpid", "/8010/0614141X", route.Passport, true},
		{"gmn", "/8013/1987654Ad4X4bL5ttr2310c2K", route.Passport, true},
		{"gsrn provider", "/8017/106141412345678908", route.Passport, true},
		{"gsrn recipient", "/8018/106141412345678908", route.Passport, true},
		{"key value is not validated", "/01/not-a-gtin", route.Passport, true},
		{"resolver description", "/.well-known/gs1resolver", route.Passport, true},
		{"beneath resolver description", "/.well-known/gs1resolver/context", route.Passport, true},
		{"passport page", "/passport", route.Passport, true},
		{"passport page trailing slash", "/passport/", route.Passport, true},
		{"passport page of a product", "/passport/01/09506000134352", route.Passport, true},
		{"passport page asset", "/passport/static/app.css", route.Passport, true},

		{"gateway api", "/api/v1/gateway", route.Gateway, true},
		{"gateway api sub", "/api/v1/gateway/status", route.Gateway, true},
		{"passport api", "/api/v1/passport/products/1", route.Passport, true},
		{"fridge api", "/api/v1/fridge/items", route.Fridge, true},
		{"fridge api exact", "/api/v1/fridge", route.Fridge, true},
		{"fridge api trailing slash", "/api/v1/fridge/", route.Fridge, true},
		{"measurement api", "/api/v1/measurement/facts", route.Measurement, true},
		{"identity api", "/api/v1/identity/me", route.Identity, true},
		{"personalization api", "/api/v1/personalization/profile", route.Personalization, true},
		{"analytics api", "/api/v1/analytics/brands/0614141", route.BrandAnalytics, true},

		{"empty", "", "", false},
		{"root", "/", "", false},
		{"relative", "01/09506000134352", "", false},
		{"asterisk", "*", "", false},
		{"primary key without value", "/01", "", false},
		{"primary key with empty value", "/01/", "", false},
		{"primary key with empty segment", "/01//09506000134352", "", false},
		{"qualifier is not a primary key", "/10/ABC", "", false},
		{"attribute is not a primary key", "/17/261231", "", false},
		{"410 is not a dlpkey", "/410/0614141123452", "", false},
		{"alpha convenience name", "/gtin/09506000134352", "", false},
		{"padded ai", "/001/09506000134352", "", false},
		{"stem before key", "/shop/01/09506000134352", "", false},
		{"leading double slash", "//01/09506000134352", "", false},
		{"unknown api", "/api/v1/billing/x", "", false},
		{"api prefix only", "/api/v1/", "", false},
		{"api without version", "/api/fridge/items", "", false},
		{"api other version", "/api/v2/fridge/items", "", false},
		{"api case matters", "/api/v1/Fridge/items", "", false},
		{"api short name prefix", "/api/v1/fridgex/items", "", false},
		{"resolver lookalike", "/.well-known/gs1resolverx", "", false},
		{"other well-known", "/.well-known/openid-configuration", "", false},
		{"dot-dot segment", "/api/v1/fridge/../identity/me", "", false},
		{"dot segment", "/01/./09506000134352", "", false},
		{"trailing dot-dot", "/01/09506000134352/..", "", false},
		{"dots inside a segment are fine", "/01/09506000134352/10/A..B", route.Passport, true},
		{"healthz is the gateway's own mux", "/healthz", "", false},
		{"compressed gtin and lot", "/ARFKk4XB0CDKWcnpq", route.Passport, true},
		{"compressed, optimised", "/CxFKk4XB0MpZyemo", route.Passport, true},
		{"compressed, trailing slash", "/CxFKk4XB0MpZyemo/", route.Passport, true},
		{"compressed needs 8 characters", "/ARFKk4X", "", false},
		{"compressed is base64url only", "/ARFKk4XB0CDK+cnpq", "", false},
		{"compressed is one segment", "/ARFKk4XB0CDKWcnpq/x", "", false},
		{"favicon is not compressed", "/favicon.ico", "", false},
		{"passport lookalike", "/passports/x", "", false},
		{"passport case matters", "/Passport/x", "", false},
		{"passport dot-dot segment", "/passport/../api/v1/fridge/items", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := table.Match(tt.path)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("Match(%q) = %q, %v; want %q, %v", tt.path, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestTable_LookupMarksShopperPages(t *testing.T) {
	t.Parallel()
	table := route.NewTable()
	tests := []struct {
		name    string
		path    string
		want    route.Route
		matched bool
	}{
		{"digital link", "/01/09506000134352/10/AB1", route.Route{Backend: route.Passport, ShopperPage: true}, true},
		{"sscc", "/00/106141412345678908", route.Route{Backend: route.Passport, ShopperPage: true}, true},
		{"compressed", "/ARFKk4XB0CDKWcnpq", route.Route{Backend: route.Passport, ShopperPage: true}, true},
		{"passport page", "/passport", route.Route{Backend: route.Passport, ShopperPage: true}, true},
		{"passport page beneath", "/passport/01/09506000134352", route.Route{Backend: route.Passport, ShopperPage: true}, true},
		{"resolver description", "/.well-known/gs1resolver", route.Route{Backend: route.Passport}, true},
		{"passport api", "/api/v1/passport/anchors", route.Route{Backend: route.Passport}, true},
		{"fridge api", "/api/v1/fridge/items", route.Route{Backend: route.Fridge}, true},
		{"gateway api", "/api/v1/gateway/status", route.Route{Backend: route.Gateway}, true},
		{"no route", "/favicon.ico", route.Route{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := table.Lookup(tt.path)
			if got != tt.want || ok != tt.matched {
				t.Fatalf("Lookup(%q) = %+v, %v; want %+v, %v", tt.path, got, ok, tt.want, tt.matched)
			}
		})
	}
}

// TestPrimaryKeyAIs_MatchSyntaxDictionary guards the list against the
// dictionary lines copied into testdata, so a new dlpkey AI cannot be missed
// when the excerpt is regenerated.
func TestPrimaryKeyAIs_MatchSyntaxDictionary(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/dlpkey-lines.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if !slices.ContainsFunc(fields, func(f string) bool { return f == "dlpkey" || strings.HasPrefix(f, "dlpkey=") }) {
			t.Fatalf("line without dlpkey: %q", line)
		}
		want = append(want, fields[0])
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	got := route.PrimaryKeyAIs()
	if !slices.Equal(got, want) {
		t.Fatalf("PrimaryKeyAIs() = %v, dictionary says %v", got, want)
	}
}

func TestPrimaryKeyAIs_ReturnsCopy(t *testing.T) {
	t.Parallel()
	a := route.PrimaryKeyAIs()
	a[0] = "99"
	if b := route.PrimaryKeyAIs(); b[0] != "00" {
		t.Fatalf("caller changed the table: %v", b)
	}
	if _, ok := route.NewTable().Match("/99/x"); ok {
		t.Fatal("mutating the copy changed routing")
	}
}

func TestShortNames_AllRoute(t *testing.T) {
	t.Parallel()
	names := route.ShortNames()
	if len(names) != 7 {
		t.Fatalf("ShortNames() has %d entries, want 7: %v", len(names), names)
	}
	table := route.NewTable()
	for short, backend := range names {
		if got, ok := table.Match(route.APIPrefix + short + "/x"); !ok || got != backend {
			t.Errorf("Match(/api/v1/%s/x) = %q, %v; want %q", short, got, ok, backend)
		}
	}
	names["billing"] = route.Gateway
	if _, ok := table.Match("/api/v1/billing/x"); ok {
		t.Fatal("mutating the copy changed routing")
	}
}

func BenchmarkMatch(b *testing.B) {
	table := route.NewTable()
	paths := []string{
		"/01/09506000134352/10/AB1?17=261231",
		"/8004/0614141ABC",
		"/api/v1/fridge/items/42",
		"/.well-known/gs1resolver",
		"/passport/01/09506000134352",
		"/favicon.ico",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := table.Match(paths[i%len(paths)]); ok == (i%len(paths) == len(paths)-1) {
			b.Fatalf("unexpected result for %q", paths[i%len(paths)])
		}
	}
}
