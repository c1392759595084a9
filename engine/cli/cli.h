/* cli/cli.h — what the subcommands of the tegami CLI share.
 *
 * Each subcommand lives in its own file (cmd_<name>.c) and is listed once in
 * the table of main.c; --help is generated from that table.  Commands parse
 * their options with cli_parse_opts(), call libtegami, and print diagnostics
 * with cli_print_diags() — the library itself never prints.
 */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "tegami/tegami.h"

typedef struct cli_opts {
  const char *out_dir;
  const char *trace_path;
  const char *fontset;
  bool force, png, no_pdf;
  double dpi;
  unsigned jobs;                      /* 0 = one per core */
  unsigned shard_index, shard_count;  /* --shard K/N */
} cli_opts;

typedef struct cli_command {
  const char *name;
  const char *args;
  const char *summary;
  const char *options; /* help text of its options, one per line */
  int (*run)(int argc, char **argv);
} cli_command;

/* Print every diagnostic of d to stderr, gcc-style with source lines. */
void cli_print_diags(const tg_diag *d);
/* Print "tegami: <message>" and a pointer to --help; returns TG_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse the options shared by run/check into o; positional arguments go to
 * pos (at least argc entries), their count to *npos.  -1 on a usage error. */
int cli_parse_opts(int argc, char **argv, cli_opts *o, char **pos, int *npos);

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_preflight(int argc, char **argv);
int cmd_barcode(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_proof(int argc, char **argv);

#endif
