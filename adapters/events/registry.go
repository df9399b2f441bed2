package events

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/packytrace/packytrace/adapters/fault"
)

// EnvelopeSchemaFile is the name of the envelope contract in a schema file
// system.
const EnvelopeSchemaFile = "envelope.json"

// draft2020 is the only dialect the registry accepts, so every schema means
// the same thing to every tool that reads it.
const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// maxReasons bounds how many schema violations an error message lists.
const maxReasons = 3

var schemaFilePattern = regexp.MustCompile(`^([a-z]+(?:\.[a-z_]+)+)\.v([1-9][0-9]{0,5})\.json$`)

var printer = message.NewPrinter(language.English)

// TypeVersion is an event type at one major version.
type TypeVersion struct {
	Type    string
	Version int
}

// String writes the topic form, "type.vN".
func (tv TypeVersion) String() string { return Topic(tv.Type, tv.Version) }

// Registry holds the compiled envelope schema and one schema per event type
// and major version. It is safe for concurrent use.
type Registry struct {
	envelope *jsonschema.Schema
	schemas  map[TypeVersion]*jsonschema.Schema
	// includesEnvelope holds the types whose schema applies the envelope's
	// itself (a top-level allOf with a $ref to it), so validating against
	// the type's schema alone is enough.
	includesEnvelope map[TypeVersion]bool
	types            []TypeVersion
}

// NewRegistry compiles the schemas at the root of fsys: "envelope.json", the
// envelope contract, and every "<type>.v<N>.json", a JSON Schema (draft
// 2020-12) of the whole envelope of that type at major version N whose $id
// ends with its file name. Schemas may refer to each other by relative $ref
// (e.g. "envelope.json"); nothing is ever loaded from the network or disk.
// Format assertions (uuid, date-time, ...) are on. Other *.json names at the
// root are an error, so a misnamed schema cannot be silently ignored; files
// with other extensions and subdirectories are ignored.
func NewRegistry(fsys fs.FS) (*Registry, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("events: read schema directory: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(noLoader{})

	ids := make(map[string]string) // file name -> $id
	kinds := make(map[string]TypeVersion)
	docs := make(map[string]any)
	for _, entry := range entries {
		name := entry.Name()
		if entry.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		if name != EnvelopeSchemaFile {
			m := schemaFilePattern.FindStringSubmatch(name)
			if m == nil {
				return nil, fmt.Errorf("events: schema file %s: name must be %s or <type>.v<N>.json", name, EnvelopeSchemaFile)
			}
			v, _ := strconv.Atoi(m[2])
			kinds[name] = TypeVersion{Type: m[1], Version: v}
		}
		id, doc, err := readSchema(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("events: schema file %s: %w", name, err)
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("events: schema file %s: %w", name, err)
		}
		ids[name] = id
		docs[name] = doc
	}
	if _, ok := ids[EnvelopeSchemaFile]; !ok {
		return nil, fmt.Errorf("events: %s is missing from the schema directory", EnvelopeSchemaFile)
	}

	r := &Registry{schemas: make(map[TypeVersion]*jsonschema.Schema, len(kinds)), includesEnvelope: map[TypeVersion]bool{}}
	if r.envelope, err = c.Compile(ids[EnvelopeSchemaFile]); err != nil {
		return nil, fmt.Errorf("events: schema file %s: %w", EnvelopeSchemaFile, err)
	}
	for name, tv := range kinds {
		sch, err := c.Compile(ids[name])
		if err != nil {
			return nil, fmt.Errorf("events: schema file %s: %w", name, err)
		}
		r.schemas[tv] = sch
		r.includesEnvelope[tv] = refersToEnvelope(docs[name], ids[EnvelopeSchemaFile])
		r.types = append(r.types, tv)
	}
	slices.SortFunc(r.types, func(a, b TypeVersion) int {
		return cmp.Or(strings.Compare(a.Type, b.Type), cmp.Compare(a.Version, b.Version))
	})
	return r, nil
}

// refersToEnvelope reports whether a schema document applies the envelope
// schema (id envID) to the whole event through its top-level allOf.
func refersToEnvelope(doc any, envID string) bool {
	obj, _ := doc.(map[string]any)
	all, _ := obj["allOf"].([]any)
	for _, sub := range all {
		m, _ := sub.(map[string]any)
		if ref, _ := m["$ref"].(string); ref == EnvelopeSchemaFile || ref == envID {
			return true
		}
	}
	return false
}

func readSchema(fsys fs.FS, name string) (id string, doc any, err error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", nil, err
	}
	doc, err = jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return "", nil, fmt.Errorf("not valid JSON: %w", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", nil, errors.New("not a JSON object")
	}
	if dialect, _ := obj["$schema"].(string); dialect != draft2020 {
		return "", nil, fmt.Errorf(`"$schema" must be %q, got %q`, draft2020, dialect)
	}
	id, _ = obj["$id"].(string)
	if !strings.HasSuffix(id, "/"+name) {
		return "", nil, fmt.Errorf(`"$id" %q must end with /%s`, id, name)
	}
	return id, doc, nil
}

// noLoader refuses every external reference: all schemas come from the
// registry's file system.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("reference to %s is not in the schema directory", url)
}

// Types lists the registered event types and versions, sorted.
func (r *Registry) Types() []TypeVersion {
	return slices.Clone(r.types)
}

