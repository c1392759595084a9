#!/bin/sh
# Window envelopes: a long address shrinks to stay in what the window always
# shows; one that cannot is rejected by row (never printed where the
# envelope hides it), and `check` finds it before anything is printed.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
CASE=tests/golden/envelope-window
mkdir -p "$WORK/job"
cp "$CASE/design.yaml" "$WORK/job/"
sed 's/^id: .*/id: envelope-cli/' "$CASE/job.yaml" >"$WORK/job/job.yaml"
{
  cat "$CASE/list.csv"
  # three address lines at the smallest size and a name that wraps: too deep for a 45 mm window
  echo '14000000003,長谷川原田小野寺佐々木　美智子江里佳奈子,2520001,神奈川県座間市相模が丘1丁目2番3号　サンハイツ相模が丘グランドパークレジデンスイーストウイング北棟1205号室'
} >"$WORK/job/list.csv"

expect_exit 1 "$TEGAMI" check "$WORK/job/job.yaml"
grep -q 'list.csv: row 4: error: .* address block .recipient. .*window.*\[layout.window-' \
  "$WORK/last.err" || fail "check does not name the row whose address the window would hide"

expect_exit 1 "$TEGAMI" run "$WORK/job/job.yaml" -o "$WORK/out"
grep -q ',4,14000000003,,layout.window-' "$WORK/out/rejected.csv" || fail "not in rejected.csv"
grep -q '長谷川\|サンハイツ' "$WORK/last.err" "$WORK/out/rejected.csv" && fail "personal data in a message"
[ "$(grep -c 14999-1 "$WORK/out/manifest.csv")" = 2 ] || fail "the two letters that fit are not printed"
pass "an address the window would hide is rejected by row; the others print"
