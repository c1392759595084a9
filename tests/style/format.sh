#!/bin/sh
# style.format — every hand-written C source is formatted as .clang-format
# says (clang-format --dry-run -Werror).  The style is clang-format 14's (the
# one of Debian 12, .ci/packages.txt): other major versions format some
# constructs differently, so with another version the test is skipped (77)
# rather than failing for the tool's reasons.  `make format` fixes the tree.
set -eu
SRC=${TEGAMI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/style/sources.sh"
command -v clang-format >/dev/null 2>&1 || { echo "FAIL: clang-format is not installed (make deps)" >&2; exit 1; }
major=$(clang-format --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ "$major" != 14 ]; then
  echo "skip: the style is clang-format 14's; this is clang-format $major" >&2
  exit 77
fi
cd "$SRC"
out=$(clang-format --style=file --dry-run -Werror $(style_sources "$SRC") 2>&1 || true)
bad=$(printf '%s\n' "$out" | grep ': error: ' | cut -d: -f1 | sort -u)
if [ -n "$bad" ]; then
  printf '%s\n' "$out" | grep -m 20 ': error: ' >&2
  echo "FAIL: $(echo "$bad" | wc -l) file(s) are not formatted as .clang-format says (run 'make format'):" >&2
  echo "$bad" | sed 's/^/  /' >&2
  exit 1
fi
echo "ok: $(style_sources "$SRC" | wc -l) sources formatted as .clang-format says"
