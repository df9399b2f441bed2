// Package resolverhttp is passport-service's GS1-Conformant resolver on
// HTTP: it answers GET, HEAD and OPTIONS on every GS1 Digital Link path of
// the service's root (/01/{gtin}/..., /00/{sscc}, /414/{gln}/..., every
// primary key of the GS1 Barcode Syntax Dictionary, and single-segment
// compressed Digital Links), and serves the resolver description file at
// /.well-known/gs1resolver.
//
// It is a plain http.Handler rather than a generated strict server: the
// URI space is GS1's, not an API of ours, and the hot path (a 307 to a
// product's default link) should cost a parse, a few map lookups and the
// response headers. api/openapi/resolver.yaml describes the same behaviour
// for clients; the component tests check every response against it.
//
// Responses:
//
//   - 307 Temporary Redirect to the chosen link (Location), with the
//     request's query string appended unless the link has fwqs=false.
//   - 300 Multiple Choices when several links fit and the request does not
//     tell them apart; the body is a GS1 linkset of the choices.
//   - 200 with the linkset (application/linkset+json) for linkType=linkset,
//     the deprecated linkType=all, or an Accept header preferring
//     application/linkset+json.
//   - 400 problem for a URI the Digital Link parser refuses, with the
//     parser's code, AI and offset as extension members; never a 200.
//   - 404 problem when no link of the requested type (or no anchor) exists.
//   - 204 for OPTIONS, with CORS preflight answers; 405 for other methods.
//
// Every response carries CORS headers (any origin; Link, Location and
// Content-Type exposed). Redirects, choices and linksets carry a Link header
// to the linkset, linksets also one to GS1's JSON-LD context, and answers to
// a compressed URI one to the uncompressed URI (rel owl:sameAs); a
// compressed URI is resolved, not redirected to its uncompressed form. A
// trailing slash is ignored.
package resolverhttp

