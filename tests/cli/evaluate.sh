#!/bin/sh
# `tegami evaluate` end to end on synthetic files: the worked example of
# docs/evaluation.md (A 120/600, B 150/600) gives the hand-computed numbers in
# evaluation.csv; the chart is a valid one-page PDF in the private fonts and a
# PNG; outputs are private, hold no key, and are the same bytes every time.
. "$(dirname "$0")/../lib/common.sh"
cd "$WORK"
awk 'BEGIN {
  printf "letter_id,KDB個人番号,municipality,target_type,segment,variant,arm,date,stratum\r\n" > "assignment.csv"
  printf "KDB個人番号,visit_date,医療機関コード\r\n" > "outcomes.csv"
  for (i = 0; i < 1200; i++) {
    arm = i < 600 ? "A" : "B"
    printf "L%05d,%011d,14201,highrisk,all,standard,%s,2026-10-01,14201|highrisk|all\r\n", i, 40000000 + i, arm >> "assignment.csv"
    if ((i < 600 && i < 120) || (i >= 600 && i < 750))
      printf "%011d,2026-11-%02d,1310000001\r\n", 40000000 + i, 1 + i % 28 >> "outcomes.csv"
  }
  printf "%011d,2026-11-01,1310000001\r\n", 99999999 >> "outcomes.csv"
}'

expect_exit 0 "$TEGAMI" evaluate assignment.csv outcomes.csv -o ev --window-days 180
grep -q '^overall,,B,A,600,150,0.250000,0.217017,0.286164,0.050000,0.002724,0.097021,0.0380883,z,0.95,180' ev/evaluation.csv \
  || { cat ev/evaluation.csv >&2; fail "evaluation.csv lacks the hand-computed B vs A line"; }
grep -q '^overall,,A,A,600,120,0.200000,0.169947,0.233870,' ev/evaluation.csv || fail "arm A line"
grep -q '+5.0 pt' "$WORK/last.out" || fail "the report on stdout lacks the difference"
grep -q '1 of people not in the assignment' "$WORK/last.out" || fail "unknown visits are not counted"
cmp -s "$WORK/last.out" ev/evaluation.txt || fail "evaluation.txt differs from the report printed"
if grep -rq '40000001' "$WORK/last.out" "$WORK/last.err" ev; then fail "a key leaked into the outputs"; fi

pdfinfo ev/evaluation.pdf >"$WORK/info" 2>&1 || fail "evaluation.pdf is not a valid PDF"
grep -q '^Pages: *1$' "$WORK/info" || fail "the chart is not one page"
grep -q 'Page size: *841.89 x 595.276' "$WORK/info" || fail "the chart is not A4 landscape"
pdffonts ev/evaluation.pdf | grep -q 'BIZUDPGothic' || fail "the chart is not set in the private font set"
pdftotext ev/evaluation.pdf - | grep -q '受診率' || fail "the chart lacks its Japanese title"
[ "$(head -c 8 ev/evaluation.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
  || fail "evaluation.png is not a PNG"
[ "$(stat -c %a ev)" = 700 ] || fail "the output folder is not 0700"
for f in ev/*; do [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"; done

# an earlier evaluation is not replaced without --force; with it, the bytes are the same
expect_exit 2 "$TEGAMI" evaluate assignment.csv outcomes.csv -o ev
grep -q 'output.exists' "$WORK/last.err" || fail "no output.exists diagnostic"
cp ev/evaluation.pdf first.pdf
cp ev/evaluation.png first.png
expect_exit 0 "$TEGAMI" evaluate assignment.csv outcomes.csv -o ev --window-days 180 --force
cmp -s first.pdf ev/evaluation.pdf || fail "the chart PDF differs between runs"
cmp -s first.png ev/evaluation.png || fail "the chart PNG differs between runs"

# usage and input errors
expect_exit 2 "$TEGAMI" evaluate assignment.csv
expect_exit 2 "$TEGAMI" evaluate assignment.csv outcomes.csv --alpha 2
expect_exit 2 "$TEGAMI" evaluate assignment.csv outcomes.csv -o ev2 --reference C
printf 'KDB個人番号,日付\r\n40000001,2026-11-01\r\n' >bad.csv
expect_exit 3 "$TEGAMI" evaluate assignment.csv bad.csv -o ev3
grep -q "evaluate.column" "$WORK/last.err" || fail "a missing column is not named"
pass "evaluate reproduces the worked example; chart and outputs are valid and private"
