package kafka

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/kafka/internal/outboxdb"
	"github.com/packytrace/packytrace/adapters/postgres"
)

// copyThreshold is the batch size from which Add streams rows with COPY
// instead of one INSERT over arrays; below it the single statement, which
// also sends the notification, is the faster of the two.
const copyThreshold = 500

// Outbox writes events into <schema>.outbox inside the caller's transaction.
type Outbox struct {
	path    string // search_path value naming the schema
	channel string
	reg     *events.Registry
	err     error
}

// NewOutbox returns the outbox of schema; every event added is validated
// against reg. An invalid schema name makes every Add fail.
func NewOutbox(schema string, reg *events.Registry) *Outbox {
	o := &Outbox{
		path:    searchPath(schema),
		channel: notifyChannel(schema),
		reg:     reg,
		err:     postgres.ValidateName(schema),
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
// the outbox in tx; the relay publishes them once tx commits and is woken by
// a notification sent at commit. If any envelope is invalid the result is an
// Invalid error and nothing is written.
//
// Add pins tx's search_path to the outbox's schema for the rest of tx (see
// the package doc), in the same round trip as the insert.
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

	if len(envs) >= copyThreshold {
		// The notification goes first: its round trip also pins
		// search_path for the COPY, and it is delivered at commit anyway.
		if err := q.NotifyOutbox(ctx, o.channel); err != nil {
			return postgres.Classify(fmt.Errorf("kafka: outbox notify: %w", err))
		}
		rows := make([]outboxdb.CopyOutboxParams, len(envs))
		for i, e := range envs {
			rows[i] = outboxdb.CopyOutboxParams{EventID: e.ID, Topic: events.Topic(e.Type, e.Version), EventKey: e.Key,
				EventType: e.Type, EventVersion: version(e), Payload: payloads[i]}
		}
		if _, err := q.CopyOutbox(ctx, rows); err != nil {
			return postgres.Classify(fmt.Errorf("kafka: outbox copy: %w", err))
		}
		return nil
	}
	arg := outboxdb.InsertOutboxParams{
		Channel:       o.channel,
		EventIds:      make([]uuid.UUID, len(envs)),
		Topics:        make([]string, len(envs)),
		EventKeys:     make([]string, len(envs)),
		EventTypes:    make([]string, len(envs)),
		EventVersions: make([]int32, len(envs)),
		Payloads:      payloads,
	}
	for i, e := range envs {
		arg.EventIds[i], arg.Topics[i], arg.EventKeys[i], arg.EventTypes[i] = e.ID, events.Topic(e.Type, e.Version), e.Key, e.Type
		arg.EventVersions[i] = version(e)
	}
	if err := q.InsertOutbox(ctx, arg); err != nil {
		return postgres.Classify(fmt.Errorf("kafka: outbox insert: %w", err))
	}
	return nil
}

// parallelMarshal is the batch size from which Add encodes and validates
// events on every CPU: schema validation is most of an event's cost, and
// large batches (imports, scans) would otherwise hold a transaction open
// while one core does it.
const parallelMarshal = 64

// marshal encodes and validates envs, in parallel for large batches; the
// error names the first invalid event in order.
func (o *Outbox) marshal(envs []events.Envelope) ([][]byte, error) {
	payloads := make([][]byte, len(envs))
	errs := make([]error, len(envs))
	workers := min(runtime.GOMAXPROCS(0), len(envs)/parallelMarshal+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(envs); i += workers {
				payloads[i], errs[i] = o.reg.Marshal(envs[i])
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

// version is e's version as stored; e has passed Registry.Marshal, which
// rejects versions that are not registered, and registered versions have at
// most six digits.
func version(e events.Envelope) int32 { return int32(e.Version) }
