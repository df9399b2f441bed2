package dl_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

const (
	gtin = "09520123456788" // valid GTIN-14 (gse dl.c examples)
	sscc = "952012345678912345"
	base = "https://id.example.com"
)

func errCode(err error) string {
	var de *dl.Error
	if errors.As(err, &de) {
		return de.Code
	}
	if err != nil {
		return "not a *dl.Error: " + err.Error()
	}
	return ""
}

// TestParseURI_Rules exercises each rule of the Digital Link URI syntax;
// code "" means the URI is valid.
func TestParseURI_Rules(t *testing.T) {
	t.Parallel()
	long21 := strings.Repeat("A", 21)
	for _, tc := range []struct{ name, uri, code string }{
		// Scheme and host.
		{"https", base + "/01/" + gtin, ""},
		{"http", "http://id.example.com/01/" + gtin, ""},
		{"upper-case scheme", "HTTPS://id.example.com/01/" + gtin, ""},
		{"mixed-case scheme", "Https://id.example.com/01/" + gtin, dl.CodeScheme},
		{"other scheme", "ftp://id.example.com/01/" + gtin, dl.CodeScheme},
		{"no scheme", "id.example.com/01/" + gtin, dl.CodeScheme},
		{"empty host", "https:///01/" + gtin, dl.CodeHost},
		{"bad host character", "https://a_b.example/01/" + gtin, dl.CodeHost},
		{"no path", "https://id.example.com", dl.CodeHost},
		{"host with port", "https://id.example.com:8443/01/" + gtin, ""},
		{"illegal character", base + "/01/" + gtin + "/10/A B", dl.CodeIllegalCharacter},
		{"illegal character in query", base + "/01/" + gtin + "?99=a<b", dl.CodeIllegalCharacter},
		// Stems and the rightmost key.
		{"stem", base + "/some/stem/01/" + gtin, ""},
		{"AI-like stem", base + "/00/faux/00/" + sscc, ""},
		{"no key", base + "/some/stem", dl.CodeNoPrimaryKey},
		{"trailing slash", base + "/01/" + gtin + "/", dl.CodeTrailingSlash},
		{"trailing slash after qualifier", base + "/01/" + gtin + "/10/ABC/", dl.CodeTrailingSlash},
		{"empty path value", base + "/01//10/ABC", dl.CodeEmptyValue},
		{"unknown AI in path", base + "/01/" + gtin + "/89/ABC", dl.CodeUnknownAI},
		{"convenience alpha", base + "/gtin/" + gtin, dl.CodeNoPrimaryKey},
		// Key qualifiers: order and alternatives.
		{"all qualifiers in order", base + "/01/" + gtin + "/22/V/10/L/21/S", ""},
		{"skipped qualifier", base + "/01/" + gtin + "/22/V/21/S", ""},
		{"second alternative", base + "/01/" + gtin + "/235/T", ""},
		{"wrong order", base + "/01/" + gtin + "/10/L/22/V", dl.CodeQualifierOrder},
		{"wrong order 21 10", base + "/01/" + gtin + "/21/S/10/L", dl.CodeQualifierOrder},
		{"mixed alternatives", base + "/01/" + gtin + "/22/V/235/T", dl.CodeQualifierOrder},
		{"repeated qualifier", base + "/01/" + gtin + "/10/L/10/M", dl.CodeQualifierOrder},
		{"not a qualifier of the key", base + "/01/" + gtin + "/254/X", dl.CodeInvalidQualifier},
		{"key without qualifiers", base + "/00/" + sscc + "/10/L", dl.CodeInvalidQualifier},
		{"GLN extension", base + "/414/9520123456788/254/32a%2Fb", ""},
		// Query attributes: '?' flag, qualifiers, duplicates, unknown AIs.
		{"attribute", base + "/01/" + gtin + "?17=251231", ""},
		{"qualifier in query", base + "/01/" + gtin + "?10=L", dl.CodeQualifierInQuery},
		{"serial in query", base + "/01/" + gtin + "?21=S", dl.CodeQualifierInQuery},
		{"qualifier of other alternative in query", base + "/01/" + gtin + "/235/T?10=L", ""},
		{"no ? flag", base + "/01/" + gtin + "/235/T?21=S", dl.CodeNotDataAttribute},
		{"8200 not an attribute", base + "/01/" + gtin + "?8200=x", dl.CodeNotDataAttribute},
		{"second key as attribute", "https://example.com/8004/9520614141234567?01=" + gtin, ""},
		{"duplicate attribute", base + "/01/" + gtin + "?99=A&99=A", dl.CodeDuplicateAI},
		{"attribute repeats path AI", base + "/01/" + gtin + "/10/L?10=L", dl.CodeDuplicateAI},
		{"unknown numeric parameter", base + "/01/" + gtin + "?89=A", dl.CodeUnknownAI},
		{"numeric non-AI parameter", base + "/01/" + gtin + "?999=A", dl.CodeUnknownAI},
		{"non-numeric parameters", base + "/01/" + gtin + "?linkType=gs1:pip&context=x&flag", ""},
		{"empty query value", base + "/01/" + gtin + "?17=", dl.CodeEmptyValue},
		{"empty query", base + "/01/" + gtin + "?", ""},
		{"stray separators and fragment", base + "/01/" + gtin + "?&&17=251231&&#frag", ""},
		// Percent-encoding and '+'.
		{"encoded slash", base + "/01/" + gtin + "/10/A%2FB", ""},
		{"lower-case hex", base + "/01/" + gtin + "/10/A%2fB", ""},
		{"plus in path", base + "/01/" + gtin + "/10/A+B", ""},
		{"plus in query is a space", base + "/01/" + gtin + "?99=A+B", dl.CodeInvalidCharacter},
		{"encoded plus in query", base + "/01/" + gtin + "?99=A%2BB", ""},
		{"encoded NUL", base + "/01/" + gtin + "/10/A%00", dl.CodeNulCharacter},
		{"malformed escape kept", base + "/01/" + gtin + "/10/A%zz", ""},
		{"encoded non-CSET82", base + "/01/" + gtin + "/10/A%7E", dl.CodeInvalidCharacter},
		// Check digits and character sets.
		{"bad check digit", base + "/01/09520123456789", dl.CodeCheckDigit},
		{"non-digit GTIN", base + "/01/0952012345678A", dl.CodeInvalidCharacter},
		{"GMN check pair", base + "/8013/1987654Ad4X4bL5ttr2310c2K", ""},
		{"GMN bad check pair", base + "/8013/1987654Ad4X4bL5ttr2310cXK", dl.CodeCheckDigit},
		{"CSET 39", base + "/8010/9520ABC-%2F123", ""},
		{"not CSET 39", base + "/8010/9520ABCa", dl.CodeInvalidCharacter},
		// Lengths, GTIN-14.
		{"GTIN-13", base + "/01/9520123456788", dl.CodeGTINLength},
		{"GTIN-12", base + "/01/416000336108", dl.CodeGTINLength},
		{"GTIN-8", base + "/01/02345673", dl.CodeGTINLength},
		{"GTIN too long", base + "/01/095201234567880", dl.CodeTooLong},
		{"lot too long", base + "/01/" + gtin + "/10/" + long21, dl.CodeTooLong},
		{"lot at limit", base + "/01/" + gtin + "/10/" + long21[1:], ""},
		{"fixed attribute too short", base + "/01/" + gtin + "?3103=00019", dl.CodeTooShort},
		{"GTIN-13 attribute padded", "https://example.com/8004/9520614141234567?01=9520123456788", ""},
		// Dates.
		{"leap day", base + "/01/" + gtin + "?17=240229", ""},
		{"no leap day", base + "/01/" + gtin + "?17=230229", dl.CodeInvalidDate},
		{"century leap day (2000)", base + "/01/" + gtin + "?17=000229", ""},
		{"day 00 allowed (yymmd0)", base + "/01/" + gtin + "?17=240200", ""},
		{"day 00 not allowed (yymmdd)", base + "/01/" + gtin + "?7006=240200", dl.CodeInvalidDate},
		{"month 13", base + "/01/" + gtin + "?17=241301", dl.CodeInvalidDate},
		{"day 31 in April", base + "/01/" + gtin + "?15=240431", dl.CodeInvalidDate},
		{"time 24:00", base + "/01/" + gtin + "?7003=2402292400", dl.CodeInvalidTime},
		// req= and ex=.
		{"req satisfied", base + "/00/" + sscc + "?02=" + gtin + "&37=25&10=ABC123", ""},
		{"req missing", base + "/01/" + gtin + "?4321=1", dl.CodeRequiredAIMissing},
		{"req with group", base + "/01/" + gtin + "?250=X", dl.CodeRequiredAIMissing},
		{"req group satisfied", base + "/01/" + gtin + "/21/S?250=X", ""},
		{"ex violated", base + "/01/" + gtin + "?37=5", dl.CodeExclusiveAIs},
		{"ex pattern", base + "/01/" + gtin + "?3103=000195&3102=000195", dl.CodeExclusiveAIs},
		// Code lists.
		{"ISO 3166", base + "/01/" + gtin + "?422=276", ""},
		{"not ISO 3166", base + "/01/" + gtin + "?422=999", dl.CodeInvalidCode},
		{"ISO 4217", "https://example.com/415/9520123456788/8020/REF1?3911=978123", ""},
		{"not ISO 4217", "https://example.com/415/9520123456788/8020/REF1?3911=000123", dl.CodeInvalidCode},
	} {
		u, err := dl.ParseURI(tc.uri)
		if got := errCode(err); got != tc.code {
			t.Errorf("%s: ParseURI(%s) error %v (code %q), want code %q", tc.name, tc.uri, err, got, tc.code)
		}
		if err == nil && u == nil {
			t.Errorf("%s: nil URI without error", tc.name)
		}
	}
}

