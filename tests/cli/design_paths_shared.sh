#!/bin/sh
# Messages name a design reached by its absolute path whole (an included
# file of /srv/jobs/layouts/a.yaml is /srv/jobs/layouts/parts.yaml, never
# srv/jobs/…); a mistake in a design that two lists share is told once; and
# the production designs need no fax number (sender.fax is optional).
. "$(dirname "$0")/../lib/common.sh"
mkdir -p "$WORK/layouts"
cat >"$WORK/layouts/parts.yaml" <<'YAML'
kind: blocks
styles:
  body: {font: BIZ UDPGothic, size: 11pt, colour: black}
YAML
cat >"$WORK/layouts/a.yaml" <<'YAML'
kind: design
include: parts.yaml
pages:
  - blocks:
      - type: text
        x: 20mm
        y: 30mm
        width: 170mm
        style: body
        text: "{{氏名}} 様 {{eGRF}}"
YAML
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 2; } >"$WORK/list.csv"
job_yaml paths "$WORK/list.csv" highrisk "$WORK/layouts/a.yaml" \
  "$WORK/list.csv" other "$WORK/layouts/a.yaml" >"$WORK/job.yaml"
expect_exit 3 "$TEGAMI" check "$WORK/job.yaml"
grep -q "^$WORK/layouts/parts.yaml:3:" "$WORK/last.err" \
  || { cat "$WORK/last.err" >&2; fail "the included file is not named by its absolute path"; }

# the include fixed, the design's own mistake, shared by two lists: once
sed -i 's/colour: black/color: "#000000"/' "$WORK/layouts/parts.yaml"
expect_exit 3 "$TEGAMI" check "$WORK/job.yaml"
[ "$(grep -c 'template.unknown-field' "$WORK/last.err")" = 1 ] \
  || { cat "$WORK/last.err" >&2; fail "the shared design's mistake is not told exactly once"; }
grep -q "^$WORK/layouts/a.yaml:10:" "$WORK/last.err" || fail "the design is not named whole"

# a municipality without a fax number: the production designs still check
job_yaml withoutfx "$TEGAMI_SRC/samples/targets/highrisk.csv" highrisk "$TEGAMI_SRC/layouts/highrisk.yaml" \
  "$TEGAMI_SRC/samples/targets/dropout.csv" dropout "$TEGAMI_SRC/layouts/dropout.yaml" \
  | sed 's|values: {|values: {deadline: 2026-11-30, highrisk_visit_share: "", dropout_visit_share: "", |' \
    >"$WORK/nofax.yaml"
grep -q "fax:" "$WORK/nofax.yaml" && fail "the job should have no fax"
set +e
"$TEGAMI" check "$WORK/nofax.yaml" >"$WORK/nofax.out" 2>"$WORK/nofax.err"
set -e
if grep -q 'sender.fax\|template.unknown' "$WORK/nofax.err"; then
  cat "$WORK/nofax.err" >&2
  fail "a sender without fax is refused"
fi
pass "absolute paths whole, shared mistakes once, fax optional"
