#!/bin/sh
# The follow-up after the letters, end to end (docs/followup.md): the sample
# A/B job is run; calls are planned from a synthetic phone list; two rounds
# of outcomes are recorded, with bad rows that must be reported by row and
# column and a retry that repeats its weekday and band; returned letters are
# recorded; each new plan lists only the people still open, with their next
# attempt on another weekday and in another band; the 第1号様式 is rendered
# and its figures are checked against the manifest and the ledgers, its text
# word for word against a golden.  The vendor's folder holds no staff file.
. "$(dirname "$0")/../lib/common.sh"
DATA="$TEGAMI_SRC/tests/data/followup"
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
cd "$WORK"

expect_exit 0 "$TEGAMI" run "$TEGAMI_SRC/samples/experiment.yaml" -o out
# data minimisation: the staff files are in staff/, with their own checksums
[ -f out/staff/people.csv ] && [ -f out/staff/assignment.csv ] || fail "no staff record"
[ ! -e out/assignment.csv ] || fail "assignment.csv is in the vendor's folder"
grep -q 'staff' out/SHA256SUMS && fail "the vendor's SHA256SUMS lists staff files"
(cd out && sha256sum -c --quiet SHA256SUMS) || fail "vendor checksums"
(cd out/staff && sha256sum -c --quiet SHA256SUMS) || fail "staff checksums"
[ "$(stat -c %a out/staff)" = 700 ] || fail "staff/ is not 0700"
letters=$(($(wc -l <out/manifest.csv) - 1))
[ "$(($(wc -l <out/staff/people.csv) - 1))" = "$letters" ] || fail "people.csv != manifest"

# ---- round 1 -------------------------------------------------------------------------
expect_exit 2 "$TEGAMI" calls plan out -o calls
expect_exit 0 "$TEGAMI" calls plan out --phones "$DATA/phones.csv" -o calls
grep -q 'round 1: 60 people, 60 still open (11 without a phone number)' last.err || fail "plan 1 counts"
for f in calls/14999_calls_r1.pdf calls/14999_calls_r1.csv calls/people.csv calls/summary.json; do
  [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
done
grep -q '"command":"calls-plan"' audit.log || fail "calls plan is not in the audit log"
# deterministic: the same records give the same bytes
expect_exit 0 "$TEGAMI" calls plan out --phones "$DATA/phones.csv" -o calls-again
for f in 14999_calls_r1.pdf 14999_calls_r1.csv people.csv summary.json; do
  cmp -s "calls/$f" "calls-again/$f" || fail "$f differs between two identical plans"
done
expect_exit 2 "$TEGAMI" calls plan out --phones "$DATA/phones.csv" -o out/staff
# most urgent first: eGFR ascending among people with a number, no-number last
awk -F, 'NR > 1 && $9 != "電話番号なし" { print $16 }' calls/14999_calls_r1.csv >egfr
sort -n egfr | cmp -s - egfr || fail "the sheet is not ordered by eGFR"
tail -n 11 calls/14999_calls_r1.csv | grep -c '電話番号なし' | grep -qx 11 || fail "no-phone people are not last"
# a person keyed only by 被保険者番号 in the phone list got their number
grep -q '^,' "$DATA/phones.csv" || fail "the phone list has no line keyed by 被保険者番号 only"

# outcomes of round 1, at each person's first planned slot (week of 2026-10-05)
slot_time() { # "火 平日午前" WEEK → "2026-10-06 10:00"
  awk -v s="$1" -v w="$2" 'BEGIN {
    split(s, p, " "); d["月"] = 5; d["火"] = 6; d["水"] = 7; d["木"] = 8; d["金"] = 9; d["土"] = 10
    t = p[2] == "平日午前" ? "10:00" : p[2] == "平日夕方" ? "17:30" : "11:00"
    printf "2026-10-%02d %s", d[p[1]] + 7 * (w - 1), t }'
}
outcomes() { # CSV WEEK CODES... → one line per person with a number
  csv=$1 week=$2; shift 2
  printf 'key,datetime,nurse,code,notes\r\n'
  n=0
  tail -n +2 "$csv" | while IFS=, read -r order id key rest; do
    phone=$(echo "$rest" | cut -d, -f6)
    [ "$phone" = 電話番号なし ] && continue
    next=$(echo "$rest" | awk -F, '{ print $(NF-2) }')
    n=$((n + 1)); set -- "$@"
    code=$(echo "$CODES" | cut -d' ' -f$(( (n - 1) % $(echo "$CODES" | wc -w) + 1 )))
    printf '%s,%s,N%02d,%s,本人の話: 血圧の薬を飲み忘れる\r\n' "$key" "$(slot_time "$next" "$week")" $((n % 3 + 1)) "$code"
  done
}
CODES="予約済 不在 受診済 不在 受診しない 不在 拒否 番号違い" outcomes calls/14999_calls_r1.csv 1 >round1.csv
nophone=$(awk -F, '$9 == "電話番号なし" { print $3; exit }' calls/14999_calls_r1.csv)
{ cat round1.csv
  printf '99999999999,2026-10-06 10:00,N01,不在,\r\n'             # nobody of the plan
  printf '%s,2026-10-06 10:00,N01,留守,\r\n' "$nophone"           # not a code
  printf '%s,2026-09-30 10:00,N01,不在,\r\n' "$nophone"           # before the letter
  printf '%s,10/8 10時,N01,不在,\r\n' "$nophone"                   # not a date-time
  printf '%s,2026-10-07 14:00,N02,問合せ,通知の見方\r\n' "$nophone" # inbound
} >outcomes1.csv
good1=$(($(wc -l <round1.csv) - 1 + 1))
expect_exit 1 "$TEGAMI" calls record calls outcomes1.csv
grep -q "outcomes1.csv: row $((good1 + 1)), column key: .*\[calls.unknown-person\]" last.err || fail "unknown person not reported with its row"
grep -q "row $((good1 + 2)), column code: .*\[calls.unknown-code\]" last.err || fail "unknown code not reported"
grep -q "row $((good1 + 3)), column datetime: .*calls.before-letter" last.err || fail "a call before the letter is not reported"
grep -q "row $((good1 + 4)), column datetime: .*calls.bad-datetime" last.err || fail "a malformed date-time is not reported"
grep -q "^$good1 recorded, 0 already recorded, 4 rejected" last.err || fail "round 1 counts: $(tail -1 last.err)"
grep -q '血圧の薬' last.err audit.log && fail "notes reached a message or the audit log"
# recording the same file again adds nothing
expect_exit 1 "$TEGAMI" calls record calls outcomes1.csv
grep -q "^0 recorded, $good1 already recorded, 4 rejected" last.err || fail "a second record duplicated lines"

