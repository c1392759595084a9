#!/bin/sh
# Names as municipal lists deliver them (gen_targets.py --tricky): 髙橋, 﨑山,
# 𠮷田 (outside the BMP) and 渡邉 with an ideographic variation selector are
# printed with their own glyphs — the PDF's text gives each name back as
# written, the selector included, and the fallback font IPAmj明朝 is embedded
# — while a name no font can draw rejects its row with the code point and the
# column, listed up front by `tegami check`.  Through CP932 the list loses
# what Shift_JIS cannot hold (the selector; 𠮷 becomes 吉), by design.  Every
# PDF left here also goes through the suite's .notdef sweep (common.sh).
. "$(dirname "$0")/../lib/common.sh"
gen=${TEGAMI_SHARED:-}/gen_targets.py
if [ -z "${TEGAMI_SHARED:-}" ] || [ ! -f "$gen" ] || ! command -v python3 >/dev/null; then
  echo "skipped: TEGAMI_SHARED/gen_targets.py or python3 not found"
  exit 77
fi
python3 "$gen" --rows 200 --tricky --type highrisk --encoding utf-8 >"$WORK/list.csv" 2>/dev/null
# one more row whose name holds U+1F600, which no font of the set has
sed -n 2p "$WORK/list.csv" | awk -F, 'BEGIN { OFS = "," } { $3 = "99999999999"; $4 = "\360\237\230\200山　太郎"; print }' \
  >>"$WORK/list.csv"
bad_row=$(wc -l <"$WORK/list.csv")
write_job "$WORK/job.yaml" "$WORK/list.csv"

# 1. tegami check lists the unprintable row up front, by row, column and code point
expect_exit 1 "$TEGAMI" check "$WORK/job.yaml"
grep -q "list.csv: row $bad_row, column 氏名: error: U+1F600 in 氏名: .*\[data.glyph-missing\]" "$WORK/last.err" \
  || { cat "$WORK/last.err" >&2; fail "check does not name row $bad_row, 氏名 and U+1F600"; }

# 2. the run prints every other row and rejects that one with the same reason
expect_exit 1 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out"
[ "$(tail -n +2 "$WORK/out/rejected.csv" | wc -l)" = 1 ] || fail "expected exactly one rejected row"
grep -q ",$bad_row,99999999999,氏名,data.glyph-missing,\"U+1F600 in 氏名" "$WORK/out/rejected.csv" \
  || { cat "$WORK/out/rejected.csv" >&2; fail "rejected.csv does not name the code point and column"; }
# every name, as written (ideographic and ASCII spaces alike: pdftotext
# writes the space it sees), selectors and all
for pdf in "$WORK"/out/*.pdf; do pdftotext -enc UTF-8 "$pdf" -; done | sed 's/　/ /g' >"$WORK/text.txt"
tail -n +2 "$WORK/list.csv" | cut -d, -f4 | sed 's/　/ /g' >"$WORK/names.txt"
missing=0
while read -r name; do
  case "$name" in *"$(printf '\360\237\230\200')"*) continue ;; esac
  grep -qF "$name" "$WORK/text.txt" || { missing=$((missing + 1)); echo "not in the PDF text: row of $(grep -nF "$name" "$WORK/names.txt" | cut -d: -f1)" >&2; }
done <"$WORK/names.txt"
[ "$missing" = 0 ] || fail "$missing names are not in the PDF text as written"
printed=0
for hard in 髙橋 﨑山 "$(printf '\360\240\256\267')田" "$(printf '渡\351\202\211\363\240\204\200')"; do
  grep -q "^[^,]*,[^,]*,[^,]*,$hard" "$WORK/list.csv" || fail "the generator made no row for $hard"
  grep -qF "$hard" "$WORK/text.txt" || fail "$hard is not in the PDF text"
  printed=$((printed + 1))
done
[ "$printed" = 4 ] || fail "not every hard name was checked"
for pdf in "$WORK"/out/*.pdf; do pdffonts "$pdf"; done >"$WORK/fonts.txt"
grep -q "IPAmjMincho .* yes yes yes" "$WORK/fonts.txt" || fail "IPAmj明朝 is not embedded for the rare kanji"
pass "髙橋, 﨑山, 𠮷田 and 渡邉 with its selector print as written; U+1F600 rejects its row"

# 3. through CP932 the selector is lost before tegami sees it, and 𠮷 arrives
#    as a municipality's 外字 (user-defined F040), which rejects its row
python3 "$gen" --rows 200 --tricky --type highrisk --encoding cp932 >"$WORK/list932.csv" 2>/dev/null
write_job "$WORK/job932.yaml" "$WORK/list932.csv"
expect_exit 1 "$TEGAMI" run "$WORK/job932.yaml" -o "$WORK/out932"
[ "$(tail -n +2 "$WORK/out932/rejected.csv" | wc -l)" = 1 ] || fail "expected one rejected row in the CP932 list"
grep -q ",氏名,data.gaiji,\"\?user-defined character F040" "$WORK/out932/rejected.csv" \
  || { cat "$WORK/out932/rejected.csv" >&2; fail "the 外字 row is not rejected with its code"; }
for pdf in "$WORK"/out932/*.pdf; do pdftotext -enc UTF-8 "$pdf" -; done | sed 's/　/ /g' >"$WORK/text932.txt"
grep -qF "渡邉 " "$WORK/text932.txt" || fail "渡邉 is missing from the CP932 letters"
grep -qF "$(printf '\363\240\204\200')" "$WORK/text932.txt" && fail "a variation selector survived CP932"
grep -qF "$(printf '\360\240\256\267')" "$WORK/text932.txt" && fail "𠮷 survived CP932"
pass "a CP932 list prints what Shift_JIS could hold and rejects its 外字 by code"

# 4. printing an unprintable name in kana needs a design that says so
sed 's/    values: {clinic_url/    unprintable-names: kana\n    values: {clinic_url/' "$WORK/job.yaml" >"$WORK/job-kana.yaml"
expect_exit 3 "$TEGAMI" check "$WORK/job-kana.yaml"
grep -q "job.name-note-missing" "$WORK/last.err" || fail "unprintable-names: kana was accepted for a design without the note"
pass "unprintable-names: kana is refused for a design that never tells the reader"