import (
	"encoding/json"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/adapters/requestid"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl/compression"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

// Paths and header values of the resolver.
const (
	// WellKnownPath is where the resolver description file is served.
	WellKnownPath = "/.well-known/gs1resolver"
	// LinksetContextURL is GS1's JSON-LD context for linksets (R20).
	LinksetContextURL = "https://ref.gs1.org/standards/resolver/linkset-context"
	// CodeStem is the problem code for a path with a second primary key
	// after the first one's qualifiers (a stem, to the Digital Link parser).
	CodeStem = "stem-not-served"
	// CodeNotDigitalLink is the problem code for a path that is no GS1
	// Digital Link at all.
	CodeNotDigitalLink = "not-a-digital-link"
	// routeCompressed labels requests for compressed URIs in metrics and logs.
	routeCompressed = "/{compressed}"
)

// Shared header values: assigning one of these to a header map allocates
// nothing per response. net/http only reads them.
var (
	corsOrigin       = []string{"*"}
	corsExpose       = []string{"Link, Location, Content-Type"}
	allowedMethods   = []string{"GET, HEAD, OPTIONS"}
	defaultReqHeader = []string{"Accept, Accept-Language"}
	preflightMaxAge  = []string{"86400"}
	varyNegotiation  = []string{"Accept, Accept-Language"}
	linksetType      = []string{resolver.MediaTypeLinkset}
	jsonType         = []string{"application/json"}
	problemType      = []string{problem.ContentType}
	noStore          = []string{"no-store"}
	contextLink      = `<` + LinksetContextURL + `>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`
)

// Config configures the handler.
type Config struct {
	// Root is the resolver's public root URL without a trailing slash,
	// e.g. "https://id.packytrace.example". Linkset anchors and Link headers
	// use it; the Host header of a request never does.
	Root string
	// Name and Contact describe the operator in /.well-known/gs1resolver;
	// empty means DefaultName and DefaultContact.
	Name, Contact string
	// Recorder receives a scan.Scan for every GET of a valid Digital Link
	// the resolver answered (redirect, linkset, choices or not found; not
	// a 400, HEAD or OPTIONS); nil turns scan recording off. It is called
	// on the request path and must not block on I/O.
	Recorder Recorder
	// Accounts, when set, names the account of a request that carries an
	// Authorization header; nil records every scan without an account.
	Accounts Accounts
	// RegionHeader names a request header that a trusted edge sets to the
	// viewer's ISO 3166-1 alpha-2 country (e.g. CloudFront-Viewer-Country);
	// "" means none. Without it, or with a value that is no country code,
	// the region comes from the Accept-Language header.
	RegionHeader string
}

// Recorder takes the scans the resolver records.
type Recorder interface {
	Record(scan.Scan)
}

// Accounts tells whose request it is: the verified subject of the
// request's bearer token, and false when there is none or it is invalid.
type Accounts interface {
	Subject(r *http.Request) (string, bool)
}

// VisitorCookie is the gateway's pseudonymous visitor cookie, recorded with
// scans when well formed.
const VisitorCookie = "pt_visitor"

// Defaults for Config.Name and Config.Contact.
const (
	DefaultName    = "PackyTrace GS1-Conformant resolver"
	DefaultContact = "PackyTrace"
)

// Handler is the resolver's HTTP handler.
type Handler struct {
	idx     *resolver.Index
	root    string
	name    string
	contact string
	// routes maps each primary key AI to its route label ("/01/").
	routes map[string]string
	keys   []string // the primary key AIs, for the description file

	rec          Recorder
	accounts     Accounts
	regionHeader string // canonical header key, "" for none
	now          func() time.Time
}

// NewHandler returns the resolver answering from idx.
func NewHandler(idx *resolver.Index, cfg Config) *Handler {
	h := &Handler{
		idx:     idx,
		root:    strings.TrimRight(cfg.Root, "/"),
		name:    cfg.Name,
		contact: cfg.Contact,
		routes:  make(map[string]string),

		rec:      cfg.Recorder,
		accounts: cfg.Accounts,
		now:      time.Now,
	}
	if cfg.RegionHeader != "" {
		h.regionHeader = textproto.CanonicalMIMEHeaderKey(cfg.RegionHeader)
	}
	if h.name == "" {
		h.name = DefaultName
	}
	if h.contact == "" {
		h.contact = DefaultContact
	}
	for _, ai := range dl.AIs() {
		if dl.IsPrimaryKey(ai) {
			h.routes[ai] = "/" + ai + "/"
			h.keys = append(h.keys, ai)
		}
	}
	return h
}

// ServeHTTP answers one request. It sets r.Pattern to the route it took
// ("/01/", "/{compressed}", "/.well-known/gs1resolver"), as ServeMux would,
// so that metrics and access logs label requests by key type and never by
// raw path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr["Access-Control-Allow-Origin"] = corsOrigin
	hdr["Access-Control-Expose-Headers"] = corsExpose

	path := r.URL.EscapedPath()
	if len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1] // R24: a trailing slash is tolerated
	}
	if path == WellKnownPath {
		r.Pattern = WellKnownPath
		if h.method(w, r) {
			h.serveDescription(w, r)
		}
		return
	}
	first, rest := firstSegment(path)
	route, isKey := h.routes[first]
	compressed := !isKey && rest == "" && compression.Looks(first)
	switch {
	case isKey:
		r.Pattern = route
	case compressed:
		r.Pattern = routeCompressed
	default:
		writeProblem(w, r, http.StatusNotFound, CodeNotDigitalLink,
			"The path is not a GS1 Digital Link URI this resolver serves: it must start with a primary key, as in /01/{GTIN}, or be one compressed segment.", nil)
		return
	}
	if !h.method(w, r) {
		return
	}
	var (
		u      *dl.URI
		query  = r.URL.RawQuery
		sameAs string
	)
	if compressed {
		var (
			uncompressed string
			err          *dl.Error
		)
		uncompressed, query, err = decompress(first, query)
		if err != nil {
			writeProblem(w, r, http.StatusBadRequest, err.Code, "The compressed GS1 Digital Link URI is invalid: "+err.Message+".", err)
			return
		}
		sameAs = "<" + h.root + uncompressed + ">; rel=\"owl:sameAs\""
		path = uncompressed
		if i := strings.IndexByte(uncompressed, '?'); i >= 0 {
			path = uncompressed[:i]
		}
	}
	u, perr := dl.ParsePath(path, query)
	if perr != nil {
		e := asDLError(perr)
		if compressed {
			e.Offset = 1 // the parser's offset is in the uncompressed form
		}
		writeProblem(w, r, http.StatusBadRequest, e.Code, "The request is not a valid GS1 Digital Link URI: "+e.Message+".", e)
		return
	}
	if u.Stem != "" {
		// The parser takes the rightmost primary key and calls what comes
		// before it a stem; this resolver has none, so "/01/{gtin}/414/{gln}"
		// is one primary key too many.
		writeProblem(w, r, http.StatusBadRequest, CodeStem,
			"The path must be one primary key with its key qualifiers; another primary key follows.",
			&dl.Error{AI: u.PrimaryKey().AI, Offset: len(u.Stem)})
		return
	}
	h.resolve(w, r, u, query, sameAs)
}

