package resolver

import (
	"slices"
	"strings"
)

// Namespace is the canonical namespace of the GS1 Web Vocabulary. Link types
// are stored and emitted as full URIs in this namespace.
const Namespace = "https://gs1.org/voc/"

// Prefix is the CURIE prefix that stands for Namespace in linkType parameters
// and in the resolver description file.
const Prefix = "gs1:"

// Link types the resolver gives a meaning of its own.
const (
	// LinkTypeDefault is gs1:defaultLink, the link a request without a
	// linkType is redirected to.
	LinkTypeDefault = Namespace + "defaultLink"
	// LinkTypeDefaultMulti is gs1:defaultLinkMulti: several default links
	// told apart by the request's language, media type or context.
	LinkTypeDefaultMulti = Namespace + "defaultLinkMulti"
	// LinkTypeDPP is gs1:dpp, the Digital Product Passport.
	LinkTypeDPP = Namespace + "dpp"
)

// vocabularyTerms are the GS1 Web Vocabulary link types: the list kept in
// gs1/digital-link.js src/data/webVoc.js (2022) plus dpp, which newer GS1
// linksets use (GS1 linkset examples; https://ref.gs1.org/voc/data/linktypes).
var vocabularyTerms = [...]string{
	"activityIdeas", "allergenInfo", "brandHomepageClinical", "brandHomepagePatient",
	"careersInfo", "certificationInfo", "consumerHandlingStorageInfo", "defaultLink",
	"defaultLinkMulti", "dpp", "epcis", "epil", "eventsInfo", "faqs", "handledBy",
	"hasRetailers", "homepage", "ingredientsInfo", "instructions", "jws", "leaveReview",
	"locationInfo", "logisticsInfo", "masterData", "menuInfo", "nutritionalInfo",
	"openingHoursInfo", "paymentLink", "pip", "productSustainabilityInfo", "promotion",
	"purchaseSuppliesOrAccessories", "quickStartGuide", "recallStatus", "recipeInfo",
	"registerProduct", "registryEntry", "relatedVideo", "review", "safetyInfo",
	"scheduleTime", "serviceInfo", "smartLabel", "smpc", "socialMedia", "statisticInfo",
	"support", "sustainabilityInfo", "traceability", "tutorial", "userAgreement",
	"verificationService", "whatsInTheBox",
}

// canonicalLinkTypes maps a vocabulary term to its full canonical URI, built
// once so that normalising a request's linkType allocates nothing.
var canonicalLinkTypes = func() map[string]string {
	m := make(map[string]string, len(vocabularyTerms))
	for _, t := range vocabularyTerms {
		m[t] = Namespace + t
	}
	return m
}()

// namespaceSpellings are the spellings of the GS1 Web Vocabulary namespace
// GS1's resolver test suite treats as one (GS1DL-resolver-testsuite, line
// 1091), with http:// variants. Scheme and host compare case-insensitively.
var namespaceSpellings = [...]string{
	"https://gs1.org/voc/", "https://ref.gs1.org/voc/", "https://www.gs1.org/voc/",
	"http://gs1.org/voc/", "http://ref.gs1.org/voc/", "http://www.gs1.org/voc/",
}

// NormalizeLinkType turns a link type written as a gs1: CURIE ("gs1:pip") or
// as a full URI in any accepted spelling of the GS1 Web Vocabulary namespace
// ("https://ref.gs1.org/voc/pip") into its canonical full URI
// ("https://gs1.org/voc/pip"). ok is false when s is not a GS1 Web Vocabulary
// link type; the vocabulary term itself is case-sensitive. It does not
// allocate.
func NormalizeLinkType(s string) (canonical string, ok bool) {
	term, found := vocabularyTerm(s)
	if !found {
		return "", false
	}
	canonical, ok = canonicalLinkTypes[term]
	return canonical, ok
}

// vocabularyTerm strips the gs1: prefix or a namespace spelling from s.
func vocabularyTerm(s string) (string, bool) {
	if len(s) > len(Prefix) && strings.EqualFold(s[:len(Prefix)], Prefix) {
		return s[len(Prefix):], true
	}
	for _, ns := range namespaceSpellings {
		if len(s) > len(ns) && strings.EqualFold(s[:len(ns)], ns) {
			return s[len(ns):], true
		}
	}
	return "", false
}

// LinkTypes returns the canonical URIs of every GS1 Web Vocabulary link type
// the resolver knows, sorted.
func LinkTypes() []string {
	out := make([]string, 0, len(canonicalLinkTypes))
	for _, c := range canonicalLinkTypes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// CompactLinkType returns the gs1: CURIE for a canonical link type URI
// ("https://gs1.org/voc/pip" -> "gs1:pip"), or s unchanged when it is not in
// the canonical namespace.
func CompactLinkType(s string) string {
	if strings.HasPrefix(s, Namespace) {
		return Prefix + s[len(Namespace):]
	}
	return s
}
