package dl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// gseDataStr renders elements the way gse's tests write parsed AI data:
// "^" (FNC1 in first), then AI and value, with "^" before an AI that
// follows a value that is not of predefined length.
func gseDataStr(elems []dl.Element) string {
	var b strings.Builder
	b.WriteByte('^')
	for i, e := range elems {
		if i > 0 {
			if prev, _ := dl.Spec(elems[i-1].AI); !prev.Predefined {
				b.WriteByte('^')
			}
		}
		b.WriteString(e.AI)
		b.WriteString(e.Value)
	}
	return b.String()
}

// gseParseDLuriVectors are the input/expected pairs of test_dl_parseDLuri
// in gs1/gs1-syntax-engine src/c-lib/dl.c (commit 02539ae), except the
// cases run with options this engine does not offer
// (permitZeroSuppressedGTINinDLuris, permitConvenienceAlphas,
// permitUnknownAIs). Expected values are gse's "^..." data strings; "" means
// the URI must be rejected.
var gseParseDLuriVectors = []struct{ uri, want string }{
	{"", ""},
	{"ftp://", ""},
	{"http://", ""},
	{"http:///", ""},
	{"http://a", ""},
	{"http://a/", ""},
	{"http://a/b", ""},
	{"http://a/b/", ""},
	{"http://a/00/006141411234567890", "^00006141411234567890"},
	{"HTTP://a/00/006141411234567890", "^00006141411234567890"},
	{"https://a/00/006141411234567890", "^00006141411234567890"},
	{"HTTPS://a/00/006141411234567890", "^00006141411234567890"},
	{"HtTp://a/b/00/006141411234567890", ""},
	{"https://00/006141411234567890", ""},
	{"https://a/01/12312312312333", "^0112312312312333"},
	{"https://xn--fsq.xn--0zwm56d/01/12312312312333", "^0112312312312333"},
	{"https://a./01/12312312312333", "^0112312312312333"},
	{"https://a:65535/01/12312312312333", "^0112312312312333"},
	{"https://192.0.2.1/01/12312312312333", "^0112312312312333"},
	{"https://3232235777/01/12312312312333", "^0112312312312333"},
	{"https://0300.0250.01.01/01/12312312312333", "^0112312312312333"},
	{"https://0xC0.0xA8.0x01.0x01/01/12312312312333", "^0112312312312333"},
	{"https://[2001:db8::1]/01/12312312312333", "^0112312312312333"},
	{"https://[fe80::1%25lo]/01/12312312312333", ""},
	{"https://$a/006141411234567890", ""},
	{"https://a$/006141411234567890", ""},
	{"https://a/stem/00/006141411234567890", "^00006141411234567890"},
	{"https://a/more/stem/00/006141411234567890", "^00006141411234567890"},
	{"https://a/00/faux/00/006141411234567890", "^00006141411234567890"},
	{"https://a/gtin/12312312312333", ""},
	{"https://a/01/2112345678900", ""},
	{"https://a/01/416000336108", ""},
	{"https://a/01/02345673", ""},
	{"https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ", "^011231231231233322TEST^10ABC^21XYZ"},
	{"https://a/01/12312312312333/235/TEST", "^0112312312312333235TEST"},
	{"https://a/253/1231231231232", "^2531231231231232"},
	{"https://a/253/1231231231232TEST5678901234567", "^2531231231231232TEST5678901234567"},
	{"https://a/253/1231231231232TEST56789012345678", ""},
	{"https://a/8018/123456789012345675/8019/123", "^8018123456789012345675^8019123"},
	{"https://a/stem/00/006141411234567890/", ""},
	{"https://a/stem/00/006141411234567890?", "^00006141411234567890"},
	{"https://a/stem/00/006141411234567890?99=ABC", "^0000614141123456789099ABC"},
	{"https://a/stem/401/12345678?99=ABC", "^40112345678^99ABC"},
	{"https://a/01/12312312312333?99=ABC&98=XYZ", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?99=", ""},
	{"https://a/01/12312312312333?99=ABC&999=faux", ""},
	{"https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?99=ABC&unknown=666&98=XYZ", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?unknown=666&99=ABC&98=XYZ", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?99=ABC&98=XYZ&unknown=666", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?unknown1=555&99=ABC&unknown2=666&98=XYZ&unknown3=777", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?99=ABC&singleton&98=XYZ", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?singleton&99=ABC&98=XYZ", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?99=ABC&98=XYZ&singleton", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?singleton1&99=ABC&singleton2&98=XYZ&singleton3", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777&singleton3", "^011231231231233399ABC^98XYZ"},
	{"https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987", "^011231231231233322ABC-123^99ABC^98XYZ/987"},
	{"https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987", "^011231231231233322ABC+123^99ABC^98XYZ/987"},
	{"https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987", ""},
	{"https://a/01/12312312312333/22/test/10/abc/21/xyz#", "^011231231231233322test^10abc^21xyz"},
	{"https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment", "^011231231231233322test^10abc^21xyz"},
	{"https://a/stem/00/006141411234567890?99=ABC#", "^0000614141123456789099ABC"},
	{"https://a/stem/00/006141411234567890?99=ABC#fragment", "^0000614141123456789099ABC"},
	// Examples from the DL specification, as carried in the same function.
	{"https://id.gs1.org/01/09520123456788", "^0109520123456788"},
	{"https://id.gs1.org/01/09520123456788/22/2A", "^0109520123456788222A"},
	{"https://id.gs1.org/01/09520123456788/10/ABC123", "^010952012345678810ABC123"},
	{"https://id.gs1.org/01/09520123456788/21/12345", "^01095201234567882112345"},
	{"https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426", "^010952012345678810ABC1^2112345^17180426"},
	{"https://id.gs1.org/01/09520123456788?3103=000195", "^01095201234567883103000195"},
	{"https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225", "^0109520123456788310300019539220299^17201225"},
	{"https://id.gs1.org/01/09520123456788?3103=000195&3922=0299&17=201225", "^0109520123456788310300019539220299^17201225"},
	{"https://id.gs1.org/01/09520123456788?17=201225&3103=000195&3922=0299", "^010952012345678817201225310300019539220299"},
	{"https://id.gs1.org/00/952012345678912345", "^00952012345678912345"},
	{"https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123", "^0095201234567891234502095201234567883725^10ABC123"},
	{"https://id.gs1.org/414/9520123456788", "^4149520123456788"},
	{"https://id.gs1.org/414/9520123456788/254/32a%2Fb", "^414952012345678825432a/b"},
	{"https://example.com/8004/9520614141234567?01=9520123456788", "^80049520614141234567^0109520123456788"},
	{"https://example.com/01/09520123456788?10=ABC123", ""},
	{"https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123", "^0109520123456788235XYZ^10ABC123"},
	{"https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788", ""},
	{"https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", ""},
	{"https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789", ""},
	{"https://example.com/01/09520123456788/89/ABC123?99=XYZ", ""},
	{"https://example.com/01/09520123456788?99=XYZ&89=ABC123", ""},
}

func TestParseURI_GSEVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range gseParseDLuriVectors {
		u, err := dl.ParseURI(tc.uri)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseURI(%q) = %v, want an error", tc.uri, u.Elements)
				continue
			}
			var de *dl.Error
			if !errors.As(err, &de) || de.Code == "" || de.Message == "" {
				t.Errorf("ParseURI(%q) error %v is not a coded *dl.Error", tc.uri, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURI(%q): %v", tc.uri, err)
			continue
		}
		if got := gseDataStr(u.Elements); got != tc.want {
			t.Errorf("ParseURI(%q) = %s, want %s", tc.uri, got, tc.want)
		}
	}
}

