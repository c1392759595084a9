#!/bin/sh
# .ci/setup, with apt-get, dpkg-query, id and sudo replaced by stubs: it does
# nothing when every package is there; shows apt's progress; fetches package
# lists first on a fresh system; waits for (and names) another process that
# holds the dpkg lock instead of failing at once; passes apt its lock
# timeout; and ends every failure with its real reason, not "check the
# network" for all of them.
. "$(dirname "$0")/../lib/common.sh"
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
SETUP=$TEGAMI_SRC/.ci/setup
mkdir "$WORK/stub" "$WORK/lists"
: >"$WORK/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"
printf '# test list\ntg-present tg-missing-a\ntg-missing-b\n' >"$WORK/packages.txt"
cat >"$WORK/stub/dpkg-query" <<'STUB'
#!/bin/sh
for a; do p=$a; done
case $p in tg-missing-*) exit 1 ;; *) printf 'install ok installed' ;; esac
STUB
cat >"$WORK/stub/id" <<'STUB'
#!/bin/sh
echo "${STUB_UID:-0}"
STUB
cat >"$WORK/stub/sudo" <<'STUB'
#!/bin/sh
[ "$1" = -n ] && exit 1
exec "$@"
STUB
# apt-get: records its arguments; STUB_APT says how install and update end
cat >"$WORK/stub/apt-get" <<'STUB'
#!/bin/sh
echo "$*" >>"$STUB_DIR/apt.calls"
case " $* " in *" -s "*) printf 'Inst tg-missing-a\nInst tg-missing-b\nInst libdep1\n'; exit 0 ;; esac
case " $* " in *" update "*) op=update ;; *) op=install ;; esac
case $STUB_APT.$op in
  *.update) [ "$STUB_APT" = network ] && { echo "Err:1 http://deb.debian.org/debian bookworm InRelease"
              echo "  Temporary failure resolving 'deb.debian.org'"; exit 100; }
            echo "Get:1 http://deb.debian.org/debian bookworm InRelease"; touch "$STUB_DIR/updated"; exit 0 ;;
  ok.install) echo "Unpacking tg-missing-a (1.0) ..."; echo "Setting up tg-missing-a (1.0) ..."; exit 0 ;;
  stale.install) [ -f "$STUB_DIR/updated" ] && { echo "Setting up tg-missing-a (1.0) ..."; exit 0; }
                 echo "E: Unable to locate package tg-missing-b"; exit 100 ;;
  lock.install) echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)"
                echo "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?"; exit 100 ;;
  network.install) echo "E: Failed to fetch http://deb.debian.org/debian/pool/main/x.deb  Temporary failure resolving 'deb.debian.org'"; exit 100 ;;
  notfound.install) echo "E: Unable to locate package tg-missing-b"; exit 100 ;;
  interrupted.install) echo "E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem."; exit 100 ;;
esac
exit 100
STUB
chmod +x "$WORK/stub/"*
export PATH="$WORK/stub:$PATH" STUB_DIR="$WORK" TEGAMI_APT_LISTS="$WORK/lists" TEGAMI_APT_LOCKS="$WORK/lockfile"
: >"$WORK/lockfile"
setup() { # setup MODE [LIST]: run .ci/setup with apt-get ending as MODE
  rm -f "$WORK/apt.calls" "$WORK/updated"
  STUB_APT=$1 expect_exit "$2" "$SETUP" "${3:-$WORK/packages.txt}"
}

printf 'tg-present\n' >"$WORK/present.txt"
setup ok 0 "$WORK/present.txt"
[ ! -f "$WORK/apt.calls" ] || fail "apt-get ran although nothing is missing"
pass "nothing missing: nothing run"

setup ok 0
grep -q 'Setting up tg-missing-a' "$WORK/last.err" || fail "apt's progress is not shown"
grep -q 'tg-missing-a tg-missing-b' "$WORK/last.err" || fail "the missing packages are not named"
grep -q '3 in all' "$WORK/last.err" || fail "the number of packages with their dependencies is not said"
grep -q 'install .*-o DPkg::Lock::Timeout=600\|-o DPkg::Lock::Timeout=600 install' "$WORK/apt.calls" \
  || { cat "$WORK/apt.calls" >&2; fail "apt-get is not given its lock timeout"; }
! grep -q ' update' "$WORK/apt.calls" || fail "update ran although the lists are there"
pass "apt's progress shown; apt waits for its lock"

rm "$WORK/lists/"*
setup ok 0
head -1 "$WORK/apt.calls" | grep -q ' update' || fail "a system without package lists is not updated first"
: >"$WORK/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"
setup stale 0
grep -q 'out of date' "$WORK/last.err" && grep -q ' update' "$WORK/apt.calls" || fail "stale lists are not updated"
pass "lists fetched on a fresh system, and when stale"

setup lock 1
grep -q 'held the package lock' "$WORK/last.err" || fail "a lock failure is not named"
! grep -qi 'network' "$WORK/last.err" || fail "a lock failure is blamed on the network"
setup network 1
grep -q 'could not reach the package mirrors' "$WORK/last.err" || fail "a network failure is not named"
setup notfound 1
grep -q 'apt does not know: tg-missing-b' "$WORK/last.err" && grep -q 'Debian 12' "$WORK/last.err" \
  || fail "an unknown package is not named"
setup interrupted 1
grep -q 'dpkg --configure -a' "$WORK/last.err" || fail "an interrupted dpkg is not named"
pass "lock, network, unknown package and interrupted dpkg each give their own reason"

STUB_UID=1000 setup ok 1 </dev/null
grep -q 'apt-get install -y --no-install-recommends tg-missing-a tg-missing-b' "$WORK/last.err" \
  || fail "without root or sudo the command to run is not printed"
[ ! -f "$WORK/apt.calls" ] || fail "apt-get ran without root"
pass "without root or sudo: the command to run as root"

# another process holds the dpkg lock (a POSIX lock, as dpkg takes it) for as
# long as the file "locked" exists (so it also ends when the test's folder goes)
python3 -c 'import fcntl, os, sys, time
f = open(sys.argv[1], "w"); fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
for _ in range(3000):
    if not os.path.exists(sys.argv[2]): break
    time.sleep(0.1)' "$WORK/lockfile" "$WORK/locked" &
holder=$!
while [ ! -f "$WORK/locked" ]; do kill -0 "$holder" || fail "the lock holder died"; sleep 0.1; done
TEGAMI_APT_LOCK_TIMEOUT=1 setup ok 1
rm "$WORK/locked"; wait "$holder"
grep -q "process $holder (python3), holds the apt/dpkg lock" "$WORK/last.err" || { cat "$WORK/last.err" >&2; fail "the lock holder is not named"; }
grep -q 'waiting up to 1s' "$WORK/last.err" || fail "the wait is not announced"
grep -q 'still holds the apt/dpkg lock' "$WORK/last.err" || fail "the end of the wait is not explained"
! grep -v -- '^-s ' "$WORK/apt.calls" | grep -q install || fail "apt-get install ran while the lock was held"
setup ok 0
pass "a held dpkg lock: its holder named, waited for, then a clear stop; released: installs"
