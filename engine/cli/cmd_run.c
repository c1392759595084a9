/* cmd_run.c — `tegami run JOB.yaml` and `tegami check JOB.yaml|DESIGN.yaml`.
 *
 * run renders a job into the output folder; check validates a job (designs,
 * lists, every row) or a design alone and renders nothing.  Both end with the
 * run summary; the exit code comes from the diagnostics.
 */
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static bool is_opt(const char *a, const char *longname, const char *shortname) {
  return strcmp(a, longname) == 0 || (shortname && strcmp(a, shortname) == 0);
}

/* Parse options shared by the subcommands into `o`; positional arguments go
 * to pos (count in *npos).  Returns -1 on a usage error (reported). */
int cli_parse_opts(int argc, char **argv, cli_opts *o, char **pos, int *npos) {
  *npos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool with_value =
        is_opt(a, "--out", "-o") || is_opt(a, "--trace", NULL) || is_opt(a, "--fontset", NULL) ||
        is_opt(a, "--dpi", NULL) || is_opt(a, "--jobs", "-j") || is_opt(a, "--shard", NULL) ||
        is_opt(a, "--password-file", NULL) || is_opt(a, "--password-env", NULL) ||
        is_opt(a, "--audit-log", NULL) || is_opt(a, "--profile", NULL) || is_opt(a, "--list", NULL);
    const char *val = NULL;
    if (with_value) {
      if (i + 1 >= argc) {
        cli_usage_error("%s needs a value", a);
        return -1;
      }
      val = argv[++i];
    }
    if (is_opt(a, "--force", NULL))
      o->force = true;
    else if (is_opt(a, "--png", NULL))
      o->png = true;
    else if (is_opt(a, "--no-pdf", NULL))
      o->no_pdf = true;
    else if (is_opt(a, "--out", "-o"))
      o->out_dir = val;
    else if (is_opt(a, "--trace", NULL))
      o->trace_path = val;
    else if (is_opt(a, "--fontset", NULL))
      o->fontset = val;
    else if (is_opt(a, "--password-file", NULL))
      o->password_file = val;
    else if (is_opt(a, "--password-env", NULL))
      o->password_env = val;
    else if (is_opt(a, "--audit-log", NULL))
      o->audit_log = val;
    else if (is_opt(a, "--profile", NULL))
      o->profile = val;
    else if (is_opt(a, "--list", NULL))
      o->list = val;
    else if (is_opt(a, "--password", NULL)) {
      cli_usage_error("a password on the command line would be seen by every user of the "
                      "machine: use --password-file or --password-env");
      return -1;
    } else if (is_opt(a, "--dpi", NULL)) {
      char *end;
      o->dpi = strtod(val, &end);
      if (*end || o->dpi < 36 || o->dpi > 1200) {
        cli_usage_error("--dpi must be a number between 36 and 1200, not '%s'", val);
        return -1;
      }
    } else if (is_opt(a, "--jobs", "-j")) {
      char *end;
      long n = strtol(val, &end, 10);
      if (*end || n < 1 || n > 256) {
        cli_usage_error("--jobs must be a number of threads between 1 and 256, not '%s'", val);
        return -1;
      }
      o->jobs = (unsigned)n;
    } else if (is_opt(a, "--shard", NULL)) {
      unsigned k = 0, n = 0;
      char tail;
      if (sscanf(val, "%u/%u%c", &k, &n, &tail) != 2 || n < 1 || n > 10000 || k < 1 || k > n) {
        cli_usage_error("--shard takes K/N with 1 <= K <= N (e.g. 2/4), not '%s'", val);
        return -1;
      }
      o->shard_index = k;
      o->shard_count = n;
    } else if (a[0] == '-' && a[1]) {
      cli_usage_error("unknown option '%s'", a);
      return -1;
    } else {
      pos[(*npos)++] = argv[i];
    }
  }
  return 0;
}

/* Ctrl-C, SIGTERM (a job runner stopping us) and SIGHUP ask a run to stop:
 * the handler only records the signal; the run notices it at the next row
 * or letter, removes its staging folder and writes nothing.  A second
 * signal ends the process at once (the handlers reset themselves), which
 * still leaves no output that looks complete: only a staging folder, which
 * the next run removes. */
static volatile sig_atomic_t stop_signal; /* the signal handler's only channel */

static void on_stop_signal(int sig) { stop_signal = sig; }

static void catch_stop_signals(bool on) {
  static const int SIGNALS[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa = {0};
  sa.sa_handler = on ? on_stop_signal : SIG_DFL;
  sa.sa_flags = on ? SA_RESETHAND : 0;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < G_N_ELEMENTS(SIGNALS); i++)
    sigaction(SIGNALS[i], &sa, NULL);
}

/* A one-line progress bar on stderr (only when stderr is a terminal). */
static void show_progress(uint64_t done, uint64_t total, void *data) {
  (void)data;
  if (total == 0) return;
  int width = 30, filled = (int)(width * done / total);
  fprintf(stderr, "\r[%.*s%*s] ", filled, "==============================", width - filled, "");
  fprintf(stderr, _("%" PRIu64 "/%" PRIu64 " letters"), done, total);
  if (done == total) fputs("\r\033[K", stderr);
  fflush(stderr);
}

