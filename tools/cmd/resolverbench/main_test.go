package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestGTIN_CheckDigits(t *testing.T) {
	t.Parallel()
	// GS1's published example GTINs 09506000134352, 09506000134376 and
	// 09506000164908 (facts file, sections 2.3 and 6) and lint_csum.c's
	// 12345678901231.
	want := map[string]int{"0950600013435": 2, "0950600013437": 6, "0950600016490": 8, "1234567890123": 1}
	for body, d := range want {
		if got := checkDigit(body); got != d {
			t.Errorf("checkDigit(%s) = %d, want %d", body, got, d)
		}
	}
	if g := gtin(999_999); len(g) != 14 || !strings.HasPrefix(g, benchPrefix+"999999") {
		t.Fatalf("gtin(999999) = %q", g)
	}
	if gtin(1) == gtin(2) {
		t.Fatal("gtins repeat")
	}
}

func TestLinkset_IsAGS1LinksetWithDefaultAndPip(t *testing.T) {
	t.Parallel()
	b, err := linkset(5, 7)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Linkset []map[string]json.RawMessage `json:"linkset"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Linkset) != 2 {
		t.Fatalf("linkset: %v, %d contexts", err, len(doc.Linkset))
	}
	for _, k := range []string{"anchor", "itemDescription", "https://gs1.org/voc/defaultLink", "https://gs1.org/voc/pip"} {
		if _, ok := doc.Linkset[0][k]; !ok {
			t.Errorf("context lacks %s", k)
		}
	}
	if !bytes.Contains(b, []byte(`"https://id.gs1.org/01/`+gtin(6)+`"`)) {
		t.Errorf("anchor of the last GTIN missing: %s", b)
	}
}

func TestParse_RejectsBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-anchors", "0"}, {"-memory-anchors", "10", "-anchors", "100"}, {"-c", "0"}, {"-d", "0s"},
		{"-addr", "10.0.0.1:80"}, {"-bare-addr", "example.com:80"}, {"-rate", "-1"}, {"extra"},
	} {
		if _, err := parse(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parse(%q) accepted", args)
		}
	}
	if _, err := parse(nil, &bytes.Buffer{}); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
}

func TestServeBare_AnswersThe307FromItsMap(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := "127.0.0.1:18391"
	errc := make(chan error, 1)
	go func() { errc <- serveBare(ctx, addr, 10) }()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if err := waitResolves(ctx, client, "http://"+addr, 9, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	res, err := client.Get("http://" + addr + "/01/" + gtin(10))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("GTIN beyond the map: status %d, want 404", res.StatusCode)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestResidentBytes_ReadsThisProcess(t *testing.T) {
	t.Parallel()
	n, err := residentBytes(os.Getpid())
	if err != nil || n < 1<<20 {
		t.Fatalf("residentBytes = %d, %v", n, err)
	}
	if _, err := residentBytes(-1); err == nil {
		t.Fatal("no error for a missing process")
	}
}

func TestMedian_TakesTheMiddleWithoutReordering(t *testing.T) {
	t.Parallel()
	xs := []float64{0.9, 0.7, 0.8}
	if m := median(xs); m != 0.8 {
		t.Fatalf("median = %v, want 0.8", m)
	}
	if xs[0] != 0.9 || xs[1] != 0.7 {
		t.Fatalf("median reordered its input: %v", xs)
	}
	if m := median([]float64{0.6, 0.9}); m != 0.6 {
		t.Fatalf("median of two = %v, want the lower 0.6", m)
	}
	if s := fmtRatios([]float64{0.8123, 1}); s != "0.812, 1.000" {
		t.Fatalf("fmtRatios = %q", s)
	}
}
