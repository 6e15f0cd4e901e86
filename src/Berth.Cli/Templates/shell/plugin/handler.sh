#!/bin/sh
# One HTTP/1.1 request on stdin, its answer on stdout (see server.sh). The plugin contract: POST /execute, GET /health,
# GET /metrics.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/idempotency.sh"
max_body=4194304

read -r method target _ || exit 0
# Only safe characters reach the JSON answers and the metrics labels.
method=$(printf '%s' "$method" | tr -cd 'A-Z'); target=$(printf '%s' "$target" | tr -cd 'A-Za-z0-9/._~-' | cut -c1-200)
length=0
while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    [ -z "$line" ] && break
    case $(printf '%s' "${line%%:*}" | tr 'A-Z' 'a-z') in
        content-length) length=$(printf '%s' "${line#*:}" | tr -d ' \t') ;;
    esac
done

answer() { # STATUS BODY [CONTENT-TYPE]
    printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
        "$1" "${3:-application/json}" "$(printf '%s' "$2" | wc -c)" "$2"
}

count() { printf '%s %s\n' "$1" "$2" >> "$IDEMPOTENCY_DIR/requests.log"; }

# Shell has no JSON parser: these read a simple string field without escapes; use the python or node template for real JSON.
field() { printf '%s' "$body" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"\\\\]*\)\".*/\1/p"; }

# The plugin's work: inputs and outputs as declared in plugin.yaml. Replace it with yours.
execute() {
    if ! printf '%s' "$body" | grep -q '"text"[[:space:]]*:[[:space:]]*"'; then
        printf '{"success":false,"error":{"class":"user","message":"inputs.text must be a string"}}'
        return
    fi
    text=$(field text)
    words=$(printf '%s' "$text" | wc -w | tr -d ' ')
    characters=$(printf '%s' "$text" | wc -m | tr -d ' ')
    printf '{"success":true,"outputs":{"words":%s,"characters":%s}}' "$words" "$characters"
}

metrics() {
    echo "# HELP plugin_requests_total Requests served, by path and outcome."
    echo "# TYPE plugin_requests_total counter"
    sort "$IDEMPOTENCY_DIR/requests.log" 2>/dev/null | uniq -c | while read -r n route outcome; do
        echo "plugin_requests_total{path=\"$route\",outcome=\"$outcome\"} $n"
    done
    echo "# HELP plugin_executions_total Invocations executed (repeats answered from the record are not counted)."
    echo "# TYPE plugin_executions_total counter"
    echo "plugin_executions_total $(cat "$IDEMPOTENCY_DIR/executions.log" 2>/dev/null | wc -l | tr -d ' ')"
}

case "$method $target" in
    "GET /health") answer "200 OK" '{"status":"healthy"}' ;;
    "GET /metrics") answer "200 OK" "$(metrics)
" "text/plain; version=0.0.4" ;;
    "POST /execute")
        case $length in ''|*[!0-9]*) count /execute rejected; answer "400 Bad Request" '{"success":false,"error":{"class":"user","message":"bad Content-Length"}}'; exit 0 ;; esac
        if [ "$length" -gt "$max_body" ]; then count /execute rejected; answer "413 Payload Too Large" '{"success":false,"error":{"class":"user","message":"body too large"}}'; exit 0; fi
        body=$(head -c "$length")
        run_once "$(field invocationId)" execute > "$IDEMPOTENCY_DIR/answer.$$"
        out=$(cat "$IDEMPOTENCY_DIR/answer.$$"); rm -f "$IDEMPOTENCY_DIR/answer.$$"
        case $REPLAYED:$out in true:*) count /execute replayed ;; *'"success":true'*) count /execute success ;; *) count /execute failure ;; esac
        answer "200 OK" "$out" ;;
    *) count other rejected; answer "404 Not Found" "{\"success\":false,\"error\":{\"class\":\"user\",\"message\":\"no route $method $target\"}}" ;;
esac
