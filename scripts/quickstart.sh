#!/usr/bin/env bash
# Berth's quick start: install the berth command (scripts/install.sh), start its server on the embedded defaults (SQLite in a data
# directory, the process runtime; docker too when an engine answers), deploy the example agent,
# call it through Berth's proxy, and say what to try next. Safe to run again.
#   BERTH_DATA_DIR  data directory (default ~/.berth); the server writes its admin token to admin.token there,
#                   and the CLI on this host reads it from there, so every berth command below is authenticated
#   BERTH_URL       where the server listens (default http://127.0.0.1:2378)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export BERTH_DATA_DIR="${BERTH_DATA_DIR:-$HOME/.berth}"
export BERTH_URL="${BERTH_URL:-http://127.0.0.1:2378}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "Berth needs the .NET SDK (version in global.json): install it, then run this again." >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ] && ! command -v bwrap >/dev/null 2>&1; then
  echo "Berth confines process agents: as root each gets a uid of its own; as any other user it needs bubblewrap." >&2
  echo "Install it (sudo apt-get install bubblewrap), or run this as root, then run this again." >&2
  exit 1
fi

step "Installing the berth command and building the example agent"
berth_path="$(bash scripts/install.sh)"
dotnet build examples/quickstart/hello-agent -c Release --nologo -v quiet -clp:ErrorsOnly -o examples/quickstart/bin/hello-agent
berth() { "$berth_path" "$@"; }
if [ "$(type -P berth || true)" = "$berth_path" ]; then where="on your PATH"; else where="not on your PATH yet: add $(dirname "$berth_path") to it, or type $berth_path"; fi
echo "berth is installed at $berth_path ($where)"

if berth get agents >/dev/null 2>&1; then
  step "Using the Berth server already answering at $BERTH_URL"
else
  mkdir -p "$BERTH_DATA_DIR"
  log="$BERTH_DATA_DIR/server.log"
  step "Starting berth server at $BERTH_URL (data in $BERTH_DATA_DIR)"
  nohup "$berth_path" server --urls "$BERTH_URL" >"$log" 2>&1 </dev/null &
  echo $! >"$BERTH_DATA_DIR/server.pid"
  for _ in $(seq 1 60); do
    berth get agents >/dev/null 2>&1 && break
    kill -0 "$(cat "$BERTH_DATA_DIR/server.pid")" 2>/dev/null || { echo "berth server exited; its log:" >&2; tail -n 30 "$log" >&2; exit 1; }
    sleep 0.5
  done
  berth get agents >/dev/null 2>&1 || { echo "berth server did not answer at $BERTH_URL; its log:" >&2; tail -n 30 "$log" >&2; exit 1; }
  echo "server pid $(cat "$BERTH_DATA_DIR/server.pid"), log $log"
fi

step "Deploying examples/quickstart and waiting until it is healthy"
berth apply -f examples/quickstart --wait --timeout 2m

step "Calling the agent through Berth's proxy: POST $BERTH_URL/agents/hello/greet"
berth call hello /greet -d '{"name":"quickstart"}'
echo

step "Berth is running. Try next:"
cat <<TRY
  berth get agents                      # what runs, and how healthy it is
  berth describe agent hello            # instances, restarts, events, proxy URL
  berth logs hello -f                   # follow the agent's output
  berth call hello /greet -d '{"name":"you"}'
  berth restart hello                   # replace its instance with a fresh one
  berth rm hello --yes                  # remove it and everything it left behind
  berth tokens create --role viewer --expires 30d   # a read-only token for someone else
  Your admin token is in $BERTH_DATA_DIR/admin.token (owner-only); the CLI on this host reads it from there.
  With curl: curl -H "Authorization: Bearer \$(cat $BERTH_DATA_DIR/admin.token)" $BERTH_URL/api/v1/agents
  berth is $berth_path ($where); tab completion: source <(berth completion bash)
  Stop the server with: kill \$(cat $BERTH_DATA_DIR/server.pid)   (agents keep running and are re-adopted on the next start)
TRY
