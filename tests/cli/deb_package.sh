#!/bin/sh
# The Debian package (`make deb` runs the same CPack configuration): it
# depends on the shared libraries the program links, the fonts of
# fonts/fontset.txt and the MeCab dictionary; apt can install it; unpacked
# into a scratch root it holds everything an install holds, and the program
# in it renders the packaged sample job with no environment variables.
. "$(dirname "$0")/../lib/common.sh"
. "$TEGAMI_SRC/tests/lib/installed.sh"
BUILD=${TEGAMI_BUILD_DIR:-}
[ -n "$BUILD" ] && [ -f "$BUILD/CPackConfig.cmake" ] || { echo "skip: no build folder"; exit 77; }
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skip: no $tool (apt-get install dpkg-dev file)"; exit 77; }
done

cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 \
  || { cat "$WORK/cpack.log" >&2; fail "cpack could not build the package"; }
deb=$(ls "$WORK"/pkg/tegami_*.deb)
[ "$(dpkg-deb -f "$deb" Package)" = tegami ] || fail "the package is not named tegami"
depends=$(dpkg-deb -f "$deb" Depends)
for pkg in $(awk '$1 == "text" || $1 == "fallback" { print $3 }' "$TEGAMI_SRC/fonts/fontset.txt") \
           mecab-ipadic-utf8 libcairo2 libpango-1.0-0 libqpdf libmecab2 libyaml-0-2; do
  case ", $depends" in *", $pkg"*) ;; *) fail "the package does not depend on $pkg: $depends" ;; esac
done
pass "$(basename "$deb"): depends on its libraries, fonts and dictionary"

if command -v apt-get >/dev/null 2>&1; then
  apt-get install -s "$deb" >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; fail "apt cannot install the package"; }
  grep -q '^Inst tegami \|tegami is already the newest' "$WORK/apt.log" || { cat "$WORK/apt.log" >&2; fail "apt would not install tegami"; }
  pass "apt-get install resolves every dependency of the package (simulated)"
fi

dpkg-deb -x "$deb" "$WORK/root"
check_installed "$WORK/root" /usr
pass "unpacked into a scratch root, the packaged tegami renders the sample job with no environment"
