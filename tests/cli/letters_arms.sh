#!/bin/sh
# A/B arms reach the letter: with an experiment over the production design,
# every letter gets its arm's text and never the other arm's (loss frame in
# loss letters, gain frame in gain letters); an experiment arm the design has
# no letter for stops the run before anything is written.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
export TEGAMI_TEST_SALT=letters-arms-test-salt-0123456789
job() { # job FILE ARMS
  cat >"$1" <<JOB
kind: job
id: arms-test
date: 2026-10-01
municipalities:
  - id: "14999"
    name: 見本市
    sender: {department: 保険年金課, section: 国保健康係, phone: 046-000-0000, fax: 046-000-0001,
             hours: 平日, address: 見本市本町1-1}
    values: {clinic_url: "https://example.jp/clinics", deadline: 2026-12-25,
             highrisk_visit_share: "", dropout_visit_share: ""}
    lists:
      - file: $TEGAMI_SRC/samples/targets/highrisk.csv
        type: highrisk
        design: $TEGAMI_SRC/layouts/highrisk.yaml
        variant-column: 通知版
      - file: $TEGAMI_SRC/samples/targets/dropout.csv
        type: dropout
        design: $TEGAMI_SRC/layouts/dropout.yaml
experiment:
  name: frame
  salt-env: TEGAMI_TEST_SALT
  arms: {$2}
JOB
}
job "$WORK/job.yaml" "loss: 1, gain: 1"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out" --no-pdf --trace "$WORK/trace"
# which frame blocks each letter shows, by the arm the trace names
awk '/^letter /{ arm = "none"; for (i = 1; i <= NF; i++) if ($i ~ /^arm=/) arm = substr($i, 5) }
     /block=frame-(loss|gain)/{ match($0, /block=frame-(loss|gain)/); print arm, substr($0, RSTART + 6, RLENGTH - 6) }' \
  "$WORK/trace" | sed 's/-easy$//' | sort -u >"$WORK/seen"
cat >"$WORK/want" <<W
gain frame-gain
loss frame-loss
W
cmp -s "$WORK/seen" "$WORK/want" || { cat "$WORK/seen" >&2; fail "a letter shows another arm's frame"; }
letters=$(grep -c '^letter ' "$WORK/trace")
framed=$(awk '/^letter /{ n++ } /block=frame-(loss|gain)/{ seen[n] = 1 } END { print length(seen) }' "$WORK/trace")
[ "$letters" = 10 ] && [ "$framed" = 10 ] || fail "$framed of $letters letters carry a frame"
pass "10 letters, each with its own arm's frame only"

job "$WORK/bad.yaml" "letter: 1, control: 1"
expect_exit 3 "$TEGAMI" run "$WORK/bad.yaml" -o "$WORK/bad"
grep -q "job.arm" "$WORK/last.err" || fail "an arm the design lacks is not reported"
[ -e "$WORK/bad" ] && fail "the output folder was created"
pass "an experiment arm the design has no letter for stops the run"
