#!/bin/sh
# Worker threads never change the output: --jobs 1 and --jobs 2 write the
# same files with the same bytes (PDFs, manifest, summaries, checksums, trace).
. "$(dirname "$0")/../lib/common.sh"
{ printf '%s\r\n' "$HIGHRISK_HEADER"; highrisk_rows 120; } >"$WORK/list.csv"
write_job "$WORK/job.yaml" "$WORK/list.csv"
printf 'output:\n  batch-size: 25\n  duplex: true\n' >>"$WORK/job.yaml"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/one" --jobs 1 --trace "$WORK/one.trace"
expect_exit 0 "$TEGAMI" run "$WORK/job.yaml" -o "$WORK/two" --jobs 2 --trace "$WORK/two.trace"
(cd "$WORK/one" && find . -type f | sort) >"$WORK/files"
[ "$(grep -c '\.pdf$' "$WORK/files")" = 5 ] || fail "expected 5 batch files"
(cd "$WORK/two" && find . -type f | sort) | cmp -s - "$WORK/files" || fail "different files written"
while read -r f; do
  cmp -s "$WORK/one/$f" "$WORK/two/$f" || fail "$f differs between --jobs 1 and --jobs 2"
done <"$WORK/files"
cmp -s "$WORK/one.trace" "$WORK/two.trace" || fail "the traces differ"
pass "--jobs 1 and --jobs 2: $(wc -l <"$WORK/files") files, byte for byte identical"
