#!/bin/sh
# Error test: `tegami check` on the case's input must fail with exactly the
# expected message.  A case folder holds one input (design.yaml or job.yaml,
# plus any files it names), `expected.txt` (the whole stderr) and optionally
# `exit` (the expected exit code; 3 when absent) and `args` (more arguments
# of the check, e.g. --profile kdb-dropout).  The check runs inside the
# case folder so that messages show short relative paths.
# With a third argument `ja` the check runs in Japanese (LANG=ja_JP.UTF-8,
# whether or not that locale is installed: the CLI falls back to C.UTF-8
# with LANGUAGE=ja) and its stderr is compared with `expected.ja.txt`
# (docs/i18n.md); TEGAMI_UPDATE_GOLDEN=1 writes that file.
set -eu
TEGAMI=$1
CASE=$2
LANGUAGE_NAME=${3:-en}
expected=expected.txt
if [ "$LANGUAGE_NAME" = ja ]; then
  unset LC_ALL LC_MESSAGES LANGUAGE
  export LANG=ja_JP.UTF-8
  expected=expected.ja.txt
fi
ACTUAL=$(mktemp "${TMPDIR:-/tmp}/tegami-error.XXXXXX")
trap 'rm -f "$ACTUAL"' EXIT
cd "$CASE"
input=design.yaml
[ -f job.yaml ] && input=job.yaml
set +e
# shellcheck disable=SC2046 # args holds words to split
"$TEGAMI" check "$input" $(cat args 2>/dev/null) >/dev/null 2>"$ACTUAL"
code=$?
set -e
want=$(cat exit 2>/dev/null || echo 3)
# the exit code first: an update must not record the message of a run that
# ended the wrong way
if [ "$code" != "$want" ]; then
  cat "$ACTUAL" >&2
  echo "FAIL: exit $code, expected $want" >&2
  exit 1
fi
if [ "${TEGAMI_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$ACTUAL" $expected
  echo "updated $CASE/$expected"
  exit 0
fi
if [ ! -f $expected ]; then
  cat "$ACTUAL" >&2
  echo "FAIL: no $CASE/$expected: write it with TEGAMI_UPDATE_GOLDEN=1 and review it" >&2
  exit 1
fi
if ! diff -u $expected "$ACTUAL"; then
  echo "FAIL: the message differs" >&2
  exit 1
fi
echo "ok: exact message, exit $code"
