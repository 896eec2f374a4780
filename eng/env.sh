# Sourced by the project's scripts: how this repo runs containers on a machine like its CI (no registry). The
# container runtime is Aspire's choice (Docker when it answers, else Podman; ASPIRE_CONTAINER_RUNTIME overrides). On a
# laptop with Docker Desktop none of this is needed.
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Podman's settings for sandboxes that cap resource limits (eng/podman/containers.conf); Docker does not read it.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$_repo_root/eng/podman/containers.conf}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset _repo_root

# For the test command and the benchmarks, after the images are built: the docker CLI of every process started from
# here on goes through eng/shims/docker, which answers the orchestrator's pull of the container tunnel's base image
# from its local stand-in, as a user's registry answers it (the shim says why); every other command goes to the CLI.
answer_tunnel_base_pull() {
  local shims docker
  shims="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/shims"
  docker="$(command -v docker)" || return 0
  [ "$docker" != "$shims/docker" ] || return 0
  export MONITORING_DOCKER="$docker" PATH="$shims:$PATH"
}
