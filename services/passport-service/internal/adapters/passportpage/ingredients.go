package passportpage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/packytrace/packytrace/services/passport-service/internal/core/catalog"
)

// segment is a run of ingredients text, marked when it names an allergen.
type segment struct {
	Text     string
	Allergen bool
}

// maxMarked bounds an Open Food Facts _allergen_ mark: longer runs between
// two underscores are not a mark but text that happens to hold underscores.
const maxMarked = 60

// highlight splits an ingredients list into segments with the allergens
// marked. Two sources mark them: the list's own _underscores_ (Open Food
// Facts' convention), and words that name one of the product's declared
// allergens or traces (declared is a mask from allergenMask), looked up in
// the keyword lists of the text's language (lang), or of every language
// when there is no list for it.
func highlight(text, lang string, declared uint32) []segment {
	var out []segment
	plain := func(s string) {
		if s != "" {
			out = append(out, keywordSegments(s, lang, declared)...)
		}
	}
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '_' {
			continue
		}
		j := strings.IndexByte(text[i+1:], '_')
		if j <= 0 || j > maxMarked {
			continue
		}
		inner := text[i+1 : i+1+j]
		if strings.ContainsAny(inner, "\n\r") || strings.TrimSpace(inner) != inner {
			continue
		}
		plain(text[start:i])
		out = append(out, segment{Text: inner, Allergen: true})
		i += j + 1
		start = i + 1
	}
	plain(text[start:])
	return out
}

