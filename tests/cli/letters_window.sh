#!/bin/sh
# Privacy of the production letters: the panel that faces the window of the
# folded letter (0–99 mm of the A4) shows no health value, no diagnosis word
# and no chart — in every letter of the sample job, both variants, both list
# types (docs/letters.md, domain §D.3).
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out" --no-pdf --trace "$WORK/trace"
# every item of a letter's first page whose top is above the first fold (a
# static layer is listed just before the first page that uses it)
awk '/^letter /{ letter = $2; pg = 0 } /^layer /{ in_layer = 1; layer_page = pg + 1 }
     /^page /{ pg++; in_layer = 0 }
     /^  /{ on = in_layer ? layer_page : pg
            if (on == 1 && match($0, / y=[0-9.]+/)) { y = substr($0, RSTART + 3, RLENGTH - 3) + 0
              if (y < 99) print (in_layer ? "layer" : letter) ": " $0 } }' "$WORK/trace" >"$WORK/panel"
[ -s "$WORK/panel" ] || fail "no item found on the window panel"
grep -E '腎|血圧|血糖|糖尿|病気|eGFR|CKD|HbA1c|コレステロール|透析|治療|検査|判定|受診勧奨' "$WORK/panel" \
  && fail "a diagnosis word is on the window panel"
grep -E '^[^:]*:   (slot|rect|line) block=[a-z-]*(chart|results|history)' "$WORK/panel" \
  && fail "a chart is on the window panel"
# the health values of the sample rows (blood pressure, HbA1c, LDL, eGFR) are
# in no text above the fold
grep ':   text ' "$WORK/panel" | sed 's/^[^"]*"//; s/"$//' >"$WORK/panel-text"
for v in $(tail -n +2 samples/targets/highrisk.csv | cut -d, -f11,12,14,15,16 | tr ',' '\n' | sort -u); do
  n=$(printf '%s' "$v" | sed 's/\.0*$//; s/\(\.[0-9]\)0*$/\1/')
  grep -qF "$n" "$WORK/panel-text" && fail "a health value ($n) is on the window panel"
done
pass "$(wc -l <"$WORK/panel") items on the window panel, none of them health information"
