-- brand-analytics-service owns the "analytics" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role brand_analytics_service. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA analytics IS 'brand-analytics-service: privacy-preserving brand aggregates and the brand dashboard.';
REVOKE ALL ON SCHEMA analytics FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA analytics IS NULL;
