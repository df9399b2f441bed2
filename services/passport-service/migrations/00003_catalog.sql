-- The product catalog: brands, products keyed by GTIN-14 and the checkpoints
-- of resumable imports.
--
-- A product's facts are one jsonb document (the adapter's storage form of
-- catalog.Product, with the computed Nutri-Score): they are read and written
-- whole, and jsonb equality tells an import that a record changes nothing.
--
-- Products also feed the resolver's index: every catalog product has the
-- passport page as a gs1:pip link. Creating and deleting a product takes the
-- next value of anchor_change_seq (anchor_seq, or a tombstone's seq) under
-- the same advisory lock as link writes, so the index sync follows products
-- and anchors in one ordered change stream.

-- +goose Up
CREATE TABLE passport.brands (
    id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$'),
    name       text NOT NULL,
    prefixes   text[] NOT NULL DEFAULT '{}',
    version    bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX brands_prefixes ON passport.brands USING gin (prefixes);

CREATE TABLE passport.products (
    gtin       text COLLATE "C" PRIMARY KEY CHECK (gtin ~ '^[0-9]{14}$'),
    brand_id   text NOT NULL REFERENCES passport.brands (id),
    doc        jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
    version    bigint NOT NULL DEFAULT 1,
    -- Change sequence number of the product's creation, for the index sync.
    anchor_seq bigint NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_brand_gtin ON passport.products (brand_id, gtin);

CREATE TABLE passport.product_tombstones (
    gtin       text COLLATE "C" PRIMARY KEY,
    seq        bigint NOT NULL UNIQUE,
    deleted_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE passport.import_checkpoints (
    -- Digest identifying the input (its size and first bytes).
    source      text PRIMARY KEY,
    byte_offset bigint NOT NULL CHECK (byte_offset >= 0),
    records     bigint NOT NULL CHECK (records >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE passport.import_checkpoints;
DROP TABLE passport.product_tombstones;
DROP TABLE passport.products;
DROP TABLE passport.brands;
