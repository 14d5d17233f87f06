#!/usr/bin/env bash
# Time from exec to the first HTTP answer (any status) of a program that serves on loopback (issue 14).
#   bench/first-answer.sh RUNS PATH COMMAND [ARGS...]
# {port} in the arguments is replaced by a free port, and PATH is asked at http://127.0.0.1:{port}PATH
# every 5 ms until something answers. Prints each run and the median, in ms. Examples:
#   bench/first-answer.sh 9 /_coffer/health/live out/linux-x64/coffer server --dev --urls 'http://127.0.0.1:{port}'
#   PARAMETERS_SECRETS_EXTENSION_HTTP_PORT={port} bench/first-answer.sh 9 /ping out/agent/coffer-agent
#   bench/first-answer.sh 9 / python3 -m http.server --bind 127.0.0.1 {port}        # a baseline
# Environment values may hold {port} too; the command's output is dropped. With RUNS=0, nothing runs.
set -euo pipefail
runs=$1 path=$2
shift 2
extract=$(mktemp -d)
trap 'rm -rf "$extract"' EXIT
times=()
for _ in $(seq "$runs"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  args=("${@//\{port\}/$port}")
  envs=()
  while IFS='=' read -r name value; do
    envs+=("$name=${value//\{port\}/$port}")
  done < <(env | grep '{port}' || true)
  start=$(date +%s%N)
  env "${envs[@]}" DOTNET_BUNDLE_EXTRACT_BASE_DIR="$extract" "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port$path"; do
    kill -0 "$pid" 2>/dev/null || { echo "${args[0]} exited before answering" >&2; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run: $ms ms"
done
[ "$runs" -gt 0 ] && printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " ms (min " a[1] ", max " a[NR] ")"}'
