#!/usr/bin/env bash
# Starts a scratch PostgreSQL cluster for tests and benchmarks: initdb into a new folder, listening on 127.0.0.1 only, a
# superuser "berth" with a random password (SCRAM). Prints the cluster's URL (postgres://berth:…@127.0.0.1:PORT/postgres) on
# stdout; everything else goes to stderr. Stop it with: scripts/postgres.sh --stop DIR (DIR is in the server's log line).
#
#   scripts/postgres.sh [--fast] [--dir DIR]   --fast turns off fsync (tests: a crash of the scratch cluster loses nothing
#                                              anyone keeps); without it the settings are PostgreSQL's defaults (benchmarks)
#   scripts/postgres.sh --stop DIR
#
# As root the server runs as the "postgres" user (initdb refuses root); the binaries are Debian's (postgresql package).
set -euo pipefail

bin=""
for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && bin="$candidate"; done
[ -n "$bin" ] || { echo "PostgreSQL's server binaries are missing: apt-get install postgresql" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  as_owner "$bin/pg_ctl" -D "$2/data" -m fast stop >&2
  rm -rf "$2"
  exit 0
fi

fast=""
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=1; shift ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "usage: scripts/postgres.sh [--fast] [--dir DIR] | --stop DIR" >&2; exit 2 ;;
  esac
done

[ -n "$dir" ] || dir="$(mktemp -d /tmp/berth-postgres-XXXXXX)"
mkdir -p "$dir"
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
printf '%s\n' "$password" >"$dir/password"
chmod 700 "$dir"; chmod 600 "$dir/password"
[ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$dir"

# A free port on loopback: the kernel picks one for a socket we close at once.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

as_owner "$bin/initdb" -D "$dir/data" -U berth --pwfile="$dir/password" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=1000"
[ -z "$fast" ] || options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w start >/dev/null
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (folder $dir, log $dir/server.log)" >&2
echo "postgres://berth:$password@127.0.0.1:$port/postgres"
