-- personalization-service owns the "personalization" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role personalization_service. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA personalization IS 'personalization-service: health profiles and verdict rules.';
REVOKE ALL ON SCHEMA personalization FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA personalization IS NULL;
