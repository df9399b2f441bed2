package scan_test

import (
	"slices"
	"testing"
	"time"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

func parse(t *testing.T, path, query string) *dl.URI {
	t.Helper()
	u, err := dl.ParsePath(path, query)
	if err != nil {
		t.Fatalf("ParsePath(%q, %q): %v", path, query, err)
	}
	return u
}

func TestFromURI_CopiesElementsAndDerivesFields(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, path, query  string
		wantGTIN, wantKey  string
		wantQuals, wantAtt []dl.Element
		lot, serial        string
		expiry, bestBefore string
	}{
		{
			name: "gtin with lot and serial and dates", path: "/01/09506000134352/10/LOT42/21/S1", query: "17=261200&15=270315",
			wantGTIN: "09506000134352", wantKey: "09506000134352",
			wantQuals: []dl.Element{{AI: "10", Value: "LOT42"}, {AI: "21", Value: "S1"}},
			wantAtt:   []dl.Element{{AI: "17", Value: "261200"}, {AI: "15", Value: "270315"}},
			lot:       "LOT42", serial: "S1", expiry: "2026-12-31", bestBefore: "2027-03-15",
		},
		{
			name: "attribute beside a non-AI parameter", path: "/01/09506000134352", query: "linkType=gs1:pip&17=260200",
			wantGTIN: "09506000134352", wantKey: "09506000134352",
			wantAtt: []dl.Element{{AI: "17", Value: "260200"}},
			expiry:  "2026-02-28",
		},
		{
			name: "a GLN is no GTIN", path: "/414/9520123456788",
			wantKey: "9520123456788",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := parse(t, tt.path, tt.query)
			s := scan.FromURI(u, tt.path, at)
			u.Elements[0].Value = "changed" // the scan must not share storage with u
			if s.Key != tt.path || !s.At.Equal(at) || s.Region != scan.Unknown || s.UserAgent != scan.ClassUnknown {
				t.Fatalf("scan = %+v", s)
			}
			if s.GTIN() != tt.wantGTIN || s.EventKey() != tt.wantKey {
				t.Errorf("GTIN %q EventKey %q, want %q %q", s.GTIN(), s.EventKey(), tt.wantGTIN, tt.wantKey)
			}
			if !slices.Equal(s.Qualifiers(), tt.wantQuals) && (len(s.Qualifiers())+len(tt.wantQuals)) > 0 {
				t.Errorf("qualifiers %v, want %v", s.Qualifiers(), tt.wantQuals)
			}
			if !slices.Equal(s.Attributes(), tt.wantAtt) && (len(s.Attributes())+len(tt.wantAtt)) > 0 {
				t.Errorf("attributes %v, want %v", s.Attributes(), tt.wantAtt)
			}
			if s.Lot() != tt.lot || s.Serial() != tt.serial {
				t.Errorf("lot %q serial %q, want %q %q", s.Lot(), s.Serial(), tt.lot, tt.serial)
			}
			if d, _ := s.ExpiryDate(); d != tt.expiry {
				t.Errorf("expiry %q, want %q", d, tt.expiry)
			}
			if d, _ := s.BestBeforeDate(); d != tt.bestBefore {
				t.Errorf("best before %q, want %q", d, tt.bestBefore)
			}
		})
	}
}

func TestScan_ZeroValueIsSafe(t *testing.T) {
	t.Parallel()
	var s scan.Scan
	if s.PrimaryKey() != (dl.Element{}) || s.Qualifiers() != nil || len(s.Attributes()) != 0 || s.GTIN() != "" || s.Lot() != "" {
		t.Fatalf("zero scan: %+v", s)
	}
	if _, ok := s.ExpiryDate(); ok {
		t.Fatal("zero scan has an expiry date")
	}
	s.PathLen = 5 // inconsistent with Elements: no panic
	if s.Qualifiers() != nil || s.Attributes() != nil {
		t.Fatal("out-of-range PathLen gave elements")
	}
}

func TestDate_CenturyAndDayZero(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in, want string
	}{
		{"261231", "2026-12-31"},
		{"260200", "2026-02-28"}, // DD=00: last day of the month
		{"280200", "2028-02-29"}, // leap year
		{"000100", "2000-01-31"},
		{"760101", "2076-01-01"}, // 50 years ahead: this century
		{"770101", "1977-01-01"}, // 51 years ahead: the previous century
		{"991231", "1999-12-31"},
		{"750101", "2075-01-01"},
	}
	for _, tt := range tests {
		d, ok := scan.Date(tt.in, now)
		if !ok || d.Format(time.DateOnly) != tt.want {
			t.Errorf("Date(%q) = %v, %v; want %s", tt.in, d, ok, tt.want)
		}
	}
	// Near a century's end, small years belong to the next one.
	if d, ok := scan.Date("100101", time.Date(2095, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || d.Year() != 2110 {
		t.Errorf("Date(100101) in 2095 = %v, want 2110", d)
	}
	if d, ok := scan.Date("450101", time.Date(2095, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || d.Year() != 2145 {
		t.Errorf("Date(450101) in 2095 = %v, want 2145 (50 behind)", d)
	}
	for _, bad := range []string{"", "26123", "2612311", "261301", "260001", "260230", "270229", "26a231", "+61231", "-61231"} {
		if _, ok := scan.Date(bad, now); ok {
			t.Errorf("Date(%q) accepted", bad)
		}
	}
}

func TestOutcome_Names(t *testing.T) {
	t.Parallel()
	want := map[scan.Outcome]string{scan.Redirect: "redirect", scan.Linkset: "linkset", scan.Choices: "choices", scan.NotFound: "not_found"}
	for o, name := range want {
		if o.String() != name || !o.Valid() {
			t.Errorf("%d: %q valid=%v, want %q", o, o.String(), o.Valid(), name)
		}
	}
	if scan.Outcome(0).Valid() || scan.Outcome(9).Valid() || scan.Outcome(9).String() != "" {
		t.Error("invalid outcomes accepted")
	}
}
