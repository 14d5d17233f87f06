#!/usr/bin/env bash
# Keeps what the last tools/fuzz.sh session of TARGET found (issue 8): minimizes the session's queue
# together with the corpus with afl-cmin -e (the smallest set of inputs with the same edges), and
# adds the inputs that bring new coverage to test/Coffer.Fuzz/corpus/TARGET as found-<sha256 prefix>.
# Hand-made seeds are never removed. Crashes are not kept here: fix them, then add them by hand.
#   tools/fuzz-keep.sh TARGET
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: tools/fuzz-keep.sh TARGET}
corpus=test/Coffer.Fuzz/corpus/$target
out=artifacts/fuzz/$target
queue=$out/findings/default/queue
[ -d "$queue" ] || { echo "no session to keep: run tools/fuzz.sh $target first" >&2; exit 2; }

work=$out/keep
rm -rf "$work" && mkdir -p "$work/in"
cp "$corpus"/* "$work/in/"
known=$(sha256sum "$corpus"/* | cut -c1-12)
for f in "$queue"/id:*; do
  hash=$(sha256sum "$f" | cut -c1-12)
  grep -qx "$hash" <<< "$known" || cp "$f" "$work/in/queue-$hash"
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
nice -n 10 afl-cmin -e -i "$work/in" -o "$work/min" -m none -t 5000 -- "$(readlink -f "$(command -v dotnet)")" "$out/bin/Coffer.Fuzz.dll" "$target" > "$work/cmin.log" 2>&1 \
  || { tail -20 "$work/cmin.log"; exit 1; }

added=0
for f in "$work/min"/queue-*; do
  [ -e "$f" ] || continue
  name=found-$(sha256sum "$f" | cut -c1-12)
  if [ ! -e "$corpus/$name" ]; then
    cp "$f" "$corpus/$name"
    added=$((added + 1))
  fi
done
echo "$target: $(ls "$work/in" | wc -l) inputs minimized to $(ls "$work/min" | wc -l); added $added to $corpus ($(ls "$corpus" | wc -l) files)"
