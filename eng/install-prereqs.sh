#!/usr/bin/env bash
# Installs what providing the images and running the stack needs on a Debian or Ubuntu machine where no container
# registry answers (CI, this project's dev machines); a laptop with Docker Desktop or Podman needs none of it.
#   Docker Engine (docker.io: dockerd, containerd, runc) and buildx, which Aspire's orchestrator builds images with
#     (Debian 12 has no buildx: it comes from Debian 13 (trixie), through an apt source pinned low, so nothing else is
#     taken from there; it needs only libc6);
#   Podman (with runc, netavark and aardvark-dns for container networks with DNS aliases) where the system has it;
#   debootstrap (and Debian's archive keyring), for the Debian bases of eng/images/build.sh.
# It says what it will add before adding it, installs only what is missing, and needs root (or sudo).
#   --check-system   only checks that this is a system it supports and prints what it would add; installs nothing
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
source "$repo/eng/env.sh"

# shellcheck disable=SC1091
[ -r /etc/os-release ] && . /etc/os-release
id="${ID:-unknown} ${ID_LIKE:-}"
if ! command -v apt-get >/dev/null || [[ ! " $id " =~ \ (debian|ubuntu)\  ]]; then
  echo "prereqs: this is ${PRETTY_NAME:-a system without /etc/os-release}, not Debian or Ubuntu: eng/install-prereqs.sh (and eng/test.sh," \
    "eng/run-local.sh, which use it) install Debian's packages only. With Docker Desktop or Podman and a registry, run" \
    "'dotnet test' and 'dotnet run --project AppHost' instead (docs/setup.md)." >&2
  exit 1
fi

packages=(docker.io debootstrap debian-archive-keyring iptables)
optional=(podman runc netavark aardvark-dns uidmap slirp4netns fuse-overlayfs)
buildx=docker-buildx
# Debian 12 (bookworm) has no docker-buildx; Debian 13 and Ubuntu do.
trixie_for_buildx=
[ "${ID:-}" = debian ] && [ "${VERSION_ID:-}" = 12 ] && trixie_for_buildx=1
trixie_source=/etc/apt/sources.list.d/monitoring-trixie.sources

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# What is there is asked of the tools, not of package names: Docker's own packages (docker-ce, docker-buildx-plugin)
# serve as well as Debian's, and installing Debian's beside them would conflict.
present() {
  case $1 in
    docker.io) command -v dockerd >/dev/null && command -v docker >/dev/null ;;
    docker-buildx) docker buildx version >/dev/null 2>&1 ;;
    debootstrap) command -v debootstrap >/dev/null ;;
    iptables) command -v iptables >/dev/null ;;
    podman) command -v podman >/dev/null ;;
    *) installed "$1" ;;
  esac
}
missing=() optional_missing=()
for p in "${packages[@]}"; do present "$p" || missing+=("$p"); done
# Podman's helpers only with Debian's Podman (another Podman brings its own).
if ! command -v podman >/dev/null || installed podman; then
  for p in "${optional[@]}"; do present "$p" || optional_missing+=("$p"); done
fi
present "$buildx" || missing+=("$buildx")
if [ ${#missing[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ]; then
  [ "${1:-}" = --check-system ] || echo "prereqs: all installed"
  exit 0
fi

plan="packages ${missing[*]} ${optional_missing[*]} (the optional Podman ones only where the system has them)"
if [ -n "$trixie_for_buildx" ] && [ ! -f "$trixie_source" ] && [[ " ${missing[*]} " == *" $buildx "* ]]; then
  mirror=$(debian_mirror main)
  plan="$plan; apt source $trixie_source (Debian 13 from $mirror at priority 100: only $buildx is taken from it)"
fi
[[ " ${missing[*]} " == *" docker.io "* ]] && plan="$plan; docker.io's daemon is started by eng/engine.sh when no Docker answers (and, where systemd runs, by its service)"
echo "prereqs: will add $plan"
[ "${1:-}" = --check-system ] && exit 0

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ -n "${mirror:-}" ]; then
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
    | "${sudo_cmd[@]}" tee "$trixie_source" >/dev/null
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | "${sudo_cmd[@]}" tee /etc/apt/preferences.d/monitoring-trixie >/dev/null
fi

"${sudo_cmd[@]}" apt-get update -q >/dev/null
export DEBIAN_FRONTEND=noninteractive
available() { [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }')" ]; }
install=()
for p in "${missing[@]}"; do [ "$p" = "$buildx" ] && [ -n "$trixie_for_buildx" ] || install+=("$p"); done
for p in "${optional_missing[@]}"; do available "$p" && install+=("$p"); done
[ ${#install[@]} -eq 0 ] || "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${install[@]}" >/dev/null
if [ -n "$trixie_for_buildx" ] && [[ " ${missing[*]} " == *" $buildx "* ]]; then
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends -t trixie "$buildx" >/dev/null
  install+=("$buildx (trixie)")
fi
echo "prereqs: installed ${install[*]}"