// TestParseURI_GSEIgnoredQueryParams carries test_api_getDLignoredQueryParams
// of gs1/gs1-syntax-engine src/c-lib/gs1encoders.c.
func TestParseURI_GSEIgnoredQueryParams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		uri  string
		want []string
	}{
		{"https://a/01/12312312312333/22/TESTING?99=ABC%2d123&98=XYZ", nil},
		{"https://a/01/12312312312333/22/TESTING?singleton&99=ABC%2d123", []string{"singleton"}},
		{"https://a/01/12312312312333/22/TESTING?99=ABC%2d123&singleton", []string{"singleton"}},
		{"https://a/01/12312312312333/22/TESTING?compound1=QWERTY&99=ABC%2d123", []string{"compound1=QWERTY"}},
		{"https://a/01/12312312312333/22/TESTING?99=ABC%2d123&compound1=QWERTY", []string{"compound1=QWERTY"}},
		{"https://a/01/12312312312333/22/TESTING?singleton1&compound1=QWERTY&99=ABC%2d123&singleton2&98=XYZ&compound2=12345",
			[]string{"singleton1", "compound1=QWERTY", "singleton2", "compound2=12345"}},
	} {
		u, err := dl.ParseURI(tc.uri)
		if err != nil {
			t.Fatalf("ParseURI(%q): %v", tc.uri, err)
		}
		if strings.Join(u.Ignored, "|") != strings.Join(tc.want, "|") {
			t.Errorf("ParseURI(%q).Ignored = %q, want %q", tc.uri, u.Ignored, tc.want)
		}
	}
}

