#!/usr/bin/env bash
# A longer fuzzing session of one target (issue 8): builds test/Coffer.Fuzz, instruments Coffer's
# own assemblies with SharpFuzz, and runs AFL++ from the target's corpus for MINUTES (default 10).
#   tools/fuzz.sh TARGET [MINUTES]     TARGET: sigv4, json, query, policy, blob
# Findings land in artifacts/fuzz/TARGET/findings (crashes/, hangs/, queue/); replay one with
#   dotnet artifacts/fuzz/TARGET/bin/Coffer.Fuzz.dll TARGET FILE
# Needs afl++ (Debian: apt-get install afl++). CI does not run this; it replays the corpus as tests.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: tools/fuzz.sh TARGET [MINUTES]}
minutes=${2:-10}
corpus=test/Coffer.Fuzz/corpus/$target
[ -d "$corpus" ] || { echo "no corpus for target '$target' (have: $(ls test/Coffer.Fuzz/corpus | tr '\n' ' '))" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }

out=artifacts/fuzz/$target
rm -rf "$out/bin"
dotnet tool restore >/dev/null
nice -n 10 dotnet publish test/Coffer.Fuzz -c Release -o "$out/bin" --nologo -v quiet
for assembly in Coffer.Core Coffer.Server; do
  dotnet tool run sharpfuzz "$out/bin/$assembly.dll"
done

dict=()
[ -f "test/Coffer.Fuzz/dict/$target.dict" ] && dict=(-x "test/Coffer.Fuzz/dict/$target.dict")

# A new session starts from the corpus; "-i -" would resume the previous one instead.
rm -rf "$out/findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
nice -n 10 afl-fuzz -V $((minutes * 60)) -t 3000 -m none "${dict[@]}" -i "$corpus" -o "$out/findings" \
  -- dotnet "$out/bin/Coffer.Fuzz.dll" "$target" > "$out/afl.log" 2>&1 || { tail -40 "$out/afl.log"; exit 1; }

stats=$out/findings/default/fuzzer_stats
awk -F' *: ' '$1 ~ /^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg)$/ { print $1 ": " $2 }' "$stats"
crashes=$(find "$out/findings/default/crashes" "$out/findings/default/hangs" -type f ! -name README.txt | wc -l)
echo "findings: $crashes file(s) in $out/findings/default/{crashes,hangs}"
