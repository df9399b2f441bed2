// Package httpserver is the HTTP plumbing every PackyTrace service shares: the
// server run loop with graceful shutdown, the middleware chain (request ids,
// access log, panic recovery, body limits, Prometheus metrics, OpenAPI request
// validation), the health, readiness and metrics endpoints, and the error hooks
// of the oapi-codegen strict server. Keeping it in one place means every
// service logs, counts and fails the same way.
//
// A service typically wires it like this (first listed = outermost):
//
//	mux := http.NewServeMux()
//	httpserver.Mount(mux, registry, checks...)
//	validate, err := httpserver.OpenAPIValidator(spec, opts)
//	api := oapigen.HandlerWithOptions(strict, oapigen.StdHTTPServerOptions{BaseURL: "/api/v1/fridge", BaseRouter: mux, ErrorHandlerFunc: httpserver.RequestErrorHandler})
//	h := httpserver.Chain(api,
//		httpserver.RequestID(),
//		httpserver.AccessLog(logger),
//		metrics.Middleware(),
//		httpserver.Recover(logger),
//		httpserver.MaxBodyBytes(1<<20),
//		authenticate, // puts the principal into the context
//		validate,
//	)
//	return httpserver.Run(ctx, logger, httpserver.NewServer(addr, h), 15*time.Second)
//
// RequestID must be outside AccessLog so the access log line carries the id;
// Recover must be inside AccessLog and the metrics middleware so a recovered
// panic is logged and counted as the 500 it became. The route label and the
// route field of the access log come from the ServeMux pattern, which the mux
// records on the request it is given. A middleware that replaces the request
// (an authenticator calling r.WithContext) hides that from everything outside
// it, so each middleware of this package passes the pattern outwards after
// serving: keep one of them (the validator, or MaxBodyBytes) directly around
// the mux. Requests the validator refuses are labelled with the spec route
// that matched; anything else unrouted is "unmatched".
package httpserver
