# Sourced by the project's scripts: how this repo runs containers on a machine like its CI (Podman, no registry).
# On a laptop with Docker Desktop none of this is needed: `dotnet run --project AppHost` uses Docker and official images.
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$_repo_root/eng/podman/containers.conf}"
export ASPIRE_CONTAINER_RUNTIME="${ASPIRE_CONTAINER_RUNTIME:-podman}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset _repo_root
