// Package httpapi is api-gateway's own HTTP adapter: it implements the
// strict server interface generated from api/openapi/api-gateway.yaml. The
// gateway's status lists its own dependencies and every backend.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/api-gateway/internal/adapters/httpapi/oapigen"
)

// StatusSource reports the gateway process's status (the daemon.Process).
type StatusSource interface {
	Status(ctx context.Context) daemon.Status
}

// Server implements the generated strict server interface.
type Server struct {
	status   StatusSource
	backends []httpserver.Check
}

var _ oapigen.StrictServerInterface = (*Server)(nil)

// NewServer returns the HTTP adapter; backends are readiness probes of the
// services behind the gateway.
func NewServer(status StatusSource, backends []httpserver.Check) *Server {
	return &Server{status: status, backends: backends}
}

// Mount registers the API on mux under basePath, with errors written as
// problem documents.
func Mount(mux *http.ServeMux, s *Server, basePath string, logger *slog.Logger) {
	strict := oapigen.NewStrictHandlerWithOptions(s, nil, oapigen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  httpserver.RequestErrorHandler,
		ResponseErrorHandlerFunc: httpserver.ResponseErrorHandler(logger),
	})
	oapigen.HandlerWithOptions(strict, oapigen.StdHTTPServerOptions{
		BaseURL:          basePath,
		BaseRouter:       mux,
		ErrorHandlerFunc: httpserver.RequestErrorHandler,
	})
}

// GetStatus reports the gateway's own dependencies and whether each backend
// is ready. The gateway is ready only when all of them are.
func (s *Server) GetStatus(ctx context.Context, _ oapigen.GetStatusRequestObject) (oapigen.GetStatusResponseObject, error) {
	st := s.status.Status(ctx)
	up, backendsReady := httpserver.Ready(ctx, s.backends...)
	for _, b := range s.backends {
		st.Dependencies = append(st.Dependencies, daemon.Dependency{Name: b.Name, Up: up[b.Name]})
	}
	st.Ready = st.Ready && backendsReady
	return oapigen.GetStatus200JSONResponse(toAPIStatus(st)), nil
}

func toAPIStatus(st daemon.Status) oapigen.ServiceStatus {
	deps := make([]oapigen.DependencyStatus, 0, len(st.Dependencies))
	for _, d := range st.Dependencies {
		deps = append(deps, oapigen.DependencyStatus{Name: d.Name, Up: d.Up})
	}
	version := st.SchemaVersion
	return oapigen.ServiceStatus{
		Service:       st.Service,
		Version:       st.Version,
		SchemaVersion: &version,
		Ready:         st.Ready,
		Dependencies:  deps,
	}
}
