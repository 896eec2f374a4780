#!/usr/bin/env bash
# Runs the whole stack on a Debian machine with no container registry as F5 runs it on a laptop: Docker Engine, the
# official image references (provided by eng/images/build.sh from Debian packages of the same versions), Probes as the
# project reached through Aspire's container tunnel. Installs what is missing, starts Docker Engine if no Docker
# answers (and stops it when the AppHost exits), provides the images, then `dotnet run --project AppHost` (the default
# launch profile, F5's). Other arguments go to the AppHost.
#   eng/run-local.sh --podman   runs it on Podman instead (profile podman: Probes as a container, no tunnel);
#                               Docker Engine still builds the images, and is stopped before the AppHost starts.
# On a laptop with Docker Desktop and internet access, `dotnet run --project AppHost` is all you need.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile=http
if [ "${1:-}" = --podman ]; then
  profile=podman
  shift
fi
# shellcheck source=prepare.sh
source "$repo/eng/prepare.sh"
trap engine_stop EXIT
prepare
[ "$profile" = http ] || engine_stop
dotnet run --project "$repo/AppHost" --launch-profile "$profile" "$@"
