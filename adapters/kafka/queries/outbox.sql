-- name: InsertOutbox :exec
-- Inserts a batch, in array order, and queues the relay's wake-up
-- notification in the same statement and round trip: the data-modifying CTE
-- runs although the outer query does not read it, and NOTIFY is delivered
-- at commit. Set-returning functions in one select list advance in
-- lockstep, so the unnest calls zip the arrays (sqlc knows only the
-- one-argument unnest).
WITH ins AS (
    INSERT INTO outbox (event_id, topic, event_key, event_type, event_version, payload)
    SELECT unnest(@event_ids::uuid[]), unnest(@topics::text[]), unnest(@event_keys::text[]),
           unnest(@event_types::text[]), unnest(@event_versions::int4[]), unnest(@payloads::bytea[])
)
SELECT pg_notify(@channel::text, '');

-- name: CopyOutbox :copyfrom
-- Streams a large batch with COPY; the caller queues the notification.
INSERT INTO outbox (event_id, topic, event_key, event_type, event_version, payload)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: NotifyOutbox :exec
-- Queues the relay's wake-up notification, delivered at commit.
SELECT pg_notify(@channel::text, '');

-- name: FetchOutbox :many
-- The oldest committed rows, in insertion order: the relay's next batch.
SELECT id, event_id::text AS event_id, topic, event_key, event_type, event_version, payload
FROM outbox
ORDER BY id
LIMIT @batch_size::bigint;

-- name: DeleteOutbox :exec
-- Removes the rows the broker has acknowledged.
DELETE FROM outbox WHERE id = ANY(@ids::bigint[]);

-- name: CountOutbox :one
-- The backlog: rows waiting to be published.
SELECT count(*) FROM outbox;
