/* cmd_purge.c — `tegami purge DIR`: remove a job's outputs at the end of the work.
 *
 * Removes an output folder, its files and the temporaries an interrupted run
 * left, after checking that it is a tegami output folder (the rule is in
 * tegami/security.h, "purge"), and records what was removed — paths and
 * SHA-256s, no content — in the audit log.  The audit log is checked before
 * anything is removed, so a purge is never left unrecorded by a log that
 * cannot be written.  --dry-run lists and removes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_purge_options[] =
    N_("  --dry-run          list what would be removed, remove nothing\n"
       "  --audit-log FILE   audit log to record the purge in (default: see environment)\n");

int cmd_purge(int argc, char **argv) {
  const char *dir = NULL, *log_opt = NULL;
  tg_purge_options po = {0};
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--dry-run") == 0) {
      po.dry_run = true;
    } else if (strcmp(argv[i], "--audit-log") == 0) {
      if (i + 1 >= argc) return cli_usage_error("--audit-log needs a value");
      log_opt = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1]) {
      return cli_usage_error("unknown option '%s'", argv[i]);
    } else if (dir) {
      return cli_usage_error("purge takes exactly one folder");
    } else {
      dir = argv[i];
    }
  }
  if (!dir) return cli_usage_error("purge needs the output folder to remove");
  char *log = cli_audit_log_path(log_opt);
  tg_diag *d = tg_diag_new();
  int code = TG_EXIT_OK;
  if (!po.dry_run && !tg_audit_probe(log, d)) {
    cli_print_diags(d);
    code = tg_diag_exit_code(d);
    tg_diag_free(d);
    free(log);
    return code ? code : TG_EXIT_SYSTEM;
  }
  tg_audit_entry *e = po.dry_run ? NULL : tg_audit_entry_new("purge");
  tg_purge_result r;
  bool ok = tg_purge(dir, &po, &r, e, d);
  bool removed_any = !po.dry_run && (r.nfiles || r.ndirs);
  code = ok ? TG_EXIT_OK : tg_diag_exit_code(d);
  if (!ok && code == TG_EXIT_OK) code = TG_EXIT_SYSTEM;
  /* record every purge that removed something, complete or not */
  if (e && (ok || removed_any)) {
    tg_audit_entry_set_exit(e, code);
    if (!cli_audit_append(log, e, d) && code == TG_EXIT_OK) code = TG_EXIT_SYSTEM;
  }
  cli_print_diags(d);
  if (po.dry_run && ok) {
    for (size_t i = 0; r.paths && r.paths[i]; i++)
      printf(_("would remove %s\n"), r.paths[i]);
    printf(_("%s: would remove %zu files (%" PRIu64 " bytes) and the folder\n"), dir, r.nfiles,
           r.bytes);
  } else if (ok) {
    fprintf(stderr, _("%s: removed %zu files (%" PRIu64 " bytes) and %zu folders\n"), dir, r.nfiles,
            r.bytes, r.ndirs);
  }
  tg_purge_result_clear(&r);
  tg_audit_entry_free(e);
  tg_diag_free(d);
  free(log);
  return code;
}
