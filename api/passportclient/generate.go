// Package passportclient is the published Go client for passport-service, generated from
// api/openapi/passport-service.yaml. Partner apps import it; its import path is stable.
package passportclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/passport-service.yaml
