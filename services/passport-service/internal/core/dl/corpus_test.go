package dl_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

// corpus is a deterministic mix of Digital Link URIs for benchmarks and
// property checks, split by what ParseURI actually says about them.
type corpus struct {
	valid, invalid []string
}

var (
	corpusOnce sync.Once
	theCorpus  corpus
)

// uriCorpus generates (once) at least 1,200 valid and 1,200 invalid URIs:
// GTINs with and without qualifiers, SSCCs, GLNs, GIAIs, CPIDs, stems,
// query attributes, percent-encoding, non-AI parameters; invalid ones are
// mutations of valid ones (check digits, order, duplicates, unknown AIs,
// dates, lengths, schemes, slashes, illegal characters...).
func uriCorpus() corpus {
	corpusOnce.Do(func() {
		r := rand.New(rand.NewPCG(20240229, 1))
		for len(theCorpus.valid) < 1200 || len(theCorpus.invalid) < 1200 {
			u := randomURI(r)
			if len(theCorpus.valid) < 1200 {
				classify(u)
			}
			if len(theCorpus.invalid) < 1200 {
				classify(mutate(r, u))
			}
		}
	})
	return theCorpus
}

func classify(u string) {
	if _, err := dl.ParseURI(u); err == nil {
		theCorpus.valid = append(theCorpus.valid, u)
	} else {
		theCorpus.invalid = append(theCorpus.invalid, u)
	}
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func key(r *rand.Rand, n int) string { return withCheckDigit(digits(r, n-1)) }

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func alnum(r *rand.Rand, n int) string {
	const cs = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789abcdefxyz-._"
	b := make([]byte, 1+r.IntN(n))
	for i := range b {
		b[i] = cs[r.IntN(len(cs))]
	}
	return string(b)
}

func date(r *rand.Rand) string {
	return fmt.Sprintf("%02d%02d%02d", r.IntN(40), 1+r.IntN(12), r.IntN(29))
}

func randomURI(r *rand.Rand) string {
	host := pick(r, "https://id.gs1.org", "https://brand.example.com", "http://example.org", "https://resolver.packytrace.example:8443")
	stem := pick(r, "", "", "", "/products", "/a/b", "/dl")
	var path, query []string
	switch r.IntN(10) {
	case 0, 1, 2, 3, 4:
		path = append(path, "01", key(r, 14))
		switch r.IntN(6) {
		case 1:
			path = append(path, "10", alnum(r, 20))
		case 2:
			path = append(path, "21", alnum(r, 20))
		case 3:
			path = append(path, "10", alnum(r, 10), "21", alnum(r, 10))
		case 4:
			path = append(path, "22", alnum(r, 5), "10", alnum(r, 10), "21", alnum(r, 12))
		case 5:
			path = append(path, "235", alnum(r, 28))
		}
		for _, ai := range []string{"17", "15", "11", "3103", "99", "7003"} {
			if r.IntN(4) == 0 {
				switch ai {
				case "3103":
					query = append(query, ai, digits(r, 6))
				case "99":
					query = append(query, ai, alnum(r, 30)+pick(r, "", "%2F", "%21x"))
				case "7003":
					query = append(query, ai, date(r)+fmt.Sprintf("%02d%02d", r.IntN(24), r.IntN(60)))
				default:
					query = append(query, ai, date(r))
				}
			}
		}
	case 5:
		path = append(path, "00", key(r, 18))
		if r.IntN(2) == 0 {
			query = append(query, "02", key(r, 14), "37", digits(r, 1+r.IntN(8)))
		}
	case 6:
		path = append(path, "414", key(r, 13))
		if r.IntN(2) == 0 {
			path = append(path, "254", alnum(r, 20))
		}
	case 7:
		path = append(path, "8004", "9520"+alnum(r, 20))
		if r.IntN(3) == 0 {
			query = append(query, "01", key(r, 14))
		}
	case 8:
		path = append(path, "8010", "9520"+strings.ToUpper(digits(r, 10)), "8011", "1"+digits(r, r.IntN(10)))
	default:
		path = append(path, "253", key(r, 13)+alnum(r, 10))
	}
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(stem)
	for i := 0; i < len(path); i += 2 {
		b.WriteString("/" + path[i] + "/" + path[i+1])
	}
	sep := "?"
	for i := 0; i < len(query); i += 2 {
		b.WriteString(sep + query[i] + "=" + query[i+1])
		sep = "&"
	}
	if r.IntN(5) == 0 {
		b.WriteString(sep + pick(r, "linkType=gs1:pip", "context=dpp&lang=en", "linkType=linkset"))
	}
	return b.String()
}

func mutate(r *rand.Rand, u string) string {
	switch r.IntN(14) {
	case 0: // wrong check digit
		i := strings.Index(u, "/01/")
		if i >= 0 {
			d := u[i+17]
			return u[:i+17] + string('0'+(d-'0'+1)%10) + u[i+18:]
		}
		return u + "/"
	case 1:
		return u + "/"
	case 2:
		return strings.Replace(u, "https://", "Https://", 1)
	case 3:
		return u + pick(r, "?", "&") + "89=X"
	case 4:
		return u + pick(r, "?", "&") + "17=" + pick(r, "231301", "230229", "240431")
	case 5:
		return u + pick(r, "?", "&") + "10=LOT"
	case 6:
		return strings.Replace(u, "/01/0", "/01/", 1)
	case 7:
		return u + pick(r, "?", "&") + "4321=1"
	case 8:
		return strings.Replace(u, "/21/", "/21/A B", 1) + "/10/x"
	case 9:
		return u + pick(r, "?", "&") + "99=a&99=b"
	case 10:
		return strings.Replace(u, "/10/", "/254/", 1) + "/0/0"
	case 11:
		return u + pick(r, "?", "&") + "3103=12"
	case 12:
		return strings.Replace(u, "//", "//exa%mple/", 1)
	default:
		return u + "/21/" + strings.Repeat("S", 21)
	}
}

func TestCorpus_Sizes(t *testing.T) {
	t.Parallel()
	c := uriCorpus()
	if len(c.valid) < 1000 || len(c.invalid) < 1000 {
		t.Fatalf("corpus has %d valid and %d invalid URIs", len(c.valid), len(c.invalid))
	}
	// The valid URIs round-trip through their canonical form.
	for _, s := range c.valid {
		u, err := dl.ParseURI(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dl.ParseURI(u.Canonical("id.gs1.org")); err != nil {
			t.Errorf("canonical of %s: %v", s, err)
		}
	}
}
