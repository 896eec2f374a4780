#!/usr/bin/env bash
# Reads the test run's console log (the xUnit v3 runner's, or `dotnet test`'s at verbosity normal: a skipped test's
# name ends with [SKIP], its reason on the next line), lists every skipped test with its reason, and, with CI=true,
# fails (exit 1) when a test other than the allowed ones skipped, naming each: in CI a skip means something was not
# proven (no container runtime, an image missing), and a run that proved nothing must not look green.
# Usage: eng/skips.sh <log>; prints "unexpected: N" as its last line.
set -uo pipefail
log=$1
# The tests allowed to skip: the whole graph with the official images needs a registry (MONITORING_PULL_OFFICIAL_IMAGES=1).
allowed='FullGraphEndToEndTests\.'

skips=$(grep -A1 '\[SKIP\]' "$log" | grep -v '^--$' | sed -E 's/^\[xUnit.net [0-9:.]+\] +/  /')
if [ -n "$skips" ]; then
  echo
  echo "Skipped tests and why:"
  echo "$skips"
fi
unexpected=$(grep '\[SKIP\]' "$log" | grep -vE "$allowed" | sed -E 's/^\[xUnit.net [0-9:.]+\] +//; s/^ +//; s/ \[SKIP\]$//')
count=0
[ -z "$unexpected" ] || count=$(wc -l <<<"$unexpected")
if [ "${CI:-}" = true ] && [ "$count" -gt 0 ]; then
  echo
  echo "In CI only tests matching '$allowed' may skip; these skipped too, so what they prove was not proven:"
  sed 's/^/  /' <<<"$unexpected"
  echo "unexpected: $count"
  exit 1
fi
echo "unexpected: 0"
