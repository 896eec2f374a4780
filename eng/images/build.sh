#!/usr/bin/env bash
# Provides, on a machine with no container registry (Debian, Docker Engine), the official images the AppHost runs,
# under their official references, built from Debian packages of exactly the upstream version eng/images/pins.txt
# pins: the AppHost, the tests and the benchmarks then run the same image references as a laptop that pulls them.
#   localhost/monitoring/debian:<suite>         debootstrap'ed Debian (minbase) of each suite pins.txt names, the base of the rest
#   <registry>/<image>:<tag> of each pin with a Debian package (docker.io/prom/prometheus:v3.5.3, ...): the component
#                                               from that suite's package, shaped like its official image
#   mcr.microsoft.com/azurelinux/base/core:3.0  the base image of Aspire's container tunnel (below)
#   mcr.microsoft.com/dotnet/aspnet:<major.minor> the ASP.NET Core runtime image, copied from this machine's dotnet: the
#                                               base of Probes' image where Probes runs as a container (Podman 4.3)
# Each is a stand-in, labelled monitoring.recipe, and never replaces a real image of that name (one pulled where a
# registry answers): that one is kept. Where a registry answers, each official image is pulled instead, and no stand-in
# (nor Debian base) is built. Stand-ins whose recipe is unchanged are skipped. When Podman is installed, the
# images are also copied into its store (the README's tests run one graph on Podman), again only when they changed.
# Usage: eng/images/build.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../env.sh
source "$repo/eng/env.sh"

