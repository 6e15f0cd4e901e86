#!/usr/bin/env bash
# Proxy benchmark: requests/s and p50/p99 latency of the quick-start agent's POST /greet, measured
# with wrk through five setups, then one table and the ratios the performance targets talk about.
#   (a) the agent direct               (b) nginx as a reverse proxy in front of it
#   (c) Berth's proxy, persistence off (d) Berth's proxy, persistence on (the default)
#   (e) (a) and (c) again with one connection (one request at a time): the latency Berth adds, not queueing
#   (f) Kestrel and YARP's forwarder alone (yarp-floor/, nothing of Berth): what the platform costs before Berth adds to it
# Everything it starts (agent, nginx, berth server and its agents, scratch folder) is stopped and
# removed on exit. See README.md next to this file for what the figures mean.
#   BENCH_DURATION     measured run per setup (default 10s)       BENCH_WARMUP    warm-up run first (default 10s; a fresh
#                      .NET process stays slower for seconds until tiered JIT has recompiled its hot paths)
#   BENCH_CONNECTIONS  open connections (default 32)              BENCH_THREADS   wrk threads (default 2)
#   BENCH_SETUPS       which setups to run (default "a b c d e f") BENCH_REPEAT   measured runs per setup; the median one counts (default 1)
#   BENCH_AGENT_PORT / BENCH_NGINX_PORT / BENCH_BERTH_PORT / BENCH_FLOOR_PORT   loopback ports (default 18480 / 18481 / 18482 / 18483)
#   BENCH_BUILD_DIR    build output, kept between runs so rebuilds are quick (default ${TMPDIR:-/tmp}/berth-bench-build)
#   BENCH_BERTH_DLL    use this berth.dll instead of building src/Berth.Cli
#   BENCH_BERTH_ARGS   more `berth server` arguments, split on spaces (telemetry.sh uses it to turn metrics and tracing off/on)
#   BENCH_NO_PERSISTENCE_FIELD=1   leave 'persistence' out of (c)'s spec, for a Berth that does not know
#                                  the field yet; (c) then runs with the default and its row says so
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-10s}"
repeat="${BENCH_REPEAT:-1}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
setups="${BENCH_SETUPS:-a b c d e f}"
agent_port="${BENCH_AGENT_PORT:-18480}"
nginx_port="${BENCH_NGINX_PORT:-18481}"
berth_port="${BENCH_BERTH_PORT:-18482}"
floor_port="${BENCH_FLOOR_PORT:-18483}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"
no_persistence_field="${BENCH_NO_PERSISTENCE_FIELD:-0}"
read -r -a berth_args <<<"${BENCH_BERTH_ARGS:-}"
body='{"name":"bench"}'
agent_off=hello-direct-off
agent_durable=hello-durable

bench_name=bench/proxy
# shellcheck source=../lib.sh
source "$here/../lib.sh"
wants() { [[ " $setups " == *" $1 "* ]]; }

for tool in wrk curl dotnet setsid; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y wrk curl; .NET SDK per global.json)"
done
[[ "$connections" =~ ^[1-9][0-9]*$ && "$threads" =~ ^[1-9][0-9]*$ && "$repeat" =~ ^[1-9][0-9]*$ ]] ||
  die "BENCH_CONNECTIONS, BENCH_THREADS and BENCH_REPEAT must be positive whole numbers"
(( connections >= threads )) || die "BENCH_CONNECTIONS ($connections) must be at least BENCH_THREADS ($threads)"
for s in $setups; do [[ "$s" =~ ^[abcdef]$ ]] || die "BENCH_SETUPS holds '$s'; use letters among: a b c d e f"; done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench.XXXXXX")"
agent_pid="" nginx_pid="" floor_pid="" berth_pid="" child_pid="" berth_dll="${BENCH_BERTH_DLL:-}" token=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 5
  stop_pid "$nginx_pid" 5
  stop_pid "$floor_pid" 5
  stop_pid "$agent_pid" 5
  if [[ -n "$berth_pid" ]] && kill -0 "$berth_pid" 2>/dev/null; then
    # Berth leaves its agents running when it stops (they are re-adopted later), so remove them first.
    berth rm --all --yes --timeout 30s >/dev/null 2>&1 || true
    stop_pid "$berth_pid" 15
  fi
  # Whatever Berth did not stop: the agent processes it recorded in its data directory (own process groups).
  local state pid
  while IFS= read -r state; do
    pid="$(sed -n 's/^ *"pid": *\([0-9][0-9]*\).*/\1/p' "$state" | head -n 1)"
    if [[ -n "$pid" ]] && grep -qa hello-agent "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done < <(find "$scratch/berth-data" -name instance.json 2>/dev/null)
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

