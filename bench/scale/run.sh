#!/usr/bin/env bash
# Scale benchmark: many small agents under one Berth server. For each runtime it applies N agents in one
# `berth apply` (N documents in one file), then measures:
#   time until all are healthy   server CPU while idle with all of them running (from /proc/PID/stat over
#   BENCH_IDLE_SECONDS)          server RSS          proxy latency to a random agent (curl, p50/p99)
# and, for process agents, a server restart: the new server must re-adopt every agent with no duplicate
# (more agent processes than agents) and no orphan (a process not in any agent). One table at the end.
#   BENCH_PROCESS_AGENTS  process agents (default 500; 0 skips)   BENCH_DOCKER_AGENTS  docker agents (default 200; 0 skips)
#   BENCH_IDLE_SECONDS    idle CPU window (default 30)            BENCH_CALLS          proxy calls for latency (default 200)
#   BENCH_TIMEOUT         how long to wait for all healthy (default 300s)
#   BENCH_BERTH_PORT      server port (default 18492)              BENCH_IMAGE          docker agents' image (default berth-bench/busybox:1)
#   BENCH_BUILD_DIR / BENCH_BERTH_DLL   as in bench/proxy          BENCH_KEEP_LOG       copy the server log here on exit
#   BENCH_AGENT_SUBNETS   range the docker agents' networks take /26 blocks from (default 10.213.0.0/16; passed to the
#                         server as Berth__Docker__AgentSubnets, so the engine's ~30 default pools do not cap the run)
# Process agents are `busybox httpd` (Debian: busybox-static or busybox) serving one small file; docker agents the same
# inside the image scripts/busybox-image.sh builds. Everything it starts is removed on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

process_agents="${BENCH_PROCESS_AGENTS:-500}"
docker_agents="${BENCH_DOCKER_AGENTS:-200}"
idle_seconds="${BENCH_IDLE_SECONDS:-30}"
calls="${BENCH_CALLS:-200}"
timeout="${BENCH_TIMEOUT:-300}"
berth_port="${BENCH_BERTH_PORT:-18492}"
image="${BENCH_IMAGE:-berth-bench/busybox:1}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"
agent_subnets="${BENCH_AGENT_SUBNETS:-10.213.0.0/16}"

bench_name=bench/scale
# shellcheck source=../lib.sh
source "$here/../lib.sh"

for tool in curl dotnet busybox awk; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y curl busybox-static; .NET SDK per global.json)"
done
[[ "$process_agents" =~ ^[0-9]+$ && "$docker_agents" =~ ^[0-9]+$ && "$idle_seconds" =~ ^[1-9][0-9]*$ && "$calls" =~ ^[1-9][0-9]*$ && "$timeout" =~ ^[1-9][0-9]*$ ]] ||
  die "BENCH_PROCESS_AGENTS and BENCH_DOCKER_AGENTS must be whole numbers, BENCH_IDLE_SECONDS, BENCH_CALLS and BENCH_TIMEOUT positive ones"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-scale.XXXXXX")"
# Agents run under their own uids (a root server's default isolation): the page they serve must be readable by anyone.
chmod 755 "$scratch"
mkdir -p "$scratch/www" "$scratch/specs"
printf 'ok\n' >"$scratch/www/index.html"
chmod -R a+rX "$scratch/www"
berth_pid="" child_pid="" berth_dll="${BENCH_BERTH_DLL:-}" token=""

berth() { BERTH_URL="http://127.0.0.1:$berth_port" BERTH_TOKEN="$token" BERTH_DATA_DIR="$scratch/berth-data" dotnet "$berth_dll" "$@"; }

