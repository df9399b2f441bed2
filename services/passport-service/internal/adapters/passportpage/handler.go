// Package passportpage serves the shopper's product passport: the HTML page
// a scan of a pack lands on, at /passport/{GS1 Digital Link path}, e.g.
// /passport/01/09506000134352/10/LOT42/21/S1?17=261231. The resolver
// redirects a scan there with the scanned path and query.
//
// The page is rendered on the server from html/template files embedded in
// the binary and parsed once; it has no JavaScript and no external assets
// (the style sheet is inline and allowed by its hash in the
// Content-Security-Policy), so it is readable on any phone and fast on a
// slow network. Its own texts exist in English, French, German, Spanish,
// Italian and Dutch, chosen from Accept-Language or a ?lang= override;
// product texts come in the best language the product has, marked with
// their own lang attribute when that is not the page's.
//
// Products are read through a Catalog, normally wrapped in a Cache so a
// page for a product in cache costs a parse of the code and a template
// execution; a cached page is at most the cache TTL (30 s by default)
// behind the catalog.
package passportpage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/app"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/resolver"
)

// DefaultBasePath is the path prefix the page is mounted under.
const DefaultBasePath = "/passport"

// Catalog reads a product with its brand. For an unknown GTIN it returns an
// error of kind fault.NotFound.
type Catalog interface {
	ProductView(ctx context.Context, gtin string) (app.ProductView, error)
}

// Config configures the handler.
type Config struct {
	// Catalog is where products come from (required).
	Catalog Catalog
	// Links returns the brand's links for a GTIN (the anchor's links);
	// nil means none. The page drops the passport page itself, non-public
	// links and default links that repeat another one.
	Links func(gtin string) []resolver.Link
	// Now is the clock (time.Now when nil); Location is the time zone in
	// which "expires in N days" counts days (UTC when nil).
	Now      func() time.Time
	Location *time.Location
	// Logger gets failures of the catalog (discarded when nil).
	Logger *slog.Logger
	// BasePath is the path prefix the handler is mounted under
	// (DefaultBasePath when empty). Requests may arrive with it or, behind
	// http.StripPrefix, without it.
	BasePath string
	// Cache configures the product cache put in front of Catalog; a
	// negative Cache.Size uses Catalog directly (when it caches already).
	Cache CacheConfig
}

// Handler serves passport pages.
type Handler struct {
	catalog Catalog
	cache   *Cache
	links   func(string) []resolver.Link
	now     func() time.Time
	loc     *time.Location
	log     *slog.Logger
	base    string
}

// HTTP header values shared by every response.
var (
	pageTemplate, problemTemplate = parseTemplates()
	styleCSS, styleHash           = loadStyle()
	contentSecurityPolicy         = "default-src 'none'; style-src '" + styleHash + "'; img-src https: http: data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	htmlType      = []string{"text/html; charset=utf-8"}
	cspValue      = []string{contentSecurityPolicy}
	cacheable     = []string{"private, max-age=60"}
	noStore       = []string{"no-store"}
	varyLanguage  = []string{"Accept-Language"}
	nosniff       = []string{"nosniff"}
	noReferrer    = []string{"no-referrer"}
	allowedMethod = []string{"GET, HEAD"}
)

//go:embed templates
var templateFS embed.FS

func parseTemplates() (passport, problem *template.Template) {
	funcs := template.FuncMap{
		"gradeLetters": func() []string { return []string{"A", "B", "C", "D", "E"} },
		"lower":        strings.ToLower,
	}
	parse := func(content string) *template.Template {
		return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.tmpl", "templates/"+content))
	}
	return parse("passport.tmpl"), parse("problem.tmpl")
}