berth() { BERTH_URL="http://127.0.0.1:$berth_port" BERTH_TOKEN="$token" BERTH_DATA_DIR="$scratch/berth-data" dotnet "$berth_dll" "$@"; }

# ---- results, one entry per setup letter ----
declare -A label=(
  [a]="(a) agent direct"
  [b]="(b) nginx -> agent"
  [f]="(f) YARP alone -> agent"
  [c]="(c) berth, persistence off"
  [d]="(d) berth, persistence on"
  [ea]="(e) agent direct, 1 conn"
  [ec]="(e) berth off, 1 conn"
  [ef]="(e) YARP alone, 1 conn"
)
# Rows measured with one connection on one thread (setup e); every other row uses BENCH_CONNECTIONS and BENCH_THREADS.
declare -A single=([ea]=1 [ec]=1 [ef]=1)
rows="a b f c d ea ef ec"
row_wanted() {
  case "$1" in
    ef) wants e && wants f ;;
    e?) wants e ;;
    *) wants "$1" ;;
  esac
}
[[ "$no_persistence_field" == 1 ]] && label[c]="(c) berth, field omitted (=d)"
declare -A status rps p50 p99 total errors load

fail() { status[$1]="FAILED: $2"; note "${label[$1]}: FAILED: $2"; }

to_ms() { # wrk latency such as 850.00us, 1.23ms, 1.02s, 2.00m -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u != "ms") { print "?"; exit }
    printf "%.2f", n }'
}

# Sends the benchmark's request once and checks the agent's answer, so a proxy error page is never measured.
preflight() { # letter url [curl args...]
  local key="$1" url="$2" code; shift 2
  code="$(curl -s -o "$scratch/preflight.$key" -w '%{http_code}' --max-time 10 -X POST \
    -H 'Content-Type: application/json' --data "$body" "$@" "$url" 2>/dev/null)" || code="none"
  if [[ "$code" != 200 ]] || ! grep -q 'Hello, bench' "$scratch/preflight.$key"; then
    fail "$key" "POST $url answered HTTP $code, not the agent's greeting: $(head -c 200 "$scratch/preflight.$key" 2>/dev/null | tr '\n' ' ')"
    return 1
  fi
}

busy_percent() { # CPU in use over one second while our setup is idle, i.e. by other work on the machine
  local a b
  a="$(head -n 1 /proc/stat 2>/dev/null)" || { echo "?"; return; }
  sleep 1
  b="$(head -n 1 /proc/stat 2>/dev/null)" || { echo "?"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x); split(b, y); for (i = 2; i <= n; i++) { t += y[i] - x[i] }
    idle = (y[5] - x[5]) + (y[6] - x[6]); printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}

wrk_field() { # file, field -> one figure of a wrk --latency report ("" when absent)
  case "$2" in
    rps) awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1" ;;
    p50|p99) to_ms "$(awk -v p="${2#p}%" '/Latency Distribution/ { f = 1; next } f && $1 == p { print $2; exit }' "$1")" ;;
    total) awk '/ requests in / { print $1; exit }' "$1" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1" ;;
    sock) awk '/Socket errors:/ { gsub(",", ""); n = $4 + $6 + $8 + $10 } END { print n + 0 }' "$1" ;;
  esac
}

