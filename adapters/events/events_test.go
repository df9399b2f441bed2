package events_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
)

func testRegistry(t testing.TB) *events.Registry {
	t.Helper()
	reg, err := events.NewRegistry(os.DirFS("testdata/schemas"))
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	return reg
}

const validV1 = `{"id":"0190a5b4-7c3e-7d4f-8a1b-2c3d4e5f6a7b","type":"test.thing.happened","version":1,` +
	`"occurred_at":"2025-03-01T10:11:12.123456789Z","producer":"test-service","key":"09506000134352",` +
	`"data":{"thing_id":"t-1","seq":3,"note":"hello"}}`

const validV2 = `{"id":"0190a5b4-7c3e-7d4f-8a1b-2c3d4e5f6a7c","type":"test.thing.happened","version":2,` +
	`"occurred_at":"2025-03-01T10:11:12Z","producer":"test-service","key":"k",` +
	`"data":{"thing_id":"t-1","seq":3,"happened_on":"2025-03-01"}}`

func TestNewRegistry_LoadsEveryTypeVersion(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	want := []events.TypeVersion{{Type: "test.thing.happened", Version: 1}, {Type: "test.thing.happened", Version: 2}}
	if got := reg.Types(); !slices.Equal(got, want) {
		t.Fatalf("Types = %v, want %v", got, want)
	}
	if !reg.Has("test.thing.happened", 2) || reg.Has("test.thing.happened", 3) {
		t.Fatal("Has disagrees with Types")
	}
	if got := want[0].String(); got != "test.thing.happened.v1" {
		t.Fatalf("TypeVersion.String = %q", got)
	}
}

