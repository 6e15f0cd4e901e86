#!/usr/bin/env bash
# Plugin benchmark: calls/s and p50/p90/p99 latency of invoking the text-analysis process plugin
# (tests/plugins/text-analysis) through POST /api/v1/plugins/{id}/invoke, for 1 caller and for 8 concurrent callers,
# measured with wrk; beside them the same plugin called directly (its own POST /execute, no Berth) for the floor.
# Everything it starts (the direct plugin, berth server, the plugin's pool, the scratch folder) is removed on exit.
#   BENCH_DURATION   measured run per row (default 10s)     BENCH_WARMUP   warm-up run first (default 10s)
#   BENCH_CALLERS    concurrent callers per row (default "1 8"; wrk connections, one call in flight on each)
#   BENCH_POOL       the plugin's pool for the run (default "{ minWarm: 1, maxInstances: 2, concurrency: 4 }")
#   BENCH_PLUGIN_PORT / BENCH_BERTH_PORT   loopback ports (default 18490 / 18492)
#   BENCH_BUILD_DIR  build output, kept between runs (default ${TMPDIR:-/tmp}/berth-bench-build)
#   BENCH_BERTH_DLL  use this berth.dll instead of building src/Berth.Cli
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-10s}"
callers="${BENCH_CALLERS:-1 8}"
pool="${BENCH_POOL:-{ minWarm: 1, maxInstances: 2, concurrency: 4 }}"
plugin_port="${BENCH_PLUGIN_PORT:-18490}"
berth_port="${BENCH_BERTH_PORT:-18492}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"
plugin_id=bench-text-analysis
source_dir="$root/tests/plugins/text-analysis"

bench_name=bench/plugins
# shellcheck source=../lib.sh
source "$here/../lib.sh"

for tool in wrk curl dotnet /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y wrk curl python3; .NET SDK per global.json)"
done
for n in $callers; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CALLERS holds '$n'; use positive whole numbers like \"1 8\""; done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench.XXXXXX")"
direct_pid="" berth_pid="" child_pid="" berth_dll="${BENCH_BERTH_DLL:-}" token=""

berth() { BERTH_URL="http://127.0.0.1:$berth_port" BERTH_TOKEN="$token" BERTH_DATA_DIR="$scratch/berth-data" dotnet "$berth_dll" "$@"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 5
  stop_pid "$direct_pid" 5
  if [[ -n "$berth_pid" ]] && kill -0 "$berth_pid" 2>/dev/null; then
    # Removing the plugin stops its pool; Berth leaves agents running when it stops, so this comes first.
    berth plugins rm "$plugin_id" --yes >/dev/null 2>&1 || true
    stop_pid "$berth_pid" 15
  fi
  local state pid
  while IFS= read -r state; do
    pid="$(sed -n 's/^ *"pid": *\([0-9][0-9]*\).*/\1/p' "$state" | head -n 1)"
    if [[ -n "$pid" ]] && grep -qa server.py "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done < <(find "$scratch/berth-data" -name instance.json 2>/dev/null)
  rm -rf "$scratch" "${plugins_dir:-}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A status rps p50 p90 p99 total errors
rows=""

to_ms() { # wrk latency such as 850.00us, 1.23ms, 1.02s -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u != "ms") { print "?"; exit }
    printf "%.2f", n }'
}

wrk_field() { # file, field
  case "$2" in
    rps) awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1" ;;
    p50|p90|p99) to_ms "$(awk -v p="${2#p}%" '/Latency Distribution/ { f = 1; next } f && $1 == p { print $2; exit }' "$1")" ;;
    total) awk '/ requests in / { print $1; exit }' "$1" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1" ;;
    sock) awk '/Socket errors:/ { gsub(",", ""); n = $4 + $6 + $8 + $10 } END { print n + 0 }' "$1" ;;
  esac
}

# One call first: it must answer the plugin's outputs, never an error, before anything is measured.
preflight() { # url [curl args...]
  local url="$1" code; shift
  code="$(curl -s -o "$scratch/preflight" -w '%{http_code}' --max-time 30 -X POST -H 'Content-Type: application/json' \
    --data '{"inputs":{"text":"the quick brown fox"}}' "$@" "$url" 2>/dev/null)" || code=none
  [[ "$code" == 200 ]] && grep -q '"wordCount": *4' "$scratch/preflight" && return 0
  note "POST $url answered HTTP $code: $(head -c 300 "$scratch/preflight" 2>/dev/null | tr '\n' ' ')"
  return 1
}

measure() { # row-prefix label url [wrk args...]
  local prefix="$1" name="$2" url="$3" n key out; shift 3
  for n in $callers; do
    key="$prefix$n"
    rows="$rows $key"
    label[$key]="$name, $n caller(s)"
    out="$scratch/wrk.$key"
    note "${label[$key]}: warm-up $warmup, then $duration"
    in_background wrk -t"$(( n < 2 ? 1 : 2 ))" -c"$n" -d"$warmup" --timeout 30s -s "$here/invoke.lua" "$@" "$url" >/dev/null 2>&1 || true
    if ! in_background wrk -t"$(( n < 2 ? 1 : 2 ))" -c"$n" -d"$duration" --timeout 30s --latency -s "$here/invoke.lua" "$@" "$url" >"$out" 2>&1; then
      status[$key]="FAILED: wrk: $(tail -n 2 "$out" | tr '\n' ' ')"
      continue
    fi
    sed 's/^/      /' "$out" >&2
    rps[$key]="$(wrk_field "$out" rps)"
    p50[$key]="$(wrk_field "$out" p50)"
    p90[$key]="$(wrk_field "$out" p90)"
    p99[$key]="$(wrk_field "$out" p99)"
    total[$key]="$(wrk_field "$out" total)"
    errors[$key]=$(( $(wrk_field "$out" non2xx) + $(wrk_field "$out" sock) ))
    if (( errors[$key] > 0 )); then status[$key]="FAILED: ${errors[$key]} calls were errors"; else status[$key]=ok; fi
  done
}
declare -A label

