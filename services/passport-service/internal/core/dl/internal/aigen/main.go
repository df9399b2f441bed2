// Command aigen generates the Application Identifier table of package dl from
// the GS1 Barcode Syntax Dictionary (data/gs1-syntax-dictionary.txt).
//
// It is run by go generate in the dl package directory:
//
//	go run ./internal/aigen -in data/gs1-syntax-dictionary.txt -out aitable_gen.go
//
// The dictionary syntax is described in the header of the dictionary file.
// The generator fails, naming the line, on any flag, component, linter or
// attribute it does not know, so that a dictionary update that needs new code
// is noticed when the table is regenerated rather than silently ignored.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"go/format"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	in := flag.String("in", "data/gs1-syntax-dictionary.txt", "dictionary file")
	out := flag.String("out", "aitable_gen.go", "generated Go file")
	pkg := flag.String("pkg", "dl", "package name of the generated file")
	flag.Parse()
	if err := run(*in, *out, *pkg); err != nil {
		fmt.Fprintln(os.Stderr, "aigen:", err)
		os.Exit(1)
	}
}

func run(in, out, pkg string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	entries, err := Parse(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	sum := sha256.Sum256(src)
	code, err := Generate(entries, pkg, in, hex.EncodeToString(sum[:]))
	if err != nil {
		return err
	}
	return os.WriteFile(out, code, 0o644)
}

// Linters maps every linter name the generator knows to the name of the Go
// constant that package dl declares for it. These are the reference linters
// of the GS1 Barcode Syntax Engine (gs1/gs1-syntax-engine,
// src/c-lib/syntax/lint_*.c); the character set linters are implied by the
// component type and are not named in the dictionary.
var Linters = map[string]string{
	"couponcode":     "lintCouponCode",
	"couponposoffer": "lintCouponPosOffer",
	"csum":           "lintCsum",
	"csumalpha":      "lintCsumAlpha",
	"gcppos1":        "lintGCPPos1",
	"gcppos2":        "lintGCPPos2",
	"hasnondigit":    "lintHasNonDigit",
	"hh":             "lintHH",
	"hhmi":           "lintHHMI",
	"hhmm":           "lintHHMM",
	"hyphen":         "lintHyphen",
	"iban":           "lintIBAN",
	"importeridx":    "lintImporterIdx",
	"iso3166":        "lintISO3166",
	"iso3166999":     "lintISO3166999",
	"iso3166alpha2":  "lintISO3166Alpha2",
	"iso4217":        "lintISO4217",
	"iso5218":        "lintISO5218",
	"key":            "lintKey",
	"keyoff1":        "lintKeyOff1",
	"latitude":       "lintLatitude",
	"latlong":        "lintLatLong",
	"longitude":      "lintLongitude",
	"mediatype":      "lintMediaType",
	"mi":             "lintMI",
	"mm":             "lintMM",
	"mmoptss":        "lintMMOptSS",
	"nonzero":        "lintNonZero",
	"nozeroprefix":   "lintNoZeroPrefix",
	"packagetype":    "lintPackageType",
	"pcenc":          "lintPcEnc",
	"pieceoftotal":   "lintPieceOfTotal",
	"posinseqslash":  "lintPosInSeqSlash",
	"ss":             "lintSS",
	"winding":        "lintWinding",
	"yesno":          "lintYesNo",
	"yymmd0":         "lintYYMMD0",
	"yymmdd":         "lintYYMMDD",
	"yymmddhh":       "lintYYMMDDHH",
	"yyyymmd0":       "lintYYYYMMD0",
	"yyyymmdd":       "lintYYYYMMDD",
	"zero":           "lintZero",
}

// MaxLinters is the most linters one component may name; package dl
// declares its component type with room for this many.
const MaxLinters = 4

// Component is one format component of an AI value, such as "N13,csum".
type Component struct {
	Charset  byte // 'N', 'X', 'Y' or 'Z'
	Min, Max int
	Optional bool
	Linters  []string
}

// Entry is one AI (ranges are expanded) as described by the dictionary.
type Entry struct {
	AI          string
	Title       string
	Fixed       bool // "*": predefined length, no FNC1 separator required
	DLAttribute bool // "?": permitted as a Digital Link data attribute
	PrimaryKey  bool // "dlpkey" present
	Qualifiers  [][]string
	Req         [][][]string // each req= attribute: alternatives of AND-groups
	Ex          []string
	Components  []Component
	Line        int
}

var (
	aiRE        = regexp.MustCompile(`^([0-9]{2,4})(?:-([0-9]{2,4}))?$`)
	componentRE = regexp.MustCompile(`^(\[)?([NXYZ])([0-9]+|\.\.[0-9]+)(\])?((?:,[a-z0-9]+)*)$`)
	patternRE   = regexp.MustCompile(`^[0-9]{2}[0-9n]{0,2}$`)
	knownFlags  = "*?"
	flagChars   = "*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~"
)

// Parse reads the dictionary and returns its entries with AI ranges
// expanded, in AI order.
func Parse(r io.Reader) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		title := ""
		if i := strings.IndexByte(text, '#'); i >= 0 {
			title = strings.TrimSpace(text[i+1:])
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		es, err := parseLine(fields, title, line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		entries = append(entries, es...)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("no AI entries")
	}
	return entries, check(entries)
}

func parseLine(fields []string, title string, line int) ([]Entry, error) {
	m := aiRE.FindStringSubmatch(fields[0])
	if m == nil {
		return nil, fmt.Errorf("bad AI or AI range %q", fields[0])
	}
	first, last := m[1], m[2]
	if last == "" {
		last = first
	}
	if len(first) != len(last) || first > last {
		return nil, fmt.Errorf("bad AI range %q", fields[0])
	}
	e := Entry{Title: title, Line: line}
	rest := fields[1:]
	if len(rest) > 0 && strings.Trim(rest[0], flagChars) == "" {
		for _, c := range rest[0] {
			if !strings.ContainsRune(knownFlags, c) {
				return nil, fmt.Errorf("unknown flag %q", c)
			}
		}
		e.Fixed = strings.Contains(rest[0], "*")
		e.DLAttribute = strings.Contains(rest[0], "?")
		rest = rest[1:]
	}
	seenOptional := false
	for len(rest) > 0 && componentRE.MatchString(rest[0]) {
		cm := componentRE.FindStringSubmatch(rest[0])
		if (cm[1] == "[") != (cm[4] == "]") {
			return nil, fmt.Errorf("unbalanced brackets in component %q", rest[0])
		}
		c := Component{Charset: cm[2][0], Optional: cm[1] == "["}
		if strings.HasPrefix(cm[3], "..") {
			c.Min = 1
			c.Max, _ = strconv.Atoi(cm[3][2:])
		} else {
			c.Min, _ = strconv.Atoi(cm[3])
			c.Max = c.Min
		}
		if c.Max < 1 || c.Max > 99 {
			return nil, fmt.Errorf("component length out of range in %q", rest[0])
		}
		if cm[5] != "" {
			for _, l := range strings.Split(cm[5][1:], ",") {
				if _, ok := Linters[l]; !ok {
					return nil, fmt.Errorf("unknown linter %q in component %q", l, rest[0])
				}
				c.Linters = append(c.Linters, l)
			}
		}
		if len(c.Linters) > MaxLinters {
			return nil, fmt.Errorf("more than %d linters in component %q", MaxLinters, rest[0])
		}
		if seenOptional && !c.Optional {
			return nil, fmt.Errorf("mandatory component %q follows an optional one", rest[0])
		}
		seenOptional = seenOptional || c.Optional
		e.Components = append(e.Components, c)
		rest = rest[1:]
	}
	if len(e.Components) == 0 {
		return nil, fmt.Errorf("no format specification (got %q)", strings.Join(rest, " "))
	}
	for i, c := range e.Components[:len(e.Components)-1] {
		if c.Min != c.Max {
			return nil, fmt.Errorf("component %d has variable length but is not the last", i+1)
		}
	}
	for _, attr := range rest {
		if err := parseAttr(&e, attr); err != nil {
			return nil, err
		}
	}
	lo, _ := strconv.Atoi(first)
	hi, _ := strconv.Atoi(last)
	var out []Entry
	for n := lo; n <= hi; n++ {
		x := e
		x.AI = fmt.Sprintf("%0*d", len(first), n)
		out = append(out, x)
	}
	return out, nil
}

func parseAttr(e *Entry, attr string) error {
	key, val, hasVal := strings.Cut(attr, "=")
	switch key {
	case "dlpkey":
		if e.PrimaryKey {
			return fmt.Errorf("repeated dlpkey attribute")
		}
		e.PrimaryKey = true
		if !hasVal {
			return nil
		}
		for _, alt := range strings.Split(val, "|") {
			seq := strings.Split(alt, ",")
			for _, ai := range seq {
				if !aiRE.MatchString(ai) || strings.Contains(ai, "-") {
					return fmt.Errorf("bad qualifier AI %q in %q", ai, attr)
				}
			}
			e.Qualifiers = append(e.Qualifiers, seq)
		}
	case "req":
		if !hasVal || val == "" {
			return fmt.Errorf("empty req attribute")
		}
		var alts [][]string
		for _, alt := range strings.Split(val, ",") {
			group := strings.Split(alt, "+")
			for _, p := range group {
				if !patternRE.MatchString(p) {
					return fmt.Errorf("bad AI pattern %q in %q", p, attr)
				}
			}
			alts = append(alts, group)
		}
		e.Req = append(e.Req, alts)
	case "ex":
		if !hasVal || val == "" {
			return fmt.Errorf("empty ex attribute")
		}
		for _, p := range strings.Split(val, ",") {
			if !patternRE.MatchString(p) {
				return fmt.Errorf("bad AI pattern %q in %q", p, attr)
			}
			e.Ex = append(e.Ex, p)
		}
	default:
		return fmt.Errorf("unknown attribute %q", attr)
	}
	return nil
}

// check applies whole-table rules: AIs unique and sorted, one AI length per
// two-digit prefix, and every AI named in a dlpkey, req or ex attribute
// defined (patterns must match at least one AI).
func check(entries []Entry) error {
	byAI := map[string]*Entry{}
	prefixLen := map[string]int{}
	for i := range entries {
		e := &entries[i]
		if byAI[e.AI] != nil {
			return fmt.Errorf("line %d: duplicate AI %s", e.Line, e.AI)
		}
		byAI[e.AI] = e
		p := e.AI[:2]
		if l, ok := prefixLen[p]; ok && l != len(e.AI) {
			return fmt.Errorf("line %d: AIs starting %s have different lengths", e.Line, p)
		}
		prefixLen[p] = len(e.AI)
	}
	matches := func(p string) bool {
		for ai := range byAI {
			if len(ai) == len(p) && matchPattern(p, ai) {
				return true
			}
		}
		return false
	}
	for _, e := range entries {
		for _, seq := range e.Qualifiers {
			for _, q := range seq {
				if byAI[q] == nil {
					return fmt.Errorf("line %d: qualifier %s of %s is not defined", e.Line, q, e.AI)
				}
			}
		}
		for _, r := range e.Req {
			for _, g := range r {
				for _, p := range g {
					if !matches(p) {
						return fmt.Errorf("line %d: req pattern %s of %s matches no AI", e.Line, p, e.AI)
					}
				}
			}
		}
		for _, p := range e.Ex {
			if !matches(p) {
				return fmt.Errorf("line %d: ex pattern %s of %s matches no AI", e.Line, p, e.AI)
			}
		}
	}
	sorted := sort.SliceIsSorted(entries, func(i, j int) bool { return entries[i].AI < entries[j].AI })
	if !sorted {
		return fmt.Errorf("entries are not in lexical AI order")
	}
	return nil
}

func matchPattern(p, ai string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != 'n' && p[i] != ai[i] {
			return false
		}
	}
	return true
}