func TestParseURI_Result(t *testing.T) {
	t.Parallel()
	u, err := dl.ParseURI("https://brand.example.com/p/01/" + gtin + "/10/AB%2FC/21/x+y?17=251231&linkType=gs1:pip&99=Q%2bR&3103=000195")
	if err != nil {
		t.Fatal(err)
	}
	want := []dl.Element{{AI: "01", Value: gtin}, {AI: "10", Value: "AB/C"}, {AI: "21", Value: "x+y"},
		{AI: "17", Value: "251231"}, {AI: "99", Value: "Q+R"}, {AI: "3103", Value: "000195"}}
	if !reflect.DeepEqual(u.Elements, want) {
		t.Errorf("Elements = %v, want %v", u.Elements, want)
	}
	if u.Scheme != "https" || u.Host != "brand.example.com" || u.Stem != "/p" || u.PathLen != 3 {
		t.Errorf("Scheme %q Host %q Stem %q PathLen %d", u.Scheme, u.Host, u.Stem, u.PathLen)
	}
	if !reflect.DeepEqual(u.Ignored, []string{"linkType=gs1:pip"}) {
		t.Errorf("Ignored = %q", u.Ignored)
	}
	if u.PrimaryKey() != want[0] || len(u.Qualifiers()) != 2 || len(u.Attributes()) != 3 {
		t.Errorf("PrimaryKey %v Qualifiers %v Attributes %v", u.PrimaryKey(), u.Qualifiers(), u.Attributes())
	}
	if v, ok := u.Value("17"); !ok || v != "251231" {
		t.Errorf("Value(17) = %q, %v", v, ok)
	}
	if got, want := u.Canonical("id.gs1.org"), "https://id.gs1.org/01/"+gtin+"/10/AB%2FC/21/x%2By?17=251231&3103=000195&99=Q%2BR"; got != want {
		t.Errorf("Canonical =\n %s, want\n %s", got, want)
	}
	if got, want := u.CanonicalPath(), "/01/"+gtin+"/10/AB%2FC/21/x%2By"; got != want {
		t.Errorf("CanonicalPath = %s, want %s", got, want)
	}
	if got, want := u.ElementString(), "(01)"+gtin+"(10)AB/C(21)x+y(17)251231(99)Q+R(3103)000195"; got != want {
		t.Errorf("ElementString = %s, want %s", got, want)
	}
}

