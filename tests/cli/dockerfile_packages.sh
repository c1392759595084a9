#!/bin/sh
# The Dockerfile stays in step with the rest of the tree (docker itself does
# not run on the test machines, so the image is not built here): its build
# stage installs every build package of .ci/packages.txt and CPack's tools;
# both stages are Debian 12 slim; the image it documents is the one the
# Kubernetes recipe of docs/scaling.md runs.
. "$(dirname "$0")/../lib/common.sh"
D=$TEGAMI_SRC/Dockerfile
[ -f "$D" ] || fail "no Dockerfile"
# the build stage's apt-get line(s), one package per line
sed -n '/^FROM .* AS build$/,/^FROM /p' "$D" | sed -n '/apt-get install/,/rm -rf/p' |
  tr ' \\&' '\n\n\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u >"$WORK/docker.pkgs"
# build packages: the -dev packages and tools before the tests' part, and packaging's
awk '/^# tests/ { tests = 1 } /^# packaging/ { tests = 0; pack = 1 }
     /^[[:space:]]*#/ || NF == 0 { next }
     pack || (!tests && ($1 ~ /-dev$/ || $1 ~ /^(cmake|pkg-config|gcc|make)$/)) { print $1 }' \
  "$TEGAMI_SRC/.ci/packages.txt" | sort -u >"$WORK/build.pkgs"
[ "$(wc -l <"$WORK/build.pkgs")" -ge 15 ] || fail "found too few build packages in .ci/packages.txt"
missing=$(comm -23 "$WORK/build.pkgs" "$WORK/docker.pkgs" | tr '\n' ' ')
[ -z "$missing" ] || fail "the Dockerfile's build stage lacks: $missing"
pass "the build stage installs the $(wc -l <"$WORK/build.pkgs") build packages of .ci/packages.txt"

[ "$(grep -c '^FROM debian:bookworm-slim' "$D")" = 2 ] || fail "both stages should be debian:bookworm-slim"
image=$(sed -n 's/^ *image: \([^ ]*\)$/\1/p' "$TEGAMI_SRC/docs/scaling.md")
[ -n "$image" ] || fail "docs/scaling.md names no image"
grep -q "docker build -t $image \." "$D" || fail "the Dockerfile does not say how to build $image"
grep -q "docker build -t $image \." "$TEGAMI_SRC/docs/scaling.md" || fail "docs/scaling.md does not say how to build $image"
pass "Dockerfile and docs/scaling.md name the same image, $image"