// keywordSegments marks the words of s that name a declared allergen.
func keywordSegments(s, lang string, declared uint32) []segment {
	kw := keywordsFor(lang)
	if declared == 0 || kw == nil {
		return []segment{{Text: s}}
	}
	var out []segment
	start := 0 // start of the pending plain text
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		if kw.match(strings.ToLower(s[i:j]))&declared != 0 {
			if start < i {
				out = append(out, segment{Text: s[start:i]})
			}
			out = append(out, segment{Text: s[i:j], Allergen: true})
			start = j
		}
		i = j
	}
	if start < len(s) {
		out = append(out, segment{Text: s[start:]})
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// allergenMask returns the set of allergens as a bit mask (bit i for
// catalog.Allergens[i]); unknown ids are left out.
func allergenMask(lists ...[]catalog.Allergen) uint32 {
	var m uint32
	for _, l := range lists {
		for _, a := range l {
			m |= allergenBit(a)
		}
	}
	return m
}

func allergenBit(a catalog.Allergen) uint32 {
	for i, b := range catalog.Allergens {
		if a == b {
			return 1 << i
		}
	}
	return 0
}

// keywords are one language's words for the allergens: whole words, and for
// languages that build compound nouns (German, Dutch) stems matched anywhere
// inside a word ("Weizenmehl", "magermelkpoeder").
type keywords struct {
	words map[string]uint32
	stems []keywordStem
}

type keywordStem struct {
	stem string
	mask uint32
}

// match returns the allergens word (lower case) names.
func (k *keywords) match(word string) uint32 {
	m := k.words[word]
	for _, s := range k.stems {
		if strings.Contains(word, s.stem) {
			m |= s.mask
		}
	}
	return m
}

// keywordsFor returns the keyword list for a language tag ("de-CH" uses
// "de"), or, when the language has none, the union of all whole-word lists
// (stems are left out there: "room" is cream in Dutch but also the end of
// "mushroom").
func keywordsFor(lang string) *keywords {
	base := strings.ToLower(lang)
	if i := strings.IndexByte(base, '-'); i >= 0 {
		base = base[:i]
	}
	if k, ok := keywordsByLang[base]; ok {
		return k
	}
	return allKeywords
}

// sulphiteENumbers are the sulphite additives E220 to E228 (Regulation (EC)
// No 1333/2008, Annex II), written the same way in every language.
const sulphiteENumbers = " e220 e221 e222 e223 e224 e225 e226 e227 e228"

// wordLists and stemLists are the keyword lists, written for this page from
// the Annex II wording (food-domain.md section 5) and the words labels
// commonly use for each allergen's products. They help the reader; the
// declared lists below the ingredients remain the reference.
var wordLists = map[string]map[catalog.Allergen]string{
	"en": {
		catalog.Gluten:      "gluten wheat rye barley oat oats spelt kamut khorasan triticale semolina durum bulgur",
		catalog.Wheat:       "wheat spelt kamut khorasan semolina durum bulgur",
		catalog.Crustaceans: "crustacean crustaceans shrimp shrimps prawn prawns crab crabs lobster lobsters crayfish langoustine langoustines",
		catalog.Eggs:        "egg eggs",
		catalog.Fish:        "fish anchovy anchovies salmon tuna cod sardine sardines mackerel haddock pollock trout herring",
		catalog.Peanuts:     "peanut peanuts groundnut groundnuts",
		catalog.Soybeans:    "soy soya soybean soybeans tofu edamame",
		catalog.Milk:        "milk butter buttermilk cream cheese whey lactose yoghurt yogurt casein caseinate caseinates ghee curd",
		catalog.Nuts:        "nut nuts almond almonds hazelnut hazelnuts walnut walnuts cashew cashews pecan pecans pistachio pistachios macadamia",
		catalog.TreeNuts:    "nut nuts almond almonds hazelnut hazelnuts walnut walnuts cashew cashews pecan pecans pistachio pistachios macadamia",
		catalog.Celery:      "celery celeriac",
		catalog.Mustard:     "mustard",
		catalog.Sesame:      "sesame tahini",
		catalog.Sulphites:   "sulphite sulphites sulfite sulfites metabisulphite metabisulfite disulphite disulfite sulphur sulfur" + sulphiteENumbers,
		catalog.Lupin:       "lupin lupins lupine",
		catalog.Molluscs:    "mollusc molluscs mussel mussels oyster oysters clam clams squid octopus scallop scallops snail snails",
	},
	"fr": {
		catalog.Gluten:      "gluten blé blés froment seigle orge avoine épeautre kamut triticale semoule",
		catalog.Wheat:       "blé blés froment épeautre kamut semoule",
		catalog.Crustaceans: "crustacé crustacés crevette crevettes crabe crabes homard homards langoustine langoustines écrevisse écrevisses",
		catalog.Eggs:        "œuf œufs oeuf oeufs",
		catalog.Fish:        "poisson poissons anchois saumon thon cabillaud morue sardine sardines maquereau truite hareng",
		catalog.Peanuts:     "arachide arachides cacahuète cacahuètes cacahouète cacahouètes",
		catalog.Soybeans:    "soja tofu",
		catalog.Milk:        "lait laits laitier laitiers laitière laitières beurre crème fromage fromages lactosérum lactose babeurre caséine caséinate caséinates yaourt",
		catalog.Nuts:        "noix noisette noisettes amande amandes cajou pistache pistaches pécan pécans macadamia",
		catalog.TreeNuts:    "noix noisette noisettes amande amandes cajou pistache pistaches pécan pécans macadamia",
		catalog.Celery:      "céleri",
		catalog.Mustard:     "moutarde",
		catalog.Sesame:      "sésame",
		catalog.Sulphites:   "sulfite sulfites bisulfite disulfite métabisulfite sulfureux" + sulphiteENumbers,
		catalog.Lupin:       "lupin lupins",
		catalog.Molluscs:    "mollusque mollusques moule moules huître huîtres calmar calmars encornet encornets poulpe escargot escargots",
	},
	"de": {
		catalog.Eggs:      "ei eier eiweiß eiweiss",
		catalog.Nuts:      "nuss nüsse schalenfrüchte",
		catalog.TreeNuts:  "nuss nüsse schalenfrüchte",
		catalog.Sulphites: sulphiteENumbers,
	},
	"es": {
		catalog.Gluten:      "gluten trigo centeno cebada avena espelta kamut sémola",
		catalog.Wheat:       "trigo espelta kamut sémola",
		catalog.Crustaceans: "crustáceo crustáceos gamba gambas langostino langostinos cangrejo cangrejos bogavante langosta",
		catalog.Eggs:        "huevo huevos",
		catalog.Fish:        "pescado pescados pez anchoa anchoas salmón atún bacalao sardina sardinas caballa merluza",
		catalog.Peanuts:     "cacahuete cacahuetes cacahuate cacahuates maní",
		catalog.Soybeans:    "soja soya tofu",
		catalog.Milk:        "leche lácteo lácteos láctea lácteas mantequilla nata queso quesos suero lactosa caseína caseinato yogur",
		catalog.Nuts:        "almendra almendras avellana avellanas nuez nueces anacardo anacardos pistacho pistachos pacana pacanas macadamia",
		catalog.TreeNuts:    "almendra almendras avellana avellanas nuez nueces anacardo anacardos pistacho pistachos pacana pacanas macadamia",
		catalog.Celery:      "apio",
		catalog.Mustard:     "mostaza",
		catalog.Sesame:      "sésamo ajonjolí",
		catalog.Sulphites:   "sulfito sulfitos bisulfito metabisulfito sulfuroso" + sulphiteENumbers,
		catalog.Lupin:       "altramuz altramuces lupino",
		catalog.Molluscs:    "molusco moluscos mejillón mejillones ostra ostras almeja almejas calamar calamares pulpo sepia",
	},
	"it": {
		catalog.Gluten:      "glutine grano frumento segale orzo avena farro kamut semola",
		catalog.Wheat:       "grano frumento farro kamut semola",
		catalog.Crustaceans: "crostaceo crostacei gambero gamberi gamberetti granchio aragosta scampi",
		catalog.Eggs:        "uovo uova tuorlo",
		catalog.Fish:        "pesce pesci acciuga acciughe alici salmone tonno merluzzo sardine",
		catalog.Peanuts:     "arachide arachidi",
		catalog.Soybeans:    "soia tofu",
		catalog.Milk:        "latte lattosio lattiero lattieri burro panna formaggio formaggi siero caseina caseinato yogurt",
		catalog.Nuts:        "mandorla mandorle nocciola nocciole noce noci anacardi pistacchio pistacchi pecan macadamia",
		catalog.TreeNuts:    "mandorla mandorle nocciola nocciole noce noci anacardi pistacchio pistacchi pecan macadamia",
		catalog.Celery:      "sedano",
		catalog.Mustard:     "senape",
		catalog.Sesame:      "sesamo",
		catalog.Sulphites:   "solfito solfiti solforosa metabisolfito" + sulphiteENumbers,
		catalog.Lupin:       "lupino lupini",
		catalog.Molluscs:    "mollusco molluschi cozze ostriche vongole calamaro calamari polpo seppia",
	},
	"nl": {
		catalog.Eggs:      "ei eieren",
		catalog.Fish:      "vis",
		catalog.Milk:      "wei",
		catalog.Nuts:      "noot noten",
		catalog.TreeNuts:  "noot noten",
		catalog.Sulphites: sulphiteENumbers,
	},
}

// stemLists hold the stems of compound-building languages. Short stems that
// occur inside unrelated words ("ei" in "Reis", "vis" in "visueel") are
// whole words in wordLists instead.
var stemLists = map[string]map[catalog.Allergen]string{
	"de": {
		catalog.Gluten:      "gluten weizen roggen gerste hafer dinkel kamut",
		catalog.Wheat:       "weizen dinkel kamut",
		catalog.Crustaceans: "krebs garnele krabbe hummer languste shrimp",
		catalog.Eggs:        "eigelb hühnerei vollei eipulver",
		catalog.Fish:        "fisch sardelle lachs kabeljau hering forelle makrele",
		catalog.Peanuts:     "erdnuss erdnüsse",
		catalog.Soybeans:    "soja tofu",
		catalog.Milk:        "milch butter sahne rahm käse molke laktose lactose joghurt quark",
		catalog.Nuts:        "haselnuss haselnüsse mandel walnuss walnüsse cashew pistazie pekannuss macadamia paranuss",
		catalog.TreeNuts:    "haselnuss haselnüsse mandel walnuss walnüsse cashew pistazie pekannuss macadamia paranuss",
		catalog.Celery:      "sellerie",
		catalog.Mustard:     "senf",
		catalog.Sesame:      "sesam",
		catalog.Sulphites:   "sulfit schwefeldioxid",
		catalog.Lupin:       "lupin",
		catalog.Molluscs:    "weichtier muschel auster tintenfisch schnecke",
	},
	"nl": {
		catalog.Gluten:      "gluten tarwe rogge gerst haver spelt kamut",
		catalog.Wheat:       "tarwe spelt kamut",
		catalog.Crustaceans: "schaaldier garnaal garnalen krab kreeft",
		catalog.Eggs:        "eigeel kippenei volei eipoeder",
		catalog.Fish:        "visolie vissaus ansjovis zalm tonijn kabeljauw haring makreel",
		catalog.Peanuts:     "pinda aardnoot",
		catalog.Soybeans:    "soja tofu",
		catalog.Milk:        "melk boter room kaas weipoeder lactose caseïne yoghurt",
		catalog.Nuts:        "hazelno amandel walno cashew pistache pecan macadamia",
		catalog.TreeNuts:    "hazelno amandel walno cashew pistache pecan macadamia",
		catalog.Celery:      "selderij",
		catalog.Mustard:     "mosterd",
		catalog.Sesame:      "sesam",
		catalog.Sulphites:   "sulfiet zwaveldioxide",
		catalog.Lupin:       "lupine",
		catalog.Molluscs:    "weekdier mossel oester inktvis slak",
	},
}

// keywordsByLang and allKeywords are built once from the lists.
var keywordsByLang, allKeywords = buildKeywords()

func buildKeywords() (map[string]*keywords, *keywords) {
	by := make(map[string]*keywords)
	all := &keywords{words: make(map[string]uint32)}
	get := func(lang string) *keywords {
		k := by[lang]
		if k == nil {
			k = &keywords{words: make(map[string]uint32)}
			by[lang] = k
		}
		return k
	}
	for lang, lists := range wordLists {
		k := get(lang)
		for a, words := range lists {
			for _, w := range strings.Fields(words) {
				k.words[w] |= allergenBit(a)
				all.words[w] |= allergenBit(a)
			}
		}
	}
	for lang, lists := range stemLists {
		k := get(lang)
		for _, a := range catalog.Allergens { // fixed order, so matching is deterministic
			for _, s := range strings.Fields(lists[a]) {
				k.stems = append(k.stems, keywordStem{stem: s, mask: allergenBit(a)})
			}
		}
	}
	return by, all
}
