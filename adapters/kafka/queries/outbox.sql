-- name: InsertOutbox :exec
-- Inserts one row, a batch of events of one type and version in array
-- order (payload holds their payloads back to back, each ending at its
-- payload_ends offset), and queues the relay's wake-up notification in the same statement
-- and round trip: the data-modifying CTE runs although the outer query does
-- not read it, and NOTIFY is delivered at commit (one notification per
-- transaction, however many rows it inserts).
WITH ins AS (
    INSERT INTO outbox (topic, event_type, event_version, event_ids, event_keys, payload_ends, payload)
    VALUES (@topic::text, @event_type::text, @event_version::int4,
            @event_ids::uuid[], @event_keys::text[], @payload_ends::int4[], @payload::bytea)
)
SELECT pg_notify(@channel::text, '');

-- name: FetchOutbox :many
-- The relay's next batch: the oldest committed rows, in insertion order,
-- as many as hold at most max_events events together, and always the
-- first row, however many it holds. head_rows counts the rows looked at
-- (at most max_events): when more than were returned, or max_events, more
-- rows wait.
WITH head AS (
    SELECT h.id, h.event_count, sum(h.event_count) OVER (ORDER BY h.id) AS events_through
    FROM (SELECT id, event_count FROM outbox ORDER BY id LIMIT @max_events::int) h
)
SELECT o.id, o.topic, o.event_type, o.event_version, o.event_ids::text[] AS event_ids, o.event_keys, o.payload_ends, o.payload,
       (SELECT count(*) FROM head) AS head_rows
FROM head
JOIN outbox o ON o.id = head.id
WHERE head.events_through <= @max_events::int OR head.events_through = head.event_count
ORDER BY o.id;

-- name: DeleteOutbox :exec
-- Removes the rows whose events the broker has acknowledged.
DELETE FROM outbox WHERE id = ANY(@ids::bigint[]);

-- name: CountOutbox :one
-- The backlog: events waiting to be published.
SELECT coalesce(sum(event_count), 0)::bigint AS events FROM outbox;