# ---- returned mail -------------------------------------------------------------------
a=$(sed -n 2p out/manifest.csv | cut -d, -f2); b=$(sed -n 3p out/manifest.csv | cut -d, -f2)
c=$(sed -n 4p out/manifest.csv | cut -d, -f2)
sed "s/LETTER_A/$a/; s/LETTER_B/$b/; s/LETTER_C/$c/" "$DATA/returns.csv" >returns.csv
# a file with nothing to record writes no ledger and names none in the audit log
printf 'letter_id,reason\nNO-SUCH-LETTER,宛所不明\n' >returns-none.csv
expect_exit 1 "$TEGAMI" returns record out returns-none.csv
[ ! -e out/staff/returns.csv ] || fail "an empty returns ledger was written"
expect_exit 0 "$TEGAMI" audit verify audit.log
expect_exit 1 "$TEGAMI" returns record out returns.csv
grep -q 'returns.csv: row 4, column letter_id: .*\[returns.unknown-letter\]' last.err || fail "unknown letter not reported"
grep -q 'returns.csv: row 5, column reason: .*\[returns.unknown-reason\]' last.err || fail "unknown reason not reported"
[ "$(($(wc -l <out/staff/returns.csv) - 1))" = 2 ] || fail "returns ledger should hold 2 letters"

# ---- round 2: only the open people, each on another weekday and band ----------------
expect_exit 0 "$TEGAMI" calls plan out --phones "$DATA/phones.csv" -o calls
closed=$(tail -n +2 round1.csv | grep -vc ',不在,' || true)
open2=$((60 - closed))
grep -q "round 2: 60 people, $open2 still open (11 without a phone number), 2 letters returned" last.err ||
  fail "plan 2 counts: $(grep round last.err)"
