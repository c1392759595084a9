/* cmd_report.c — `tegami report OUT... [--calls CALLS] -o report.pdf`: the
 * 第1号様式 事業実施報告書 (spec 12(4)) and report.json beside it, from the
 * runs' manifests, staff records, returned-mail and calls ledgers, after
 * checking that they agree (lib/followup/report.c, docs/followup.md).
 * Recorded in the audit log with its inputs and outputs hashed.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_report_options[] = N_(
    "  -o, --out FILE     the report PDF (default: report.pdf); report.json beside it\n"
    "  --calls DIR        the calls folder of `tegami calls plan` (受診勧奨電話)\n"
    "  --issuer FILE      YAML: contractor, representative (事業者名, 代表者職氏名), title, date\n"
    "  --date YYYY-MM-DD  the report's date (default: the issuer file's, else the last record)\n"
    "  --force            replace an earlier report\n"
    "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n"
    "  --trace FILE       also write a text trace of the page ('-' = stdout)\n"
    "  --audit-log FILE   the audit log (default: $TEGAMI_AUDIT_LOG, ~/.local/state/tegami)\n");

int cmd_report(int argc, char **argv) {
  const char *out = "report.pdf", *calls = NULL, *issuer = NULL, *date = NULL, *fontset = NULL,
             *trace_path = NULL, *log_opt = NULL;
  bool force = false;
  const char **runs = calloc((size_t)argc + 1, sizeof *runs);
  size_t nruns = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    static const char *const valued[] = {"-o",     "--out",     "--calls", "--issuer",
                                         "--date", "--fontset", "--trace", "--audit-log"};
    bool with_value = false;
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
      with_value = with_value || strcmp(a, valued[k]) == 0;
    if (with_value && i + 1 >= argc) {
      free(runs);
      return cli_usage_error("%s needs a value", a);
    }
    const char *v = with_value ? argv[++i] : NULL;
    if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0)
      out = v;
    else if (strcmp(a, "--calls") == 0)
      calls = v;
    else if (strcmp(a, "--issuer") == 0)
      issuer = v;
    else if (strcmp(a, "--date") == 0)
      date = v;
    else if (strcmp(a, "--fontset") == 0)
      fontset = v;
    else if (strcmp(a, "--trace") == 0)
      trace_path = v;
    else if (strcmp(a, "--audit-log") == 0)
      log_opt = v;
    else if (strcmp(a, "--force") == 0)
      force = true;
    else if (a[0] == '-' && a[1]) {
      free(runs);
      return cli_usage_error("unknown option '%s'", a);
    } else
      runs[nruns++] = a;
  }
  if (!nruns) {
    free(runs);
    return cli_usage_error("report needs the output folder of at least one run");
  }
  if (date && !tg_job_date_valid(date)) {
    free(runs);
    return cli_usage_error("--date must be a date like 2027-03-31, not '%s'", date);
  }
  char *base = g_str_has_suffix(out, ".pdf") ? g_strndup(out, strlen(out) - 4) : g_strdup(out);
  char *json = g_strdup_printf("%s.json", base);
  g_free(base);
  if (!force && (g_file_test(out, G_FILE_TEST_EXISTS) || g_file_test(json, G_FILE_TEST_EXISTS))) {
    int code = cli_usage_error("%s or %s already exists: use --force to replace it", out, json);
    g_free(json);
    free(runs);
    return code;
  }
  FILE *trace = NULL;
  if (trace_path) {
    trace = strcmp(trace_path, "-") == 0 ? stdout : fopen(trace_path, "w");
    if (!trace) {
      fprintf(stderr, _("tegami: cannot write the trace %s\n"), trace_path);
      g_free(json);
      free(runs);
      return TG_EXIT_SYSTEM;
    }
  }
  tg_report_options o = {.calls_dir = calls,
                         .issuer = issuer,
                         .date = date,
                         .pdf_path = out,
                         .json_path = json,
                         .fontset = fontset,
                         .trace = trace};
  tg_diag *d = tg_diag_new();
  tg_followup_result r;
  tg_exit code = tg_followup_report(runs, nruns, &o, &r, d);
  if (trace && trace != stdout) fclose(trace);
  if (code == TG_EXIT_OK)
    fprintf(stderr,
            _("report: %" PRIu64 " letters sent, %" PRIu64 " returned, %" PRIu64
              " calls made; reconciled\nwritten: %s, %s\n"),
            r.people, r.returned, r.recorded, out, json);
  char *log = cli_audit_log_path(log_opt);
  tg_audit_entry *e = tg_audit_entry_new("report");
  for (size_t i = 0; i < nruns; i++) {
    char *m = g_build_filename(runs[i], "manifest.csv", NULL);
    if (g_file_test(m, G_FILE_TEST_IS_REGULAR)) tg_audit_entry_add_file(e, "input", m, d);
    g_free(m);
  }
  for (char **p = r.outputs; p && *p; p++)
    tg_audit_entry_add_file(e, "output", *p, d);
  tg_audit_entry_set_count(e, "letters", r.people);
  tg_audit_entry_set_count(e, "returned", r.returned);
  tg_audit_entry_set_count(e, "calls", r.recorded);
  code = cli_audit_finish(log, e, code, d);
  free(log);
  tg_followup_result_clear(&r);
  tg_diag_free(d);
  g_free(json);
  free(runs);
  return code;
}
