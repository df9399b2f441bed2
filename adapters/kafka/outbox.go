package kafka

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
	"github.com/packytrace/packytrace/adapters/postgres"
)

// Bounds of one outbox row. Add puts consecutive events of one type and
// version into one row, up to maxRowEvents events and maxRowBytes bytes of
// payload; the relay reads a row whole, so these also bound the relay's
// memory beyond its batch size.
const (
	maxRowEvents = 1000
	maxRowBytes  = 4 << 20
)

// Outbox writes events into <schema>.outbox inside the caller's transaction.
type Outbox struct {
	path    string // search_path value naming the schema
	channel string
	reg     *events.Registry
	sampled map[events.TypeVersion]*sample // read-only after NewOutbox
	err     error
}

// sample is the validation sample of one event type.
type sample struct {
	every uint64
	seen  atomic.Uint64
}

// OutboxOption configures an Outbox.
type OutboxOption func(*Outbox)

// ValidateEvery makes Add validate one event of type tv in every n, and the
// first event of that type in every Add call, instead of each one; the
// others are only encoded (events.Registry.Encode). n <= 1 validates every
// event, the default for every type.
//
// It is meant for high-volume events that the producer builds from typed
// values clamped to the contract, with a test that every event it can build
// passes the schema (ADR 0015): the sample then catches a contract and a
// build that drifted apart, at a fraction of the cost. Consumers validate
// every event as always, so an invalid one that slips through goes to the
// dead-letter topic, not into a consumer's state.
func ValidateEvery(tv events.TypeVersion, n int) OutboxOption {
	return func(o *Outbox) {
		if n <= 1 {
			delete(o.sampled, tv)
			return
		}
		o.sampled[tv] = &sample{every: uint64(n)}
	}
}

// NewOutbox returns the outbox of schema; every event added is validated
// against reg, unless an option says otherwise. An invalid schema name makes
// every Add fail.
func NewOutbox(schema string, reg *events.Registry, opts ...OutboxOption) *Outbox {
	o := &Outbox{
		path:    searchPath(schema),
		channel: notifyChannel(schema),
		reg:     reg,
		sampled: make(map[events.TypeVersion]*sample),
		err:     postgres.ValidateName(schema),
	}
	for _, opt := range opts {
		opt(o)
	}
	if reg == nil && o.err == nil {
		o.err = fault.New(fault.Invalid, "kafka: outbox needs an event registry")
	}
	return o
}

// notifyChannel is the LISTEN/NOTIFY channel that wakes the relay of schema.
// Channel names are identifiers, at most 63 bytes: long schema names are
// hashed.
func notifyChannel(schema string) string {
	ch := "packytrace_outbox_" + schema
	if len(ch) > 63 {
		sum := sha256.Sum256([]byte(schema))
		ch = "packytrace_outbox_" + hex.EncodeToString(sum[:16])
	}
	return ch
}

// Add validates envs against the registry and inserts them, in order, into
// the outbox in tx; the relay publishes them, each as a record of its own,
// once tx commits and is woken by a notification sent at commit. If any
// envelope is invalid the result is an Invalid error and nothing is written
// (of a type sampled with ValidateEvery, only the events in the sample are
// checked against the schema).
//
// Consecutive events of one type and version share a row (see
// maxRowEvents), so a large batch costs the database one row, not one per
// event.
//
// Add pins tx's search_path to the outbox's schema for the rest of tx (see
// the package doc), in the same round trip as the first insert.
func (o *Outbox) Add(ctx context.Context, tx pgx.Tx, envs ...events.Envelope) error {
	if o.err != nil {
		return o.err
	}
	if len(envs) == 0 {
		return nil
	}
	payloads, err := o.marshal(envs)
	if err != nil {
		return err
	}
	q := outboxdb.New(&callerTx{tx: tx, path: o.path})
	for start := 0; start < len(envs); {
		end, size := rowEnd(envs, payloads, start)
		row := outboxdb.InsertOutboxParams{
			Channel:      o.channel,
			Topic:        events.Topic(envs[start].Type, envs[start].Version),
			EventType:    envs[start].Type,
			EventVersion: version(envs[start]),
			EventIds:     make([]pgtype.UUID, end-start),
			EventKeys:    make([]string, end-start),
			PayloadEnds:  make([]int32, end-start),
			Payload:      rowBuffer(size),
		}
		for i, e := range envs[start:end] {
			row.EventIds[i] = pgtype.UUID{Bytes: e.ID, Valid: true}
			row.EventKeys[i] = e.Key
			row.Payload = append(row.Payload, payloads[start+i]...)
			row.PayloadEnds[i] = int32(len(row.Payload)) // at most maxRowBytes, or one event's size
		}
		err := q.InsertOutbox(ctx, row)
		// pgx has copied the payload into its message by now.
		releaseRowBuffer(row.Payload)
		if err != nil {
			return postgres.Classify(fmt.Errorf("kafka: outbox insert: %w", err))
		}
		start = end
	}
	return nil
}

