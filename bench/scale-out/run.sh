#!/usr/bin/env bash
# Scale-out benchmark: what PostgreSQL and several servers do to Berth's durable proxy and to cached workflow steps.
#   proxy    durable requests/s, p50/p99 (wrk, POST /agents/hello-durable/greet, persistence on) through one server on the
#            SQLite store, then one server on PostgreSQL
#   cluster  the same on PostgreSQL with 1, 2 and 3 `berth server` processes on one database behind nginx (round robin over
#            the servers' loopback ports, keep-alive upstream)
#   dag      steps/s of a fully cached 1,000-step DAG on each store (bench/workflows' part "dag", run by its run.sh)
# The agent is the quick start's hello-agent as a process agent (bench/proxy's). Each setup gets fresh servers on a fresh
# data directory or database; after each measured run the store is counted, and a row whose requests are not all there
# is reported as failed. One table at the end. Everything it starts is stopped and removed on exit.
# See README.md next to this file for what the figures mean.
#   BENCH_PARTS        which parts to run (default "proxy cluster dag")
#   BENCH_DURATION     measured run per setup (default 10s)    BENCH_WARMUP   warm-up run before it (default 10s)
#   BENCH_CONNECTIONS  open connections (default 32)           BENCH_THREADS  wrk threads (default 2)
#   BENCH_SERVERS      server counts of the cluster part (default "1 2 3")
#   BENCH_DAG_STEPS    steps of the DAG, a multiple of 100 (default 1000)   BENCH_DAG_REPEAT  timed DAG runs (default 3)
#   BENCH_PORT         first loopback port: nginx on it, server i on BENCH_PORT+i, the DAG's server on BENCH_PORT+9 (default 18500)
#   BENCH_POSTGRES     use this PostgreSQL superuser URL instead of a scratch cluster (a database per setup is created on it)
#   BENCH_POSTGRES_DURABILITY  normal (default: synchronous_commit off, as SQLite's WAL with synchronous=NORMAL), full, off
#   BENCH_IMAGE        image of the DAG's steps (default berth-bench/busybox:1, made by scripts/busybox-image.sh if missing)
#   BENCH_BUILD_DIR    build output, kept between runs (default ${TMPDIR:-/tmp}/berth-bench-build)
#   BENCH_BERTH_DLL    use this berth.dll instead of building src/Berth.Cli
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

parts="${BENCH_PARTS:-proxy cluster dag}"
duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-10s}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
server_counts="${BENCH_SERVERS:-1 2 3}"
read -r -a server_list <<<"$server_counts"
dag_steps="${BENCH_DAG_STEPS:-1000}"
dag_repeat="${BENCH_DAG_REPEAT:-3}"
base_port="${BENCH_PORT:-18500}"
image="${BENCH_IMAGE:-berth-bench/busybox:1}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-build}"
export BENCH_POSTGRES_DURABILITY="${BENCH_POSTGRES_DURABILITY:-normal}"
agent=hello-durable
body='{"name":"bench"}'
nginx_port="$base_port"
berth_port="$base_port" # for bench/lib.sh; each server has its own port here

bench_name=bench/scale-out
# shellcheck source=../lib.sh
source "$here/../lib.sh"
wants() { [[ " $parts " == *" $1 "* ]]; }

for tool in wrk curl dotnet awk; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y wrk curl; .NET SDK per global.json)"
done
for p in $parts; do [[ "$p" =~ ^(proxy|cluster|dag)$ ]] || die "BENCH_PARTS holds '$p'; use among: proxy cluster dag"; done
for n in "${server_list[@]}"; do [[ "$n" =~ ^[1-8]$ ]] || die "BENCH_SERVERS holds '$n'; use server counts from 1 to 8"; done
[[ "$connections" =~ ^[1-9][0-9]*$ && "$threads" =~ ^[1-9][0-9]*$ && "$dag_repeat" =~ ^[1-9][0-9]*$ && "$base_port" =~ ^[1-9][0-9]*$ ]] ||
  die "BENCH_CONNECTIONS, BENCH_THREADS, BENCH_DAG_REPEAT and BENCH_PORT must be positive whole numbers"
