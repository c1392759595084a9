#!/bin/sh
# Every YAML example in docs/design-format.md passes `tegami check`, and every
# key the design loader knows is documented there.
. "$(dirname "$0")/../lib/common.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
out=$(python3 "$TEGAMI_SRC/tests/lib/doc_examples.py" "$TEGAMI" "$TEGAMI_SRC" "$WORK") \
  || fail "docs/design-format.md has examples or keys that do not check"
pass "$out"
