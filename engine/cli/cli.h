/* cli/cli.h — what the subcommands of the tegami CLI share.
 *
 * Each subcommand lives in its own file (cmd_<name>.c) and is listed once in
 * the table of main.c; --help is generated from that table.  Commands parse
 * their options with cli_parse_opts(), call libtegami, and print diagnostics
 * with cli_print_diags() — the library itself never prints.
 */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "tegami/tegami.h"

/* Messages in the user's language (docs/i18n.md): _() translates where a
 * message is printed, N_() marks a literal of a table for the catalogue. */
#define _(s)  tg_gettext(s)
#define N_(s) s

typedef struct cli_opts {
  const char *out_dir;
  const char *trace_path;
  const char *fontset;
  bool force, png, no_pdf;
  double dpi;
  unsigned jobs;                            /* 0 = one per core */
  unsigned shard_index, shard_count;        /* --shard K/N */
  const char *password_file, *password_env; /* encrypt the PDFs (instead of the job's) */
  const char *audit_log;                    /* --audit-log (default: tg_audit_default_path) */
  const char *profile, *list;               /* check DESIGN --profile P / --list FILE */
} cli_opts;

typedef struct cli_command {
  const char *name;
  const char *args;
  const char *summary;
  const char *options; /* help text of its options, one per line */
  int (*run)(int argc, char **argv);
} cli_command;

/* What the documentation of the CLI is made of (help.c prints it as --help
 * of one command, as the manual page and as the bash completion). */
typedef struct cli_exit_doc {
  int code;
  const char *meaning;
} cli_exit_doc;

typedef struct cli_env_doc {
  const char *name;
  const char *meaning;
} cli_env_doc;

typedef struct cli_help {
  const char *version;
  const cli_command *commands;
  size_t ncommands;
  const cli_exit_doc *exit_codes;
  size_t nexit_codes;
  const cli_env_doc *environment;
  size_t nenvironment;
} cli_help;

/* `tegami COMMAND --help`: usage, summary and options of one command. */
void cli_print_command_help(FILE *f, const cli_command *c);
/* tegami(1) in roff (`tegami help --man`, run by the build). */
void cli_print_man(FILE *f, const cli_help *h);
/* The bash completion script (`tegami help --bash-completion`, run by the build). */
void cli_print_bash_completion(FILE *f, const cli_help *h);

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
/* cmd_proof.c: the line that says what a proof wrote; cmd_proof_watch.c:
 * `proof --watch`, proofs again on every save until Ctrl-C. */
void cli_proof_print_summary(const tg_proof_options *po, const tg_proof_summary *sum);
int cli_proof_watch(const char *design, tg_proof_options *po);

/* security commands (cmd_audit.c, cmd_purge.c, cmd_encrypt.c); their option
 * help texts, for the COMMANDS table */
int cmd_audit(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_encrypt(int argc, char **argv);
extern const char cli_audit_options[];
extern const char cli_purge_options[];
extern const char cli_encrypt_options[];

/* follow-up commands (cmd_calls.c, cmd_report.c) and their option texts */
int cmd_calls(int argc, char **argv);
int cmd_returns(int argc, char **argv);
int cmd_report(int argc, char **argv);
extern const char cli_calls_options[];
extern const char cli_returns_options[];
extern const char cli_report_options[];

/* The audit log to write: `option` (--audit-log) or tg_audit_default_path().
 * Newly allocated (free()). */
char *cli_audit_log_path(const char *option);
/* Append e to the log and print "audit: entry N in LOG, anchor N:SHA256"
 * to stderr, so operators can record anchors.  False (reported in d) on failure. */
bool cli_audit_append(const char *log, tg_audit_entry *e, tg_diag *d);
/* The end of a command: its exit status set in e, e appended to the log
 * (cli_audit_append) and released, the diagnostics printed.  Returns the
 * status to exit with: the worse of `code` (TG_EXIT_SYSTEM when the entry
 * could not be written) and the diagnostics'. */
tg_exit cli_audit_finish(const char *log, tg_audit_entry *e, tg_exit code, tg_diag *d);

#endif
