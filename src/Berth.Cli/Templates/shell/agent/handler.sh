#!/bin/sh
# One HTTP/1.1 request on stdin, its answer on stdout (see server.sh). Routes: GET /health, POST /invoke.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/idempotency.sh"
max_body=1048576

read -r method target _ || exit 0
# Only safe characters reach the JSON answers and the metrics labels.
method=$(printf '%s' "$method" | tr -cd 'A-Z'); target=$(printf '%s' "$target" | tr -cd 'A-Za-z0-9/._~-' | cut -c1-200)
length=0; request_id=""; idempotency_key=""
while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    [ -z "$line" ] && break
    value=$(printf '%s' "${line#*:}" | sed 's/^[[:space:]]*//')
    case $(printf '%s' "${line%%:*}" | tr 'A-Z' 'a-z') in
        content-length) length=$value ;;
        berth-request-id) request_id=$value ;;
        idempotency-key) idempotency_key=$value ;;
    esac
done

answer() { # STATUS JSON [EXTRA-HEADER]
    printf 'HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n%s\r\n%s' \
        "$1" "$(printf '%s' "$2" | wc -c)" "${3:+$3
}" "$2"
}

# The agent's work: counts the words of {"text": "..."} (or of a plain-text body). Replace it with yours.
# Shell has no JSON parser: this reads a simple "text" string without escapes; use the python or node template for real JSON.
invoke() {
    text=$(printf '%s' "$body" | sed -n 's/.*"text"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p')
    case $body in *'"text"'*) ;; *) text=$body ;; esac
    words=$(printf '%s' "$text" | wc -w | tr -d ' ')
    printf '{"agent":"{{name}}","words":%s}' "$words"
}

case "$method $target" in
    "GET /health")
        executions=$(cat "$IDEMPOTENCY_DIR/executions.log" 2>/dev/null | wc -l | tr -d ' ')
        answer "200 OK" "{\"status\":\"healthy\",\"executions\":$executions}" ;;
    "POST /invoke")
        case $length in ''|*[!0-9]*) answer "400 Bad Request" '{"error":"bad Content-Length"}'; exit 0 ;; esac
        if [ "$length" -gt "$max_body" ]; then answer "413 Payload Too Large" '{"error":"body too large"}'; exit 0; fi
        body=$(head -c "$length")
        run_once "${request_id:-$idempotency_key}" invoke > "$IDEMPOTENCY_DIR/answer.$$"
        out=$(cat "$IDEMPOTENCY_DIR/answer.$$"); rm -f "$IDEMPOTENCY_DIR/answer.$$"
        replay=""; [ "$REPLAYED" = true ] && replay="Idempotent-Replay: true"
        answer "200 OK" "$out" "$replay" ;;
    *)
        answer "404 Not Found" "{\"error\":\"no route $method $target\"}" ;;
esac
