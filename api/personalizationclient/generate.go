// Package personalizationclient is the published Go client for personalization-service, generated from
// api/openapi/personalization-service.yaml. Partner apps import it; its import path is stable.
package personalizationclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/personalization-service.yaml