// method answers OPTIONS and refuses methods other than GET and HEAD; it
// reports whether the request should be served.
func (h *Handler) method(w http.ResponseWriter, r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodOptions:
		hdr := w.Header()
		hdr["Allow"] = allowedMethods
		if r.Header.Get("Access-Control-Request-Method") != "" {
			hdr["Access-Control-Allow-Methods"] = allowedMethods
			if want := r.Header.Get("Access-Control-Request-Headers"); want != "" {
				hdr.Set("Access-Control-Allow-Headers", want)
			} else {
				hdr["Access-Control-Allow-Headers"] = defaultReqHeader
			}
			hdr["Access-Control-Max-Age"] = preflightMaxAge
		}
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	w.Header()["Allow"] = allowedMethods
	problem.Write(w, r, problem.New(http.StatusMethodNotAllowed,
		"Method "+r.Method+" is not allowed on a GS1 Digital Link URI; allowed: GET, HEAD, OPTIONS."))
	return false
}

// resolve answers a parsed request.
func (h *Handler) resolve(w http.ResponseWriter, r *http.Request, u *dl.URI, query, sameAs string) {
	var pathBuf [256]byte
	path := dl.AppendPath(pathBuf[:0], u.Elements[:u.PathLen])
	req := resolver.Request{
		Path:           path,
		URI:            u,
		LinkType:       queryParam(query, "linkType"),
		Context:        queryParam(query, "context"),
		Accept:         r.Header.Get("Accept"),
		AcceptLanguage: r.Header.Get("Accept-Language"),
		Query:          query,
	}
	res := resolver.Resolve(h.idx, req)
	if h.rec != nil && r.Method == http.MethodGet {
		h.record(r, u, path, req.LinkType, &res)
	}
	hdr := w.Header()
	if res.Kind == resolver.NotFound {
		if sameAs != "" {
			hdr["Link"] = []string{sameAs}
		}
		writeProblem(w, r, http.StatusNotFound, res.Code, res.Message, nil)
		return
	}
	hdr["Vary"] = varyNegotiation
	// One backing array for Location and the Link values: vals[0] is the
	// Location, vals[1:n] the Link header values.
	vals := make([]string, 4)
	n := 1
	vals[n], n = h.linksetLink(path), n+1
	if sameAs != "" {
		vals[n], n = sameAs, n+1
	}
	switch res.Kind {
	case resolver.Redirect:
		vals[0] = res.Href
		hdr["Location"] = vals[0:1:1]
		hdr["Link"] = vals[1:n:n]
		w.WriteHeader(http.StatusTemporaryRedirect)
	case resolver.Choices:
		hdr["Link"] = vals[1:n:n]
		h.writeLinkset(w, r, http.StatusMultipleChoices, res.Linkset)
	case resolver.LinksetDoc:
		vals[n], n = contextLink, n+1
		hdr["Link"] = vals[1:n:n]
		h.writeLinkset(w, r, http.StatusOK, res.Linkset)
	}
}

// record hands the scan of a resolved GET to the recorder.
func (h *Handler) record(r *http.Request, u *dl.URI, path []byte, linkType string, res *resolver.Result) {
	s := scan.FromURI(u, string(path), h.now())
	switch res.Kind {
	case resolver.Redirect:
		s.Outcome = scan.Redirect
		if res.Link != nil {
			s.LinkType = resolver.CompactLinkType(res.Link.Type)
		}
	case resolver.Choices:
		s.Outcome = scan.Choices
		if t, ok := resolver.NormalizeLinkType(linkType); ok {
			s.LinkType = resolver.CompactLinkType(t)
		}
	case resolver.LinksetDoc:
		s.Outcome = scan.Linkset
	default:
		s.Outcome = scan.NotFound
	}
	s.UserAgent = scan.ClassifyUserAgent(r.Header.Get("User-Agent"))
	s.Region = scan.Unknown
	if h.regionHeader != "" {
		if v := r.Header[h.regionHeader]; len(v) > 0 {
			s.Region = scan.NormalizeRegion(strings.TrimSpace(v[0]))
		}
	}
	if s.Region == scan.Unknown {
		s.Region = scan.RegionFromAcceptLanguage(r.Header.Get("Accept-Language"))
	}
	s.VisitorID = visitorID(r.Header["Cookie"])
	if h.accounts != nil && r.Header.Get("Authorization") != "" {
		if sub, ok := h.accounts.Subject(r); ok {
			s.AccountID = sub
		}
	}
	h.rec.Record(s)
}

// visitorID finds a well-formed pt_visitor cookie in the Cookie header
// lines without parsing every cookie; "" when there is none.
func visitorID(lines []string) string {
	for _, line := range lines {
		for line != "" {
			var pair string
			pair, line, _ = strings.Cut(line, ";")
			name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && name == VisitorCookie {
				if value = strings.Trim(value, `"`); scan.ValidVisitorID(value) {
					return value
				}
				return ""
			}
		}
	}
	return ""
}

