// Package fridgeclient is the published Go client for fridge-service, generated from
// api/openapi/fridge-service.yaml. Partner apps import it; its import path is stable.
package fridgeclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/fridge-service.yaml
