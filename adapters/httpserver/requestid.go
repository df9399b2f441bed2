package httpserver

import (
	"context"
	"net/http"

	"github.com/packytrace/packytrace/adapters/requestid"
)

// TraceparentHeader is the W3C Trace Context header (canonical form, so
// looking it up does not allocate).
const TraceparentHeader = "Traceparent"

type traceKey struct{}

// WithTraceID returns a context that carries a W3C trace id, for the log
// lines of work that did not start with an HTTP request (a consumed event).
func WithTraceID(ctx context.Context, traceID string) context.Context {
	return context.WithValue(ctx, traceKey{}, traceID)
}

// TraceIDFrom returns the trace id in ctx, or "" when there is none.
func TraceIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(traceKey{}).(string)
	return id
}

// RequestID gives every request an id: the inbound X-Request-Id when it is
// safe to reuse, a fresh one otherwise. The id goes into the context (for
// logs and problem documents), the response header (for the client) and the
// request header (so a proxy forwards it). The trace id of a valid inbound
// traceparent goes into the context as well, so log lines can be joined with
// traces.
func RequestID() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get(requestid.Header)
			if !requestid.Valid(id) {
				id = requestid.New()
				r.Header.Set(requestid.Header, id)
			}
			w.Header().Set(requestid.Header, id)
			ctx := requestid.With(r.Context(), id)
			if tp := r.Header[TraceparentHeader]; len(tp) == 1 {
				if traceID, ok := ParseTraceparent(tp[0]); ok {
					ctx = WithTraceID(ctx, traceID)
				}
			}
			r2 := r.WithContext(ctx)
			next.ServeHTTP(w, r2)
			notePattern(w, r2)
		})
	}
}

// ParseTraceparent returns the trace id of a W3C traceparent header value
// (https://www.w3.org/TR/trace-context/#traceparent-header). ok is false for
// anything the specification says to ignore: wrong length, upper-case or
// non-hex digits, version ff, an all-zero trace or parent id.
func ParseTraceparent(v string) (traceID string, ok bool) {
	// version "-" trace-id "-" parent-id "-" trace-flags
	const size = 2 + 1 + 32 + 1 + 16 + 1 + 2
	if len(v) < size {
		return "", false
	}
	version := v[0:2]
	if !isLowerHex(version) || version == "ff" {
		return "", false
	}
	// Version 00 has exactly these fields; a later version may append more
	// after a dash, and a parser of version 00 reads the known prefix.
	if version == "00" && len(v) != size {
		return "", false
	}
	if len(v) > size && v[size] != '-' {
		return "", false
	}
	if v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return "", false
	}
	traceID, parentID, flags := v[3:35], v[36:52], v[53:55]
	if !isLowerHex(traceID) || !isLowerHex(parentID) || !isLowerHex(flags) {
		return "", false
	}
	if allZero(traceID) || allZero(parentID) {
		return "", false
	}
	return traceID, true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func allZero(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
