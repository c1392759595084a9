#!/bin/sh
# `tegami purge DIR` removes a tegami output folder (outputs, proofs and the
# temporaries of an interrupted run) and records it in the audit log; it
# refuses symbolic links, folders that are not tegami's, and folders holding
# anything tegami does not write — removing nothing in those cases.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out" --png
: >"$WORK/out/.letters.pdf.tmp-4242-0"          # left by a killed run
entries=$(wc -l <"$WORK/audit.log") # the run itself is recorded
expect_exit 0 "$TEGAMI" purge --dry-run "$WORK/out"
[ -f "$WORK/out/14999_highrisk_standard_001.pdf" ] || fail "--dry-run removed something"
grep -q 'would remove .*proofs/14999_highrisk_standard_001-0001.png' "$WORK/last.out" || fail "--dry-run did not list the proofs"
[ "$(wc -l <"$WORK/audit.log")" = "$entries" ] || fail "--dry-run wrote to the audit log"
expect_exit 0 "$TEGAMI" purge "$WORK/out"
[ ! -e "$WORK/out" ] || fail "the output folder is still there"
grep -q '"command":"purge"' "$WORK/audit.log" || fail "the purge is not in the audit log"
grep -q 'letters.pdf.tmp-4242-0' "$WORK/audit.log" || fail "the temporary is not listed as removed"
pass "outputs, proofs and temporaries removed and recorded"

# an interrupted run: only temporaries, no summary.json yet
mkdir -m 700 "$WORK/killed"
: >"$WORK/killed/.letters.pdf.tmp-77-3"
expect_exit 0 "$TEGAMI" purge "$WORK/killed"
[ ! -e "$WORK/killed" ] || fail "the folder of an interrupted run is still there"
pass "the temporaries of an interrupted run are purged"

# not a tegami folder: refused, nothing removed
mkdir "$WORK/notes"
echo x >"$WORK/notes/report.txt"
expect_exit 2 "$TEGAMI" purge "$WORK/notes"
grep -q 'purge.not-output' "$WORK/last.err" || fail "a folder without summary.json was not refused"
[ -f "$WORK/notes/report.txt" ] || fail "a refused purge removed a file"

# a symbolic link to an output folder: refused, the target untouched
expect_exit 0 "$TEGAMI" run samples/job.yaml -o "$WORK/out2"
ln -s "$WORK/out2" "$WORK/link"
expect_exit 2 "$TEGAMI" purge "$WORK/link"
grep -q 'purge.symlink' "$WORK/last.err" || fail "a symlinked folder was not refused"
[ -f "$WORK/out2/14999_highrisk_standard_001.pdf" ] || fail "purge followed a symbolic link"

# a symbolic link or an unknown file inside: refused, nothing removed
ln -s /etc/hostname "$WORK/out2/evil.pdf"
expect_exit 2 "$TEGAMI" purge "$WORK/out2"
grep -q 'evil.pdf is a symbolic link' "$WORK/last.err" || fail "a link inside was not named"
[ -f "$WORK/out2/14999_highrisk_standard_001.pdf" ] && [ -f /etc/hostname ] || fail "a refused purge removed something"
rm "$WORK/out2/evil.pdf"
echo notes >"$WORK/out2/notes.docx"
expect_exit 2 "$TEGAMI" purge "$WORK/out2"
grep -q 'notes.docx is a file, which tegami does not write' "$WORK/last.err" || fail "an unknown file was not named"
[ -f "$WORK/out2/14999_highrisk_standard_001.pdf" ] || fail "a refused purge removed something"
pass "symlinks, foreign folders and unknown files refused; nothing removed"
expect_exit 2 "$TEGAMI" purge
expect_exit 3 "$TEGAMI" purge "$WORK/does-not-exist"
