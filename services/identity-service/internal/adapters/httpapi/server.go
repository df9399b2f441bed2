// Package httpapi is identity-service's HTTP adapter: it implements the strict
// server interface generated from api/openapi/identity-service.yaml and converts
// between generated and internal types.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/packytrace/packytrace/adapters/auth"
	"github.com/packytrace/packytrace/adapters/daemon"
	"github.com/packytrace/packytrace/adapters/httpserver"
	"github.com/packytrace/packytrace/services/identity-service/internal/adapters/httpapi/oapigen"
)

// StatusSource reports the service's status (the daemon.Process).
type StatusSource interface {
	Status(ctx context.Context) daemon.Status
}

// Server implements the generated strict server interface.
type Server struct {
	status StatusSource
}

var _ oapigen.StrictServerInterface = (*Server)(nil)

// NewServer returns the HTTP adapter.
func NewServer(status StatusSource) *Server {
	return &Server{status: status}
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

// GetMe describes the caller from its verified access token.
func (s *Server) GetMe(ctx context.Context, _ oapigen.GetMeRequestObject) (oapigen.GetMeResponseObject, error) {
	p, err := auth.Require(ctx)
	if err != nil {
		return nil, err
	}
	return oapigen.GetMe200JSONResponse(toAPIPrincipal(p)), nil
}

// toAPIPrincipal keeps only the realm roles PackyTrace defines (Keycloak adds
// its own, such as offline_access) and only well-formed GS1 company prefixes.
func toAPIPrincipal(p auth.Principal) oapigen.Principal {
	out := oapigen.Principal{
		Subject:  p.Subject,
		ClientId: p.ClientID,
		Roles:    []oapigen.PrincipalRoles{},
		Brands:   []string{},
	}
	if p.Username != "" {
		out.Username = &p.Username
	}
	for _, r := range p.Roles {
		if role := oapigen.PrincipalRoles(r); role.Valid() {
			out.Roles = append(out.Roles, role)
		}
	}
	for _, b := range p.Brands {
		if isCompanyPrefix(b) {
			out.Brands = append(out.Brands, b)
		}
	}
	return out
}

// isCompanyPrefix reports whether s looks like a GS1 company prefix: 4 to 12
// digits, as the spec's pattern says.
func isCompanyPrefix(s string) bool {
	if len(s) < 4 || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
