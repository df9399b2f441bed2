package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// checkDigitOK verifies a GTIN-13 independently of gtin13: the weighted
// sum of all 13 digits (1, 3, 1, 3, ... from the left) is a multiple of 10.
func checkDigitOK(code string) bool {
	if len(code) != 13 {
		return false
	}
	sum := 0
	for i, c := range code {
		if c < '0' || c > '9' {
			return false
		}
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(c-'0') * w
	}
	return sum%10 == 0
}

func TestRun_WritesUniqueValidCodes(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run([]string{"-n", "60", "-first", "7"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 60 {
		t.Fatalf("%d lines, want 60", len(lines))
	}
	seen := map[string]bool{}
	for i, l := range lines {
		var p struct {
			Code string `json:"code"`
			ID   string `json:"_id"`
		}
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !checkDigitOK(p.Code) || seen[p.Code] || p.ID != p.Code {
			t.Errorf("line %d: code %q (id %q) invalid or repeated", i+1, p.Code, p.ID)
		}
		seen[p.Code] = true
	}
	if !strings.Contains(lines[0], `"code":"2000000000077"`) {
		t.Errorf("first record does not carry GTIN number 7 (2000000000077): %.200s", lines[0])
	}
}

func TestRun_Usage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-n", "-1"}, {"-bogus"}, {"-first", "9999999999", "-n", "2"}} {
		var out bytes.Buffer
		err := run(args, &out)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("run(%v) = %v, want a usage error", args, err)
		}
	}
}

func TestGTIN13_KnownValue(t *testing.T) {
	t.Parallel()
	// 200000000000: weighted sum 2, so the check digit is 8.
	if got := gtin13(0); !checkDigitOK(got) || got != "2000000000008" {
		t.Errorf("gtin13(0) = %q", got)
	}
}
