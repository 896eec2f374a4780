#!/usr/bin/env bash
# Runs the whole stack on a machine with no container registry (Debian + Podman), with the project's own images:
# installs Podman if missing, builds the images, then `dotnet run --project AppHost --launch-profile local`.
# On a laptop with Docker Desktop or Podman and internet access, `dotnet run --project AppHost` is all you need.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/eng/install-prereqs.sh"
# shellcheck source=env.sh
source "$repo/eng/env.sh"
"$repo/eng/images/build.sh"
exec dotnet run --project "$repo/AppHost" --launch-profile local "$@"
