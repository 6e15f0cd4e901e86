#!/usr/bin/env bash
# Messaging benchmark: publish -> ack end to end through Berth's pull subscriptions, messages/s and p50/p99 latency, for the
# embedded store and RabbitMQ, with 1 and 8 consumers. Each cell runs on a fresh `berth server` (scratch data directory,
# loopback port, rate limits off) driven by the load generator next to this script (MessagingBench/), which checks that every
# published message was acked and counts duplicates; the script prints one table at the end.
# Everything it starts (the server, a RabbitMQ node when none answered, the scratch folder) is stopped and removed on exit,
# Ctrl+C included. See README.md next to this file for what the figures mean.
#   BENCH_DURATION     measured period per cell (default 10s)     BENCH_WARMUP   warm-up first, same load (default 5s)
#   BENCH_BACKENDS     backends to run (default "embedded rabbitmq")
#   BENCH_CONSUMERS    consumer counts to run (default "1 8")     BENCH_PUBLISHERS  concurrent publishers (default 16)
#   BENCH_BATCH        max messages per receive (default 100)     BENCH_WAIT     a receive's long-poll wait (default 1s)
#   BENCH_WINDOW       most messages published and not yet acked; publishers wait beyond it (default 1000)
#   BENCH_BODY_PADDING bytes of padding in each body (default 200) BENCH_DRAIN   time allowed to ack the rest after the last publish (default 60s)
#   BENCH_RABBITMQ_URL the RabbitMQ server (default amqp://guest:guest@127.0.0.1:5672/); when nothing answers on its
#                      127.0.0.1 port the script starts a throwaway node there and stops it on exit
#   BENCH_BERTH_PORT   loopback port of the server (default 18497)
#   BENCH_BUILD_DIR    build output, kept between runs so rebuilds are quick (default ${TMPDIR:-/tmp}/berth-bench-build)
#   BENCH_BERTH_DLL    use this berth.dll instead of building src/Berth.Cli
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-5s}"
backends="${BENCH_BACKENDS:-embedded rabbitmq}"
consumer_counts="${BENCH_CONSUMERS:-1 8}"
publishers="${BENCH_PUBLISHERS:-16}"
batch="${BENCH_BATCH:-100}"
wait_for="${BENCH_WAIT:-1s}"
window="${BENCH_WINDOW:-1000}"
padding="${BENCH_BODY_PADDING:-200}"
drain="${BENCH_DRAIN:-60s}"
rabbitmq_url="${BENCH_RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/}"
berth_port="${BENCH_BERTH_PORT:-18497}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"

bench_name=bench/messaging
# shellcheck source=../lib.sh
source "$here/../lib.sh"
wants_rabbitmq() { [[ " $backends " == *" rabbitmq "* ]]; }

for tool in curl dotnet; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y curl; .NET SDK per global.json)"
done
for b in $backends; do [[ "$b" == embedded || "$b" == rabbitmq ]] || die "BENCH_BACKENDS holds '$b'; use embedded and/or rabbitmq"; done
for n in $consumer_counts "$publishers" "$batch" "$window"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONSUMERS, BENCH_PUBLISHERS, BENCH_BATCH and BENCH_WINDOW must be positive whole numbers, found '$n'"
done
[[ -n "$backends" && -n "$consumer_counts" ]] || die "BENCH_BACKENDS and BENCH_CONSUMERS must name at least one backend and one count"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-msg.XXXXXX")"
berth_pid="" child_pid="" berth_dll="${BENCH_BERTH_DLL:-}" rabbitmq_node=""