// linksetLink is the Link header value pointing at the linkset of the
// request's canonical path (R19).
func (h *Handler) linksetLink(path []byte) string {
	var buf [512]byte
	b := append(buf[:0], '<')
	b = append(b, h.root...)
	b = append(b, path...)
	b = append(b, `?linkType=linkset>; rel="linkset"; type="application/linkset+json"`...)
	return string(b)
}

func (h *Handler) writeLinkset(w http.ResponseWriter, r *http.Request, status int, cs []resolver.Context) {
	body := resolver.AppendLinkset(make([]byte, 0, 1024), h.root, cs)
	hdr := w.Header()
	hdr["Content-Type"] = linksetType
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // the status is sent; a failed write has no one to tell
	}
}

// firstSegment splits "/01/0950.../10/X" into "01" and "/0950.../10/X".
func firstSegment(path string) (first, rest string) {
	if path == "" || path[0] != '/' {
		return "", path
	}
	path = path[1:]
	if i := strings.IndexByte(path, '/'); i >= 0 {
		return path[:i], path[i:]
	}
	return path, ""
}

// queryParam returns the first value of the non-GS1 query parameter name
// ("linkType", "context"), decoded; "" when absent. It does not allocate
// unless the value is percent-encoded.
func queryParam(rawQuery, name string) string {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k != name {
			continue
		}
		if d, err := url.QueryUnescape(v); err == nil {
			return d
		}
		return v
	}
	return ""
}

// decompress turns a compressed Digital Link segment into its uncompressed
// path and query ("/01/.../10/LOT?17=261231&foo=bar") and the query to
// resolve with: the uncompressed URI's query followed by the request's own.
func decompress(segment, rawQuery string) (uncompressed, query string, err *dl.Error) {
	elems, other, derr := compression.Decompress(segment)
	if derr != nil {
		e := asDLError(derr)
		e.Offset++ // count the leading "/"
		return "", "", e
	}
	const host = "resolver.invalid"
	full, berr := dl.BuildURI(elems, host)
	if berr != nil {
		e := asDLError(berr)
		e.Offset = 1 // BuildURI counts elements, not characters
		return "", "", e
	}
	uncompressed = strings.TrimPrefix(full, "https://"+host)
	var b strings.Builder
	b.WriteString(uncompressed)
	sep := byte('?')
	if strings.IndexByte(uncompressed, '?') >= 0 {
		sep = '&'
	}
	for _, kv := range other {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(dl.Escape(kv[0]))
		b.WriteByte('=')
		b.WriteString(dl.Escape(kv[1]))
	}
	uncompressed = b.String()
	if i := strings.IndexByte(uncompressed, '?'); i >= 0 {
		query = uncompressed[i+1:]
	}
	switch {
	case rawQuery == "":
	case query == "":
		query = rawQuery
	default:
		query += "&" + rawQuery
	}
	return uncompressed, query, nil
}

// asDLError returns the *dl.Error in err, or a syntax error wrapping it.
func asDLError(err error) *dl.Error {
	if e, ok := err.(*dl.Error); ok { //nolint:errorlint // the dl packages return *dl.Error unwrapped
		c := *e
		return &c
	}
	return &dl.Error{Code: dl.CodeSyntax, Message: err.Error()}
}

// resolverProblem is an RFC 9457 problem with the Digital Link error's code,
// AI and offset as extension members.
type resolverProblem struct {
	problem.Problem
	// Code is a stable machine-readable reason: a dl error code for a 400,
	// a resolver reason (resolver.Code*) for a 404.
	Code   string `json:"code"`
	AI     string `json:"ai,omitempty"`
	Offset *int   `json:"offset,omitempty"`
}

// writeProblem sends a problem document; e, when set, gives the AI and the
// offset of a Digital Link error.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, detail string, e *dl.Error) {
	p := resolverProblem{Problem: problem.New(status, detail), Code: code}
	p.Instance = r.URL.Path
	p.RequestID = requestid.From(r.Context())
	if e != nil {
		p.AI = e.AI
		off := e.Offset
		p.Offset = &off
	}
	hdr := w.Header()
	hdr["Content-Type"] = problemType
	hdr["Cache-Control"] = noStore
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_ = json.NewEncoder(w).Encode(p) // the status is sent; a failed write has no one to tell
	}
}

// PrincipalAccounts is the Accounts of a handler behind the daemon's
// middleware: auth.Middleware has verified the bearer token (and refused
// the request if it was bad), so the account is the principal's subject.
type PrincipalAccounts struct{}

// Subject implements Accounts.
func (PrincipalAccounts) Subject(r *http.Request) (string, bool) {
	p, ok := auth.PrincipalFrom(r.Context())
	return p.Subject, ok && p.Subject != ""
}
