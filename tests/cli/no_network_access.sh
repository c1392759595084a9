#!/bin/sh
# tegami makes no network access, checked three ways:
#   1. the binary imports no network function (socket, connect, DNS, HTTP or
#      TLS clients) and links no network library directly (GIO aside: see below);
#   2. no engine source includes a network header;
#   3. a whole job — check, run, encrypt, purge — traced with strace opens no
#      socket but local (AF_UNIX) ones: the C library asks the local name
#      service cache (nscd/sssd) for the login name written into the audit
#      log.  Skipped where ptrace is not allowed.
# Libraries further down (cairo → X11) hold such code for features tegami
# never calls; 3 shows they are not reached.
. "$(dirname "$0")/../lib/common.sh"
cd "$TEGAMI_SRC"
FORBIDDEN='^(socket|socketpair|connect|bind|listen|accept4?|getaddrinfo|getnameinfo|gethostbyname2?|gethostbyaddr|gethostent|sendto|sendmsg|sendmmsg|recvfrom|recvmsg|recvmmsg|res_[a-z_]*|curl_[a-z_]*|g_socket_[a-z_]*|g_resolver_[a-z_]*|g_network_[a-z_]*|soup_[a-z_]*|gnutls_[a-z_]*|SSL_[A-Za-z_]*)$'
command -v nm >/dev/null || { echo "skip: nm (binutils) not installed"; exit 77; }
nm -D --undefined-only "$TEGAMI" | awk '{print $2}' | sed 's/@.*//' >"$WORK/imports"
[ -s "$WORK/imports" ] || fail "could not read the imports of $TEGAMI"
if grep -E "$FORBIDDEN" "$WORK/imports" >"$WORK/bad"; then
  fail "the binary imports network functions: $(tr '\n' ' ' <"$WORK/bad")"
fi
# (libgio is linked for json-glib and librsvg, which read files through GIO
# streams; the imports above show that none of its network API is used)
if readelf -d "$TEGAMI" | grep NEEDED | grep -E 'lib(curl|ssl|soup|gnutls|nghttp|resolv)' >"$WORK/bad"; then
  fail "the binary links a network library: $(cat "$WORK/bad")"
fi
pass "$(wc -l <"$WORK/imports") imported symbols, none for the network"

if grep -rnE '#include[[:space:]]*[<"](sys/socket|netdb|arpa/inet|netinet/[a-z_]+|curl/[a-z_]+|gio/gio|libsoup[^>"]*)\.h[>"]' engine >"$WORK/bad"; then
  fail "engine sources include network headers: $(cat "$WORK/bad")"
fi
pass "no engine source includes a network header"

command -v strace >/dev/null || { echo "skip: strace not installed"; exit 77; }
strace -f -qq -o /dev/null true 2>/dev/null || { echo "skip: ptrace not permitted here"; exit 77; }
export TEGAMI_AUDIT_LOG="$WORK/audit.log"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" # LeakSanitizer cannot run under ptrace
umask 077
printf 'no-network-test-password\n' >"$WORK/pw"
trace() { strace -f -qq -e trace=%network -o "$WORK/strace.$1" "$TEGAMI" "$@" >/dev/null 2>&1 || true; }
trace check samples/job.yaml
trace run samples/job.yaml -o "$WORK/out" --png
[ -f "$WORK/out/14999_highrisk_standard_001.pdf" ] || fail "the traced run wrote no PDF"
strace -f -qq -e trace=%network -o "$WORK/strace.encrypt" \
  "$TEGAMI" encrypt "$WORK/out/14999_highrisk_standard_001.pdf" --password-file "$WORK/pw" >/dev/null 2>&1 || fail "traced encrypt failed"
strace -f -qq -e trace=%network -o "$WORK/strace.purge" \
  "$TEGAMI" purge "$WORK/out" >/dev/null 2>&1 || fail "traced purge failed"
for f in "$WORK"/strace.*; do
  if grep -vE 'socket\((AF_UNIX|AF_LOCAL),|sa_family=(AF_UNIX|AF_LOCAL)' "$f" >"$WORK/bad"; then
    fail "network system calls in ${f##*.}: $(head -3 "$WORK/bad")"
  fi
done
pass "check, run, encrypt and purge open no network socket"