func TestParsePath_Resolver(t *testing.T) {
	t.Parallel()
	u, err := dl.ParsePath("/01/"+gtin+"/10/ABC", "17=251231&linkType=all&context=x")
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "" || u.Stem != "" || u.PathLen != 2 || len(u.Elements) != 3 || len(u.Ignored) != 2 {
		t.Errorf("got %+v", u)
	}
	for _, tc := range []struct{ path, query, code string }{
		{"01/" + gtin, "", dl.CodeSyntax},
		{"/", "", dl.CodeNoPrimaryKey},
		{"/01/" + gtin + "/", "", dl.CodeTrailingSlash},
		{"/01/" + gtin, "17=251231#frag", ""},
		{"/01/" + gtin, "17=25 1231", dl.CodeIllegalCharacter},
	} {
		if _, err := dl.ParsePath(tc.path, tc.query); errCode(err) != tc.code {
			t.Errorf("ParsePath(%q, %q) = %v, want code %q", tc.path, tc.query, err, tc.code)
		}
	}
}

// TestParseURI_ErrorOffsets: offsets point at the offending part of the input.
func TestParseURI_ErrorOffsets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		uri, at, ai string
	}{
		{base + "/01/09520123456789", "9", "01"},            // the check digit
		{base + "/01/" + gtin + "/10/L/22/V", "22/V", "22"}, // the qualifier out of order
		{base + "/01/" + gtin + "?17=241301", "13", "17"},   // the month
		{base + "/01/" + gtin + "?89=A", "89=A", "89"},      // the unknown parameter
		{base + "/01/" + gtin + "?99=A&99=B", "99=B", "99"}, // the repeat
		{"https://a$b/01/" + gtin, "$b", ""},
	} {
		_, err := dl.ParseURI(tc.uri)
		var de *dl.Error
		if !errors.As(err, &de) {
			t.Fatalf("ParseURI(%s) = %v", tc.uri, err)
		}
		want := strings.LastIndex(tc.uri, tc.at)
		if de.Offset != want || de.AI != tc.ai {
			t.Errorf("ParseURI(%s): offset %d AI %q (%s), want offset %d AI %q", tc.uri, de.Offset, de.AI, de.Message, want, tc.ai)
		}
	}
	// ParsePath offsets count path + "?" + query.
	_, err := dl.ParsePath("/01/"+gtin, "17=241301")
	var de *dl.Error
	if !errors.As(err, &de) || de.Offset != len("/01/"+gtin+"?17=24") {
		t.Errorf("ParsePath offset = %+v", de)
	}
}