measure() { # row url [extra wrk args...]
  local key="$1" url="$2" out="$scratch/wrk.$1" i busy runs="" non2xx=0 sock=0 n c="$connections" t="$threads"; shift 2
  [[ -n "${single[$key]:-}" ]] && c=1 t=1
  preflight "$key" "$url" "$@" || return 0
  note "${label[$key]}: warm-up $warmup, then $repeat x $duration with $c connections on $t threads"
  in_background wrk -t"$t" -c"$c" -d"$warmup" --timeout 10s -s "$here/greet.lua" "$@" "$url" >/dev/null 2>&1 || true
  load[$key]=0
  for i in $(seq 1 "$repeat"); do
    # Sampled between runs, when our own processes are idle and warm: what is busy then is other work.
    busy="$(busy_percent)"
    if [[ "$busy" == "?" || "${load[$key]}" == "?" ]]; then
      load[$key]="?"
    elif (( busy > load[$key] )); then
      load[$key]=$busy
    fi
    note "run $i: CPU busy just before it (other work, or a setup still busy after the last run): $busy%"
    if ! in_background wrk -t"$t" -c"$c" -d"$duration" --timeout 10s --latency -s "$here/greet.lua" "$@" "$url" >"$out.$i" 2>&1; then
      fail "$key" "wrk failed: $(tail -n 3 "$out.$i" | tr '\n' ' ')"
      return 0
    fi
    sed 's/^/      /' "$out.$i" >&2
    n="$(wrk_field "$out.$i" rps)"
    if [[ -z "$n" || "$(wrk_field "$out.$i" p99)" == "?" || -z "$(wrk_field "$out.$i" total)" ]]; then
      fail "$key" "could not read wrk's output (see above)"
      return 0
    fi
    runs="$runs$n $i"$'\n'
    non2xx=$(( non2xx + $(wrk_field "$out.$i" non2xx) ))
    sock=$(( sock + $(wrk_field "$out.$i" sock) ))
  done
  # With several runs, the one with the median requests/s stands for the setup (latencies from that run).
  i="$(printf '%s' "$runs" | sort -n | awk -v m=$(( (repeat + 1) / 2 )) 'NR == m { print $2 }')"
  rps[$key]="$(wrk_field "$out.$i" rps)"
  p50[$key]="$(wrk_field "$out.$i" p50)"
  p99[$key]="$(wrk_field "$out.$i" p99)"
  total[$key]="$(wrk_field "$out.$i" total)"
  errors[$key]=$(( non2xx + sock ))
  if (( non2xx > 0 )); then
    fail "$key" "$non2xx responses were not 2xx (a proxy error or rate limit, not the agent)"
  elif (( sock > 0 )); then
    status[$key]="ok, $sock socket errors"
  else
    status[$key]=ok
  fi
  if (( repeat > 1 )); then
    status[$key]="${status[$key]}; req/s of the runs: $(printf '%s' "$runs" | awk '{ print $1 }' | paste -sd/ -)"
  fi
}

# ---- build ----
step "Building the agent${berth_dll:+ (using berth at $berth_dll)}${berth_dll:- and berth} into $build_dir"
mkdir -p "$build_dir"
in_background dotnet publish "$root/examples/quickstart/hello-agent" -c Release --nologo -v quiet -clp:ErrorsOnly \
  -o "$build_dir/hello-agent" --artifacts-path "$build_dir/artifacts" >&2 || die "building examples/quickstart/hello-agent failed (errors above)"
agent_dir="$build_dir/hello-agent"
if wants f; then
  in_background dotnet publish "$here/yarp-floor" -c Release --nologo -v quiet -clp:ErrorsOnly \
    -o "$build_dir/yarp-floor" --artifacts-path "$build_dir/artifacts" >&2 || die "building bench/proxy/yarp-floor failed (errors above)"
fi
if wants c || wants d || wants e; then
  build_berth
fi

