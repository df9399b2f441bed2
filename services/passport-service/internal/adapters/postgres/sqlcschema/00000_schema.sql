-- For sqlc only: the schema that `passport-service migrate` creates with its
-- admin connection (adapters/postgres Bootstrap) before the migrations run.
-- sqlc reads this file ahead of ../../../../migrations; nothing executes it.
CREATE SCHEMA passport;
