package kafka

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/fault"
	"github.com/packytrace/packytrace/adapters/postgres"
)

// copyThreshold is the batch size from which Add streams rows with COPY
// instead of one INSERT over arrays; below it the single statement, which
// also sends the notification, is the faster of the two.
const copyThreshold = 500

var outboxColumns = []string{"event_id", "topic", "event_key", "event_type", "event_version", "payload"}

// Outbox writes events into <schema>.outbox inside the caller's transaction.
type Outbox struct {
	schema  string
	table   string
	channel string
	reg     *events.Registry
	err     error
}

// NewOutbox returns the outbox of schema; every event added is validated
// against reg. An invalid schema name makes every Add fail.
func NewOutbox(schema string, reg *events.Registry) *Outbox {
	o := &Outbox{
		schema:  schema,
		table:   pgx.Identifier{schema, "outbox"}.Sanitize(),
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
func (o *Outbox) Add(ctx context.Context, tx pgx.Tx, envs ...events.Envelope) error {
	if o.err != nil {
		return o.err
	}
	if len(envs) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(envs))
	topics := make([]string, len(envs))
	keys := make([]string, len(envs))
	types := make([]string, len(envs))
	versions := make([]int32, len(envs))
	payloads := make([][]byte, len(envs))
	for i, e := range envs {
		raw, err := o.reg.Marshal(e)
		if err != nil {
			if len(envs) == 1 {
				return err
			}
			return &fault.Error{Kind: fault.Invalid, Message: fmt.Sprintf("event %d of %d: %s", i+1, len(envs), fault.MessageOf(err)),
				Fields: fault.FieldsOf(err), Err: err}
		}
		ids[i], topics[i], keys[i], types[i] = e.ID, events.Topic(e.Type, e.Version), e.Key, e.Type
		versions[i] = int32(e.Version) // registered versions have at most six digits, so Marshal rejected anything larger
		payloads[i] = raw
	}

	if len(envs) >= copyThreshold {
		rows := make([][]any, len(envs))
		for i := range envs {
			rows[i] = []any{ids[i], topics[i], keys[i], types[i], versions[i], payloads[i]}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{o.schema, "outbox"}, outboxColumns, pgx.CopyFromRows(rows)); err != nil {
			return postgres.Classify(fmt.Errorf("kafka: outbox copy: %w", err))
		}
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, '')", o.channel); err != nil {
			return postgres.Classify(fmt.Errorf("kafka: outbox notify: %w", err))
		}
		return nil
	}
	// The data-modifying CTE runs even though the outer query does not read
	// it: one round trip inserts and queues the notification.
	_, err := tx.Exec(ctx, `WITH ins AS (
		INSERT INTO `+o.table+` (event_id, topic, event_key, event_type, event_version, payload)
		SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::bytea[])
	) SELECT pg_notify($7, '')`, ids, topics, keys, types, versions, payloads, o.channel)
	if err != nil {
		return postgres.Classify(fmt.Errorf("kafka: outbox insert: %w", err))
	}
	return nil
}
