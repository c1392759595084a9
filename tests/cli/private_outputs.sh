#!/bin/sh
# Outputs hold personal data: every file tegami writes is 0600 and every
# folder it makes 0700, whatever the umask — here 000, under which a plain
# fopen() makes a world-readable 0666 file.  Covered: a run (PDFs, PNG
# proofs, --trace, labels, mailing list, assignment.csv, the reports), a
# check with --trace, a proof (PDFs, PNGs, index.html, --trace), an
# evaluation (CSV, text, chart PDF and PNG), a merge of shards, an encrypted
# file, the follow-up (staff folder, call sheets, ledgers, the report) and
# the audit log with its folder.  No temporary file is left behind.
. "$(dirname "$0")/../lib/common.sh"
umask 000
export TEGAMI_AUDIT_LOG="$WORK/audit/log/audit.log" # folders made by tegami
export TEGAMI_TEST_SALT=0123456789abcdef-test-salt
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 6; } >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
cat >>"$WORK/job.yaml" <<'JOB'
output:
  labels: a-one-12
  address-list: true
experiment:
  name: modes
  salt-env: TEGAMI_TEST_SALT
  arms: {loss: 1, gain: 1}
JOB

cd "$TEGAMI_SRC"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out" --png --trace "$WORK/run.trace"
expect_exit 0 "$TEGAMI" check "$WORK/job.yaml" --trace "$WORK/check.trace"
expect_exit 0 "$TEGAMI" proof layouts/highrisk.yaml --personas samples/personas.yaml \
  -o "$WORK/proofs" --trace "$WORK/proof.trace"
for k in 1 2; do
  expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/s$k" --shard "$k/2"
done
expect_exit 0 "$TEGAMI" merge "$WORK/s1" "$WORK/s2" -o "$WORK/merged"
printf 'a-long-enough-password-1234\n' >"$WORK/pw" && chmod 600 "$WORK/pw"
pdf=$(ls "$WORK/out"/*.pdf | head -1)
cp "$pdf" "$WORK/plain.pdf" && chmod 600 "$WORK/plain.pdf"
expect_exit 0 "$TEGAMI" encrypt "$WORK/plain.pdf" --password-file "$WORK/pw"
cd "$WORK"
printf 'KDB個人番号,visit_date\r\n%011d,2026-11-01\r\n' 14000000001 >outcomes.csv
expect_exit 0 "$TEGAMI" evaluate out/staff/assignment.csv outcomes.csv -o ev --window-days 180
printf 'KDB個人番号,被保険者番号,電話番号,電話番号2\r\n%011d,,046-000-0001,\r\n' 14000000001 >phones.csv
printf 'key,datetime,nurse,code,notes\r\n%011d,2030-01-07 10:00,N1,不在,\r\n' 14000000001 >calls-in.csv
printf 'letter_id,reason\r\n%s,宛所不明\r\n' "$(sed -n 2p out/manifest.csv | cut -d, -f2)" >returns-in.csv
expect_exit 0 "$TEGAMI" calls plan out --phones phones.csv -o calls
expect_exit 0 "$TEGAMI" calls record calls calls-in.csv
expect_exit 0 "$TEGAMI" returns record out returns-in.csv
expect_exit 0 "$TEGAMI" report out --calls calls --date 2030-03-31 -o report.pdf

# every path tegami made, and nothing else: the inputs this script wrote are
# left out by name
made=$(find "$WORK" -mindepth 1 ! -name list.csv ! -name job.yaml ! -name pw \
  ! -name outcomes.csv ! -name phones.csv ! -name calls-in.csv ! -name returns-in.csv ! -name 'last.*')
[ -f "$WORK/run.trace" ] && [ -f "$WORK/check.trace" ] && [ -f "$WORK/proof.trace" ] \
  || fail "a trace was not written"
[ -n "$(find "$WORK/out" -name '*.png')" ] && [ -n "$(find "$WORK/proofs" -name '*.png')" ] \
  && [ -f "$WORK/ev/evaluation.png" ] || fail "a PNG was not written"
ls "$WORK/out"/*label* "$WORK/out/staff/assignment.csv" "$WORK/out/staff/returns.csv" \
  "$WORK/calls/ledger.csv" "$WORK/report.json" >/dev/null 2>&1 || fail "no labels, assignment or follow-up"
bad=$(echo "$made" | while read -r p; do
  m=$(stat -c %a "$p")
  if [ -d "$p" ]; then want=700; else want=600; fi
  [ "$m" = "$want" ] || echo "$p is $m, not $want"
done)
[ -z "$bad" ] || fail "not private under umask 000:
$bad"
[ -z "$(find "$WORK" -name '.*.tmp-*')" ] || fail "temporary files were left behind"
pass "$(echo "$made" | wc -l) files and folders made under umask 000, all 0600 / 0700"
