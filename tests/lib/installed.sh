# tests/lib/installed.sh — sourced by the install tests (install_destdir.sh,
# deb_package.sh): what an installed tegami must hold and do.
#
# check_installed ROOT PREFIX: ROOT is a scratch root (a DESTDIR, or a Debian
# package unpacked with dpkg -x), PREFIX the install prefix inside it.  The
# program, its data, the manual page and the completion are in their FHS
# places; the program, run with no environment at all, names ROOT/PREFIX's
# data as its own and renders the installed sample job, leaving the
# installed files as they were.

# run_clean CMD...: CMD with an empty environment (only the sanitizers'
# settings of an ASan build pass: they are not tegami's)
run_clean() {
  env -i ${ASAN_OPTIONS:+"ASAN_OPTIONS=$ASAN_OPTIONS"} ${LSAN_OPTIONS:+"LSAN_OPTIONS=$LSAN_OPTIONS"} \
    ${UBSAN_OPTIONS:+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} "$@"
}

check_installed() {
  p=$1$2
  for f in bin/tegami share/tegami/fonts/fontset.txt share/tegami/locales/ja/readings.tsv \
           share/tegami/locales/ja/counters.tsv share/tegami/locales/ja/postal/KEN_ALL-kanagawa.csv \
           share/tegami/layouts/highrisk.yaml share/tegami/layouts/envelopes/naga3-a4-trifold-90x45.yaml \
           share/tegami/layouts/labels/a-one-12.yaml share/tegami/samples/job.yaml \
           share/tegami/samples/targets/highrisk.csv share/man/man1/tegami.1 \
           share/bash-completion/completions/tegami share/doc/tegami/README.md; do
    [ -f "$p/$f" ] || fail "the install lacks $2/$f"
  done
  [ -x "$p/bin/tegami" ] || fail "$2/bin/tegami is not executable"
  run_clean "$p/bin/tegami" help --man | cmp -s - "$p/share/man/man1/tegami.1" \
    || fail "the installed tegami(1) is not the installed program's 'help --man'"

  expect_exit 0 run_clean "$p/bin/tegami" --help
  grep -qxF "  (the data folder of this tegami: $p/share/tegami)" "$WORK/last.out" \
    || { grep 'data folder' "$WORK/last.out" >&2; fail "the installed tegami does not use $2/share/tegami"; }

  find "$p/share" -exec ls -ld --time-style=+%s {} + | sort >"$WORK/share.before"
  out=$WORK/out-$(basename "$1")
  expect_exit 0 run_clean "$p/bin/tegami" run "$p/share/tegami/samples/job.yaml" -o "$out" \
    --audit-log "$WORK/audit.log"
  grep -q '^letters rendered *10$' "$WORK/last.err" || { cat "$WORK/last.err" >&2; fail "not 10 letters"; }
  [ "$(ls "$out"/*.pdf | wc -l)" = 4 ] || fail "the sample job should give 4 batch PDFs"
  (cd "$out" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not match the outputs"
  find "$p/share" -exec ls -ld --time-style=+%s {} + | sort | cmp -s - "$WORK/share.before" \
    || fail "the run changed the installed files"
}
