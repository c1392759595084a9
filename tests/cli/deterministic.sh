#!/bin/sh
# Same inputs, same bytes: two runs of the sample job give identical PDFs and
# summaries (dates come from the job, never from the clock).
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/a"
sleep 1
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/b"
# every file of the output folder, the PDFs, manifest and checksums included
(cd "$WORK/a" && find . -type f | sort) >"$WORK/files-a"
(cd "$WORK/b" && find . -type f | sort) >"$WORK/files-b"
cmp -s "$WORK/files-a" "$WORK/files-b" || fail "the two runs wrote different files"
while read -r f; do
  cmp -s "$WORK/a/$f" "$WORK/b/$f" || fail "$f differs between two runs"
done <"$WORK/files-a"
pdfinfo -isodates "$WORK"/a/14999_highrisk_standard_001.pdf | grep -q '^CreationDate: *2026-10-01T00:00:00' \
  || fail "the PDF date is not the job date"
pass "two runs give byte-identical outputs"
