// Package openapi embeds the OpenAPI 3.0.3 specs of every PackyTrace service,
// the public HTTP contracts, so tools can load and check them without reading
// the file system.
package openapi

import "embed"

// Specs holds api/openapi/*.yaml.
//
//go:embed *.yaml
var Specs embed.FS
