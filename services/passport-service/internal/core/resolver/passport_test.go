package resolver_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

const passportBase = "https://id.example.com/passport"

func passportIndex(t *testing.T) *resolver.Index {
	t.Helper()
	idx := resolver.NewIndex()
	idx.SetPassportBase(passportBase)
	return idx
}

func TestIndex_PassportPageIsDefaultAndPipOfCatalogProducts(t *testing.T) {
	t.Parallel()
	idx := passportIndex(t)
	key := keyOf("01", gtinX)
	idx.SetPassport(key, true)

	r := resolver.Resolve(idx, resolver.Request{URI: uri(3, "01", gtinX, "10", "LOT 1", "17", "261231"), Query: "17=261231"})
	if r.Kind != resolver.Redirect {
		t.Fatalf("kind = %v (%s), want redirect", r.Kind, r.Code)
	}
	if want := passportBase + "/01/" + gtinX + "/10/LOT%201?17=261231"; r.Href != want {
		t.Errorf("href = %s, want %s", r.Href, want)
	}
	r = resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinX), LinkType: "gs1:pip"})
	if r.Kind != resolver.Redirect || r.Href != passportBase+"/01/"+gtinX {
		t.Errorf("gs1:pip: %v %s", r.Kind, r.Href)
	}
	ls := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinX), LinkType: "linkset"})
	if ls.Kind != resolver.LinksetDoc || len(ls.Linkset) != 1 || len(ls.Linkset[0].Links) != 2 {
		t.Fatalf("linkset = %+v", ls)
	}

	idx.SetPassport(key, false)
	if r := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinX)}); r.Kind != resolver.NotFound {
		t.Errorf("after removal: kind %v, want not found", r.Kind)
	}
	if idx.Len() != 0 {
		t.Errorf("Len = %d after removal", idx.Len())
	}
}

func TestIndex_BrandLinksWinOverPassport(t *testing.T) {
	t.Parallel()
	idx := passportIndex(t)
	key := keyOf("01", gtinA)
	brand := &resolver.Anchor{Key: key, Brand: "9506000", Links: []resolver.Link{
		link("defaultLink", "https://brand.example/p", "Brand"),
		link("pip", "https://brand.example/p", "Brand page"),
	}}
	idx.Put(brand)
	idx.SetPassport(key, true)

	r := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinA)})
	if r.Href != "https://brand.example/p" {
		t.Errorf("default = %s, want the brand's", r.Href)
	}
	r = resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinA), LinkType: "gs1:pip"})
	if r.Kind != resolver.Redirect || r.Href != "https://brand.example/p" {
		t.Errorf("gs1:pip = %v %s, want the brand's page", r.Kind, r.Href)
	}
	ls := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinA), LinkType: "linkset"})
	if got := len(ls.Linkset[0].Links); got != 3 {
		t.Errorf("linkset has %d links, want the brand's 2 and the passport pip", got)
	}

	// The brand replaces its links without a default: the passport page
	// becomes the default; deleting the brand's anchor keeps the product's.
	idx.Put(&resolver.Anchor{Key: key, Brand: "9506000", Links: []resolver.Link{link("recipeInfo", "https://brand.example/r", "Recipes")}})
	if r := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinA)}); r.Href != passportBase+key {
		t.Errorf("default without the brand's = %s", r.Href)
	}
	idx.Delete(key)
	if r := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinA), LinkType: "gs1:recipeInfo"}); r.Kind != resolver.NotFound {
		t.Errorf("deleted brand link still resolves: %v", r.Kind)
	}
	if r := resolver.Resolve(idx, resolver.Request{URI: uri(1, "01", gtinA)}); r.Href != passportBase+key {
		t.Errorf("passport page lost with the brand's anchor: %v %s", r.Kind, r.Href)
	}
	idx.SetPassport(key, false)
	idx.Put(brand)
	if got := idx.Get(key); len(got.Links) != 2 {
		t.Errorf("brand anchor after the product left has %d links, want 2", len(got.Links))
	}
}

func TestIndex_SetPassportIgnoresOtherKeys(t *testing.T) {
	t.Parallel()
	idx := passportIndex(t)
	for _, k := range []string{"/00/106141412345678908", keyOf("01", gtinA, "10", "L1"), "/01/123"} {
		idx.SetPassport(k, true)
	}
	if idx.Len() != 0 {
		t.Errorf("Len = %d, want 0", idx.Len())
	}
}
