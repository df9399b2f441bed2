-- Link data for the GS1 resolver: one row per anchor (a primary key with
-- optional key qualifiers), its links as a JSON array in the same row, so
-- that replicas load a million anchors with one scan and no join. The column
-- is json, not jsonb: it is only ever read and written whole, and Postgres
-- would re-serialise jsonb on every read (about 3.5 microseconds a row more
-- when a replica loads the index, measured on the development machine).
--
-- Every write takes the next value of anchor_change_seq for each row it
-- touches; deletes leave a tombstone carrying their own sequence number.
-- Writers are serialised (a transaction-level advisory lock), so sequence
-- numbers become visible in increasing order, and a replica that has applied
-- everything up to N catches up with "seq > N" over both tables.

-- +goose Up
CREATE SEQUENCE passport.anchor_change_seq AS bigint;

CREATE TABLE passport.anchors (
    -- Canonical Digital Link path, e.g. /01/09506000134352/10/LOT1. "C"
    -- collation: byte order, so key prefixes are key ranges.
    key         text COLLATE "C" PRIMARY KEY CHECK (key LIKE '/%'),
    -- GS1 Company Prefix of the owning brand.
    brand       text NOT NULL CHECK (brand ~ '^[0-9]{4,12}$'),
    -- Primary key value from where the GS1 Company Prefix starts, matched
    -- against the brands a reader acts for.
    company     text COLLATE "C" NOT NULL,
    description text NOT NULL,
    -- Array of link objects: {"rel","href","title","type","hreflang",
    -- "context","fwqs","public"}.
    links       json NOT NULL CHECK (json_typeof(links) = 'array'),
    -- Whether links hold a gs1:defaultLink (checked when deleting a level
    -- above others).
    has_default boolean NOT NULL,
    seq         bigint NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX anchors_brand_key ON passport.anchors (brand, key);

CREATE TABLE passport.anchor_tombstones (
    key        text COLLATE "C" PRIMARY KEY,
    seq        bigint NOT NULL UNIQUE,
    deleted_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE passport.anchor_tombstones;
DROP TABLE passport.anchors;
DROP SEQUENCE passport.anchor_change_seq;
