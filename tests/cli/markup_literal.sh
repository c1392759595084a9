#!/bin/sh
# Merged values are text, never markup: a name holding <b>, &, quotes or
# {{braces}} prints exactly as written (trace and PDF text layer).
. "$(dirname "$0")/../lib/common.sh"
name='<b>山田</b> & "太郎" {{氏名}}'
{
  printf '%s\r\n' "$HIGHRISK_HEADER"
  printf '99,0000001,14000000001,"%s",ﾔﾏﾀﾞ ﾀﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目1番1号,140,88,101,5.7,197,55.0,4050718\r\n' \
    "$(printf '%s' "$name" | sed 's/"/""/g')"
} >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out" --trace "$WORK/trace"
grep -qF '<b>山田</b> & \"太郎\" {{氏名}}' "$WORK/trace" || fail "the trace does not show the name literally"
pdftotext -enc UTF-8 "$WORK"/out/*.pdf - | grep -qF '<b>山田</b> & "太郎" {{氏名}}' \
  || fail "the PDF text does not show the name literally"
pass "markup characters in a name print literally"
