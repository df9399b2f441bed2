-- api-gateway owns the "gateway" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role api_gateway. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA gateway IS 'api-gateway: the public entry point: routing, token validation, request ids.';
REVOKE ALL ON SCHEMA gateway FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA gateway IS NULL;
