#!/bin/sh
# The two 対象者リスト of the spec's annex, as a KDB export delivers them
# (tests/data/annex: CP932 TSV, title lines, 市町村名/該当者/作成 lines,
# grouped three-row headers, "9 9", spaced digits, half-width kana, 7-digit
# era dates, no 郵便番号 column, ages as of 令和07年09月), for two
# municipalities with an exclusion list: every row ends rendered or excluded
# by a named rule — postal codes derived from 住所 (one settled by the
# municipality's overrides file), ages checked at the lists' own date.
. "$(dirname "$0")/../lib/common.sh"
A=$TEGAMI_SRC/tests/data/annex
L=$TEGAMI_SRC/layouts
# the production letters: their segments cover the annex's 受診状況 marks
# (`tegami check` proves it; docs/design-format.md)
write_annex_job() { # $1: extra line for 秦野市, $2: extra line for 座間市's high-risk list
  cat <<YAML
kind: job
id: annex
date: 2026-01-15
municipalities:
  - id: "14216"
    name: 座間市
    sender: {department: 保険年金課, section: 国保健康係, phone: 046-000-0000, fax: 046-000-0001, hours: 平日}
    values: {clinic_url: "https://example.jp/clinics", deadline: "2026-03-31", highrisk_visit_share: 3割, dropout_visit_share: 4割}
    lists:
      - {file: $A/zama-highrisk.tsv, type: highrisk, profile: kdb-highrisk, design: $L/highrisk.yaml$2}
      - {file: $A/zama-dropout.tsv, type: dropout, profile: kdb-dropout, design: $L/dropout.yaml}
  - id: "14211"
    name: 秦野市
    sender: {department: 保険年金課, section: 国保健康係, phone: 0463-00-0000, fax: 0463-00-0001, hours: 平日}
    values: {clinic_url: "https://example.jp/clinics", deadline: "2026-03-31", highrisk_visit_share: 3割, dropout_visit_share: 4割}
    exclude: $A/hatano-exclude.csv
$1
    lists:
      - {file: $A/hatano-highrisk.tsv, type: highrisk, profile: kdb-highrisk, design: $L/highrisk.yaml}
      - {file: $A/hatano-dropout.tsv, type: dropout, profile: kdb-dropout, design: $L/dropout.yaml}
YAML
}

# 1. without the overrides file, the address that fits two codes is held
# (never printed with a guess); a reference date the job states (the end of
# the month) makes the age of a person born on 09-20 inconsistent
write_annex_job "" ", reference-date: 2025-09-30" >"$WORK/held.yaml"
expect_exit 1 "$TEGAMI" run "$WORK/held.yaml" -o "$WORK/held" --no-pdf
cut -d, -f3- "$WORK/held/rejected.csv" >"$WORK/held.txt"
grep -q '^14107777777,郵便番号,data.postal-ambiguous,the address fits 2 postal codes' "$WORK/held.txt" \
  || { cat "$WORK/held.txt" >&2; fail "the ambiguous address is not held with its code"; }
grep -q '^14006666666,年齢,data.age-mismatch,' "$WORK/held.txt" || fail "no age mismatch at 2025-09-30"
[ "$(wc -l <"$WORK/held.txt")" = 3 ] || { cat "$WORK/held.txt" >&2; fail "expected two rejections"; }
for f in "$WORK/held/rejected.csv" "$WORK/last.err"; do
  grep -q '栃窪' "$f" && fail "the address appears in $(basename "$f")"
done
pass "an undecidable postal code is held (data.postal-ambiguous, candidates, no address)"

