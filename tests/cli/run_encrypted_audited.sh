#!/bin/sh
# A run with output.encrypt writes every PDF encrypted (AES-256) before it
# gets its final name, and SHA256SUMS covers the encrypted files; a password
# source others can read stops the run before anything is written.  Every
# run and check of a job is recorded in the audit log, and a log that cannot
# be appended to stops the run first.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
LOG="$WORK/audit.log"
export TEGAMI_AUDIT_LOG="$LOG"
PW=an-encryption-test-password
mkdir -p "$WORK/job"
cp samples/targets/highrisk.csv "$WORK/job/"
cat >"$WORK/job/job.yaml" <<YAML
kind: job
id: encrypted-run
date: 2026-10-01
design: $TEGAMI_SRC/layouts/highrisk-standard.yaml
output:
  encrypt: {password-env: TG_TEST_PDF_PASSWORD}
  labels: a-one-12
municipalities:
  - id: "14999"
    name: 見本市
    sender: {department: 保険年金課, phone: 046-000-0000}
    values: {clinic_url: "https://example.jp/clinics"}
    lists:
      - file: highrisk.csv
        type: highrisk
YAML

TG_TEST_PDF_PASSWORD=$PW expect_exit 0 "$TEGAMI" run "$WORK/job/job.yaml" -o "$WORK/out"
for f in "$WORK"/out/*.pdf; do
  ! qpdf --check "$f" >/dev/null 2>&1 || fail "$(basename "$f") opens without the password"
  qpdf --password="$PW" --check "$f" >/dev/null 2>&1 || fail "$(basename "$f") does not open with it"
done
[ "$(ls "$WORK"/out/*.pdf | wc -l)" = 2 ] || fail "expected the letters and the label sheet"
(cd "$WORK/out" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the encrypted files"
grep -q 'anchor [0-9]*:[0-9a-f]\{64\}' "$WORK/last.err" || fail "the run printed no audit anchor"
pass "letters and labels encrypted; checksums of the encrypted files"

# no password in the environment (a usage error): nothing is written
expect_exit 2 "$TEGAMI" run "$WORK/job/job.yaml" -o "$WORK/none"
[ ! -e "$WORK/none" ] || fail "a run without its password wrote an output folder"
# a password file others can read is refused
printf '%s\n' "$PW" >"$WORK/pw"
chmod 644 "$WORK/pw"
expect_exit 3 "$TEGAMI" run "$WORK/job/job.yaml" -o "$WORK/none" --password-file "$WORK/pw"
[ ! -e "$WORK/none" ] || fail "a run with a readable password file wrote an output folder"
expect_exit 2 "$TEGAMI" run "$WORK/job/job.yaml" -o "$WORK/none" --password "$PW"
pass "a missing or exposed password stops the run before anything is written"

# the audit log: run and check recorded with the job's files, no personal data
TG_TEST_PDF_PASSWORD=$PW expect_exit 0 "$TEGAMI" check "$WORK/job/job.yaml"
grep -q '"command":"run"' "$LOG" || fail "the run is not recorded"
grep -q '"command":"check"' "$LOG" || fail "the check is not recorded"
grep -q 'highrisk.csv' "$LOG" || fail "the list read is not recorded"
for word in 見本　一郎 座間市 ﾐﾎﾝ; do
  ! grep -q "$word" "$LOG" || fail "personal data in the audit log ($word)"
done
expect_exit 0 "$TEGAMI" audit verify "$LOG"
pass "runs and checks are in the audit log, chain intact"

ln -s "$WORK/elsewhere.log" "$WORK/link.log"
TG_TEST_PDF_PASSWORD=$PW expect_exit 4 "$TEGAMI" run "$WORK/job/job.yaml" -o "$WORK/nolog" \
  --audit-log "$WORK/link.log"
[ ! -e "$WORK/nolog" ] || fail "a run whose audit log is refused wrote outputs"
pass "a log that cannot be appended to stops the run first"
