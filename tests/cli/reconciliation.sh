#!/bin/sh
# Nothing lost: every row is rendered, excluded by a stated rule (duplicate
# person, the municipality's exclusion list) or rejected with a reason, and
# the counts reconcile per list.  No name, address or health value appears in
# rejected.csv, the summaries or any message.
. "$(dirname "$0")/../lib/common.sh"
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 6
  # rejected: a postal code that does not exist; a value out of range; a row with too few fields
  printf '99,0000007,14000000007,見本　七郎,ﾐﾎﾝ ｼﾁﾛｳ,男,70,S31.05.02,999-9999,神奈川県座間市入谷東1丁目7番1号,140,88,101,5.7,197,55.0,4050718\r\n'
  printf '99,0000008,14000000008,見本　八郎,ﾐﾎﾝ ﾊﾁﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目8番1号,940,88,101,5.7,197,55.0,4050718\r\n'
  printf '99,0000009,14000000009,見本　九郎\r\n'
} >"$WORK/highrisk.csv"
DROPOUT_HEADER='被保険者記号,被保険者番号,KDB個人番号,氏名,氏名カナ,性別,年齢,生年月日,郵便番号,住所,1年前受診状況_高血圧症,1年前受診状況_糖尿病性を除く腎症,2年前受診状況_高血圧症,2年前受診状況_糖尿病性を除く腎症,3年前受診状況_高血圧症,3年前受診状況_糖尿病性を除く腎症'
{ printf '%s\r\n' "$DROPOUT_HEADER"
  # the same person as row 2 of the high-risk list: one letter per person
  printf '99,0000001,14000000001,見本　1郎,ﾐﾎﾝ ﾀﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目1番1号,,,○,,○,\r\n'
  printf '99,0000101,14000000101,試験　花子,ｼｹﾝ ﾊﾅｺ,女,70,S31.05.02,252-0001,神奈川県座間市相模が丘1丁目2番3号,,,○,,○,\r\n'
  printf '99,0000102,14000000102,試験　次郎,ｼｹﾝ ｼﾞﾛｳ,男,70,S31.05.02,252-0003,神奈川県座間市ひばりが丘3丁目4番5号,,,,○,,○\r\n'
} >"$WORK/dropout.csv"
printf 'KDB個人番号,理由\r\n14000000003,入院中\r\n14000000102,転出予定\r\n' >"$WORK/exclude.csv"
JOB_EXCLUDE=$WORK/exclude.csv job_yaml reconcile \
  "$WORK/highrisk.csv" highrisk "$TEGAMI_SRC/layouts/highrisk-standard.yaml" \
  "$WORK/dropout.csv" dropout "$TEGAMI_SRC/layouts/dropout-standard.yaml" >"$WORK/job.yaml"
expect_exit 1 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out"
cp "$WORK/last.err" "$WORK/messages"
cd "$WORK/out"
# high-risk: 9 rows = 5 rendered + 1 excluded (exclusion list) + 3 rejected
python3 - <<'PY' || fail "counts do not reconcile"
import json
s = json.load(open("summary.json"))
hr, do = s["lists"]
assert (hr["read"], hr["rendered"], hr["excluded"], hr["rejected"]) == (9, 5, 1, 3), hr
assert hr["excluded_by_rule"] == {"duplicate": 0, "exclusion-list": 1}, hr
assert (do["read"], do["rendered"], do["excluded"], do["rejected"]) == (3, 1, 2, 0), do
assert do["excluded_by_rule"] == {"duplicate": 1, "exclusion-list": 1}, do
for l in (hr, do):
    assert l["read"] == l["rendered"] + l["excluded"] + l["rejected"], l
    # every line of the file, counted apart from the reader, is in the counts
    assert l["lines"] == l["header_lines"] + l["file_rows"] + l["blank"] + l["field_breaks"], l
assert (hr["lines"], hr["header_lines"], hr["field_breaks"]) == (10, 1, 0), hr
assert s["reconciled"] is True
t = s["totals"]
assert (t["read"], t["rendered"], t["excluded"], t["rejected"]) == (12, 6, 3, 3), t
PY
pass "9 + 3 rows = 6 rendered + 3 excluded (by rule) + 3 rejected, per list and in total"
grep -q 'excluded .* (duplicate person 1, exclusion list 2)' summary.txt || fail "summary.txt does not give the exclusion rules"
for code in data.postal-unknown data.range data.field-count; do
  grep -q "$code" rejected.csv || fail "rejected.csv lacks $code"
done
pass "each rejected row has its reason code"
# no personal data anywhere but the letters: names, addresses, values, exclusion reasons
for f in rejected.csv manifest.csv summary.json summary.txt "$WORK/messages"; do
  for v in 見本 試験 入谷東 相模が丘 ﾐﾎﾝ 入院中 転出予定 940; do
    grep -q "$v" "$f" && fail "'$v' appears in $(basename "$f")"
  done
done
pass "no name, address, value or exclusion reason in any report or message"
