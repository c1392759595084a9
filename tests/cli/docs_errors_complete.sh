#!/bin/sh
# Every diagnostic code the engine can emit is documented in docs/errors.md.
# Codes are the "stage.what" string literals of engine/lib; file names and
# template constants (job.id, sender.name …) are not codes.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
grep -rhoE '"[a-z]+\.[a-z][a-z0-9-]*"' engine/lib engine/cli | tr -d '"' | sort -u \
  | grep -vE '\.(txt|pdf|json|csv|tsv|png|yaml|html|svg|log|h|c|js)$' \
  | grep -vE '^(job\.(id|title|date)|list\.type|municipality\.[a-z_]+|sender\.[a-z_]+|letter\.[a-z_]+|page\.(number|count))$' \
  >"$WORK/codes"
missing=0
while read -r code; do
  grep -qF "\`$code\`" docs/errors.md || { echo "undocumented: $code" >&2; missing=1; }
done <"$WORK/codes"
[ "$missing" = 0 ] || fail "codes missing from docs/errors.md"
pass "$(wc -l <"$WORK/codes") codes, all documented"
