package dl_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// BenchmarkParseURI reports ns and allocations per URI over the
// deterministic corpus (uriCorpus), separately for valid and invalid URIs.
func BenchmarkParseURI(b *testing.B) {
	c := uriCorpus()
	for _, set := range []struct {
		name string
		uris []string
	}{{"valid", c.valid}, {"invalid", c.invalid}} {
		b.Run(set.name, func(b *testing.B) {
			b.ReportAllocs()
			n := len(set.uris)
			i := 0
			for b.Loop() {
				_, _ = dl.ParseURI(set.uris[i])
				if i++; i == n {
					i = 0
				}
			}
		})
	}
}

// BenchmarkParsePath is the resolver's entry point: path and raw query
// split from the request.
func BenchmarkParsePath(b *testing.B) {
	c := uriCorpus()
	type pq struct{ path, query string }
	var reqs []pq
	for _, s := range c.valid {
		u, err := url.Parse(s)
		if err != nil {
			b.Fatal(err)
		}
		reqs = append(reqs, pq{u.EscapedPath(), u.RawQuery})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = dl.ParsePath(reqs[i].path, reqs[i].query)
		if i++; i == len(reqs) {
			i = 0
		}
	}
}

func BenchmarkCanonical(b *testing.B) {
	var us []*dl.URI
	for _, s := range uriCorpus().valid {
		u, _ := dl.ParseURI(s)
		us = append(us, u)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = us[i].Canonical("id.gs1.org")
		if i++; i == len(us) {
			i = 0
		}
	}
}

func BenchmarkAppendPath(b *testing.B) {
	var us []*dl.URI
	for _, s := range uriCorpus().valid {
		u, _ := dl.ParseURI(s)
		us = append(us, u)
	}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		buf = dl.AppendPath(buf[:0], us[i].Elements[:us[i].PathLen])
		if i++; i == len(us) {
			i = 0
		}
	}
}

func BenchmarkParseElementString(b *testing.B) {
	var ess []string
	for _, s := range uriCorpus().valid {
		u, _ := dl.ParseURI(s)
		ess = append(ess, u.ElementString())
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = dl.ParseElementString(ess[i])
		if i++; i == len(ess) {
			i = 0
		}
	}
}

// TestParseURI_AllocationBudget: a valid URI whose values need no
// percent-decoding costs one allocation (the URI); counting allocations is
// deterministic, unlike timing.
func TestParseURI_AllocationBudget(t *testing.T) {
	for _, s := range uriCorpus().valid {
		if strings.ContainsAny(s, "%+") || strings.Contains(s, "?01=") {
			continue
		}
		if n := testing.AllocsPerRun(20, func() { _, _ = dl.ParseURI(s) }); n > 2 {
			t.Errorf("ParseURI(%s) allocates %v times, budget 2", s, n)
		}
	}
}

// BenchmarkParseURI_Typical measures single typical URIs: a bare GTIN, a
// GTIN with lot, serial and expiry, and a GTIN with a wrong check digit.
func BenchmarkParseURI_Typical(b *testing.B) {
	for _, tc := range []struct{ name, uri string }{
		{"gtin", "https://id.gs1.org/01/09506000134352"},
		{"gtin-lot-serial-expiry", "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ?17=251231"},
		{"bad-check-digit", "https://id.gs1.org/01/09506000134351"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = dl.ParseURI(tc.uri)
			}
		})
	}
}
