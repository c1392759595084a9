#!/bin/bash
# The tour of README.md works as printed.  In a fresh copy of the tree, after
# what `make demo` does, every command of the tour's ```sh blocks runs in
# order, in one bash with the reader's defaults (no TEGAMI_* variables; HOME
# is a scratch folder), and must exit 0, or the code its "# exits N" comment
# says; an output block printed right after a command's block must appear in
# that command's output, line for line.
. "$(dirname "$0")/../lib/common.sh"
SRC=$TEGAMI_SRC
COPY=$WORK/tegami
mkdir -p "$COPY/build/engine" "$WORK/home"
for d in samples layouts fonts locales; do cp -r "$SRC/$d" "$COPY/$d"; done
cp "$SRC/README.md" "$SRC/Makefile" "$COPY/"
ln -s "$(cd "$(dirname "$TEGAMI")" && pwd)/$(basename "$TEGAMI")" "$COPY/build/engine/tegami"

# the tour's commands (CMD) and printed outputs (OUT), fences' indentation removed
awk '
  /^## A five-minute tour/ { tour = 1; next }
  tour && /^## / { exit }
  !tour { next }
  match($0, /^ *```/) {
    if (kind == "") { indent = RLENGTH - 3; lang = substr($0, RLENGTH + 1)
                      kind = lang == "sh" ? "CMD" : (lang == "" && last == "CMD") ? "OUT" : "SKIP"
                      if (kind != "SKIP") nblocks++ }
    else { last = kind; kind = "" }
    next
  }
  kind != "" && kind != "SKIP" { print kind "\t" nblocks "\t" substr($0, indent + 1) }
  kind == "" && NF { last = "" }
' "$COPY/README.md" >"$WORK/tour"
[ "$(grep -c '^CMD' "$WORK/tour")" -ge 10 ] || { cat "$WORK/tour" >&2; fail "found too few tour commands in README.md"; }

# make demo, as the Makefile says it
demo=$(sed -n '/^demo:/,/^$/p' "$COPY/Makefile" | sed -n 's/^\t@\$(TEGAMI) //p')
[ -n "$demo" ] || fail "no demo recipe in the Makefile"

cd "$COPY"
unset TEGAMI_DATA_DIR TEGAMI_AUDIT_LOG XDG_STATE_HOME
export HOME=$WORK/home
shopt -s expand_aliases
eval "build/engine/tegami $demo" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; fail "make demo's run failed"; }

n=0
while IFS=$'\t' read -r kind block line; do
  case $kind in
    CMD)
      [ -n "$line" ] || continue
      want=0
      [[ $line =~ \#.*exits\ ([0-9]+) ]] && want=${BASH_REMATCH[1]}
      n=$((n + 1))
      set +e
      eval "$line" >"$WORK/cmd.out" 2>&1 </dev/null
      got=$?
      set -e
      if [ "$got" != "$want" ]; then
        cat "$WORK/cmd.out" >&2
        fail "README tour, command $n: '$line' exited $got, not $want"
      fi
      echo "ok $n: $line"
      ;;
    OUT)
      line=${line%"${line##*[! ]}"}
      [ -z "$line" ] || sed 's/[[:space:]]*$//' "$WORK/cmd.out" | grep -qxF -- "$line" \
        || { cat "$WORK/cmd.out" >&2; fail "README tour, command $n: its output lacks the printed line '$line'"; }
      ;;
  esac
done <"$WORK/tour"
[ -f evaluation/evaluation.txt ] && [ ! -e out ] && [ -f proofs/highrisk/index.html ] \
  || fail "the tour did not leave what it says (evaluation/, proofs/, out/ purged)"
cmp -s layouts/highrisk-standard.yaml "$SRC/layouts/highrisk-standard.yaml" || fail "the tour leaves the design broken"
pass "README tour: $n commands as printed, after make demo"
