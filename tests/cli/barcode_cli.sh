#!/bin/sh
# `tegami barcode`: the Japan Post customer barcode of one address — data
# string, check digit and bars as the manual shows them; no barcode for a
# 代表番号; clear usage errors.
. "$(dirname "$0")/../lib/common.sh"

# the manual's first example (p25), split after the town name
expect_exit 0 "$TEGAMI" barcode --postal 2630023 \
  --address "千葉市稲毛区緑町3丁目30-8 郵便ビル403号" --town 緑町
out="$WORK/last.out"
grep -qx 'address B:    3丁目30-8 郵便ビル403号' "$out" || fail "住所B is not split after the town"
grep -qx 'data:         26300233-30-8-403' "$out" || fail "wrong data string"
grep -qx 'symbols:      2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4' "$out" || fail "wrong symbols"
grep -qx 'check digit:  5' "$out" || fail "wrong check digit"
grep -qx 'bars:         FD FDA DAF DFA FTT FTT FDA DFA DFA TFT DFA FTT TFT ADF TFT FAD FTT DFA TDA TDA TDA FTF DF' "$out" \
  || fail "wrong bars"
grep -q '^size:         10pt: 79.85 x 3.50 mm' "$out" || fail "no 10pt size by default"
[ ! -s "$WORK/last.err" ] || fail "unexpected messages: $(cat "$WORK/last.err")"
pass "p25 緑町: data, check digit, bars"

# letters shown as letters, control codes in the symbol list
expect_exit 0 "$TEGAMI" barcode --postal 273-0102 \
  --address "千葉県鎌ケ谷市右京塚　東3丁目-20-5　郵便・A&bコーポB604号" --town 右京塚
grep -qx 'data:         27301023-20-5B604' "$WORK/last.out" || fail "letters not shown as the manual does"
grep -q ' 5 CC1 1 6 0 4 CC4 CC4$' "$WORK/last.out" || fail "letter B is not CC1 1"
grep -qx 'check digit:  0' "$WORK/last.out" || fail "wrong check digit for 右京塚"
pass "letters: 27301023-20-5B604, check digit 0"

# the case zint cannot encode: a letter's control code alone at position 20
expect_exit 0 "$TEGAMI" barcode --postal 9100067 --b "3丁目80-25　J1ビル2-B" --size 8pt
grep -qx 'data:         91000673-80-25J1-2+CC1  (cut to 20 positions)' "$WORK/last.out" || fail "no CC1 at 20"
grep -qx 'check digit:  9' "$WORK/last.out" || fail "wrong check digit for 新田塚"
grep -q '^size:         8pt: ' "$WORK/last.out" || fail "--size 8pt ignored"
pass "CC1 kept at position 20, check digit 9"

# data given directly (operator override)
expect_exit 0 "$TEGAMI" barcode --postal 6230011 --data 6-7LB106
grep -qx 'check digit:  4' "$WORK/last.out" || fail "--data: wrong check digit"
pass "--data encodes as given"

# an unconverted kanji numeral is flagged on stderr, without quoting the address
expect_exit 0 "$TEGAMI" barcode --postal 2630023 --address "千葉市稲毛区緑町三の二 見本荘" --town 緑町
grep -q 'character 11 of the address.*\[barcode.kanji-numeral\]' "$WORK/last.err" || fail "no kanji warning"
grep -q '見本' "$WORK/last.err" && fail "the address leaked into a message"
pass "kanji numeral warning names a position"

# 代表番号: no barcode, not an error; an address without its town: no barcode, exit 1
expect_exit 0 "$TEGAMI" barcode --postal 252-0000 --b "1-2"
grep -q '^no barcode:   representative postal code' "$WORK/last.out" || fail "代表番号 not reported"
grep -q '^bars' "$WORK/last.out" && fail "bars printed for a 代表番号"
expect_exit 0 "$TEGAMI" barcode --postal 0680400 --b 1 --town 以下に掲載がない場合
grep -q '^no barcode:' "$WORK/last.out" || fail "以下に掲載がない場合 not recognised"
expect_exit 1 "$TEGAMI" barcode --postal 2630023 --address "千葉市稲毛区小仲台1-1" --town 緑町
grep -q 'town-not-found' "$WORK/last.err" || fail "no diagnostic for a missing town"
pass "no barcode for 代表番号 (exit 0) and for an address without its town (exit 1)"

# without --town, the town names come from the postal dictionary a run uses
expect_exit 0 "$TEGAMI" barcode --postal 252-0029 --address "神奈川県座間市入谷西２丁目３番４号　コーポ入谷201号"
grep -qx 'data:         25200292-3-4-201' "$WORK/last.out" || fail "town not found through the dictionary"
expect_exit 0 "$TEGAMI" barcode --postal 2520000 --address "神奈川県座間市座間一丁目3500番地"
grep -q '^no barcode:   representative' "$WORK/last.out" || fail "以下に掲載がない場合 from the dictionary not recognised"
expect_exit 3 "$TEGAMI" barcode --postal 2520029 --address "神奈川県座間市入谷西2" --postal-dict "$WORK/none.csv"
pass "--address alone: towns from the postal dictionary"

# usage errors
expect_exit 2 "$TEGAMI" barcode --b 1
grep -q 'needs --postal' "$WORK/last.err" || fail "no message for a missing --postal"
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --address "千葉市稲毛区緑町3" \
  --postal-dict "$TEGAMI_SRC/locales/ja/postal/KEN_ALL-kanagawa.csv"
grep -q 'not in the postal dictionary' "$WORK/last.err" || fail "no message for a code missing from the dictionary"
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --b 1 --data 1
expect_exit 2 "$TEGAMI" barcode --postal 2630023
expect_exit 2 "$TEGAMI" barcode --postal 26300 --b 1
grep -q '7-digit postal code' "$WORK/last.err" || fail "no message for a bad postal code"
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --b 1 --size 12pt
grep -q 'between 8pt and 11.5pt' "$WORK/last.err" || fail "no message for a bad size"
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --b 1 --size 10mm
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --b 1 --dpi 72
grep -q 'barcode.dpi' "$WORK/last.err" || fail "no message for a coarse device"
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --data 3丁目
expect_exit 2 "$TEGAMI" barcode --postal 2630023 --b 1 --bogus
expect_exit 2 "$TEGAMI" barcode --postal
pass "usage errors exit 2 with a message"