[ "$(($(wc -l <calls/14999_calls_r2.csv) - 1))" = "$open2" ] || fail "plan 2 lists closed people"
[ "$(grep -c '返戻\|宛所不明\|転居先不明' calls/14999_calls_r2.csv)" -ge 1 ] || true
# every retry differs from the last attempt in weekday and band
tail -n +2 calls/14999_calls_r2.csv | awk -F, '$20 > 0 {
  split($21, h, "[()]"); split(h[3], lb, " "); split($22, nx, " ")
  if (h[2] == nx[1] || lb[1] == nx[2]) { print "same slot: " $2; bad = 1 } }
  END { exit bad }' || fail "a retry repeats the weekday or band of the last attempt"
tail -n +2 calls/14999_calls_r2.csv | awk -F, '$20 > 0' | grep -q '不在' || fail "no attempt history on plan 2"

CODES="受診予定 不在" outcomes calls/14999_calls_r2.csv 2 >outcomes2.csv
# one more attempt a week later that repeats a person's last weekday and band:
# recorded, with a warning
rep=$(awk -F, 'NR == 2 { print $1 }' outcomes2.csv)
repslot=$(awk -F, -v k="$rep" '$1 == k { print $2 }' outcomes2.csv | awk '{ print $2 }')
repday=$(awk -F, -v k="$rep" '$1 == k { print substr($2, 9, 2) }' outcomes2.csv)
printf '%s,2026-10-%02d %s,N03,不在,\r\n' "$rep" $((repday + 7)) "$repslot" >>outcomes2.csv
expect_exit 0 "$TEGAMI" calls record calls outcomes2.csv
grep -q 'outcomes2.csv: row [0-9]*, column datetime: .*\[calls.same-slot\]' last.err || fail "a repeated slot is not reported"
expect_exit 0 "$TEGAMI" calls plan out --phones "$DATA/phones.csv" -o calls
[ -f calls/14999_calls_r3.pdf ] || fail "no round 3"

# the ledger is hash-chained: an edit is caught, and nothing is appended after it
cp calls/ledger.csv ledger.bak
sed -i '3s/不在/受診済/' calls/ledger.csv
expect_exit 3 "$TEGAMI" calls record calls outcomes2.csv
grep -q 'ledger.csv: row 4, column prev: .*\[ledger.broken\]' last.err || fail "an edited ledger is not caught"
cp ledger.bak calls/ledger.csv

# ---- the report ------------------------------------------------------------------------
expect_exit 0 "$TEGAMI" report out --calls calls --issuer "$DATA/issuer.yaml" -o report.pdf
[ -f report.json ] || fail "no report.json"
python3 - "$letters" <<'PY' || fail "report.json does not match the manifest and ledgers"
import csv, json, sys
r = json.load(open("report.json"))
manifest = list(csv.DictReader(open("out/manifest.csv", encoding="utf-8")))
returns = list(csv.DictReader(open("out/staff/returns.csv", encoding="utf-8")))
ledger = list(csv.DictReader(open("calls/ledger.csv", encoding="utf-8")))
calls = [e for e in ledger if e["code"] != "問合せ"]
t = r["total"]
assert t["letters_sent"] == len(manifest) == int(sys.argv[1]), t
assert t["letters_returned"] == len(returns) == 2, t
assert t["letters_net"] == len(manifest) - len(returns), t
assert t["calls_made"] == len(calls), t
assert t["inquiries"] == len(ledger) - len(calls) == 1, t
reached = {e["letter_id"] for e in calls if e["code"] in ("受診済", "予約済", "受診予定", "受診しない", "拒否")}
assert t["people_reached"] == len(reached), t
assert t["people_called"] == len({e["letter_id"] for e in calls}), t
assert r["reconciled"] is True and r["sources"]["ledger_entries"] == len(ledger)
assert sum(m["letters_net"] for m in r["municipalities"]) == t["letters_net"]
PY
pdftotext -layout report.pdf report.txt
if ! cmp -s report.txt "$DATA/report.txt"; then
  diff "$DATA/report.txt" report.txt >&2 || true
  [ -n "${TEGAMI_UPDATE_GOLDEN:-}" ] && cp report.txt "$DATA/report.txt"
  fail "the report's text differs from tests/data/followup/report.txt"
fi
# the report holds no name, key or number of a person
grep -q "$(sed -n 2p out/staff/people.csv | cut -d, -f4)" report.txt && fail "a name is in the report"
expect_exit 2 "$TEGAMI" report out --calls calls -o report.pdf
# several runs in one report (their letter ids overlap: each run is read on
# its own), the calls belonging to the run of their job
expect_exit 0 "$TEGAMI" run "$TEGAMI_SRC/samples/job.yaml" -o other
expect_exit 0 "$TEGAMI" report out other --calls calls --date 2027-03-31 -o both.pdf
other_letters=$(($(wc -l <other/manifest.csv) - 1))
grep -q "\"letters_sent\": $((letters + other_letters)), \"letters_returned\": 2" both.json ||
  fail "two runs are not summed"