func TestNewRegistry_RejectsBadSchemaDirectories(t *testing.T) {
	t.Parallel()
	envelope, err := os.ReadFile("testdata/schemas/envelope.json")
	if err != nil {
		t.Fatal(err)
	}
	schema := func(id, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"` + id + `"` + body + `}`)}
	}
	const base = "https://schemas.packytrace.dev/events/"
	tests := []struct {
		name     string
		fsys     fstest.MapFS
		wantFile string
	}{
		{"missing envelope", fstest.MapFS{"a.b.v1.json": schema(base+"a.b.v1.json", "")}, "envelope.json"},
		{"misnamed schema", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.json": schema(base+"a.b.json", "")}, "a.b.json"},
		{"id not matching file", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.v1.json": schema(base+"a.c.v1.json", "")}, "a.b.v1.json"},
		{"wrong draft", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.v1.json": {Data: []byte(`{"$schema":"http://json-schema.org/draft-07/schema#","$id":"` + base + `a.b.v1.json"}`)}}, "a.b.v1.json"},
		{"not JSON", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.v1.json": {Data: []byte(`{"$schema":`)}}, "a.b.v1.json"},
		{"schema does not compile", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.v1.json": schema(base+"a.b.v1.json", `,"type":5`)}, "a.b.v1.json"},
		{"external reference", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.v1.json": schema(base+"a.b.v1.json", `,"$ref":"https://example.com/x.json"`)}, "a.b.v1.json"},
		{"dangling reference", fstest.MapFS{"envelope.json": {Data: envelope}, "a.b.v1.json": schema(base+"a.b.v1.json", `,"$ref":"other.json"`)}, "a.b.v1.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := events.NewRegistry(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantFile) {
				t.Fatalf("NewRegistry = %v, want an error naming %s", err, tt.wantFile)
			}
		})
	}
}

func TestNewRegistry_IgnoresOtherFiles(t *testing.T) {
	t.Parallel()
	envelope, err := os.ReadFile("testdata/schemas/envelope.json")
	if err != nil {
		t.Fatal(err)
	}
	reg, err := events.NewRegistry(fstest.MapFS{
		"envelope.json":       {Data: envelope},
		"README.md":           {Data: []byte("# schemas")},
		"examples/x.v1.json":  {Data: []byte("not even json")},
		"schemas.go":          {Data: []byte("package events")},
		"examples/README.txt": {Data: []byte("-")},
	})
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	if n := len(reg.Types()); n != 0 {
		t.Fatalf("Types has %d entries, want 0", n)
	}
}

func TestRegistry_Validate_AcceptsValidEvents(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	e, err := reg.Validate([]byte(validV1))
	if err != nil {
		t.Fatalf("Validate v1: %v", err)
	}
	want := events.Envelope{
		ID:         uuid.MustParse("0190a5b4-7c3e-7d4f-8a1b-2c3d4e5f6a7b"),
		Type:       "test.thing.happened",
		Version:    1,
		OccurredAt: time.Date(2025, 3, 1, 10, 11, 12, 123456789, time.UTC),
		Producer:   "test-service",
		Key:        "09506000134352",
		Data:       json.RawMessage(`{"thing_id":"t-1","seq":3,"note":"hello"}`),
	}
	if e.ID != want.ID || e.Type != want.Type || e.Version != want.Version || !e.OccurredAt.Equal(want.OccurredAt) ||
		e.Producer != want.Producer || e.Key != want.Key || !bytes.Equal(e.Data, want.Data) {
		t.Fatalf("Validate v1 = %+v, want %+v", e, want)
	}
	if _, err := reg.Validate([]byte(validV2)); err != nil {
		t.Fatalf("Validate v2: %v", err)
	}
}

func TestRegistry_Validate_RejectsInvalidEvents(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	// edit rewrites validV1 through a generic map, so each case changes one
	// thing.
	edit := func(fn func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(validV1), &m); err != nil {
			t.Fatal(err)
		}
		fn(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	data := func(m map[string]any) map[string]any { return m["data"].(map[string]any) }
	tests := []struct {
		name string
		raw  string
		want string // a fragment of the message
	}{
		{"bad uuid", edit(func(m map[string]any) { m["id"] = "not-a-uuid" }), "/id"},
		{"uuid without hyphens", edit(func(m map[string]any) { m["id"] = "0190a5b47c3e7d4f8a1b2c3d4e5f6a7b" }), "/id"},
		{"bad date-time", edit(func(m map[string]any) { m["occurred_at"] = "2025-13-01T10:11:12Z" }), "/occurred_at"},
		{"date only", edit(func(m map[string]any) { m["occurred_at"] = "2025-03-01" }), "/occurred_at"},
		{"not UTC", edit(func(m map[string]any) { m["occurred_at"] = "2025-03-01T10:11:12+02:00" }), "/occurred_at"},
		{"missing key", edit(func(m map[string]any) { delete(m, "key") }), "key"},
		{"missing data", edit(func(m map[string]any) { delete(m, "data") }), "data"},
		{"additional envelope property", edit(func(m map[string]any) { m["extra"] = 1 }), "extra"},
		{"case-folded duplicate member", edit(func(m map[string]any) { m["ID"] = "x" }), "ID"},
		{"additional data property", edit(func(m map[string]any) { data(m)["colour"] = "red" }), "colour"},
		{"wrong data type", edit(func(m map[string]any) { data(m)["seq"] = "three" }), "/data/seq"},
		{"data not an object", edit(func(m map[string]any) { m["data"] = []int{1} }), "/data"},
		{"empty key", edit(func(m map[string]any) { m["key"] = "" }), "/key"},
		{"key too long", edit(func(m map[string]any) { m["key"] = strings.Repeat("k", 257) }), "/key"},
		{"version zero", edit(func(m map[string]any) { m["version"] = 0 }), "/version"},
		{"version fraction", edit(func(m map[string]any) { m["version"] = 1.5 }), "/version"},
		{"bad type pattern", edit(func(m map[string]any) { m["type"] = "Test.Thing" }), "/type"},
		{"bad producer", edit(func(m map[string]any) { m["producer"] = "Test Service" }), "/producer"},
		{"unknown type", edit(func(m map[string]any) { m["type"] = "test.other.happened" }), "unknown event type test.other.happened.v1"},
		{"unknown version", edit(func(m map[string]any) { m["version"] = 7 }), "unknown event type test.thing.happened.v7"},
		{"version written as float", strings.Replace(validV1, `"version":1`, `"version":1.0`, 1), "version"},
		{"leap second", strings.Replace(validV1, "10:11:12.123456789Z", "23:59:60Z", 1), "decoded"},
		{"not JSON", `{"id":`, "not valid JSON"},
		{"trailing data", validV1 + `{}`, "not valid JSON"},
		{"array", `[]`, "envelope"},
		{"empty", ``, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := reg.Validate([]byte(tt.raw))
			if !fault.Is(err, fault.Invalid) {
				t.Fatalf("Validate = %v, want Invalid", err)
			}
			if msg := fault.MessageOf(err); !strings.Contains(msg, tt.want) {
				t.Fatalf("message %q does not mention %q", msg, tt.want)
			}
		})
	}
}

func TestRegistry_Validate_ReportsFieldDetails(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	raw := strings.Replace(validV1, `"seq":3`, `"seq":-1`, 1)
	_, err := reg.Validate([]byte(raw))
	fields := fault.FieldsOf(err)
	if len(fields) != 1 || fields[0].Field != "/data/seq" || fields[0].Reason == "" {
		t.Fatalf("FieldsOf = %+v, want one detail at /data/seq", fields)
	}
	if msg := fault.MessageOf(err); len(msg) > 300 {
		t.Fatalf("message is not short: %q", msg)
	}
}

func TestNew_BuildsEnvelopeThatValidates(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	cet := time.FixedZone("CET", 3600)
	now := time.Date(2025, 3, 1, 11, 0, 0, 500, cet)
	e, err := events.New("test.thing.happened", 1, "test-service", "k1", map[string]any{"thing_id": "t", "seq": 1}, now)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID.Version() != 7 {
		t.Errorf("id version = %d, want 7", e.ID.Version())
	}
	if e.OccurredAt.Location() != time.UTC || !e.OccurredAt.Equal(now) {
		t.Errorf("OccurredAt = %v, want %v in UTC", e.OccurredAt, now)
	}
	raw, err := reg.Marshal(e)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	for _, member := range []string{`"occurred_at":"2025-03-01T10:00:00.0000005Z"`, `"producer":"test-service"`, `"key":"k1"`} {
		if !bytes.Contains(raw, []byte(member)) {
			t.Errorf("%s lacks %s", raw, member)
		}
	}
	// A hand-built envelope with a zoned time is still written in UTC.
	e.OccurredAt = now
	if raw, err := json.Marshal(e); err != nil || !bytes.Contains(raw, []byte(`Z"`)) {
		t.Errorf("MarshalJSON = %s, %v; want a UTC time", raw, err)
	}
	back, err := reg.Validate(raw)
	if err != nil || back.ID != e.ID || !back.OccurredAt.Equal(now) {
		t.Fatalf("round trip = %+v, %v", back, err)
	}
}

// TestNew_EncodingFollowsChangedFields checks that the encoding New makes
// once is what MarshalJSON returns, the same bytes as encoding the fields,
// and that a field changed afterwards is written as changed.
func TestNew_EncodingFollowsChangedFields(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	fresh := func() events.Envelope {
		e, err := events.New("test.thing.happened", 1, "test-service", "k1", map[string]any{"thing_id": "<t>", "seq": 1}, now)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	// What encoding/json writes for the fields alone, without New's cache.
	plain := func(e events.Envelope) []byte {
		raw, err := json.Marshal(map[string]any{"id": e.ID, "type": e.Type, "version": e.Version,
			"occurred_at": e.OccurredAt.UTC(), "producer": e.Producer, "key": e.Key, "data": e.Data})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	tests := []struct {
		name   string
		change func(*events.Envelope)
	}{
		{"unchanged", func(*events.Envelope) {}},
		{"id", func(e *events.Envelope) { e.ID = uuid.New() }},
		{"type", func(e *events.Envelope) { e.Type = "test.other.happened" }},
		{"version", func(e *events.Envelope) { e.Version = 2 }},
		{"time", func(e *events.Envelope) { e.OccurredAt = now.Add(time.Second) }},
		{"same instant, other zone", func(e *events.Envelope) { e.OccurredAt = now.In(time.FixedZone("CET", 3600)) }},
		{"producer", func(e *events.Envelope) { e.Producer = "other-service" }},
		{"key", func(e *events.Envelope) { e.Key = "k2" }},
		{"data replaced", func(e *events.Envelope) { e.Data = json.RawMessage(`{"thing_id":"u","seq":2}`) }},
		{"data shortened", func(e *events.Envelope) { e.Data = e.Data[: len(e.Data)-1 : len(e.Data)-1] }},
	}
	for _, tt := range tests {
		e := fresh()
		tt.change(&e)
		got, err := e.MarshalJSON()
		if tt.name == "data shortened" {
			if err == nil {
				t.Errorf("%s: MarshalJSON = %s, want an error for data that is no longer JSON", tt.name, got)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: MarshalJSON: %v", tt.name, err)
		}
		if want := plain(e); !sameJSON(t, got, want) {
			t.Errorf("%s: MarshalJSON = %s, want %s", tt.name, got, want)
		}
		if !json.Valid(got) || bytes.Contains(got, []byte("<")) {
			t.Errorf("%s: MarshalJSON = %s, want valid JSON with HTML characters escaped", tt.name, got)
		}
	}
}

func TestNew_RejectsBadArguments(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tests := []struct {
		name string
		fn   func() error
	}{
		{"array data", func() error { _, err := events.New("a.b", 1, "p", "k", []int{1}, now); return err }},
		{"null data", func() error { _, err := events.New("a.b", 1, "p", "k", nil, now); return err }},
		{"unencodable data", func() error {
			_, err := events.New("a.b", 1, "p", "k", map[string]any{"f": func() {}}, now)
			return err
		}},
		{"version zero", func() error { _, err := events.New("a.b", 0, "p", "k", map[string]int{}, now); return err }},
		{"empty key", func() error { _, err := events.New("a.b", 1, "p", "", map[string]int{}, now); return err }},
	}
	for _, tt := range tests {
		if err := tt.fn(); !fault.Is(err, fault.Invalid) {
			t.Errorf("%s: err = %v, want Invalid", tt.name, err)
		}
	}
	reg := testRegistry(t)
	e, err := events.New("test.thing.happened", 1, "test-service", "k", json.RawMessage(`{"thing_id":"t"}`), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Marshal(e); !fault.Is(err, fault.Invalid) || !strings.Contains(fault.MessageOf(err), "seq") {
		t.Fatalf("Marshal of an event missing seq = %v, want Invalid naming seq", err)
	}
}

func TestRegistry_Encode_ChecksTheTypeButNotTheSchema(t *testing.T) {
	t.Parallel()
	reg := testRegistry(t)
	now := time.Now()
	valid, err := events.New("test.thing.happened", 1, "test-service", "k", map[string]any{"thing_id": "t", "seq": 1}, now)
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := reg.Encode(valid)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if marshaled, err := reg.Marshal(valid); err != nil || !bytes.Equal(encoded, marshaled) {
		t.Fatalf("Encode = %s, Marshal = %s, %v; want the same bytes", encoded, marshaled, err)
	}
	missingSeq, err := events.New("test.thing.happened", 1, "test-service", "k", map[string]any{"thing_id": "t"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Encode(missingSeq); err != nil {
		t.Fatalf("Encode of an event its schema refuses = %v, want the bytes (no schema check)", err)
	}
	unknown, err := events.New("test.thing.vanished", 1, "test-service", "k", map[string]any{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Encode(unknown); !fault.Is(err, fault.Invalid) || !strings.Contains(fault.MessageOf(err), "unknown event type") {
		t.Fatalf("Encode of an unregistered type = %v, want Invalid", err)
	}
}

func TestTopic(t *testing.T) {
	t.Parallel()
	if got := events.Topic("passport.scan.recorded", 1); got != "passport.scan.recorded.v1" {
		t.Fatalf("Topic = %q", got)
	}
	if got := events.Topic("a.b", 12); got != "a.b.v12" {
		t.Fatalf("Topic = %q", got)
	}
}

// FuzzRegistry_Validate feeds arbitrary bytes to Validate: it must never
// panic, and whatever it accepts must survive a re-encoding unchanged.
func FuzzRegistry_Validate(f *testing.F) {
	reg := testRegistry(f)
	f.Add([]byte(validV1))
	f.Add([]byte(validV2))
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := reg.Validate(raw)
		if err != nil {
			if !fault.Is(err, fault.Invalid) {
				t.Fatalf("rejection is not Invalid: %v", err)
			}
			return
		}
		again, err := reg.Marshal(e)
		if err != nil {
			t.Fatalf("accepted event does not re-encode: %v", err)
		}
		back, err := reg.Validate(again)
		if err != nil {
			t.Fatalf("re-encoded event rejected: %v", err)
		}
		if back.ID != e.ID || back.Type != e.Type || back.Version != e.Version || !back.OccurredAt.Equal(e.OccurredAt) ||
			back.Producer != e.Producer || back.Key != e.Key || !sameJSON(t, back.Data, e.Data) {
			t.Fatalf("round trip changed the event: %+v vs %+v", e, back)
		}
	})
}

// sameJSON compares two JSON texts by value: re-encoding compacts and
// HTML-escapes, so the bytes may differ.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	decode := func(raw []byte) any {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		return v
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

func BenchmarkRegistry_Validate(b *testing.B) {
	reg := testRegistry(b)
	raw := []byte(validV1)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := reg.Validate(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRegistry_Marshal(b *testing.B) {
	reg := testRegistry(b)
	e, err := reg.Validate([]byte(validV1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Marshal(e); err != nil {
			b.Fatal(err)
		}
	}
}