func TestParseElementString_Forms(t *testing.T) {
	t.Parallel()
	want := []dl.Element{{AI: "01", Value: gtin}, {AI: "10", Value: "ABC"}, {AI: "17", Value: "251231"}}
	for _, in := range []string{
		"(01)" + gtin + "(10)ABC(17)251231",
		"01" + gtin + "10ABC\x1d17251231",
		"^01" + gtin + "10ABC^17251231",
		"\x1d01" + gtin + "10ABC\x1d17251231",
		"]C101" + gtin + "10ABC\x1d17251231",
		"]d201" + gtin + "10ABC\x1d17251231",
		"]Q301" + gtin + "10ABC\x1d17251231",
		"]e001" + gtin + "10ABC\x1d17251231",
		"]J101" + gtin + "10ABC\x1d17251231",
	} {
		got, err := dl.ParseElementString(in)
		if err != nil {
			t.Errorf("ParseElementString(%q): %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseElementString(%q) = %v", in, got)
		}
	}
	for _, tc := range []struct{ in, code string }{
		{"", dl.CodeSyntax},
		{"]X101" + gtin, dl.CodeSyntax},
		{"(01)" + gtin + "(10)ABC(10)ABD", dl.CodeConflictingValues},
		{"(01)" + gtin + "(10)ABC(10)ABC", ""},
		{"(10)ABC", dl.CodeRequiredAIMissing},
		{"(01)" + gtin + "(89)X", dl.CodeUnknownAI},
		{"8901", dl.CodeUnknownAI},
		{"(01)" + gtin + `(10)A\(B`, ""},
	} {
		if _, err := dl.ParseElementString(tc.in); errCode(err) != tc.code {
			t.Errorf("ParseElementString(%q) = %v, want code %q", tc.in, err, tc.code)
		}
	}
	// A "(" in a value survives the bracketed round trip.
	elems := []dl.Element{{AI: "01", Value: gtin}, {AI: "10", Value: "A(B"}}
	s := dl.FormatElementString(elems)
	if s != "(01)"+gtin+`(10)A\(B` {
		t.Errorf("FormatElementString = %s", s)
	}
	if back, err := dl.ParseElementString(s); err != nil || !reflect.DeepEqual(back, elems) {
		t.Errorf("round trip of %s = %v, %v", s, back, err)
	}
	raw := dl.FormatRaw(want)
	if raw != "01"+gtin+"10ABC\x1d17251231" {
		t.Errorf("FormatRaw = %q", raw)
	}
}

