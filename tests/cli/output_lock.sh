#!/bin/sh
# Issue 13, items 1 and 2: a run holds a lock on its output folder; a second
# run into the same folder stops with output.locked naming the holder, and
# the first finishes intact; a killed run's lock is taken over by the next
# run (output.lock-taken-over), also when its pid now belongs to another
# process; files somebody else creates in the output or staging folder while
# a run writes are never deleted.
. "$(dirname "$0")/../lib/common.sh"
cd "$WORK"
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
{ echo "$HIGHRISK_HEADER"; highrisk_rows 4000; } >list.csv
write_job job.yaml "$WORK/list.csv"
{ echo "$HIGHRISK_HEADER"; highrisk_rows 5; } >small.csv
write_job small.yaml "$WORK/small.csv" # for the runs that need not last

# start_run OUT [ARGS]: a long run (4,000 letters, one thread) in the
# background, once its staging folder holds a file
start_run() {
  o=$1
  shift
  "$TEGAMI" run job.yaml -o "$o" -j 1 "$@" >"$o.log" 2>&1 &
  pid=$!
  n=0
  until [ -n "$(find . -maxdepth 2 -path "./$o.tegami-tmp-*/*" -type f 2>/dev/null | head -1)" ]; do
    kill -0 "$pid" 2>/dev/null || fail "the run ended too early: $(cat "$o.log")"
    n=$((n + 1))
    [ "$n" -lt 600 ] || fail "no staging folder appeared"
    sleep 0.1
  done
}
finish() { # wait for the background run; its exit code in $code
  set +e
  wait "$pid"
  code=$?
  set -e
}

# 1. two runs at once: the second is refused, naming the first
start_run out
[ -f out.tegami-lock ] || fail "no lock file beside the output folder"
grep -q "^pid $pid\$" out.tegami-lock || fail "the lock does not name the run's pid"
expect_exit 2 "$TEGAMI" run small.yaml -o out
grep -q '\[output.locked\]' "$WORK/last.err" || fail "no output.locked: $(cat "$WORK/last.err")"
grep -q "pid $pid" "$WORK/last.err" || fail "output.locked does not name the holder's pid"
grep -q 'started 20[0-9][0-9]-' "$WORK/last.err" || fail "output.locked does not say when it started"
expect_exit 2 "$TEGAMI" run small.yaml -o out/ --force
grep -q '\[output.locked\]' "$WORK/last.err" || fail "--force went past the lock"
finish
[ "$code" = 0 ] || fail "the first run failed ($code): $(cat out.log)"
(cd out && sha256sum --quiet -c SHA256SUMS) || fail "the first run's output is not intact"
[ ! -e out.tegami-lock ] || fail "the lock was left behind"
pass "a second run into a locked folder is refused (pid, start time); the first completes"

# 2. a killed run's lock is stale: the next run takes it over
start_run out2
kill -KILL "$pid"
finish
[ -f out2.tegami-lock ] || fail "expected the killed run's lock"
expect_exit 0 "$TEGAMI" run small.yaml -o out2
grep -q '\[output.lock-taken-over\]' "$WORK/last.err" || fail "no output.lock-taken-over note"
[ ! -e out2.tegami-lock ] || fail "the lock was left behind"
! ls -d out2.tegami-tmp-* >/dev/null 2>&1 || fail "the dead run's staging folder is still there"
pass "a killed run's lock is taken over, with a note"

# 3. a stale lock whose pid is alive again (reused: another start time)
sleep 30 &
other=$!
printf 'pid %s\nstart 1\nstarted 2001-01-01T00:00:00Z\nhost %s\n' "$other" "$(hostname)" >out3.tegami-lock
expect_exit 0 "$TEGAMI" run small.yaml -o out3
grep -q '\[output.lock-taken-over\]' "$WORK/last.err" || fail "a reused pid kept the lock"
kill "$other" 2>/dev/null || true
pass "a lock whose pid was reused by another process is taken over"

# 4. files somebody else creates while a run writes are never deleted
mkdir -m 700 out4
start_run out4
echo mine >out4/theirs.txt
finish
[ "$code" = 2 ] || fail "a run whose output folder filled meanwhile exited $code: $(cat out4.log)"
grep -q '\[output.changed\]' out4.log || fail "no output.changed: $(cat out4.log)"
[ "$(cat out4/theirs.txt)" = mine ] || fail "the other file was deleted"
! ls -d out4.tegami-tmp-* >/dev/null 2>&1 || fail "the staging folder was left behind"

"$TEGAMI" run small.yaml -o out5 >/dev/null 2>&1 || fail "cannot write out5"
start_run out5 --force
echo mine >out5/theirs.txt
stage=$(ls -d out5.tegami-tmp-*)
echo mine >"$stage/also-theirs.txt"
finish
[ "$code" != 0 ] || fail "--force replaced a folder that got a foreign file during the run"
grep -q '\[output.foreign-file\]' out5.log || fail "no output.foreign-file: $(cat out5.log)"
[ "$(cat out5/theirs.txt)" = mine ] || fail "the foreign file in the output folder was deleted"
[ "$(cat "$stage/also-theirs.txt")" = mine ] || fail "the foreign file in the staging folder was deleted"
pass "files others create in the output or staging folder during a run survive"
