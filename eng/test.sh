#!/usr/bin/env bash
# The test command of the README (and of CI): installs what is missing, builds the local images, runs every test
# against real containers on Podman, and ends with "N passed, N failed, N skipped".
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

"$repo/eng/install-prereqs.sh" || exit 1
# shellcheck source=env.sh
source "$repo/eng/env.sh"
"$repo/eng/images/build.sh" || exit 1

results="$repo/artifacts/test-results"
rm -rf "$results"
log="$(mktemp)"
dotnet test "$repo/Monitoring.sln" --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" \
  --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Every skipped test, with its reason, so nothing is skipped silently.
if grep -q '^\s*Skipped ' "$log"; then
  echo
  echo "Skipped tests and why:"
  grep -A2 '^\s*Skipped ' "$log" | sed 's/^/  /'
fi

summary=$(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | tail -n1)
failed=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
rm -f "$log"
if [ -z "$summary" ]; then
  echo "0 passed, 1 failed, 0 skipped (the test run did not complete: see above)"
  exit 1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