[[ "$dag_steps" =~ ^[1-9][0-9]*00$ ]] || die "BENCH_DAG_STEPS must be a positive multiple of 100, found '$dag_steps'"
if wants cluster; then
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  [[ -x "$nginx_bin" ]] || die "nginx is not installed (Debian: apt-get install -y nginx-light); or leave 'cluster' out of BENCH_PARTS"
fi
if wants proxy; then
  command -v sqlite3 >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 ||
    die "neither sqlite3 nor python3 is installed, so the SQLite store cannot be counted (Debian: apt-get install -y sqlite3)"
fi
# The store and key of each server are set here, never taken from the caller's environment.
unset BERTH_STORE BERTH_SECRETS_KEY

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-scale-out.XXXXXX")"
chmod 755 "$scratch"
berth_pid="" child_pid="" nginx_pid="" berth_dll="${BENCH_BERTH_DLL:-}" token="" database="" secrets_key=""
declare -a server_pids=()

# ---- servers ----
server_dir() { echo "$scratch/server-$1"; }

berth() { # the CLI against server 1
  BERTH_URL="http://127.0.0.1:$((base_port + 1))" BERTH_TOKEN="$token" BERTH_DATA_DIR="$(server_dir 1)" dotnet "$berth_dll" "$@"
}

# Starts `berth server` number i (1…) on 127.0.0.1:BENCH_PORT+i over its own data directory, process runtime, rate limits
# off; on PostgreSQL (store URL given) with the shared secrets key. Waits until it answers /healthz and wrote admin.token.
start_server() { # i, store URL or "" for SQLite
  local i="$1" url="$2" port=$((base_port + $1)) dir
  dir="$(server_dir "$1")"
  port_free "$port" || die "port $port is in use; set BENCH_PORT"
  rm -rf "$dir"
  mkdir -p "$dir"
  local -a store_env=()
  [[ -z "$url" ]] || store_env=(BERTH_STORE="$url" BERTH_SECRETS_KEY="$secrets_key")
  env "${store_env[@]}" dotnet "$berth_dll" server --data-dir "$dir" --urls "http://127.0.0.1:$port" --runtime process \
    --Berth:RateLimit:Enabled false >"$dir.log" 2>&1 &
  server_pids[i]=$!
}

wait_server() { # i
  local i="$1" port=$((base_port + $1)) dir pid="${server_pids[$1]}"
  dir="$(server_dir "$1")"
  for _ in $(seq 1 600); do
    [[ -s "$dir/admin.token" ]] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 30 "$dir.log" >&2
  die "berth server $i did not come up on 127.0.0.1:$port within a minute (its log is above)"
}

# Removes the agent (so no process agent outlives its server), stops every server and whatever agent process is left.
stop_servers() {
  local i pid state
  if [[ -n "${server_pids[1]:-}" ]] && kill -0 "${server_pids[1]}" 2>/dev/null && [[ -n "$token" ]]; then
    berth rm --all --yes --timeout 30s >/dev/null 2>&1 || true
  fi
  # The leader (server 1) last, so no other server takes the lead from it while the rest stop.
  for i in $(printf '%s\n' "${!server_pids[@]}" | sort -rn); do stop_pid "${server_pids[$i]}" 15; done
  server_pids=()
  # Agents are recorded in the data directory of the server that started them, in process groups of their own.
  while IFS= read -r state; do
    pid="$(sed -n 's/^ *"pid": *\([0-9][0-9]*\).*/\1/p' "$state" | head -n 1)"
    if [[ -n "$pid" ]] && grep -qa hello-agent "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done < <(find "$scratch" -path "$scratch/postgres" -prune -o -name instance.json -print 2>/dev/null)
  token=""
}

