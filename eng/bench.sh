#!/usr/bin/env bash
# The benchmarks of docs/performance.md: installs what is missing, starts Docker Engine if no Docker answers (and stops
# it at the end), provides the images (eng/images/build.sh) and builds the bench tool (Release), and runs it: each figure against its reference,
# in one run on this machine, written into docs/performance.md. Takes about half an hour; run it on a quiet machine.
# Usage: eng/bench.sh [all|alert-latency|startup|exporter|footprint|suite]   (default: all)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=prepare.sh
source "$repo/eng/prepare.sh"
trap engine_stop EXIT
prepare
dotnet build "$repo/bench/Monitoring.Bench" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet "$repo/bench/Monitoring.Bench/bin/Release/net10.0/Monitoring.Bench.dll" "$@"
