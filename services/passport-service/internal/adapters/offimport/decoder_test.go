package offimport_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/offimport"
)

// Valid GTIN-13s (check digits computed) used by the decoder tests.
const (
	gtinA = "3222473161867"
	gtinB = "5449000179661"
	gtinC = "4000539770708"
)

func product(code, name string) string {
	return `{"code":"` + code + `","lang":"en","product_name":"` + name + `","brands":"Acme"}`
}

func response(code, name string) string {
	return `{"code":"` + code + `","status":1,"status_verbose":"product found","product":` + product(code, name) + `}`
}

const pretty = `{
    "status": 1,
    "code": "3222473161867",
    "product": {
        "code": "3222473161867",
        "lang": "fr",
        "product_name": "Salade {de} \"riz\" ]",
        "brands": "Casino,Groupe Casino"
    }
}
`

// decodeAll reads every record, failing the test on a stream error.
func decodeAll(t *testing.T, r io.Reader, opts offimport.Options) []offimport.Record {
	t.Helper()
	d := offimport.NewDecoder(r, opts)
	var out []offimport.Record
	for {
		rec, err := d.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, rec)
		if len(out) > 10000 {
			t.Fatal("decoder does not end")
		}
	}
}

type want struct {
	source string
	gtin   string // 14 digits when mapped, the code as given when not
	reason string // substring of the record error; "" when mapped
}

func check(t *testing.T, got []offimport.Record, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, r := range got {
			t.Logf("got %s err=%v gtin=%s", r.Source, r.Err, r.Item.Product.GTIN)
		}
		t.Fatalf("got %d records, want %d", len(got), len(wants))
	}
	var last int64
	for i, w := range wants {
		r := got[i]
		if r.Source != w.source {
			t.Errorf("record %d: source %q, want %q", i, r.Source, w.source)
		}
		if r.Index != int64(i+1) {
			t.Errorf("record %d: index %d, want %d", i, r.Index, i+1)
		}
		if r.Offset <= last {
			t.Errorf("record %d: offset %d does not grow (previous %d)", i, r.Offset, last)
		}
		last = r.Offset
		switch {
		case w.reason == "" && r.Err != nil:
			t.Errorf("record %d: unexpected error %v", i, r.Err)
		case w.reason == "" && r.Item.Product.GTIN != w.gtin:
			t.Errorf("record %d: GTIN %q, want %q", i, r.Item.Product.GTIN, w.gtin)
		case w.reason == "" && r.Item.Source != w.source:
			t.Errorf("record %d: item source %q, want %q", i, r.Item.Source, w.source)
		case w.reason != "" && r.Err == nil:
			t.Errorf("record %d: no error, want one containing %q", i, w.reason)
		case w.reason != "" && (!strings.Contains(r.Err.Reason, w.reason) || r.Err.GTIN != w.gtin || r.Err.Source != w.source):
			t.Errorf("record %d: error %+v, want reason containing %q for GTIN %q", i, r.Err, w.reason, w.gtin)
		}
	}
}

func TestDecoder_Formats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		input  string
		format offimport.Format
		wants  []want
	}{
		{"pretty response", pretty, offimport.FormatObjects,
			[]want{{"in:#1", "0" + gtinA, ""}}},
		{"bare product on one line", product(gtinA, "A"), offimport.FormatLines,
			[]want{{"in:1", "0" + gtinA, ""}}},
		{"array of responses", "[\n" + response(gtinA, "A") + ",\n" + response(gtinB, "B") + "\n]\n", offimport.FormatObjects,
			[]want{{"in:#1", "0" + gtinA, ""}, {"in:#2", "0" + gtinB, ""}}},
		{"compact array of products", "[" + product(gtinA, "A") + "," + product(gtinB, "B") + "]", offimport.FormatObjects,
			[]want{{"in:#1", "0" + gtinA, ""}, {"in:#2", "0" + gtinB, ""}}},
		{"pretty objects one after another", pretty + pretty, offimport.FormatObjects,
			[]want{{"in:#1", "0" + gtinA, ""}, {"in:#2", "0" + gtinA, ""}}},
		{"JSON lines of products, blank lines and CRLF", product(gtinA, "A") + "\r\n\n" + product(gtinB, "B") + "\r\n" + product(gtinC, "C"),
			offimport.FormatLines,
			[]want{{"in:1", "0" + gtinA, ""}, {"in:3", "0" + gtinB, ""}, {"in:4", "0" + gtinC, ""}}},
		{"JSON lines of responses", response(gtinA, "A") + "\n" + response(gtinB, "B") + "\n", offimport.FormatLines,
			[]want{{"in:1", "0" + gtinA, ""}, {"in:2", "0" + gtinB, ""}}},
		{"byte order mark", "\uFEFF" + product(gtinA, "A") + "\n", offimport.FormatLines,
			[]want{{"in:1", "0" + gtinA, ""}}},
		{"empty", "  \n\n", offimport.FormatUnknown, nil},
	}
	for _, tt := range tests {
		for _, small := range []bool{false, true} {
			name := tt.name
			if small {
				name += " read byte by byte"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var r io.Reader = strings.NewReader(tt.input)
				if small {
					r = iotest.OneByteReader(r)
				}
				d := offimport.NewDecoder(r, offimport.Options{Name: "in"})
				var got []offimport.Record
				for {
					rec, err := d.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatalf("Next: %v", err)
					}
					got = append(got, rec)
				}
				if d.Format() != tt.format {
					t.Errorf("format %v, want %v", d.Format(), tt.format)
				}
				check(t, got, tt.wants)
			})
		}
	}
}

