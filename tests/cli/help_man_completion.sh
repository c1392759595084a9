#!/bin/sh
# Every command has its own help: `tegami COMMAND --help`, `-h` and
# `tegami help COMMAND` print the same text and exit 0.  The manual page
# tegami(1) and the bash completion the build writes (from the same table)
# list every command and every option that --help lists, the page is clean
# roff, and the completion completes commands, options and their values.
. "$(dirname "$0")/../lib/common.sh"
BUILD=${TEGAMI_BUILD_DIR:-$(dirname "$TEGAMI")/..}
MAN=$BUILD/tegami.1
COMPLETION=$BUILD/tegami.bash-completion
[ -f "$MAN" ] && [ -f "$COMPLETION" ] || fail "the build wrote no tegami.1 or completion in $BUILD"

expect_exit 0 "$TEGAMI" --help
commands=$(sed -n '/^commands:$/,/^$/p' "$WORK/last.out" | awk 'NF > 1 { print $1 }')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "--help lists too few commands: $commands"
for c in $commands; do
  expect_exit 0 "$TEGAMI" "$c" --help
  cp "$WORK/last.out" "$WORK/help.$c"
  head -1 "$WORK/help.$c" | grep -q "^usage: tegami $c " || fail "$c --help has no usage line"
  expect_exit 0 "$TEGAMI" help "$c"
  cmp -s "$WORK/last.out" "$WORK/help.$c" || fail "'tegami help $c' differs from '$c --help'"
  expect_exit 0 "$TEGAMI" "$c" -h
  cmp -s "$WORK/last.out" "$WORK/help.$c" || fail "'$c -h' differs from '$c --help'"
  # every option (and subcommand word) of --help is in the page's section of the command
  sed -n "/^\.SS \"tegami $c\"/,/^\.SS /p" "$MAN" | sed 's/\\f[BIR]//g; s/\\-/-/g' >"$WORK/man.$c"
  [ -s "$WORK/man.$c" ] || fail "tegami(1) has no section for $c"
  sed -n '/^options:$/,/^$/p' "$WORK/help.$c" | grep '^  [^ ]' | cut -c3-20 | sed 's/ *$//' |
    while read -r spec; do
      grep -qxF -- "$spec" "$WORK/man.$c" || { echo "FAIL: '$spec' of $c --help is not in tegami(1)" >&2; exit 1; }
      for opt in $(echo "$spec" | tr ',' ' '); do
        case $opt in --*|-?) grep -qE -- "^ +$c\) opts='([^']* )?$opt[ ']" "$COMPLETION" \
          || { echo "FAIL: $opt of $c is not completed" >&2; exit 1; } ;; esac
      done
    done
done
pass "$(echo "$commands" | wc -w) commands: --help, -h and help COMMAND agree; page and completion list every option"

expect_exit 2 "$TEGAMI" help frobnicate
grep -q "unknown command 'frobnicate'" "$WORK/last.err" || fail "help of an unknown command"
"$TEGAMI" help --man | cmp -s - "$MAN" || fail "tegami.1 of the build is not what 'help --man' prints"

if command -v groff >/dev/null 2>&1; then
  # (the suite sets SOURCE_DATE_EPOCH empty, which troff refuses)
  env -u SOURCE_DATE_EPOCH LC_ALL=C groff -man -ww -z -Tutf8 "$MAN" 2>"$WORK/groff.err" \
    || echo "groff exited $?" >>"$WORK/groff.err"
  [ ! -s "$WORK/groff.err" ] || { cat "$WORK/groff.err" >&2; fail "groff warns about tegami(1)"; }
  env -u SOURCE_DATE_EPOCH LC_ALL=C groff -man -Tutf8 "$MAN" 2>/dev/null | grep -q '町域' || fail "Japanese text is lost from tegami(1)"
  pass "tegami(1) formats without a warning, in any locale"
fi

if command -v bash >/dev/null 2>&1; then
  mkdir "$WORK/c" "$WORK/c/outdir"; : >"$WORK/c/job.yaml"
  complete_words() { # complete_words WORD...: what bash offers for the last word
    (cd "$WORK/c" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
      _tegami; printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION" "$@" | sort | tr '\n' ' ')
  }
  [ "$(complete_words tegami pr)" = "preflight proof " ] || fail "commands: $(complete_words tegami pr)"
  [ "$(complete_words tegami run --f)" = "--fontset --force " ] || fail "options: $(complete_words tegami run --f)"
  [ "$(complete_words tegami run -o o)" = "outdir " ] || fail "-o takes a folder: $(complete_words tegami run -o o)"
  [ "$(complete_words tegami check j)" = "job.yaml " ] || fail "files: $(complete_words tegami check j)"
  [ "$(complete_words tegami audit v)" = "verify " ] || fail "audit verify: $(complete_words tegami audit v)"
  [ "$(complete_words tegami help ev)" = "evaluate " ] || fail "help COMMAND: $(complete_words tegami help ev)"
  [ -z "$(complete_words tegami run --jobs j | tr -d " ")" ] || fail "--jobs takes a number, not a file"
  pass "bash completes commands, options, folders and files"
fi
