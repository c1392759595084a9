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
[ "$(grep -c ',yes,[a-z]*.$' "$man")" = 4 ] || fail "manifest: expected 4 letters with a barcode"
[ "$(grep -c ',no,[a-z]*.$' "$man")" = 2 ] || fail "manifest: expected 2 letters without"
grep -q '252-0000,no' "$man" || fail "the 代表番号 letter is not marked 'no'"
grep -q '"barcodes": 4, "barcodes_omitted": 2' "$WORK/out/summary.json" || fail "summary.json counts"
grep -q '^customer barcodes *4  (2 letters without one' "$WORK/out/summary.txt" || fail "summary.txt counts"
pass "manifest and summary count barcodes printed and omitted"

# the bars are in the PDF: rendered, each letter with a barcode shows 67 of
# them under its name (drawn from a Type 3 font of four bar glyphs)
pdffonts "$WORK/out/14999_highrisk_standard_001.pdf" | grep -q 'Type 3' || fail "no bar font in the PDF"
pdftoppm -r 300 -gray "$WORK/out/14999_highrisk_standard_001.pdf" "$WORK/page"
counts=$(python3 - "$WORK" <<'PY'
import glob, sys
# each page: does some pixel row of the address area cross exactly 67 bars?
# (every bar crosses the tracker line; a line of text never makes 67 runs)
out = []
for f in sorted(glob.glob(sys.argv[1] + "/page-*.pgm")):
    _, dims, _, px = open(f, "rb").read().split(b"\n", 3)
    w, h = map(int, dims.split())
    mm = lambda v: int(v / 25.4 * 300)
    best = 0
    for y in range(mm(40), mm(60)):
        row = px[y * w + mm(25): y * w + mm(112)]
        runs = sum(1 for i, p in enumerate(row) if p < 128 and (i == 0 or row[i - 1] >= 128))
        best = 67 if runs == 67 else best
    out.append(str(best))
print(" ".join(out))
PY
)
bars=$(echo "$counts" | tr ' ' '\n' | grep -c '^67$')
[ "$bars" = 4 ] || fail "expected 4 pages with 67 bars, got runs per page: $counts"
pass "4 barcodes of 67 bars in the PDF (runs per page: $counts)"

# a design without a barcode leaves the column empty and prints no count
expect_exit 0 "$TEGAMI" run tests/golden/labels/job.yaml -o "$WORK/plain"
grep -q ',customer_barcode' "$WORK/plain/manifest.csv" || fail "no column header"
grep -q ',\(yes\|no\).$' "$WORK/plain/manifest.csv" && fail "barcode marked for a design without one"
grep -q 'customer barcodes' "$WORK/plain/summary.txt" && fail "barcode count without barcodes"
pass "no barcode in the design: empty column, no count"
