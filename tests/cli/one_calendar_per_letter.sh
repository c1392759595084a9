#!/bin/sh
# Every letter of every shipped design, proofed for the shipped personas,
# writes its dates in one calendar: a letter that shows a 和暦 date (令和8年…)
# shows no 西暦 date (2026年…), and the other way round.  Static layers are
# written once in the trace and count for every letter that uses them.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
check_trace() {
  awk '
    function mark(s) {
      if (s ~ /[0-9][0-9][0-9][0-9]年[0-9]/) w[cur] = 1
      if (s ~ /(明治|大正|昭和|平成|令和)[0-9元]+年/) j[cur] = 1
    }
    /^letter / { letter = $3; cur = letter; next }
    /^layer / { cur = "layer " $2; next }
    /^page / {
      cur = letter
      for (i = 1; i <= NF; i++) if ($i ~ /^layer=/) { l = "layer " substr($i, 7); uses[letter, l] = 1; layers[l] = 1 }
      next
    }
    { mark($0) }
    END {
      for (k in uses) {
        split(k, p, SUBSEP)
        if (w[p[2]]) w[p[1]] = 1
        if (j[p[2]]) j[p[1]] = 1
      }
      bad = 0
      for (k in w) if (k !~ /^layer / && (k in j)) { print "both calendars: " k; bad = 1 }
      exit bad
    }' "$1"
}
for design in layouts/*.yaml; do
  grep -q '^kind: design' "$design" || continue
  name=$(basename "$design" .yaml)
  expect_exit 0 "$TEGAMI" proof "$design" --personas samples/personas.yaml --no-pdf \
    --trace "$WORK/$name.trace" -o "$WORK/$name"
  check_trace "$WORK/$name.trace" >"$WORK/mixed.txt" || fail "$name: $(cat "$WORK/mixed.txt")"
  pass "$name: one calendar per letter"
done
# the check sees a mixed letter: the easy deadline in 西暦 again
cp -r layouts "$WORK/layouts"
sed -i 's/{{municipality.deadline | wareki}}までに {行|い}って/{{municipality.deadline | date}}までに {行|い}って/' \
  "$WORK/layouts/dropout.yaml"
expect_exit 0 "$TEGAMI" proof "$WORK/layouts/dropout.yaml" --personas samples/personas.yaml --no-pdf \
  --trace "$WORK/mixed.trace" -o "$WORK/mixed"
if check_trace "$WORK/mixed.trace" >"$WORK/mixed.txt"; then fail "a mixed letter was not seen"; fi
grep -q 'easy' "$WORK/mixed.txt" || fail "the mixed letters are not the easy ones: $(cat "$WORK/mixed.txt")"
pass "a letter with both calendars is found ($(wc -l <"$WORK/mixed.txt") letters)"
