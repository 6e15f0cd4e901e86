#!/usr/bin/env bash
# Installs the berth command: publishes src/Berth.Cli (a Native AOT berth plus berth-server, the server it runs for
# `berth server`) into LIB and links BIN/berth to it, replacing an earlier install.
#
#   scripts/install.sh                 as root: LIB=/usr/local/lib/berth, BIN=/usr/local/bin
#                                      otherwise: LIB=~/.local/lib/berth, BIN=~/.local/bin
#   scripts/install.sh --prefix DIR    LIB=DIR/lib/berth, BIN=DIR/bin
#
# Needs the .NET SDK (global.json) and clang, which Native AOT links with; as root it installs clang (apt) when missing.
# The last line it prints is the path of the installed berth.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
case "${1:-}" in
  "") ;;
  --prefix) [ -n "${2:-}" ] || { echo "usage: scripts/install.sh [--prefix DIR]" >&2; exit 2; }; prefix="$2" ;;
  *) echo "usage: scripts/install.sh [--prefix DIR]" >&2; exit 2 ;;
esac
prefix="$(mkdir -p "$prefix" && cd "$prefix" && pwd)"
lib="$prefix/lib/berth"
bin="$prefix/bin"

command -v dotnet >/dev/null 2>&1 || { echo "Berth needs the .NET SDK (version in global.json): install it, then run this again." >&2; exit 1; }
if ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "berth is compiled ahead of time, which links with clang: install it (sudo apt-get install clang), then run this again." >&2
    exit 1
  fi
  echo "installing clang (Native AOT links with it)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi

# Publish into a fresh folder beside the old install, then swap, so a failed build leaves the old one working.
staging="$(mktemp -d "$prefix/lib/.berth-install.XXXXXX" 2>/dev/null || { mkdir -p "$prefix/lib" && mktemp -d "$prefix/lib/.berth-install.XXXXXX"; })"
trap 'rm -rf "$staging"' EXIT
echo "publishing berth and berth-server (Native AOT: a few minutes the first time)" >&2
dotnet publish "$root/src/Berth.Cli" -c Release -o "$staging" --nologo -v quiet -clp:ErrorsOnly >&2
rm -f "$staging"/*.pdb "$staging"/*.dbg
rm -rf "$lib"
mv "$staging" "$lib"
chmod 755 "$lib"
mkdir -p "$bin"
ln -sfn "$lib/berth" "$bin/berth"

case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "note: $bin is not on PATH; add it (export PATH=\"$bin:\$PATH\") or run $bin/berth" >&2 ;;
esac
echo "installed: $bin/berth -> $lib/berth ($("$bin/berth" --version))" >&2
echo "$bin/berth"