# 2. with the municipality's overrides and the lists' own date: nobody rejected
write_annex_job "    postal-overrides: $A/hatano-postal.csv" "" >"$WORK/job.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out"
cd "$WORK/out"
[ "$(wc -l <rejected.csv)" = 1 ] || { cat rejected.csv >&2; fail "rows were rejected"; }
python3 - "$A" <<'PY' || fail "the letters do not match the lists"
import csv, json, sys
A = sys.argv[1]
s = json.load(open("summary.json"))
got = [(l["municipality"], l["type"], l["read"], l["rendered"], l["excluded"], l["rejected"])
       for l in s["lists"]]
assert got == [("14216", "highrisk", 3, 3, 0, 0), ("14216", "dropout", 4, 4, 0, 0),
               ("14211", "highrisk", 3, 3, 0, 0), ("14211", "dropout", 3, 2, 1, 0)], got
assert s["lists"][3]["excluded_by_rule"]["exclusion-list"] == 1, s["lists"][3]
# every letter's postal code is the one of its address (expected.csv, checked by hand)
expected = dict(csv.reader(open(f"{A}/expected.csv", encoding="utf-8")))
files = {("14216", "1"): "zama-highrisk", ("14216", "2"): "zama-dropout",
         ("14211", "1"): "hatano-highrisk", ("14211", "2"): "hatano-dropout"}
key_of = {}
for (muni, no), name in files.items():
    lines = open(f"{A}/{name}.tsv", encoding="cp932", newline="").read().split("\r\n")
    for i, line in enumerate(lines, 1):
        cells = line.split("\t")
        if len(cells) > 2 and cells[2].isdigit():
            key_of[(muni, no, i)] = cells[2]
seen = set()
for m in csv.DictReader(open("manifest.csv", encoding="utf-8")):
    muni, no, row = m["letter_id"].split("-")
    key = key_of[(muni, no, int(row))]
    seen.add(key)
    assert m["postal_code"] == expected[key], (key, m["postal_code"], expected[key])
    want = "overridden" if key == "14107777777" else "derived"
    assert m["postal_source"] == want, (key, m["postal_source"])
assert len(seen) == 12 and "14103333333" not in seen, seen
PY
pass "12 letters + 1 excluded by the key list; every postal code derived from 住所 (one overridden) and right"
if command -v pdftotext >/dev/null; then
  pdftotext 14211_highrisk_standard_001.pdf "$WORK/hatano.txt"
  for code in 257-0001 257-0018 257-0016; do
    grep -q "〒$code" "$WORK/hatano.txt" || fail "the letter does not print 〒$code"
  done
  pass "the letters print the derived and overridden codes"
fi

# 3. the example job of docs/targets.md ("Postal codes from addresses") runs
# as it is written, from a jobs/ folder beside layouts/ and locales/
mkdir -p "$WORK/doc/jobs"
ln -s "$TEGAMI_SRC/layouts" "$WORK/doc/layouts"
ln -s "$TEGAMI_SRC/locales" "$WORK/doc/locales"
for f in "$A"/*.tsv "$A"/*.csv; do ln -s "$f" "$WORK/doc/jobs/"; done
awk '/<!-- annex-job -->/ {on = 1; next} on && /^```yaml/ {in_block = 1; next}
     in_block && /^```/ {exit} in_block {print}' "$TEGAMI_SRC/docs/targets.md" >"$WORK/doc/jobs/job.yaml"
grep -q 'postal-overrides: hatano-postal.csv' "$WORK/doc/jobs/job.yaml" || fail "the example is not found"
expect_exit 0 "$TEGAMI" run "$WORK/doc/jobs/job.yaml" -o "$WORK/doc/out" --no-pdf
grep -c ',derived.$' "$WORK/doc/out/manifest.csv" | grep -qx 11 || fail "expected 11 derived codes"
grep -q ',257-0016,[a-z]*,overridden.$' "$WORK/doc/out/manifest.csv" || fail "the override is not used"
[ "$(wc -l <"$WORK/doc/out/rejected.csv")" = 1 ] || fail "the documented job rejects rows"
pass "the documented job runs: 12 letters, 11 codes derived and 1 overridden, nobody rejected"
