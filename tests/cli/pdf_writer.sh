#!/bin/sh
# The letters' PDF writer (issue 17, docs/architecture.md): a run writes its
# letter batches with tegami's own writer — valid (qpdf --check), PNG images
# as image XObjects, object streams by default and a classic
# cross-reference with `compact: false`, the same text and pages either way
# — and falls back to Cairo for a design that draws an SVG image, which only
# Cairo can replay.
. "$(dirname "$0")/../lib/common.sh"
cp "$TEGAMI_SRC"/tests/golden/design-every-block/* "$WORK/"
producer() { pdfinfo "$1" | sed -n 's/^Producer: *//p'; }

# with the SVG: Cairo
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/svg"
pdf=$(ls "$WORK"/svg/*.pdf | head -1)
producer "$pdf" | grep -q '^cairo' || fail "a design with an SVG was not written by Cairo: $(producer "$pdf")"
pass "a design with an SVG image: the batch goes through Cairo"

# without it: the own writer, PNG included
awk '/- type: image/ && !done { getline n; if (n ~ /clinic-mark/) { getline; getline; done = 1; next }
       print; print n; next } { print }' "$WORK/design.yaml" >"$WORK/d.yaml"
grep -q 'clinic.svg' "$WORK/d.yaml" && fail "the SVG block is still in the design"
mv "$WORK/d.yaml" "$WORK/design.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/own"
pdf=$(ls "$WORK"/own/*.pdf | head -1)
producer "$pdf" | grep -q '^tegami' || fail "not the own writer: $(producer "$pdf")"
qpdf --check "$pdf" >"$WORK/check" 2>&1 || { cat "$WORK/check" >&2; fail "qpdf --check"; }
pdfimages -list "$pdf" | awk 'NR > 2 && $3 == "image" { n++ } END { exit !(n >= 1) }' \
  || fail "the PNG is not an image XObject"
grep -a -q '/Type */XRef' "$pdf" || fail "compact: no cross-reference stream"
pdftotext "$pdf" "$WORK/own.txt"
pass "no SVG: own writer, qpdf --check clean, the PNG as an image, object streams"

# compact: false — a classic cross-reference table, the same text and pages
printf 'output: {compact: false}\n' >>"$WORK/job.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/plain"
plain=$(ls "$WORK"/plain/*.pdf | head -1)
qpdf --check "$plain" >/dev/null 2>&1 || fail "qpdf --check (compact: false)"
grep -a -q '^xref' "$plain" || fail "compact: false has no classic xref table"
pdftotext "$plain" "$WORK/plain.txt"
cmp -s "$WORK/own.txt" "$WORK/plain.txt" || fail "compact and plain files give different text"
[ "$(pdfinfo "$pdf" | grep '^Pages:')" = "$(pdfinfo "$plain" | grep '^Pages:')" ] || fail "page counts differ"
pass "compact: false — classic xref table, same text and pages"
