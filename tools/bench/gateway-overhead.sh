#!/usr/bin/env bash
# Gateway overhead load script (make bench-gateway). In one run, on loopback
# only, it starts a benchmark backend and the real api-gateway binary (info
# logging, metrics, token middleware, routing, proxy), then drives the same
# resource straight at the backend and through the gateway with the same
# concurrency, and prints both throughputs, p50/p99 and the ratio.
#
#   C=64 D=10s tools/bench/gateway-overhead.sh
#
# Needs a PostgreSQL server (TEST_DATABASE_URL, default the local one): the
# gateway opens its pool at start. No token is sent, so the identity provider
# is not needed; the gateway's /healthz is awaited, not /readyz.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-$PWD/bin}
DB=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/packytrace_test?sslmode=disable}
C=${C:-64}
D=${D:-10s}
BACKEND=${BACKEND:-127.0.0.1:18281}
GATEWAY=${GATEWAY:-127.0.0.1:18280}
LOG=${LOG:-$(mktemp -t gateway-bench-XXXXXX.log)}

go build -o "$BIN/" ./tools/cmd/gatewaybench ./services/api-gateway/cmd/api-gateway
go run ./tools/cmd/ensuredb "$DB"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

"$BIN/gatewaybench" -serve-backend "$BACKEND" >/dev/null &
pids+=($!)
env HTTP_ADDR="$GATEWAY" DATABASE_URL="$DB" OIDC_ISSUER=http://127.0.0.1:9/realms/packytrace LOG_LEVEL="${LOG_LEVEL:-info}" \
	BACKEND_PASSPORT_URL="http://$BACKEND" BACKEND_FRIDGE_URL="http://$BACKEND" \
	BACKEND_MEASUREMENT_URL="http://$BACKEND" BACKEND_IDENTITY_URL="http://$BACKEND" \
	BACKEND_PERSONALIZATION_URL="http://$BACKEND" BACKEND_ANALYTICS_URL="http://$BACKEND" \
	DEBUG_ADDR="${DEBUG_ADDR:-}" "$BIN/api-gateway" serve >"$LOG" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
	if curl -fs "http://$GATEWAY/healthz" >/dev/null && curl -fs "http://$BACKEND/healthz" >/dev/null; then break; fi
	sleep 0.1
done
echo "gateway log: $LOG"
"$BIN/gatewaybench" -direct "http://$BACKEND/api/v1/passport/bench" \
	-gateway "http://$GATEWAY/api/v1/passport/bench" -c "$C" -d "$D"
