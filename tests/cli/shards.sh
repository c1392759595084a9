#!/bin/sh
# Scale-out: four shards (--shard K/4) together hold exactly the letters of
# one unsharded run — none missing, none twice — and their counts add up;
# `tegami merge` joins them and checks it.
. "$(dirname "$0")/../lib/common.sh"
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 80
  printf '99,0000999,14000000999,見本　九郎,ﾐﾎﾝ ｸﾛｳ,男,70,S31.05.02,252-0028,,140,88,101,5.7,197,55.0,4050718\r\n'
} >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
expect_exit 1 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/all"
for k in 1 2 3 4; do
  set +e
  "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/s$k" --shard "$k/4" >/dev/null 2>&1
  code=$?
  set -e
  [ "$code" = 0 ] || [ "$code" = 1 ] || fail "shard $k exited $code"
done
ids() { tail -n +2 "$1" | cut -d, -f2 | sort; }
ids "$WORK/all/manifest.csv" >"$WORK/all.ids"
for k in 1 2 3 4; do ids "$WORK/s$k/manifest.csv"; done | sort >"$WORK/shards.ids"
[ "$(wc -l <"$WORK/all.ids")" = 80 ] || fail "the unsharded run should render 80 letters"
cmp -s "$WORK/all.ids" "$WORK/shards.ids" || fail "the shards' letters differ from the unsharded run"
for k in 1 2 3 4; do [ "$(ids "$WORK/s$k/manifest.csv" | wc -l)" -gt 0 ] || fail "shard $k is empty"; done
read_total=0
for k in 1 2 3 4; do
  n=$(grep -o '"read": [0-9]*' "$WORK/s$k/summary.json" | head -1 | grep -o '[0-9]*$')
  read_total=$((read_total + n))
done
[ "$read_total" = 81 ] || fail "the shards read $read_total rows, not 81"
rej=$(for k in 1 2 3 4; do tail -n +2 "$WORK/s$k/rejected.csv"; done | wc -l)
[ "$rej" = 1 ] || fail "the rejected row should be reported by exactly one shard"
pass "4 shards = the unsharded run: 80 letters, 81 rows, 1 rejection"

# tegami merge: the joined folder is the whole job, and wrong inputs are refused
expect_exit 1 "$TEGAMI" merge "$WORK/s1" "$WORK/s2" "$WORK/s3" "$WORK/s4" -o "$WORK/merged"
ids "$WORK/merged/manifest.csv" | cmp -s - "$WORK/all.ids" || fail "the merged manifest differs from the unsharded run"
grep -q '"rendered": 80' "$WORK/merged/summary.json" || fail "merged summary does not count 80 letters"
(cd "$WORK/merged" && sha256sum -c SHA256SUMS >/dev/null) || fail "merged SHA256SUMS does not verify"
[ "$(tail -n +2 "$WORK/merged/manifest.csv" | cut -d, -f1 | sort -n | uniq | wc -l)" = 80 ] || fail "sequence numbers are not 1..80"
(cd "$WORK/merged/staff" && sha256sum -c SHA256SUMS >/dev/null) || fail "merged staff/SHA256SUMS does not verify"
tail -n +2 "$WORK/merged/staff/people.csv" | cut -d, -f1 | sort | cmp -s - "$WORK/all.ids" ||
  fail "the merged staff record is not the 80 letters"
pass "merge joins the 4 shards into the whole job"
expect_exit 3 "$TEGAMI" merge "$WORK/s1" "$WORK/s2" "$WORK/s3" -o "$WORK/m3"
grep -q 'shard 4 of 4 is missing' "$WORK/last.err" || fail "a missing shard is not named"
[ ! -e "$WORK/m3" ] || fail "a refused merge wrote output"
expect_exit 3 "$TEGAMI" merge "$WORK/s1" "$WORK/s1" "$WORK/s2" "$WORK/s3" -o "$WORK/m4"
grep -q 'given twice' "$WORK/last.err" || fail "a doubled shard is not reported"
f=$(ls "$WORK"/s2/*.pdf | head -1); printf 'x' >>"$f"
expect_exit 3 "$TEGAMI" merge "$WORK/s1" "$WORK/s2" "$WORK/s3" "$WORK/s4" -o "$WORK/m5"
grep -q 'does not match its checksum' "$WORK/last.err" || fail "a damaged file is not detected"
pass "merge refuses missing, doubled and damaged shards"
