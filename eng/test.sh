#!/usr/bin/env bash
# The test command of the README (and of CI): installs what is missing, starts Docker Engine if no Docker answers
# (and stops it at the end), builds the local images, runs every test against real containers, and ends with
# "N passed, N failed, N skipped".
# A skipped test says why. With CI=true, a skip other than the ones allowed below fails the run, naming the test: a
# machine where the containers cannot run must not look green.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# The tests allowed to skip: the whole graph with the official images needs a registry (MONITORING_PULL_OFFICIAL_IMAGES=1).
allowed_skips='FullGraphEndToEndTests\.'

"$repo/eng/install-prereqs.sh" || exit 1
# shellcheck source=env.sh
source "$repo/eng/env.sh"
# shellcheck source=engine.sh
source "$repo/eng/engine.sh"
engine_start || exit 1
trap engine_stop EXIT
"$repo/eng/images/build.sh" || exit 1

results="$repo/artifacts/test-results"
rm -rf "$results"
log="$(mktemp)"
dotnet test "$repo/Monitoring.sln" --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" \
  --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Every skipped test, with its reason, so nothing is skipped silently.
skips=$(grep -A1 '\[SKIP\]' "$log" | grep -v '^--$' | sed -E 's/^\[xUnit.net [0-9:.]+\] +/  /')
if [ -n "$skips" ]; then
  echo
  echo "Skipped tests and why:"
  echo "$skips"
fi
unexpected=$(grep '\[SKIP\]' "$log" | grep -vE "$allowed_skips" | sed -E 's/^\[xUnit.net [0-9:.]+\] +//; s/ \[SKIP\]$//')
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
if [ "${CI:-}" = true ] && [ -n "$unexpected" ]; then
  echo
  echo "In CI only the tests matching '$allowed_skips' may skip; these skipped too, so nothing they prove was proven:"
  sed 's/^/  /' <<<"$unexpected"
  failed=$(( failed + $(wc -l <<<"$unexpected") ))
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] || exit 1
exit "$status"