log() { printf 'images: %s\n' "$*"; }
fail() { printf 'images: %s\n' "$*" >&2; exit 1; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
label() { docker image inspect --format "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true; }
# A hash of an image's recipe (its folder and build arguments), kept as a label: an image whose recipe changed is rebuilt.
recipe() { (cd "$here/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "${*:2}") | sha256sum | cut -c1-16; }
current() { [ "$(label "$1" monitoring.recipe)" = "$2" ]; }
# docker build reads a Dockerfile unless told otherwise; the recipes are Containerfiles (Podman's name, which docker takes with -f).
# The image the tag named before is removed once the new one has it: each rebuild of Probes would otherwise leave its
# predecessor behind, untagged (a hundred MB each; one per change to Probes).
build() {
  local context=$1 tag= previous= arg old; shift
  for arg in "$@"; do [ "$previous" = -t ] && tag=$arg; previous=$arg; done
  old=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  docker build -q --network=host -f "$context/Containerfile" "$@" "$context" >/dev/null || return
  replaced "$old" docker "$tag"
}
# Removes image $1 from runtime $2 if tag $3 no longer names it and nothing else does (a container using it keeps it).
replaced() {
  local old=$1 runtime=$2 tag=$3
  [ -n "$old" ] && [ "$old" != "$("$runtime" image inspect --format '{{.Id}}' "$tag" 2>/dev/null)" ] || return 0
  [ -z "$("$runtime" image inspect --format '{{join .RepoTags ","}}' "$old" 2>/dev/null)" ] || return 0
  "$runtime" image rm "$old" >/dev/null 2>&1 || true
}

# pins.txt, without comments: component registry image tag package suite. MONITORING_PINS names another file (tests).
mapfile -t PINS < <(grep -vE '^\s*(#|$)' "${MONITORING_PINS:-$here/pins.txt}")

base_sources() {
  # A stable suite gets its updates and security archives; testing (forky) has neither here.
  local suite=$1 main security
  main=$(debian_mirror main) || exit 1
  echo "deb $main $suite main"
  if [ "$suite" != forky ]; then
    security=$(debian_mirror security) || exit 1
    echo "deb $main $suite-updates main"
    echo "deb $security $suite-security main"
  fi
}

declare -A bases_done=()
build_base() {
  local suite=$1 tag="localhost/monitoring/debian:$1" sources hash dir script=()
  [ -z "${bases_done[$suite]:-}" ] || return 0
  bases_done[$suite]=1
  debian_mirror main >/dev/null || exit 1   # reads apt's view once, here, not in each subshell below
  sources=$(base_sources "$suite")
  hash=$( (echo "$sources"; cat "$here/debian/Containerfile") | sha256sum | cut -c1-16)
  if current "$tag" "$hash"; then log "$tag is up to date"; return; fi
  dir=$(mktemp -d)
  # Debian 12's debootstrap has no script for forky (testing): sid's serves.
  [ -f "/usr/share/debootstrap/scripts/$suite" ] || script=(/usr/share/debootstrap/scripts/sid)
  log "debootstrap $suite into $dir (about 30 s)"
  debootstrap --variant=minbase "$suite" "$dir" "$(debian_mirror main)" "${script[@]}" >/dev/null
  printf '%s\n' "$sources" >"$dir/etc/apt/sources.list"
  tar -C "$dir" -c . | docker import - "localhost/monitoring/debian-rootfs:$suite" >/dev/null
  rm -rf "$dir"
  # The base keeps the package lists of its build, so the versions below are resolved as its builds will see them.
  build "$here/debian" --build-arg "ROOTFS=localhost/monitoring/debian-rootfs:$suite" --label "monitoring.recipe=$hash" -t "$tag"
  docker rmi -f "localhost/monitoring/debian-rootfs:$suite" >/dev/null
  log "built $tag"
}

base_id() { docker image inspect --format '{{.Id}}' "localhost/monitoring/debian:$1" 2>/dev/null || true; }

debian_versions() { docker run --rm --network=none "localhost/monitoring/debian:$1" apt-cache madison "$2" | awk -F'|' '{gsub(/ /,"",$2); print $2}'; }

# Whether $1 is a real image (pulled from its registry), not a stand-in of this script's: a real one is never replaced.
real() { exists "$1" && [ -z "$(label "$1" monitoring.recipe)" ]; }
# Whether $1 is, or now is, the real image: where a registry answers, the official image is pulled (replacing a stand-in
# built earlier) and no stand-in is built; where none does, the pull fails at once and the stand-in is provided.
# A registry that did not answer is not asked again in this run.
declare -A unanswered=()
official() {
  local registry=${1%%/*} answer
  if real "$1"; then log "$1 is the official image (pulled); kept"; return 0; fi
  [ -z "${unanswered[$registry]:-}" ] || return 1
  if ! answer=$(docker pull -q "$1" 2>&1); then
    grep -qE 'dial tcp|no such host|connection refused|i/o timeout|TLS handshake' <<<"$answer" && unanswered[$registry]=1
    return 1
  fi
  log "$1 pulled from its registry"
}

build_component() {
  local component=$1 image=$2 tag=$3 package=$4 suite=$5
  local upstream=${tag#v} hash version available
  official "$image" && return
  # A stand-in current on the base there is needs neither the base checked against apt's sources (2 s) nor a build.
  hash=$(recipe "$component" "$package" "$suite" "$upstream" "$(base_id "$suite")")
  if [ -n "$(base_id "$suite")" ] && current "$image" "$hash"; then log "$image is up to date"; return; fi
  build_base "$suite"
  hash=$(recipe "$component" "$package" "$suite" "$upstream" "$(base_id "$suite")")
  if current "$image" "$hash"; then log "$image is up to date"; return; fi
  available=$(debian_versions "$suite" "$package")
  # The Debian version of exactly the pinned upstream version: 3.5.3 matches 3.5.3+ds1-6 or 3.5.3-1, never 3.5.30.
  version=$(grep -E "^([0-9]+:)?${upstream//./\\.}([+~-]|$)" <<<"$available" | head -n1 || true)
  if [ -z "$version" ]; then
    fail "Debian $suite has no $package $upstream (pinned by eng/images/pins.txt as $component $tag); it has: $(tr '\n' ' ' <<<"${available:-nothing}").
  Move the pin: change the tag on the '$component' line of eng/images/pins.txt to the version Debian has (the official
  image and its stand-in move together; check the tag exists upstream first), or move that line to another suite."
  fi
  log "building $image from $package=$version ($suite)"
  build "$here/$component" --build-arg "BASE=localhost/monitoring/debian:$suite" --build-arg "VERSION=$version" \
    --build-arg "UPSTREAM_VERSION=$upstream" --label "monitoring.recipe=$hash" --label "monitoring.version=$upstream" -t "$image" \
    || fail "building $image failed: if apt could not find $package=$version, Debian $suite has moved on since the base was built; remove the base ('docker rmi localhost/monitoring/debian:$suite') and run this again to see what it has now."
  # The name earlier versions of this script built it under, which nothing runs any more.
  docker image rm "localhost/monitoring/$component:$upstream" >/dev/null 2>&1 || true
  ! command -v podman >/dev/null || podman image rm "localhost/monitoring/$component:$upstream" >/dev/null 2>&1 || true
}

build_tunnel_base() {
  # Aspire's orchestrator builds its container-tunnel image FROM mcr.microsoft.com/azurelinux/base/core:3.0 and uses
  # a local image of that name when there is one. Its tunnel binary needs only glibc and OpenSSL's libcrypto.so.
  # Never replaces a real image of that name (one pulled on a machine with a registry).
  local tag=mcr.microsoft.com/azurelinux/base/core:3.0 hash
  official "$tag" && return
  hash=$(recipe tunnel-base "$(base_id trixie)")
  if ! { [ -n "$(base_id trixie)" ] && current "$tag" "$hash"; }; then
    build_base trixie
    hash=$(recipe tunnel-base "$(base_id trixie)")
  fi
  if current "$tag" "$hash"; then log "$tag (stand-in) is up to date"; return; fi
  log "building $tag (stand-in)"
  build "$here/tunnel-base" --build-arg BASE=localhost/monitoring/debian:trixie --label "monitoring.recipe=$hash" -t "$tag"
}

build_aspnet_runtime() {
  # The official ASP.NET Core runtime image of the framework the projects target (mcr.microsoft.com/dotnet/aspnet:10.0
  # for net10.0), which Probes' image is built on where Probes runs as a container (AppHost/Probes): a stand-in with
  # this machine's ASP.NET Core runtime of that version, its variables set as the official image sets them
  # (APP_UID, ASPNETCORE_HTTP_PORTS). Never replaces a real image of that name.
  local dotnet_root framework runtime_version netcore ctx hash tag
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  framework=$(sed -n 's:.*<TargetFramework>net\([0-9.]*\)</TargetFramework>.*:\1:p' "$repo/Directory.Build.props")
  tag="mcr.microsoft.com/dotnet/aspnet:$framework"
  aspnet_image=$tag
  official "$tag" && return
  runtime_version=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" 2>/dev/null | grep "^${framework//./\\.}\." | sort -V | tail -n1 || true)
  [ -n "$runtime_version" ] || fail "the dotnet at $dotnet_root has no ASP.NET Core runtime $framework.x, which the projects target (Directory.Build.props) and its image stand-in is made of."
  hash=$(recipe dotnet-runtime "$runtime_version" "$(base_id trixie)")
  if ! { [ -n "$(base_id trixie)" ] && current "$tag" "$hash"; }; then
    build_base trixie
    hash=$(recipe dotnet-runtime "$runtime_version" "$(base_id trixie)")
  fi
  if current "$tag" "$hash"; then log "$tag (stand-in, $runtime_version) is up to date"; return; fi
  ctx=$(mktemp -d); mkdir -p "$ctx/dotnet/host"
  cp "$here/dotnet-runtime/Containerfile" "$ctx/"
  cp "$dotnet_root/dotnet" "$ctx/dotnet/"
  cp -r "$dotnet_root/host/fxr" "$ctx/dotnet/host/"
  netcore=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | grep -Fx "$runtime_version" || ls "$dotnet_root/shared/Microsoft.NETCore.App" | grep "^${framework//./\\.}\." | sort -V | tail -n1 || true)
  mkdir -p "$ctx/dotnet/shared/Microsoft.NETCore.App" "$ctx/dotnet/shared/Microsoft.AspNetCore.App"
  cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$netcore" "$ctx/dotnet/shared/Microsoft.NETCore.App/"
  cp -r "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime_version" "$ctx/dotnet/shared/Microsoft.AspNetCore.App/"
  log "building $tag (stand-in, $runtime_version)"
  build "$ctx" --build-arg BASE=localhost/monitoring/debian:trixie --label "monitoring.recipe=$hash" -t "$tag"
  rm -rf "$ctx"
  # The names earlier versions of this script built the runtime and Probes under, which nothing runs any more.
  docker image rm "localhost/monitoring/dotnet-runtime:$runtime_version" localhost/monitoring/probes:dev >/dev/null 2>&1 || true
  ! command -v podman >/dev/null || podman image rm localhost/monitoring/probes:dev >/dev/null 2>&1 || true
}

copy_to_podman() {
  # Podman keeps its own store: the same images, copied when their ids differ, unless Podman holds a real one.
  command -v podman >/dev/null || return 0
  local image id old loaded
  for image in "$@"; do
    if podman image exists "$image" && [ -z "$(podman image inspect --format '{{index .Labels "monitoring.recipe"}}' "$image" 2>/dev/null)" ]; then
      log "$image is the official image in Podman (pulled); kept"
      continue
    fi
    id=$(docker image inspect --format '{{.Id}}' "$image")
    [ "$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null)" = "${id#sha256:}" ] && continue
    log "copying $image to Podman"
    old=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
    # docker save names a Docker Hub image without its registry (prom/prometheus:v3.5.3), which Podman loads as
    # localhost/prom/prometheus:v3.5.3: it is named by its full reference, and the other name dropped.
    loaded=$(docker save "$image" | podman load -q | sed -n 's/^Loaded image[^:]*: *//p' | head -n1)
    if [ -n "$loaded" ] && [ "$loaded" != "$image" ]; then
      podman tag "$loaded" "$image" && podman untag "$loaded" "$loaded" >/dev/null
    fi
    replaced "$old" podman "$image"
  done
}

docker info >/dev/null 2>&1 || fail "Docker does not answer: start it first (eng/test.sh and eng/run-local.sh start it; see docs/setup.md)."
images=()
for pin in "${PINS[@]}"; do
  read -r component registry image tag package suite <<<"$pin"
  [ "$package" = "-" ] && continue
  build_component "$component" "$registry/$image:$tag" "$tag" "$package" "$suite"
  images+=("$registry/$image:$tag")
done
build_tunnel_base
aspnet_image=
build_aspnet_runtime
copy_to_podman "${images[@]}" ${aspnet_image:+"$aspnet_image"}
log "done"
