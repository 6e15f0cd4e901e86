#!/usr/bin/env bash
# LLM gateway benchmark: what Berth's gateway (/llm/{endpoint}/v1/chat/completions) adds over calling the provider directly,
# and how many calls per second it passes while recording every one in the usage ledger. The provider is the fake
# OpenAI-compatible server of tests/Berth.Testing (FakeModelProvider) on 127.0.0.1, run in a process of its own; the load
# generator next to this script (LlmBench/) applies a ModelEndpoint pointing at it and measures, per store:
#   latency     the same chat completion, one call at a time, direct and through Berth: p50/p99 and the difference
#   first token the same streamed completion: time to the first content chunk, direct and through Berth
#   throughput  BENCH_CONCURRENCY callers for BENCH_DURATION, direct and through Berth; then the ledger
#               (GET /api/v1/usage?since=1h&by=endpoint) must count every call made through Berth, settled with its tokens
# Each store runs on a fresh `berth server` (scratch data directory, loopback port, rate limits off) and a fresh provider;
# PostgreSQL is a scratch cluster (bench/lib.sh), skipped with a note when none can be started. Two tables at the end.
# Everything it starts is stopped and removed on exit, Ctrl+C included. See README.md next to this file.
#   BENCH_DURATION     measured period of each throughput run (default 10s)
#   BENCH_WARMUP       warm-up before the latency calls and before each throughput run (default 5s)
#   BENCH_CALLS        timed calls of each kind each way, one at a time (default 2000)
#   BENCH_CONCURRENCY  concurrent callers of the throughput runs (default 16)
#   BENCH_STORES       stores to run (default "sqlite postgres")
#   BENCH_POSTGRES     use this PostgreSQL superuser URL instead of a scratch cluster (a database is created on it)
#   BENCH_POSTGRES_DURABILITY  normal (default: synchronous_commit off, as SQLite's WAL with synchronous=NORMAL), full, off
#   BENCH_BERTH_PORT   loopback port of the server (default 18498)
#   BENCH_BUILD_DIR    build output, kept between runs so rebuilds are quick (default ${TMPDIR:-/tmp}/berth-bench-build)
#   BENCH_BERTH_DLL    use this berth.dll instead of building src/Berth.Cli
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-5s}"
calls="${BENCH_CALLS:-2000}"
concurrency="${BENCH_CONCURRENCY:-16}"
stores="${BENCH_STORES:-sqlite postgres}"
berth_port="${BENCH_BERTH_PORT:-18498}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"
export BENCH_POSTGRES_DURABILITY="${BENCH_POSTGRES_DURABILITY:-normal}"

bench_name=bench/llm
# shellcheck source=../lib.sh
source "$here/../lib.sh"

for tool in curl dotnet; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y curl; .NET SDK per global.json)"
done
for s in $stores; do [[ "$s" == sqlite || "$s" == postgres ]] || die "BENCH_STORES holds '$s'; use sqlite and/or postgres"; done
[[ -n "$stores" ]] || die "BENCH_STORES must name at least one store"
for n in "$calls" "$concurrency"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CALLS and BENCH_CONCURRENCY must be positive whole numbers, found '$n'"
done
# The store of the server is set here, never taken from the caller's environment.
unset BERTH_STORE BERTH_SECRETS_KEY

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-llm.XXXXXX")"
berth_pid="" child_pid="" provider_pid="" berth_dll="${BENCH_BERTH_DLL:-}" database=""

