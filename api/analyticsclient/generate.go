// Package analyticsclient is the published Go client for brand-analytics-service, generated from
// api/openapi/brand-analytics-service.yaml. Partner apps import it; its import path is stable.
package analyticsclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/brand-analytics-service.yaml
