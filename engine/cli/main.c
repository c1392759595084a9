/* main.c — the tegami command line: a table of subcommands over libtegami.
 *
 * The CLI is the only place that prints.  It parses options, calls the
 * library, renders the collected diagnostics to stderr (file:line:col, the
 * source line and a caret) and turns them into the exit code.  --help is
 * generated from the subcommand table, exit codes included.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tegami/tegami.h"

typedef struct cli_opts {
  const char *out_dir;
  const char *trace_path;
  const char *fontset;
  bool force, png, no_pdf;
  double dpi;
} cli_opts;

typedef struct command {
  const char *name;
  const char *args;
  const char *summary;
  const char *options;
  int (*run)(int argc, char **argv, cli_opts *o);
} command;

static int cmd_run(int argc, char **argv, cli_opts *o);
static int cmd_check(int argc, char **argv, cli_opts *o);

static const command COMMANDS[] = {
    {"run", "JOB.yaml", "render every letter of a job into the output folder",
     "  -o, --out DIR      output folder (default: out)\n"
     "  --force            replace the outputs of an earlier run in DIR\n"
     "  --png              also write PNG proofs of every page (DIR/proofs)\n"
     "  --dpi N            resolution of the PNG proofs (default 150)\n"
     "  --trace FILE       also write a text trace of every placed item ('-' = stdout)\n"
     "  --no-pdf           do not write letters.pdf (with --trace or --png)\n"
     "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n",
     cmd_run},
    {"check", "JOB.yaml | DESIGN.yaml",
     "validate a job (design, lists, every row) or a design alone; render nothing",
     "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n", cmd_check},
};

static const struct {
  int code;
  const char *meaning;
} EXIT_CODES[] = {
    {TG_EXIT_OK, "every row rendered or excluded by a stated rule"},
    {TG_EXIT_REJECTED, "some rows rejected (listed in rejected.csv); the rest rendered"},
    {TG_EXIT_USAGE, "usage error"},
    {TG_EXIT_INVALID, "invalid job, design or input file: nothing rendered, nothing written"},
    {TG_EXIT_SYSTEM, "system or I/O error"},
};

static void print_help(FILE *f) {
  fprintf(f, "tegami %s — letters and mail-merge for municipal nudge programmes\n\n", TG_VERSION);
  fprintf(f, "usage: tegami COMMAND [OPTIONS] FILE\n\ncommands:\n");
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    fprintf(f, "  %-6s %-24s %s\n", COMMANDS[i].name, COMMANDS[i].args, COMMANDS[i].summary);
  fprintf(f, "\noptions:\n");
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    fprintf(f, " %s:\n%s", COMMANDS[i].name, COMMANDS[i].options);
  fprintf(f, "  -h, --help         this help\n  --version          the version\n");
  fprintf(f, "\nexit codes:\n");
  for (size_t i = 0; i < sizeof EXIT_CODES / sizeof EXIT_CODES[0]; i++)
    fprintf(f, "  %d  %s\n", EXIT_CODES[i].code, EXIT_CODES[i].meaning);
  fprintf(f, "\nenvironment:\n  TEGAMI_DATA_DIR    folder holding fonts/ and locales/ (default %s)\n"
             "  SOURCE_DATE_EPOCH  date written into PDF metadata instead of the job date\n",
          tg_data_dir());
}

static void print_diags(const tg_diag *d) {
  for (size_t i = 0; i < tg_diag_count(d); i++) {
    char *s = tg_diag_format(tg_diag_get(d, i));
    fputs(s, stderr);
    free(s);
  }
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "tegami: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry 'tegami --help'.\n");
  va_end(ap);
  return TG_EXIT_USAGE;
}

static bool is_opt(const char *a, const char *longname, const char *shortname) {
  return strcmp(a, longname) == 0 || (shortname && strcmp(a, shortname) == 0);
}

/* Parse options shared by the subcommands into `o`; positional arguments go
 * to pos (count in *npos).  Returns -1 on a usage error (reported). */