// Has reports whether the registry has a schema for typ at version.
func (r *Registry) Has(typ string, version int) bool {
	_, ok := r.schemas[TypeVersion{Type: typ, Version: version}]
	return ok
}

// Validate decodes raw and checks it against the envelope contract and the
// schema of its type and version. Every failure is an Invalid error whose
// message says what is wrong and where (e.g. "at /data/seq: got string, want
// integer"); an unknown type or version is a failure too.
func (r *Registry) Validate(raw []byte) (Envelope, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return Envelope{}, fault.Wrap(fault.Invalid, err, "event is not valid JSON")
	}
	if err := r.envelope.Validate(doc); err != nil {
		return Envelope{}, invalid("event envelope is invalid", err)
	}
	// The envelope schema should guarantee an object with a string type and
	// an integral version; checked anyway, as the contract is data.
	obj, _ := doc.(map[string]any)
	typ, _ := obj["type"].(string)
	num, _ := obj["version"].(json.Number)
	version, err := strconv.Atoi(num.String())
	if typ == "" || err != nil {
		return Envelope{}, fault.New(fault.Invalid, "event type and version must be a string and a plain integer")
	}
	sch, ok := r.schemas[TypeVersion{Type: typ, Version: version}]
	if !ok {
		return Envelope{}, fault.Newf(fault.Invalid, "unknown event type %s", Topic(typ, version))
	}
	if err := sch.Validate(doc); err != nil {
		return Envelope{}, invalid("event "+Topic(typ, version)+" is invalid", err)
	}
	var e Envelope
	if err := json.Unmarshal(raw, &e); err != nil {
		// Only values the schema allows but Go cannot hold end up here,
		// such as a leap second or an integer written as 1e3.
		return Envelope{}, fault.Wrap(fault.Invalid, err, "event "+Topic(typ, version)+" cannot be decoded")
	}
	return e, nil
}

// Marshal encodes e and validates the result as Validate does, returning
// the bytes to send. Producers call it for every event, so it decodes the
// encoded event once and validates it once where the type's schema includes
// the envelope's.
func (r *Registry) Marshal(e Envelope) ([]byte, error) {
	topic := Topic(e.Type, e.Version)
	// MarshalJSON directly: json.Marshal would compact its output once more.
	raw, err := e.MarshalJSON()
	if err != nil {
		return nil, fault.Wrap(fault.Invalid, err, "event "+topic+" cannot be encoded")
	}
	tv := TypeVersion{Type: e.Type, Version: e.Version}
	sch, ok := r.schemas[tv]
	if !ok {
		return nil, fault.Newf(fault.Invalid, "unknown event type %s", topic)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fault.Wrap(fault.Invalid, err, "event "+topic+" is not valid JSON")
	}
	if !r.includesEnvelope[tv] {
		if err := r.envelope.Validate(doc); err != nil {
			return nil, invalid("event envelope is invalid", err)
		}
	}
	if err := sch.Validate(doc); err != nil {
		return nil, invalid("event "+topic+" is invalid", err)
	}
	return raw, nil
}

// Encode encodes e as Marshal does, checking only that its type and version
// are registered, not that it meets their schema. It is for producers that
// validate a sample of their events (kafka.ValidateEvery): the events are
// built from typed values that tests prove valid, and validating each one
// would cost more than building it.
func (r *Registry) Encode(e Envelope) ([]byte, error) {
	topic := Topic(e.Type, e.Version)
	if _, ok := r.schemas[TypeVersion{Type: e.Type, Version: e.Version}]; !ok {
		return nil, fault.Newf(fault.Invalid, "unknown event type %s", topic)
	}
	raw, err := e.MarshalJSON()
	if err != nil {
		return nil, fault.Wrap(fault.Invalid, err, "event "+topic+" cannot be encoded")
	}
	return raw, nil
}

// invalid turns a schema validation error into an Invalid error listing the
// first few violations, most specific first, as field errors and in the
// message.
func invalid(prefix string, err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fault.Wrap(fault.Invalid, err, prefix)
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves)
	fields := make([]fault.FieldError, 0, min(len(leaves), maxReasons))
	reasons := make([]string, 0, cap(fields))
	for _, leaf := range leaves[:min(len(leaves), maxReasons)] {
		loc := pointer(leaf.InstanceLocation)
		reason := leaf.ErrorKind.LocalizedString(printer)
		fields = append(fields, fault.FieldError{Field: loc, Reason: reason})
		reasons = append(reasons, "at "+loc+": "+reason)
	}
	if more := len(leaves) - len(reasons); more > 0 {
		reasons = append(reasons, fmt.Sprintf("and %d more", more))
	}
	return &fault.Error{Kind: fault.Invalid, Message: prefix + ": " + strings.Join(reasons, "; "), Fields: fields, Err: err}
}

func collectLeaves(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		*out = append(*out, e)
		return
	}
	for _, c := range e.Causes {
		collectLeaves(c, out)
	}
}

// pointer writes an instance location as a JSON pointer ("/" for the root).
func pointer(tokens []string) string {
	if len(tokens) == 0 {
		return "/"
	}
	var sb strings.Builder
	for _, tok := range tokens {
		sb.WriteByte('/')
		tok = strings.ReplaceAll(tok, "~", "~0")
		sb.WriteString(strings.ReplaceAll(tok, "/", "~1"))
	}
	return sb.String()
}
