#!/usr/bin/env bash
# CLI round-trip benchmark: `berth get agents` against a running server, timed by hyperfine in the same run as
# `docker ps` (the command people compare it with) and, for the before/after, the same verb run by the JIT (`dotnet
# berth.dll`). Prints hyperfine's table, then each median and the target: berth get agents <= 50 ms median.
# Everything it starts (berth server, its agents, scratch folder) is stopped and removed on exit. See README.md.
#   BENCH_RUNS        measured runs per command (default 50)      BENCH_WARMUP  warm-up runs per command (default 5)
#   BENCH_AGENTS      process agents (busybox httpd) deployed first, so the table has rows (default 5)
#   BENCH_BERTH_DIR   a folder published from src/Berth.Cli (berth + berth-server), e.g. /usr/local/lib/berth after
#                     scripts/install.sh; default: publish into BENCH_BUILD_DIR
#   BENCH_JIT=0       leave out the JIT row (saves a build)
#   BENCH_BERTH_PORT  loopback port of the server (default 18490)
#   BENCH_BUILD_DIR   build output, kept between runs (default ${TMPDIR:-/tmp}/berth-bench-cli)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${BENCH_RUNS:-50}"
warmup="${BENCH_WARMUP:-5}"
agents="${BENCH_AGENTS:-5}"
jit="${BENCH_JIT:-1}"
berth_port="${BENCH_BERTH_PORT:-18490}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-cli}"
berth_dir="${BENCH_BERTH_DIR:-}"
target_ms=50

bench_name=bench/cli
# shellcheck source=../lib.sh
source "$here/../lib.sh"

[[ -x /bin/busybox ]] || die "the agents are busybox httpd: apt-get install -y busybox-static"
for tool in hyperfine docker curl dotnet python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y hyperfine docker.io curl python3; .NET SDK per global.json)"
done
timeout 10 docker ps >/dev/null 2>&1 || die "'docker ps' does not answer; start dockerd (scripts/test.sh shows how): it is the yardstick"
[[ "$runs" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ && "$agents" =~ ^[0-9]+$ ]] || die "BENCH_RUNS, BENCH_WARMUP and BENCH_AGENTS must be whole numbers"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-cli.XXXXXX")"
berth_pid="" child_pid=""

berth() { BERTH_URL="http://127.0.0.1:$berth_port" BERTH_DATA_DIR="$scratch/berth-data" "$berth_dir/berth" "$@"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 5
  if [[ -n "$berth_pid" ]] && kill -0 "$berth_pid" 2>/dev/null; then
    berth rm --all --yes --timeout 30s >/dev/null 2>&1 || true
    stop_pid "$berth_pid" 15
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "$berth_dir" ]]; then
  command -v clang >/dev/null 2>&1 || die "'clang' is not installed (Debian: apt-get install -y clang); Native AOT links with it"
  step "Publishing src/Berth.Cli (Native AOT) into $build_dir/aot"
  in_background dotnet publish "$root/src/Berth.Cli" -c Release --nologo -v quiet -clp:ErrorsOnly \
    -o "$build_dir/aot" --artifacts-path "$build_dir/artifacts" >&2 || die "publishing src/Berth.Cli failed (errors above)"
  berth_dir="$build_dir/aot"
fi
[[ -x "$berth_dir/berth" && -e "$berth_dir/berth-server" ]] || die "$berth_dir must hold berth and berth-server (dotnet publish src/Berth.Cli -o DIR)"
if [[ "$jit" == 1 ]]; then
  step "Building the JIT berth.dll (the before) into $build_dir/jit"
  in_background dotnet build "$root/src/Berth.Cli" -c Release --nologo -v quiet -clp:ErrorsOnly \
    -o "$build_dir/jit" --artifacts-path "$build_dir/artifacts-jit" >&2 || die "building src/Berth.Cli failed (errors above)"
fi

step "Starting berth server on 127.0.0.1:$berth_port with $agents process agents"
berth_exe="$berth_dir/berth"
start_berth process
for i in $(seq 1 "$agents"); do
  cat >"$scratch/agent-$i.yaml" <<YAML
apiVersion: berth/v1
kind: Agent
metadata: { name: bench-cli-$i }
spec:
  process: { command: /bin/busybox, args: [httpd, -f, -p, "\$(PORT)"] }
YAML
done
if (( agents > 0 )); then berth apply -f "$scratch" >/dev/null || die "applying the agents failed"; fi
berth get agents >&2

step "hyperfine: $warmup warm-up and $runs measured runs per command (machine shared: compare within this run)"
export BERTH_URL="http://127.0.0.1:$berth_port" BERTH_DATA_DIR="$scratch/berth-data"
commands=(-n "berth get agents (AOT)" "$berth_dir/berth get agents" -n "docker ps" "docker ps")
[[ "$jit" == 1 ]] && commands+=(-n "dotnet berth.dll get agents (JIT, before)" "dotnet $build_dir/jit/berth.dll get agents")
hyperfine --shell=none --style basic --warmup "$warmup" --runs "$runs" \
  --export-json "$scratch/hyperfine.json" "${commands[@]}" >&2

python3 - "$scratch/hyperfine.json" "$target_ms" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
target = float(sys.argv[2])
median = {r["command"]: r["median"] * 1000 for r in results}
print()
print(f"{'command':<44} {'median ms':>10} {'mean ms':>9} {'min ms':>8} {'max ms':>8}")
for r in results:
    print(f"{r['command']:<44} {r['median']*1000:>10.1f} {r['mean']*1000:>9.1f} {r['min']*1000:>8.1f} {r['max']*1000:>8.1f}")
berth = median["berth get agents (AOT)"]
docker = median["docker ps"]
print()
print(f"berth get agents median {berth:.1f} ms; target <= {target:.0f} ms: {'met' if berth <= target else 'NOT met'}")
print(f"ratio to docker ps (same run): {berth / docker:.2f}x")
jit = median.get("dotnet berth.dll get agents (JIT, before)")
if jit is not None:
    print(f"JIT berth.dll (before): {jit:.1f} ms, {jit / berth:.1f}x the AOT berth")
sys.exit(0 if berth <= target else 1)
PY
