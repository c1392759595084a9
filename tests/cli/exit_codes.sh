#!/bin/sh
# Exit codes as listed in --help: 0 all rendered, 1 some rejected (listed in
# rejected.csv), 2 usage, 3 invalid input with nothing written, 4 system.
. "$(dirname "$0")/../lib/common.sh"
expect_exit 0 "$TEGAMI" --version
grep -q '^tegami ' "$WORK/last.out" || fail "--version prints no version"
expect_exit 0 "$TEGAMI" --help
for code in 0 1 2 3 4; do grep -q "^  $code  " "$WORK/last.out" || fail "--help does not list exit code $code"; done
expect_exit 2 "$TEGAMI"
expect_exit 2 "$TEGAMI" frobnicate
expect_exit 2 "$TEGAMI" run
expect_exit 2 "$TEGAMI" run --bogus x.yaml
pass "usage errors exit 2"

# 3: an invalid design stops the run before the output folder exists
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 2; } >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
sed 's/^        width: 170mm$/        widht: 170mm/' "$TEGAMI_SRC/layouts/highrisk-standard.yaml" >"$WORK/broken.yaml"
sed "s|design: .*|design: $WORK/broken.yaml|" "$WORK/job.yaml" >"$WORK/job-broken.yaml"
expect_exit 3 "$TEGAMI" run "$WORK/job-broken.yaml" -o "$WORK/out-invalid"
[ ! -e "$WORK/out-invalid" ] || fail "an invalid run left $WORK/out-invalid behind"
grep -q "unknown key 'widht'" "$WORK/last.err" || fail "no message for the broken design"
pass "invalid design exits 3 and writes nothing"

# 1: a row with an empty address is rejected, the rest rendered
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 2
  printf '99,0000003,14000000003,見本　三郎,ﾐﾎﾝ ｻﾌﾞﾛｳ,男,70,S31.05.02,252-0028,,140,88,101,5.7,197,55.0,4050718\r\n'
} >"$WORK/list3.csv"
write_job "$WORK/job3.yaml" "$WORK/list3.csv"
expect_exit 1 "$TEGAMI" run "$WORK/job3.yaml" -o "$WORK/out3"
grep -q 'row 4' "$WORK/last.err" || fail "the rejected row is not named"
[ "$(tail -n +2 "$WORK/out3/rejected.csv" | wc -l)" = 1 ] || fail "rejected.csv should list 1 row"
grep -q ',4,14000000003,' "$WORK/out3/rejected.csv" || fail "rejected.csv does not name row 4 and its key"
grep -q '見本' "$WORK/out3/rejected.csv" "$WORK/last.err" && fail "a name leaked into rejected.csv or a message"
grep -q '"rendered": 2' "$WORK/out3/summary.json" || fail "summary.json does not count 2 rendered"
pass "a rejected row exits 1, is listed without personal data, the rest is rendered"

# 2: an existing output folder is not overwritten without --force
expect_exit 2 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out3"
grep -q -- '--force' "$WORK/last.err" || fail "no hint about --force"
grep -q ',4,14000000003,' "$WORK/out3/rejected.csv" || fail "the refused run changed the folder"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/out3" --force
[ "$(tail -n +2 "$WORK/out3/rejected.csv" | wc -l)" = 0 ] || fail "--force did not replace the earlier output"
pass "existing outputs are kept unless --force, then replaced whole"

# 4: an output folder that cannot be created
expect_exit 4 "$TEGAMI" run "$WORK/job.yaml" -o /proc/tegami-cannot-write-here
pass "system errors exit 4"
