// Package resolverclient is the published Go client for passport-service's
// GS1-Conformant resolver, generated from api/openapi/resolver.yaml. Partner
// apps import it; its import path is stable. Redirects are answers here:
// give the client an http.Client whose CheckRedirect returns
// http.ErrUseLastResponse to read the 307 and its Location.
package resolverclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/resolver.yaml