stop_nginx() { stop_pid "$nginx_pid" 5; nginx_pid=""; }

# shellcheck disable=SC2317 # run by the EXIT trap, which shellcheck does not follow
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 30
  stop_nginx
  stop_servers
  [[ -z "$database" ]] || postgres_drop "$database"
  stop_postgres
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- results, one entry per row ----
declare -A label store servers rate p50 p99 total errors status
rows=""
add_row() { # key, label, store, servers
  rows="$rows $1"
  label[$1]="$2" store[$1]="$3" servers[$1]="$4"
}
fail() { status[$1]="FAILED: $2"; note "${label[$1]}: FAILED: $2"; }

to_ms() { # a wrk latency (850.00us, 1.23ms, 1.02s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
    factor = unit == "us" ? 0.001 : unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : -1
    if (factor < 0) print "?"; else printf "%.2f", n * factor }'
}

wrk_figure() { # wrk --latency output, figure -> that figure ("" when absent)
  case "$2" in
    rps) awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' "$1" ;;
    p50|p99) to_ms "$(awk -v p="${2#p}%" '/Latency Distribution/ { on = 1; next } on && $1 == p { print $2; exit }' "$1")" ;;
    total) awk '/ requests in / { print $1; exit }' "$1" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1" ;;
    sock) awk '/Socket errors:/ { gsub(",", ""); n = $4 + $6 + $8 + $10 } END { print n + 0 }' "$1" ;;
  esac
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime + stime, clock ticks
clock_ticks="$(getconf CLK_TCK)"

# Rows of the agent in the store the setup runs on: the server's SQLite file, or the PostgreSQL database.
stored_requests() { # database URL or "" for server 1's SQLite file
  local sql="SELECT count(*) FROM requests WHERE agent = '$agent';" db
  if [[ -n "$1" ]]; then
    postgres_query "$1" "$sql" 2>/dev/null || echo "?"
    return
  fi
  db="$(server_dir 1)/berth.db"
  if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 -readonly "$db" "$sql" 2>/dev/null || echo "?"
  else
    python3 -c 'import sqlite3, sys; print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute(sys.argv[2]).fetchone()[0])' \
      "$db" "$sql" 2>/dev/null || echo "?"
  fi
}

# One POST until it gets the agent's greeting (a server that does not lead routes to the agent after its next pass).
preflight() { # key, url
  local key="$1" url="$2" code=none
  for _ in $(seq 1 60); do
    code="$(curl -s -o "$scratch/preflight" -w '%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $token" --data "$body" "$url" 2>/dev/null)" || code=none
    [[ "$code" == 200 ]] && grep -q 'Hello, bench' "$scratch/preflight" && return 0
    sleep 0.5
  done
  fail "$key" "POST $url answered HTTP $code, not the agent's greeting: $(head -c 200 "$scratch/preflight" 2>/dev/null | tr '\n' ' ')"
  return 1
}

# The agent answers through each of the n servers (not only through whichever nginx happens to pick).
every_server() { # n, key of the row that fails otherwise
  local i
  for i in $(seq 1 "$1"); do preflight "$2" "http://127.0.0.1:$((base_port + i))/agents/$agent/greet" || return 1; done
}

