/* fuzz_audit.c — fuzz target: reading and appending to audit logs.
 *
 * The input is an audit log (as tampered with by anyone with write access).
 * tg_audit_verify() must report, never crash; then an entry is appended
 * with tg_audit_append(), whose reading of the last line (backwards, in
 * chunks) is the delicate part.  Properties checked: the append succeeds
 * exactly when the old log ended in a well-formed line (or was empty); after
 * a successful append to an intact log the log is still intact with one
 * entry more; a refused append leaves the file as it was.  The log is a real
 * file in $TMPDIR (the audit code refuses the symbolic links of /proc/self/fd).
 * Corpus: tests/fuzz/audit/.
 */
#include "fuzz.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static char *log_path(void) {
  static char *path;
  if (!path) {
    char *dir = g_dir_make_tmp("tegami-fuzz-audit-XXXXXX", NULL);
    if (!dir) abort();
    path = g_build_filename(dir, "audit.log", NULL);
    g_free(dir);
  }
  return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = log_path();
  g_unlink(path);
  if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL)) abort();
  g_chmod(path, 0600);
  tg_diag *d = tg_diag_new();
  tg_audit_report before, after;
  tg_exit v1 = tg_audit_verify(path, NULL, &before, d);
  fuzz_format_diags(d);
  tg_audit_entry *e = tg_audit_entry_new("run");
  tg_audit_entry_set_string(e, "job_id", "fuzz");
  tg_audit_entry_set_count(e, "read", (uint64_t)size);
  tg_audit_written w;
  bool appended = tg_audit_append(path, e, &w, d);
  tg_audit_entry_free(e);
  fuzz_format_diags(d);
  bool well_ended = size == 0 || data[size - 1] == '\n';
  if (appended && !well_ended) {
    fprintf(stderr, "appended to a log that ends in an incomplete line\n");
    abort();
  }
  if (v1 == TG_EXIT_OK && well_ended && !appended) {
    fprintf(stderr, "refused to append to an intact log\n");
    abort();
  }
  gchar *now;
  gsize now_len;
  if (!g_file_get_contents(path, &now, &now_len, NULL)) abort();
  if (!appended && (now_len != size || memcmp(now, data, size) != 0)) {
    fprintf(stderr, "a refused append changed the log\n");
    abort();
  }
  g_free(now);
  if (appended && v1 == TG_EXIT_OK) {
    if (tg_audit_verify(path, NULL, &after, d) != TG_EXIT_OK ||
        after.entries != before.entries + 1 || w.seq != after.entries ||
        strcmp(after.head, w.sha256) != 0) {
      fprintf(stderr, "an append to an intact log broke it\n");
      abort();
    }
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  return 0;
}
