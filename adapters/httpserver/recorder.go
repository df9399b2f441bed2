package httpserver

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// recorder remembers what a handler sent, for the access log, the metrics
// and the panic handler. One recorder per request is shared by all the
// middlewares of this package: each reuses the one an outer middleware made.
type recorder struct {
	http.ResponseWriter
	status  int
	bytes   int64
	started bool
	// pattern is the ServeMux pattern that served the request, noted by
	// the middlewares of this package nearer the mux: a middleware between
	// them that replaced the request (an authenticator adding a principal
	// with r.WithContext) hides r.Pattern from the outer ones.
	pattern string
	// logAttrs are added to the access log line by handlers that have
	// something to say about the request but no logger (the readiness
	// endpoint).
	logAttrs []slog.Attr
	// start is when the outermost middleware of this package got the
	// request, so the access log and the metrics read the clock once.
	start time.Time
}

// wrap returns the recorder for w, making one unless w is one already.
func wrap(w http.ResponseWriter) *recorder {
	if rec, ok := w.(*recorder); ok {
		return rec
	}
	return &recorder{ResponseWriter: w, start: time.Now()}
}

// findRecorder looks for a recorder under w, following Unwrap; nil when
// there is none.
func findRecorder(w http.ResponseWriter) *recorder {
	for w != nil {
		if rec, ok := w.(*recorder); ok {
			return rec
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}

func (w *recorder) WriteHeader(code int) {
	// 1xx responses other than 101 are interim: the final status follows.
	if !w.started && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
		w.started = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.started {
		w.status = http.StatusOK
		w.started = true
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom keeps sendfile and splice available to io.Copy through the wrapper.
func (w *recorder) ReadFrom(src io.Reader) (int64, error) {
	if !w.started {
		w.status = http.StatusOK
		w.started = true
	}
	n, err := io.Copy(w.ResponseWriter, src)
	w.bytes += n
	return n, err
}

// Flush is here because streaming code asserts http.Flusher directly.
func (w *recorder) Flush() {
	if !w.started {
		w.status = http.StatusOK
		w.started = true
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack is here because websocket libraries assert http.Hijacker directly.
func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && !w.started {
		w.status = http.StatusSwitchingProtocols
		w.started = true
	}
	return conn, rw, err
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusCode is the status the client got: 200 when the handler wrote
// nothing, as net/http sends then.
func (w *recorder) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// statusText holds the decimal form of every valid status code, so labelling
// a metric needs no allocation.
var statusText = func() (t [600]string) {
	for i := 100; i < len(t); i++ {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func statusLabel(code int) string {
	if code >= 100 && code < len(statusText) {
		return statusText[code]
	}
	return strconv.Itoa(code)
}

// notePattern hands the pattern the mux recorded on r to the recorder under
// w, for the access log and metrics further out. Every middleware of this
// package calls it after serving, so one of them directly around the mux is
// enough.
func notePattern(w http.ResponseWriter, r *http.Request) {
	if r.Pattern != "" {
		noteRoute(w, r.Pattern)
	}
}

// noteRoute records the route of the request w answers, unless one nearer
// the mux already did.
func noteRoute(w http.ResponseWriter, pattern string) {
	if rec := findRecorder(w); rec != nil && rec.pattern == "" {
		rec.pattern = pattern
	}
}

// routeOf names the route that served r for logs and metrics: the ServeMux
// pattern without its method (the method has its own label), or "unmatched".
// Never the raw path: that would give a metric series per item id.
func routeOf(r *http.Request, rec *recorder) string {
	p := rec.pattern
	if p == "" {
		p = r.Pattern
	}
	if p == "" {
		return "unmatched"
	}
	if i := strings.IndexAny(p, " \t"); i >= 0 {
		p = strings.TrimLeft(p[i+1:], " \t")
	}
	return p
}

// methodLabel bounds the method label to the standard methods, since a
// client can send any token as a method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}
