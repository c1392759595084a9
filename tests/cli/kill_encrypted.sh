#!/bin/sh
# Issue 13, item 3: a killed encrypted run leaves no unencrypted PDF on disk.
# Batch PDFs (and label sheets) are built in memory and only their encrypted
# bytes are written, so a SIGKILL at any moment — while the lists are read,
# while a batch is drawn, between batches — leaves nothing readable: the
# whole parent folder is scanned for any file that is a PDF (by its first
# bytes, whatever its name: temporaries too) without /Encrypt.
. "$(dirname "$0")/../lib/common.sh"
cd "$WORK"
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
export TG_TEST_PDF_PASSWORD=a-kill-test-password-1234
{ echo "$HIGHRISK_HEADER"; highrisk_rows 240; } >list.csv
write_job job.yaml "$WORK/list.csv"
printf 'output:\n  encrypt: {password-env: TG_TEST_PDF_PASSWORD}\n  batch-size: 40\n  labels: a-one-12\n' >>job.yaml
mkdir -m 700 runs

# scan: every PDF under runs/ (by content) must be encrypted
scan() {
  find runs -type f | while read -r f; do
    if [ "$(head -c 5 "$f")" = "%PDF-" ] && ! grep -q -a '/Encrypt' "$f"; then
      echo "$f"
    fi
  done >"$WORK/plain"
  if [ -s "$WORK/plain" ]; then
    cat "$WORK/plain" >&2
    fail "$1: an unencrypted PDF is on disk"
  fi
}

# kill_after N WHEN: start a run into runs/N and SIGKILL it at WHEN: a
# number of seconds, or "batch" (once a first batch PDF exists in staging)
kill_after() {
  "$TEGAMI" run job.yaml -o "runs/$1" -j 1 >"$WORK/$1.log" 2>&1 &
  pid=$!
  if [ "$2" = batch ]; then
    n=0
    until [ -n "$(find runs -path "runs/$1.tegami-tmp-*" -name '*.pdf' 2>/dev/null | head -1)" ]; do
      kill -0 "$pid" 2>/dev/null || break
      n=$((n + 1))
      [ "$n" -lt 1200 ] || fail "no batch PDF appeared"
      sleep 0.05
    done
  else
    sleep "$2"
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  scan "killed after $2"
}

i=0
for when in 0.5 1 2 3 batch; do
  i=$((i + 1))
  kill_after "k$i" "$when"
done
pass "SIGKILL after 0.5, 1, 2, 3 s and after the first batch: no unencrypted PDF on disk"

# and the run that is not killed: every PDF it writes is encrypted
expect_exit 0 "$TEGAMI" run job.yaml -o runs/whole
scan "a whole run"
[ "$(find runs/whole -name '*.pdf' | wc -l)" -ge 6 ] || fail "expected 6 batches and their labels"
pass "a whole encrypted run writes only encrypted PDFs"