# ---- (a) and (b): the agent alone on a fixed port, nginx in front of it ----
if wants a || wants b || wants e || wants f; then
  step "Starting the agent alone on 127.0.0.1:$agent_port"
  port_free "$agent_port" || die "port $agent_port is in use; set BENCH_AGENT_PORT"
  # Started as Berth's process driver starts its agents: in a session of its own (setsid), output to a file. Where the
  # kernel groups sessions for scheduling (sched_autogroup_enabled=1, processes outside any cpu cgroup), an agent in the
  # benchmark's own session would share a scheduling group with wrk and the proxy and run faster behind nginx and YARP than
  # behind Berth, whose agents are always in their own session (see README.md, "The agent's scheduling group").
  PORT="$agent_port" BERTH_AGENT=hello setsid dotnet "$agent_dir/hello-agent.dll" >"$scratch/agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$agent_port/health" >/dev/null 2>&1 && break
    kill -0 "$agent_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! curl -sf "http://127.0.0.1:$agent_port/health" >/dev/null 2>&1; then
    tail -n 20 "$scratch/agent.log" >&2
    die "the agent did not answer on 127.0.0.1:$agent_port (its output is above)"
  fi
  if wants a; then
    step "Measuring ${label[a]}"
    measure a "http://127.0.0.1:$agent_port/greet"
  fi
  if wants e; then
    step "Measuring ${label[ea]}"
    measure ea "http://127.0.0.1:$agent_port/greet"
  fi
  if wants b; then
    step "Measuring ${label[b]} (nginx on 127.0.0.1:$nginx_port)"
    if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
      fail b "nginx is not installed (Debian: apt-get install -y nginx-light)"
    elif ! port_free "$nginx_port"; then
      fail b "port $nginx_port is in use; set BENCH_NGINX_PORT"
    else
      mkdir -p "$scratch/nginx"
      chmod 755 "$scratch" "$scratch/nginx"
      # Minimal but fair: worker per core, keep-alive to the agent, no access log.
      cat >"$scratch/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $scratch/nginx/body;
  proxy_temp_path $scratch/nginx/proxy;
  fastcgi_temp_path $scratch/nginx/fastcgi;
  uwsgi_temp_path $scratch/nginx/uwsgi;
  scgi_temp_path $scratch/nginx/scgi;
  upstream agent { server 127.0.0.1:$agent_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://agent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
      nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
      "$nginx_bin" -c "$scratch/nginx/nginx.conf" -p "$scratch/nginx" -e "$scratch/nginx/error.log" -g 'daemon off;' \
        >"$scratch/nginx/stdout.log" 2>&1 &
      nginx_pid=$!
      if wait_answer "http://127.0.0.1:$nginx_port/health" "$nginx_pid"; then
        measure b "http://127.0.0.1:$nginx_port/greet"
      else
        fail b "nginx did not start: $(tail -n 3 "$scratch/nginx/error.log" "$scratch/nginx/stdout.log" 2>/dev/null | tr '\n' ' ')"
      fi
      stop_pid "$nginx_pid" 5
      nginx_pid=""
    fi
  fi
  if wants f; then
    step "Measuring ${label[f]} (yarp-floor on 127.0.0.1:$floor_port)"
    if ! port_free "$floor_port"; then
      fail f "port $floor_port is in use; set BENCH_FLOOR_PORT"
    else
      dotnet "$build_dir/yarp-floor/yarp-floor.dll" "http://127.0.0.1:$floor_port" "http://127.0.0.1:$agent_port" \
        >"$scratch/floor.log" 2>&1 &
      floor_pid=$!
      if wait_answer "http://127.0.0.1:$floor_port/health" "$floor_pid"; then
        measure f "http://127.0.0.1:$floor_port/greet"
        if wants e; then
          step "Measuring ${label[ef]}"
          measure ef "http://127.0.0.1:$floor_port/greet"
        fi
      else
        fail f "yarp-floor did not start: $(tail -n 3 "$scratch/floor.log" 2>/dev/null | tr '\n' ' ')"
      fi
      stop_pid "$floor_pid" 5
      floor_pid=""
    fi
  fi
  stop_pid "$agent_pid" 5
  agent_pid=""
fi

# ---- (c) and (d): the same agent deployed twice as a process agent behind Berth's proxy ----
write_spec() { # name, persistence setting (may be empty)
  local persistence=""
  [[ -n "$2" ]] && persistence="  persistence: $2"
  cat >"$scratch/specs/$1.yaml" <<YAML
apiVersion: berth/v1
kind: Agent
metadata:
  name: $1
spec:
  process:
    command: dotnet
    args: ["hello-agent.dll"]
    workingDir: $agent_dir
  health:
    path: /health
    interval: 5s
    timeout: 2s
  restart:
    policy: always
$persistence
YAML
}

deploy() { # letter, agent name
  local key="$1" name="$2" out="$scratch/apply.$2"
  if in_background berth apply -f "$scratch/specs/$name.yaml" --wait --timeout 2m >"$out" 2>&1; then
    return 0
  fi
  sed 's/^/      /' "$out" >&2
  if grep -qi 'persistence' "$out" && grep -qi 'unknown field' "$out"; then
    fail "$key" "this Berth does not know spec.persistence yet (berth apply refused the spec; BENCH_NO_PERSISTENCE_FIELD=1 runs it without)"
  else
    fail "$key" "berth apply of $name failed: $(grep -v '^\s*$' "$out" | head -n 2 | tr '\n' ' ')"
  fi
  return 1
}

stored_requests() { # agent name -> rows for it in the server's request store, or "?" when it cannot be read
  local db="$scratch/berth-data/berth.db" sql="SELECT count(*) FROM requests WHERE agent = '$1';"
  if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 -readonly "$db" "$sql" 2>/dev/null || echo "?"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sqlite3, sys; print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute(sys.argv[2]).fetchone()[0])' \
      "$db" "$sql" 2>/dev/null || echo "?"
  else
    echo "?"
  fi
}

