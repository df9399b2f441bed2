package dl

//go:generate go run ./internal/aigen -in data/gs1-syntax-dictionary.txt -out aitable_gen.go -pkg dl

// linter identifies a content check of the GS1 Barcode Syntax Dictionary.
// The generated table names them; lint.go implements them.
type linter uint8

// The linters, named after the dictionary's linter names.
const (
	lintNone linter = iota
	lintCouponCode
	lintCouponPosOffer
	lintCsum
	lintCsumAlpha
	lintGCPPos1
	lintGCPPos2
	lintHasNonDigit
	lintHH
	lintHHMI
	lintHHMM
	lintHyphen
	lintIBAN
	lintImporterIdx
	lintISO3166
	lintISO3166999
	lintISO3166Alpha2
	lintISO4217
	lintISO5218
	lintKey
	lintKeyOff1
	lintLatitude
	lintLatLong
	lintLongitude
	lintMediaType
	lintMI
	lintMM
	lintMMOptSS
	lintNonZero
	lintNoZeroPrefix
	lintPackageType
	lintPcEnc
	lintPieceOfTotal
	lintPosInSeqSlash
	lintSS
	lintWinding
	lintYesNo
	lintYYMMD0
	lintYYMMDD
	lintYYMMDDHH
	lintYYYYMMD0
	lintYYYYMMDD
	lintZero
	numLinters
)

// linterNames are the dictionary names of the linters, by linter.
var linterNames = [numLinters]string{
	lintCouponCode: "couponcode", lintCouponPosOffer: "couponposoffer", lintCsum: "csum",
	lintCsumAlpha: "csumalpha", lintGCPPos1: "gcppos1", lintGCPPos2: "gcppos2",
	lintHasNonDigit: "hasnondigit", lintHH: "hh", lintHHMI: "hhmi", lintHHMM: "hhmm",
	lintHyphen: "hyphen", lintIBAN: "iban", lintImporterIdx: "importeridx",
	lintISO3166: "iso3166", lintISO3166999: "iso3166999", lintISO3166Alpha2: "iso3166alpha2",
	lintISO4217: "iso4217", lintISO5218: "iso5218",
	lintKey: "key", lintKeyOff1: "keyoff1", lintLatitude: "latitude", lintLatLong: "latlong",
	lintLongitude: "longitude", lintMediaType: "mediatype", lintMI: "mi", lintMM: "mm",
	lintMMOptSS: "mmoptss", lintNonZero: "nonzero", lintNoZeroPrefix: "nozeroprefix",
	lintPackageType: "packagetype", lintPcEnc: "pcenc", lintPieceOfTotal: "pieceoftotal",
	lintPosInSeqSlash: "posinseqslash", lintSS: "ss", lintWinding: "winding",
	lintYesNo: "yesno", lintYYMMD0: "yymmd0", lintYYMMDD: "yymmdd", lintYYMMDDHH: "yymmddhh",
	lintYYYYMMD0: "yyyymmd0", lintYYYYMMDD: "yyyymmdd", lintZero: "zero",
}

// maxLinters is the most linters a component names (the generator enforces
// the same limit).
const maxLinters = 4

// component is one part of an AI's value format, e.g. "N13,csum".
type component struct {
	cset     byte // 'N' numeric, 'X' CSET 82, 'Y' CSET 39, 'Z' CSET 64 (base64url)
	min, max uint8
	optional bool
	linters  [maxLinters]linter
}

// aiSpec is one AI of the dictionary.
type aiSpec struct {
	ai, title  string
	fixed      bool // predefined length: no FNC1 separator follows it in raw element strings
	dlAttr     bool // permitted as a Digital Link data attribute (query)
	primaryKey bool // a Digital Link primary key
	comps      []component
	// minLen and maxLen bound the whole value (optional components excluded
	// from minLen).
	minLen, maxLen uint8
	// qualifiers are the alternative ordered key-qualifier sequences of a
	// primary key ("dlpkey=22,10,21|235").
	qualifiers [][]string
	// req holds one entry per req= attribute; each is satisfied when all
	// patterns of one of its groups are present ("req=01+21,02").
	req [][][]string
	// ex are patterns of AIs that must not appear together with this one.
	ex []string

	// Filled in by init from the fields above, for fast matching.
	num   uint16          // the AI as a number
	qualP [][]*aiSpec     // qualifiers, resolved to their entries
	exP   []aiPattern     // ex, compiled
	reqP  [][][]aiPattern // req, compiled
}

