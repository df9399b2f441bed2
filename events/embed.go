// Package events embeds the JSON Schemas (draft 2020-12) of every PackyTrace
// event: envelope.json, the envelope every event shares, and one
// <type>.v<major>.json per event type and major version. Producers and
// consumers load them into a registry and validate every message against
// them.
package events

import (
	"embed"
	"io/fs"
)

// Schemas holds jsonschema/*.json.
//
//go:embed jsonschema/*.json
var Schemas embed.FS

// Dir is Schemas rooted at the jsonschema directory: the file system the
// events adapter's NewRegistry reads.
var Dir = func() fs.FS {
	sub, err := fs.Sub(Schemas, "jsonschema")
	if err != nil {
		panic(err) // "jsonschema" is a valid path, so fs.Sub cannot fail
	}
	return sub
}()