# A figure for "persistence on" means nothing unless the requests really went to the store (and
# "off" nothing unless they did not), so the store is counted after each run.
check_persistence() { # letter, agent name, expect stored (1) or not (0)
  local key="$1" name="$2" expect="$3" stored
  [[ "${status[$key]:-}" == ok* ]] || return 0
  stored="$(stored_requests "$name")"
  if [[ "$stored" == "?" ]]; then
    if [[ "$expect" == 1 ]]; then
      fail "$key" "could not confirm any request was stored: no sqlite3/python3 to read the store, or it has no requests table (proxy without persistence?)"
    else
      status[$key]="${status[$key]}; store not checked (no sqlite3/python3, or no requests table)"
    fi
  elif [[ "$expect" == 1 ]] && (( stored < total[$key] )); then
    fail "$key" "only $stored requests stored for $name, fewer than the ${total[$key]} measured: persistence is not in effect"
  elif [[ "$expect" == 0 ]] && (( stored > 0 )); then
    fail "$key" "$stored requests stored for $name although its persistence is off"
  else
    note "${label[$key]}: $stored requests in the store for $name (as expected)"
  fi
}

if wants c || wants d || wants e; then
  step "Starting berth server on 127.0.0.1:$berth_port (process runtime, rate limits off)"
  mkdir -p "$scratch/specs"
  start_berth process --Berth:RateLimit:Enabled false "${berth_args[@]}"
  token="$(cat "$scratch/berth-data/admin.token")"
  auth=(-H "Authorization: Bearer $token")

  if wants c || wants e; then
    if [[ "$no_persistence_field" == 1 ]]; then write_spec "$agent_off" ""; else write_spec "$agent_off" "{ enabled: false }"; fi
    step "Deploying $agent_off (persistence off) and measuring ${label[c]}"
    first=c
    wants c || first=ec
    if deploy "$first" "$agent_off"; then
      if wants c; then
        measure c "http://127.0.0.1:$berth_port/agents/$agent_off/greet" "${auth[@]}"
        if [[ "$no_persistence_field" != 1 ]]; then check_persistence c "$agent_off" 0; fi
      fi
      if wants e; then
        step "Measuring ${label[ec]}"
        measure ec "http://127.0.0.1:$berth_port/agents/$agent_off/greet" "${auth[@]}"
      fi
    elif wants e; then
      fail ec "berth apply of $agent_off failed (see above)"
    fi
  fi
  if wants d; then
    write_spec "$agent_durable" "{ enabled: true }"
    step "Deploying $agent_durable (persistence on) and measuring ${label[d]}"
    deploy d "$agent_durable" && measure d "http://127.0.0.1:$berth_port/agents/$agent_durable/greet" "${auth[@]}"
    check_persistence d "$agent_durable" 1
  fi
fi

# ---- report ----
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
runtime="$(dotnet --list-runtimes 2>/dev/null | awk '/^Microsoft.AspNetCore.App/ { v = $2 } END { print v }')"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes)"
nginx_version="$( { (nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1) | sed -n 's/.*nginx\///p' | head -n 1; } || true)"

