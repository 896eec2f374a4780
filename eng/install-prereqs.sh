#!/usr/bin/env bash
# Installs what building the local images and running the stack needs on a Debian 12 machine (CI, this project's
# dev machines); a laptop with Docker Desktop needs none of it.
#   Docker Engine (docker.io: dockerd, containerd, runc), the runtime of the README's commands; buildx from Debian 13,
#     which Aspire's orchestrator uses to build its container-tunnel image (Debian 12 has none; it needs only libc6);
#   Podman 4.3 (with runc, netavark and aardvark-dns for container networks with DNS aliases), still supported;
#   debootstrap, for the Debian base images of eng/images/build.sh.
# Idempotent: installs only what is missing. Needs root (or sudo). Adds Debian 13 (trixie) to apt's sources at a low
# priority, so nothing else is taken from it unless asked for by name.
set -euo pipefail

packages=(docker.io podman runc debootstrap netavark aardvark-dns uidmap slirp4netns fuse-overlayfs iptables)
trixie_packages=(docker-buildx)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=() trixie_missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${trixie_packages[@]}"; do installed "$p" || trixie_missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ] && [ ${#trixie_missing[@]} -eq 0 ]; then
  echo "prereqs: all installed"
  exit 0
fi

if [ ${#trixie_missing[@]} -gt 0 ] && [ ! -f /etc/apt/sources.list.d/monitoring-trixie.sources ]; then
  # The same archive the machine's bookworm packages come from.
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$mirror" ] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "${mirror:-http://deb.debian.org/debian}" | "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/monitoring-trixie.sources >/dev/null
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | "${sudo_cmd[@]}" tee /etc/apt/preferences.d/monitoring-trixie >/dev/null
fi

echo "prereqs: installing ${missing[*]} ${trixie_missing[*]}"
"${sudo_cmd[@]}" apt-get update -q >/dev/null
export DEBIAN_FRONTEND=noninteractive
[ ${#missing[@]} -eq 0 ] || "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
[ ${#trixie_missing[@]} -eq 0 ] || "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends -t trixie "${trixie_missing[@]}" >/dev/null
echo "prereqs: installed"
