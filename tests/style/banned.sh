#!/bin/sh
# style.banned — no call of the functions docs/style.md bans: atoi, sprintf,
# strcpy, strcat, strtok, gets (use g_ascii_strtoll, g_snprintf, g_strlcpy,
# GString).  A call is the name as a word followed by '('; comments and
# strings are not told apart, so do not write one there either.
set -eu
SRC=${TEGAMI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/style/sources.sh"
cd "$SRC"
found=$(style_sources "$SRC" | xargs grep -nwE '(atoi|sprintf|strcpy|strcat|strtok|gets)[[:space:]]*\(' || true)
if [ -n "$found" ]; then
  echo "$found" >&2
  echo "FAIL: banned functions (docs/style.md): atoi sprintf strcpy strcat strtok gets" >&2
  exit 1
fi
echo "ok: no atoi, sprintf, strcpy, strcat, strtok or gets"
