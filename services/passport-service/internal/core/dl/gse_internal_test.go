package dl

import (
	"strings"
	"testing"
)

// TestUnescape_GSEVectors carries test_dl_URIunescape of
// gs1/gs1-syntax-engine src/c-lib/dl.c (commit 02539ae): in, decoded as a
// path component, decoded as a query component.
func TestUnescape_GSEVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, path, query string }{
		{"", "", ""},
		{"test", "test", "test"},
		{"+", "+", " "},
		{"%20", " ", " "},
		{"%20AB", " AB", " AB"},
		{"A%20B", "A B", "A B"},
		{"AB%20", "AB ", "AB "},
		{"ABC%2", "ABC%2", "ABC%2"},
		{"ABCD%", "ABCD%", "ABCD%"},
		{"A%20%20B", "A  B", "A  B"},
		{"A%01B", "A\x01B", "A\x01B"},
		{"A%ffB", "A\xffB", "A\xffB"},
		{"A%FfB", "A\xffB", "A\xffB"},
		{"A%fFB", "A\xffB", "A\xffB"},
		{"A%FFB", "A\xffB", "A\xffB"},
		{"A%4FB", "AOB", "AOB"},
		{"A%4fB", "AOB", "AOB"},
		{"A%4gB", "A%4gB", "A%4gB"},
		{"A%4GB", "A%4GB", "A%4GB"},
		{"A%g4B", "A%g4B", "A%g4B"},
		{"A%G4B", "A%G4B", "A%G4B"},
	} {
		if got, nul := unescape(tc.in, false); got != tc.path || nul >= 0 {
			t.Errorf("unescape(%q, path) = %q, %d; want %q", tc.in, got, nul, tc.path)
		}
		if got, nul := unescape(tc.in, true); got != tc.query || nul >= 0 {
			t.Errorf("unescape(%q, query) = %q, %d; want %q", tc.in, got, nul, tc.query)
		}
	}
	if _, nul := unescape("A%00B", false); nul != 1 {
		t.Errorf("unescape(A%%00B) NUL at %d, want 1", nul)
	}
}

// gseDataStrOf renders elements as gse's "^..." data string.
func gseDataStrOf(elems []Element) string {
	var b strings.Builder
	b.WriteByte('^')
	for i, e := range elems {
		if i > 0 && !lookup(elems[i-1].AI).fixed {
			b.WriteByte('^')
		}
		b.WriteString(e.AI + e.Value)
	}
	return b.String()
}

// TestParseElementString_GSEBracketed carries test_ai_parseAIdata of
// gs1/gs1-syntax-engine src/c-lib/ai.c (commit 0463451), which parses and
// lints without checking req/ex associations.
func TestParseElementString_GSEBracketed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"(01)12345678901231", "^0112345678901231"},
		{"(10)12345", "^1012345"},
		{"(01)12345678901231(10)12345", "^01123456789012311012345"},
		{"(3100)123456(10)12345", "^31001234561012345"},
		{"(10)12345(11)991225", "^1012345^11991225"},
		{"(3900)12345(11)991225", "^390012345^11991225"},
		{`(10)12345\(11)991225`, "^1012345(11)991225"},
		{`(10)12345\(`, "^1012345("},
		{"(10)(11)98765", ""},
		{"(10)12345(11)", ""},
		{"(1A)12345", ""},
		{"1(12345", ""},
		{"12345", ""},
		{"()12345", ""},
		{"(1)12345", ""},
		{"(12345)12345", ""},
		{"(15", ""},
		{"(1", ""},
		{"(", ""},
		{"(01)123456789012312(10)12345", ""},
		{"(10)12345^", ""},
		{"(17)9(90)217", ""},
	} {
		elems, err := parseElements(tc.in, false)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("parse %q = %v, want an error", tc.in, elems)
		case tc.want != "" && err != nil:
			t.Errorf("parse %q: %v", tc.in, err)
		case tc.want != "" && gseDataStrOf(elems) != tc.want:
			t.Errorf("parse %q = %s, want %s", tc.in, gseDataStrOf(elems), tc.want)
		}
	}
}

