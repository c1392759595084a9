# tests/lib/common.sh — helpers for the shell tests (sourced, not run).
#   TEGAMI      the CLI under test (first argument of every test script)
#   TEGAMI_SRC  the source tree;  WORK: a private scratch folder, removed on exit
set -eu
TEGAMI=${1:?usage: $0 path/to/tegami}
TEGAMI_SRC=${TEGAMI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export TEGAMI_DATA_DIR=${TEGAMI_DATA_DIR:-$TEGAMI_SRC}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tegami-test.XXXXXX")
. "$TEGAMI_SRC/tests/lib/glyph_check.sh"
. "$TEGAMI_SRC/tests/lib/job_yaml.sh"

# Every PDF a test leaves in $WORK is preflighted before it is removed: a
# missing-character glyph (.notdef) or a font that is not embedded fails the
# test, whatever the test was about.  PDFs that cannot be read (encrypted,
# deliberately damaged) and files named *.bad.pdf are left to their test.
sweep_pdfs() {
  status=$?
  find "$WORK" -name '*.pdf' ! -name '*.bad.pdf' 2>/dev/null | while read -r pdf; do
    if ! pdf_glyphs_ok "$TEGAMI" "$pdf" "$WORK/.preflight.err"; then
      cat "$WORK/.preflight.err" >&2
      echo "FAIL: $pdf draws a missing glyph or uses a font that is not embedded" >&2
      echo 1 >"$WORK/.swept-bad"
    fi
  done
  [ -f "$WORK/.swept-bad" ] && status=1
  rm -rf "$WORK"
  exit "$status"
}
trap sweep_pdfs EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect_exit CODE CMD...: run CMD, fail unless it exits with CODE.
expect_exit() {
  want=$1; shift
  set +e
  "$@" >"$WORK/last.out" 2>"$WORK/last.err"
  got=$?
  set -e
  if [ "$got" != "$want" ]; then
    cat "$WORK/last.err" >&2
    fail "expected exit $want, got $got: $*"
  fi
}

# A job over the sample design with the list given as $2, written to $1.
write_job() {
  JOB_TITLE=test job_yaml test-job "$2" highrisk "$TEGAMI_SRC/layouts/highrisk-standard.yaml" >"$1"
}

HIGHRISK_HEADER='被保険者記号,被保険者番号,KDB個人番号,氏名,氏名カナ,性別,年齢,生年月日,郵便番号,住所,収縮期血圧,拡張期血圧,空腹時血糖,HbA1c,LDLコレステロール,eGFR,国保取得年月日'

# highrisk_rows N: N synthetic rows in the sample list's columns.
highrisk_rows() {
  i=1
  while [ "$i" -le "$1" ]; do
    printf '99,%07d,%011d,見本　%d郎,ﾐﾎﾝ ﾀﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目%d番1号,140,88,101,5.7,197,55.0,4050718\r\n' \
      "$i" "$((14000000000 + i))" "$i" "$i"
    i=$((i + 1))
  done
}
