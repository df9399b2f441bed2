-- fridge-service owns the "fridge" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role fridge_service. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA fridge IS 'fridge-service: the shopper''s virtual fridge: items, expiry checks and reminders, waste summary.';
REVOKE ALL ON SCHEMA fridge FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA fridge IS NULL;
