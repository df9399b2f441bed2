package dl_test

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// sortedElems returns a sorted copy, to compare element sets whose query
// order may change in canonical form.
func sortedElems(es []dl.Element) []dl.Element {
	out := append([]dl.Element(nil), es...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].AI != out[j].AI {
			return out[i].AI < out[j].AI
		}
		return out[i].Value < out[j].Value
	})
	return out
}

func checkError(t *testing.T, in string, err error) {
	t.Helper()
	var de *dl.Error
	if !errors.As(err, &de) {
		t.Fatalf("%q: error %v is not a *dl.Error", in, err)
	}
	if de.Code == "" || de.Message == "" || de.Offset < 0 || de.Offset > len(in)+1 {
		t.Fatalf("%q: malformed error %+v", in, de)
	}
}

// FuzzParseURI: ParseURI never panics, errors are coded, and a valid URI's
// canonical form parses to the same key and qualifiers and the same set of
// attributes, is a fixed point, matches BuildURI of the elements, and
// the element string round-trips.
func FuzzParseURI(f *testing.F) {
	for _, v := range gseParseDLuriVectors {
		f.Add(v.uri)
	}
	for _, s := range []string{
		"https://id.gs1.org/01/09520123456788/22/V/10/L/21/S?17=240229&3103=000195&99=Q%2BR&linkType=all",
		"https://id.gs1.org/01/09520123456788/235/T?10=L",
		"https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K",
		"https://id.gs1.org/414/9520123456788/254/32a%2Fb",
		"https://id.gs1.org/8004/9520614141234567?01=9520123456788",
		"https://id.gs1.org/01/09520123456788?8030=ABC-_12",
		"https://id.gs1.org/01/09520123456788/10/A%28B",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := dl.ParseURI(s)
		if err != nil {
			checkError(t, s, err)
			return
		}
		c := u.Canonical("id.gs1.org")
		u2, err := dl.ParseURI(c)
		if err != nil {
			t.Fatalf("canonical %s of %q does not parse: %v", c, s, err)
		}
		if !reflect.DeepEqual(u2.Elements[:u2.PathLen], u.Elements[:u.PathLen]) {
			t.Fatalf("path of %s = %v, want %v", c, u2.Elements[:u2.PathLen], u.Elements[:u.PathLen])
		}
		if !reflect.DeepEqual(sortedElems(u2.Elements), sortedElems(u.Elements)) {
			t.Fatalf("elements of %s = %v, want %v", c, u2.Elements, u.Elements)
		}
		if c2 := u2.Canonical("id.gs1.org"); c2 != c {
			t.Fatalf("canonical form is not a fixed point: %s -> %s", c, c2)
		}
		if b, err := dl.BuildURI(u.Elements, "id.gs1.org"); err != nil || b != c {
			t.Fatalf("BuildURI(%v) = %s, %v; want %s", u.Elements, b, err, c)
		}
		es := u.ElementString()
		elems, err := dl.ParseElementString(es)
		if err != nil || !reflect.DeepEqual(elems, u.Elements) {
			t.Fatalf("element string %s of %q = %v, %v; want %v", es, s, elems, err, u.Elements)
		}
	})
}

// FuzzParsePath: the resolver's entry point never panics and agrees with
// ParseURI on the same URI.
func FuzzParsePath(f *testing.F) {
	f.Add("/01/09520123456788/10/ABC", "17=240229&linkType=all")
	f.Add("/stem/00/952012345678912345", "02=09520123456788&37=25")
	f.Add("/01/09520123456788/", "")
	f.Add("/01/09520123456788", "99=%00")
	f.Fuzz(func(t *testing.T, path, query string) {
		u, err := dl.ParsePath(path, query)
		if err != nil {
			checkError(t, path+"?"+query, err)
			return
		}
		full := "https://h" + path
		if query != "" {
			full += "?" + query
		}
		v, err := dl.ParseURI(full)
		if err != nil {
			t.Fatalf("ParsePath accepts %q %q but ParseURI rejects %s: %v", path, query, full, err)
		}
		if !reflect.DeepEqual(u.Elements, v.Elements) || u.PathLen != v.PathLen {
			t.Fatalf("ParsePath %v != ParseURI %v", u.Elements, v.Elements)
		}
	})
}

// FuzzParseElementString: never panics, errors are coded; a valid element
// string round-trips through its bracketed form, and element string -> URI
// -> element string -> URI is stable.
func FuzzParseElementString(f *testing.F) {
	for _, s := range []string{
		"(01)12345678901231(10)12345", "(3100)123456(10)12345", `(10)12345\(11)991225`, "(17)9(90)217",
		"^0112345678901231991234", "]C10109506000134352\x1d10ABC", "^800302112345678900ABC",
		"(01)09520123456788(22)V(10)L(21)S(17)240229", "(00)952012345678912345(02)09520123456788(37)25(10)A",
		"(8110)012345612345611110123", "(8112)001234561234560123456", "(4309)02790858483015297971(00)952012345678912345",
		"(01)09520123456788(235)T(10)L", "(253)9526064000028000001(99)000001(8017)795260646688514634",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		elems, err := dl.ParseElementString(s)
		if err != nil {
			checkError(t, s, err)
			return
		}
		bracketed := dl.FormatElementString(elems)
		back, err := dl.ParseElementString(bracketed)
		if err != nil || !reflect.DeepEqual(back, elems) {
			t.Fatalf("%q -> %s -> %v, %v", s, bracketed, back, err)
		}
		uri, err := dl.BuildURI(elems, "id.gs1.org")
		if err != nil {
			checkError(t, s, err)
			return
		}
		u, err := dl.ParseURI(uri)
		if err != nil {
			t.Fatalf("BuildURI(%q) = %s, which does not parse: %v", s, uri, err)
		}
		elems2, err := dl.ParseElementString(u.ElementString())
		if err != nil {
			t.Fatalf("element string of %s: %v", uri, err)
		}
		uri2, err := dl.BuildURI(elems2, "id.gs1.org")
		if err != nil || uri2 != uri {
			t.Fatalf("element string -> URI not stable: %s -> %s (%v)", uri, uri2, err)
		}
	})
}
