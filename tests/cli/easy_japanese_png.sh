#!/bin/sh
# What a reader sees: the easy-Japanese paragraph of tests/golden/easy-japanese
# rendered as a PNG matches its golden image within a tolerance (anti-aliasing
# may differ in the last bits between cairo/FreeType builds; a moved word or a
# lost reading does not pass).  The comparison must also tell a changed
# letter apart.  TEGAMI_UPDATE_GOLDEN=1 rewrites expected-1.png.
. "$(dirname "$0")/../lib/common.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
cd "$TEGAMI_SRC"
CASE=tests/golden/easy-japanese
compare=tests/lib/png_compare.py
expect_exit 0 "$TEGAMI" run "$CASE/job.yaml" -o "$WORK/out" --png --dpi 150
png=$(ls "$WORK"/out/proofs/*-0001.png)
if [ "${TEGAMI_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$png" "$CASE/expected-1.png"
  chmod 644 "$CASE/expected-1.png"
  echo "updated $CASE/expected-1.png"
  exit 0
fi
if ! python3 "$compare" "$CASE/expected-1.png" "$png"; then
  keep=${TMPDIR:-/tmp}/tegami-easy-japanese-actual.png
  cp "$png" "$keep"
  [ -f "$png.diff.png" ] && cp "$png.diff.png" "$keep.diff.png"
  fail "the easy-Japanese page differs from $CASE/expected-1.png (kept: $keep, $keep.diff.png)"
fi
# the same letter with one word written without its kanji must not match
mkdir "$WORK/changed"
cp "$CASE/job.yaml" "$CASE/list.csv" "$WORK/changed/"
sed 's/少し 弱く/すこし 弱く/' "$CASE/design.yaml" >"$WORK/changed/design.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/changed/job.yaml" -o "$WORK/out2" --png --dpi 150
set +e
python3 "$compare" "$CASE/expected-1.png" "$WORK"/out2/proofs/*-0001.png 2>/dev/null
code=$?
set -e
[ "$code" = 1 ] || fail "the comparison did not notice a changed word (exit $code)"
pass "the easy-Japanese page matches its golden image, and a changed word does not"
