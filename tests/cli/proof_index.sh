#!/bin/sh
# `tegami proof` draws every variant × segment × arm of both production
# letters for the sample personas; every segment is reached; index.html marks
# the text that differs between arms; it refers to nothing outside its
# folder, and opened from disk in headless Chromium every proof image loads
# (and a missing one is noticed).  The proofs are kept in the build tree,
# tests/proofs/<design>/, to be looked at.
. "$(dirname "$0")/../lib/common.sh"
start=$(pwd)
cd "$TEGAMI_SRC"
for design in highrisk dropout; do
  out="$WORK/$design"
  expect_exit 0 "$TEGAMI" proof "layouts/$design.yaml" --personas samples/personas.yaml -o "$out"
  grep -q 'proof.uncovered' "$WORK/last.err" && fail "$design: a segment has no persona"
  npng=$(find "$out/pages" -name '*.png' | wc -l)
  npdf=$(find "$out/pages" -name '*.pdf' | wc -l)
  # 2 variants × 2 arms per persona, 2 pages per letter
  [ "$npdf" -ge 12 ] && [ "$npng" = $((npdf * 2)) ] || fail "$design: $npdf PDFs and $npng PNGs"
  grep -q '<del>' "$out/index.html" && grep -q '<ins>' "$out/index.html" \
    || fail "$design: index.html marks no difference between the arms"
  grep -q 'no persona reaches' "$out/index.html" && fail "$design: index.html shows an unreached segment"
  # self-contained: no link, stylesheet, script or image from elsewhere
  if grep -Eq '(src|href)="(https?:|//|/)|<link|@import|url\(' "$out/index.html"; then
    fail "$design: index.html refers to something outside its folder"
  fi
  pass "$design: $npdf letters, $npng pages, differences marked, self-contained"
  mkdir -p "$start/proofs" && rm -rf "$start/proofs/$design" && cp -r "$out" "$start/proofs/$design"
done
expect_exit 2 "$TEGAMI" proof layouts/highrisk.yaml --personas samples/personas.yaml -o "$WORK/highrisk"
grep -q 'output.exists' "$WORK/last.err" || fail "proofs were replaced without --force"
pass "proofs kept in $start/proofs"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is not installed (apt-get install chromium): skipped"
  exit 77
fi
# open a page from disk, let it run, print its DOM
open_page() {
  rm -rf "$WORK/profile"
  HOME="$WORK" timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --disable-dev-shm-usage --user-data-dir="$WORK/profile" --virtual-time-budget=30000 \
    --dump-dom "file://$1" 2>"$WORK/chromium.err"
}
body_attr() { sed -n "s/.*<body[^>]* $2=\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -1; }
for design in highrisk dropout; do
  out="$WORK/$design"
  open_page "$out/index.html" >"$WORK/dom.html" || { cat "$WORK/chromium.err" >&2; fail "chromium failed"; }
  npng=$(find "$out/pages" -name '*.png' | wc -l)
  state=$(body_attr "$WORK/dom.html" data-state)
  loaded=$(body_attr "$WORK/dom.html" data-loaded)
  failed=$(body_attr "$WORK/dom.html" data-failed)
  [ "$state" = complete ] && [ "$loaded" = "$npng" ] && [ "$failed" = 0 ] \
    || fail "$design: state=$state loaded=$loaded failed=$failed of $npng images"
  pass "$design: Chromium loaded all $loaded proof images from disk"
done
# the check notices an image that is not there
cp -r "$WORK/dropout" "$WORK/broken"
rm "$(find "$WORK/broken/pages" -name '*.png' | sort | head -1)"
open_page "$WORK/broken/index.html" >"$WORK/dom.html" || fail "chromium failed"
[ "$(body_attr "$WORK/dom.html" data-failed)" = 1 ] && [ "$(body_attr "$WORK/dom.html" data-state)" = complete ] \
  || fail "a missing image was not noticed"
pass "a missing proof image is noticed"