// TestParseElementString_GSERaw carries test_ai_processAIdata of
// gs1/gs1-syntax-engine src/c-lib/ai.c (commit 0463451): raw data with '^'
// as FNC1, linted without association checks. Two cases differ on
// purpose: this engine also accepts raw data without a leading FNC1 ("991234"),
// documented in ParseElementString.
func TestParseElementString_GSERaw(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", false},
		{"^", false},
		{"^891234", false},
		{"^991234", true},
		{"^99~ABC", false},
		{"^99ABC~", false},
		{"^0112345678901231", true},
		{"^01A2345678901231", false},
		{"^011234567890123A", false},
		{"^0112345678901234", false},
		{"^011234567890123", false},
		{"^01123456789012312", false},
		{"^0112345678901231^", true},
		{"^011234567890123^", false},
		{"^01123456789012345^", false},
		{"^01123456789012345^991234", false},
		{"^0112345678901231991234", true},
		{"^0112345678901231^991234", true},
		{"^2421", true},
		{"^24212", true},
		{"^242123", true},
		{"^2421234", true},
		{"^24212345", true},
		{"^242123456", true},
		{"^242123456^10ABC123", true},
		{"^242123456^", true},
		{"^2421234567", false},
		{"^81111234", true},
		{"^8111123", false},
		{"^811112345", false},
		{"^81111234^10ABC123", true},
		{"^800112341234512398", true},
		{"^80011234123451239", false},
		{"^8001123412345123981", false},
		{"^800112341234512398^0112345678901231", true},
		{"^80011234123451239^0112345678901231", false},
		{"^8001123412345123981^01123456789012312", false},
		{"^7007211225211231", true},
		{"^7007211225", true},
		{"^70072112252", false},
		{"^700721122521", false},
		{"^7007211225211", false},
		{"^70072112252112", false},
		{"^700721122521123", false},
		{"^70072112252212311", false},
		{"^800302112345678900ABC", true},
		{"^800302112345678901ABC", false},
		{"^800302112345678900", true},
		{"^800302112345678900^10ABC123", true},
		{"^800302112345678900ABCDEFGHIJKLMNOP", true},
		{"^800302112345678900ABCDEFGHIJKLMNOPQ", false},
		{"^7230121234567890123456789012345678", true},
		{"^72301212345678901234567890123456789", false},
		{"^7230123", true},
		{"^723012", false},
	} {
		_, err := parseElements(tc.in, false)
		if (err == nil) != tc.ok {
			t.Errorf("parse %q: err = %v, want ok = %v", tc.in, err, tc.ok)
		}
	}
}

