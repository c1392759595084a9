/* cmd_calls.c — `tegami calls plan|record` and `tegami returns record`: the
 * follow-up after the letters (docs/followup.md).
 *
 *   tegami calls plan OUT --phones PHONES.csv -o CALLS
 *   tegami calls record CALLS OUTCOMES.csv
 *   tegami returns record OUT RETURNS.csv
 *
 * The work is in lib/followup; here the options are read, diagnostics
 * printed, and every command recorded in the audit log with the files it
 * wrote (hashed) and its counts — never a name, number or note.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_calls_options[] = N_(
    "  plan OUT           plan the next round of calls from a run's output folder\n"
    "  record CALLS F     record call outcomes (CSV: key,datetime,nurse,code,notes)\n"
    "  --phones FILE      the municipal phone list (plan; KDB個人番号 or 被保険者番号, 電話番号)\n"
    "  -o, --out DIR      the calls folder (plan; default: calls), kept across rounds\n"
    "  --attempts N       attempts before a person counts as unreachable (default 3)\n"
    "  --password-file F  encrypt the call sheets with the password in F (default: as the job)\n"
    "  --password-env V   ... or with the password in environment variable V\n"
    "  --fontset FILE     font set listing (default: <data>/fonts/fontset.txt)\n"
    "  --trace FILE       also write a text trace of the call sheets ('-' = stdout)\n"
    "  --audit-log FILE   the audit log (default: $TEGAMI_AUDIT_LOG, ~/.local/state/tegami)\n");

const char cli_returns_options[] =
    N_("  record OUT F       record returned letters (CSV: letter_id,reason,date) of a run\n"
       "  --audit-log FILE   the audit log (default: $TEGAMI_AUDIT_LOG, ~/.local/state/tegami)\n");

typedef struct {
  const char *out, *phones, *password_file, *password_env, *fontset, *trace, *audit_log;
  unsigned attempts;
} calls_opts;

static int parse(int argc, char **argv, calls_opts *o, const char **pos, int *npos) {
  *npos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    static const char *const valued[] = {"-o",         "--out",           "--phones",
                                         "--attempts", "--password-file", "--password-env",
                                         "--fontset",  "--trace",         "--audit-log"};
    bool with_value = false;
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
      with_value = with_value || strcmp(a, valued[k]) == 0;
    if (with_value && i + 1 >= argc) return cli_usage_error("%s needs a value", a);
    const char *v = with_value ? argv[++i] : NULL;
    if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0)
      o->out = v;
    else if (strcmp(a, "--phones") == 0)
      o->phones = v;
    else if (strcmp(a, "--password-file") == 0)
      o->password_file = v;
    else if (strcmp(a, "--password-env") == 0)
      o->password_env = v;
    else if (strcmp(a, "--fontset") == 0)
      o->fontset = v;
    else if (strcmp(a, "--trace") == 0)
      o->trace = v;
    else if (strcmp(a, "--audit-log") == 0)
      o->audit_log = v;
    else if (strcmp(a, "--attempts") == 0) {
      char *end;
      guint64 n = g_ascii_strtoull(v, &end, 10);
      if (*end || end == v || n < 1 || n > 9)
        return cli_usage_error("--attempts must be a whole number from 1 to 9, not '%s'", v);
      o->attempts = (unsigned)n;
    } else if (a[0] == '-' && a[1])
      return cli_usage_error("unknown option '%s'", a);
    else
      pos[(*npos)++] = a;
  }
  return TG_EXIT_OK;
}

/* Record the command in the audit log; print its diagnostics. */
static int finish(const char *command, const char *log_opt, tg_exit code, tg_followup_result *r,
                  const char *const *inputs, tg_diag *d) {
  char *log = cli_audit_log_path(log_opt);
  tg_audit_entry *e = tg_audit_entry_new(command);
  for (const char *const *in = inputs; *in; in++)
    if (g_file_test(*in, G_FILE_TEST_IS_REGULAR)) tg_audit_entry_add_file(e, "input", *in, d);
  for (char **out = r->outputs; out && *out; out++)
    tg_audit_entry_add_file(e, "output", *out, d);
  tg_audit_entry_set_count(e, "people", r->people);
  tg_audit_entry_set_count(e, "open", r->open);
  tg_audit_entry_set_count(e, "no_phone", r->no_phone);
  tg_audit_entry_set_count(e, "returned", r->returned);
  tg_audit_entry_set_count(e, "recorded", r->recorded);
  tg_audit_entry_set_count(e, "skipped", r->skipped);
  tg_audit_entry_set_count(e, "rejected", r->rejected);
  code = cli_audit_finish(log, e, code, d);
  free(log);
  return code;
}

