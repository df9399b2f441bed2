// Package gatewayclient is the published Go client for api-gateway, generated from
// api/openapi/api-gateway.yaml. Partner apps import it; its import path is stable.
package gatewayclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/api-gateway.yaml
