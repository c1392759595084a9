#!/bin/sh
# Print production: with bleed and crop marks (トンボ) every page is set on a
# larger sheet, the PDF carries TrimBox and BleedBox (so preflight still
# sees A4), and compact PDFs (object streams, the default) are smaller and
# still deterministic.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
job() { # NAME OUTPUT-LINES
  sed "s#design: ../layouts/#design: $TEGAMI_SRC/layouts/#; s#file: targets/#file: $TEGAMI_SRC/samples/targets/#" \
    samples/job.yaml >"$WORK/$1.yaml"
  printf '%s\n' "$2" >>"$WORK/$1.yaml"
}
job marks 'output: {bleed: 3mm, crop-marks: true}'
expect_exit 0 "$TEGAMI" run "$WORK/marks.yaml" -o "$WORK/marks"
pdf="$WORK/marks/14999_highrisk_standard_001.pdf"
pdfinfo -box "$pdf" >"$WORK/box"
# A4 is 595.28 x 841.89 pt; 3 mm = 8.50 pt of bleed and 10 mm more for the marks
grep -q '^TrimBox: *36.85 *36.85 *632.13 *878.74$' "$WORK/box" || fail "TrimBox: $(grep TrimBox "$WORK/box")"
grep -q '^BleedBox: *28.35 *28.35 *640.63 *887.24$' "$WORK/box" || fail "BleedBox: $(grep BleedBox "$WORK/box")"
grep -q '^MediaBox: *0.00 *0.00 *668.98 *915.59$' "$WORK/box" || fail "MediaBox: $(grep MediaBox "$WORK/box")"
expect_exit 0 "$TEGAMI" preflight --size A4 "$pdf"
pass "bleed and crop marks: TrimBox A4, BleedBox 3 mm, marks outside"

job plain 'output: {compact: false}'
expect_exit 0 "$TEGAMI" run "$WORK/plain.yaml" -o "$WORK/plain"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/compact"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/compact2"
plain=$(stat -c %s "$WORK/plain/14999_highrisk_standard_001.pdf")
compact=$(stat -c %s "$WORK/compact/14999_highrisk_standard_001.pdf")
[ "$compact" -lt "$plain" ] || fail "compact PDF ($compact bytes) not smaller than plain ($plain)"
cmp -s "$WORK/compact/14999_highrisk_standard_001.pdf" "$WORK/compact2/14999_highrisk_standard_001.pdf" \
  || fail "compact PDFs differ between two runs"
qpdf --check "$WORK/compact/14999_highrisk_standard_001.pdf" >/dev/null || fail "qpdf --check fails"
pass "compact PDFs: $compact bytes instead of $plain, byte-identical across runs"