// Generate renders the Go source of the AI table.
func Generate(entries []Entry, pkg, source, sha string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by aigen from %s; DO NOT EDIT.\n", source)
	fmt.Fprintf(&b, "// Source SHA-256: %s\n\n", sha)
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	fmt.Fprintf(&b, "// aiTable holds every AI of the GS1 Barcode Syntax Dictionary, ranges\n// expanded, in AI order.\n")
	fmt.Fprintf(&b, "var aiTable = [...]aiSpec{\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "\t{ai: %q, title: %q", e.AI, e.Title)
		if e.Fixed {
			b.WriteString(", fixed: true")
		}
		if e.DLAttribute {
			b.WriteString(", dlAttr: true")
		}
		if e.PrimaryKey {
			b.WriteString(", primaryKey: true")
		}
		b.WriteString(", comps: []component{")
		minLen, maxLen := 0, 0
		for i, c := range e.Components {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "{cset: %q, min: %d, max: %d", c.Charset, c.Min, c.Max)
			if c.Optional {
				b.WriteString(", optional: true")
			} else {
				minLen += c.Min
			}
			maxLen += c.Max
			if len(c.Linters) > 0 {
				b.WriteString(", linters: [maxLinters]linter{")
				for j, l := range c.Linters {
					if j > 0 {
						b.WriteString(", ")
					}
					b.WriteString(Linters[l])
				}
				b.WriteString("}")
			}
			b.WriteString("}")
		}
		b.WriteString("}")
		fmt.Fprintf(&b, ", minLen: %d, maxLen: %d", minLen, maxLen)
		if len(e.Qualifiers) > 0 {
			b.WriteString(", qualifiers: [][]string{")
			for i, seq := range e.Qualifiers {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(quoteList(seq))
			}
			b.WriteString("}")
		}
		if len(e.Req) > 0 {
			b.WriteString(", req: [][][]string{")
			for i, r := range e.Req {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("{")
				for j, g := range r {
					if j > 0 {
						b.WriteString(", ")
					}
					b.WriteString(quoteList(g))
				}
				b.WriteString("}")
			}
			b.WriteString("}")
		}
		if len(e.Ex) > 0 {
			fmt.Fprintf(&b, ", ex: []string%s", quoteList(e.Ex))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "{" + strings.Join(q, ", ") + "}"
}
