#!/usr/bin/env bash
# Runs the whole stack on a machine with no container registry (Debian), with the project's own images, as F5 runs
# it otherwise: Docker Engine, Probes as the project reached through Aspire's container tunnel. Installs what is
# missing, starts Docker Engine if no Docker answers (and stops it when the AppHost exits), builds the images, then
# `dotnet run --project AppHost --launch-profile local`. Other arguments go to the AppHost.
#   eng/run-local.sh --podman   runs it on Podman instead (profile local-podman: Probes as a container, no tunnel);
#                               Docker Engine still builds the images, and is stopped before the AppHost starts.
# On a laptop with Docker Desktop and internet access, `dotnet run --project AppHost` is all you need.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile=local
if [ "${1:-}" = --podman ]; then
  profile=local-podman
  shift
fi
"$repo/eng/install-prereqs.sh"
# shellcheck source=env.sh
source "$repo/eng/env.sh"
# shellcheck source=engine.sh
source "$repo/eng/engine.sh"
engine_start
trap engine_stop EXIT
"$repo/eng/images/build.sh"
[ "$profile" = local ] || engine_stop
dotnet run --project "$repo/AppHost" --launch-profile "$profile" "$@"
