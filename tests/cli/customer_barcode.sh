#!/bin/sh
# The customer barcode under the name: 67 vector bars per letter that has one;
# a letter without one (代表番号, an address without its town) still goes out,
# is named by row in a message that quotes nothing personal, says `no` in
# manifest.csv and is counted in the summary.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
CASE=tests/golden/customer-barcode
expect_exit 0 "$TEGAMI" run "$CASE/job.yaml" -o "$WORK/out"
err="$WORK/last.err"

grep -q 'list.csv: row 4, column 住所: note: .*\[barcode.representative\]' "$err" \
  || fail "the 代表番号 letter is not named"
grep -q 'list.csv: row 6, column 住所: warning: .*\[barcode.town-not-found\]' "$err" \
  || fail "the address without its town is not named"
grep -q 'list.csv: row 7, column 住所: warning: .*\[barcode.kanji-numeral\]' "$err" \
  || fail "the unconverted kanji numeral is not flagged"
for private in 座間 見本 試験 入谷 ひばり; do
  grep -q "$private" "$err" && fail "personal data in the messages: $private"
done
pass "letters without a barcode are named by row, without personal data"

man="$WORK/out/manifest.csv"
head -1 "$man" | grep -q ',postal_code,customer_barcode' || fail "no customer_barcode column"
[ "$(grep -c ',yes.$' "$man")" = 4 ] || fail "manifest: expected 4 letters with a barcode"
[ "$(grep -c ',no.$' "$man")" = 2 ] || fail "manifest: expected 2 letters without"
grep -q '252-0000,no' "$man" || fail "the 代表番号 letter is not marked 'no'"
grep -q '"barcodes": 4, "barcodes_omitted": 2' "$WORK/out/summary.json" || fail "summary.json counts"
grep -q '^customer barcodes *4  (2 letters without one' "$WORK/out/summary.txt" || fail "summary.txt counts"
pass "manifest and summary count barcodes printed and omitted"

# the bars are vector paths in the PDF: 67 closed rectangles per barcode
qpdf --qdf --object-streams=disable "$WORK/out/14999_highrisk_standard_001.pdf" "$WORK/q.pdf"
bars=$(tr ' ' '\n' <"$WORK/q.pdf" | grep -acx h)
[ "$bars" = 268 ] || fail "expected 4 x 67 bars in the PDF, found $bars"
pass "4 barcodes of 67 vector bars in the PDF"

# a design without a barcode leaves the column empty and prints no count
expect_exit 0 "$TEGAMI" run tests/golden/labels/job.yaml -o "$WORK/plain"
grep -q ',customer_barcode' "$WORK/plain/manifest.csv" || fail "no column header"
grep -q ',\(yes\|no\).$' "$WORK/plain/manifest.csv" && fail "barcode marked for a design without one"
grep -q 'customer barcodes' "$WORK/plain/summary.txt" && fail "barcode count without barcodes"
pass "no barcode in the design: empty column, no count"