# Agent processes of this run: busybox httpd serving our scratch folder (whatever Berth or a restart left behind).
agent_pids() { pgrep -f "httpd -f -p 127.0.0.1:[0-9]+ -h $scratch/www" || true; }
agent_containers() { docker ps -aq --filter label=berth.managed=true --filter "label=berth.agent" --filter "name=berth-scale-d" 2>/dev/null || true; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 5
  if [[ -n "$berth_pid" ]] && kill -0 "$berth_pid" 2>/dev/null; then
    berth rm --all --yes --timeout 120s >/dev/null 2>&1 || true
    stop_pid "$berth_pid" 15
  fi
  local pid
  for pid in $(agent_pids); do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  local ids; ids="$(agent_containers)"
  [[ -z "$ids" ]] || docker rm -f $ids >/dev/null 2>&1 || true
  docker network ls -q --filter label=berth.managed=true --filter "name=berth-scale-d" 2>/dev/null | xargs -r docker network rm >/dev/null 2>&1 || true
  [[ -z "${BENCH_KEEP_LOG:-}" ]] || cp "$scratch/berth.log" "$BENCH_KEEP_LOG" 2>/dev/null || true
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- figures of the server process ----
clock_ticks="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of the process, in clock ticks
idle_cpu_percent() { # pid seconds -> percent of one core used over that window
  local a b
  a="$(cpu_ticks "$1")"; sleep "$2"; b="$(cpu_ticks "$1")"
  awk -v a="$a" -v b="$b" -v s="$2" -v hz="$clock_ticks" 'BEGIN { printf "%.1f", 100 * (b - a) / hz / s }'
}
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Counts agents whose state is Running, from `berth get agents -o json`.
running_agents() { # prefix
  berth get agents 2>/dev/null | awk -v p="$1-" 'index($1, p) == 1 && $2 == "running" { n++ } END { print n + 0 }'
}

wait_healthy() { # prefix count started -> prints seconds from started until all are Running, or "timeout"
  local prefix="$1" count="$2" started="$3" now n
  while true; do
    n="$(running_agents "$prefix")"
    now="$(date +%s.%N)"
    if (( n >= count )); then awk -v a="$started" -v b="$now" 'BEGIN { printf "%.1f", b - a }'; return; fi
    if awk -v a="$started" -v b="$now" -v t="$timeout" 'BEGIN { exit !(b - a > t) }'; then echo "timeout ($n/$count)"; return; fi
    note "$prefix: $n/$count healthy after $(awk -v a="$started" -v b="$now" 'BEGIN { printf "%.0f", b - a }')s"
    sleep 2
  done
}

latency() { # prefix count -> "p50 p99" in ms of GET / through the proxy to random agents
  local prefix="$1" count="$2" i out="$scratch/latency.$1"
  : >"$out"
  for i in $(seq 1 "$calls"); do
    curl -s --max-time 10 -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$berth_port/agents/$prefix-$(( RANDOM % count ))/" >>"$out" 2>/dev/null || echo "000 0" >>"$out"
  done
  local bad; bad="$(awk '$1 != 200' "$out" | wc -l)"
  awk '$1 == 200 { print $2 * 1000 }' "$out" | sort -n | awk -v bad="$bad" '{ v[NR] = $1 } END {
    if (NR == 0) { print "? ? " bad; exit }
    i = int(NR * 0.99); if (i < 1) i = 1
    printf "%.1f %.1f %d\n", v[int((NR + 1) / 2)], v[i], bad }'
}

write_specs() { # prefix count kind -> one file with count documents
  local prefix="$1" count="$2" kind="$3" file="$scratch/specs/$1.yaml" i
  : >"$file"
  for i in $(seq 0 $(( count - 1 ))); do
    if [[ "$kind" == process ]]; then
      cat >>"$file" <<YAML
---
apiVersion: berth/v1
kind: Agent
metadata:
  name: $prefix-$i
spec:
  process:
    command: busybox
    args: ["httpd", "-f", "-p", "127.0.0.1:\$(PORT)", "-h", "$scratch/www"]
  health:
    path: /
    interval: 10s
  restart:
    policy: always
YAML
    else
      cat >>"$file" <<YAML
---
apiVersion: berth/v1
kind: Agent
metadata:
  name: $prefix-$i
spec:
  image: $image
  command: ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
  port: 8080
  health:
    path: /
    interval: 10s
  restart:
    policy: always
YAML
    fi
  done
  echo "$file"
}

declare -A healthy idle rss p50 p99 errors readopt

