-- +goose Up
ALTER TABLE items ADD COLUMN quantity integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE items DROP COLUMN quantity;
