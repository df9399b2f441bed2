-- passport-service owns the "passport" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role passport_service. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA passport IS 'passport-service: GS1 Digital Link resolution, the product catalog and links, scan records and the passport page.';
REVOKE ALL ON SCHEMA passport FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA passport IS NULL;