run_set() { # prefix count kind
  local prefix="$1" count="$2" kind="$3" file started
  file="$(write_specs "$prefix" "$count" "$kind")"
  step "$kind: applying $count agents in one berth apply"
  started="$(date +%s.%N)"
  in_background berth apply -f "$file" >"$scratch/apply.$prefix" 2>&1 || { tail -n 5 "$scratch/apply.$prefix" >&2; die "berth apply of $count $kind agents failed"; }
  healthy[$kind]="$(wait_healthy "$prefix" "$count" "$started")"
  note "$kind: all healthy: ${healthy[$kind]} (seconds)"
  step "$kind: server CPU over ${idle_seconds}s idle, RSS, proxy latency"
  sleep 5 # let the last probes and log lines settle
  idle[$kind]="$(idle_cpu_percent "$berth_pid" "$idle_seconds")"
  rss[$kind]="$(rss_mb "$berth_pid")"
  # Calls to an agent with no healthy instance wait for one (up to the server's request wait), so only a complete set is measured.
  if [[ "${healthy[$kind]}" == timeout* ]]; then
    p50[$kind]="-" p99[$kind]="-" errors[$kind]="-"
  else
    read -r p50[$kind] p99[$kind] errors[$kind] < <(latency "$prefix" "$count") || true
  fi
}

# ---- build and start ----
step "Building berth into $build_dir${berth_dll:+ (using $berth_dll)}"
mkdir -p "$build_dir"
build_berth
# The engine's default address pools hold ~30 networks; 200 docker agents need blocks from a range of their own.
export Berth__Docker__AgentSubnets="$agent_subnets"
start_berth auto
token="$(cat "$scratch/berth-data/admin.token")"

if (( process_agents > 0 )); then
  run_set scale-p "$process_agents" process
  step "process: restarting the server; it must re-adopt all $process_agents agents"
  before="$(agent_pids | wc -l)"
  stop_pid "$berth_pid" 30
  berth_pid=""
  started="$(date +%s.%N)"
  start_berth auto
  token="$(cat "$scratch/berth-data/admin.token")"
  readopt_time="$(wait_healthy scale-p "$process_agents" "$started")"
  sleep 5 # a duplicate would be started by now
  after="$(agent_pids | wc -l)"
  readopt[process]="$before before, $after after, healthy again in ${readopt_time}s"
  if (( after != process_agents || before != process_agents )); then
    readopt[process]="FAILED: ${readopt[process]} (want $process_agents both times)"
  fi
  note "process: ${readopt[process]}"
  step "process: removing the $process_agents agents"
  in_background berth rm --all --yes --timeout 300s >/dev/null 2>&1 || note "berth rm --all did not finish; cleanup kills what is left"
fi

if (( docker_agents > 0 )); then
  if ! docker info >/dev/null 2>&1; then
    note "docker: the engine does not answer; skipping the docker agents"
    docker_agents=0
  else
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      [[ "$image" == berth-bench/busybox:1 ]] || die "image $image is not on this engine; build or load it, or leave BENCH_IMAGE unset"
      step "Making $image with scripts/busybox-image.sh"
      bash "$root/scripts/busybox-image.sh" "$image" >&2 || die "scripts/busybox-image.sh failed"
    fi
    # The image has no page to serve; a one-line index.html goes in a derived image.
    printf 'FROM %s\nRUN mkdir -p /www && echo ok > /www/index.html\n' "$image" | docker build -q -t berth-bench/busybox-www:1 - >/dev/null ||
      die "could not build berth-bench/busybox-www:1 from $image"
    image=berth-bench/busybox-www:1
    run_set scale-d "$docker_agents" docker
    readopt[docker]="not measured"
  fi
fi

# ---- table ----
cores="$(nproc)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\nbench/scale on %s cores (load average at the end: %s; the machine may be shared, so read times as upper bounds)\n' "$cores" "$load"
printf '%-10s %7s %18s %14s %8s %10s %10s %7s  %s\n' runtime agents "all healthy (s)" "idle CPU (%)" "RSS MB" "p50 (ms)" "p99 (ms)" errors "restart: agent processes"
for kind in process docker; do
  [[ -n "${healthy[$kind]:-}" ]] || continue
  n=$process_agents; [[ "$kind" == docker ]] && n=$docker_agents
  printf '%-10s %7s %18s %14s %8s %10s %10s %7s  %s\n' "$kind" "$n" "${healthy[$kind]}" "${idle[$kind]}" "${rss[$kind]}" \
    "${p50[$kind]}" "${p99[$kind]}" "${errors[$kind]}" "${readopt[$kind]:-}"
done
printf '\ntargets: 500 process agents healthy < 60 s; idle server < 5%% of one core; RSS < 400 MB; a restart re-adopts all with no duplicate and no orphan\n'
