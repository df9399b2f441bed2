package linksetschema

import "testing"

func TestCompileRegexp_RunsGS1sLookaheadAsECMAScript(t *testing.T) {
	t.Parallel()
	// The relation-key pattern of gs1-linkset-schema.json.
	const relation = `(?!(anchor|itemDescription))^([a-z-]+$)|(^https?:\/\/[a-zA-z0-9./]+$)`
	re, err := compileRegexp(relation)
	if err != nil {
		t.Fatal(err)
	}
	if re.String() != relation {
		t.Errorf("String() = %q", re.String())
	}
	for s, want := range map[string]bool{
		"describedby":               true,
		"next":                      true,
		"anchor":                    false, // the lookahead
		"anchors":                   false, // ECMA-262 too: the lookahead matches its prefix
		"itemDescription":           false,
		"https://gs1.org/voc/pip":   true,
		"https://gs1.org/voc/pip?x": false,
		"gs1:pip":                   false,
		"Pip":                       false,
		"":                          false,
		"xanchor":                   true,
	} {
		if got := re.MatchString(s); got != want {
			t.Errorf("MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestCompileRegexp_RunsOtherSchemaPatternsAndRefusesBadOnes(t *testing.T) {
	t.Parallel()
	re, err := compileRegexp(`(^\w{2}$)|(^\w{2}-\w{2}$)`)
	if err != nil || !re.MatchString("en-GB") || re.MatchString("und") {
		t.Fatalf("hreflang pattern: %v", err)
	}
	for _, p := range []string{`[`, `(a`, `a{2,1}`} {
		if _, err := compileRegexp(p); err == nil {
			t.Errorf("compileRegexp(%q) succeeded", p)
		}
	}
}
