// Package proxy forwards gateway requests to the backend services. It joins
// the routing table (package route) to net/http/httputil.ReverseProxy and
// turns backend failures into problem documents that reveal nothing about the
// backends: 502 when a backend cannot be reached, 504 when it is too slow.
//
// Forwarding headers: the client's Forwarded and X-Forwarded-* headers are
// dropped, and X-Forwarded-For/-Host/-Proto are set from the connection the
// gateway sees, unless that connection comes from a trusted proxy
// (Config.TrustedProxies, e.g. the Caddy in front of the gateway). Only then
// is the inbound X-Forwarded-For extended and the inbound X-Forwarded-Host
// and -Proto kept, because only then were they written by someone we trust.
// A backend sees its own address in Host and the public host in
// X-Forwarded-Host.
//
// Visitor cookie: requests for shopper pages (route.Route.ShopperPage) other
// than CORS preflights reach passport-service with a visitor id in the
// pt_visitor cookie (package visitor). When the browser sent none that is
// valid, the gateway makes one, forwards it with the request, so the backend
// sees it on the very first scan, and sets it with the response, redirects
// and error responses included. Such a response is made Cache-Control:
// private. The gateway adds no Vary: Cookie: a response that depends on the
// visitor is the backend's to mark.
//
// Copy errors after the response has started make ReverseProxy panic with
// http.ErrAbortHandler; recovery middleware in front must re-panic it.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"github.com/packytrace/packytrace/adapters/problem"
	"github.com/packytrace/packytrace/adapters/requestid"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/route"
	"github.com/packytrace/packytrace/services/api-gateway/internal/core/visitor"
)

// Defaults for the zero values of Config.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultDialTimeout = 2 * time.Second
)

// StatusClientClosedRequest is the non-standard status (nginx's 499) recorded
// when the client went away before the backend answered. The client never
// sees it; it is there so access logs and metrics tell it apart from a
// backend failure.
const StatusClientClosedRequest = 499

// Config configures a Proxy.
type Config struct {
	// Backends maps each proxied backend to its base URL: scheme and host
	// only (http://passport-service:8080). The request path and query are
	// sent unchanged. route.Gateway must not appear: the gateway serves it.
	Backends map[route.Backend]*url.URL
	// Timeout bounds the wait for a backend's response headers once the
	// request is sent; a slower backend gets a 504. Zero means DefaultTimeout.
	// Response bodies are streamed and not bounded by it.
	Timeout time.Duration
	// DialTimeout bounds connecting to a backend; zero means DefaultDialTimeout.
	DialTimeout time.Duration
	// TrustedProxies are the peers whose X-Forwarded-* headers are believed.
	// Empty means none.
	TrustedProxies []netip.Prefix
	// Logger receives backend failures; nil discards them.
	Logger *slog.Logger
	// Transport replaces the shared tuned transport. Timeout and DialTimeout
	// are then the transport's business.
	Transport http.RoundTripper
}

// Proxy forwards requests to the backends. It is safe for concurrent use.
type Proxy struct {
	proxies   map[route.Backend]*httputil.ReverseProxy
	targets   map[route.Backend]*url.URL // base URLs, for readiness probes
	transport http.RoundTripper
	trusted   []netip.Prefix
	log       *slog.Logger
}

// New checks cfg and builds a Proxy with one ReverseProxy per backend, all
// sharing one connection pool.
func New(cfg Config) (*Proxy, error) {
	if cfg.Timeout < 0 || cfg.DialTimeout < 0 {
		return nil, errors.New("proxy: timeouts must not be negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	transport := cfg.Transport
	if transport == nil {
		transport = NewTransport(cfg.Timeout, cfg.DialTimeout)
	}
	known := map[route.Backend]bool{}
	for _, b := range route.ShortNames() {
		known[b] = true
	}
	p := &Proxy{
		proxies:   make(map[route.Backend]*httputil.ReverseProxy, len(cfg.Backends)),
		targets:   make(map[route.Backend]*url.URL, len(cfg.Backends)),
		transport: transport,
		trusted:   cfg.TrustedProxies,
		log:       log,
	}
	for backend, target := range cfg.Backends {
		if backend == route.Gateway || !known[backend] {
			return nil, fmt.Errorf("proxy: %q is not a backend that can be proxied", backend)
		}
		if err := checkTarget(target); err != nil {
			return nil, fmt.Errorf("proxy: backend %s: %w", backend, err)
		}
		base := &url.URL{Scheme: target.Scheme, Host: target.Host}
		p.targets[backend] = base
		p.proxies[backend] = p.reverseProxy(backend, base)
	}
	return p, nil
}

// NewTransport returns the transport New uses when Config.Transport is nil:
// HTTP/1.1 keep-alive pools sized for a busy gateway in front of a few
// backends, no environment proxies, and no transparent gzip so bodies pass
// through exactly as the backend sent them.
func NewTransport(timeout, dialTimeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   dialTimeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
	}
}

// checkTarget accepts only base URLs, so that a configured path or query
// cannot silently change the paths the backends see.
func checkTarget(u *url.URL) error {
	switch {
	case u == nil:
		return errors.New("no URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	case u.Host == "":
		return errors.New("URL has no host")
	case u.User != nil:
		return errors.New("URL must not carry credentials")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return errors.New("URL must be scheme and host only")
	}
	return nil
}

// Handler routes each request on its decoded path (r.URL.Path) with table;
// the backend still receives the path as the client encoded it. Paths of the
// gateway itself go to self, paths of a backend are proxied to it, anything
// else gets a 404 problem. Shopper pages get the visitor cookie. self may be
// nil when the gateway serves no /api/v1/gateway paths.
func (p *Proxy) Handler(table *route.Table, self http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := table.Lookup(r.URL.Path)
		backend := rt.Backend
		if ok && backend == route.Gateway && self != nil {
			self.ServeHTTP(w, r)
			return
		}
		if !ok || backend == route.Gateway {
			problem.Write(w, r, problem.New(http.StatusNotFound, "There is no resource at this path."))
			return
		}
		rp, ok := p.proxies[backend]
		if !ok {
			p.log.ErrorContext(r.Context(), "no address configured for backend",
				slog.String("backend", string(backend)), slog.String("request_id", requestid.From(r.Context())))
			problem.Write(w, r, problem.New(http.StatusServiceUnavailable, "The service is not available. Try again later."))
			return
		}
		// A CORS preflight carries no cookies by definition (Fetch
		// standard), so giving it an id would only mint unused ones.
		if rt.ShopperPage && r.Method != http.MethodOptions {
			r = p.withVisitor(r)
		}
		rp.ServeHTTP(w, r)
	})
}

