/* cli_audit_log.c — how the commands of the CLI name and write the audit log.
 *
 * Every command that touches personal data ends by appending one entry to
 * the audit log (tegami/security.h): the log named by --audit-log, else the
 * default (TEGAMI_AUDIT_LOG, else ~/.local/state/tegami/audit.log).  After a
 * successful append the CLI prints the entry number and hash, so operators
 * can record anchors for `tegami audit verify --anchor`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *cli_audit_log_path(const char *option) {
  return option ? strdup(option) : tg_audit_default_path();
}

bool cli_audit_append(const char *log, tg_audit_entry *e, tg_diag *d) {
  tg_audit_written w;
  if (!tg_audit_append(log, e, &w, d)) return false;
  fprintf(stderr, _("audit: entry %" PRIu64 " in %s, anchor %" PRIu64 ":%s\n"), w.seq, log, w.seq,
          w.sha256);
  return true;
}

tg_exit cli_audit_finish(const char *log, tg_audit_entry *e, tg_exit code, tg_diag *d) {
  tg_audit_entry_set_exit(e, code);
  if (!cli_audit_append(log, e, d) && code == TG_EXIT_OK) code = TG_EXIT_SYSTEM;
  tg_audit_entry_free(e);
  cli_print_diags(d);
  tg_exit dc = tg_diag_exit_code(d);
  return dc > code ? dc : code;
}
