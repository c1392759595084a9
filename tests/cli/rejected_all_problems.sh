#!/bin/sh
# Every problem of a rejected row is in rejected.csv, not only the first:
# one line per row (rows stay countable), its columns, codes and messages
# joined with "; " in the order they were found.  A row with one problem
# reads as before.
. "$(dirname "$0")/../lib/common.sh"
{
  printf '%s\r\n' "$HIGHRISK_HEADER"
  highrisk_rows 3 | sed '2s/,男,70,/,X,70,/; 2s/,55.0,/,未測定,/; 3s/,55.0,/,abc,/'
} >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
expect_exit 1 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out" --no-pdf
r=$WORK/out/rejected.csv
[ "$(tail -n +2 "$r" | wc -l)" = 2 ] || { cat "$r" >&2; fail "two rejected rows, one line each"; }
grep -q ',3,14000000002,性別; eGFR,data.sex; data.number,' "$r" \
  || { cat "$r" >&2; fail "both problems of row 3 are not recorded"; }
grep -q ',4,14000000003,eGFR,data.number,the value is not a number' "$r" \
  || { cat "$r" >&2; fail "a single problem is not recorded as before"; }
pass "rejected.csv records every problem of a row"
