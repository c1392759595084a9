#!/bin/sh
# Messages in the user's language (docs/i18n.md): --help, one command's
# help, diagnostics, the summary and the progress line are Japanese when the
# locale is Japanese — whether ja_JP.UTF-8 is installed or not — and English
# otherwise; codes stay the same.  The error corpus in Japanese is
# tests/errors/*/expected.ja.txt (ctest -L i18n).
. "$(dirname "$0")/../lib/common.sh"
ja() { env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=ja_JP.UTF-8 "$@"; }

# --help and COMMAND --help
ja "$TEGAMI" --help >"$WORK/help.ja" || fail "--help in Japanese exits $?"
grep -q '^使い方: tegami コマンド' "$WORK/help.ja" || fail "--help is not in Japanese"
grep -q '^終了コード:' "$WORK/help.ja" || fail "--help in Japanese has no exit codes"
grep -q '^  run       JOB.yaml  *ジョブの通知をすべて' "$WORK/help.ja" || fail "command summaries are not in Japanese"
for code in 0 1 2 3 4; do grep -q "^  $code  " "$WORK/help.ja" || fail "--help in Japanese lacks exit code $code"; done
ja "$TEGAMI" run --help >"$WORK/run.ja"
grep -q '^使い方: tegami run JOB.yaml \[オプション\]' "$WORK/run.ja" || fail "run --help is not in Japanese"
grep -q '^  -o, --out DIR      出力フォルダー（既定: out）' "$WORK/run.ja" || fail "run's options are not in Japanese"
"$TEGAMI" --help >"$WORK/help.en"
grep -q '^usage: tegami COMMAND' "$WORK/help.en" || fail "--help is not in English in C.UTF-8"
pass "--help in Japanese and English"

# every command's options, new commands' included: no line left in English
cmds=$("$TEGAMI" help --bash-completion | sed -n "s/^ *local commands='\\(.*\\)'$/\\1/p")
[ -n "$cmds" ] || fail "no command list in the completion script"
for c in $cmds; do
  [ "$c" = help ] && continue
  ja "$TEGAMI" "$c" --help | LC_ALL=C awk -v c="$c" '/^  / && !/[\200-\377]/ { print c ": " $0; bad = 1 } END { exit bad }' ||
    fail "$c --help has option lines in English"
done
pass "every command's options in Japanese"

# the locale's variants: LC_MESSAGES, LANGUAGE with C.UTF-8, C wins over LANGUAGE
env -u LC_ALL LANG=C.UTF-8 LC_MESSAGES=ja_JP.UTF-8 "$TEGAMI" --help | grep -q '^使い方' ||
  fail "LC_MESSAGES=ja_JP.UTF-8 does not give Japanese"
LC_ALL=C.UTF-8 LANGUAGE=ja "$TEGAMI" --help | grep -q '^使い方' || fail "LANGUAGE=ja does not give Japanese"
LC_ALL=C LANGUAGE=ja "$TEGAMI" --help | grep -q '^usage:' || fail "LC_ALL=C is not English"
env -u LC_ALL LANG=fr_FR.UTF-8 "$TEGAMI" --help | grep -q '^usage:' || fail "a language without a catalogue is not English"
pass "LC_MESSAGES, LANGUAGE, C and other languages"

# a real ja_JP.UTF-8 locale, compiled into a private folder (no root needed)
if command -v localedef >/dev/null 2>&1 &&
  localedef -i ja_JP -f UTF-8 "$WORK/locale/ja_JP.UTF-8" >/dev/null 2>&1 ||
  [ -d "$WORK/locale/ja_JP.UTF-8" ]; then
  env -u LC_ALL LOCPATH="$WORK/locale" LANG=ja_JP.UTF-8 "$TEGAMI" --help >"$WORK/help.loc"
  cmp -s "$WORK/help.loc" "$WORK/help.ja" || fail "an installed ja_JP.UTF-8 gives another help than the fallback"
  pass "an installed ja_JP.UTF-8 locale"
else
  echo "note: localedef cannot build ja_JP.UTF-8 here; the installed-locale case is not run"
fi

# usage errors, diagnostics and the summary of a check; codes unchanged
ja "$TEGAMI" frobnicate 2>"$WORK/usage.ja" && fail "an unknown command succeeds"
grep -q "^tegami: 不明なコマンド 'frobnicate' です" "$WORK/usage.ja" || fail "usage error not in Japanese"
case_dir="$TEGAMI_SRC/tests/errors/segment-gaps-and-overlaps"
(cd "$case_dir" && ja "$TEGAMI" check job.yaml) >/dev/null 2>"$WORK/check.ja" && fail "check succeeds"
grep -q '^list.csv: 5 行目、列 eGFR: エラー: 値が数ではありません \[data.number\]$' "$WORK/check.ja" ||
  fail "a row's diagnostic is not in Japanese"
grep -q '^読み込んだ行              4$' "$WORK/check.ja" || fail "the summary is not in Japanese (or not aligned)"
grep -q '^差し戻し                  3  （上のメッセージを参照）$' "$WORK/check.ja" || fail "summary line"
pass "diagnostics and the summary in Japanese, codes unchanged"

# the progress line (only on a terminal): run under a pseudo-terminal
cat >"$WORK/on_tty.py" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
PY
cp -r "$case_dir" "$WORK/case"
(cd "$WORK/case" && ja python3 "$WORK/on_tty.py" "$TEGAMI" run job.yaml -o "$WORK/out" --no-pdf --trace "$WORK/trace.txt") >"$WORK/pty.out" || true
grep -q '1/1 通' "$WORK/pty.out" || fail "the progress line is not in Japanese: $(tr '\r' '\n' <"$WORK/pty.out" | head -5)"
pass "progress line in Japanese"
