package httpserver

import "net/http"

// Middleware wraps a handler with behaviour shared by all routes.
type Middleware func(http.Handler) http.Handler

// Chain wraps h in mws; the first middleware listed is the outermost, so it
// sees the request first and the response last.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}
