# Shell helpers shared by the benchmarks' run.sh scripts (sourced, not run). The sourcing script sets bench_name (for
# messages), root, build_dir, scratch, berth_port and berth_dll, and declares berth_pid and child_pid.

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$bench_name" "$*" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_pid() { # pid, seconds to wait after SIGTERM before SIGKILL
  local pid="$1" wait="${2:-10}"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Waits up to ten seconds until URL answers anything over HTTP or PID exits; true while PID still runs.
wait_answer() { # url, pid
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$1" 2>/dev/null && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$2" 2>/dev/null
}

# Long-running children run in the background and are waited for, so a signal reaches the trap at once
# (bash runs traps only between foreground commands) and the cleanup can stop them.
in_background() {
  "$@" &
  child_pid=$!
  local rc=0
  wait "$child_pid" || rc=$?
  child_pid=""
  return "$rc"
}

# Publishes src/Berth.Cli (Release) into $build_dir/berth unless berth_dll is already set: the JIT berth.dll (these
# benchmarks measure the server, so they skip the minutes of a Native AOT build; bench/cli measures the AOT berth) and
# berth-server beside it, which `berth server` runs.
build_berth() {
  [[ -z "$berth_dll" ]] || return 0
  in_background dotnet publish "$root/src/Berth.Cli" -c Release -p:PublishAot=false --nologo -v quiet -clp:ErrorsOnly \
    -o "$build_dir/berth" --artifacts-path "$build_dir/artifacts" >&2 || die "building src/Berth.Cli failed (errors above)"
  berth_dll="$build_dir/berth/berth.dll"
}

# Starts `berth server` on 127.0.0.1:$berth_port over $scratch/berth-data with the given runtime and extra arguments,
# and waits until it answers /healthz and has written its admin token; its output goes to $scratch/berth.log. It runs
# $berth_exe when set (an installed or AOT `berth`), else `dotnet $berth_dll`.
start_berth() { # runtime, extra server arguments…
  local runtime="$1"
  local -a berth_command=(dotnet "${berth_dll:-}")
  [[ -n "${berth_exe:-}" ]] && berth_command=("$berth_exe")
  shift
  port_free "$berth_port" || die "port $berth_port is in use; set BENCH_BERTH_PORT"
  mkdir -p "$scratch/berth-data"
  "${berth_command[@]}" server --data-dir "$scratch/berth-data" --urls "http://127.0.0.1:$berth_port" --runtime "$runtime" "$@" \
    >"$scratch/berth.log" 2>&1 &
  berth_pid=$!
  for _ in $(seq 1 200); do
    [[ -s "$scratch/berth-data/admin.token" ]] && curl -sf "http://127.0.0.1:$berth_port/healthz" >/dev/null 2>&1 && break
    kill -0 "$berth_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! curl -sf "http://127.0.0.1:$berth_port/healthz" >/dev/null 2>&1 || [[ ! -s "$scratch/berth-data/admin.token" ]]; then
    tail -n 30 "$scratch/berth.log" >&2
    die "berth server did not come up on 127.0.0.1:$berth_port (its log is above)"
  fi
}

# ---- PostgreSQL (bench/scale-out; bench/workflows with BENCH_STORE=postgres) ----
# start_postgres sets postgres_url to a superuser URL: $BENCH_POSTGRES when set (an existing server, used as it is), else a
# scratch cluster that scripts/postgres.sh starts in $scratch/postgres (postgres_dir; stop_postgres stops and removes it).
# BENCH_POSTGRES_DURABILITY says how a scratch cluster commits, next to Berth's SQLite store (WAL, synchronous=NORMAL: a
# commit is not flushed to disk before it returns, so a power loss may lose the last commits, never consistency):
#   normal  PostgreSQL's defaults with synchronous_commit=off on each benchmark database: the same promise (the default)
#   full    PostgreSQL's defaults: every commit waits for its WAL flush (fsync), as SQLite's synchronous=FULL
#   off     scripts/postgres.sh --fast: fsync off, not crash-safe at all (what the tests use)
postgres_url="" postgres_dir=""
start_postgres() {
  local durability="${BENCH_POSTGRES_DURABILITY:-normal}"
  [[ "$durability" =~ ^(normal|full|off)$ ]] || die "BENCH_POSTGRES_DURABILITY must be normal, full or off, found '$durability'"
  postgres_psql_bin >/dev/null || die "psql is missing (Debian: apt-get install -y postgresql-client, or postgresql for a scratch cluster)"
  if [[ -n "${BENCH_POSTGRES:-}" ]]; then
    postgres_url="$BENCH_POSTGRES"
    postgres_query "$postgres_url" "SELECT 1" >/dev/null || die "BENCH_POSTGRES does not answer as a superuser URL (postgres://USER:PASS@HOST:PORT/DB)"
    return 0
  fi
  local -a fast=()
  [[ "$durability" == off ]] && fast=(--fast)
  chmod 755 "$scratch" # as root the cluster runs as the postgres user, which must reach its folder
  postgres_dir="$scratch/postgres"
  postgres_url="$(bash "$root/scripts/postgres.sh" "${fast[@]}" --dir "$postgres_dir")" ||
    { postgres_dir=""; die "scripts/postgres.sh could not start a scratch PostgreSQL (Debian: apt-get install -y postgresql)"; }
}

stop_postgres() {
  [[ -n "$postgres_dir" ]] || return 0
  bash "$root/scripts/postgres.sh" --stop "$postgres_dir" >/dev/null 2>&1 || true
  postgres_dir=""
}

postgres_psql_bin() {
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/psql "$(command -v psql 2>/dev/null || true)"; do
    [[ -x "$candidate" ]] && { echo "$candidate"; return 0; }
  done
  return 1
}

postgres_query() { # url, sql -> the result, one row a line, fields separated by |
  PGOPTIONS="-c client_min_messages=warning" "$(postgres_psql_bin)" "$1" -X -q -t -A -v ON_ERROR_STOP=1 -c "$2"
}

# Creates an empty database (dropped first if it exists) on postgres_url and prints its URL. With durability normal,
# synchronous_commit=off is set on the database, so every server connecting to it commits that way.
postgres_database() { # name
  local name="$1" durability="${BENCH_POSTGRES_DURABILITY:-normal}"
  if ! postgres_query "$postgres_url" "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null ||
    ! postgres_query "$postgres_url" "CREATE DATABASE $name TEMPLATE template0 ENCODING 'UTF8'" >/dev/null; then
    die "could not create the database $name"
  fi
  if [[ "$durability" == normal ]]; then
    postgres_query "$postgres_url" "ALTER DATABASE $name SET synchronous_commit = off" >/dev/null || die "could not set synchronous_commit on $name"
  fi
  # The URL with its path (the database) replaced.
  printf '%s\n' "$postgres_url" | sed -E "s#^(postgres(ql)?://[^/]+)/[^?]*#\\1/$name#"
}

postgres_drop() { # name
  [[ -n "$postgres_url" ]] || return 0
  postgres_query "$postgres_url" "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true
}
