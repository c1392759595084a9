#!/bin/sh
# The Japan Post mailing plan of a 2,500-letter run (issue 17): two
# municipalities (1,500 and 1,003 letters of the production letter with its
# customer barcode), three letters of the second with a 代表番号 and so no
# barcode, and a postal dictionary whose column 2 (郵便区番号) is filled, with
# 5-digit 郵便区 in 藤沢市.  mailing-plan.csv is checked against counts
# computed here, independently, from manifest.csv and that dictionary:
# postings per municipality and weight class, pieces by sheets with their
# weight and thickness, the barcode and 区分 verdicts, the letters without a
# barcode by id, and the pieces per 郵便区 and batch file in sorted order.
# The one-page PDF and SHA256SUMS are checked too.
. "$(dirname "$0")/../lib/common.sh"
gen=${TEGAMI_SHARED:-}/gen_targets.py
if [ -z "${TEGAMI_SHARED:-}" ] || [ ! -f "$gen" ] || ! command -v python3 >/dev/null; then
  echo "skipped: TEGAMI_SHARED/gen_targets.py or python3 not found"
  exit 77
fi
python3 "$gen" --rows 1500 --seed 11 --type highrisk >"$WORK/a.csv" 2>/dev/null
python3 "$gen" --rows 1000 --seed 12 --type highrisk >"$WORK/b.csv" 2>/dev/null
# three people at a 代表番号 (以下に掲載がない場合): no customer barcode
sed -n 2,4p "$WORK/b.csv" | awk -F, 'BEGIN { OFS = "," } { $3 = "9999999990" NR; $9 = "252-0000"; $10 = "神奈川県座間市見本町1番" NR; print }' \
  >>"$WORK/b.csv"
# the dictionary with 郵便区番号: 5 digits in 藤沢市, "NNN  " elsewhere
awk -F, 'BEGIN { OFS = "," } { c = substr($3, 2, 7); $2 = ($8 ~ /^"藤沢市/) ? "\"" substr(c, 1, 5) "\"" : "\"" substr(c, 1, 3) "  \""; print }' \
  "$TEGAMI_SRC/locales/ja/postal/KEN_ALL-kanagawa.csv" >"$WORK/ken_all.csv"
cat >"$WORK/job.yaml" <<YAML
kind: job
id: mailing-plan-test
date: 2026-10-01
postal: ken_all.csv
design: $TEGAMI_SRC/layouts/highrisk.yaml
output:
  compact: false
  batch-size: 1000
mailing:
  envelope: naga3
  envelope-grams: 5.2
  paper-gsm: 70
