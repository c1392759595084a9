#!/bin/sh
# A run killed at any moment (SIGKILL) leaves no output that looks complete —
# only its staging folder — and a re-run removes that and finishes the job;
# Ctrl-C (SIGINT) or a job runner's SIGTERM stops a run cleanly: exit 4
# (run.interrupted), no output folder and no staging folder left behind.
. "$(dirname "$0")/../lib/common.sh"
cd "$WORK"
# its own audit log: a run killed while appending must not leave a torn line
# in the log the other tests share
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
{ echo "$HIGHRISK_HEADER"; highrisk_rows 1500; } >list.csv
write_job job.yaml "$WORK/list.csv"

# start_run OUT: a slow run (one thread, PNG proofs) in the background, once
# its staging folder holds a file
start_run() {
  "$TEGAMI" run job.yaml -o "$1" -j 1 --png >"$1.log" 2>&1 &
  pid=$!
  n=0
  until [ -n "$(find . -maxdepth 2 -path "./$1.tegami-tmp-*/*" -type f 2>/dev/null | head -1)" ]; do
    kill -0 "$pid" 2>/dev/null || fail "the run ended before it could be interrupted: $(cat "$1.log")"
    n=$((n + 1))
    [ "$n" -lt 600 ] || fail "no staging folder appeared"
    sleep 0.1
  done
}

# 1. SIGKILL: nothing that looks complete
start_run out
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
[ ! -e out ] || fail "a killed run left an output folder"
ls -d out.tegami-tmp-* >/dev/null 2>&1 || fail "expected the killed run's staging folder"
pass "a killed run leaves only its staging folder"

# 2. the re-run finishes the job and removes the dead run's staging folder
expect_exit 0 "$TEGAMI" run job.yaml -o out
! ls -d out.tegami-tmp-* >/dev/null 2>&1 || fail "the dead run's staging folder is still there"
(cd out && sha256sum --quiet -c SHA256SUMS) || fail "the re-run's outputs do not match SHA256SUMS"
[ "$(grep -c '^[0-9]' out/manifest.csv)" = 1500 ] || fail "the re-run did not print every letter"
pass "the re-run completes: 1500 letters, checksums match"

# 3. SIGINT and SIGTERM: a clean stop
for sig in INT TERM; do
  start_run "stop-$sig"
  kill -"$sig" "$pid"
  set +e
  wait "$pid"
  code=$?
  set -e
  [ "$code" = 4 ] || fail "SIGTERM/SIGINT: exit $code, expected 4: $(cat "stop-$sig.log")"
  grep -q '\[run.interrupted\]' "stop-$sig.log" || fail "no run.interrupted message after SIG$sig"
  [ ! -e "stop-$sig" ] || fail "an interrupted run left an output folder"
  ! ls -d "stop-$sig".tegami-tmp-* >/dev/null 2>&1 || fail "SIG$sig left the staging folder"
  pass "SIG$sig: exit 4, nothing left behind"
done