# The RabbitMQ URL's host and port; a node is started only on a loopback port nothing answers on.
rabbitmq_port="$(sed -nE 's#^amqps?://([^@/]*@)?127\.0\.0\.1:([0-9]+).*#\2#p' <<<"$rabbitmq_url")"
[[ -z "$rabbitmq_port" && "$rabbitmq_url" =~ ^amqp://([^@/]*@)?127\.0\.0\.1/?$ ]] && rabbitmq_port=5672

stop_rabbitmq() {
  [[ -n "$rabbitmq_node" ]] || return 0
  # With the pid file, stop waits until the node's process has exited, so its data directory can go.
  rabbitmqctl -q -n "$rabbitmq_node" stop "$scratch/rabbitmq/pid" >/dev/null 2>&1 || true
  rabbitmq_node=""
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 10
  stop_pid "$berth_pid" 15
  stop_rabbitmq
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- RabbitMQ: the one that answers, or a throwaway node of our own (its data in the scratch folder) ----
if wants_rabbitmq && ! port_free "${rabbitmq_port:-5672}"; then
  note "RabbitMQ answers on 127.0.0.1:${rabbitmq_port:-5672}; using it"
elif wants_rabbitmq; then
  [[ -n "$rabbitmq_port" ]] || die "nothing answers at $rabbitmq_url and it is not a 127.0.0.1 address this script could start a node on"
  command -v rabbitmq-server >/dev/null 2>&1 || die "'rabbitmq-server' is not installed (Debian: apt-get install -y rabbitmq-server), or set BENCH_BACKENDS=embedded"
  step "Starting a RabbitMQ node on 127.0.0.1:$rabbitmq_port (stopped on exit)"
  rabbitmq_node="berth-bench-$$@localhost"
  mkdir -p "$scratch/rabbitmq"
  # Debian's wrapper runs the node as the rabbitmq user when started by root: let it write its data directory.
  if [[ "$(id -u)" == 0 ]] && id rabbitmq >/dev/null 2>&1; then
    chmod 711 "$scratch"
    chown rabbitmq: "$scratch/rabbitmq"
  fi
  RABBITMQ_NODENAME="$rabbitmq_node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$rabbitmq_port" \
    RABBITMQ_DIST_PORT=$((rabbitmq_port + 20000)) RABBITMQ_MNESIA_BASE="$scratch/rabbitmq/mnesia" \
    RABBITMQ_LOG_BASE="$scratch/rabbitmq/log" RABBITMQ_PID_FILE="$scratch/rabbitmq/pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$scratch/rabbitmq/enabled_plugins" \
    rabbitmq-server -detached >"$scratch/rabbitmq/start.log" 2>&1 || { cat "$scratch/rabbitmq/start.log" >&2; die "rabbitmq-server did not start"; }
  timeout 120 rabbitmqctl -q -n "$rabbitmq_node" await_startup >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do port_free "$rabbitmq_port" || break; sleep 1; done
  if port_free "$rabbitmq_port"; then
    tail -n 30 "$scratch"/rabbitmq/log/*.log >&2 2>/dev/null || true
    die "the RabbitMQ node did not come up on 127.0.0.1:$rabbitmq_port (its log is above)"
  fi
fi
rabbitmq_pid() { # beam.smp of the node behind the URL, for the CPU figures; empty when unknown
  local node="${rabbitmq_node:-}" pid
  pid="$(rabbitmqctl -q ${node:+-n "$node"} eval 'os:getpid().' 2>/dev/null | tr -dc '0-9')" || true
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] && echo "$pid"
}

# ---- build ----
if [[ -n "$berth_dll" ]]; then what="the load generator (using berth at $berth_dll)"; else what="the load generator and berth"; fi
step "Building $what into $build_dir"
mkdir -p "$build_dir"
in_background dotnet build "$here/MessagingBench/MessagingBench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly \
  --artifacts-path "$build_dir/artifacts" >&2 || die "building bench/messaging/MessagingBench failed (errors above)"
bench_dll="$build_dir/artifacts/bin/MessagingBench/release/messaging-bench.dll"
build_berth

# ---- measure ----
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes in src/)"
[[ -n "${BENCH_BERTH_DLL:-}" ]] && commit="$BENCH_BERTH_DLL (given; this tree: $commit)"
rabbitmq_version=""
wants_rabbitmq && rabbitmq_version=", RabbitMQ $(rabbitmqctl -q ${rabbitmq_node:+-n "$rabbitmq_node"} version 2>/dev/null || echo '?')"
results="$scratch/results.tsv"
: >"$results"
rc=0
for backend in $backends; do
  for consumers in $consumer_counts; do
    step "$backend, $consumers consumer(s): fresh berth server on 127.0.0.1:$berth_port"
    rm -rf "$scratch/berth-data"
    server_args=(--Berth:RateLimit:Enabled false --Berth:Messaging:Backend "$backend")
    [[ "$backend" == rabbitmq ]] && server_args+=(--Berth:Messaging:RabbitMq:Url "$rabbitmq_url")
    start_berth process "${server_args[@]}"
    watch=(--watch "server=$berth_pid")
    if [[ "$backend" == rabbitmq ]] && beam="$(rabbitmq_pid)"; then watch+=(--watch "rabbitmq=$beam"); fi
    cell_rc=0
    in_background dotnet "$bench_dll" --server "http://127.0.0.1:$berth_port/" --token-file "$scratch/berth-data/admin.token" \
      --backend "$backend" --consumers "$consumers" --publishers "$publishers" --batch "$batch" --wait "$wait_for" \
      --window "$window" --padding "$padding" --warmup "$warmup" --duration "$duration" --drain "$drain" \
      --result-file "$results" "${watch[@]}" || cell_rc=$?
    if (( cell_rc != 0 )); then
      rc=1
      note "the server's last log lines ($scratch/berth.log):"
      tail -n 15 "$scratch/berth.log" | sed 's/^/      /' >&2
    fi
    stop_pid "$berth_pid" 15
    berth_pid=""
  done
done

echo
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: berth $commit, .NET SDK $(dotnet --version 2>/dev/null)$rabbitmq_version"
echo "load: $publishers publishers, consumers long-poll max $batch wait $wait_for and ack each batch; window $window; warm-up $warmup, measured $duration"
echo
{
  printf 'backend\tconsumers\tmsgs/s\tp50 ms\tp99 ms\tpublished\tacked\tduplicates\tstatus\n'
  cat "$results"
} | column -t -s $'\t'
exit "$rc"
