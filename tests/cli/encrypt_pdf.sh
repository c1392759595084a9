#!/bin/sh
# An encrypted PDF opens with the password and not without it (qpdf --check,
# and pdfinfo as a second opinion); it is AES-256 (R6), still 0600, replaced
# atomically (no temporary left).  Passwords never come from the command
# line; a password file others can read, or a short password, is refused.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
command -v qpdf >/dev/null || { echo "skip: qpdf not installed"; exit 77; }
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
umask 077
PW='Kanagawa-CKD-2026-letters'
printf '%s\n' "$PW" >"$WORK/pw"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out"
pages=$(qpdf --show-npages "$WORK/out/14999_highrisk_standard_001.pdf")
expect_exit 0 "$TEGAMI" encrypt "$WORK/out/14999_highrisk_standard_001.pdf" --password-file "$WORK/pw"

set +e
qpdf --check "$WORK/out/14999_highrisk_standard_001.pdf" >"$WORK/q.out" 2>&1
rc=$?
set -e
[ "$rc" != 0 ] || fail "qpdf --check opened the encrypted PDF without a password"
grep -qi 'password' "$WORK/q.out" || fail "qpdf failed for another reason: $(cat "$WORK/q.out")"
qpdf --password="$PW" --check "$WORK/out/14999_highrisk_standard_001.pdf" >"$WORK/q.out" 2>&1 || fail "qpdf --check fails with the password"
grep -q 'No syntax or stream encoding errors' "$WORK/q.out" || fail "qpdf --check found errors"
qpdf --password="$PW" --show-encryption "$WORK/out/14999_highrisk_standard_001.pdf" >"$WORK/enc.out"
grep -q '^R = 6' "$WORK/enc.out" || fail "not security handler revision 6"
grep -q 'stream encryption method: AESv3' "$WORK/enc.out" || fail "streams are not AES-256 (AESv3)"
[ "$(qpdf --password="$PW" --show-npages "$WORK/out/14999_highrisk_standard_001.pdf")" = "$pages" ] || fail "pages lost"
pass "opens with the password only (qpdf), AES-256 R6, $pages pages"

if command -v pdfinfo >/dev/null; then
  ! pdfinfo "$WORK/out/14999_highrisk_standard_001.pdf" >/dev/null 2>&1 || fail "pdfinfo opened it without a password"
  pdfinfo -upw "$PW" "$WORK/out/14999_highrisk_standard_001.pdf" >"$WORK/info" 2>&1 || fail "pdfinfo fails with the password"
  grep -q 'algorithm:AES-256' "$WORK/info" || fail "pdfinfo does not see AES-256"
  pass "pdfinfo agrees"
fi
[ "$(stat -c %a "$WORK/out/14999_highrisk_standard_001.pdf")" = 600 ] || fail "the encrypted PDF is not 0600"
[ -z "$(find "$WORK/out" -name '.*.tmp-*')" ] || fail "a temporary was left behind"

# already encrypted: refused, file untouched
sum=$(sha256sum <"$WORK/out/14999_highrisk_standard_001.pdf")
expect_exit 3 "$TEGAMI" encrypt "$WORK/out/14999_highrisk_standard_001.pdf" --password-file "$WORK/pw"
[ "$(sha256sum <"$WORK/out/14999_highrisk_standard_001.pdf")" = "$sum" ] || fail "a refused encryption changed the file"

# the environment variable works; the command line does not
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out2"
TG_TEST_PW="$PW" expect_exit 0 "$TEGAMI" encrypt "$WORK/out2/14999_highrisk_standard_001.pdf" --password-env TG_TEST_PW
qpdf --password="$PW" --check "$WORK/out2/14999_highrisk_standard_001.pdf" >/dev/null || fail "env password not used"
expect_exit 2 "$TEGAMI" encrypt "$WORK/out2/summary.json" --password "$PW"
expect_exit 2 "$TEGAMI" encrypt "$WORK/out2/summary.json" --password="$PW"
expect_exit 2 "$TEGAMI" encrypt "$WORK/out2/14999_highrisk_standard_001.pdf" --password-env TG_UNSET_VARIABLE
pass "password from a file or the environment, never the command line"

chmod 644 "$WORK/pw"
expect_exit 3 "$TEGAMI" encrypt "$WORK/out2/14999_highrisk_standard_001.pdf" --password-file "$WORK/pw"
grep -q 'encrypt.password-file' "$WORK/last.err" || fail "a world-readable password file was accepted"
printf 'short\n' >"$WORK/pw2"
chmod 600 "$WORK/pw2"
expect_exit 3 "$TEGAMI" encrypt "$WORK/out2/14999_highrisk_standard_001.pdf" --password-file "$WORK/pw2"
grep -q 'encrypt.password-length' "$WORK/last.err" || fail "a short password was accepted"
! grep -q "$PW" "$WORK/audit.log" || fail "the password reached the audit log"
pass "unsafe password sources refused; the password is never logged"
