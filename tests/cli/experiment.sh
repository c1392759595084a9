#!/bin/sh
# An A/B experiment in a run: the job names the arms and where the secret
# salt is (never the salt itself); every letter gets an arm, written to
# assignment.csv; arms are balanced and do not depend on the order of the
# list; batches are cut per arm; a person without a key is rejected, not
# silently left out of the experiment.
. "$(dirname "$0")/../lib/common.sh"
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 41
  printf '99,0000999,,見本　九郎,ﾐﾎﾝ ｸﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目1番1号,140,88,101,5.7,197,55.0,4050718\r\n'
} >"$WORK/list.csv"
head -1 "$WORK/list.csv" >"$WORK/reversed.csv"; tail -n +2 "$WORK/list.csv" | tac >>"$WORK/reversed.csv"
experiment='experiment:
  name: frame-test
  salt-env: TEGAMI_TEST_SALT
  arms: {loss: 1, gain: 1}'
write_job "$WORK/job.yaml" "$WORK/list.csv"; printf '%s\n' "$experiment" >>"$WORK/job.yaml"
write_job "$WORK/job-r.yaml" "$WORK/reversed.csv"; printf '%s\n' "$experiment" >>"$WORK/job-r.yaml"
sed -i 's/^id: test-job/id: test-job/' "$WORK/job-r.yaml"

expect_exit 3 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/nosalt"
grep -q 'TEGAMI_TEST_SALT' "$WORK/last.err" || fail "a missing salt is not reported"
export TEGAMI_TEST_SALT=0123456789abcdef-test-salt
expect_exit 1 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/a"
grep -q 'data.required\|assign.unassigned' "$WORK/a/rejected.csv" || fail "the row without a key is not rejected"
[ "$(tail -n +2 "$WORK/a/staff/assignment.csv" | wc -l)" = 41 ] || fail "assignment.csv should list 41 letters"
loss=$(tail -n +2 "$WORK/a/staff/assignment.csv" | grep -c ',loss,')
gain=$(tail -n +2 "$WORK/a/staff/assignment.csv" | grep -c ',gain,')
[ $((loss - gain)) -le 1 ] && [ $((gain - loss)) -le 1 ] || fail "arms are not balanced: $loss vs $gain"
ls "$WORK/a"/14999_highrisk_standard_loss_001.pdf "$WORK/a"/14999_highrisk_standard_gain_001.pdf >/dev/null \
  || fail "no batch per arm"
grep -q "$TEGAMI_TEST_SALT" "$WORK"/a/* "$WORK/last.err" && fail "the salt leaked into an output"
pass "41 letters: $loss loss / $gain gain, one batch per arm, salt never written"

expect_exit 1 "$TEGAMI" run "$WORK/job-r.yaml" -o "$WORK/r"
arms() { tail -n +2 "$1" | awk -F, '{ print $2, $7 }' | sort; }
arms "$WORK/a/staff/assignment.csv" >"$WORK/arms-a"; arms "$WORK/r/staff/assignment.csv" >"$WORK/arms-r"
cmp -s "$WORK/arms-a" "$WORK/arms-r" || fail "the arms depend on the order of the list"
TEGAMI_TEST_SALT=another-salt-0123456789 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/b" >/dev/null 2>&1 || true
arms "$WORK/b/staff/assignment.csv" | cmp -s - "$WORK/arms-a" && fail "a different salt gave the same assignment"
pass "same arms whatever the row order; another salt, another assignment"
