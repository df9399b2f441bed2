// Command contractcheck verifies the repository's contracts, for make verify:
// every OpenAPI spec in api/openapi must load and validate with kin-openapi,
// be OpenAPI 3.0.3, have one server URL under /api/v1/ (or "/" for a URI space
// an outside standard defines, declared with info.x-uri-space), and give every operation an operationId and a default
// problem response; every event schema in events/jsonschema must declare JSON
// Schema draft 2020-12, be named <type>.v<major>.json (or be the envelope),
// and the folder must compile as one, the way the events registry loads it. It exits 1 listing every problem, 2 on usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/packytrace/packytrace/adapters/events"
)

func main() {
	code := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("contractcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	specDir := fs.String("openapi", "api/openapi", "directory of OpenAPI specs")
	schemaDir := fs.String("events", "events/jsonschema", "directory of event JSON Schemas")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	specs, specErrs := checkSpecs(ctx, *specDir)
	schemas, schemaErrs := checkEventSchemas(*schemaDir)
	errs := append(specErrs, schemaErrs...)
	for _, err := range errs {
		fmt.Fprintln(stderr, "contractcheck:", err)
	}
	if len(errs) > 0 {
		return 1
	}
	fmt.Fprintf(stdout, "contractcheck: %d OpenAPI specs and %d event schemas are valid\n", specs, schemas)
	return 0
}

func checkSpecs(ctx context.Context, dir string) (int, []error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		return 0, []error{fmt.Errorf("no OpenAPI specs found in %s", dir)}
	}
	var errs []error
	for _, f := range files {
		for _, e := range checkSpec(ctx, f) {
			errs = append(errs, fmt.Errorf("%s: %w", f, e))
		}
	}
	return len(files), errs
}

func checkSpec(ctx context.Context, file string) []error {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromFile(file)
	if err != nil {
		return []error{fmt.Errorf("does not load: %w", err)}
	}
	if err := doc.Validate(ctx); err != nil {
		return []error{fmt.Errorf("invalid: %w", err)}
	}
	var errs []error
	if doc.OpenAPI != "3.0.3" {
		errs = append(errs, fmt.Errorf("openapi must be 3.0.3, is %q", doc.OpenAPI))
	}
	if err := checkServers(doc); err != nil {
		errs = append(errs, err)
	}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		for method, op := range doc.Paths.Value(path).Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				errs = append(errs, fmt.Errorf("%s has no operationId", where))
			}
			def := op.Responses.Default()
			if def == nil || def.Value == nil || def.Value.Content.Get("application/problem+json") == nil {
				errs = append(errs, fmt.Errorf("%s has no default application/problem+json response", where))
			}
		}
	}
	return errs
}

// uriSpaceExtension marks a spec of a public URI space that an outside
// standard fixes at the server root (passport-service's GS1 resolver answers
// /01/{gtin}/... as GS1 Digital Link requires); its value names the
// standard.
const uriSpaceExtension = "x-uri-space"

// checkServers wants exactly one relative server URL under /api/v1/, or "/"
// for a spec whose info declares x-uri-space.
func checkServers(doc *openapi3.T) error {
	if len(doc.Servers) == 1 && strings.HasPrefix(doc.Servers[0].URL, "/api/v1/") {
		return nil
	}
	if len(doc.Servers) == 1 && doc.Servers[0].URL == "/" {
		if v, ok := doc.Info.Extensions[uriSpaceExtension].(string); ok && strings.TrimSpace(v) != "" {
			return nil
		}
		return errors.New(`server URL "/" needs info.` + uriSpaceExtension + ` naming the standard that fixes the URI space`)
	}
	return errors.New("must have exactly one relative server URL under /api/v1/ (or \"/\" with info." + uriSpaceExtension + ")")
}

var schemaName = regexp.MustCompile(`^[a-z]+(\.[a-z_]+)+\.v[1-9][0-9]*\.json$`)

func checkEventSchemas(dir string) (int, []error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		return 0, []error{fmt.Errorf("no event schemas found in %s", dir)}
	}
	var errs []error
	for _, f := range files {
		if err := checkEventSchema(f); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
		}
	}
	if len(errs) == 0 {
		// The schemas refer to each other (every type's schema to
		// envelope.json), so they compile together, as producers and
		// consumers load them: through the events registry.
		if _, err := events.NewRegistry(os.DirFS(dir)); err != nil {
			errs = append(errs, fmt.Errorf("%s: does not compile as JSON Schema 2020-12: %w", dir, err))
		}
	}
	return len(files), errs
}

func checkEventSchema(file string) error {
	base := filepath.Base(file)
	if base != "envelope.json" && !schemaName.MatchString(base) {
		return errors.New("must be named <type>.v<major>.json, e.g. passport.scan.recorded.v1.json")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok || obj["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		return errors.New(`must declare "$schema": "https://json-schema.org/draft/2020-12/schema"`)
	}
	return nil
}
