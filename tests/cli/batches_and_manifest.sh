#!/bin/sh
# What a print vendor receives: letters sorted by postal code, cut into batch
# PDFs of at most batch-size letters, padded for duplex printing, each page
# marked with its control number; manifest.csv page ranges match the PDFs
# (counted from the PDFs themselves); SHA256SUMS verifies every file.
. "$(dirname "$0")/../lib/common.sh"
{
  printf '%s\r\n' "$HIGHRISK_HEADER"
  i=1
  for pc in 252-0029 252-0001 252-0021 252-0013 252-0003 252-0028 252-0004 252-0011 252-0005 252-0012 \
            252-0014 252-0015 252-0016 252-0022 252-0023 252-0025 252-0026 252-0027 252-0002 252-0001 \
            252-0029 252-0001 252-0021 252-0013 252-0003; do
    printf '99,%07d,%011d,見本　%d郎,ﾐﾎﾝ ﾀﾛｳ,男,70,S31.05.02,%s,神奈川県座間市入谷東1丁目%d番1号,140,88,101,5.7,197,55.0,4050718\r\n' \
      "$i" "$((14000000000 + i))" "$i" "$pc" "$i"
    i=$((i + 1))
  done
} >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
cat >>"$WORK/job.yaml" <<'YAML'
output:
  batch-size: 10
  duplex: true
  control-number: {x: 150mm, y: 292mm, size: 6pt}
YAML
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out"
cd "$WORK/out"
ls 14999_highrisk_standard_001.pdf 14999_highrisk_standard_002.pdf 14999_highrisk_standard_003.pdf >/dev/null \
  || fail "expected three batch files"
[ ! -e 14999_highrisk_standard_004.pdf ] || fail "a fourth batch was written"
pass "25 letters in batches of 10: three files"

# manifest page ranges vs the PDFs' own page counts
tail -n +2 manifest.csv | tr -d '\r' >"$WORK/m"
[ "$(wc -l <"$WORK/m")" = 25 ] || fail "manifest should list 25 letters"
for f in 14999_highrisk_standard_00[123].pdf; do
  pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
  want=$(awk -F, -v f="$f" '$8 == f { n += $10 + $11 } END { print n }' "$WORK/m")
  [ "$pages" = "$want" ] || fail "$f has $pages pages, the manifest says $want"
  # first pages run 1, 3, 5, ... (one page + one blank for duplex)
  awk -F, -v f="$f" '$8 == f { if ($9 != next_first + 1) exit 1; next_first = $9 + $10 + $11 - 1 }
                     BEGIN { next_first = 0 }' "$WORK/m" || fail "first pages in $f do not follow each other"
done
pass "manifest page ranges match the PDFs, with duplex blanks"

# sorted by postal code within the group, and no names in the manifest
cut -d, -f12 "$WORK/m" >"$WORK/postal"
sort -c "$WORK/postal" || fail "letters are not in postal-code order"
grep -q '見本' manifest.csv && fail "a name leaked into the manifest"
pass "letters in postal-code order; manifest without names"

# control numbers on the pages
pdftotext -enc UTF-8 14999_highrisk_standard_001.pdf - | grep -q '14999-1-0000[0-9][0-9] 1/1' \
  || fail "no control number on the pages"
pass "control numbers printed"

sha256sum -c SHA256SUMS >/dev/null || fail "SHA256SUMS does not verify"
grep -q manifest.csv SHA256SUMS || fail "SHA256SUMS does not cover manifest.csv"
pass "SHA256SUMS verifies every file"
