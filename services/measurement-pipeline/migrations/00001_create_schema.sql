-- measurement-pipeline owns the "measurement" schema. `migrate` bootstraps it (with an admin
-- connection), owned by the role measurement_pipeline. This first migration, run as that role,
-- records what the schema is for and keeps everyone else out of it.

-- +goose Up
COMMENT ON SCHEMA measurement IS 'measurement-pipeline: consumer-side scan and fridge facts, consent filtering, pseudonymisation and aggregation.';
REVOKE ALL ON SCHEMA measurement FROM PUBLIC;

-- +goose Down
COMMENT ON SCHEMA measurement IS NULL;