// rowBuffers recycles the buffers rows' payloads are joined in: a batch of
// scans joins hundreds of kilobytes a few times a second, which would
// otherwise be garbage the moment the insert is sent.
var rowBuffers sync.Pool

// rowBuffer returns an empty buffer with room for size bytes.
func rowBuffer(size int) []byte {
	if b, ok := rowBuffers.Get().(*[]byte); ok && cap(*b) >= size {
		return (*b)[:0]
	}
	return make([]byte, 0, size)
}

// releaseRowBuffer hands b back for reuse; a buffer larger than a row may
// hold (one oversized event) is left to the collector.
func releaseRowBuffer(b []byte) {
	if cap(b) <= maxRowBytes {
		rowBuffers.Put(&b)
	}
}

// rowEnd is the end of the row that starts at envs[start], and the size of
// its payloads: the events that follow it with the same type and version,
// within the row bounds. A row holds at least one event, however large.
func rowEnd(envs []events.Envelope, payloads [][]byte, start int) (end, size int) {
	size = len(payloads[start])
	end = start + 1
	for end < len(envs) && end-start < maxRowEvents &&
		envs[end].Type == envs[start].Type && envs[end].Version == envs[start].Version &&
		size+len(payloads[end]) <= maxRowBytes {
		size += len(payloads[end])
		end++
	}
	return end, size
}

// parallelMarshal is the batch size from which Add encodes and validates
// events on every CPU: schema validation is most of an event's cost, and
// large batches (imports, scans) would otherwise hold a transaction open
// while one core does it.
const parallelMarshal = 64

// marshal encodes and validates envs (or, for sampled types, the sample of
// them), in parallel for large batches; the error names the first invalid
// event in order.
func (o *Outbox) marshal(envs []events.Envelope) ([][]byte, error) {
	validate := o.toValidate(envs)
	payloads := make([][]byte, len(envs))
	errs := make([]error, len(envs))
	workers := min(runtime.GOMAXPROCS(0), len(envs)/parallelMarshal+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(envs); i += workers {
				if validate == nil || validate[i] {
					payloads[i], errs[i] = o.reg.Marshal(envs[i])
				} else {
					payloads[i], errs[i] = o.reg.Encode(envs[i])
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		if len(envs) == 1 {
			return nil, err
		}
		return nil, &fault.Error{Kind: fault.Invalid, Message: fmt.Sprintf("event %d of %d: %s", i+1, len(envs), fault.MessageOf(err)),
			Fields: fault.FieldsOf(err), Err: err}
	}
	return payloads, nil
}

// toValidate marks the events of envs that Add validates, or returns nil
// when it validates all of them: every event of a type not sampled, and of a
// sampled type the first one in envs and each one its counter picks.
func (o *Outbox) toValidate(envs []events.Envelope) []bool {
	if len(o.sampled) == 0 {
		return nil
	}
	validate := make([]bool, len(envs))
	var seen []events.TypeVersion // sampled types met so far in envs
	for i, e := range envs {
		tv := events.TypeVersion{Type: e.Type, Version: e.Version}
		s := o.sampled[tv]
		if s == nil {
			validate[i] = true
			continue
		}
		n := s.seen.Add(1) // every event of the type counts, validated or not
		first := !slices.Contains(seen, tv)
		if first {
			seen = append(seen, tv)
		}
		validate[i] = first || n%s.every == 0
	}
	if len(seen) == 0 {
		return nil
	}
	return validate
}

// version is e's version as stored; e has passed Registry.Marshal, which
// rejects versions that are not registered, and registered versions have at
// most six digits.
func version(e events.Envelope) int32 { return int32(e.Version) }
