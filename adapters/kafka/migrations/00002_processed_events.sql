-- +goose Up
-- Ids of the events a consumer group has applied, written in the same
-- transaction as the effect: a redelivered event finds its id and is skipped.
CREATE TABLE processed_events (
    consumer_group text        NOT NULL,
    event_id       uuid        NOT NULL,
    processed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);
-- Pruning old ids scans by age; BRIN costs next to nothing on insert.
CREATE INDEX processed_events_processed_at ON processed_events USING brin (processed_at);

-- +goose Down
DROP TABLE processed_events;
