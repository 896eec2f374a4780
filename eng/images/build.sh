#!/usr/bin/env bash
# Builds the project's local images with Podman on a machine with no container registry:
#   localhost/monitoring/debian-base   debootstrap'ed Debian 12 (minbase), the base of everything else
#   localhost/monitoring/prometheus    Debian's prometheus (+ promtool), shaped like prom/prometheus
#   localhost/monitoring/alertmanager  Debian's prometheus-alertmanager (+ amtool), shaped like prom/alertmanager
#   localhost/monitoring/node-exporter Debian's prometheus-node-exporter, shaped like prom/node-exporter
#   localhost/monitoring/postgres      Debian's postgresql-15, honouring the official image's POSTGRES_* variables
#   localhost/monitoring/postgres-exporter, localhost/monitoring/blackbox-exporter  likewise, from Debian's exporters
#   localhost/monitoring/dotnet-runtime the ASP.NET Core runtime copied from this machine's dotnet
#   localhost/monitoring/probes        the Probes service (always rebuilt: it is this repo's code)
# Tags are the ones AppHost/Monitoring/LocalImageTags.cs pins. Images whose recipe is unchanged are skipped.
# Usage: eng/images/build.sh [--no-probes]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../env.sh
source "$repo/eng/env.sh"

# Keep in step with AppHost/Monitoring/LocalImageTags.cs.
BASE=localhost/monitoring/debian-base:bookworm
COMPONENTS=(prometheus alertmanager node-exporter postgres postgres-exporter blackbox-exporter)
declare -A DEBIAN_PACKAGE=([prometheus]=prometheus [alertmanager]=prometheus-alertmanager [node-exporter]=prometheus-node-exporter
  [postgres]=postgresql-15 [postgres-exporter]=prometheus-postgres-exporter [blackbox-exporter]=prometheus-blackbox-exporter)
declare -A UPSTREAM_VERSION=([prometheus]=2.42.0 [alertmanager]=0.25.0 [node-exporter]=1.5.0
  [postgres]=15 [postgres-exporter]=0.11.1 [blackbox-exporter]=0.23.0)

build_probes=1
[ "${1:-}" = "--no-probes" ] && build_probes=0

log() { printf 'images: %s\n' "$*"; }
exists() { podman image exists "$1"; }
# A hash of an image's recipe (its folder and build arguments), kept as a label: an image whose recipe changed is rebuilt.
recipe() { (cd "$here/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "${*:2}") | sha256sum | cut -c1-16; }
current() { [ "$(podman image inspect --format '{{index .Labels "monitoring.recipe"}}' "$1" 2>/dev/null)" = "$2" ]; }

apt_uri() {
  # A Debian archive this machine's apt uses (deb822 or one-line format): $1 selects the security archive or not.
  local filter=(grep -v security) uri
  [ "$1" = security ] && filter=(grep security)
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | "${filter[@]}" | head -n1 || true)
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | "${filter[@]}" | head -n1 || true)
  echo "$uri"
}

base_sources() {
  # The base image sees the archives the host sees (security updates included), so the package versions picked
  # from the host's apt-cache below are installable inside it.
  local mirror security
  mirror=$(apt_uri main); mirror=${mirror:-http://deb.debian.org/debian}
  security=$(apt_uri security)
  echo "deb $mirror bookworm main"
  echo "deb $mirror bookworm-updates main"
  [ -z "$security" ] || echo "deb $security bookworm-security main"
}

build_base() {
  local sources hash
  sources=$(base_sources)
  hash=$(sha256sum <<<"$sources" | cut -c1-16)
  if current "$BASE" "$hash"; then log "$BASE is up to date"; return; fi
  local dir; dir=$(mktemp -d)
  log "debootstrap bookworm into $dir (about 30 s)"
  debootstrap --variant=minbase bookworm "$dir" "$(apt_uri main | grep . || echo http://deb.debian.org/debian)" >/dev/null
  printf '%s\n' "$sources" >"$dir/etc/apt/sources.list"
  tar -C "$dir" -c . | podman import -q --change 'CMD ["/bin/bash"]' --change "LABEL monitoring.recipe=$hash" - "$BASE" >/dev/null
  rm -rf "$dir"
  log "built $BASE"
}

debian_version() {
  # The newest Debian version of the component's package whose upstream version is the pinned one.
  apt-cache madison "${DEBIAN_PACKAGE[$1]}" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' \
    | grep -E "^${UPSTREAM_VERSION[$1]//./\\.}" | head -n1 || true
}

build_component() {
  local name=$1 tag="localhost/monitoring/$1:${UPSTREAM_VERSION[$1]}" hash
  hash=$(recipe "$name" "${UPSTREAM_VERSION[$1]}")
  if current "$tag" "$hash"; then log "$tag is up to date"; return; fi
  local version
  version=$(debian_version "$name")
  if [ -z "$version" ] && [ -z "${apt_updated:-}" ]; then
    log "refreshing the apt package lists"
    apt-get update -q >/dev/null && apt_updated=1
    version=$(debian_version "$name")
  fi
  if [ -z "$version" ]; then
    echo "images: Debian has no ${DEBIAN_PACKAGE[$name]} ${UPSTREAM_VERSION[$name]}* (run 'apt-get update'?)" >&2
    exit 1
  fi
  log "building $tag from ${DEBIAN_PACKAGE[$name]}=$version"
  podman build --network=host -q --build-arg "BASE=$BASE" --build-arg "VERSION=$version" --label "monitoring.recipe=$hash" \
    -t "$tag" "$here/$name" >/dev/null
}

build_probes_image() {
  local runtime_version dotnet_root ctx
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  runtime_version=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -n1)
  local runtime="localhost/monitoring/dotnet-runtime:$runtime_version" hash
  hash=$(recipe dotnet-runtime "$runtime_version")
  if current "$runtime" "$hash"; then log "$runtime is up to date"; else
    ctx=$(mktemp -d); mkdir -p "$ctx/dotnet/shared" "$ctx/dotnet/host"
    cp "$here/dotnet-runtime/Containerfile" "$ctx/"
    cp "$dotnet_root/dotnet" "$ctx/dotnet/"
    cp -r "$dotnet_root/host/fxr" "$ctx/dotnet/host/"
    local netcore; netcore=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | grep -Fx "$runtime_version" || ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -n1)
    mkdir -p "$ctx/dotnet/shared/Microsoft.NETCore.App" "$ctx/dotnet/shared/Microsoft.AspNetCore.App"
    cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$netcore" "$ctx/dotnet/shared/Microsoft.NETCore.App/"
    cp -r "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime_version" "$ctx/dotnet/shared/Microsoft.AspNetCore.App/"
    log "building $runtime"
    podman build --network=host -q --build-arg "BASE=$BASE" --label "monitoring.recipe=$hash" -t "$runtime" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
  ctx=$(mktemp -d)
  cp "$here/probes/Containerfile" "$ctx/"
  log "publishing Probes"
  dotnet publish "$repo/Probes/Probes.csproj" -c Release -o "$ctx/app" --nologo -v quiet -p:UseAppHost=false >/dev/null
  podman build --network=host -q --build-arg "BASE=$runtime" -t localhost/monitoring/probes:dev "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built localhost/monitoring/probes:dev"
}

build_base
for c in "${COMPONENTS[@]}"; do build_component "$c"; done
[ $build_probes -eq 1 ] && build_probes_image
log "done"
