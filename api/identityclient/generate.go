// Package identityclient is the published Go client for identity-service, generated from
// api/openapi/identity-service.yaml. Partner apps import it; its import path is stable.
package identityclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/identity-service.yaml