step "Results"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
echo "versions: berth $commit, .NET SDK $(dotnet --version 2>/dev/null), ASP.NET Core $runtime, $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), nginx ${nginx_version:-not installed}"
echo "load: wrk -t$threads -c$connections -d$duration --latency (rows marked 1 conn: -t1 -c1), $repeat run(s) per setup after a $warmup warm-up, POST /greet $body"
echo
fmt='%-31s %10s %9s %9s %10s %7s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" setup "req/s" "p50 ms" "p99 ms" requests errors status
for key in $rows; do
  row_wanted "$key" || continue
  # shellcheck disable=SC2059
  printf "$fmt" "${label[$key]}" "${rps[$key]:--}" "${p50[$key]:--}" "${p99[$key]:--}" "${total[$key]:--}" "${errors[$key]:--}" "${status[$key]:-not run}"
done

ok() { [[ "${status[$1]:-}" == ok* ]]; }
# PASS/FAIL of "value op target"; op is ge or lt.
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { pass = op == "ge" ? v >= t : v < t; print pass ? "PASS" : "FAIL" }'; }
echo
echo "targets (issue 13; ratios of rows of this run):"
if ok c && ok b; then
  ratio="$(awk -v c="${rps[c]}" -v b="${rps[b]}" 'BEGIN { printf "%.2f", c / b }')"
  result="$(verdict "$ratio" 0.8 ge)"
  (( errors[c] > 0 )) && result="FAIL (${errors[c]} errors)"
  echo "  persistence off vs nginx, $connections connections: (c)/(b) = ${ratio}x   target >= 0.8x, no errors: $result"
else
  echo "  persistence off vs nginx, $connections connections: n/a (needs (b) and (c))"
fi
if ok f && ok b; then
  echo "  YARP alone vs nginx (not a target; the ceiling Kestrel + YARP set on this machine): (f)/(b) = $(awk -v f="${rps[f]}" -v b="${rps[b]}" 'BEGIN { printf "%.2f", f / b }')x"
fi
if ok c && ok f; then
  echo "  berth off vs YARP alone (not a target; what Berth adds to Kestrel + YARP): (c)/(f) = $(awk -v c="${rps[c]}" -v f="${rps[f]}" 'BEGIN { printf "%.2f", c / f }')x"
fi
if ok ec && ok ea; then
  added="$(awk -v c="${p99[ec]}" -v a="${p99[ea]}" 'BEGIN { printf "%.2f", c - a }')"
  echo "  p99 added over direct, 1 connection: (e) berth - (e) direct = $added ms   target < 1 ms: $(verdict "$added" 1 lt)"
  if ok ef; then
    echo "  p99 added by YARP alone, 1 connection (not a target; the floor): (e) YARP - (e) direct = $(awk -v f="${p99[ef]}" -v a="${p99[ea]}" 'BEGIN { printf "%.2f", f - a }') ms"
  fi
else
  echo "  p99 added over direct, 1 connection: n/a (needs (e))"
fi
if ok d && ok c; then
  ratio="$(awk -v d="${rps[d]}" -v c="${rps[c]}" 'BEGIN { printf "%.2f", d / c }')"
  echo "  persistence on vs off, $connections connections: (d)/(c) = ${ratio}x   target >= 0.5x (every request committed before it is forwarded): $(verdict "$ratio" 0.5 ge)"
else
  echo "  persistence on vs off, $connections connections: n/a (needs (c) and (d))"
fi
if [[ "$(nproc)" != 2 ]]; then
  echo "  note: the targets are stated for 2 cores; this machine has $(nproc)."
fi
busy=""
for key in $rows; do
  [[ "${load[$key]:-?}" != "?" ]] && (( load[$key] > 10 )) && busy="$busy ${key}=${load[$key]}%"
done
if [[ -n "$busy" ]]; then
  echo "  WARNING: other work was using the CPU just before some runs (busy:$busy); it skews these figures."
fi
echo "  note: wrk runs on the same machine and takes CPU from the setup it measures; compare rows with each other."

failed=0
for key in $rows; do row_wanted "$key" && ! ok "$key" && failed=1; done
exit "$failed"
