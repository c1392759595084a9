/* cmd_audit.c — `tegami audit verify LOG [--anchor N:SHA256]`.
 *
 * Checks the hash chain of an audit log (tegami/security.h, "audit log") and
 * names every line where it breaks: edited, removed, inserted or reordered
 * lines, an incomplete last line.  With --anchor (an entry number and hash
 * recorded elsewhere earlier) it also catches lines removed from the end and
 * a chain rewritten from the start.  Prints the entry count and the head of
 * the chain, which is the anchor to record next.  Exit 0 intact, 3 tampered
 * or malformed, 2 usage, 4 unreadable.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_audit_options[] =
    N_("  verify LOG         check the hash chain of an audit log, line by line\n"
       "  --anchor N:SHA256  also require entry N to have this hash (recorded earlier)\n");

int cmd_audit(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "verify") != 0)
    return cli_usage_error("audit takes a subcommand: tegami audit verify LOG");
  const char *log = NULL, *anchor = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--anchor") == 0) {
      if (i + 1 >= argc) return cli_usage_error("--anchor needs a value");
      anchor = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1]) {
      return cli_usage_error("unknown option '%s'", argv[i]);
    } else if (log) {
      return cli_usage_error("audit verify takes exactly one log file");
    } else {
      log = argv[i];
    }
  }
  if (!log) return cli_usage_error("audit verify needs the log file");
  tg_diag *d = tg_diag_new();
  tg_audit_report r;
  tg_exit code = tg_audit_verify(log, anchor, &r, d);
  cli_print_diags(d);
  tg_diag_free(d);
  if (code == TG_EXIT_OK) {
    printf(_("%s: %" PRIu64 " entries, chain intact\n"), log, r.entries);
    if (r.entries) printf(_("anchor: %" PRIu64 ":%s\n"), r.entries, r.head);
  } else if (code == TG_EXIT_INVALID) {
    fprintf(stderr,
            _("%s: the chain is broken first at line %" PRIu64 " (%" PRIu64 " problem%s in %" PRIu64
              " lines)\n"),
            log, r.first_bad, r.breaks, r.breaks == 1 ? "" : "s", r.entries);
  }
  return code;
}
