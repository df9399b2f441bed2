package httpserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/packytrace/packytrace/adapters/requestid"
)

// Log attribute keys shared by every service, so log queries work across them.
const (
	LogKeyRequestID = "request_id"
	LogKeyTraceID   = "trace_id"
)

// NewLogger returns the JSON logger a service builds once in main: records
// at level and above, each carrying the service name and the request and
// trace ids found in the context it is logged with. When w buffers (it has
// a Flush() error method, as LogBuffer and bufio.Writer do), every record at
// Warn or above is followed by a Flush, so warnings and errors are never
// held back.
func NewLogger(w io.Writer, level slog.Level, service string) *slog.Logger {
	var h slog.Handler = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	if f, ok := w.(flusher); ok {
		h = &flushHandler{next: h, f: f}
	}
	return slog.New(NewContextHandler(h)).With(slog.String("service", service))
}

type flusher interface{ Flush() error }

// flushHandler flushes its writer after each record at Warn or above.
type flushHandler struct {
	next slog.Handler
	f    flusher
}

func (h *flushHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *flushHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.next.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.f.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h *flushHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &flushHandler{next: h.next.WithAttrs(attrs), f: h.f}
}

func (h *flushHandler) WithGroup(name string) slog.Handler {
	return &flushHandler{next: h.next.WithGroup(name), f: h.f}
}

// NewContextHandler wraps next so that every record logged with a context
// carrying a request id or a trace id gets them as request_id and trace_id,
// unless the record or the logger already has that attribute. Attributes
// are added where the record is, so a logger opened with WithGroup puts them
// inside its group.
func NewContextHandler(next slog.Handler) slog.Handler {
	return &contextHandler{next: next}
}

type contextHandler struct {
	next slog.Handler
	// hasRequestID and hasTraceID are set when the logger was built With
	// those attributes already.
	hasRequestID, hasTraceID bool
}

func (h *contextHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		var reqID, traceID string
		if !h.hasRequestID {
			reqID = requestid.From(ctx)
		}
		if !h.hasTraceID {
			traceID = TraceIDFrom(ctx)
		}
		if reqID != "" || traceID != "" {
			r.Attrs(func(a slog.Attr) bool {
				switch a.Key {
				case LogKeyRequestID:
					reqID = ""
				case LogKeyTraceID:
					traceID = ""
				}
				return reqID != "" || traceID != ""
			})
			if reqID != "" {
				r.AddAttrs(slog.String(LogKeyRequestID, reqID))
			}
			if traceID != "" {
				r.AddAttrs(slog.String(LogKeyTraceID, traceID))
			}
		}
	}
	return h.next.Handle(ctx, r)
}

func (h *contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := &contextHandler{next: h.next.WithAttrs(attrs), hasRequestID: h.hasRequestID, hasTraceID: h.hasTraceID}
	for _, a := range attrs {
		switch a.Key {
		case LogKeyRequestID:
			c.hasRequestID = true
		case LogKeyTraceID:
			c.hasTraceID = true
		}
	}
	return c
}

func (h *contextHandler) WithGroup(name string) slog.Handler {
	return &contextHandler{next: h.next.WithGroup(name), hasRequestID: h.hasRequestID, hasTraceID: h.hasTraceID}
}

// maxLoggedPath bounds the path in an access log line; a path is client
// input and may be up to the header limit long.
const maxLoggedPath = 1024

// AccessLog writes one line per request when the response is done: method,
// path (never the query string, which may carry personal data), route
// pattern, status, bytes, duration and request id. Server errors are logged
// at Error, everything else at Info. A request whose handler panicked past
// every recovery is logged with aborted=true before the panic goes on.
func AccessLog(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := wrap(w)
			done := false
			defer func() {
				if !done {
					logRequest(logger, r, rec, true)
				}
			}()
			next.ServeHTTP(rec, r)
			done = true
			logRequest(logger, r, rec, false)
		})
	}
}

func logRequest(logger *slog.Logger, r *http.Request, rec *recorder, aborted bool) {
	status := rec.statusCode()
	if aborted && !rec.started {
		status = http.StatusInternalServerError
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	ctx := r.Context()
	if !logger.Enabled(ctx, level) {
		return
	}
	path := r.URL.Path
	if len(path) > maxLoggedPath {
		path = path[:maxLoggedPath]
	}
	reqID := requestid.From(ctx)
	if reqID == "" {
		// AccessLog outside RequestID still finds the id on the response.
		reqID = rec.Header().Get(requestid.Header)
	}
	duration := float64(time.Since(rec.start).Microseconds()) / 1000
	var buf [10]slog.Attr // on the stack for the usual line
	attrs := append(buf[:0],
		slog.String("method", r.Method),
		slog.String("path", path),
		slog.String("route", routeOf(r, rec)),
		slog.Int("status", status),
		slog.Int64("bytes", rec.bytes),
		slog.Float64("duration_ms", duration),
	)
	if reqID != "" {
		attrs = append(attrs, slog.String(LogKeyRequestID, reqID))
	}
	if aborted {
		attrs = append(attrs, slog.Bool("aborted", true))
	}
	attrs = append(attrs, rec.logAttrs...)
	logger.LogAttrs(ctx, level, "http request", attrs...)
}
