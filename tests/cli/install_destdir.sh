#!/bin/sh
# `cmake --install` under a DESTDIR (what `make install PREFIX=… DESTDIR=…`
# runs) gives an install that works where it lands and where it is moved:
# the program finds its data beside itself, with no TEGAMI_DATA_DIR or any
# other environment variable, and renders the installed sample job.
. "$(dirname "$0")/../lib/common.sh"
. "$TEGAMI_SRC/tests/lib/installed.sh"
BUILD=${TEGAMI_BUILD_DIR:-}
[ -n "$BUILD" ] && [ -f "$BUILD/cmake_install.cmake" ] || { echo "skip: no build folder"; exit 77; }

DESTDIR="$WORK/stage" cmake --install "$BUILD" --prefix /opt/tegami >"$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; fail "cmake --install failed"; }
check_installed "$WORK/stage" /opt/tegami
pass "installed under DESTDIR: tegami finds its data and renders the sample job with no environment"

# a moved install still finds its own data (the path is relative to the program)
mv "$WORK/stage/opt/tegami" "$WORK/moved"
check_installed "$WORK/moved" ""
# TEGAMI_DATA_DIR still wins over the installed data
TEGAMI_DATA_DIR=$TEGAMI_SRC "$WORK/moved/bin/tegami" --help | grep -qxF "  (the data folder of this tegami: $TEGAMI_SRC)" \
  || fail "TEGAMI_DATA_DIR does not override the installed data"
pass "a moved install finds its data; TEGAMI_DATA_DIR still overrides it"

# make install passes PREFIX and DESTDIR on to cmake --install
make -n -C "$TEGAMI_SRC" install PREFIX=/p DESTDIR=/d 2>/dev/null | grep -q 'DESTDIR="/d" cmake --install build --prefix "/p"' \
  || fail "make install does not pass PREFIX and DESTDIR to cmake --install"
pass "make install PREFIX=… DESTDIR=… runs cmake --install with both"
