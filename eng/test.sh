#!/usr/bin/env bash
# The test command of the README (and of CI): installs what is missing, starts Docker Engine if no Docker answers
# (and stops it at the end), builds the local images, runs every test against real containers, and ends with
# "N passed, N failed, N skipped".
# A skipped test says why. With CI=true, a skip other than the ones eng/skips.sh allows fails the run, naming the
# test: a machine where the containers cannot run must not look green.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
started=$(now)

"$repo/eng/install-prereqs.sh" || exit 1
# shellcheck source=env.sh
source "$repo/eng/env.sh"
# shellcheck source=engine.sh
source "$repo/eng/engine.sh"
engine_start || exit 1
trap engine_stop EXIT
"$repo/eng/images/build.sh" || exit 1
answer_tunnel_base_pull
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
stop_compiler() { dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1; }
trap 'stop_compiler; engine_stop' EXIT
dotnet build "$repo/Monitoring.sln" --nologo -v quiet -clp:ErrorsOnly -p:UseSharedCompilation=true
build_status=$?
stop_compiler
trap engine_stop EXIT
[ "$build_status" -eq 0 ] || { echo "0 passed, 1 failed, 0 skipped (the build failed, see above)"; exit 1; }
built=$(now)

# The volumes there are before the tests: the tests must leave none behind, and never create one of the names a
# developer's own F5 of this AppHost uses (every test names its own, TestVolumes). Docker's fail the run; Podman's are
# reported (Podman 4.3 once left a container stuck in "Stopping", whose volumes could not be removed).
volumes() { "$1" volume ls -q 2>/dev/null | sort -u; }
docker_before=$(volumes docker)
podman_before=$(command -v podman >/dev/null && volumes podman)

results="$repo/artifacts/test-results"
rm -rf "$results"
log="$(mktemp)"
# The xUnit v3 test project is its own runner: run directly, it does what `dotnet test` does without the VSTest host
# and its two extra processes (about 11 core-seconds and 4 s of start-up on this machine). It prints failures and
# skips (with their reasons) as they happen, and writes the same TRX report.
mkdir -p "$results"
# The orchestrator's (DCP's) own logs, at info level: Aspire 13.6 shows DCP's errors only at Debug, so a graph whose
# orchestrator fails says why nowhere else. Its error lines are printed below when a test failed.
dcp_logs="$repo/artifacts/dcp-logs"
rm -rf "$dcp_logs"
export DcpPublisher__DiagnosticsLogFolder="$dcp_logs" DcpPublisher__DiagnosticsLogLevel=info
# Every process the tests start inherits this mark, so the ones still running after them can be found.
run_mark="MONITORING_TEST_RUN=$$-$(date +%s%N)"
(cd "$repo/tests/Monitoring.Tests/bin/Debug/net10.0" && env "$run_mark" ./Monitoring.Tests -noColor -noLogo -trx "$results/tests.trx") 2>&1 | tee "$log"
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

# Every skipped test, with its reason, so nothing is skipped silently; in CI, only the allowed ones.
skip_report=$("$repo/eng/skips.sh" "$log")
skips_ok=$?
grep -v '^unexpected: ' <<<"$skip_report"
unexpected=$(sed -n 's/^unexpected: //p' <<<"$skip_report")
# A graph started again because its orchestrator did not answer (TestStack.OrchestratorRetryWarning): not a
# failure, but never silent.
retried=$(grep -F 'warning: the orchestrator did not answer' "$log")
rm -f "$log"

# The counts come from the TRX report (its format is stable across SDKs, unlike the console summary).
trx="$results/tests.trx"
counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -n1)
if [ -z "$counters" ]; then
  echo "0 passed, 1 failed, 0 skipped (no test report: the build or the test run failed, see above)"
  exit 1
fi
count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(( $(count total) - $(count executed) ))
[ "$skips_ok" -eq 0 ] || failed=$(( failed + ${unexpected:-1} ))
left=$(comm -13 <(echo "$docker_before") <(volumes docker))
if [ -n "$left" ]; then
  echo "The tests left Docker volumes behind (a test that does not name its volumes with TestVolumes, or does not remove them):"
  sed 's/^/  /' <<<"$left"
  failed=$(( failed + 1 ))
fi
if command -v podman >/dev/null; then
  left=$(comm -13 <(echo "$podman_before") <(volumes podman))
  [ -z "$left" ] || { echo "warning: the tests left Podman volumes behind:"; sed 's/^/  /' <<<"$left"; }
fi

# Where the time went: setting up (prerequisites, Docker, images), building, testing; within the tests, when the last
# unit (model, config, API) test and the last end-to-end test ended (they run side by side).
spans=$(grep -o '<UnitTestResult [^>]*>' "$trx" | sed -E 's/.*testName="([^"]*)".*startTime="([^"]*)" endTime="([^"]*)".*/\2 \3 \1/' \
  | awk '{ split($1, a, /[T:+]/); split($2, b, /[T:+]/); s = a[2]*3600 + a[3]*60 + a[4]; e = b[2]*3600 + b[3]*60 + b[4];
           if (n++ == 0 || s < first) first = s; if ($3 ~ /\.EndToEnd\./) { if (e > e2e) e2e = e } else if (e > unit) unit = e }
         END { printf "%.1f %.1f", unit - first, e2e - first }')
echo "phases: setup $(seconds "$started" "$set_up") s, restore and build $(seconds "$set_up" "$built") s, tests $(seconds "$built" "$tested") s" \
  "(unit tests done after ${spans% *} s, end-to-end after ${spans#* } s)"
# Every failed test again, by name with the first line of its message, next to the closing line: the failures are
# printed as they happen, thousands of log lines further up, where a CI log's tail does not reach. (A record runs from
# one result to the next, the last one to the end of the file: only its opening tag tells its outcome.)
failures=$(awk 'BEGIN { RS = "<UnitTestResult " }
  NR > 1 { tag = substr($0, 1, index($0, ">")) }
  NR > 1 && tag ~ /outcome="(Failed|Error|Timeout|Aborted)"/ {
    name = tag; sub(/.*testName="/, "", name); sub(/".*/, "", name)
    message = ""; if (match($0, /<Message>[^\n<]*/)) message = substr($0, RSTART + 9, RLENGTH - 9)
    print "  " name; if (message != "") print "    " message
  }' "$trx" | sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' | cut -c1-300)
[ -z "$failures" ] || printf 'Failed tests:\n%s\n' "$failures"
[ -z "$retried" ] || printf '%s\n' "$retried"
# The orchestrator's last errors, in time order, without the ones every graph's stop logs.
if { [ -n "$failures" ] || [ -n "$retried" ]; } && [ -d "$dcp_logs" ]; then
  dcp_errors=$(grep -h '"level":"error"' "$dcp_logs"/*.log 2>/dev/null \
    | grep -v -e 'Failed to subscribe to notifications' -e 'Could not stop root process' -e 'Failed to ensure PhysicalContainerNetworkConnections' -e 'could not get process tree' \
    | sort | tail -n 20 | cut -c1-400)
  [ -z "$dcp_errors" ] || printf 'The orchestrator'"'"'s last errors (%s):\n%s\n' "$dcp_logs" "$dcp_errors"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] || exit 1
exit "$status"
