#!/bin/sh
# Every design shipped in layouts/ proofs with the shipped personas
# (samples/personas.yaml), with no error and no persona left without a
# letter: a design without segments takes the personas whose columns it
# uses.  Files that are not designs (kind: blocks, envelopes, labels) are
# left out.  Only the traces are written, to keep the test fast.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
n=0
for design in layouts/*.yaml; do
  grep -q '^kind: design' "$design" || continue
  name=$(basename "$design" .yaml)
  expect_exit 0 "$TEGAMI" proof "$design" --personas samples/personas.yaml --no-pdf \
    --trace "$WORK/$name.trace" -o "$WORK/$name"
  grep -q 'error' "$WORK/last.err" && fail "$name: $(cat "$WORK/last.err")"
  letters=$(sed -n 's/^proofs: [0-9]* personas, \([0-9]*\) letters.*/\1/p' "$WORK/last.err")
  [ "${letters:-0}" -gt 0 ] || fail "$name: no letter was proofed"
  pass "$name: $letters letters"
  n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n designs in layouts/"