func TestDecoder_BadRecordsDoNotStopTheStream(t *testing.T) {
	t.Parallel()
	lines := []string{
		product(gtinA, "A"),
		`{"code":"` + gtinB + `","product_name": "broken`,
		`{"code":"` + gtinB + `","status":0,"status_verbose":"product not found"}`,
		`{"code":"` + gtinB + `","status":"failure","product":{}}`,
		`{"product_name":"no code"}`,
		product("3222473161868", "bad check digit"),
		product("12345", "too short"),
		`[1,2,3]`,
		`"just a string"`,
		product(gtinC, "C"),
	}
	got := decodeAll(t, strings.NewReader(strings.Join(lines, "\n")+"\n"), offimport.Options{Name: "p.jsonl"})
	check(t, got, []want{
		{"p.jsonl:1", "0" + gtinA, ""},
		{"p.jsonl:2", "", "is not valid JSON"},
		{"p.jsonl:3", gtinB, "no product (product not found)"},
		{"p.jsonl:4", gtinB, "not found"},
		{"p.jsonl:5", "", "has no code"},
		{"p.jsonl:6", "3222473161868", "check digit"},
		{"p.jsonl:7", "12345", "must be a GTIN"},
		{"p.jsonl:8", "", "not a JSON object"},
		{"p.jsonl:9", "", "not a JSON object"},
		{"p.jsonl:10", "0" + gtinC, ""},
	})
}

func TestDecoder_LongLineIsSkipped(t *testing.T) {
	t.Parallel()
	long := product(gtinB, strings.Repeat("x", 5000))
	in := product(gtinA, "A") + "\n" + long + "\n" + product(gtinC, "C") + "\n"
	got := decodeAll(t, iotest.HalfReader(strings.NewReader(in)), offimport.Options{Name: "in", MaxRecordBytes: 1000})
	check(t, got, []want{
		{"in:1", "0" + gtinA, ""},
		{"in:2", "", "longer than 1000 bytes"},
		{"in:3", "0" + gtinC, ""},
	})
}

func TestDecoder_TruncatedLastObject(t *testing.T) {
	t.Parallel()
	in := pretty + pretty[:len(pretty)/2]
	got := decodeAll(t, strings.NewReader(in), offimport.Options{Name: "in"})
	check(t, got, []want{
		{"in:#1", "0" + gtinA, ""},
		{"in:#2", "", "cut short"},
	})
}

func TestDecoder_StreamErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	tests := []struct {
		name  string
		r     io.Reader
		opts  offimport.Options
		error string
	}{
		{"not JSON", strings.NewReader("code;name\n1;x\n"), offimport.Options{}, "expected '{' or '['"},
		{"scalar in an array", strings.NewReader("[" + product(gtinA, "A") + ", 42]"), offimport.Options{}, "expected a JSON object"},
		{"object too large", strings.NewReader(pretty), offimport.Options{MaxRecordBytes: 50}, "larger than 50 bytes"},
		{"read error", io.MultiReader(strings.NewReader(product(gtinA, "A")+"\n"), iotest.ErrReader(boom)), offimport.Options{}, boom.Error()},
		{"resume beyond the end", strings.NewReader(product(gtinA, "A")), offimport.Options{Offset: 1 << 20}, "cannot resume"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := offimport.NewDecoder(tt.r, tt.opts)
			for i := 0; ; i++ {
				_, err := d.Next()
				if err == nil && i < 10 {
					continue
				}
				if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("error %v, want one containing %q", err, tt.error)
				}
				if _, again := d.Next(); !errors.Is(again, io.EOF) {
					t.Errorf("Next after a stream error: %v, want io.EOF", again)
				}
				return
			}
		})
	}
}

func TestDecoder_ResumeContinuesAfterTheRecord(t *testing.T) {
	t.Parallel()
	inputs := map[string]string{
		"lines":  product(gtinA, "A") + "\n\n" + `{"broken` + "\n" + product(gtinB, "B") + "\n" + product(gtinC, "C") + "\n",
		"array":  "[\n" + response(gtinA, "A") + ",\n" + response(gtinB, "B") + ",\n" + response(gtinC, "C") + "\n]\n",
		"pretty": pretty + pretty + pretty,
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			all := decodeAll(t, strings.NewReader(in), offimport.Options{Name: "f"})
			for k, at := range all {
				rest := decodeAll(t, strings.NewReader(in), offimport.Options{Name: "f", Offset: at.Offset, Records: at.Index})
				if len(rest) != len(all)-k-1 {
					t.Fatalf("resume after record %d: %d records, want %d", k+1, len(rest), len(all)-k-1)
				}
				for i, r := range rest {
					w := all[k+1+i]
					if r.Source != w.Source || r.Index != w.Index || r.Offset != w.Offset ||
						r.Item.Product.GTIN != w.Item.Product.GTIN || (r.Err == nil) != (w.Err == nil) {
						t.Errorf("resume after record %d: record %+v, want %+v", k+1, r, w)
					}
				}
			}
		})
	}
}