static int cmd_run_or_check(int argc, char **argv, cli_opts *o, bool check) {
  char **pos = calloc((size_t)argc + 1, sizeof *pos);
  int npos;
  if (cli_parse_opts(argc, argv, o, pos, &npos) < 0) {
    free(pos);
    return TG_EXIT_USAGE;
  }
  if (npos != 1) {
    free(pos);
    return cli_usage_error("%s needs exactly one file", check ? "check" : "run");
  }
  if (o->password_file && o->password_env) {
    free(pos);
    return cli_usage_error("give one of --password-file and --password-env");
  }
  const char *path = pos[0];
  free(pos);
  tg_diag *d = tg_diag_new();
  int code;
  const char *kind = tg_detect_kind(path, d);
  if (!kind) {
    cli_print_diags(d);
    code = tg_diag_exit_code(d);
    tg_diag_free(d);
    return code ? code : TG_EXIT_INVALID;
  }
  if (strcmp(kind, "design") == 0) {
    if (!check) {
      tg_diag_free(d);
      return cli_usage_error("%s is a design: run takes a job file (tegami check works on designs)",
                             path);
    }
    tg_check_options co = {.fontset = o->fontset, .profile = o->profile, .list = o->list};
    code = tg_check_design_full(path, &co, d);
    cli_print_diags(d);
    if (code == TG_EXIT_OK) fprintf(stderr, _("%s: design is valid\n"), path);
    tg_diag_free(d);
    return code;
  }
  if (o->profile || o->list) {
    tg_diag_free(d);
    return cli_usage_error("--profile and --list check a design; a job names its lists");
  }
  /* a job reads personal data: every run and check is recorded in the audit
   * log, which must be writable before anything is read */
  char *log = cli_audit_log_path(o->audit_log);
  if (!tg_audit_probe(log, d)) {
    cli_print_diags(d);
    tg_diag_free(d);
    free(log);
    return TG_EXIT_SYSTEM;
  }
  tg_job *job = tg_job_load(path, d);
  if (!job) {
    cli_print_diags(d);
    code = tg_diag_exit_code(d);
    tg_diag_free(d);
    free(log);
    return code ? code : TG_EXIT_INVALID;
  }
  /* the trace holds merged personal text: a private file, in place only
   * when the run went through */
  FILE *trace = NULL;
  tg_atomic *trace_file = NULL;
  if (o->trace_path) {
    if (strcmp(o->trace_path, "-") == 0)
      trace = stdout;
    else if ((trace_file = tg_atomic_open(o->trace_path, d)))
      trace = tg_atomic_get_file(trace_file);
    if (!trace) {
      cli_print_diags(d);
      tg_job_free(job);
      tg_diag_free(d);
      free(log);
      return TG_EXIT_SYSTEM;
    }
  }
  tg_run_options ro = {.out_dir = o->out_dir,
                       .force = o->force,
                       .check_only = check,
                       .pdf = !o->no_pdf,
                       .png = o->png,
                       .png_dpi = o->dpi,
                       .trace = trace,
                       .fontset = o->fontset,
                       .jobs = o->jobs,
                       .shard_index = o->shard_index,
                       .shard_count = o->shard_count,
                       .password_file = o->password_file,
                       .password_env = o->password_env,
                       .interrupt = &stop_signal};
  if (isatty(STDERR_FILENO)) ro.progress = show_progress;
  tg_summary sum;
  stop_signal = 0;
  catch_stop_signals(true);
  code = tg_run(job, &ro, &sum, d);
  catch_stop_signals(false);
  if (trace_file) {
    if (code != TG_EXIT_OK && code != TG_EXIT_REJECTED)
      tg_atomic_abort(trace_file);
    else if (!tg_atomic_commit(trace_file, d))
      code = TG_EXIT_SYSTEM;
  }
  cli_print_diags(d);
  if (code == TG_EXIT_OK || code == TG_EXIT_REJECTED) {
    char *s = tg_summary_format(&sum, check);
    if (check) fprintf(stderr, _("check (nothing written):\n"));
    fputs(s, stderr);
    free(s);
  }
  /* the entry: who, what job (files hashed), the counts and outputs; the
   * anchor of a run is printed for the operator's records */
  tg_diag *ad = tg_diag_new();
  tg_audit_entry *e = tg_audit_entry_new(check ? "check" : "run");
  /* an input that cannot be hashed is in the entry either way (sha256
   * null); a failed run has already said why it cannot be read */
  tg_diag *hd = code >= TG_EXIT_INVALID ? tg_diag_new() : ad;
  tg_audit_entry_add_job(e, job, hd);
  if (hd != ad) tg_diag_free(hd);
  tg_audit_entry_add_summary(e, &sum, ad);
  tg_audit_entry_set_exit(e, code);
  tg_audit_written w;
  bool logged = check ? tg_audit_append(log, e, &w, ad) : cli_audit_append(log, e, ad);
  tg_audit_entry_free(e);
  cli_print_diags(ad);
  if (!logged && code < TG_EXIT_SYSTEM) code = TG_EXIT_SYSTEM;
  tg_diag_free(ad);
  free(log);
  tg_summary_clear(&sum);
  tg_job_free(job);
  tg_diag_free(d);
  return code;
}

int cmd_run(int argc, char **argv) {
  cli_opts o = {.dpi = 150};
  return cmd_run_or_check(argc, argv, &o, false);
}

int cmd_check(int argc, char **argv) {
  cli_opts o = {.dpi = 150};
  return cmd_run_or_check(argc, argv, &o, true);
}