stop_provider() {
  [[ -n "$provider_pid" ]] || return 0
  stop_pid "$provider_pid" 10
  provider_pid=""
  # Its last line says how large it grew.
  [[ -s "$scratch/provider.log" ]] && tail -n 1 "$scratch/provider.log" >&2
  return 0
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 10
  stop_pid "$berth_pid" 15
  stop_provider
  [[ -z "$database" ]] || postgres_drop "$database"
  stop_postgres
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The fake provider on 127.0.0.1 (a port the kernel picks), in a process of its own; sets provider_url to its OpenAI base URL.
start_provider() {
  rm -f "$scratch/provider.url"
  dotnet "$bench_dll" provider --url-file "$scratch/provider.url" >"$scratch/provider.log" 2>&1 &
  provider_pid=$!
  for _ in $(seq 1 200); do
    [[ -s "$scratch/provider.url" ]] && break
    kill -0 "$provider_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ ! -s "$scratch/provider.url" ]]; then
    tail -n 20 "$scratch/provider.log" >&2
    die "the fake provider did not start (its output is above)"
  fi
  provider_url="$(cat "$scratch/provider.url")"
}

# Starts PostgreSQL once, or says why it cannot (false). start_postgres dies on failure, so it runs in a subshell first:
# only the subshell exits, and the cluster it may have left in $scratch/postgres is still stopped on exit.
postgres_ready=""
ensure_postgres() {
  [[ -z "$postgres_ready" ]] || return "$postgres_ready"
  postgres_ready=1
  if [[ -z "${BENCH_POSTGRES:-}" ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    note "PostgreSQL's server binaries are missing (Debian: apt-get install -y postgresql), and BENCH_POSTGRES is not set"
    return 1
  fi
  local url
  url="$(start_postgres && printf '%s\n' "$postgres_url")" || url=""
  [[ -n "${BENCH_POSTGRES:-}" || ! -d "$scratch/postgres" ]] || postgres_dir="$scratch/postgres"
  [[ -n "$url" ]] || return 1
  postgres_url="$url"
  postgres_ready=0
}

# ---- build ----
if [[ -n "$berth_dll" ]]; then what="the load generator (using berth at $berth_dll)"; else what="the load generator and berth"; fi
step "Building $what into $build_dir"
mkdir -p "$build_dir"
in_background dotnet build "$here/LlmBench/LlmBench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly \
  --artifacts-path "$build_dir/artifacts" >&2 || die "building bench/llm/LlmBench failed (errors above)"
bench_dll="$build_dir/artifacts/bin/LlmBench/release/llm-bench.dll"
build_berth

# ---- measure ----
results="$scratch/results.tsv"
: >"$results"
skipped=()
pg_version=""
rc=0
for store in $stores; do
  store_url=""
  if [[ "$store" == postgres ]]; then
    step "Starting PostgreSQL${BENCH_POSTGRES:+ (BENCH_POSTGRES)} (durability $BENCH_POSTGRES_DURABILITY)"
    if ! ensure_postgres; then
      skipped+=("postgres: skipped, no PostgreSQL could be started (the reason is in the notes above)")
      continue
    fi
    pg_version="$(postgres_query "$postgres_url" "SHOW server_version" 2>/dev/null || echo "?")"
    database=berth_bench_llm
    if ! store_url="$(postgres_database "$database")"; then
      skipped+=("postgres: skipped, the database $database could not be created")
      database=""
      continue
    fi
  fi

  step "$store: fresh fake provider and berth server on 127.0.0.1:$berth_port"
  rm -rf "$scratch/berth-data"
  start_provider
  note "fake provider at $provider_url"
  if [[ -n "$store_url" ]]; then
    BERTH_STORE="$store_url" start_berth process --Berth:RateLimit:Enabled false # the URL holds a password: not on the command line
  else
    start_berth process --Berth:RateLimit:Enabled false
  fi
  cell_rc=0
  in_background dotnet "$bench_dll" run --server "http://127.0.0.1:$berth_port/" --token-file "$scratch/berth-data/admin.token" \
    --provider "$provider_url" --store "$store" --calls "$calls" --warmup "$warmup" --duration "$duration" \
    --concurrency "$concurrency" --result-file "$results" --watch "server=$berth_pid" --watch "provider=$provider_pid" || cell_rc=$?
  if (( cell_rc != 0 )); then
    rc=1
    note "the server's last log lines ($scratch/berth.log):"
    tail -n 15 "$scratch/berth.log" | sed 's/^/      /' >&2
  fi
  # Warnings and errors, but for the two every such server logs at start (the admin token written, rate limits off).
  if logged="$(grep -E ' (warn|fail|crit): ' "$scratch/berth.log" | grep -Ev 'AdminTokenBootstrap|RateLimitingPipeline')"; then
    note "the server logged $(wc -l <<<"$logged") warnings or errors; the first:"
    head -n 5 <<<"$logged" | cut -c1-400 | sed 's/^/      /' >&2
  fi
  stop_pid "$berth_pid" 15
  berth_pid=""
  stop_provider
  if [[ -n "$database" ]]; then
    postgres_drop "$database"
    database=""
  fi
done

# ---- report ----
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes in src/)"
[[ -n "${BENCH_BERTH_DLL:-}" ]] && commit="$BENCH_BERTH_DLL (given; this tree: $commit)"

echo
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: berth $commit, .NET SDK $(dotnet --version 2>/dev/null)${pg_version:+, PostgreSQL $pg_version (durability $BENCH_POSTGRES_DURABILITY)}"
echo
echo "latency, one call at a time: $calls calls of each kind each way after a $warmup warm-up (ms; added = berth - direct, same percentile)"
{
  printf 'store\tcall\tdirect p50\tdirect p99\tberth p50\tberth p99\tadded p50\tadded p99\n'
  awk -F'\t' '$1 == "latency"' "$results" | cut -f2-
} | column -t -s $'\t'
echo
echo "throughput: $concurrency callers, chat completions, warm-up $warmup, measured $duration; every call through berth is recorded"
{
  printf 'store\tway\tcallers\tcalls/s\tp50 ms\tp99 ms\tserver CPU ms/call\tanswered\tstatus\n'
  awk -F'\t' '$1 == "throughput"' "$results" | cut -f2-
} | column -t -s $'\t'
awk -F'\t' '$1 == "failed" { printf "%s: FAILED: %s\n", $2, $3 }' "$results"
for line in "${skipped[@]}"; do echo "$line"; done
exit "$rc"
