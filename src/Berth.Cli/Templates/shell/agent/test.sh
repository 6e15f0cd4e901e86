#!/bin/sh
# Tests for {{name}}: run `sh test.sh` (busybox only). Starts server.sh on a port and checks health, invoke and a repeat.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
port=${TEST_PORT:-$((20000 + $$ % 20000))}
state=$(mktemp -d)
IDEMPOTENCY_DIR=$state PORT=$port sh "$here/server.sh" > "$state/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$state"' EXIT
get() { busybox wget -q -O - "http://127.0.0.1:$port$1"; }
post() { busybox wget -q -O - --header "Idempotency-Key: $2" --post-data "$3" "http://127.0.0.1:$port$1"; }
fail() { echo "FAIL: $*"; cat "$state/server.log"; exit 1; }
i=0; until get /health > /dev/null 2>&1; do i=$((i + 1)); [ $i -lt 100 ] || fail "server.sh did not answer /health"; sleep 0.1; done

get /health | grep -q '"status":"healthy"' || fail "health is not healthy"
post /invoke "" '{"text": "one two three"}' | grep -q '"words":3' || fail "invoke did not count 3 words"
before=$(get /health | sed 's/.*"executions":\([0-9]*\).*/\1/')
first=$(post /invoke "key-$$" '{"text": "a b"}')
second=$(post /invoke "key-$$" '{"text": "a b"}')
after=$(get /health | sed 's/.*"executions":\([0-9]*\).*/\1/')
[ "$first" = "$second" ] || fail "a repeated key got a different answer: $first / $second"
[ $((after - before)) -eq 1 ] || fail "a repeated key ran $((after - before)) times"
echo "ok: health, invoke, repeated key ran once"