static int parse_opts(int argc, char **argv, cli_opts *o, char **pos, int *npos) {
  *npos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool with_value = is_opt(a, "--out", "-o") || is_opt(a, "--trace", NULL) ||
                      is_opt(a, "--fontset", NULL) || is_opt(a, "--dpi", NULL);
    const char *val = NULL;
    if (with_value) {
      if (i + 1 >= argc) {
        usage_error("%s needs a value", a);
        return -1;
      }
      val = argv[++i];
    }
    if (is_opt(a, "--force", NULL)) o->force = true;
    else if (is_opt(a, "--png", NULL)) o->png = true;
    else if (is_opt(a, "--no-pdf", NULL)) o->no_pdf = true;
    else if (is_opt(a, "--out", "-o")) o->out_dir = val;
    else if (is_opt(a, "--trace", NULL)) o->trace_path = val;
    else if (is_opt(a, "--fontset", NULL)) o->fontset = val;
    else if (is_opt(a, "--dpi", NULL)) {
      char *end;
      o->dpi = strtod(val, &end);
      if (*end || o->dpi < 36 || o->dpi > 1200) {
        usage_error("--dpi must be a number between 36 and 1200, not '%s'", val);
        return -1;
      }
    } else if (a[0] == '-' && a[1]) {
      usage_error("unknown option '%s'", a);
      return -1;
    } else {
      pos[(*npos)++] = argv[i];
    }
  }
  return 0;
}

static int cmd_run_or_check(int argc, char **argv, cli_opts *o, bool check) {
  char **pos = calloc((size_t)argc + 1, sizeof *pos);
  int npos;
  if (parse_opts(argc, argv, o, pos, &npos) < 0) {
    free(pos);
    return TG_EXIT_USAGE;
  }
  if (npos != 1) {
    free(pos);
    return usage_error("%s needs exactly one file", check ? "check" : "run");
  }
  const char *path = pos[0];
  free(pos);
  tg_diag *d = tg_diag_new();
  int code;
  const char *kind = tg_detect_kind(path, d);
  if (!kind) {
    print_diags(d);
    code = tg_diag_exit_code(d);
    tg_diag_free(d);
    return code ? code : TG_EXIT_INVALID;
  }
  if (strcmp(kind, "design") == 0) {
    if (!check) {
      tg_diag_free(d);
      return usage_error("%s is a design: run takes a job file (tegami check works on designs)",
                         path);
    }
    code = tg_check_design(path, o->fontset, d);
    print_diags(d);
    if (code == TG_EXIT_OK) fprintf(stderr, "%s: design is valid\n", path);
    tg_diag_free(d);
    return code;
  }
  tg_job *job = tg_job_load(path, d);
  if (!job) {
    print_diags(d);
    code = tg_diag_exit_code(d);
    tg_diag_free(d);
    return code ? code : TG_EXIT_INVALID;
  }
  FILE *trace = NULL;
  if (o->trace_path) {
    trace = strcmp(o->trace_path, "-") == 0 ? stdout : fopen(o->trace_path, "w");
    if (!trace) {
      fprintf(stderr, "tegami: cannot write the trace to %s\n", o->trace_path);
      tg_job_free(job);
      tg_diag_free(d);
      return TG_EXIT_SYSTEM;
    }
  }
  tg_run_options ro = {.out_dir = o->out_dir, .force = o->force, .check_only = check,
                       .pdf = !o->no_pdf, .png = o->png, .png_dpi = o->dpi, .trace = trace,
                       .fontset = o->fontset};
  tg_summary sum;
  code = tg_run(job, &ro, &sum, d);
  print_diags(d);
  if (code == TG_EXIT_OK || code == TG_EXIT_REJECTED) {
    char *s = tg_summary_format(&sum, check);
    fprintf(stderr, "%s%s", check ? "check: " : "", check ? "\n" : "");
    fputs(s, stderr);
    free(s);
  }
  tg_summary_clear(&sum);
  if (trace && trace != stdout) fclose(trace);
  tg_job_free(job);
  tg_diag_free(d);
  return code;
}

static int cmd_run(int argc, char **argv, cli_opts *o) { return cmd_run_or_check(argc, argv, o, false); }
static int cmd_check(int argc, char **argv, cli_opts *o) { return cmd_run_or_check(argc, argv, o, true); }

int main(int argc, char **argv) {
  /* messages are UTF-8 text; numbers in outputs never follow the locale */
  setlocale(LC_CTYPE, "");
  if (argc < 2) {
    print_help(stderr);
    return TG_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
    print_help(stdout);
    return TG_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("tegami %s\n", TG_VERSION);
    return TG_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (strcmp(cmd, COMMANDS[i].name) == 0) {
      cli_opts o = {.dpi = 150};
      return COMMANDS[i].run(argc - 2, argv + 2, &o);
    }
  return usage_error("unknown command '%s'", cmd);
}