func TestBuildURI_Choices(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ ais, want, code string }{
		// Qualifiers go to the path in dictionary order whatever the input order.
		{"(21)S(10)L(01)" + gtin + "(22)V", "https://d.example/01/" + gtin + "/22/V/10/L/21/S", ""},
		// 235 with 10: the 235 sequence leaves 10 as a valid attribute.
		{"(01)" + gtin + "(10)L(235)T", "https://d.example/01/" + gtin + "/235/T?10=L", ""},
		// Fixed-length attributes first, then the others, each in input order.
		{"(01)" + gtin + "(99)Z(17)251231(3103)000195", "https://d.example/01/" + gtin + "?17=251231&3103=000195&99=Z", ""},
		{"(10)L(02)" + gtin + "(37)5(00)" + sscc, "https://d.example/00/" + sscc + "?02=" + gtin + "&10=L&37=5", ""},
		{"(400)PO1", "", dl.CodeNoPrimaryKey},
	} {
		elems, err := dl.ParseElementString(tc.ais)
		if err != nil {
			t.Fatalf("ParseElementString(%s): %v", tc.ais, err)
		}
		got, err := dl.BuildURI(elems, "d.example")
		if errCode(err) != tc.code || got != tc.want {
			t.Errorf("BuildURI(%s) = %s, %v; want %s, code %q", tc.ais, got, err, tc.want, tc.code)
		}
	}
	for _, tc := range []struct {
		elems  []dl.Element
		domain string
		code   string
	}{
		{[]dl.Element{{AI: "01", Value: gtin}}, "", dl.CodeHost},
		{[]dl.Element{{AI: "01", Value: gtin}}, "a/b", dl.CodeHost},
		{nil, "d.example", dl.CodeNoPrimaryKey},
		{[]dl.Element{{AI: "01", Value: "09520123456789"}}, "d.example", dl.CodeCheckDigit},
		{[]dl.Element{{AI: "01", Value: gtin}, {AI: "89", Value: "x"}}, "d.example", dl.CodeUnknownAI},
		{[]dl.Element{{AI: "01", Value: gtin}, {AI: "10", Value: ""}}, "d.example", dl.CodeEmptyValue},
	} {
		if _, err := dl.BuildURI(tc.elems, tc.domain); errCode(err) != tc.code {
			t.Errorf("BuildURI(%v, %q) = %v, want code %q", tc.elems, tc.domain, err, tc.code)
		}
	}
}

func TestAppendPath(t *testing.T) {
	elems := []dl.Element{{AI: "17", Value: "251231"}, {AI: "21", Value: "S/1"}, {AI: "01", Value: gtin}, {AI: "10", Value: "L"}}
	buf := make([]byte, 0, 64)
	got := dl.AppendPath(buf, elems)
	if string(got) != "/01/"+gtin+"/10/L/21/S%2F1" {
		t.Errorf("AppendPath = %s", got)
	}
	if &got[0] != &buf[:1][0] {
		t.Error("AppendPath reallocated a buffer that was large enough")
	}
	if allocs := testing.AllocsPerRun(100, func() { got = dl.AppendPath(buf[:0], elems) }); allocs != 0 {
		t.Errorf("AppendPath allocates %v times", allocs)
	}
	if got := dl.AppendPath(nil, []dl.Element{{AI: "10", Value: "L"}}); len(got) != 0 {
		t.Errorf("AppendPath without key = %q", got)
	}
}

