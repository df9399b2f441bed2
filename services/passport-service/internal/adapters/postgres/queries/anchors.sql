-- Queries of the anchor store (postgres.AnchorRepository) and the index sync
-- (postgres.IndexSync). Every name is qualified with the passport schema.

-- name: LockAnchorWrites :exec
-- Serialises the writers of link data until the transaction ends, so change
-- sequence numbers become visible in the order they were taken.
SELECT pg_advisory_xact_lock(@lock_key::bigint);

-- name: GetAnchorsByKeys :many
SELECT key, brand, description, links
FROM passport.anchors
WHERE key = ANY(@keys::text[]);

-- name: ExistingAnchorKeys :many
SELECT key
FROM passport.anchors
WHERE key = ANY(@keys::text[]);

-- name: UpsertAnchors :many
-- Writes a batch, arrays zipped in lockstep (sqlc knows only the
-- one-argument unnest); each row takes the next change sequence number.
INSERT INTO passport.anchors AS a (key, brand, company, description, links, has_default, seq)
SELECT u.key, u.brand, u.company, u.description, u.links, u.has_default, nextval('passport.anchor_change_seq')
FROM (
    SELECT unnest(@keys::text[]) AS key, unnest(@brands::text[]) AS brand,
           unnest(@companies::text[]) AS company, unnest(@descriptions::text[]) AS description,
           unnest(@links::json[]) AS links, unnest(@has_defaults::boolean[]) AS has_default
) AS u
ON CONFLICT (key) DO UPDATE
SET brand = EXCLUDED.brand, company = EXCLUDED.company, description = EXCLUDED.description,
    links = EXCLUDED.links, has_default = EXCLUDED.has_default, seq = EXCLUDED.seq, updated_at = now()
RETURNING a.seq;

-- name: DeleteTombstones :exec
DELETE FROM passport.anchor_tombstones
WHERE key = ANY(@keys::text[]);

-- name: NotifyAnchorChange :exec
-- Wakes every replica's index sync at commit; the payload is the latest
-- change sequence number.
SELECT pg_notify(@channel::text, @payload::text);

-- name: GetAnchor :one
SELECT key, brand, description, links, updated_at
FROM passport.anchors
WHERE key = @key;

-- name: ListAnchors :many
-- A page in key order. lo/hi bound a key prefix as a key range (hi = '' for
-- none); companies filter only when filter_companies is true.
SELECT key, brand, description, links, updated_at
FROM passport.anchors
WHERE key > @after::text
  AND key >= @lo::text
  AND (@hi::text = '' OR key < @hi::text)
  AND (@brand::text = '' OR brand = @brand::text)
  AND (NOT @filter_companies::boolean
       OR EXISTS (SELECT 1 FROM unnest(@companies::text[]) AS c(prefix) WHERE starts_with(company, c.prefix)))
ORDER BY key
LIMIT @row_limit::integer;

-- name: DeleteAnchor :one
DELETE FROM passport.anchors
WHERE key = @key
RETURNING key;

-- name: AnyHasDefault :one
SELECT EXISTS (
    SELECT 1 FROM passport.anchors WHERE key = ANY(@keys::text[]) AND has_default
) AS has_default;

-- name: FirstWithoutDefault :many
-- The first anchor in [lo, hi) without a default link of its own: with
-- lo = key || '/' and hi = key || '0' ('0' follows '/' in byte order), the
-- levels beneath key.
SELECT key
FROM passport.anchors
WHERE key >= @lo::text AND key < @hi::text AND NOT has_default
ORDER BY key
LIMIT 1;

-- name: UpsertTombstone :one
INSERT INTO passport.anchor_tombstones (key, seq)
VALUES (@key, nextval('passport.anchor_change_seq'))
ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, deleted_at = now()
RETURNING seq;

-- name: LastAnchorChange :one
-- The latest change sequence number applied to the tables, 0 for none.
SELECT GREATEST(
    (SELECT max(seq) FROM passport.anchors),
    (SELECT max(seq) FROM passport.anchor_tombstones),
    (SELECT max(anchor_seq) FROM passport.products),
    (SELECT max(seq) FROM passport.product_tombstones),
    0
)::bigint AS seq;

-- name: AnchorBatch :many
-- One batch of the full load, in key order after a key.
SELECT key, brand, description, links
FROM passport.anchors
WHERE key > @after::text
ORDER BY key
LIMIT @row_limit::integer;

-- name: AnchorChangesSince :many
-- Writes and deletes of anchors, and creations and deletions of catalog
-- products (product true, key = the GTIN's anchor key), after a sequence
-- number, in sequence order.
SELECT key, brand, description, links, seq, false AS deleted, false AS product
FROM passport.anchors
WHERE seq > @after::bigint
UNION ALL
SELECT key, ''::text, ''::text, '[]'::json, seq, true, false
FROM passport.anchor_tombstones
WHERE seq > @after::bigint
UNION ALL
SELECT '/01/' || gtin, ''::text, ''::text, '[]'::json, anchor_seq, false, true
FROM passport.products
WHERE anchor_seq > @after::bigint
UNION ALL
SELECT '/01/' || gtin, ''::text, ''::text, '[]'::json, seq, true, true
FROM passport.product_tombstones
WHERE seq > @after::bigint
ORDER BY seq
LIMIT @row_limit::integer;

-- name: TombstoneBatch :many
-- One batch of the keys deleted so far, for the full load: it removes what
-- an earlier, interrupted load may have left in the index.
SELECT key
FROM passport.anchor_tombstones
WHERE key > @after::text
ORDER BY key
LIMIT @row_limit::integer;
