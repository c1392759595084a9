#!/bin/sh
# `tegami proof --watch`: the gallery's version file (DIR/watch.js) changes
# when the design or the personas are saved; a broken design shows its error
# (file:line:col and caret) in the version file and the page keeps the last
# good proofs; fixing it clears the error and the page reloads; Ctrl-C ends
# the loop with exit 0.  No timing assertion: every wait polls with a
# generous timeout.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
mkdir -p "$WORK/d"
cp layouts/dropout-standard.yaml "$WORK/d/design.yaml"
cp samples/personas.yaml "$WORK/d/personas.yaml"
out="$WORK/out"
"$TEGAMI" proof "$WORK/d/design.yaml" --personas "$WORK/d/personas.yaml" --persona pressure-70 \
  --dpi 36 --watch -o "$out" 2>"$WORK/watch.err" &
pid=$!
# (a background job of sh ignores SIGINT until tegami catches it: TERM here)
stop() { kill -TERM "$pid" 2>/dev/null || true; }
# on exit: end the watch first (no process left behind), keep the status
on_exit() {
  st=$?
  stop
  wait "$pid" 2>/dev/null || true
  (exit "$st") || sweep_pdfs
  sweep_pdfs
}
trap on_exit EXIT

version() { sed -n 's/^tgWatch({"version": \([0-9]*\), .*/\1/p' "$out/watch.js" 2>/dev/null || true; }
# wait_for VERSION OK: until watch.js has at least VERSION with "ok": OK
wait_for() {
  i=0
  while [ $i -lt 600 ]; do
    v=$(version)
    if [ -n "$v" ] && [ "$v" -ge "$1" ] && grep -q "\"ok\": $2" "$out/watch.js" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/watch.err" >&2; fail "proof --watch ended"; }
    sleep 0.5
    i=$((i + 1))
  done
  cat "$WORK/watch.err" >&2
  fail "watch.js did not reach version $1 with ok=$2 (it has: $(cat "$out/watch.js" 2>/dev/null))"
}

wait_for 1 true
grep -q 'tgWatchVersion=1;' "$out/index.html" || fail "index.html does not poll watch.js"
[ "$(stat -c %a "$out/watch.js")" = 600 ] || fail "watch.js is not private"
pass "first proof: version 1, index.html polls watch.js"

# a save of the design proofs again
sed -i 's/text: 血圧・腎臓の治療を、また始めましょう/text: 血圧と腎臓の治療を、また始めましょう/' "$WORK/d/design.yaml"
wait_for 2 true
grep -q 'tgWatchVersion=2;' "$out/index.html" || fail "index.html was not rewritten"
pass "saving the design: version 2"

# a broken design: the error with its place and caret, the last proofs kept
sed -i 's/^        width: 170mm$/        widht: 170mm/' "$WORK/d/design.yaml"
wait_for 3 false
grep -q 'design.yaml:[0-9]*:[0-9]*: error' "$out/watch.js" || fail "no file:line:col in watch.js"
grep -q '\^' "$out/watch.js" || fail "no caret in watch.js"
grep -q 'tgWatchVersion=2;' "$out/index.html" || fail "the last good proofs were not kept"
pass "a broken design: the error is in watch.js, the proofs of version 2 are kept"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
  rm -rf "$WORK/profile"
  HOME="$WORK" timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --disable-dev-shm-usage --user-data-dir="$WORK/profile" --virtual-time-budget=5000 \
    --dump-dom "file://$out/index.html" >"$WORK/dom.html" 2>"$WORK/chromium.err" \
    || { cat "$WORK/chromium.err" >&2; fail "chromium failed"; }
  grep -q 'data-watch="error"' "$WORK/dom.html" || fail "the page does not show the error"
  grep -q 'design.yaml:[0-9]*:[0-9]*: error' "$WORK/dom.html" || fail "the page shows no message"
  pass "opened from disk in Chromium, the page shows the error"
fi

# fixed: the error goes, the page reloads
sed -i 's/^        widht: 170mm$/        width: 170mm/' "$WORK/d/design.yaml"
wait_for 4 true
grep -q '"messages": ""' "$out/watch.js" || fail "the error did not go: $(cat "$out/watch.js")"
pass "fixed: version 4 without messages"

# a save of the personas proofs again
printf '\n# edited\n' >>"$WORK/d/personas.yaml"
wait_for 5 true
pass "saving the personas: version 5"

kill -INT "$pid"
set +e
wait "$pid"
code=$?
set -e
[ "$code" = 0 ] || { cat "$WORK/watch.err" >&2; fail "Ctrl-C: exit $code"; }
grep -q 'watch ended' "$WORK/watch.err" || fail "no word that the watch ended"
pass "Ctrl-C ends the watch with exit 0"
