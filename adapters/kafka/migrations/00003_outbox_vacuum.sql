-- +goose Up
-- The outbox is a queue: every row is inserted, read once and deleted, at
-- up to tens of thousands of rows a second (scan records). Dead rows left
-- by the deletes slow every read of the queue's head and every count, so
-- autovacuum cleans the table after a fixed number of dead rows instead of
-- a share of the table (the default 20 % of a table that is nearly empty
-- most of the time), and without cost-based pauses.
ALTER TABLE outbox SET (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 10000,
    autovacuum_vacuum_cost_delay = 0
);

-- +goose Down
ALTER TABLE outbox RESET (
    autovacuum_vacuum_scale_factor,
    autovacuum_vacuum_threshold,
    autovacuum_vacuum_insert_scale_factor,
    autovacuum_vacuum_insert_threshold,
    autovacuum_vacuum_cost_delay
);
