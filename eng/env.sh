# Sourced by the project's scripts: how this repo runs containers on a machine like its CI (no registry). The
# container runtime is Aspire's choice (Docker when it answers, else Podman; ASPIRE_CONTAINER_RUNTIME overrides). On a
# laptop with Docker Desktop none of this is needed.
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Podman's settings for sandboxes that cap resource limits (eng/podman/containers.conf); Docker does not read it.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$_repo_root/eng/podman/containers.conf}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset _repo_root

# For the README's scripts (eng/prepare.sh), after the images are built: the docker CLI of every process started from
# here on goes through eng/shims/docker, which answers the orchestrator's pull of the container tunnel's base image
# from its local stand-in, as a user's registry answers it (the shim says why); every other command goes to the CLI.
answer_tunnel_base_pull() {
  local shims docker
  shims="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/shims"
  docker="$(command -v docker)" || return 0
  [ "$docker" != "$shims/docker" ] || return 0
  export MONITORING_DOCKER="$docker" PATH="$shims:$PATH"
}

# The Debian archive this machine's apt already uses ($1: main or security). First from apt's own view of its package
# lists (`apt-cache policy`: the archives whose Release file says o=Debian, l=Debian or l=Debian-Security, over http
# or https), so a third party's repository for Debian (Docker's, Microsoft's) or a disabled source never counts; where
# apt has no lists yet, from its sources (deb822 or one-line), the enabled entries whose URI ends in /debian or
# /debian-security with a Debian suite and the main component. Nothing is hard-coded: a machine with no Debian source
# (Ubuntu) names one in MONITORING_DEBIAN_MIRROR (and, for security updates, MONITORING_DEBIAN_SECURITY_MIRROR).
debian_mirror() {
  local kind=$1 label=Debian uri files=() f
  [ "$kind" = security ] && label=Debian-Security
  # apt-cache policy reads every package list (2 s here): its answer is kept for the rest of the script.
  [ -n "${_apt_policy:-}" ] || _apt_policy=$(apt-cache policy 2>/dev/null; echo .)
  uri=$(awk -v label="$label" '
    $2 ~ /^https?:\/\// { url = $2; next }
    url != "" && /^ *release / { if ($0 ~ /o=Debian,/ && $0 ~ ("l=" label "(,|$)")) { print url; exit } url = "" }' <<<"$_apt_policy")
  if [ -z "$uri" ]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && files+=("$f"); done
    [ ${#files[@]} -gt 0 ] || files=(/dev/null)
    uri=$(awk '
      function debian(suite) { sub(/-(updates|security|backports|proposed-updates)$/, "", suite)
        return suite ~ /^(buster|bullseye|bookworm|trixie|forky|duke|sid|oldstable|stable|testing|unstable)$/ }
      function emit(uri, suite, components) {
        if (uri ~ /^https?:\/\/.*\/debian(-security)?\/?$/ && debian(suite) && (" " components " ") ~ / main /)
          print uri, (suite ~ /-security$/ ? "security" : "main") }
      function flush(  j, n, u, sx) { if (enabled != "no") { n = split(suites, sx, " "); split(uris, u, " "); for (j = 1; j <= n; j++) emit(u[1], sx[j], components) }
        uris = ""; suites = ""; components = ""; enabled = "" }
      FNR == 1 { flush() }
      /^deb / { n = split($0, f, " "); i = 2; if (f[2] ~ /^\[/) { while (i <= n && f[i] !~ /\]$/) i++; i++ }
        c = ""; for (k = i + 2; k <= n; k++) c = c " " f[k]; emit(f[i], f[i + 1], c); next }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      /^Components:/ { sub(/^Components:[[:space:]]*/, ""); components = $0 }
      /^Enabled:/ { enabled = tolower($2) }
      END { flush() }
    ' "${files[@]}" | awk -v kind="$kind" '$2 == kind { print $1; exit }')
  fi
  if [ -z "$uri" ]; then
    if [ "$kind" = security ]; then uri=${MONITORING_DEBIAN_SECURITY_MIRROR:-}; else uri=${MONITORING_DEBIAN_MIRROR:-}; fi
  fi
  if [ -z "$uri" ]; then
    echo "No Debian $kind archive in this machine's apt sources: set MONITORING_DEBIAN_$([ "$kind" = security ] && echo SECURITY_)MIRROR to one (a Debian mirror's URL)." >&2
    return 1
  fi
  echo "${uri%/}"
}