# ---- build ----
step "Building berth${berth_dll:+ (using $berth_dll)} into $build_dir"
mkdir -p "$build_dir"
build_berth

# ---- (a) the plugin alone ----
step "Starting the plugin alone on 127.0.0.1:$plugin_port and measuring its own POST /execute"
port_free "$plugin_port" || die "port $plugin_port is in use; set BENCH_PLUGIN_PORT"
(cd "$source_dir" && PORT="$plugin_port" exec /usr/bin/python3 server.py) 2>"$scratch/direct.log" &
direct_pid=$!
wait_answer "http://127.0.0.1:$plugin_port/health" "$direct_pid" || die "the plugin did not start: $(tail -n 5 "$scratch/direct.log")"
if preflight "http://127.0.0.1:$plugin_port/execute"; then
  measure a "(a) plugin alone" "http://127.0.0.1:$plugin_port/execute"
else
  for n in $callers; do rows="$rows a$n"; label[a$n]="(a) plugin alone, $n caller(s)"; status[a$n]="FAILED: preflight"; done
fi
stop_pid "$direct_pid" 5
direct_pid=""

# ---- (b) through Berth ----
step "Starting berth server on 127.0.0.1:$berth_port (process runtime, rate limits off) and installing the plugin"
plugins_dir="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-plugins.XXXXXX")"
chmod 755 "$plugins_dir"
start_berth process --Berth:RateLimit:Enabled false --Berth:Plugins:Directory "$plugins_dir"
token="$(cat "$scratch/berth-data/admin.token")"
mkdir -p "$scratch/plugin"
cp "$source_dir/server.py" "$scratch/plugin/"
sed "s/^  name: text-analysis\$/  name: $plugin_id/" "$source_dir/plugin.yaml" >"$scratch/plugin/plugin.yaml"
printf '  pool: %s\n' "$pool" >>"$scratch/plugin/plugin.yaml"
chmod -R a+rX "$scratch/plugin"
install_started=$(date +%s%N)
in_background berth plugins install "$scratch/plugin" >&2 || die "berth plugins install failed (see above)"
install_ms=$(( ($(date +%s%N) - install_started) / 1000000 ))
auth=(-H "Authorization: Bearer $token")
url="http://127.0.0.1:$berth_port/api/v1/plugins/$plugin_id/invoke"
if preflight "$url" "${auth[@]}"; then
  measure b "(b) berth invoke" "$url" "${auth[@]}"
else
  for n in $callers; do rows="$rows b$n"; label[b$n]="(b) berth invoke, $n caller(s)"; status[b$n]="FAILED: preflight"; done
fi
recorded="$(curl -s "${auth[@]}" "http://127.0.0.1:$berth_port/api/v1/plugins/$plugin_id/invocations?limit=1000" | grep -o '"outcome": *"succeeded"' | wc -l)"

# ---- report ----
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes)"
step "Results"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
echo "versions: berth $commit, .NET SDK $(dotnet --version 2>/dev/null), $(/usr/bin/python3 --version 2>&1), $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }')"
echo "install: berth plugins install of the plugin's folder took $install_ms ms (packing, upload, the contract check's instance started and probed, its example called, /metrics read, the pool started)"
echo "load: wrk -c CALLERS (one call in flight per caller) -d$duration --latency after a $warmup warm-up; pool $pool"
echo
fmt='%-34s %9s %9s %9s %9s %9s %7s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" setup "calls/s" "p50 ms" "p90 ms" "p99 ms" calls errors status
for key in $rows; do
  # shellcheck disable=SC2059
  printf "$fmt" "${label[$key]}" "${rps[$key]:--}" "${p50[$key]:--}" "${p90[$key]:--}" "${p99[$key]:--}" "${total[$key]:--}" "${errors[$key]:--}" "${status[$key]:-not run}"
done
echo
for n in $callers; do
  if [[ "${status[a$n]:-}" == ok && "${status[b$n]:-}" == ok ]]; then
    echo "  added by Berth, $n caller(s): p50 $(awk -v b="${p50[b$n]}" -v a="${p50[a$n]}" 'BEGIN { printf "%.2f", b - a }') ms, calls/s $(awk -v b="${rps[b$n]}" -v a="${rps[a$n]}" 'BEGIN { printf "%.2f", b / a }')x of the plugin alone"
  fi
done
echo "  invocations recorded (succeeded, of the newest 1000): $recorded"
failed=0
for key in $rows; do [[ "${status[$key]:-}" == ok ]] || failed=1; done
exit "$failed"
