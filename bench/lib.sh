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
