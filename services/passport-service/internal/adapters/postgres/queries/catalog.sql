-- Queries of the catalog store (postgres.CatalogRepository). Every name is
-- qualified with the passport schema.

-- name: InsertBrand :one
INSERT INTO passport.brands (id, name, prefixes)
VALUES (@id, @name, @prefixes::text[])
RETURNING id, name, prefixes, version, updated_at;

-- name: GetBrand :one
SELECT id, name, prefixes, version, updated_at
FROM passport.brands
WHERE id = @id;

-- name: GetBrandForUpdate :one
SELECT id, name, prefixes, version, updated_at
FROM passport.brands
WHERE id = @id
FOR UPDATE;

-- name: UpdateBrand :one
UPDATE passport.brands
SET name = @name, prefixes = @prefixes::text[], version = version + 1, updated_at = now()
WHERE id = @id
RETURNING id, name, prefixes, version, updated_at;

-- name: ListBrands :many
SELECT id, name, prefixes, version, updated_at
FROM passport.brands
WHERE id > @after::text
ORDER BY id
LIMIT @row_limit::integer;

-- name: BrandsByIDs :many
SELECT id, name, prefixes, version, updated_at
FROM passport.brands
WHERE id = ANY(@ids::text[]);

-- name: BrandsHoldingGTINs :many
-- For each GTIN, the brand whose longest GS1 Company Prefix covers it (the
-- prefix starts after the GTIN-14's indicator digit).
SELECT DISTINCT ON (g.gtin) g.gtin::text AS gtin, b.id
FROM unnest(@gtins::text[]) AS g(gtin)
JOIN passport.brands AS b ON true
CROSS JOIN LATERAL unnest(b.prefixes) AS p(prefix)
WHERE starts_with(substr(g.gtin, 2), p.prefix)
ORDER BY g.gtin, length(p.prefix) DESC, b.id;

-- name: EnsureBrands :exec
-- Creates the brands that do not exist yet (imports); existing ones are
-- left as they are.
INSERT INTO passport.brands (id, name)
SELECT u.id, u.name
FROM (SELECT unnest(@ids::text[]) AS id, unnest(@names::text[]) AS name) AS u
ON CONFLICT (id) DO NOTHING;

-- name: GetProduct :one
SELECT gtin, brand_id, doc, version, created_at, updated_at
FROM passport.products
WHERE gtin = @gtin;

-- name: GetProductForUpdate :one
SELECT gtin, brand_id, doc, version, created_at, updated_at
FROM passport.products
WHERE gtin = @gtin
FOR UPDATE;

-- name: InsertProduct :one
INSERT INTO passport.products (gtin, brand_id, doc, anchor_seq)
VALUES (@gtin, @brand_id, @doc, nextval('passport.anchor_change_seq'))
RETURNING gtin, brand_id, doc, version, created_at, updated_at, anchor_seq;

-- name: UpdateProduct :one
UPDATE passport.products
SET brand_id = @brand_id, doc = @doc, version = version + 1, updated_at = now()
WHERE gtin = @gtin
RETURNING gtin, brand_id, doc, version, created_at, updated_at;

-- name: DeleteProduct :exec
DELETE FROM passport.products
WHERE gtin = @gtin;

-- name: InsertProductTombstone :one
INSERT INTO passport.product_tombstones (gtin, seq)
VALUES (@gtin, nextval('passport.anchor_change_seq'))
ON CONFLICT (gtin) DO UPDATE SET seq = EXCLUDED.seq, deleted_at = now()
RETURNING seq;

-- name: DeleteProductTombstones :exec
DELETE FROM passport.product_tombstones
WHERE gtin = ANY(@gtins::text[]);

-- name: ListProducts :many
SELECT gtin, brand_id, doc, version, created_at, updated_at
FROM passport.products
WHERE gtin > @after::text
  AND (@brand_id::text = '' OR brand_id = @brand_id::text)
ORDER BY gtin
LIMIT @row_limit::integer;

-- name: UpsertProducts :many
-- Writes an import batch, arrays zipped in lockstep. A row whose brand and
-- facts equal what is stored is not touched and not returned; the others
-- come back with created true for new products.
INSERT INTO passport.products AS p (gtin, brand_id, doc, anchor_seq)
SELECT u.gtin, u.brand_id, u.doc, nextval('passport.anchor_change_seq')
FROM (
    SELECT unnest(@gtins::text[]) AS gtin, unnest(@brand_ids::text[]) AS brand_id,
           unnest(@docs::jsonb[]) AS doc
) AS u
ON CONFLICT (gtin) DO UPDATE
SET brand_id = EXCLUDED.brand_id, doc = EXCLUDED.doc, version = p.version + 1, updated_at = now()
WHERE p.brand_id IS DISTINCT FROM EXCLUDED.brand_id OR p.doc IS DISTINCT FROM EXCLUDED.doc
RETURNING p.gtin, p.version, p.created_at, p.updated_at, p.anchor_seq, (p.version = 1) AS created;

-- name: GetCheckpoint :one
SELECT source, byte_offset, records, updated_at
FROM passport.import_checkpoints
WHERE source = @source;

-- name: UpsertCheckpoint :exec
INSERT INTO passport.import_checkpoints (source, byte_offset, records)
VALUES (@source, @byte_offset, @records)
ON CONFLICT (source) DO UPDATE
SET byte_offset = EXCLUDED.byte_offset, records = EXCLUDED.records, updated_at = now();

-- name: DeleteCheckpoint :exec
DELETE FROM passport.import_checkpoints
WHERE source = @source;

-- name: ProductKeyBatch :many
-- One batch of the full index load: catalog GTINs in order after a GTIN.
SELECT gtin
FROM passport.products
WHERE gtin > @after::text
ORDER BY gtin
LIMIT @row_limit::integer;

-- name: ProductTombstoneBatch :many
SELECT gtin
FROM passport.product_tombstones
WHERE gtin > @after::text
ORDER BY gtin
LIMIT @row_limit::integer;
