package resolver

import (
	"testing"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
)

func TestLevelsOf_PrefixesMatchAppendPath(t *testing.T) {
	t.Parallel()
	for _, p := range []string{
		"/01/09506000134352",
		"/01/09506000134352/10/LOT1",
		"/01/09506000134352/22/2A/10/A%2FB%2F%2F/21/x%25y%21z",
		"/01/09506000134352/235/TPX1",
		"/414/9506000134369/254/A%2F1",
		"/8004/95060001343691234%2F",
		"/00/106141411234567897",
		"/8010/0614141ABC/8011/12",
	} {
		u, err := dl.ParsePath(p, "")
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var buf [keyBufSize]byte
		lv := levelsOf(u, nil, buf[:0])
		if lv.ends[0] < 0 || lv.n != u.PathLen {
			t.Fatalf("%s: levels not built as prefixes (n=%d, path len %d)", p, lv.n, u.PathLen)
		}
		for n := u.PathLen; n >= 1; n-- {
			want := string(dl.AppendPath(nil, u.Elements[:n]))
			if got := string(lv.key(n)); got != want {
				t.Errorf("%s level %d = %q, want %q", p, n, got, want)
			}
		}
	}
}
