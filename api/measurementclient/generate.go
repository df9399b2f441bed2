// Package measurementclient is the published Go client for measurement-pipeline, generated from
// api/openapi/measurement-pipeline.yaml. Partner apps import it; its import path is stable.
package measurementclient

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi/measurement-pipeline.yaml
