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
	"time"

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
	// Data is the type-specific payload, a JSON object.
	Data json.RawMessage `json:"data"`
}

// wireEnvelope has Envelope's fields and tags but not its MarshalJSON.
type wireEnvelope Envelope

// MarshalJSON writes the envelope with OccurredAt in UTC, as the contract
// requires, whatever location the time value carries.
func (e Envelope) MarshalJSON() ([]byte, error) {
	w := wireEnvelope(e)
	w.OccurredAt = e.OccurredAt.UTC()
	return json.Marshal(w)
}

// New builds an envelope with a fresh time-ordered (version 7) UUID. data is
// encoded with encoding/json (pass a json.RawMessage for pre-encoded JSON) and
// must encode to a JSON object. The result is not checked against a schema:
// Registry.Marshal or the outbox does that.
func New(typ string, version int, producer, key string, data any, now time.Time) (Envelope, error) {
	if typ == "" || version < 1 || producer == "" || key == "" {
		return Envelope{}, fault.Newf(fault.Invalid,
			"events: type, producer and key must be set and version >= 1 (got %q v%d, producer %q, key %q)",
			typ, version, producer, key)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Envelope{}, fault.Wrap(fault.Invalid, err, "events: data of "+typ+" cannot be encoded")
	}
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return Envelope{}, fault.Newf(fault.Invalid, "events: data of %s must be a JSON object", typ)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Envelope{}, fmt.Errorf("events: new event id: %w", err)
	}
	return Envelope{
		ID:         id,
		Type:       typ,
		Version:    version,
		OccurredAt: now.UTC(),
		Producer:   producer,
		Key:        key,
		Data:       raw,
	}, nil
}

// Topic names the topic of an event type at a major version:
// Topic("passport.scan.recorded", 1) is "passport.scan.recorded.v1".
func Topic(typ string, version int) string {
	return typ + ".v" + strconv.Itoa(version)
}
