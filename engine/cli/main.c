/* main.c — the tegami command line: a table of subcommands over libtegami.
 *
 * The CLI is the only place that prints.  Each subcommand (cmd_*.c) parses
 * its options, calls the library, renders the collected diagnostics to stderr
 * (file:line:col, the source line and a caret) and turns them into the exit
 * code.  --help, `tegami COMMAND --help`, the manual page and the bash
 * completion are all generated from the table below (help.c).
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_command COMMANDS[] = {
    {"run", "JOB.yaml", "render every letter of a job into the output folder",
     "  -o, --out DIR      output folder (default: out)\n"
     "  --force            replace the outputs of an earlier run in DIR\n"
     "  --png              also write PNG proofs of every page (DIR/proofs)\n"
     "  --dpi N            resolution of the PNG proofs (default 150)\n"
     "  --trace FILE       also write a text trace of every placed item ('-' = stdout)\n"
     "  --no-pdf           do not write the letter PDFs (with --trace or --png)\n"
     "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n"
     "  -j, --jobs N       worker threads (default: one per core); the output is the same\n"
     "  --shard K/N        render part K of N of the job (by person), for several machines\n"
     "  --password-file F  encrypt the PDFs (AES-256) with the password in F (mode 0600)\n"
     "  --password-env V   ... or with the password in environment variable V\n"
     "  --audit-log FILE   the audit log (default: $TEGAMI_AUDIT_LOG, ~/.local/state/tegami)\n",
     cmd_run},
    {"check", "JOB.yaml | DESIGN.yaml",
     "validate a job (design, lists, every row) or a design alone; render nothing",
     "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n"
     "  --audit-log FILE   the audit log a job's check is recorded in\n",
     cmd_check},
    {"barcode", "--postal CODE ...", "print the Japan Post customer barcode of one address",
     "  --postal CODE      postal code (2630023, 263-0023)\n"
     "  --address TEXT     full address, split after the town name (町域) of the postal code\n"
     "  --town NAME        the town name(s), instead of the postal dictionary; may repeat\n"
     "  --postal-dict FILE KEN_ALL-format dictionary (default: the one a run uses)\n"
     "  --b TEXT           or 住所B alone: the part after the town (3丁目30-8 郵便ビル403号)\n"
     "  --data TEXT        or address data already extracted (3-30-8-403)\n"
     "  --size Npt         symbol size, 8pt to 11.5pt (default 10pt)\n"
     "  --dpi N            snap bars to whole pixels of a device of N dpi\n",
     cmd_barcode},
    {"merge", "OUT1 OUT2 ... -o DIR",
     "join the outputs of a sharded run, checking nothing is missing or doubled",
     "  -o, --out DIR      the merged folder\n  --force            replace DIR\n", cmd_merge},
    {"evaluate", "ASSIGNMENT.csv OUTCOMES.csv",
     "visit rate per experiment arm, with intervals and p-values",
     "  -o, --out DIR      output folder (default: evaluation)\n  --window-days N    count visits "
     "up to N days after the letter date (default: no end)\n  --alpha A          1 - confidence "
     "level (default 0.05)\n  --reference ARM    the arm others are compared with (default: "
     "control, else the first)\n  --key NAME         the person's column in both files (default: "
     "KDB個人番号)\n  --date-column NAME the visit date's column (default: visit_date, else "
     "受診日)\n  --force            replace an earlier evaluation in DIR\n  --fontset FILE     "
     "font set listing for the chart\n  --trace FILE       also write a text trace of the chart's "
     "items ('-' = stdout)\n  --no-pdf           leave the chart's PDF and PNG out (with "
     "--trace)\n  --returns OUT      leave out people whose letter came back "
     "(OUT/staff/returns.csv)\n"
     "  --calls DIR        secondary analysis: people a follow-up call reached vs not\n",
     cmd_evaluate},
    {"proof", "DESIGN.yaml --personas F",
     "every variant, segment and arm of a design for sample personas: PDF, PNG, index.html",
     "  --personas FILE    synthetic rows and a municipality profile (samples/personas.yaml)\n"
     "  -o, --out DIR      output folder (default: proofs): index.html and pages/\n"
     "  --force            replace proofs already in DIR\n"
     "  --type TYPE        only the personas of this list type\n"
     "  --persona ID       only this persona\n"
     "  --dpi N            resolution of the PNGs (default 100)\n"
     "  --trace FILE       also write a text trace of every letter ('-' = stdout)\n"
     "  --no-pdf           write only the trace: no PDF, PNG or index.html\n"
     "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n",
     cmd_proof},
    {"preflight", "FILE.pdf ...",
     "check PDFs as a print vendor would: sizes, fonts, missing glyphs, images",
     "  --size A4|WxHmm    the trim size every page must have (default: all the same)\n"
     "  --min-ppi N        lowest image resolution accepted (default 300)\n"
     "  --password-env V   the password of encrypted PDFs, from environment variable V\n",
     cmd_preflight},
    {"audit", "verify LOG", "check that an audit log is complete and unchanged", cli_audit_options,
     cmd_audit},
    {"purge", "DIR", "remove a job's output folder and temporaries; record it in the audit log",
     cli_purge_options, cmd_purge},
    {"calls", "plan OUT --phones FILE | record CALLS FILE",
     "nurses' call sheets after the letters, and the outcomes of the calls", cli_calls_options,
     cmd_calls},
    {"returns", "record OUT FILE", "record letters returned undelivered (宛所不明 …)",
     cli_returns_options, cmd_returns},
    {"report", "OUT... -o FILE.pdf", "the 第1号様式 事業実施報告書 of runs and their calls",
     cli_report_options, cmd_report},
    {"encrypt", "FILE.pdf...",
     "encrypt finished PDFs in place with AES-256 (password from a file or env)",
     cli_encrypt_options, cmd_encrypt},
};

static const cli_exit_doc EXIT_CODES[] = {
    {TG_EXIT_OK, "every row rendered or excluded by a stated rule"},
    {TG_EXIT_REJECTED, "some rows rejected (listed in rejected.csv); the rest rendered"},
    {TG_EXIT_USAGE, "usage error"},
    {TG_EXIT_INVALID, "invalid job, design or input file: nothing rendered, nothing written"},
    {TG_EXIT_SYSTEM, "system or I/O error"},
};

static const cli_env_doc ENVIRONMENT[] = {
    {"TEGAMI_DATA_DIR", "folder holding fonts/, locales/, layouts/ (default: PREFIX/share/tegami)"},
    {"SOURCE_DATE_EPOCH", "date written into PDF metadata instead of the job date"},
    {"TEGAMI_AUDIT_LOG", "audit log (default ~/.local/state/tegami/audit.log)"},
};

static void print_help(FILE *f) {
  fprintf(f, "tegami %s — letters and mail-merge for municipal nudge programmes\n\n", TG_VERSION);
  fprintf(f, "usage: tegami COMMAND [OPTIONS] FILE\n\ncommands:\n");
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    fprintf(f, "  %-9s %-28s %s\n", COMMANDS[i].name, COMMANDS[i].args, COMMANDS[i].summary);
  fprintf(f, "\noptions:\n");
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    fprintf(f, " %s:\n%s", COMMANDS[i].name, COMMANDS[i].options);
  fprintf(f, "  -h, --help         this help\n  --version          the version\n");
  fprintf(f, "\nexit codes:\n");
  for (size_t i = 0; i < sizeof EXIT_CODES / sizeof EXIT_CODES[0]; i++)
    fprintf(f, "  %d  %s\n", EXIT_CODES[i].code, EXIT_CODES[i].meaning);
  fprintf(f, "\nenvironment:\n");
  for (size_t i = 0; i < sizeof ENVIRONMENT / sizeof ENVIRONMENT[0]; i++)
    fprintf(f, "  %-18s %s\n", ENVIRONMENT[i].name, ENVIRONMENT[i].meaning);
  fprintf(f, "  (the data folder of this tegami: %s)\n", tg_data_dir());
  fprintf(f, "\n'tegami COMMAND --help' or 'tegami help COMMAND' shows one command; "
             "man tegami, all of them.\n");
}

static const cli_help HELP = {TG_VERSION,
                              COMMANDS,
                              sizeof COMMANDS / sizeof COMMANDS[0],
                              EXIT_CODES,
                              sizeof EXIT_CODES / sizeof EXIT_CODES[0],
                              ENVIRONMENT,
                              sizeof ENVIRONMENT / sizeof ENVIRONMENT[0]};

static const cli_command *find_command(const char *name) {
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (strcmp(name, COMMANDS[i].name) == 0) return &COMMANDS[i];
  return NULL;
}

/* `tegami help [COMMAND]`; `--man` and `--bash-completion` write the manual
 * page and the completion script (the build runs them). */