// gseGenerateDLuriVectors are the cases of test_dl_generateDLuri in
// gs1/gs1-syntax-engine src/c-lib/dl.c (commit 02539ae) that use the
// default options. want "" means generation must fail. A nil stem in gse
// means the canonical https://id.gs1.org; other stems are given as
// domains here.
var gseGenerateDLuriVectors = []struct{ domain, ais, want string }{
	{"id.gs1.org", "(01)12312312312326(21)abc123", "https://id.gs1.org/01/12312312312326/21/abc123"},
	{"example.com", "(01)12312312312326(21)abc123", "https://example.com/01/12312312312326/21/abc123"},
	{"example.com", "(01)12312312312326(22)ABC(10)DEF(21)GHI", "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI"},
	{"example.com", "(01)12312312312326(22)ABC(10)DEF(21)GHI(95)INT", "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT"},
	{"example.com", "(21)XYZ(01)12312312312333(10)ABC123(99)XYZ", "https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ"},
	{"example.com", "(01)12312312312333(10)ABC+123(99)XYZ+QWERTY", "https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY"},
	{"example.com", "(8017)795260646688514634(99)000001(253)9526064000028000001", "https://example.com/8017/795260646688514634?99=000001&253=9526064000028000001"},
	{"example.com", "(253)9526064000028000001(99)000001(8017)795260646688514634", "https://example.com/253/9526064000028000001?99=000001&8017=795260646688514634"},
	{"example.com", "(98)ABC(253)9526064000028000001(99)000001(8017)795260646688514634", "https://example.com/253/9526064000028000001?98=ABC&99=000001&8017=795260646688514634"},
	{"example.com", "(253)9526064000028000001(99)000001(01)12312312312326(10)DEF(95)INT", "https://example.com/253/9526064000028000001?01=12312312312326&99=000001&10=DEF&95=INT"},
	{"example.com", "(01)12312312312326(01)12312312312326(10)ABC123(99)XYZ789", "https://example.com/01/12312312312326/10/ABC123?99=XYZ789"},
	{"example.com", "(01)12312312312326(10)ABC123(10)ABC123(99)XYZ789", "https://example.com/01/12312312312326/10/ABC123?99=XYZ789"},
	{"example.com", "(01)12312312312326(10)ABC123(99)XYZ789(99)XYZ789", "https://example.com/01/12312312312326/10/ABC123?99=XYZ789"},
	{"example.com", "(8010)0200(3133)333333(3300)000000(99)57(3133)333333(3300)000000(01)04065093955756(10)0(3133)333333(3300)000000(01)04065093955756", "https://example.com/8010/0200?3133=333333&3300=000000&01=04065093955756&99=57&10=0"},
	{"example.com", "(01)12312312312326(99)000001(8200)http://example.com(95)INT", ""},
	{"example.com", "(01)12312312312326(235)TPX9526064(99)000001(22)ABC(95)INT", ""},
	{"example.com", "(01)12312312312326(22)ABC(10)DEF(99)000001(235)TPX9526064(95)INT", ""},
}

