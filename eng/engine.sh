# Sourced through eng/prepare.sh: starts Docker Engine when no Docker answers, and stops it again.
# A daemon that was already running (Docker Desktop, a system service) is used and left alone.
#   engine_start   starts dockerd (its log: artifacts/dockerd.log) unless `docker info` answers
#   engine_stop    stops the dockerd engine_start started, and the containers it runs; nothing otherwise
_engine_pidfile=/var/run/monitoring-dockerd.pid
_engine_started=

engine_start() {
  if docker info >/dev/null 2>&1; then
    echo "engine: Docker answers; using it"
    return 0
  fi
  command -v dockerd >/dev/null || { echo "engine: no dockerd: run eng/install-prereqs.sh" >&2; return 1; }
  local log sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  log="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/artifacts/dockerd.log"
  mkdir -p "$(dirname "$log")"
  echo "engine: starting dockerd (log: $log)"
  # Its own process group, so Ctrl-C in the terminal reaches the tests, and engine_stop, not the daemon directly.
  setsid "${sudo_cmd[@]}" dockerd --pidfile "$_engine_pidfile" >"$log" 2>&1 < /dev/null &
  _engine_started=1
  local i
  for i in $(seq 1 300); do
    docker info >/dev/null 2>&1 && { echo "engine: dockerd is up"; return 0; }
    sleep 0.2
  done
  echo "engine: dockerd did not answer within 60 s; its log:" >&2
  tail -n 20 "$log" >&2
  engine_stop
  return 1
}

engine_stop() {
  [ -n "$_engine_started" ] || return 0
  _engine_started=
  local pid sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  pid=$(cat "$_engine_pidfile" 2>/dev/null) || return 0
  echo "engine: stopping dockerd"
  "${sudo_cmd[@]}" kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "engine: dockerd did not stop within 60 s" >&2
}
