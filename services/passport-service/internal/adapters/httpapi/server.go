// Package httpapi is passport-service's HTTP adapter: it implements the strict
// server interface generated from api/openapi/passport-service.yaml and converts
// between generated and internal types.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/httpapi/oapigen"
)

// StatusSource reports the service's status (the daemon.Process).
type StatusSource interface {
	Status(ctx context.Context) daemon.Status
}

// Server implements the generated strict server interface.
type Server struct {
	status  StatusSource
	links   LinkService
	catalog CatalogService
	root    string
}

var _ oapigen.StrictServerInterface = (*Server)(nil)

// NewServer returns the HTTP adapter. resolverRoot is the GS1 resolver's
// public root URL (no trailing slash), which anchors' URIs are built on.
func NewServer(status StatusSource, links LinkService, catalog CatalogService, resolverRoot string) *Server {
	return &Server{status: status, links: links, catalog: catalog, root: resolverRoot}
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

// GetStatus reports version, schema version and dependency readiness.
func (s *Server) GetStatus(ctx context.Context, _ oapigen.GetStatusRequestObject) (oapigen.GetStatusResponseObject, error) {
	return oapigen.GetStatus200JSONResponse(toAPIStatus(s.status.Status(ctx))), nil
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
