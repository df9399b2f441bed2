package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: /api/v1/test}]
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200": {description: ok}
        default:
          description: problem
          content:
            application/problem+json:
              schema: {type: object}
`

// goodSchema stands for a valid schema; check gives it the $id its file
// name needs.
const goodSchema = `{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"ID","allOf":[{"$ref":"envelope.json"}],"type":"object"}`

// envelope is the envelope schema every test folder has.
const envelope = `{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://schemas.example/events/envelope.json","type":"object"}`

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, spec, schemaFile, schema string) (int, string) {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "openapi"), "svc.yaml", spec)
	write(t, filepath.Join(dir, "events"), "envelope.json", envelope)
	write(t, filepath.Join(dir, "events"), schemaFile, strings.Replace(schema, `"ID"`, `"https://schemas.example/events/`+schemaFile+`"`, 1))
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-openapi", filepath.Join(dir, "openapi"), "-events", filepath.Join(dir, "events")}, &out, &errOut)
	return code, out.String() + errOut.String()
}

func TestRun_AcceptsRootURISpace(t *testing.T) {
	t.Parallel()
	spec := strings.Replace(goodSpec, "info: {title: t, version: \"1\"}", "info: {title: t, version: \"1\", x-uri-space: GS1 Digital Link}", 1)
	spec = strings.Replace(spec, "/api/v1/test", "/", 1)
	code, out := check(t, spec, "test.thing.happened.v1.json", goodSchema)
	if code != 0 {
		t.Fatalf("code %d: %s", code, out)
	}
}

func TestRun_AcceptsValidContracts(t *testing.T) {
	t.Parallel()
	code, out := check(t, goodSpec, "test.thing.happened.v1.json", goodSchema)
	if code != 0 || !strings.Contains(out, "1 OpenAPI specs and 2 event schemas are valid") {
		t.Fatalf("code %d: %s", code, out)
	}
}

func TestRun_RejectsBadContracts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, spec, file, schema, want string
	}{
		{"spec not 3.0.3", strings.Replace(goodSpec, "3.0.3", "3.0.0", 1), "a.b.v1.json", goodSchema, "must be 3.0.3"},
		{"no default response", strings.Replace(goodSpec, "default:", "\"400\":", 1), "a.b.v1.json", goodSchema, "no default application/problem+json"},
		{"no operationId", strings.Replace(goodSpec, "operationId: getX", "summary: x", 1), "a.b.v1.json", goodSchema, "no operationId"},
		{"broken spec", "openapi: 3.0.3\ninfo: {}\npaths: {x: 1}\n", "a.b.v1.json", goodSchema, "svc.yaml"},
		{"schema wrong draft", goodSpec, "a.b.v1.json", `{"$schema":"http://json-schema.org/draft-07/schema#"}`, "2020-12"},
		{"schema does not compile", goodSpec, "a.b.v1.json", `{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"ID","type":"thing"}`, "does not compile"},
		{"reference outside the folder", goodSpec, "a.b.v1.json", strings.Replace(goodSchema, "envelope.json", "https://elsewhere.example/x.json", 1), "does not compile"},
		{"schema badly named", goodSpec, "Thing.json", goodSchema, "must be named"},
		{"schema not JSON", goodSpec, "a.b.v1.json", `{`, "not JSON"},
		{"server not under /api/v1", strings.Replace(goodSpec, "/api/v1/test", "/test", 1), "a.b.v1.json", goodSchema, "under /api/v1/"},
		{"root server without x-uri-space", strings.Replace(goodSpec, "/api/v1/test", "/", 1), "a.b.v1.json", goodSchema, "x-uri-space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out := check(t, tt.spec, tt.file, tt.schema)
			if code != 1 || !strings.Contains(out, tt.want) {
				t.Fatalf("code %d, want 1 with %q: %s", code, tt.want, out)
			}
		})
	}
}