grep -q "\"calls_made\": $(grep -o '"calls_made": [0-9]*' report.json | head -1 | grep -o '[0-9]*$')" both.json ||
  fail "the calls of two runs differ from those of one"
# a staff record changed after the run does not reconcile
cp out/staff/people.csv people.bak
sed -i '$d' out/staff/people.csv
expect_exit 3 "$TEGAMI" report out -o changed.pdf
grep -q 'people.csv does not match its checksum.*\[report.reconcile\]' last.err || fail "a changed staff record is not caught"
cp people.bak out/staff/people.csv
# a calls folder of a job not among the runs does not reconcile: nothing written
expect_exit 3 "$TEGAMI" report other --calls calls -o other.pdf
grep -q 'report.reconcile' last.err || fail "a calls folder of another job is not caught"
[ ! -e other.pdf ] || fail "a report was written although it did not reconcile"

# the evaluation leaves returned letters out and splits by call reached (secondary)
expect_exit 0 "$TEGAMI" evaluate out/staff/assignment.csv "$TEGAMI_SRC/samples/outcomes.csv" \
  --returns out --calls calls -o ev
grep -q '^returned letters: 2 people left out' last.out || fail "returned letters are not left out"
grep -q '^evaluation: 58 people' last.out || fail "the evaluated population is not 60 - 2"
grep -q '^secondary (not randomised): people a follow-up call reached' last.out || fail "no call split"
grep -q '^call-reached,' ev/evaluation.csv || fail "evaluation.csv has no call split"

# call sheets are encrypted when asked (as the job's letters would be)
printf 'follow-up-sheets-pw-0123\n' >pw && chmod 600 pw
expect_exit 0 "$TEGAMI" calls plan out --phones "$DATA/phones.csv" -o calls-enc --password-file pw
if command -v pdfinfo >/dev/null; then
  pdfinfo calls-enc/14999_calls_r1.pdf >/dev/null 2>&1 && fail "the call sheet is not encrypted"
  pdfinfo -upw follow-up-sheets-pw-0123 calls-enc/14999_calls_r1.pdf | grep -q 'Encrypted: *yes' ||
    fail "the call sheet does not open with its password"
fi

# ... and when the job encrypted its letters, without being asked again
sed "s|file: targets/|file: $TEGAMI_SRC/samples/targets/|; s|design: ../layouts/|design: $TEGAMI_SRC/layouts/|" \
  "$TEGAMI_SRC/samples/job.yaml" >enc.yaml
printf 'output:\n  encrypt: {password-env: FOLLOWUP_TEST_PW}\n' >>enc.yaml
export FOLLOWUP_TEST_PW=follow-up-job-pw-0123
expect_exit 0 "$TEGAMI" run enc.yaml -o enc
printf 'KDB個人番号,被保険者番号,電話番号,電話番号2\r\n' >nophones.csv
expect_exit 0 "$TEGAMI" calls plan enc --phones nophones.csv -o calls-job
grep -q 'round 1: 10 people, 10 still open (10 without a phone number)' last.err || fail "plan of enc"
if command -v pdfinfo >/dev/null; then
  pdfinfo calls-job/14999_calls_r1.pdf >/dev/null 2>&1 && fail "the job's call sheet is not encrypted"
  pdfinfo -upw "$FOLLOWUP_TEST_PW" calls-job/14999_calls_r1.pdf | grep -q 'Encrypted: *yes' ||
    fail "the job's call sheet does not open with the job's password"
fi
expect_exit 0 "$TEGAMI" purge calls-job

# purge removes the calls folders and the run with its staff folder
expect_exit 0 "$TEGAMI" purge calls
expect_exit 0 "$TEGAMI" purge calls-enc
expect_exit 0 "$TEGAMI" purge out
[ ! -e calls ] && [ ! -e calls-enc ] && [ ! -e out ] || fail "purge left a folder"
grep -q '"command":"purge".*staff/people.csv' audit.log || fail "the purge of the staff record is not in the audit log"
pass "follow-up: plan, record, returns, report"
