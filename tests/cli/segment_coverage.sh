#!/bin/sh
# `tegami check DESIGN` proves that the segments of a production design give
# every row of its list type a letter, and `--profile` / `--list` check the
# columns a design names against a list's without a job.  Rows marked as the
# annex marks them (a ○ last year only, one condition only) all get a letter
# of the shipped dropout design: none is rejected for its segment.
. "$(dirname "$0")/../lib/common.sh"
L=$TEGAMI_SRC/layouts
for d in highrisk highrisk-standard dropout dropout-standard; do
  expect_exit 0 "$TEGAMI" check "$L/$d.yaml"
  grep -q 'segment\.' "$WORK/last.err" && { cat "$WORK/last.err" >&2; fail "$d: segment message"; }
done
expect_exit 0 "$TEGAMI" check "$L/highrisk.yaml" --profile kdb-highrisk
expect_exit 0 "$TEGAMI" check "$L/dropout.yaml" --profile kdb-dropout
expect_exit 3 "$TEGAMI" check "$L/dropout.yaml" --profile kdb-highrisk
grep -q 'segment.no-type' "$WORK/last.err" || fail "a dropout design checked as a high-risk one"
expect_exit 2 "$TEGAMI" check "$L/dropout.yaml" --profile kdb-nothing
expect_exit 2 "$TEGAMI" check "$TEGAMI_SRC/samples/job.yaml" --profile kdb-dropout

# --list: the header of a list that lacks a column the design reads
printf '%s\r\n' 'KDB個人番号,氏名,性別,年齢,生年月日,郵便番号,住所,1年前受診状況_高血圧症,1年前受診状況_糖尿病性を除く腎症,2年前受診状況_高血圧症,2年前受診状況_糖尿病性を除く腎症' \
  >"$WORK/short.csv"
expect_exit 3 "$TEGAMI" check "$L/dropout.yaml" --list "$WORK/short.csv"
grep -q "unknown field '3年前受診状況_高血圧症'" "$WORK/last.err" \
  || { cat "$WORK/last.err" >&2; fail "--list does not name the missing column"; }
expect_exit 0 "$TEGAMI" check "$L/dropout.yaml" --list "$TEGAMI_SRC/samples/targets/dropout.csv"

# realistic marks: every row rendered, none rejected for its segment
{
  head -1 "$TEGAMI_SRC/samples/targets/dropout.csv"
  i=1
  for marks in '○,,,,,' ',○,,,,' ',,,,○,' ',,,,,○' '○,○,○,○,○,○' '○,,○,,,' ',,○,,,'; do
    printf '99,%07d,%011d,見本　%d郎,ﾐﾎﾝ ﾀﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目%d番1号,%s,4050718,\r\n' \
      "$i" "$((14000000000 + i))" "$i" "$i" "$marks"
    i=$((i + 1))
  done
} >"$WORK/marks.csv"
job_yaml marks "$WORK/marks.csv" dropout "$L/dropout.yaml" \
  | sed 's|values: {|values: {deadline: 2026-11-30, dropout_visit_share: "", |' >"$WORK/job.yaml"
expect_exit 0 "$TEGAMI" check "$WORK/job.yaml"
grep -q 'segment\.' "$WORK/last.err" && { cat "$WORK/last.err" >&2; fail "a row lost its segment"; }
grep -q 'letters ready *7' "$WORK/last.out" "$WORK/last.err" \
  || { cat "$WORK/last.out" "$WORK/last.err" >&2; fail "not every row is ready"; }
pass "segments cover every row; --profile and --list check a design's columns"
