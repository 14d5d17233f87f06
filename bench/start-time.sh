#!/usr/bin/env bash
# Time from exec to the first answer of /_coffer/health/live, for a coffer executable (issue 14).
#   bench/start-time.sh out/linux-x64/coffer [runs]      # a single-file executable
#   bench/start-time.sh "dotnet src/Coffer.Cli/bin/Release/net10.0/coffer.dll" 5
# Dev mode (in memory), so no disk state is timed; prints each run and the median, in ms.
# The timing itself is bench/first-answer.sh's, which times any program that serves on loopback.
set -euo pipefail
read -r -a exe <<< "$1"
exec "$(dirname "$0")/first-answer.sh" "${2:-5}" /_coffer/health/live "${exe[@]}" server --dev --urls 'http://127.0.0.1:{port}'
