#!/bin/sh
# Outputs hold personal data: the folder is 0700 and every file 0600,
# whatever the umask; no temporary file is left behind.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
umask 022
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out" --png
[ "$(stat -c %a "$WORK/out")" = 700 ] || fail "output folder is not 0700"
[ "$(stat -c %a "$WORK/out/proofs")" = 700 ] || fail "proofs folder is not 0700"
find "$WORK/out" -type f | while read -r f; do
  [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
done
[ -z "$(find "$WORK/out" -name '.*.tmp-*')" ] || fail "temporary files were left behind"
pass "outputs are private and complete"