static int calls_plan(calls_opts *o, const char **pos, int npos) {
  if (npos != 1 || !o->phones)
    return cli_usage_error("usage: tegami calls plan OUT --phones PHONES.csv [-o CALLS]");
  FILE *trace = NULL;
  if (o->trace) {
    trace = strcmp(o->trace, "-") == 0 ? stdout : fopen(o->trace, "w");
    if (!trace) {
      fprintf(stderr, _("tegami: cannot write the trace %s\n"), o->trace);
      return TG_EXIT_SYSTEM;
    }
  }
  tg_calls_plan_options po = {.phones = o->phones,
                              .calls_dir = o->out ? o->out : "calls",
                              .attempts = o->attempts,
                              .fontset = o->fontset,
                              .password_file = o->password_file,
                              .password_env = o->password_env,
                              .trace = trace};
  tg_diag *d = tg_diag_new();
  tg_followup_result r;
  tg_exit code = tg_calls_plan(pos[0], &po, &r, d);
  if (trace && trace != stdout) fclose(trace);
  if (code == TG_EXIT_OK)
    fprintf(stderr,
            _("round %" PRIu64 ": %" PRIu64 " people, %" PRIu64 " still open (%" PRIu64
              " without a phone number), %" PRIu64 " letters returned\n"),
            r.round, r.people, r.open, r.no_phone, r.returned);
  const char *inputs[] = {o->phones, NULL};
  code = finish("calls-plan", o->audit_log, code, &r, inputs, d);
  tg_followup_result_clear(&r);
  tg_diag_free(d);
  return code;
}

static int record(const char *what, const char *dir, const char *file, const char *log_opt) {
  tg_diag *d = tg_diag_new();
  tg_followup_result r;
  bool calls = strcmp(what, "calls-record") == 0;
  tg_exit code = calls ? tg_calls_record(dir, file, &r, d) : tg_returns_record(dir, file, &r, d);
  if (code == TG_EXIT_OK || code == TG_EXIT_REJECTED)
    fprintf(stderr, _("%" PRIu64 " recorded, %" PRIu64 " already recorded, %" PRIu64 " rejected\n"),
            r.recorded, r.skipped, r.rejected);
  const char *inputs[] = {file, NULL};
  code = finish(what, log_opt, code, &r, inputs, d);
  tg_followup_result_clear(&r);
  tg_diag_free(d);
  return code;
}

int cmd_calls(int argc, char **argv) {
  if (argc < 1 || (strcmp(argv[0], "plan") != 0 && strcmp(argv[0], "record") != 0))
    return cli_usage_error("calls takes a subcommand: tegami calls plan OUT --phones F -o CALLS, "
                           "or tegami calls record CALLS OUTCOMES.csv");
  calls_opts o = {0};
  const char **pos = calloc((size_t)argc + 1, sizeof *pos);
  int npos, code = parse(argc - 1, argv + 1, &o, pos, &npos);
  if (code == TG_EXIT_OK) {
    if (strcmp(argv[0], "plan") == 0)
      code = calls_plan(&o, pos, npos);
    else if (npos != 2)
      code = cli_usage_error("usage: tegami calls record CALLS OUTCOMES.csv");
    else
      code = record("calls-record", pos[0], pos[1], o.audit_log);
  }
  free(pos);
  return code;
}

int cmd_returns(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "record") != 0)
    return cli_usage_error("returns takes a subcommand: tegami returns record OUT RETURNS.csv");
  calls_opts o = {0};
  const char **pos = calloc((size_t)argc + 1, sizeof *pos);
  int npos, code = parse(argc - 1, argv + 1, &o, pos, &npos);
  if (code == TG_EXIT_OK && npos != 2)
    code = cli_usage_error("usage: tegami returns record OUT RETURNS.csv");
  if (code == TG_EXIT_OK) code = record("returns-record", pos[0], pos[1], o.audit_log);
  free(pos);
  return code;
}
