#!/usr/bin/env bash
# The test command of the README (and of CI) on a Debian machine where no registry answers: installs what is missing,
# starts Docker Engine if no Docker answers (and stops it at the end), provides the official images (eng/images/build.sh),
# builds, and runs every test against real containers. On a laptop with Docker Desktop or Podman, `dotnet test` does the
# same with the images it pulls.
# The console reads like a test run: a line per phase, a line as each test class ends, each failure with its graph's
# log, the skipped tests with reasons, and last "N passed, N failed, N skipped" (the test executable's reporter,
# tests/Monitoring.Tests/Reporting, decides all of it: the CI skip policy, and the volumes the tests must not leave
# behind, LeftoverVolumes). This script orchestrates: set-up, build, the run, and the processes the run left.
# Everything else goes to
# artifacts/test-run.log; the graphs' logs are in artifacts/logs/, the results in artifacts/test-results/tests.trx.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mkdir -p "$repo/artifacts"
details="$repo/artifacts/test-run.log"
: >"$details"
# A phase's output goes to the details file; on failure its last lines are shown too.
phase() {
  local name=$1 started status; shift
  started=$(now)
  "$@" >>"$details" 2>&1
  status=$?
  if [ "$status" -eq 0 ]; then
    echo "$name: done in $(seconds "$started" "$(now)") s"
  else
    echo "$name: failed (exit $status); its last lines (all of it: $details):"
    tail -n 30 "$details" | sed 's/^/  /'
  fi
  return "$status"
}
closing() { echo "0 passed, 1 failed, 0 skipped ($1)"; exit 1; }
started=$(now)

"$repo/eng/install-prereqs.sh" --check-system || closing "this machine cannot run eng/test.sh, see above"
# shellcheck source=prepare.sh
source "$repo/eng/prepare.sh"
stop_engine() { engine_stop >>"$details" 2>&1; }
trap stop_engine EXIT
for step in "${prepare_steps[@]}"; do
  phase "$step" prepare_step "$step" || closing "the set-up step '$step' failed"
done
set_up=$(now)

# Every .NET process of the run (the build, the test host, each `dotnet run` the orchestrator starts and the services
# it runs) waits for 2 s without new methods, instead of 0.1 s, before it recompiles its hot ones optimized. On two busy
# cores a start-up is stretched out, so the default's short pause recurs all through it and each process recompiles
# far more than it ever runs hot: measured here, the .NET processes of a run took 61 core-seconds instead of 111, and
# the fresh build 54 instead of 72. It changes when code is optimized, not what it does; F5 runs with the default.
export DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-2000}"

# The build compiles its five projects in one compiler server, whatever the machine's default (sandboxes and CI images
# often set UseSharedCompilation=false): a compiler process per project warms the compiler up five times (a fresh
# clone's build here: 40 s and 56 core-seconds, against 23 s and 35 with the server). The server is stopped after it.
build() {
  dotnet build "$repo/Monitoring.sln" --nologo -v quiet -clp:ErrorsOnly -p:UseSharedCompilation=true
  local status=$?
  dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1
  return "$status"
}
phase "build" build || closing "the build failed"
built=$(now)

results="$repo/artifacts/test-results"
rm -rf "$results" "$repo/artifacts/logs"
mkdir -p "$results"
counts="$results/counts.txt"
# The orchestrator's (DCP's) own logs, at info level: Aspire 13.6 shows DCP's errors only at Debug, so a graph whose
# orchestrator fails says why nowhere else.
export DcpPublisher__DiagnosticsLogFolder="$repo/artifacts/dcp-logs" DcpPublisher__DiagnosticsLogLevel=info
rm -rf "$repo/artifacts/dcp-logs"
# Every process the tests start inherits this mark, so the ones still running after them can be found.
run_mark="MONITORING_TEST_RUN=$$-$(date +%s%N)"
# The xUnit v3 test project is its own runner: run directly, it does what `dotnet test` does without the VSTest host
# and its two extra processes (about 11 core-seconds and 4 s of start-up on this machine), and its reporter prints the
# run as it goes; the closing counts are written to a file and printed last, below.
(cd "$repo/tests/Monitoring.Tests/bin/Debug/net10.0" \
  && env "$run_mark" MONITORING_TEST_COUNTS="$counts" ./Monitoring.Tests -reporter readable -noColor -trx "$results/tests.trx") 2>&1 \
  | tee -a "$details"
status=${PIPESTATUS[0]}
tested=$(now)
# The tests stop their graphs, but each graph's orchestrator (dcp, in a session of its own) exits a few seconds after
# the test process: wait for them, so the command leaves nothing running (and Docker is not stopped under them), and
# stop any still running after 30 s.
left_running() { grep -lsaF "$run_mark" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }
for _ in $(seq 300); do
  [ -n "$(left_running)" ] || break
  sleep 0.1
done
left=$(left_running)
if [ -n "$left" ]; then
  echo "warning: stopping processes the tests started that were still running 30 s after them:" $(ps -o comm= -p "${left//$'\n'/,}")
  kill $left 2>/dev/null
fi

# A graph started again after a hiccup of its orchestrator or container runtime (TestStack.RetryWarning): not a
# failure, but never silent.
grep -E 'warning: .*; starting the graph again:' "$details" | head -n 5

echo "phases: setup $(seconds "$started" "$set_up") s, build $(seconds "$set_up" "$built") s, tests $(seconds "$built" "$tested") s;" \
  "details: artifacts/test-run.log, artifacts/logs/, artifacts/test-results/tests.trx"
stop_engine
trap - EXIT
line=$(cat "$counts" 2>/dev/null)
[ -n "$line" ] || closing "the test run ended without its report, exit $status: see artifacts/test-run.log"
echo "$line"
failed=$(awk '{ print $3 }' <<<"$line")
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