# Warm-up, then the measured wrk run; then the store must hold a row for every request measured.
measure() { # key, url, database URL or "" (SQLite)
  local key="$1" url="$2" db="$3" out="$scratch/wrk.$1" before after i
  local -a cpu_before=() cpu_after=()
  preflight "$key" "$url" || return 0
  before="$(stored_requests "$db")"
  note "${label[$key]}: warm-up $warmup, then $duration with $connections connections on $threads threads"
  in_background wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 10s -s "$root/bench/proxy/greet.lua" \
    -H "Authorization: Bearer $token" "$url" >/dev/null 2>&1 || true
  for i in "${!server_pids[@]}"; do cpu_before[i]="$(cpu_ticks "${server_pids[$i]}")"; done
  if ! in_background wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s --latency -s "$root/bench/proxy/greet.lua" \
    -H "Authorization: Bearer $token" "$url" >"$out" 2>&1; then
    fail "$key" "wrk failed: $(tail -n 3 "$out" | tr '\n' ' ')"
    return 0
  fi
  for i in "${!server_pids[@]}"; do cpu_after[i]="$(cpu_ticks "${server_pids[$i]}")"; done
  sed 's/^/      /' "$out" >&2
  rate[$key]="$(wrk_figure "$out" rps)"
  p50[$key]="$(wrk_figure "$out" p50)"
  p99[$key]="$(wrk_figure "$out" p99)"
  total[$key]="$(wrk_figure "$out" total)"
  if [[ -z "${rate[$key]}" || -z "${total[$key]}" || "${p99[$key]}" == "?" ]]; then
    fail "$key" "could not read wrk's output (see above)"
    return 0
  fi
  local non2xx sock
  non2xx="$(wrk_figure "$out" non2xx)"
  sock="$(wrk_figure "$out" sock)"
  errors[$key]=$(( non2xx + sock ))
  # The server CPU each server used during the measured run: with nginx in front, every one of them must have worked.
  local cpu=""
  for i in "${!server_pids[@]}"; do
    cpu="$cpu/$(awk -v a="${cpu_before[$i]}" -v b="${cpu_after[$i]}" -v hz="$clock_ticks" 'BEGIN { printf "%.1f", (b - a) / hz }')"
  done
  cpu="server CPU s: ${cpu#/}"
  after="$(stored_requests "$db")"
  if (( non2xx > 0 )); then
    fail "$key" "$non2xx responses were not 2xx (a proxy error or a rate limit, not the agent)"
  elif [[ "$before" == "?" || "$after" == "?" ]]; then
    fail "$key" "could not count the requests in the store, so persistence is not confirmed"
  elif (( after - before < total[$key] )); then
    fail "$key" "only $(( after - before )) requests stored during warm-up and run, fewer than the ${total[$key]} measured: persistence is not in effect"
  else
    status[$key]="ok; $(( after - before )) stored; $cpu"
    (( sock == 0 )) || status[$key]="ok, $sock socket errors; $(( after - before )) stored; $cpu"
  fi
}

write_spec() {
  cat >"$scratch/$agent.yaml" <<YAML
apiVersion: berth/v1
kind: Agent
metadata:
  name: $agent
spec:
  process:
    command: dotnet
    args: ["hello-agent.dll"]
    workingDir: $build_dir/hello-agent
  health:
    path: /health
    interval: 5s
    timeout: 2s
  restart:
    policy: always
  persistence: { enabled: true }
YAML
}

# Starts n servers on a store (server 1 first: on a fresh store it runs the migrations and takes the lead) and deploys the agent.
setup() { # n, store URL or ""
  local n="$1" url="$2" i
  start_server 1 "$url"
  wait_server 1
  for i in $(seq 2 "$n"); do start_server "$i" "$url"; done
  for i in $(seq 2 "$n"); do wait_server "$i"; done
  token="$(cat "$(server_dir 1)/admin.token")"
  if ! in_background berth apply -f "$scratch/$agent.yaml" --wait --timeout 2m >"$scratch/apply.log" 2>&1; then
    sed 's/^/      /' "$scratch/apply.log" >&2
    return 1
  fi
  [[ -z "$url" ]] || note "leader: $(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$((base_port + 1))/readyz" |
    sed -n 's/.*"leader": *"\([^"]*\)".*/\1/p') (server ids: $(for i in $(seq 1 "$n"); do cat "$(server_dir "$i")/server-id" 2>/dev/null; echo; done | paste -sd' ' -))"
}

