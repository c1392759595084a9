#!/bin/sh
# Record once, replay many: the static layer of a design is written once in
# the PDF (one form XObject), whether 1
# or 60 letters are rendered, and every page paints that same object.  Page
# content grows only by row-dependent items.
. "$(dirname "$0")/../lib/common.sh"
forms() { qpdf --qdf --object-streams=disable "$1" "$WORK/q.pdf" && grep -a -c '/Subtype /Form' "$WORK/q.pdf"; }
for n in 1 60; do
  { printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows "$n"; } >"$WORK/list$n.csv"
  write_job "$WORK/job$n.yaml" "$WORK/list$n.csv"
  expect_exit 0 "$TEGAMI" run "$WORK/job$n.yaml" -o "$WORK/out$n"
done
f1=$(forms "$WORK"/out1/*.pdf)
f60=$(forms "$WORK"/out60/*.pdf)
[ "$f1" -ge 1 ] || fail "no form object for the static layer"
[ "$f60" = "$f1" ] || fail "$f1 form objects for 1 letter but $f60 for 60: static content was repeated"
# every page's resources point at the same XObject (grep -a: the file holds
# binary font and ICC data; the static form's own nested QR form is named
# once, in the form's resources)
# every page draws the one form (`/x<n> Do` in its content stream)
refs=$(grep -a -o '/x[0-9]* Do' "$WORK/q.pdf" | sort | uniq -c | awk '$1 >= 60' | wc -l)
[ "$refs" = 1 ] || fail "pages draw $refs different XObjects"
pages=$(grep -a -c '^%% Page' "$WORK/q.pdf")
[ "$pages" = 60 ] || fail "expected 60 pages, found $pages"
s1=$(cat "$WORK"/out1/*.pdf | wc -c); s60=$(cat "$WORK"/out60/*.pdf | wc -c)
per=$(( (s60 - s1) / 59 ))
pass "$f1 form object(s) for 1 and for 60 letters; $per bytes per extra letter"
