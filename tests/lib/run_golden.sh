#!/bin/sh
# Golden trace test: run the CLI on a case and compare its trace with the
# expected one.  A case folder holds `args` (the tegami arguments, relative to
# the source tree) and `expected.trace`.  TEGAMI_UPDATE_GOLDEN=1 rewrites it.
set -eu
TEGAMI=$1
CASE=$2
SRC=${TEGAMI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tegami-golden.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$SRC"
# shellcheck disable=SC2046
set +e
"$TEGAMI" $(cat "$CASE/args") --no-pdf --trace "$WORK/trace" -o "$WORK/out" 2>"$WORK/stderr"
code=$?
set -e
want_code=$(cat "$CASE/exit" 2>/dev/null || echo 0)
if [ "$code" != "$want_code" ]; then
  cat "$WORK/stderr" >&2
  echo "FAIL: exit $code, expected $want_code" >&2
  exit 1
fi
if [ "${TEGAMI_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$WORK/trace" "$CASE/expected.trace"
  echo "updated $CASE/expected.trace"
  exit 0
fi
if ! diff -u "$CASE/expected.trace" "$WORK/trace"; then
  echo "FAIL: trace differs (TEGAMI_UPDATE_GOLDEN=1 ctest -R golden to accept)" >&2
  exit 1
fi
echo "ok: trace matches ($(wc -l <"$WORK/trace") lines)"