// TestLinters_GSEViaAIs carries test_ai_linters of gs1/gs1-syntax-engine
// src/c-lib/ai.c (commit 0463451): each linter failure triggered through a
// real AI. Expected results are given as this engine's error codes. Where
// the dictionary or linter changed since that commit the case says so.
func TestLinters_GSEViaAIs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, code string }{
		{"(00)123456789012345675", ""},
		{"(00)A23456789012345675", CodeInvalidCharacter},
		{"(10) ", CodeInvalidCharacter},
		{"(8010)123456_", CodeInvalidCharacter},
		{"(8013)123456ABOO", CodeInvalidCharacter},
		{"(8030)ABC:123", CodeInvalidCharacter},
		{"(8030)123=", CodeInvalidCharacter},
		{"(00)123456789012345670", CodeCheckDigit},
		{"(8013)123456ABXX", CodeCheckDigit},
		{"(8013)A", CodeTooShort},
		{"(401)123", CodeTooShort}, // gcppos1 now, "key" at that commit
		{"(7023)12A4", CodeInvalidValue},
		{"(7040)1AB=", CodeInvalidCharacter},
		{"(8001)12340000012311", CodeInvalidValue},
		{"(8003)112345678901281234567890123456", CodeInvalidValue},
		{"(8011)023456789012", CodeInvalidValue},
		{"(4321)2", CodeInvalidValue},
		{"(8001)12341234512321", CodeInvalidValue},
		{"(426)987", CodeInvalidCode},
		{"(7030)987ABC", CodeInvalidCode},
		{"(4307)AA", CodeInvalidCode},
		{"(3910)9870", CodeInvalidCode},
		{"(8007)AB1234", CodeInvalidCode}, // current lint_iban.c checks the country before the minimum length
		{"(8007)FR12_45678901234", CodeInvalidCharacter},
		{"(8007)AB12345678901234", CodeInvalidCode},
		{"(8007)FR12345678901234", CodeCheckDigit},
		{"(8008)20122515300", CodeTooShort}, // (8008) is now N6 N2 [N2] [N2]: a one-digit seconds component is too short
		{"(4326)201300", CodeInvalidDate},
		{"(4326)201200", CodeInvalidDate},
		{"(4324)2012252400", CodeInvalidTime},
		{"(4324)2012252360", CodeInvalidTime},
		{"(8008)201225230060", CodeInvalidTime},
		{"(8026)123456789012310099", CodeInvalidValue},
		{"(8026)123456789012310100", CodeInvalidValue},
		{"(8026)123456789012310302", CodeInvalidValue},
		{"(4300)ABC%0g", CodeInvalidValue},
		{"(8112)201234561234560123456", CodeInvalidValue},
		{"(8112)0", CodeInvalidValue},
		{"(8112)07", CodeInvalidValue},
		{"(8112)01123456", CodeInvalidValue},
		{"(8112)00123456", CodeInvalidValue},
		{"(8112)00123456123456", CodeInvalidValue},
		{"(8112)001234561234560", CodeInvalidValue},
		{"(8110)71234567890123", CodeInvalidValue},
		{"(8110)012345", CodeInvalidValue},
		{"(8110)0123456123456", CodeInvalidValue},
		{"(8110)01234561234560", CodeInvalidValue},
		{"(8110)01234561234561", CodeInvalidValue},
		{"(8110)012345612345611", CodeInvalidValue},
		{"(8110)0123456123456116123456", CodeInvalidValue},
		{"(8110)0123456123456111", CodeInvalidValue},
		{"(8110)01234561234561111", CodeInvalidValue},
		{"(8110)012345612345611115", CodeInvalidValue},
		{"(8110)012345612345611119", CodeInvalidValue},
		{"(8110)0123456123456111101231", CodeInvalidValue},
		{"(8110)01234561234561111012314", CodeInvalidValue},
		{"(8110)01234561234561111012310", CodeInvalidValue},
		{"(8110)012345612345611110123106123456", CodeInvalidValue},
		{"(8110)012345612345611110123101", CodeInvalidValue},
		{"(8110)0123456123456111101231011", CodeInvalidValue},
		{"(8110)01234561234561111012310115", CodeInvalidValue},
		{"(8110)01234561234561111012310119", CodeInvalidValue},
		{"(8110)01234561234561111012310110123", CodeInvalidValue},
		{"(8110)0123456123456111101231011012371234567890123", CodeInvalidValue},
		{"(8110)012345612345611110123101101230", CodeInvalidValue},
		{"(8110)0123456123456111101232", CodeInvalidValue},
		{"(8110)01234561234561111012320", CodeInvalidValue},
		{"(8110)01234561234561111012321", CodeInvalidValue},
		{"(8110)012345612345611110123211", CodeInvalidValue},
		{"(8110)0123456123456111101232115", CodeInvalidValue},
		{"(8110)0123456123456111101232110", CodeInvalidValue},
		{"(8110)0123456123456111101232110123", CodeInvalidValue},
		{"(8110)012345612345611110123211012371234567890123", CodeInvalidValue},
		{"(8110)01234561234561111012321101230", CodeInvalidValue},
		{"(8110)0123456123456111101233", CodeInvalidValue},
		{"(8110)0123456123456111101233200010", CodeInvalidDate},
		{"(8110)0123456123456111101234", CodeInvalidValue},
		{"(8110)0123456123456111101234200010", CodeInvalidDate},
		{"(8110)01234561234561111012335006064500607", CodeInvalidDate},
		{"(8110)0123456123456111101236", CodeInvalidValue},
		{"(8110)01234561234561111012360", CodeInvalidValue},
		{"(8110)01234561234561111012361", CodeInvalidValue},
		{"(8110)0123456123456111101239", CodeInvalidValue},
		{"(8110)01234561234561111012393", CodeInvalidValue},
		{"(8110)01234561234561111012390", CodeInvalidValue},
		{"(8110)012345612345611110123903", CodeInvalidValue},
		{"(8110)012345612345611110123900", CodeInvalidValue},
		{"(8110)0123456123456111101239000", CodeInvalidValue},
		{"(8110)01234561234561111012390002", CodeInvalidValue},
		{"(8110)012345612345611110123900000", CodeInvalidValue},
		{"(4309)18000000010000000000", CodeInvalidValue},
		{"(4309)00000000003600000001", CodeInvalidValue},
		{"(4330)000000X", CodeInvalidValue},
		{"(01)95012345678903(3103)000123", ""},
		{"(01)95012345678902(3103)000123", CodeCheckDigit},
		{"(01)95012345678903(11)131313", CodeInvalidDate},
	} {
		_, err := parseElements(tc.in, false)
		got := ""
		if err != nil {
			got = err.Code
		}
		if got != tc.code {
			t.Errorf("parse %q: error %v (code %q), want code %q", tc.in, err, got, tc.code)
		}
	}
}

