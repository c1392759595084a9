#!/bin/sh
# Bad-input test (ctest: bad.<case>): run tegami on one broken input of
# tests/bad-inputs/<case>/ and check that it fails the way the case says —
# and the way every bad input must: no crash, no hang, no sanitizer report,
# no personal data in a message, and never a partial output that looks
# complete.  docs/reliability.md explains the corpus and how to add a case.
#
# A case folder holds its input files and:
#   cmd     the tegami arguments, one line, shell words (@SRC@ = the source
#           tree, @SHARED@ = the shared folder, @TMP@ = the case's temp copy)
#   expect  one check per line (# starts a comment):
#             exit N               the exit code (required)
#             stderr REGEX         stderr matches (grep -E); repeat for more
#             stderr-not REGEX     stderr does not match
#             no-output DIR        DIR does not exist after the run
#             output DIR           DIR is a complete output: SHA256SUMS verifies
#             unchanged DIR        DIR is byte for byte what it was before
#             contains FILE REGEX  / not-contains FILE REGEX
#             limit-file-blocks N  run under `ulimit -f N` with SIGXFSZ ignored,
#                                  so writes past N blocks fail with EFBIG
#             rerun N              then run again without the limit: exit N
#             needs-shared         skip (77) without gen_targets.py and python3
#   setup   optional shell script run first in the temp copy (generated
#           inputs: a 10 MB field, symlinks, files of another encoding); its
#           exit 77 skips the case
# The case runs in a private copy of its folder, so it may write anything
# there.  Every file of tests/bad-inputs/common/ (job.yaml, letter.yaml,
# list.csv: a job that runs cleanly) the case does not hold itself is copied
# in first, so a case holds only what it breaks.
#
# Checked for every case, whatever `expect` says:
#   - exit code below 128 (no signal) and not a timeout (120 s: no hang);
#   - no AddressSanitizer/UBSan/LeakSanitizer report on stderr;
#   - stderr never contains 機密: every synthetic name and address in the
#     corpus holds that word, so a message quoting a value is caught;
#   - the output folder (-o DIR, else out) is absent, unchanged, or complete
#     (SHA256SUMS present and verifying); no staging folder (.tegami-tmp-)
#     or hidden temporary (.NAME.tmp-PID-N) is left beside or inside it;
#   - the reports in it (rejected.csv, manifest.csv, summaries) hold no 機密,
#     and its PDFs pass `tegami preflight` as far as missing glyphs (.notdef)
#     and embedded fonts go.
# TEGAMI_BAD_VERBOSE=1 shows tegami's stderr even when the case passes.
set -eu
TEGAMI=$1
CASE=$(cd "$2" && pwd)
SRC=${TEGAMI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${TEGAMI_SHARED:-$SRC/../shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tegami-bad.XXXXXX")
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/lib/glyph_check.sh"

cp -R "$CASE" "$TMP/case"
for f in "$(dirname "$CASE")"/common/*; do
  [ -e "$TMP/case/$(basename "$f")" ] || cp "$f" "$TMP/case/"
done
cd "$TMP/case"
export TEGAMI_AUDIT_LOG="$TMP/audit.log"

# the expect file, without comments and blank lines
sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' expect >"$TMP/expect"
directive() { sed -n "s/^$1[[:space:]]\{1,\}//p" "$TMP/expect"; }
want=$(directive exit)
[ -n "$want" ] || fail "expect has no 'exit N' line"

if grep -q '^needs-shared' "$TMP/expect"; then
  if [ ! -f "$SHARED/gen_targets.py" ] || ! command -v python3 >/dev/null; then
    echo "skipped: TEGAMI_SHARED/gen_targets.py or python3 not found"
    exit 77
  fi
fi
if [ -f setup ]; then
  set +e
  SRC=$SRC SHARED=$SHARED TEGAMI=$TEGAMI sh ./setup
  st=$?
  set -e
  [ "$st" = 77 ] && { echo "skipped by setup"; exit 77; }
  [ "$st" = 0 ] || fail "setup failed ($st)"
fi

args=$(sed -e "s|@SRC@|$SRC|g" -e "s|@SHARED@|$SHARED|g" -e "s|@TMP@|$TMP|g" cmd)
eval "set -- $args"
# the output folder the command names
out=out
prev=
for a in "$@"; do
  case $prev in -o | --out) out=$a ;; esac
  prev=$a
done

snapshot() { # a listing of every file under $1 with its hash
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    (cd "$1" && find . -type f -exec sha256sum {} + | sort)
  elif [ -e "$1" ] || [ -L "$1" ]; then
    ls -ld "$1" | cut -c1 # a file or a link: its kind
  else
    echo absent
  fi
}
snapshot "$out" >"$TMP/before"

# run: $1 = file-size limit in blocks (empty: none)
run() {
  lim=$1
  shift
  set +e
  (
    if [ -n "$lim" ]; then
      trap '' XFSZ
      ulimit -f "$lim"
    fi
    exec timeout 120 "$TEGAMI" "$@"
  ) >"$TMP/stdout" 2>"$TMP/stderr"
  code=$?
  set -e
}

check_common() {
  if [ "$code" = 124 ]; then fail "tegami did not finish within 120 s (a hang)"; fi
  if [ "$code" -ge 128 ]; then
    cat "$TMP/stderr" >&2
    fail "tegami died of signal $((code - 128))"
  fi
  if grep -q -E 'Sanitizer|runtime error:' "$TMP/stderr"; then
    cat "$TMP/stderr" >&2
    fail "a sanitizer report"
  fi
  if grep -q '機密' "$TMP/stderr"; then
    grep '機密' "$TMP/stderr" >&2
    fail "a message quotes a personal value (機密)"
  fi
  parent=$(dirname "$out")
  base=$(basename "$out")
  leftover=$(find "$parent" -maxdepth 1 -name "$base.tegami-*" 2>/dev/null | head -1)
  [ -z "$leftover" ] || fail "a staging folder was left behind: $leftover"
  if [ -d "$out" ] && [ ! -L "$out" ]; then
    tmpfile=$(find "$out" -name '.*.tmp-*' | head -1)
    [ -z "$tmpfile" ] || fail "a temporary file was left in the output: $tmpfile"
  fi
  snapshot "$out" >"$TMP/after"
  if ! cmp -s "$TMP/before" "$TMP/after" && [ "$(cat "$TMP/after")" != absent ]; then
    # changed: it must be a whole output
    [ -d "$out" ] || fail "$out changed and is not a folder"
    [ -f "$out/SHA256SUMS" ] || fail "$out was written but has no SHA256SUMS: a partial output"
    (cd "$out" && sha256sum --quiet -c SHA256SUMS) >&2 || fail "$out does not match its SHA256SUMS"
    for f in rejected.csv manifest.csv summary.json summary.txt assignment.csv; do
      if [ -f "$out/$f" ] && grep -q '機密' "$out/$f"; then fail "$out/$f holds a personal value"; fi
    done
    # and its PDFs draw no missing glyph (.notdef) and embed their fonts
    for pdf in "$out"/*.pdf; do
      [ -f "$pdf" ] || continue
      if ! pdf_glyphs_ok "$TEGAMI" "$pdf" "$TMP/preflight"; then
        cat "$TMP/preflight" >&2
        fail "$pdf draws a missing glyph or uses a font that is not embedded"
      fi
    done
  fi
}

limit=$(directive limit-file-blocks)
run "$limit" "$@"
[ -z "${TEGAMI_BAD_VERBOSE:-}" ] || cat "$TMP/stderr" >&2
check_common
if [ "$code" != "$want" ]; then
  cat "$TMP/stderr" >&2
  fail "exit $code, expected $want"
fi

while IFS= read -r line; do
  key=${line%%[[:space:]]*}
  arg=$(printf '%s' "$line" | sed 's/^[^[:space:]]*[[:space:]]*//')
  case $key in
  stderr)
    grep -q -E -- "$arg" "$TMP/stderr" || { cat "$TMP/stderr" >&2; fail "stderr does not match: $arg"; } ;;
  stderr-not)
    if grep -q -E -- "$arg" "$TMP/stderr"; then cat "$TMP/stderr" >&2; fail "stderr matches: $arg"; fi ;;
  no-output)
    [ ! -e "$arg" ] && [ ! -L "$arg" ] || fail "$arg exists" ;;
  output)
    [ -f "$arg/SHA256SUMS" ] || fail "$arg has no SHA256SUMS"
    (cd "$arg" && sha256sum --quiet -c SHA256SUMS) >&2 || fail "$arg does not match its SHA256SUMS" ;;
  unchanged)
    [ "$arg" = "$out" ] || fail "'unchanged' only checks the output folder ($out)"
    cmp -s "$TMP/before" "$TMP/after" || fail "$arg was changed" ;;
  contains | not-contains)
    file=${arg%%[[:space:]]*}
    re=$(printf '%s' "$arg" | sed 's/^[^[:space:]]*[[:space:]]*//')
    [ -f "$file" ] || fail "$file does not exist"
    if grep -q -E -- "$re" "$file"; then
      [ "$key" = contains ] || fail "$file matches: $re"
    else
      [ "$key" = not-contains ] || { cat "$file" >&2; fail "$file does not match: $re"; }
    fi ;;
  exit | limit-file-blocks | rerun | needs-shared) ;;
  *) fail "unknown line in expect: $line" ;;
  esac
done <"$TMP/expect"

rerun=$(directive rerun)
if [ -n "$rerun" ]; then
  snapshot "$out" >"$TMP/before"
  run "" "$@"
  check_common
  if [ "$code" != "$rerun" ]; then
    cat "$TMP/stderr" >&2
    fail "the re-run exited $code, expected $rerun"
  fi
  [ -f "$out/SHA256SUMS" ] || fail "the re-run left no complete output in $out"
  echo "ok: exit $want, then $rerun on a re-run"
else
  echo "ok: exit $want"
fi