// CloseIdleConnections closes the idle backend connections, for shutdown.
func (p *Proxy) CloseIdleConnections() {
	if t, ok := p.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

func (p *Proxy) reverseProxy(backend route.Backend, base *url.URL) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			// SetURL keeps the inbound path, RawPath and query; with an
			// empty base path they reach the backend byte for byte.
			pr.SetURL(base)
			trusted := p.fromTrustedProxy(pr.In)
			if trusted {
				if prior := pr.In.Header.Values("X-Forwarded-For"); len(prior) > 0 {
					pr.Out.Header["X-Forwarded-For"] = prior
				}
			}
			pr.SetXForwarded()
			if trusted {
				if h := pr.In.Header.Get("X-Forwarded-Host"); h != "" {
					pr.Out.Header.Set("X-Forwarded-Host", h)
				}
				if proto := pr.In.Header.Get("X-Forwarded-Proto"); proto == "http" || proto == "https" {
					pr.Out.Header.Set("X-Forwarded-Proto", proto)
				}
			}
			// The request id middleware puts the id in the context; the
			// context is the authority if the header was never set.
			if id := requestid.From(pr.In.Context()); id != "" {
				pr.Out.Header.Set(requestid.Header, id)
			}
			if v := visitFrom(pr.In.Context()); v != nil {
				pr.Out.Header.Set("Cookie", visitor.WithID(pr.In.Header.Values("Cookie"), v.id))
			}
		},
		// The gateway's own request id middleware has already set the
		// response's X-Request-Id, and the backend echoes the same id: drop
		// the backend's copy so that clients see the header once.
		// The visitor cookie is set here, on the backend's final response,
		// rather than on the ResponseWriter up front: ReverseProxy clears the
		// writer's headers after relaying a 1xx response.
		ModifyResponse: func(res *http.Response) error {
			res.Header.Del(requestid.Header)
			if v := visitFrom(res.Request.Context()); v != nil && v.setCookie != "" {
				setVisitorCookie(res.Header, v)
			}
			return nil
		},
		Transport:    p.transport,
		BufferPool:   copyBuffers,
		ErrorLog:     slog.NewLogLogger(p.log.With(slog.String("backend", string(backend))).Handler(), slog.LevelWarn),
		ErrorHandler: p.errorHandler(backend),
	}
}

// copyBuffers lends ReverseProxy its body copy buffers, which it would
// otherwise allocate (32 KiB) for every response.
var copyBuffers httputil.BufferPool = &bufferPool{pool: sync.Pool{New: func() any {
	b := make([]byte, 32<<10)
	return &b
}}}

type bufferPool struct{ pool sync.Pool }

func (b *bufferPool) Get() []byte { return *b.pool.Get().(*[]byte) }

func (b *bufferPool) Put(buf []byte) { b.pool.Put(&buf) }

func (p *Proxy) fromTrustedProxy(r *http.Request) bool {
	if len(p.trusted) == 0 {
		return false
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr := ap.Addr().Unmap()
	for _, prefix := range p.trusted {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

// errorHandler answers a failed backend round trip. The cause goes to the
// log only: it names backend hosts and ports, which clients must not learn.
func (p *Proxy) errorHandler(backend route.Backend) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		ctx := r.Context()
		attrs := []slog.Attr{
			slog.String("backend", string(backend)),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("request_id", requestid.From(ctx)),
			slog.String("error", err.Error()),
		}
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			p.log.LogAttrs(ctx, slog.LevelDebug, "client closed request before the backend answered", attrs...)
			w.WriteHeader(StatusClientClosedRequest)
			return
		}
		// The backend may already have recorded the new id (a timeout) or
		// not (unreachable); setting it either way makes the retry the same
		// visitor.
		if v := visitFrom(ctx); v != nil && v.setCookie != "" {
			w.Header().Add("Set-Cookie", v.setCookie) // problem.Write makes the response no-store
		}
		status, detail := http.StatusBadGateway, "The service behind the gateway could not be reached. Try again later."
		if isTimeout(err) {
			status, detail = http.StatusGatewayTimeout, "The service behind the gateway did not answer in time. Try again later."
		}
		p.log.LogAttrs(ctx, slog.LevelWarn, "backend request failed", append(attrs, slog.Int("status", status))...)
		problem.Write(w, r, problem.New(status, detail))
	}
}

// isTimeout reports whether the backend was reached but answered too slowly.
// A failed or timed-out dial means the backend is unreachable (502), not slow.
func isTimeout(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
