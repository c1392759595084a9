#!/bin/sh
# style.sizes — rooms stay small enough to read: no hand-written C file
# (engine/, tests/) over 1,200 lines, no public header over 300.  A file that
# grows past that is split along its concerns (docs/architecture.md), not
# trimmed.  Generated files (tests/style/sources.sh) are not counted.
set -eu
SRC=${TEGAMI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/style/sources.sh"
cd "$SRC"
# Headers still holding a part that another branch moves out: name them here
# until that branch is merged (none now).
PENDING=""
bad=0
for f in $(style_sources "$SRC"); do
  n=$(wc -l <"$f")
  case "$f" in
    engine/include/tegami/*.h) limit=300 ;;
    *) limit=1200 ;;
  esac
  if [ "$n" -gt "$limit" ]; then
    case " $PENDING " in
      *" $f "*) echo "pending: $f has $n lines (limit $limit) until its split is merged" >&2; continue ;;
    esac
    echo "$f: $n lines, more than $limit" >&2
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "FAIL: $bad file(s) too long: split them along their concerns" >&2
  exit 1
fi
echo "ok: C files within 1,200 lines, public headers within 300"
