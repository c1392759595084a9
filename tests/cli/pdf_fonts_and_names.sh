#!/bin/sh
# The sample job's PDF embeds every font as a subset (pdffonts), and the text
# layer holds each target's name (pdftotext): what a print vendor and a
# screen reader both rely on.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out"
for pdf in "$WORK"/out/*.pdf; do pdffonts "$pdf" | tail -n +3; done >"$WORK/fonts.body"
{ echo; echo; cat "$WORK/fonts.body"; } >"$WORK/fonts.txt"
nfonts=$(tail -n +3 "$WORK/fonts.txt" | wc -l)
[ "$nfonts" -gt 0 ] || fail "pdffonts lists no fonts"
# columns: name type [type2] encoding emb sub uni object ID: check emb/sub from the right;
# the customer barcode's bars are a Type 3 font of four glyph procedures (no subset to make)
tail -n +3 "$WORK/fonts.txt" | awk '/Type 3/ { if ($(NF-4) != "yes") { print "not embedded: " $0; bad=1 } next }
  { if ($(NF-4) != "yes" || $(NF-3) != "yes") { print "not embedded+subset: " $0; bad=1 } } END { exit bad }' \
  || fail "a font is not embedded as a subset"
pass "$nfonts fonts, all embedded and subset"
for pdf in "$WORK"/out/*.pdf; do pdftotext -enc UTF-8 "$pdf" -; done >"$WORK/text.txt"
# every name of both lists (column 氏名 = 4), spaces normalised
for list in samples/targets/highrisk.csv samples/targets/dropout.csv; do
  tail -n +2 "$list" | cut -d, -f4 | while read -r name; do
    plain=$(printf '%s' "$name" | sed 's/　/ /g')
    sed 's/　/ /g' "$WORK/text.txt" | grep -qF "$plain" || fail "name of a row of $list not found in the PDF text"
  done
done
pass "every target's name is in the PDF text"
