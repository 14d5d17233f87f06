#!/usr/bin/env bash
# Time from exec to the first answer of /_coffer/health/live, for a coffer executable (issue 14).
#   bench/start-time.sh out/linux-x64/coffer [runs]      # a single-file executable
#   bench/start-time.sh "dotnet src/Coffer.Cli/bin/Release/net10.0/coffer.dll" 5
# Dev mode (in memory), so no disk state is timed; prints each run and the median, in ms.
set -euo pipefail
exe=$1
runs=${2:-5}
extract=$(mktemp -d)
trap 'rm -rf "$extract"' EXIT
times=()
for _ in $(seq "$runs"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  start=$(date +%s%N)
  DOTNET_BUNDLE_EXTRACT_BASE_DIR=$extract $exe server --dev --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/_coffer/health/live"; do
    kill -0 "$pid" 2>/dev/null || { echo "coffer exited" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run: $ms ms"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " ms"}'