static int cmd_help(int argc, char **argv) {
  if (argc == 0) {
    print_help(stdout);
    return TG_EXIT_OK;
  }
  if (argc == 1 && strcmp(argv[0], "--man") == 0) {
    cli_print_man(stdout, &HELP);
    return TG_EXIT_OK;
  }
  if (argc == 1 && strcmp(argv[0], "--bash-completion") == 0) {
    cli_print_bash_completion(stdout, &HELP);
    return TG_EXIT_OK;
  }
  if (argc > 1) return cli_usage_error("help takes one command name");
  const cli_command *c = find_command(argv[0]);
  if (!c) return cli_usage_error("unknown command '%s'", argv[0]);
  cli_print_command_help(stdout, c);
  return TG_EXIT_OK;
}

/* Does a command's argument list ask for its help? */
static bool asks_for_help(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
  return false;
}

void cli_print_diags(const tg_diag *d) {
  for (size_t i = 0; i < tg_diag_count(d); i++) {
    char *s = tg_diag_format(tg_diag_get(d, i));
    fputs(s, stderr);
    free(s);
  }
}

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "tegami: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry 'tegami --help'.\n");
  va_end(ap);
  return TG_EXIT_USAGE;
}

int main(int argc, char **argv) {
  /* messages are UTF-8 text; numbers in outputs never follow the locale */
  setlocale(LC_CTYPE, "");
  if (argc < 2) {
    print_help(stderr);
    return TG_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
    print_help(stdout);
    return TG_EXIT_OK;
  }
  if (strcmp(cmd, "help") == 0) return cmd_help(argc - 2, argv + 2);
  if (strcmp(cmd, "--version") == 0) {
    printf("tegami %s\n", TG_VERSION);
    return TG_EXIT_OK;
  }
  const cli_command *c = find_command(cmd);
  if (c && asks_for_help(argc - 2, argv + 2)) {
    cli_print_command_help(stdout, c);
    return TG_EXIT_OK;
  }
  if (c) return c->run(argc - 2, argv + 2);
  return cli_usage_error("unknown command '%s'", cmd);
}