start_nginx() { # n servers -> nginx on $nginx_port, round robin over them
  local n="$1" i upstreams=""
  for i in $(seq 1 "$n"); do upstreams="$upstreams server 127.0.0.1:$((base_port + i));"; done
  port_free "$nginx_port" || die "port $nginx_port is in use; set BENCH_PORT"
  mkdir -p "$scratch/nginx"
  # As bench/proxy's: a worker per core, keep-alive to the upstreams, no access log.
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
  upstream berth {$upstreams keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://berth;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
  "$nginx_bin" -c "$scratch/nginx/nginx.conf" -p "$scratch/nginx" -e "$scratch/nginx/error.log" -g 'daemon off;' \
    >"$scratch/nginx/stdout.log" 2>&1 &
  nginx_pid=$!
  wait_answer "http://127.0.0.1:$nginx_port/healthz" "$nginx_pid" ||
    die "nginx did not start: $(tail -n 3 "$scratch/nginx/error.log" "$scratch/nginx/stdout.log" 2>/dev/null | tr '\n' ' ')"
}

# ---- build ----
step "Building the agent${berth_dll:+ (using berth at $berth_dll)}$([[ -n "$berth_dll" ]] || echo " and berth") into $build_dir"
mkdir -p "$build_dir"
if wants proxy || wants cluster; then
  in_background dotnet publish "$root/examples/quickstart/hello-agent" -c Release --nologo -v quiet -clp:ErrorsOnly \
    -o "$build_dir/hello-agent" --artifacts-path "$build_dir/artifacts" >&2 || die "building examples/quickstart/hello-agent failed (errors above)"
  write_spec
fi
build_berth

# ---- proxy: one server on SQLite ----
if wants proxy; then
  add_row sqlite "durable proxy, direct" sqlite 1
  step "SQLite: one server on 127.0.0.1:$((base_port + 1)), agent $agent"
  if setup 1 ""; then
    measure sqlite "http://127.0.0.1:$((base_port + 1))/agents/$agent/greet" ""
  else
    fail sqlite "berth apply of $agent failed (see above)"
  fi
  stop_servers
fi

# ---- proxy and cluster: servers on one PostgreSQL database, a fresh one per server count ----
# Server counts to set up, each once: 1 for the proxy part (direct), BENCH_SERVERS for the cluster part (behind nginx).
counts="$( { if wants proxy; then echo 1; fi; if wants cluster; then printf '%s\n' "${server_list[@]}"; fi; } | sort -nu | paste -sd' ' -)"
pg_version=""
if [[ -n "$counts" ]]; then
  step "Starting PostgreSQL${BENCH_POSTGRES:+ (BENCH_POSTGRES)} (durability $BENCH_POSTGRES_DURABILITY)"
  start_postgres
  pg_version="$(postgres_query "$postgres_url" "SHOW server_version" 2>/dev/null || echo "?")"
  secrets_key="$(head -c 32 /dev/urandom | base64)"
  for n in $counts; do
    direct="" behind=""
    if [[ "$n" == 1 ]] && wants proxy; then direct=pg-direct; add_row pg-direct "durable proxy, direct" postgres 1; fi
    if wants cluster && [[ " $server_counts " == *" $n "* ]]; then behind="pg-nginx-$n"; add_row "$behind" "durable proxy, nginx" postgres "$n"; fi
    database="berth_scale_out_$n"
    url="$(postgres_database "$database")"
    step "PostgreSQL: $n server(s) on ports $((base_port + 1))-$((base_port + n)), one database, agent $agent"
    if setup "$n" "$url" && every_server "$n" "${behind:-$direct}"; then
      [[ -z "$direct" ]] || measure "$direct" "http://127.0.0.1:$((base_port + 1))/agents/$agent/greet" "$url"
      if [[ -n "$behind" ]]; then
        start_nginx "$n"
        measure "$behind" "http://127.0.0.1:$nginx_port/agents/$agent/greet" "$url"
        stop_nginx
      fi
    elif [[ -z "${status[${behind:-$direct}]:-}" ]]; then
      for key in $direct $behind; do fail "$key" "berth apply of $agent failed (see above)"; done
    else
      [[ -z "$direct" || -z "$behind" ]] || status[$direct]="${status[$behind]}"
    fi
    stop_servers
    postgres_drop "$database"
    database=""
  done
fi

# ---- dag: bench/workflows' cached DAG on each store ----
figure() { sed -n "s/^$1=//p" "$figures"; } # a key=value line of bench/workflows' figures file
if wants dag; then
  for kind in sqlite postgres; do
    add_row "dag-$kind" "cached ${dag_steps}-step DAG" "$kind" 1
    step "Cached DAG of $dag_steps steps on $kind (bench/workflows, BENCH_PARTS=dag)"
    if [[ "$kind" == postgres && -z "$postgres_url" ]]; then
      start_postgres
      pg_version="$(postgres_query "$postgres_url" "SHOW server_version" 2>/dev/null || echo "?")"
    fi
    figures="$scratch/dag.$kind"
    # Its report goes to stderr with the other progress; its figures come back in a file.
    if BENCH_PARTS=dag BENCH_STORE="$kind" BENCH_POSTGRES="$postgres_url" BENCH_DAG_STEPS="$dag_steps" BENCH_REPEAT="$dag_repeat" \
      BENCH_IMAGE="$image" BENCH_BERTH_PORT=$((base_port + 9)) BENCH_BUILD_DIR="$build_dir" BENCH_BERTH_DLL="$berth_dll" \
      BENCH_FIGURES_FILE="$figures" in_background bash "$root/bench/workflows/run.sh" >&2 && [[ -s "$figures" ]]; then
      rate[dag-$kind]="$(figure steps_per_s)"
      status[dag-$kind]="ok; median run $(figure median_ms) ms (runs $(figure runs_ms)), server $(figure server_ms) ms, filling run $(figure fill_ms) ms ($(figure fill_ran) containers)"
    else
      fail "dag-$kind" "bench/workflows failed (its output is above)"
    fi
  done
fi

# ---- report ----
cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes in src/)"
[[ -n "${BENCH_BERTH_DLL:-}" ]] && commit="$BENCH_BERTH_DLL (given; this tree: $commit)"
nginx_version="$( { "${nginx_bin:-nginx}" -v 2>&1 | sed -n 's/.*nginx\///p' | head -n 1; } || true)"

