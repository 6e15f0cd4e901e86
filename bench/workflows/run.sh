#!/usr/bin/env bash
# Workflow benchmark: Berth's workflow engine on a real `berth server --runtime docker`, measured by the console program
# next to this script (WorkflowBench.csproj), which prints every figure:
#   (1) a chain of 10 container steps (caching off, data passed by ${{ steps.prev.stdout }}) vs the same 10 `docker run --rm`
#   (2) a fully cached 100-step chain, POST /runs to run.succeeded (2b: 100 independent cached steps)
#   (3) WorkflowPlan.Create and WorkflowSpecValidator.Validate on a generated 1,000-step DAG, in-process
#   (4) dag: that DAG run on the server fully cached, in steps/s (only when asked for: its filling run starts 1,000 containers)
# Everything it starts (the server, step containers it left, the scratch data directory) is stopped and removed on exit.
# See README.md next to this file for what the figures mean.
#   BENCH_PARTS          which parts to run (default "plan chain cached independent"; "dag" adds (4))
#   BENCH_REPEAT         measured runs per setup after one warm-up; the median counts (default 5)
#   BENCH_CHAIN_STEPS    steps of (1) (default 10)          BENCH_CACHED_STEPS   steps of (2) (default 100)
#   BENCH_PLAN_STEPS     steps of (3), a multiple of 100 (default 1000)   BENCH_PLAN_ITERATIONS  timed calls in (3) (default 500)
#   BENCH_DAG_STEPS      steps of (4), a multiple of 100 (default 1000)
#   BENCH_STORE          the server's store: sqlite (default) or postgres (a scratch cluster from scripts/postgres.sh, or the
#                        server BENCH_POSTGRES names; BENCH_POSTGRES_DURABILITY as in bench/lib.sh)
#   BENCH_FIGURES_FILE   also write (4)'s figures to this file as key=value lines (bench/scale-out reads them)
#   BENCH_IMAGE          image the steps run (default berth-bench/busybox:1, made by scripts/busybox-image.sh if missing)
#   BENCH_BERTH_PORT     loopback port of the server (default 18483)
#   BENCH_BUILD_DIR      build output, kept between runs so rebuilds are quick (default ${TMPDIR:-/tmp}/berth-bench-build)
#   BENCH_BERTH_DLL      use this berth.dll instead of building src/Berth.Cli
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

parts="${BENCH_PARTS:-plan chain cached independent}"
repeat="${BENCH_REPEAT:-5}"
chain_steps="${BENCH_CHAIN_STEPS:-10}"
cached_steps="${BENCH_CACHED_STEPS:-100}"
plan_steps="${BENCH_PLAN_STEPS:-1000}"
plan_iterations="${BENCH_PLAN_ITERATIONS:-500}"
dag_steps="${BENCH_DAG_STEPS:-1000}"
store="${BENCH_STORE:-sqlite}"
figures_file="${BENCH_FIGURES_FILE:-}"
image="${BENCH_IMAGE:-berth-bench/busybox:1}"
berth_port="${BENCH_BERTH_PORT:-18483}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"

bench_name=bench/workflows
# shellcheck source=../lib.sh
source "$here/../lib.sh"
wants_server() { [[ " $parts " == *" chain "* || " $parts " == *" cached "* || " $parts " == *" independent "* || " $parts " == *" dag "* ]]; }

for tool in curl dotnet; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y curl; .NET SDK per global.json)"
done
if wants_server; then
  command -v docker >/dev/null 2>&1 || die "'docker' is not installed; parts chain, cached, independent and dag need Docker (BENCH_PARTS=plan runs without)"
  docker info >/dev/null 2>&1 || die "the Docker engine does not answer ('docker info' failed); start dockerd or run BENCH_PARTS=plan"
fi
[[ "$store" =~ ^(sqlite|postgres)$ ]] || die "BENCH_STORE must be sqlite or postgres, found '$store'"
for n in "$repeat" "$chain_steps" "$cached_steps" "$plan_steps" "$plan_iterations" "$dag_steps"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPEAT, BENCH_*_STEPS and BENCH_PLAN_ITERATIONS must be positive whole numbers, found '$n'"
done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-wf.XXXXXX")"
berth_pid="" child_pid="" berth_dll="${BENCH_BERTH_DLL:-}" database="berth_bench_wf_$$"

# shellcheck disable=SC2317 # run by the EXIT trap, which shellcheck does not follow
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 5
  stop_pid "$berth_pid" 15
  [[ "$store" != postgres ]] || postgres_drop "$database"
  stop_postgres
  # Step containers this server left (a run cut short): only those labelled with its own server id.
  local owner
  owner="$(cat "$scratch/berth-data/server-id" 2>/dev/null || true)"
  if [[ -n "$owner" ]]; then
    docker ps -aq --filter "label=berth.owner=$owner" 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build ----
step "Building the benchmark${berth_dll:+ (using berth at $berth_dll)}$([[ -n "$berth_dll" ]] || echo " and berth") into $build_dir"
mkdir -p "$build_dir"
in_background dotnet build "$here/WorkflowBench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly \
  --artifacts-path "$build_dir/artifacts" >&2 || die "building bench/workflows failed (errors above)"
bench_dll="$build_dir/artifacts/bin/WorkflowBench/release/workflow-bench.dll"
if wants_server; then
  build_berth
fi

args=(--parts "$parts" --repeat "$repeat" --chain-steps "$chain_steps" --cached-steps "$cached_steps"
  --plan-steps "$plan_steps" --plan-iterations "$plan_iterations" --dag-steps "$dag_steps" --image "$image" --store "$store")
[[ -z "$figures_file" ]] || args+=(--figures-file "$figures_file")

if wants_server; then
  # ---- the image: busybox with every applet, imported from the host's static busybox (no registry) ----
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    [[ "$image" == berth-bench/busybox:1 ]] || die "image $image is not on this engine; build or load it, or leave BENCH_IMAGE unset"
    step "Making $image with scripts/busybox-image.sh"
    "$root/scripts/busybox-image.sh" "$image" >&2 || die "could not make $image (see above)"
  fi

  # ---- the server ----
  if [[ "$store" == postgres ]]; then
    step "Starting PostgreSQL${BENCH_POSTGRES:+ (using BENCH_POSTGRES)}"
    start_postgres
    # Through the environment, not the command line, where other local users could read the password.
    BERTH_STORE="$(postgres_database "$database")"
    export BERTH_STORE
  else
    unset BERTH_STORE # a store in the caller's environment is not the one asked for
  fi
  step "Starting berth server on 127.0.0.1:$berth_port (docker runtime, $store store)"
  start_berth docker
  args+=(--server "http://127.0.0.1:$berth_port/" --token-file "$scratch/berth-data/admin.token")
fi

# ---- measure ----
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes in src/)"
[[ -n "${BENCH_BERTH_DLL:-}" ]] && commit="$BENCH_BERTH_DLL (given; this tree: $commit)"
docker_version="$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo "not used")"
step "Measuring: $parts"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
echo "versions: berth $commit, .NET SDK $(dotnet --version 2>/dev/null), Docker $docker_version, image $image, store $store"
rc=0
in_background dotnet "$bench_dll" "${args[@]}" || rc=$?
if (( rc != 0 )) && [[ -n "$berth_pid" ]]; then
  note "the server's last log lines ($scratch/berth.log):"
  tail -n 15 "$scratch/berth.log" | sed 's/^/      /' >&2
fi
exit "$rc"
