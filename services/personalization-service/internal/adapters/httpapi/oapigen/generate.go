// Package oapigen holds the code oapi-codegen generates from
// api/openapi/personalization-service.yaml: models, the strict server interface on net/http
// and the embedded spec. Nothing here is written by hand.
package oapigen

//go:generate go tool oapi-codegen -config cfg.yaml ../../../../../../api/openapi/personalization-service.yaml
