#!/bin/sh
# bench/run.sh — render synthetic lists of several sizes and print
# letters/second, pages/second, bytes/letter and peak RSS for each.
#
#   bench/run.sh path/to/tegami [sizes...]      (default sizes: 1000 10000 100000)
#
# The standard workload of issue 8: bench/workload.yaml, a 2-page letter per
# row (docs/performance.md).  Lists come from ../shared/gen_targets.py
# (TEGAMI_SHARED overrides where it is); they are generated once into
# bench/data/ (git-ignored).  BENCH_JOBS sets --jobs (default: all cores);
# BENCH_OUTPUT adds an output: line to the job (e.g. "{compact: false}").
# Numbers go to stdout; record them, with the machine, in docs/performance.md.
set -eu
TEGAMI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
SIZES=${*:-1000 10000 100000}
JOBS=${BENCH_JOBS:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
SHARED=${TEGAMI_SHARED:-$SRC/../shared}
GEN="$SHARED/gen_targets.py"
[ -f "$GEN" ] || { echo "bench: $GEN not found (set TEGAMI_SHARED)" >&2; exit 1; }
mkdir -p "$HERE/data" "$HERE/out"
export TEGAMI_DATA_DIR="$SRC"
. "$SRC/tests/lib/job_yaml.sh"
printf '%-8s %10s %10s %12s %12s %10s\n' rows letters/s pages/s bytes/letter total_MB peak_RSS_MB
for n in $SIZES; do
  list="$HERE/data/highrisk-$n.csv"
  [ -f "$list" ] || python3 "$GEN" --rows "$n" --type highrisk --seed 7 >"$list"
  job="$HERE/data/job-$n.yaml"
  { job_yaml "bench-$n" "$list" highrisk "$SRC/bench/workload.yaml"
    if [ -n "${BENCH_OUTPUT:-}" ]; then echo "output: $BENCH_OUTPUT"; fi; } >"$job"
  out="$HERE/out/run-$n"
  /usr/bin/time -f '%e %M' -o "$HERE/out/time-$n" "$TEGAMI" run "$job" -o "$out" --force $( [ "$JOBS" != 0 ] && echo "--jobs $JOBS") >/dev/null 2>"$HERE/out/stderr-$n" && rc=0 || rc=$?
  # exit 1 = some rows rejected (the list has tricky rows): counted; more is a failure
  if [ "$rc" -gt 1 ]; then
    echo "bench: the run of $n rows failed with exit $rc (bench/out/stderr-$n):" >&2
    grep -v '^audit:' "$HERE/out/stderr-$n" | tail -n 5 >&2
    exit 1
  fi
  read -r secs rss_kb <<EOF2
$(tail -n 1 "$HERE/out/time-$n")
EOF2
  letters=$(grep -o '"rendered": [0-9]*' "$out/summary.json" | head -1 | grep -o '[0-9]*$')
  pages=$(grep -o '"pages": [0-9]*' "$out/summary.json" | grep -o '[0-9]*$')
  bytes=$(cat "$out"/*.pdf | wc -c)
  awk -v n="$n" -v s="$secs" -v l="$letters" -v p="$pages" -v b="$bytes" -v r="$rss_kb" 'BEGIN {
    if (s <= 0) s = 0.001;
    printf "%-8d %10.0f %10.0f %12.0f %12.1f %10.1f\n", n, l / s, p / s, b / l, b / 1048576, r / 1024 }'
done
