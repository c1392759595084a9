/* cmd_merge.c — `tegami merge OUT1 OUT2 … -o DIR`: join the output folders of
 * a sharded run into one hand-off folder, after proving that together they
 * hold every letter of the job exactly once.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_merge(int argc, char **argv) {
  const char *out = NULL;
  bool force = false;
  const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
  size_t n = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--out") == 0) {
      if (i + 1 >= argc) {
        free(dirs);
        return cli_usage_error("%s needs a folder", argv[i]);
      }
      out = argv[++i];
    } else if (strcmp(argv[i], "--force") == 0) {
      force = true;
    } else if (argv[i][0] == '-') {
      free(dirs);
      return cli_usage_error("unknown option '%s'", argv[i]);
    } else {
      dirs[n++] = argv[i];
    }
  }
  if (n == 0 || !out) {
    free(dirs);
    return cli_usage_error("merge needs the shards' output folders and -o DIR");
  }
  tg_diag *d = tg_diag_new();
  tg_summary sum;
  int code = tg_join_shards(dirs, n, out, force, &sum, d);
  cli_print_diags(d);
  if (code == TG_EXIT_OK || code == TG_EXIT_REJECTED) {
    char *s = tg_summary_format(&sum, false);
    fputs(s, stderr);
    free(s);
  }
  tg_summary_clear(&sum);
  tg_diag_free(d);
  free(dirs);
  return code;
}
