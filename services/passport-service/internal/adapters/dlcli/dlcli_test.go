package dlcli_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/dlcli"
)

func run(t *testing.T, input string, args ...string) []map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := dlcli.Run(args, strings.NewReader(input), &out, &errOut); err != nil {
		t.Fatalf("Run(%v): %v (stderr %s)", args, err, errOut.String())
	}
	text := out.String()
	var lines []map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	for {
		var m map[string]any
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("output is not JSON lines: %v\n%s", err, text)
		}
		lines = append(lines, m)
	}
	if n := strings.Count(text, "\n"); n != len(lines) {
		t.Errorf("%d objects on %d lines", len(lines), n)
	}
	return lines
}

func TestRun_Parse(t *testing.T) {
	t.Parallel()
	input := strings.Join([]string{
		"https://id.gs1.org/01/09506000134352/10/ABC%2F1?17=251231&linkType=gs1:pip",
		"",
		"https://example.com/01/09506000134351",
		"/01/09506000134352/21/S1?99=X",
		"(01)09506000134352(10)ABC",
		"0109506000134352\x1d10ABC\r",
		"(400)PO123",
		strings.Repeat("x", dlcli.MaxLineLength+10),
		"HTTPS://ID.GS1.ORG/01/09506000134352",
	}, "\n")
	got := run(t, input, "parse", "-domain", "d.example")
	if len(got) != 8 {
		t.Fatalf("got %d objects, want 8: %v", len(got), got)
	}
	want0 := map[string]any{
		"input": "https://id.gs1.org/01/09506000134352/10/ABC%2F1?17=251231&linkType=gs1:pip", "valid": true,
		"ais":        []any{[]any{"01", "09506000134352"}, []any{"10", "ABC/1"}, []any{"17", "251231"}},
		"primaryKey": "01", "canonical": "https://d.example/01/09506000134352/10/ABC%2F1?17=251231",
		"elementString": "(01)09506000134352(10)ABC/1(17)251231", "ignoredQueryParams": []any{"linkType=gs1:pip"},
	}
	if !equalJSON(got[0], want0) {
		t.Errorf("line 1 = %v\nwant %v", got[0], want0)
	}
	if got[1]["valid"] != false {
		t.Fatalf("line 2 = %v", got[1])
	}
	if e := got[1]["error"].(map[string]any); e["code"] != "check-digit" || e["ai"] != "01" || e["offset"] != float64(len("https://example.com/01/0950600013435")) || e["message"] == "" {
		t.Errorf("line 2 error = %v", e)
	}
	if got[2]["valid"] != true || got[2]["canonical"] != "https://d.example/01/09506000134352/21/S1?99=X" {
		t.Errorf("path line = %v", got[2])
	}
	for _, i := range []int{3, 4} {
		if got[i]["valid"] != true || got[i]["canonical"] != "https://d.example/01/09506000134352/10/ABC" || got[i]["primaryKey"] != "01" {
			t.Errorf("element string line %d = %v", i+1, got[i])
		}
	}
	if got[5]["valid"] != true || got[5]["primaryKey"] != nil || got[5]["canonical"] != nil {
		t.Errorf("element string without key = %v", got[5])
	}
	if got[6]["valid"] != false || got[6]["error"].(map[string]any)["code"] != "input-too-long" || len(got[6]["input"].(string)) > 256 {
		t.Errorf("over-long line = %v", got[6])
	}
	if got[7]["valid"] != true {
		t.Errorf("line after the over-long one = %v", got[7])
	}
}

func TestRun_Build(t *testing.T) {
	t.Parallel()
	got := run(t, "(21)S1(01)09506000134352(10)L\n(01)09506000134351\n(400)PO1\n", "build")
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	if got[0]["valid"] != true || got[0]["uri"] != "https://id.gs1.org/01/09506000134352/10/L/21/S1" ||
		got[0]["elementString"] != "(21)S1(01)09506000134352(10)L" {
		t.Errorf("build = %v", got[0])
	}
	if got[1]["error"].(map[string]any)["code"] != "check-digit" {
		t.Errorf("build invalid = %v", got[1])
	}
	if got[2]["error"].(map[string]any)["code"] != "no-primary-key" {
		t.Errorf("build without key = %v", got[2])
	}
}

func TestRun_UsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		nil,
		{"frob"},
		{"parse", "-nope"},
		{"parse", "extra"},
		{"build", "-domain", "a/b"},
		{"parse", "-domain", ""},
	} {
		err := dlcli.Run(args, strings.NewReader(""), io.Discard, io.Discard)
		if !errors.Is(err, daemon.ErrUsage) {
			t.Errorf("Run(%q) = %v, want a usage error", args, err)
		}
	}
	var out bytes.Buffer
	if err := dlcli.Run([]string{"help"}, strings.NewReader(""), &out, io.Discard); err != nil || !strings.Contains(out.String(), "usage: passport-service dl") {
		t.Errorf("help: %v %q", err, out.String())
	}
}

func TestRun_ReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	err := dlcli.Run([]string{"parse"}, iotest.ErrReader(boom), io.Discard, io.Discard)
	if !errors.Is(err, boom) || errors.Is(err, daemon.ErrUsage) {
		t.Errorf("Run with failing stdin = %v", err)
	}
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