municipalities:
YAML
for m in a:14901:見本市 b:14902:試験町; do
  f=${m%%:*}; rest=${m#*:}; id=${rest%%:*}; name=${rest#*:}
  cat >>"$WORK/job.yaml" <<YAML
  - id: "$id"
    name: $name
    sender: {department: 保険年金課, section: 国保健康係, phone: 046-000-0000, fax: 046-000-0001,
             hours: 平日 8時30分～17時15分, address: 〒000-0000 見本市本町1-1}
    values: {clinic_url: "https://example.jp/clinics", deadline: 2026-12-25,
             highrisk_visit_share: "", dropout_visit_share: ""}
    lists:
      - file: $f.csv
        type: highrisk
YAML
done
set +e
"$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out" -j 2 >"$WORK/run.out" 2>"$WORK/run.err"
rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { tail -20 "$WORK/run.err" >&2; fail "run exited $rc"; }
out=$WORK/out
[ -f "$out/mailing-plan.csv" ] && [ -f "$out/mailing-plan.pdf" ] || fail "no mailing plan written"
pass "mailing-plan.csv and mailing-plan.pdf written"

python3 - "$out/manifest.csv" "$WORK/ken_all.csv" "$out/mailing-plan.csv" <<'PY' || fail "the plan does not match the manifest"
import csv, sys
from collections import defaultdict
manifest, kenall, plan = sys.argv[1:4]
kubun = {}
for row in csv.reader(open(kenall, encoding="utf-8")):
    kubun.setdefault(row[2], row[1].strip())
sheet_g = 70 * 0.210 * 0.297              # paper-gsm over A4
def piece(sheets):
    g = 5.2 + sheets * sheet_g
    mm = 0.4 + sheets * 3 * 0.09          # default thicknesses, three panels
    cls = "定形外" if g > 50 or mm > 10 else "定形50g" if g > 25 else "定形25g"
    return g, mm, cls
post = {}                                  # (municipality, class) -> counts
def new():
    return {"pieces": 0, "barcoded": 0, "first": None, "last": 0, "sheets": defaultdict(int),
            "kubun": defaultdict(list), "missing": [], "g": 0, "mm": 0}
rows = list(csv.DictReader(open(manifest, encoding="utf-8", newline="")))
assert len(rows) >= 2500, len(rows)
for r in rows:
    seq = int(r["sequence"])
    sheets = int(r["page_count"]) + int(r["blank_pages"])   # simplex
    g, mm, cls = piece(sheets)
    p = post.setdefault((r["municipality"], cls), new())
    p["pieces"] += 1
    p["barcoded"] += r["customer_barcode"] == "yes"
    p["first"] = p["first"] or seq
    p["last"] = seq
    p["sheets"][sheets] += 1
    p["g"], p["mm"] = max(p["g"], g), max(p["mm"], mm)
    k = kubun[r["postal_code"].replace("-", "")]
    p["kubun"][(k, r["batch_file"])].append(seq)
    if r["customer_barcode"] == "no":
        p["missing"].append((r["letter_id"], r["batch_file"], seq))
want = []
for n, key in enumerate(sorted(post), 1):
    muni, cls = key
    p = post[key]
    shape = cls != "定形外" and p["mm"] <= 6
    bv = "yes" if shape and p["barcoded"] == p["pieces"] >= 1000 else \
         "set-aside" if shape and p["barcoded"] >= 1000 else "no"
    kv = "yes" if p["pieces"] >= 2000 else "no"
    base = ["%d" % n, muni, "長形3号", cls]
    want.append(["posting"] + base + ["", "", str(p["first"]), str(p["last"]), str(p["pieces"]),
                 str(p["barcoded"]), "%.1f" % p["g"], "%.2f" % p["mm"], bv, kv])
    for s in sorted(p["sheets"]):
        g, mm, _ = piece(s)
        want.append(["sheets"] + base + [str(s), "", "", "", str(p["sheets"][s]), "",
                     "%.1f" % g, "%.2f" % mm, "", ""])
    # 郵便区 in sorted order, split at batch files (batch files sort in print order here)
    for (k, b) in sorted(p["kubun"]):
        seqs = p["kubun"][(k, b)]
        want.append(["kubun"] + base + [k, b, str(min(seqs)), str(max(seqs)), str(len(seqs)), "",
                     "", "", "", ""])
    for (lid, b, seq) in p["missing"]:
        want.append(["no-barcode"] + base + [lid, b, str(seq), str(seq), "1", "0", "", "", "", ""])
got = list(csv.reader(open(plan, encoding="utf-8", newline="")))
assert got[0][:6] == ["section", "posting", "municipality", "envelope", "class", "key"], got[0]
got = got[1:]
# the barcoded count of sheets and kubun rows is checked by sum only
for g in got:
    if g[0] in ("sheets", "kubun"):
        g[10] = ""
if got != want:
    for a, b in zip(got, want):
        if a != b:
            print("plan:  ", a, "\nwanted:", b, file=sys.stderr)
            break
    print(len(got), "rows, wanted", len(want), file=sys.stderr)
    sys.exit(1)
# letters are in 区分 order within each batch: 郵便区番号, then postal code
# (藤沢市's 5-digit 郵便区 would otherwise sit inside 252 and 251), so each
# 郵便区 of a batch is one run of the manifest
for b in {r["batch_file"] for r in rows}:
    keys = [(kubun[r["postal_code"].replace("-", "")], r["postal_code"]) for r in rows if r["batch_file"] == b]
    assert keys == sorted(keys), "batch %s is not in 郵便区 order" % b
for w in want:
    if w[0] == "kubun":
        assert int(w[8]) - int(w[7]) + 1 == int(w[9]), w
# what the test set out to show
verdicts = {(w[2], w[13]) for w in want if w[0] == "posting"}
assert ("14901", "yes") in verdicts or ("14901", "set-aside") in verdicts, verdicts
assert ("14902", "set-aside") in verdicts, verdicts
assert sum(1 for w in want if w[0] == "no-barcode") >= 3
assert any(len(w[5]) == 5 for w in want if w[0] == "kubun"), "no 5-digit 郵便区"
assert any(w[0] == "posting" and w[14] == "no" for w in want)
print("postings:", sorted(verdicts), file=sys.stderr)
PY
pass "mailing-plan.csv agrees with counts computed from manifest.csv and KEN_ALL column 2"

# the 代表番号 letters are named in the CSV and on the page
for lid in $(awk -F, '$1 == "no-barcode" { print $6 }' "$out/mailing-plan.csv"); do
  pdftotext -enc UTF-8 "$out/mailing-plan.pdf" - | tr -d '\n' | grep -q "$lid" || fail "$lid not on the page"
done
[ "$(pdfinfo "$out/mailing-plan.pdf" | awk '/^Pages:/ { print $2 }')" = 1 ] || fail "the plan is not one page"
pdfinfo "$out/mailing-plan.pdf" | grep -q 'A4' || fail "the plan is not A4"
pass "one A4 page naming the letters without a barcode"

cd "$out"
grep -q ' mailing-plan.csv$' SHA256SUMS && grep -q ' mailing-plan.pdf$' SHA256SUMS \
  || fail "SHA256SUMS does not cover the plan"
sha256sum -c SHA256SUMS >/dev/null || fail "SHA256SUMS does not verify"
[ "$(stat -c %a mailing-plan.csv)" = 600 ] || fail "mailing-plan.csv is not private"
pass "the plan is in SHA256SUMS, private"
# the batch PDFs are big: spare the suite's glyph sweep (the plan's page stays)
rm -f "$out"/14*.pdf

# pieces over the 定形 limits are planned as 定形外 with a warning, not an
# error; the same job gives the same plan, byte for byte
mkdir "$WORK/small"
cp "$TEGAMI_SRC"/tests/golden/customer-barcode/job.yaml "$TEGAMI_SRC"/tests/golden/customer-barcode/design.yaml \
  "$TEGAMI_SRC"/tests/golden/customer-barcode/list.csv "$WORK/small/"
printf 'mailing: {envelope: naga3, sheet-grams: 46}\n' >>"$WORK/small/job.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/small/job.yaml" -o "$WORK/s1"
grep -q 'warning: posting 1 (municipality 14999): 6 letters .* 定形外 .*\[mailing.teikeigai\]' "$WORK/last.err" \
  || { cat "$WORK/last.err" >&2; fail "no 定形外 warning"; }
grep -q '^posting,1,14999,長形3号,定形外,,,1,6,6,4,51.0,0.67,no,no' "$WORK/s1/mailing-plan.csv" \
  || fail "the heavy pieces are not planned as 定形外"
expect_exit 0 "$TEGAMI" run "$WORK/small/job.yaml" -o "$WORK/s2"
cmp "$WORK/s1/mailing-plan.csv" "$WORK/s2/mailing-plan.csv" && cmp "$WORK/s1/mailing-plan.pdf" "$WORK/s2/mailing-plan.pdf" \
  || fail "the plan differs between two runs of the same job"
pass "over 50 g: 定形外 with a warning; the plan is deterministic"
