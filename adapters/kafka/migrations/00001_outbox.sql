-- +goose Up
-- Events waiting to be published. A row is written in the same transaction
-- as the state change it reports and deleted once the broker has
-- acknowledged it, so the table holds only the backlog.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      uuid        NOT NULL,
    topic         text        NOT NULL,
    event_key     text        NOT NULL,
    event_type    text        NOT NULL,
    event_version integer     NOT NULL,
    payload       bytea       NOT NULL, -- the validated envelope, published byte for byte
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE outbox;
