-- identity-service owns the "identity" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role identity_service. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA identity IS 'identity-service: visitors, accounts and consent, integrated with Keycloak.';
REVOKE ALL ON SCHEMA identity FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA identity IS NULL;
