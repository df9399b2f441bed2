package proxy

import (
	"context"
	"net/http"
	"strings"

	"github.com/packytrace/packytrace/services/api-gateway/internal/core/visitor"
)

// VisitorCookieMaxAge is the visitor cookie's lifetime in seconds: 400 days,
// the longest a browser keeps a cookie (RFC 6265bis, section 5.5, and
// Chrome's cap since version 104).
const VisitorCookieMaxAge = 400 * 24 * 60 * 60

// visit is the gateway's decision about one request's visitor id: forward id
// to the backend in the Cookie header and, when setCookie is not empty, send
// setCookie (a Set-Cookie value) to the browser with the response.
type visit struct {
	id        string
	setCookie string
}

type visitKey struct{}

// withVisitor makes sure a shopper-page request carries a visitor id. A
// request with exactly one valid visitor cookie is returned as it is, without
// allocating. Otherwise the returned request's context says which id to
// forward: the valid one it has (its malformed or duplicate visitor cookies
// dropped), or a new one that the response also sets in the browser.
func (p *Proxy) withVisitor(r *http.Request) *http.Request {
	id, alone := visitor.FromCookies(r.Header.Values("Cookie"))
	if alone {
		return r
	}
	v := &visit{id: id}
	if id == "" {
		v.id = visitor.NewID()
		v.setCookie = (&http.Cookie{
			Name:     visitor.CookieName,
			Value:    v.id,
			Path:     "/",
			MaxAge:   VisitorCookieMaxAge,
			HttpOnly: true,
			Secure:   p.overTLS(r),
			SameSite: http.SameSiteLaxMode,
		}).String()
	}
	return r.WithContext(context.WithValue(r.Context(), visitKey{}, v))
}

// visitFrom returns the visit withVisitor put in ctx, or nil.
func visitFrom(ctx context.Context) *visit {
	v, _ := ctx.Value(visitKey{}).(*visit)
	return v
}

// overTLS reports whether the browser reached us over HTTPS: directly, or
// through a trusted proxy (Caddy) that says so in X-Forwarded-Proto. The
// header of anyone else is ignored, so that a plain-HTTP client cannot
// claim it.
func (p *Proxy) overTLS(r *http.Request) bool {
	return r.TLS != nil || (p.fromTrustedProxy(r) && r.Header.Get("X-Forwarded-Proto") == "https")
}

// setVisitorCookie adds the visitor cookie to a backend response that the
// gateway passes on. Such a response is for one browser only, so it is made
// private: a shared cache that stored it would hand the same visitor id to
// every shopper. Directives that allow shared caching (public, s-maxage, a
// field-qualified private) are dropped; the rest, such as the browser's
// max-age, are kept.
func setVisitorCookie(h http.Header, v *visit) {
	h.Add("Set-Cookie", v.setCookie)
	h.Set("Cache-Control", privateCacheControl(h.Values("Cache-Control")))
}

// privateCacheControl returns Cache-Control field lines rewritten into one
// value that forbids shared caches to store the response (RFC 9111, section
// 5.2.2.7); no-store, which forbids every cache, is enough on its own.
func privateCacheControl(lines []string) string {
	var kept []string
	private := false
	for _, line := range lines {
		for _, d := range splitDirectives(line) {
			name, arg, qualified := strings.Cut(d, "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "public", "s-maxage":
				continue
			case "private":
				if qualified && strings.TrimSpace(arg) != "" {
					continue // private="Set-Cookie" lets caches share the rest, which not every cache honours
				}
				private = true
			case "no-store":
				private = true
			}
			kept = append(kept, d)
		}
	}
	if !private {
		kept = append(kept, "private")
	}
	return strings.Join(kept, ", ")
}

// splitDirectives splits a Cache-Control field value on the commas that are
// not inside a quoted string, trimming each directive and dropping empty ones.
// A last directive whose quoted string never ends is dropped too: passed on,
// it would swallow whatever a cache reads after it, such as "private".
func splitDirectives(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case quoted && s[i] == '\\':
			i++ // a quoted-pair: the next character is literal
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ',' && !quoted:
			if d := strings.TrimSpace(s[start:i]); d != "" {
				out = append(out, d)
			}
			start = i + 1
		}
	}
	if d := strings.TrimSpace(s[start:]); d != "" && !quoted {
		out = append(out, d)
	}
	return out
}
