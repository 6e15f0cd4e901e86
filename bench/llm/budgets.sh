#!/usr/bin/env bash
# LLM budget check benchmark: what reserving and settling one gateway call costs in the store when the calling agent has
# budgets, as the agent's ledger grows. The generator next to this script (BudgetBench/) uses Berth's own stores (no HTTP,
# no provider): for each ledger size it records the agent's unbudgeted calls up to that size, sets a daily token budget and
# a monthly cost budget far from reached, times BENCH_TIMED calls reserved and settled one at a time, and removes the
# budgets. One table per store. See README.md next to this file.
#   BENCH_LEDGER_SIZES  ledger sizes, comma-separated (default 0,10000,100000)
#   BENCH_TIMED         timed calls at each size (default 200)
#   BENCH_STORES        stores to run (default "sqlite postgres"; PostgreSQL is skipped with a note when none can be started)
#   BENCH_POSTGRES      use this PostgreSQL superuser URL instead of a scratch cluster (a database is created on it)
#   BENCH_BUILD_DIR     build output, kept between runs (default ${TMPDIR:-/tmp}/berth-bench-build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes="${BENCH_LEDGER_SIZES:-0,10000,100000}"
timed="${BENCH_TIMED:-200}"
stores="${BENCH_STORES:-sqlite postgres}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}/budget-bench"
export BENCH_POSTGRES_DURABILITY="${BENCH_POSTGRES_DURABILITY:-normal}"

bench_name=bench/llm/budgets
# shellcheck source=../lib.sh
source "$here/../lib.sh"

[[ "$sizes" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "BENCH_LEDGER_SIZES must be whole numbers separated by commas, found '$sizes'"
[[ "$timed" =~ ^[1-9][0-9]*$ ]] || die "BENCH_TIMED must be a positive whole number, found '$timed'"
for s in $stores; do [[ "$s" == sqlite || "$s" == postgres ]] || die "BENCH_STORES holds '$s'; use sqlite and/or postgres"; done
command -v dotnet >/dev/null 2>&1 || die "'dotnet' is not installed (.NET SDK per global.json)"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-budgets.XXXXXX")"
database=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -z "$database" ]] || postgres_drop "$database"
  stop_postgres
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "building the generator into $build_dir"
dotnet build "$here/BudgetBench" -c Release -o "$build_dir" --nologo -v quiet -clp:ErrorsOnly >&2

for store in $stores; do
  if [[ "$store" == sqlite ]]; then
    location="sqlite:$scratch/sqlite/berth.db"
  elif [[ -z "${BENCH_POSTGRES:-}" ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    note "postgres: skipped, its server binaries are missing (Debian: apt-get install -y postgresql) and BENCH_POSTGRES is not set"
    continue
  else
    start_postgres
    database=budget_bench
    location="$(postgres_database "$database")"
  fi
  step "$store: ledger sizes $sizes, $timed timed calls at each"
  dotnet "$build_dir/budget-bench.dll" --store "$location" --sizes "$sizes" --timed "$timed"
done
