#!/bin/sh
# bench/targets.sh — time and peak memory to read and validate a 1,000,000-row
# target list (docs/performance.md, "Reading target lists").
#
#   bench/targets.sh [ROWS]        (default 1000000)
#
# Generates the lists with ../shared/gen_targets.py into bench/data/ (git-
# ignored; kept between runs), builds a Release tree in build-bench/ and runs
# bench/targets.c on: UTF-8 read only, UTF-8 read + validate (postal
# dictionary, duplicates, every rule), CP932 read + validate, and the CP932
# list again through the kdb-highrisk profile.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
SHARED=${TEGAMI_SHARED:-$ROOT/../shared}
[ -f "$SHARED/gen_targets.py" ] || SHARED=/work/shared
GEN=$SHARED/gen_targets.py
[ -f "$GEN" ] || { echo "gen_targets.py not found (set TEGAMI_SHARED)" >&2; exit 77; }
DATA=$ROOT/bench/data
mkdir -p "$DATA"
for enc in utf-8 cp932; do
  f=$DATA/highrisk-$ROWS-$enc.csv
  if [ ! -s "$f" ]; then
    echo "generating $f ..." >&2
    # no --tricky: at a million rows it trips an assertion in the generator
    # (a "long" address of 60 characters or fewer)
    python3 "$GEN" --rows "$ROWS" --seed 1 --type highrisk --encoding "$enc" >"$f.tmp"
    mv "$f.tmp" "$f"
  fi
done
BUILD=$ROOT/build-bench
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$BUILD" --target tegami_bench_targets -j2 >/dev/null
BIN=$BUILD/bench/tegami_bench_targets
POSTAL=$ROOT/locales/ja/postal/KEN_ALL-kanagawa.csv
echo "# $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
ls -l "$DATA/highrisk-$ROWS-utf-8.csv" "$DATA/highrisk-$ROWS-cp932.csv" | awk '{print "# " $5 " bytes " $9}'
"$BIN" "$DATA/highrisk-$ROWS-utf-8.csv" --read-only
"$BIN" "$DATA/highrisk-$ROWS-utf-8.csv" --postal "$POSTAL"
"$BIN" "$DATA/highrisk-$ROWS-cp932.csv" --postal "$POSTAL"
"$BIN" "$DATA/highrisk-$ROWS-cp932.csv" --postal "$POSTAL" --profile kdb-highrisk
