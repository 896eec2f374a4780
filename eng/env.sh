# Sourced by the project's scripts: how this repo runs containers on a machine like its CI (no registry): Docker
# Engine by default, Podman where asked for. On a laptop with Docker Desktop none of this is needed.
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Podman's settings for sandboxes that cap resource limits (eng/podman/containers.conf); Docker does not read it.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$_repo_root/eng/podman/containers.conf}"
export ASPIRE_CONTAINER_RUNTIME="${ASPIRE_CONTAINER_RUNTIME:-docker}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset _repo_root
