#!/bin/sh
# tools/po.sh — the message catalogues of locales/ (docs/i18n.md).
#
#   tools/po.sh pot [OUT]   extract every message from engine/ (default
#                           locales/tegami.pot)
#   tools/po.sh update      refresh locales/tegami.pot and merge it into each
#                           locales/LANG/tegami.po (make po); prints what is
#                           left to translate
#   tools/po.sh check       fail unless every message of a fresh extraction
#                           has a translation that is not fuzzy, in every
#                           catalogue, and msgfmt --check accepts it, and no
#                           message of a tg_diag_* call escaped xgettext
#                           (tools/po_calls.py); the test i18n.catalogue-complete
#
# A message is the format string given to a tg_diag_* function (or to one of
# the few wrappers that format before calling them), or a literal marked _()
# or N_().  Codes such as "data.postal-city" are never messages.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
mode=${1:-update}

# keywords: the function and the argument holding the message
KEYWORDS="-k_ -kN_ -ktg_gettext
  -ktg_diag_at:6 -ktg_diag_row:8 -ktg_diag_add:5 -ktg_diag_hint:2
  -kcli_usage_error:1 -kcli_error:1 -kproblem:4 -kperr:6 -kmerge_error:6 -kdict_err:6
  -ktg_ycheck_keys:2 -ktg_yexpect_map:2 -ktg_open_input:2 -ktg_input_is_file:2"
FLAGS="--flag=tg_diag_at:6:c-format --flag=tg_diag_row:8:c-format
  --flag=tg_diag_add:5:c-format --flag=tg_diag_hint:2:c-format
  --flag=cli_usage_error:1:c-format --flag=cli_error:1:c-format --flag=problem:4:c-format
  --flag=perr:6:c-format --flag=merge_error:6:c-format"
# Keywords that mean different things in different files: "KEYWORDS FILE..."
# per line (the message is an argument of a file's own helper)
SPECIAL="-kreport:4 --flag=report:4:c-format engine/lib/layout/chart.c
-klookup:4 engine/lib/base/schema.c
-kword:2 engine/lib/job/summary.c
-kexpected:2 engine/lib/merge/cond.c"

extract() {
  out=$1
  files=$(find engine -name '*.c' | LC_ALL=C sort)
  # (tg_open_input(path, "", d) is not a message: its warning is dropped)
  # shellcheck disable=SC2086
  xgettext --from-code=UTF-8 --language=C --sort-by-file --no-wrap --add-location=file \
    --package-name=tegami --msgid-bugs-address=tegami@example.jp \
    $KEYWORDS $FLAGS -o "$out" $files 2>"$out.warnings" || { cat "$out.warnings" >&2; exit 1; }
  grep -v 'Empty msgid\|gettext("") returns\|meta information' "$out.warnings" >&2 || true
  rm -f "$out.warnings"
  echo "$SPECIAL" | while read -r line; do
    # shellcheck disable=SC2086
    xgettext --from-code=UTF-8 --language=C --sort-by-file --no-wrap --add-location=file -j \
      --package-name=tegami --msgid-bugs-address=tegami@example.jp -o "$out" $line
  done
  # no date: the file changes only when a message does
  sed -i '/^"POT-Creation-Date:/d; s/^"Content-Type: text\/plain; charset=CHARSET/"Content-Type: text\/plain; charset=UTF-8/' "$out"
}

count() { # number of entries of a .po (header excluded)
  msgattrib "$@" 2>/dev/null | grep -c '^msgid ' | awk '{print ($1 > 0 ? $1 - 1 : 0)}'
}

for tool in xgettext msgmerge msgattrib msgfmt; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "SKIP: $tool is missing (apt-get install gettext)" >&2
    exit 77
  fi
done

case $mode in
pot)
  extract "${2:-locales/tegami.pot}"
  ;;
update)
  extract locales/tegami.pot
  command -v python3 >/dev/null 2>&1 && python3 tools/po_calls.py locales/tegami.pot || true
  for po in locales/*/tegami.po; do
    [ -f "$po" ] || continue
    msgmerge --quiet --update --backup=none --no-wrap --sort-by-file --add-location=file "$po" locales/tegami.pot
    msgattrib --no-wrap --add-location=file --no-obsolete -o "$po" "$po"
    untranslated=$(count --untranslated "$po")
    fuzzy=$(count --only-fuzzy "$po")
    echo "$po: $untranslated untranslated, $fuzzy fuzzy (translate them, remove '#, fuzzy')"
  done
  ;;
check)
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tegami-po.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  extract "$tmp/tegami.pot"
  bad=0
  # a message xgettext could not see (tools/po_calls.py says why)
  if command -v python3 >/dev/null 2>&1 && ! python3 tools/po_calls.py "$tmp/tegami.pot"; then
    echo "FAIL: messages above are not in the catalogue (docs/i18n.md: a variable for the argument before them, N_() on each ?: branch, PRIu64)" >&2
    bad=1
  fi
  for po in locales/*/tegami.po; do
    [ -f "$po" ] || continue
    msgmerge --quiet --no-wrap "$po" "$tmp/tegami.pot" -o "$tmp/merged.po"
    untranslated=$(count --untranslated "$tmp/merged.po")
    fuzzy=$(count --only-fuzzy "$tmp/merged.po")
    if [ "$untranslated" != 0 ] || [ "$fuzzy" != 0 ]; then
      echo "FAIL: $po: $untranslated untranslated, $fuzzy fuzzy messages; run 'make po' and translate:" >&2
      msgattrib --untranslated "$tmp/merged.po" | grep '^msgid ' | sed 1d | head -20 >&2
      msgattrib --only-fuzzy "$tmp/merged.po" | grep '^msgid ' | sed 1d | head -20 >&2
      bad=1
    fi
    if ! msgfmt --check -o /dev/null "$tmp/merged.po"; then
      echo "FAIL: $po: msgfmt --check" >&2
      bad=1
    fi
  done
  [ $bad = 0 ] && echo "ok: every message is translated"
  exit $bad
  ;;
*)
  echo "usage: tools/po.sh pot [OUT] | update | check" >&2
  exit 2
  ;;
esac
