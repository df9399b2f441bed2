-- name: InsertProcessedBatch :many
-- Records a poll's ids for a group and returns those that were new; ids
-- already recorded (redeliveries) do not come back.
INSERT INTO processed_events (consumer_group, event_id)
SELECT @consumer_group::text, unnest(@event_ids::uuid[])
ON CONFLICT DO NOTHING
RETURNING event_id;

-- name: InsertProcessed :execrows
-- Records one id; no row affected means it was already applied.
INSERT INTO processed_events (consumer_group, event_id)
VALUES ($1, $2)
ON CONFLICT DO NOTHING;

-- name: PruneProcessed :execrows
-- Deletes the ids recorded before the cutoff.
DELETE FROM processed_events WHERE processed_at < @cutoff;
