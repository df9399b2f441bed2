#!/usr/bin/env bash
# Catalog import load script (make bench-import). It generates N Open Food
# Facts records (the sample products repeated with unique GTINs, tools/cmd/
# offgen), rebuilds the passport schema of a bench database, and times
# `passport-service catalog import` over them twice: the first run creates
# every product, the second finds every product unchanged. It prints the
# import's own summary lines (records, created, updated, unchanged, rejected,
# rate) of both runs.
#
#   N=100000 tools/bench/catalog-import.sh
#
# Needs a PostgreSQL server: BENCH_DATABASE_URL (an admin URL; default the
# local server's packytrace_bench database, created when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-$PWD/bin}
DB=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/packytrace_bench?sslmode=disable}
N=${N:-100000}
DATA=${DATA:-$(mktemp -d -t catalog-import-XXXXXX)}
ROLE_PASSWORD=bench-only-password

go build -o "$BIN/" ./services/passport-service/cmd/passport-service
go run ./tools/cmd/ensuredb "$DB"
psql -q "$DB" -c 'SET client_min_messages = warning' -c 'DROP SCHEMA IF EXISTS passport CASCADE' >/dev/null
# The service role's URL: the admin URL with the role's name and password.
ROLE_URL=$(printf '%s' "$DB" | sed -E "s#://[^@/]*@#://passport_service:$ROLE_PASSWORD@#")

env DATABASE_URL="$ROLE_URL" DATABASE_ADMIN_URL="$DB" DATABASE_ROLE_PASSWORD="$ROLE_PASSWORD" \
	OIDC_ISSUER=http://127.0.0.1:9/realms/packytrace KAFKA_BROKERS=127.0.0.1:9 \
	"$BIN/passport-service" migrate >/dev/null

FILE="$DATA/off-$N.jsonl"
go run ./tools/cmd/offgen -n "$N" -o "$FILE"
echo "input: $FILE ($(du -h "$FILE" | cut -f1))"
for run in first second; do
	echo "== $run run"
	/usr/bin/time -f "wall %es, max RSS %M KiB" env DATABASE_URL="$ROLE_URL" \
		"$BIN/passport-service" catalog import -progress lines "$FILE" 2>"$DATA/$run.err"
	grep -Ev "^$FILE:[0-9]+: " "$DATA/$run.err" | tail -3
	echo "bad records reported: $(grep -Ec "^$FILE:[0-9]+: " "$DATA/$run.err"), e.g. $(grep -Em1 "^$FILE:[0-9]+: " "$DATA/$run.err")"
done
rm -rf "$DATA"
