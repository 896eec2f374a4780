#!/usr/bin/env bash
# Installs what running the stack with locally built images needs on a Debian 12 machine: Podman (with runc,
# netavark and aardvark-dns for container networks with DNS aliases) and debootstrap for the base image.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(podman runc debootstrap netavark aardvark-dns uidmap slirp4netns fuse-overlayfs iptables)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "prereqs: all installed"
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "prereqs: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
