// Package events defines the envelope every PackyTrace event travels in and
// the registry of JSON Schemas that producers and consumers validate events
// against. One topic carries one event type at one major version, so a
// schema change that is not additive gets a new topic and old consumers keep
// working.
package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"github.com/google/uuid"

	"github.com/packytrace/packytrace/adapters/fault"
)

// Envelope is the wire form of an event: JSON with snake_case members,
// defined by envelope.json. Data is the type-specific payload.
type Envelope struct {
	// ID identifies the event; consumers deduplicate on it.
	ID uuid.UUID `json:"id"`
	// Type is the dotted event type, e.g. "passport.scan.recorded".
	Type string `json:"type"`
	// Version is the major version of the type's schema.
	Version int `json:"version"`
	// OccurredAt is when the fact happened; it is always written in UTC.
	OccurredAt time.Time `json:"occurred_at"`
	// Producer names the producing service, e.g. "passport-service".
	Producer string `json:"producer"`
	// Key is the partitioning key: events with one key keep their order.
	Key string `json:"key"`
	// Data is the type-specific payload, a JSON object. Replace it rather
	// than change its bytes: an envelope from New shares them with its
	// encoding.
	Data json.RawMessage `json:"data"`

	// wire is the encoding New made, reused while the fields above still
	// hold what it was made from; nil for envelopes built otherwise.
	wire *encoding
}

// encoding is an envelope's wire form and the members it was made from.
type encoding struct {
	raw  []byte
	head wireHead
	data []byte // raw's data member, which New hands out as Data
}

// wireHead is the envelope without data, in the order of the wire form;
// data is written after it.
type wireHead struct {
	ID         uuid.UUID `json:"id"`
	Type       string    `json:"type"`
	Version    int       `json:"version"`
	OccurredAt time.Time `json:"occurred_at"`
	Producer   string    `json:"producer"`
	Key        string    `json:"key"`
}

// wireEnvelope has Envelope's fields and tags but not its MarshalJSON.
type wireEnvelope Envelope

// MarshalJSON writes the envelope with OccurredAt in UTC, as the contract
// requires, whatever location the time value carries. The bytes of an
// unchanged envelope from New are its encoding, made once; do not modify
// them.
func (e Envelope) MarshalJSON() ([]byte, error) {
	if raw := e.encoded(); raw != nil {
		return raw, nil
	}
	w := wireEnvelope(e)
	w.OccurredAt = e.OccurredAt.UTC()
	w.wire = nil
	return json.Marshal(w)
}

// encoded is the encoding New made of e, or nil when there is none or a
// member has changed since.
func (e *Envelope) encoded() []byte {
	w := e.wire
	if w == nil || e.ID != w.head.ID || e.Type != w.head.Type || e.Version != w.head.Version ||
		!e.OccurredAt.Equal(w.head.OccurredAt) || e.Producer != w.head.Producer || e.Key != w.head.Key ||
		len(e.Data) != len(w.data) || unsafe.SliceData(e.Data) != unsafe.SliceData(w.data) {
		return nil
	}
	return w.raw
}

// encodeBuffers are New's scratch buffers.
var encodeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// releaseEncodeBuffer returns buf to the pool unless an unusually large
// event grew it.
func releaseEncodeBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		encodeBuffers.Put(buf)
	}
}

// dataMember joins the head and data of the wire form.
const dataMember = `,"data":`

// New builds an envelope with a fresh time-ordered (version 7) UUID. data is
// encoded with encoding/json (pass a json.RawMessage for pre-encoded JSON) and
// must encode to a JSON object. The result is not checked against a schema:
// Registry.Marshal or the outbox does that.
//
// New encodes the whole envelope at once: MarshalJSON returns that encoding
// until a field is changed, so a producer encodes each event once.
func New(typ string, version int, producer, key string, data any, now time.Time) (Envelope, error) {
	if typ == "" || version < 1 || producer == "" || key == "" {
		return Envelope{}, fault.Newf(fault.Invalid,
			"events: type, producer and key must be set and version >= 1 (got %q v%d, producer %q, key %q)",
			typ, version, producer, key)
	}
	// encoding/json's output is compact and valid, whatever data is (it
	// checks and compacts a json.RawMessage or a Marshaler's bytes), so it
	// can be written into the envelope as it is. The two parts are encoded
	// into a pooled buffer and copied once into the envelope's own bytes.
	buf := encodeBuffers.Get().(*bytes.Buffer)
	defer releaseEncodeBuffer(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	if err := enc.Encode(data); err != nil {
		return Envelope{}, fault.Wrap(fault.Invalid, err, "events: data of "+typ+" cannot be encoded")
	}
	bodyLen := buf.Len() - 1 // Encode ends the value with a newline
	if buf.Bytes()[0] != '{' {
		return Envelope{}, fault.Newf(fault.Invalid, "events: data of %s must be a JSON object", typ)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Envelope{}, fmt.Errorf("events: new event id: %w", err)
	}
	head := wireHead{ID: id, Type: typ, Version: version, OccurredAt: now.UTC(), Producer: producer, Key: key}
	if err := enc.Encode(head); err != nil {
		return Envelope{}, fault.Wrap(fault.Invalid, err, "events: envelope of "+typ+" cannot be encoded")
	}
	encoded := buf.Bytes()
	body, headJSON := encoded[:bodyLen], encoded[bodyLen+1:len(encoded)-1]
	raw := make([]byte, 0, len(headJSON)+len(dataMember)+len(body))
	raw = append(raw, headJSON[:len(headJSON)-1]...) // without its closing brace
	raw = append(raw, dataMember...)
	start := len(raw)
	raw = append(raw, body...)
	raw = append(raw, '}')
	wire := &encoding{raw: raw, head: head, data: raw[start : len(raw)-1 : len(raw)-1]}
	return Envelope{
		ID:         head.ID,
		Type:       typ,
		Version:    version,
		OccurredAt: head.OccurredAt,
		Producer:   producer,
		Key:        key,
		Data:       wire.data,
		wire:       wire,
	}, nil
}

// Topic names the topic of an event type at a major version:
// Topic("passport.scan.recorded", 1) is "passport.scan.recorded.v1".
func Topic(typ string, version int) string {
	return typ + ".v" + strconv.Itoa(version)
}
