#!/bin/sh
# Contract tests for {{name}}: run `sh test.sh` (busybox only). Starts server.sh on a port and checks the contract.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
port=${TEST_PORT:-$((20000 + $$ % 20000))}
state=$(mktemp -d)
IDEMPOTENCY_DIR=$state PORT=$port sh "$here/server.sh" > "$state/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$state"' EXIT
get() { busybox wget -q -O - "http://127.0.0.1:$port$1"; }
execute() { busybox wget -q -O - --post-data "{\"inputs\":$1,\"context\":{\"invocationId\":\"$2\"}}" "http://127.0.0.1:$port/execute"; }
executions() { get /metrics | sed -n 's/^plugin_executions_total \([0-9]*\)$/\1/p'; }
fail() { echo "FAIL: $*"; cat "$state/server.log"; exit 1; }
i=0; until get /health > /dev/null 2>&1; do i=$((i + 1)); [ $i -lt 100 ] || fail "server.sh did not answer /health"; sleep 0.1; done

[ "$(get /health)" = '{"status":"healthy"}' ] || fail "health is not healthy"
out=$(execute '{"text":"hello berth world"}' t-1)
[ "$out" = '{"success":true,"outputs":{"words":3,"characters":17}}' ] || fail "the example gave $out"
execute '{"text":3}' t-2 | grep -q '"class":"user"' || fail "a bad input is not a user error"
before=$(executions)
first=$(execute '{"text":"a b"}' "t-$$")
second=$(execute '{"text":"a b"}' "t-$$")
after=$(executions)
[ "$first" = "$second" ] || fail "a repeated invocation got a different answer"
[ $((after - before)) -eq 1 ] || fail "a repeated invocation ran $((after - before)) times"
get /metrics | grep -q '^# TYPE plugin_requests_total counter$' || fail "/metrics is not Prometheus text"
echo "ok: health, example, user error, repeated invocation ran once, metrics"
