#!/bin/sh
# A row that no segment of its list type claims, or that two segments claim
# without a priority, gets no letter: it is rejected with its reason code in
# rejected.csv (exit 1), and the other rows are rendered.
. "$(dirname "$0")/../lib/common.sh"
case_dir="$TEGAMI_SRC/tests/golden/design-segments"
expect_exit 1 "$TEGAMI" run "$case_dir/job.yaml" -o "$WORK/out" --no-pdf
grep -q ',5,14000000014,,segment.overlap,"the row matches several segments (kidney, pressure)' \
  "$WORK/out/rejected.csv" || { cat "$WORK/out/rejected.csv" >&2; fail "overlap not in rejected.csv"; }
grep -q ',6,14000000015,,segment.none,' "$WORK/out/rejected.csv" \
  || fail "gap not in rejected.csv"
[ "$(grep -c segment "$WORK/out/rejected.csv")" = 2 ] || fail "expected exactly two rejections"
grep -q '"rendered": 9' "$WORK/out/summary.json" || fail "the other rows were not all rendered"
pass "segment gaps and overlaps are rejected rows with their reason"
