package resolver_test

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

func benchResolve(b *testing.B, req resolver.Request, kind resolver.Kind) {
	idx := fixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if res := resolver.Resolve(idx, req); res.Kind != kind {
			b.Fatalf("kind %d", res.Kind)
		}
	}
}

func BenchmarkResolve_DefaultLink(b *testing.B) {
	benchResolve(b, resolver.Request{URI: uri(1, "01", gtinA)}, resolver.Redirect)
}

func BenchmarkResolve_DefaultLinkWithQuery(b *testing.B) {
	benchResolve(b, resolver.Request{URI: uri(1, "01", gtinA), Query: "foo=bar"}, resolver.Redirect)
}

func BenchmarkResolve_WalkUpFromSerial(b *testing.B) {
	benchResolve(b, resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT2", "21", "S9")}, resolver.Redirect)
}

func BenchmarkResolve_Negotiated(b *testing.B) {
	benchResolve(b, resolver.Request{
		URI: uri(1, "01", gtinA), LinkType: "gs1:pip",
		AcceptLanguage: "en-GB,en;q=0.9,fr;q=0.8",
		Accept:         "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	}, resolver.Redirect)
}

func BenchmarkResolve_Linkset(b *testing.B) {
	benchResolve(b, resolver.Request{URI: uri(3, "01", gtinA, "10", "LOT1", "21", "S1"), LinkType: "linkset"}, resolver.LinksetDoc)
}
