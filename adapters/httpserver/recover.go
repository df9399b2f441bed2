package httpserver

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/packytrace/packytrace/adapters/problem"
)

// errPanic stands in for a panic value when the client is told about it:
// problem.FromError turns it into a 500 that says nothing of the cause.
var errPanic = errors.New("handler panicked")

// Recover turns a panic in a handler into a logged stack trace and a 500
// problem document that reveals nothing of the panic. http.ErrAbortHandler
// is passed on, since it is how a handler asks net/http to drop the
// connection. When the response had already started, a 500 can no longer be
// sent; the connection is aborted instead so the client sees a broken
// response rather than a truncated one that looks whole.
func Recover(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := findRecorder(w)
			if rec == nil {
				rec = wrap(w)
				w = rec
			}
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				logger.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
					slog.Any("panic", v),
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("stack", string(debug.Stack())),
				)
				notePattern(w, r) // the mux routed the request before the handler panicked
				if rec.started {
					panic(http.ErrAbortHandler)
				}
				problem.WriteError(w, r, errPanic)
			}()
			next.ServeHTTP(w, r)
			notePattern(w, r)
		})
	}
}
