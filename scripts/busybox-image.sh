#!/usr/bin/env bash
# Makes the local image local/busybox:1 (busybox with its applets on PATH) for the workflow examples, without a registry:
# a root holding Debian's static busybox, imported with `docker import`.
set -euo pipefail
image="${1:-local/busybox:1}"
busybox=/bin/busybox
if [ ! -x "$busybox" ]; then
  echo "needs $busybox: apt-get install -y busybox-static" >&2
  exit 1
fi
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image already exists"
  exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
tar -C "$root" -c . | docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$image" >/dev/null
echo "made $image"