// aiPattern is a compiled req/ex pattern: AIs of length n whose numeric
// value lies in [lo, hi] ("31nn" is n=4, 3100..3199).
type aiPattern struct {
	n      uint8
	lo, hi uint16
}

func compilePattern(p string) aiPattern {
	lo, hi := 0, 0
	for i := 0; i < len(p); i++ {
		if p[i] == 'n' {
			lo, hi = lo*10, hi*10+9
			continue
		}
		lo, hi = lo*10+int(p[i]-'0'), hi*10+int(p[i]-'0')
	}
	return aiPattern{n: uint8(len(p)), lo: uint16(lo), hi: uint16(hi)}
}

// matches reports whether the AI of s matches p.
func (p aiPattern) matches(s *aiSpec) bool {
	return len(s.ai) == int(p.n) && s.num >= p.lo && s.num <= p.hi
}

// Slots is the number of AI slots: two-digit AIs at [0,100), three-digit at
// [100,1100), four-digit at [1100,11100).
const Slots = 11100

// Slot maps an AI of 2 to 4 digits to its slot in [0, Slots), so that tables
// keyed by AI can be arrays; ok is false for anything else. Every AI has its
// own slot ("01" and "001" differ).
func Slot(ai string) (slot int, ok bool) {
	n := 0
	for i := 0; i < len(ai); i++ {
		c := ai[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return SlotOf(len(ai), n)
}

// SlotOf is Slot for an AI given as its digit count (2 to 4) and numeric
// value, for callers that decoded the digits themselves.
func SlotOf(width, n int) (slot int, ok bool) {
	var base, limit int // limit is 10^width
	switch width {
	case 2:
		base, limit = 0, 100
	case 3:
		base, limit = 100, 1000
	case 4:
		base, limit = 1100, 10000
	default:
		return 0, false
	}
	if n < 0 || n >= limit {
		return 0, false
	}
	return base + n, true
}

// aiIndex maps an AI's Slot to 1 + its position in aiTable.
var aiIndex [Slots]uint16

// prefixLen is the AI length implied by the first two digits, 0 if no AI
// starts with them.
var prefixLen [100]uint8

// infos are the exported views of aiTable, by position.
var infos [len(aiTable)]AIInfo

func init() {
	for i := range aiTable {
		s := &aiTable[i]
		slot, ok := Slot(s.ai)
		if !ok {
			panic("dl: generated AI table holds " + s.ai + ", not 2 to 4 digits")
		}
		aiIndex[slot] = uint16(i + 1)
		n := 0
		for j := 0; j < len(s.ai); j++ {
			n = n*10 + int(s.ai[j]-'0')
		}
		s.num = uint16(n)
		for _, p := range s.ex {
			s.exP = append(s.exP, compilePattern(p))
		}
		for _, alts := range s.req {
			var ca [][]aiPattern
			for _, g := range alts {
				var cg []aiPattern
				for _, p := range g {
					cg = append(cg, compilePattern(p))
				}
				ca = append(ca, cg)
			}
			s.reqP = append(s.reqP, ca)
		}
		prefixLen[int(s.ai[0]-'0')*10+int(s.ai[1]-'0')] = uint8(len(s.ai))
		infos[i] = newInfo(s)
	}
	// Qualifiers may come later in the table than their key, so they are
	// resolved once the index is complete.
	for i := range aiTable {
		s := &aiTable[i]
		for _, seq := range s.qualifiers {
			q := make([]*aiSpec, len(seq))
			for j, ai := range seq {
				q[j] = lookup(ai)
			}
			s.qualP = append(s.qualP, q)
		}
	}
}

// lookup returns the spec of ai, or nil when ai is not a known AI. It
// neither allocates nor hashes.
func lookup(ai string) *aiSpec {
	if i := lookupIndex(ai); i >= 0 {
		return &aiTable[i]
	}
	return nil
}

// lookupIndex returns the position of ai in aiTable, or -1.
func lookupIndex(ai string) int {
	slot, ok := Slot(ai)
	if !ok {
		return -1
	}
	return int(aiIndex[slot]) - 1
}

// allDigits reports whether s is non-empty and all ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// AILength is the length of every AI that starts with the two digits
// prefix2 (2, 3 or 4), or 0 when no AI starts with them or prefix2 is not
// two digits. The dictionary guarantees one length per prefix.
func AILength(prefix2 string) int {
	if len(prefix2) != 2 || !allDigits(prefix2) {
		return 0
	}
	return int(prefixLen[int(prefix2[0]-'0')*10+int(prefix2[1]-'0')])
}

// Component is one part of an AI's value format as the dictionary gives it,
// e.g. "N13,csum" or "[X..17]".
type Component struct {
	// Charset is 'N' (digits), 'X' (CSET 82), 'Y' (CSET 39) or 'Z' (CSET 64, base64url).
	Charset byte
	// Min and Max are the allowed lengths (equal for a fixed-length component).
	Min, Max int
	// Optional components may be left out at the end of the value.
	Optional bool
	// Linters are the dictionary names of the content checks.
	Linters []string
}

// AIInfo describes one AI of the dictionary.
type AIInfo struct {
	// AI is the Application Identifier, e.g. "01".
	AI string
	// Title is the dictionary's short title, e.g. "GTIN".
	Title string
	// Predefined is the dictionary's "*" flag: a predefined-length AI that
	// needs no FNC1 separator in raw element strings.
	Predefined bool
	// DLAttribute is the "?" flag: allowed as a Digital Link query attribute.
	DLAttribute bool
	// PrimaryKey is true for Digital Link primary keys ("dlpkey").
	PrimaryKey bool
	// Components are the value's format components, in order. Shared: do
	// not modify.
	Components []Component
	// MinLength and MaxLength bound the value length.
	MinLength, MaxLength int
}

// FixedNumeric reports whether the value is all digits of one fixed length
// (every component numeric, mandatory and of fixed length), and that length.
func (i AIInfo) FixedNumeric() (length int, ok bool) {
	for _, c := range i.Components {
		if c.Charset != 'N' || c.Optional || c.Min != c.Max {
			return 0, false
		}
		length += c.Max
	}
	return length, len(i.Components) > 0
}

func newInfo(s *aiSpec) AIInfo {
	info := AIInfo{
		AI: s.ai, Title: s.title, Predefined: s.fixed, DLAttribute: s.dlAttr,
		PrimaryKey: s.primaryKey, MinLength: int(s.minLen), MaxLength: int(s.maxLen),
	}
	for _, c := range s.comps {
		oc := Component{Charset: c.cset, Min: int(c.min), Max: int(c.max), Optional: c.optional}
		for _, l := range c.linters {
			if l != lintNone {
				oc.Linters = append(oc.Linters, linterNames[l])
			}
		}
		info.Components = append(info.Components, oc)
	}
	return info
}

// Spec returns the dictionary entry of ai ("01", "3103", ...) and whether
// ai is a known AI.
func Spec(ai string) (AIInfo, bool) {
	i := lookupIndex(ai)
	if i < 0 {
		return AIInfo{}, false
	}
	return infos[i], true
}

// AIs lists every AI of the dictionary in AI order.
func AIs() []string {
	out := make([]string, len(aiTable))
	for i := range aiTable {
		out[i] = aiTable[i].ai
	}
	return out
}

// IsPrimaryKey reports whether ai is a Digital Link primary key.
func IsPrimaryKey(ai string) bool {
	s := lookup(ai)
	return s != nil && s.primaryKey
}

// QualifiersOf returns the alternative ordered key-qualifier sequences of
// the primary key primaryAI (for "01": [[22 10 21] [235]]), or nil when it
// has none or is not a primary key. Shared: do not modify.
func QualifiersOf(primaryAI string) [][]string {
	s := lookup(primaryAI)
	if s == nil || !s.primaryKey {
		return nil
	}
	return s.qualifiers
}

// AttributeAllowed reports whether ai may carry a value in a Digital Link
// URI whose primary key is primary: as a key qualifier of primary, or as a
// query attribute (the dictionary's "?" flag) other than the key itself.
// It is meant for checking templates such as "{10}" in link targets.
func AttributeAllowed(primary, ai string) bool {
	p, s := lookup(primary), lookup(ai)
	if p == nil || s == nil || !p.primaryKey || primary == ai {
		return false
	}
	for _, seq := range p.qualifiers {
		for _, q := range seq {
			if q == ai {
				return true
			}
		}
	}
	return s.dlAttr
}

// matchPattern reports whether ai matches a req/ex pattern such as "31nn"
// ('n' stands for any digit).
func matchPattern(p, ai string) bool {
	if len(p) != len(ai) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] != 'n' && p[i] != ai[i] {
			return false
		}
	}
	return true
}