func TestTableAccessors(t *testing.T) {
	t.Parallel()
	if got := dl.QualifiersOf("01"); !reflect.DeepEqual(got, [][]string{{"22", "10", "21"}, {"235"}}) {
		t.Errorf("QualifiersOf(01) = %v", got)
	}
	if got := dl.QualifiersOf("414"); !reflect.DeepEqual(got, [][]string{{"254"}, {"7040"}}) {
		t.Errorf("QualifiersOf(414) = %v", got)
	}
	if dl.QualifiersOf("00") != nil || dl.QualifiersOf("10") != nil || dl.QualifiersOf("x") != nil {
		t.Error("QualifiersOf of a key without qualifiers / non-key should be nil")
	}
	for ai, want := range map[string]bool{"00": true, "01": true, "253": true, "8004": true, "8013": true, "10": false, "21": false, "02": false, "99": false} {
		if dl.IsPrimaryKey(ai) != want {
			t.Errorf("IsPrimaryKey(%s) != %v", ai, want)
		}
	}
	for _, tc := range []struct {
		key, ai string
		want    bool
	}{
		{"01", "10", true}, {"01", "21", true}, {"01", "235", true}, {"01", "17", true},
		{"01", "254", false}, {"01", "8200", false}, {"01", "01", false}, {"00", "21", false},
		{"414", "254", true}, {"10", "17", false}, {"01", "89", false},
	} {
		if got := dl.AttributeAllowed(tc.key, tc.ai); got != tc.want {
			t.Errorf("AttributeAllowed(%s, %s) = %v", tc.key, tc.ai, got)
		}
	}
	for p, want := range map[string]int{"00": 2, "01": 2, "23": 3, "25": 3, "31": 4, "39": 4, "41": 3, "43": 4, "70": 4, "71": 3, "80": 4, "99": 2, "05": 0, "5": 0, "ab": 0} {
		if got := dl.AILength(p); got != want {
			t.Errorf("AILength(%q) = %d, want %d", p, got, want)
		}
	}
	info, ok := dl.Spec("01")
	if !ok || info.Title != "GTIN" || !info.Predefined || !info.PrimaryKey || !info.DLAttribute {
		t.Errorf("Spec(01) = %+v", info)
	}
	if n, ok := info.FixedNumeric(); !ok || n != 14 {
		t.Errorf("Spec(01).FixedNumeric() = %d, %v", n, ok)
	}
	for ai, want := range map[string]int{"00": 18, "11": 6, "3103": 6, "414": 13, "8006": 18, "10": 0, "253": 0, "7003": 10} {
		s, _ := dl.Spec(ai)
		if n, _ := s.FixedNumeric(); n != want {
			t.Errorf("Spec(%s).FixedNumeric() = %d, want %d", ai, n, want)
		}
	}
	if _, ok := dl.Spec("89"); ok {
		t.Error("Spec(89) found")
	}
	if ais := dl.AIs(); len(ais) < 500 || ais[0] != "00" {
		t.Errorf("AIs() = %d entries starting %v", len(ais), ais[:1])
	}
	for _, ai := range dl.AIs() {
		if dl.AILength(ai[:2]) != len(ai) {
			t.Errorf("AILength(%s) disagrees with AI %s", ai[:2], ai)
		}
	}
	if len(dl.Codes) < 25 {
		t.Errorf("Codes lists %d codes", len(dl.Codes))
	}
}

func TestParseURI_LongPath(t *testing.T) {
	t.Parallel()
	path := "/01/" + gtin + strings.Repeat("/10/L", 20)
	if _, err := dl.ParseURI(base + path); errCode(err) != dl.CodeQualifierOrder {
		t.Errorf("20 qualifiers: %v", err)
	}
	path = "/01/" + gtin + strings.Repeat("/10/L", 14)
	if _, err := dl.ParseURI(base + path); errCode(err) != dl.CodeQualifierOrder {
		t.Errorf("14 qualifiers: %v", err)
	}
}