func TestBuildURI_GSEVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range gseGenerateDLuriVectors {
		elems, err := dl.ParseElementString(tc.ais)
		if err != nil {
			// gse parses these without association checks; the vectors
			// are chosen so that the dictionary's associations hold.
			t.Fatalf("ParseElementString(%q): %v", tc.ais, err)
		}
		got, err := dl.BuildURI(elems, tc.domain)
		if tc.want == "" {
			if err == nil {
				t.Errorf("BuildURI(%s) = %s, want an error", tc.ais, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("BuildURI(%s): %v", tc.ais, err)
			continue
		}
		if got != tc.want {
			t.Errorf("BuildURI(%s)\n got %s\nwant %s", tc.ais, got, tc.want)
		}
	}
}

// TestEscape_GSEVectors carries the path-component cases of
// test_dl_URIescape (gs1/gs1-syntax-engine src/c-lib/dl.c). Canonical
// encoding writes a space as %20 in both path and query (gse writes '+' in
// the query; spaces cannot occur in valid AI values).
func TestEscape_GSEVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"},
		{"0123456789-._~", "0123456789-._~"},
		{"!\"#%&'()*+,/:;<=>?", "%21%22%23%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F"},
		{"test", "test"},
		{" ", "%20"},
		{" AB", "%20AB"},
		{"A B", "A%20B"},
		{"AB ", "AB%20"},
		{"A  B", "A%20%20B"},
	} {
		if got := dl.Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestQualifiersOf_GSEValidSequences carries test_dl_testValidateDLpathAIseq
// (gs1/gs1-syntax-engine src/c-lib/dl.c): every listed key/qualifier
// sequence is a valid path.
func TestQualifiersOf_GSEValidSequences(t *testing.T) {
	t.Parallel()
	values := map[string]string{
		"00": "006141411234567890", "01": "09520123456788", "253": "9520123456788", "255": "9520123456788",
		"401": "952012345", "402": withCheckDigit("9520123456789012"), "414": "9520123456788", "417": "9520123456788",
		"8003": "09520123456788", "8004": "952012345", "8006": "095201234567880102",
		"8010": "952012345", "8013": "1987654Ad4X4bL5ttr2310c2K", "8017": withCheckDigit("95201234567890123"), "8018": withCheckDigit("95201234567890123"),
		"21": "S1", "10": "L1", "22": "V1", "235": "T1", "254": "E1", "7040": "1ABC", "8011": "123", "8019": "123",
	}
	for _, seq := range [][]string{
		{"00"},
		{"01"}, {"01", "21"}, {"01", "10"}, {"01", "10", "21"}, {"01", "22"}, {"01", "22", "21"}, {"01", "22", "10"}, {"01", "22", "10", "21"},
		{"01", "235"},
		{"253"}, {"255"}, {"401"}, {"402"},
		{"414"}, {"414", "254"}, {"414", "7040"},
		{"417"}, {"417", "7040"},
		{"8003"}, {"8004"}, {"8004", "7040"},
		{"8006"}, {"8006", "21"}, {"8006", "10"}, {"8006", "10", "21"}, {"8006", "22"}, {"8006", "22", "21"}, {"8006", "22", "10"}, {"8006", "22", "10", "21"},
		{"8010"}, {"8010", "8011"},
		{"8013"},
		{"8017"}, {"8017", "8019"},
		{"8018"}, {"8018", "8019"},
	} {
		path := ""
		for _, ai := range seq {
			path += "/" + ai + "/" + values[ai]
		}
		// gse checks only the sequence here; the full validation also
		// applies req=, so (22) under (8006) fails for want of (01).
		_, err := dl.ParsePath(path, "")
		wantErr := ""
		if seq[0] == "8006" && len(seq) > 1 && seq[1] == "22" {
			wantErr = dl.CodeRequiredAIMissing
		}
		if got := errCode(err); got != wantErr {
			t.Errorf("ParsePath(%s): %v", path, err)
		}
	}
}

// withCheckDigit appends the GS1 mod-10 check digit to body.
func withCheckDigit(body string) string {
	c, ok := dl.CheckDigit(body)
	if !ok {
		panic("non-digit in " + body)
	}
	return body + string(c)
}