step "Results"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: berth $commit, .NET SDK $(dotnet --version 2>/dev/null), $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), nginx ${nginx_version:-not used}, PostgreSQL ${pg_version:-not used} (durability $BENCH_POSTGRES_DURABILITY)"
echo "proxy: wrk -t$threads -c$connections -d$duration --latency after a $warmup warm-up, POST /agents/$agent/greet $body (process agent, persistence on, rate limits off)"
echo "dag: $dag_steps container steps, all cached, $dag_repeat timed runs after a filling run and a warm-up; steps/s of the median run, POST /runs to run.succeeded"
echo
fmt='%-24s %-9s %7s %14s %8s %8s %9s %7s  %s\n'
# shellcheck disable=SC2059
printf "$fmt" figure store servers rate "p50 ms" "p99 ms" requests errors status
failed=0
for key in $rows; do
  unit="req/s"
  [[ "$key" == dag-* ]] && unit="steps/s"
  shown="-"
  [[ -n "${rate[$key]:-}" ]] && shown="${rate[$key]} $unit"
  # shellcheck disable=SC2059
  printf "$fmt" "${label[$key]}" "${store[$key]}" "${servers[$key]}" "$shown" "${p50[$key]:--}" "${p99[$key]:--}" \
    "${total[$key]:--}" "${errors[$key]:--}" "${status[$key]:-not run}"
  [[ "${status[$key]:-}" == ok* ]] || failed=1
done
echo
echo "note: wrk, nginx, every server, the agent and PostgreSQL share this machine's $(nproc) cores; more servers add processes, not cores."
exit "$failed"