// loadStyle reads the style sheet and its CSP hash source. The style
// element holds exactly these bytes (template.CSS is inserted unchanged).
func loadStyle() (template.CSS, string) {
	b, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		panic("passportpage: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return template.CSS(b), "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// NewHandler returns the passport page handler.
func NewHandler(cfg Config) *Handler {
	h := &Handler{
		catalog: cfg.Catalog, links: cfg.Links, now: cfg.Now, loc: cfg.Location, log: cfg.Logger,
		base: strings.TrimRight(cfg.BasePath, "/"),
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.loc == nil {
		h.loc = time.UTC
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if cfg.BasePath == "" {
		h.base = DefaultBasePath
	}
	if cfg.Cache.Size >= 0 {
		cc := cfg.Cache
		if cc.Now == nil {
			cc.Now = h.now
		}
		h.cache = NewCache(cfg.Catalog, cc)
		h.catalog = h.cache
	}
	return h
}

// CacheStats returns the counters of the handler's product cache (zero
// when the cache is off).
func (h *Handler) CacheStats() CacheStats {
	if h.cache == nil {
		return CacheStats{}
	}
	return h.cache.Stats()
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxAcceptLanguage bounds the Accept-Language header the page reads; real
// browsers send well under 200 bytes.
const maxAcceptLanguage = 512

// ServeHTTP answers GET and HEAD for /passport/{Digital Link path}.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, prefs := negotiate(r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header()["Allow"] = allowedMethod
		h.problem(w, r, t, http.StatusMethodNotAllowed, &problemView{Heading: t.MethodTitle, Lines: []string{t.MethodBody}})
		return
	}
	path := r.URL.EscapedPath()
	if strings.HasPrefix(path, h.base+"/") {
		path = path[len(h.base):]
	}
	u, err := dl.ParsePath(path, r.URL.RawQuery)
	if err != nil {
		detail := err.Error()
		var de *dl.Error
		if errors.As(err, &de) {
			detail = de.Message
		}
		h.problem(w, r, t, http.StatusBadRequest, &problemView{
			Heading: t.BadRequestTitle, Lines: []string{t.BadRequestBody}, Detail: detail, After: []string{t.BadRequestAdvice},
		})
		return
	}
	if u.Stem != "" {
		h.problem(w, r, t, http.StatusNotFound, &problemView{Heading: t.NotGTINTitle, Lines: []string{t.NoSuchPage}})
		return
	}
	key := u.PrimaryKey()
	if key.AI != "01" {
		name := key.AI
		if spec, ok := dl.Spec(key.AI); ok && spec.Title != "" {
			name = spec.Title + ", AI " + key.AI
		}
		h.problem(w, r, t, http.StatusNotFound, &problemView{Heading: t.NotGTINTitle, Lines: []string{fmt.Sprintf(t.NotGTINBody, name)}})
		return
	}
	view, err := h.catalog.ProductView(r.Context(), key.Value)
	switch {
	case fault.Is(err, fault.NotFound):
		h.problem(w, r, t, http.StatusNotFound, &problemView{
			Heading: t.NotFoundTitle,
			Lines:   []string{fmt.Sprintf(t.NotFoundScanned, key.Value), t.NotFoundBody, t.NotFoundAdvice},
		})
		return
	case err != nil:
		h.log.ErrorContext(r.Context(), "passport page: reading the product failed", "gtin", key.Value, "error", err)
		h.problem(w, r, t, http.StatusServiceUnavailable, &problemView{
			Heading: t.UnavailableTitle, Lines: []string{t.UnavailableBody, t.ScanAgain},
		})
		return
	}
	var links []resolver.Link
	if h.links != nil {
		links = h.links(key.Value)
	}
	rq := &request{t: t, prefs: prefs, today: dateOf(h.now(), h.loc), base: h.base}
	pv := rq.buildPassport(&view, u, links)
	h.render(w, r, pageTemplate, http.StatusOK, &page{T: t, CSS: styleCSS, Title: pv.Name.Text + " – " + t.PassportOf, Passport: pv})
}

func (h *Handler) problem(w http.ResponseWriter, r *http.Request, t *messages, status int, p *problemView) {
	h.render(w, r, problemTemplate, status, &page{T: t, CSS: styleCSS, Title: p.Heading + " – " + t.PassportOf, Problem: p})
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, tmpl *template.Template, status int, p *page) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := tmpl.ExecuteTemplate(buf, "layout", p); err != nil {
		// Only a template bug gets here; the view is built from plain strings.
		h.log.ErrorContext(r.Context(), "passport page: rendering failed", "error", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd["Content-Type"] = htmlType
	hd["Content-Security-Policy"] = cspValue
	hd["Vary"] = varyLanguage
	hd["X-Content-Type-Options"] = nosniff
	hd["Referrer-Policy"] = noReferrer
	hd["Content-Language"] = []string{p.T.Lang}
	hd["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	if status >= 500 || status == http.StatusMethodNotAllowed {
		hd["Cache-Control"] = noStore
	} else {
		hd["Cache-Control"] = cacheable
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, buf)
	}
}

// UI language negotiation.
var (
	uiTags    = uiLanguageTags()
	uiMatcher = language.NewMatcher(uiTags)
)

func uiLanguageTags() []language.Tag {
	tags := make([]language.Tag, len(uiLanguages))
	for i, m := range uiLanguages {
		tags[i] = language.MustParse(m.Lang)
	}
	return tags
}

// matchUI returns the UI language that best fits tags, best first.
func matchUI(tags ...language.Tag) (*messages, bool) {
	if len(tags) == 0 {
		return nil, false
	}
	_, i, conf := uiMatcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(uiLanguages) {
		return nil, false
	}
	return uiLanguages[i], true
}

// negotiate picks the UI language (?lang= first, then Accept-Language,
// then English) and the product text languages in order of preference.
func negotiate(r *http.Request) (*messages, []string) {
	var wanted []language.Tag
	t := uiLanguages[0]
	override := false
	if q := r.URL.RawQuery; strings.Contains(q, "lang=") {
		v, _ := url.ParseQuery(q) // keeps the pairs before a malformed one
		if tag, err := language.Parse(v.Get("lang")); err == nil {
			wanted = append(wanted, tag)
			if m, ok := matchUI(tag); ok {
				t, override = m, true
			}
		}
	}
	if al := r.Header.Get("Accept-Language"); al != "" && len(al) <= maxAcceptLanguage {
		if tags, _, err := language.ParseAcceptLanguage(al); err == nil {
			wanted = append(wanted, tags...)
			if m, ok := matchUI(tags...); ok && !override {
				t = m
			}
		}
	}
	prefs := make([]string, 0, len(wanted)+1)
	add := func(s string) {
		for _, p := range prefs {
			if strings.EqualFold(p, s) {
				return
			}
		}
		prefs = append(prefs, s)
	}
	for _, tag := range wanted {
		if tag == language.Und {
			continue
		}
		add(tag.String())
	}
	add(t.Lang)
	return t, prefs
}
