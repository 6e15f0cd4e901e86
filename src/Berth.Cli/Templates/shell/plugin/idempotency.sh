# Exactly-once at the agent, in shell: run_once KEY COMMAND... runs COMMAND once per KEY and keeps its answer.
# Berth may deliver a stored request again after a crash (at least once); a key already done gets the stored answer.
# One file per key under $IDEMPOTENCY_DIR/done, written to a temporary file, synced and renamed into place, so a
# crash never leaves half an answer. A lock directory per key (mkdir is atomic) keeps a redelivery from running while
# the first is still at work. At most $IDEMPOTENCY_KEEP keys (default 10000) are kept; the oldest half is then removed.
# Each real execution appends one line to $IDEMPOTENCY_DIR/executions.log (the work counter).

run_once() {
    key=$1; shift
    [ -n "$key" ] || { "$@"; return; }
    id=$(printf '%s' "$key" | sha256sum | cut -c1-64)
    lock="$IDEMPOTENCY_DIR/locks/$id"
    until mkdir "$lock" 2>/dev/null; do
        owner=$(cat "$lock/pid" 2>/dev/null || true)
        if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then rm -rf "$lock"; continue; fi  # left by a crash
        sleep 0.05
    done
    echo $$ > "$lock/pid"
    done_file="$IDEMPOTENCY_DIR/done/$id"
    if [ -f "$done_file" ]; then
        REPLAYED=true
        cat "$done_file"
    else
        REPLAYED=false
        tmp="$done_file.tmp.$$"
        "$@" > "$tmp"
        sync "$tmp" 2>/dev/null || sync
        mv "$tmp" "$done_file"
        printf '%s\n' "$key" >> "$IDEMPOTENCY_DIR/executions.log"
        cat "$done_file"
        prune
    fi
    rm -rf "$lock"
}

prune() {
    keep=${IDEMPOTENCY_KEEP:-10000}
    count=$(ls "$IDEMPOTENCY_DIR/done" | wc -l)
    [ "$count" -gt "$keep" ] || return 0
    (cd "$IDEMPOTENCY_DIR/done" && ls -t | tail -n "$((count - keep / 2))" | xargs rm -f)
}
