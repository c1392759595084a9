#!/bin/sh
# Black is K only (issue 17): every PDF of a default run — the letters, the
# label sheets and the mailing list — and the evaluation chart carry black and greys as DeviceGray,
# never as RGB (which a RIP separates into rich black), in every content
# stream: pages, form XObjects (the static layers), patterns and Type 3
# glyph procedures (the customer barcode); and Ghostscript's separation of
# page 1 puts the text and the barcode on the K plate only.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
sed "s#design: ../layouts/#design: $TEGAMI_SRC/layouts/#; s#file: targets/#file: $TEGAMI_SRC/samples/targets/#" \
  samples/job.yaml >"$WORK/job.yaml"
printf 'output: {labels: a-one-12, address-list: true}\n' >>"$WORK/job.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out"
# the evaluation chart too (tegami evaluate, a small synthetic experiment)
awk 'BEGIN {
  printf "letter_id,KDB個人番号,municipality,target_type,segment,variant,arm,date,stratum\r\n" > "'"$WORK"'/assignment.csv"
  printf "KDB個人番号,visit_date,医療機関コード\r\n" > "'"$WORK"'/outcomes.csv"
  for (i = 0; i < 200; i++) {
    printf "L%05d,%011d,14201,highrisk,all,standard,%s,2026-10-01,14201|highrisk|all\r\n", i, 40000000 + i, i < 100 ? "A" : "B" >> "'"$WORK"'/assignment.csv"
    if (i % 4 == 0) printf "%011d,2026-11-01,1310000001\r\n", 40000000 + i >> "'"$WORK"'/outcomes.csv"
  }
}'
expect_exit 0 "$TEGAMI" evaluate "$WORK/assignment.csv" "$WORK/outcomes.csv" -o "$WORK/ev" --window-days 180
cp "$WORK/ev/evaluation.pdf" "$WORK/out/"
n=0
mkdir "$WORK/qdf"
for pdf in "$WORK"/out/*.pdf; do
  qpdf --qdf --object-streams=disable "$pdf" "$WORK/qdf/$(basename "$pdf")"
  n=$((n + 1))
done
python3 tests/tools/pdf_colors.py "$WORK"/qdf/*.pdf >"$WORK/colors" \
  || { cat "$WORK/colors" >&2; fail "RGB black or grey left"; }
grep -q 'gray-operators [1-9]' "$WORK/colors" || fail "no DeviceGray drawn"
ls "$WORK"/out/*labels*.pdf "$WORK"/out/*addresses*.pdf >/dev/null || fail "no labels or mailing list"
pass "$n PDFs (letters, labels, mailing lists, chart): no RGB black or grey in any content stream"

if command -v gs >/dev/null; then
  pdf="$WORK/out/14999_highrisk_standard_001.pdf"
  gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=tiffsep -sCompression=none -r100 -dFirstPage=1 \
    -dLastPage=1 -sOutputFile="$WORK/sep.tif" "$pdf" || fail "gs tiffsep"
  set -- $(python3 tests/tools/plates.py "$WORK/sep")
  [ "$2" -gt 5000 ] || fail "page 1 has only $2 pixels of solid K-only ink"
  [ "$4" -eq 0 ] || fail "page 1 has $4 pixels of rich black (solid K with C, M or Y)"
  pass "separation of page 1: $2 pixels solid K only, no rich black"
else
  echo "skip: no Ghostscript for the separation"
fi