// TestValidateAssociations_GSEVectors carries test_ai_validateAIassociations
// of gs1/gs1-syntax-engine src/c-lib/ai.c (commit 0463451). Cases that
// need unknown AIs (89) are left out: this engine has no
// permit-unknown-AIs mode.
func TestValidateAssociations_GSEVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"(400)ABC", true},
		{"(400)ABC(400)ABC", true},
		{"(400)ABC(99)DEF(400)ABC", true},
		{"(99)ABC(400)XYZ(400)XYZ", true},
		{"(400)ABC(400)AB", false},
		{"(400)ABC(400)ABCD", false},
		{"(400)ABC(400)ABC(400)XYZ", false},
		{"(400)ABC(400)XYZ(400)ABC", false},
		{"(400)ABC(400)XYZ(400)XYZ", false},
		{"(400)ABC(99)DEF(400)XYZ", false},
		{"(99)ABC(400)ABC(400)XYZ", false},
		{"(01)12345678901231(02)12345678901231", false},
		{"(99)ABC123(01)12345678901231(02)12345678901231", false},
		{"(01)12345678901231(99)ABC123(02)12345678901231", false},
		{"(01)12345678901231(02)12345678901231(99)ABC123", false},
		{"(01)12345678901231(255)5412345000150", false},
		{"(01)12345678901231(37)123", false},
		{"(21)ABC123(235)XYZ", false},
		{"(3940)1234(8111)9999", false},
		{"(3940)1234(3941)9999", false},
		{"(3955)123456(3929)123", false},
		{"(02)12345678901231", false},
		{"(02)12345678901231(37)123", false},
		{"(99)AAA(02)12345678901231(37)123", false},
		{"(02)12345678901231(99)AAA(37)123", false},
		{"(02)12345678901231(37)123(99)AAA", false},
		{"(02)12345678901231(37)123(00)123456789012345675", true},
		{"(91)XXX(02)12345678901231(92)YYY(37)123(93)ZZZ(00)123456789012345675", true},
		{"(21)ABC123", false},
		{"(21)ABC123(01)12345678901231", true},
		{"(21)ABC123(8006)123456789012310510", true},
		{"(01)12345678901231(250)ABC123", false},
		{"(01)12345678901231(21)XYZ999(250)ABC123", true},
		{"(01)12345678901231(3925)12599", false},
		{"(01)12345678901231(3925)12599(30)123", true},
		{"(01)12345678901231(3925)12599(3100)654321", true},
		{"(01)12345678901231(3925)12599(3105)654321", true},
		{"(01)12345678901231(3925)12599(3160)654321", true},
		{"(01)12345678901231(3925)12599(3165)654321", true},
		{"(01)12345678901231(3925)12599(3295)654321", true},
		{"(01)12345678901231(3925)12599(3500)654321", true},
		{"(01)12345678901231(3925)12599(3575)654321", true},
		{"(01)12345678901231(3925)12599(3600)654321", true},
		{"(01)12345678901231(3925)12599(3695)654321", true},
	} {
		if _, err := parseElements(tc.in, false); err != nil {
			t.Fatalf("parse %q before association checks: %v", tc.in, err)
		}
		_, err := parseElements(tc.in, true)
		if (err == nil) != tc.ok {
			t.Errorf("associations of %q: err = %v, want ok = %v", tc.in, err, tc.ok)
		}
	}
}
