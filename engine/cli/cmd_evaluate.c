/* cmd_evaluate.c — `tegami evaluate ASSIGNMENT.csv OUTCOMES.csv`: did the letters work?
 *
 * Joins the allocation table written by a run (assignment.csv) with a later
 * list of clinic visits (outcomes.csv, from claims), prints the visit rate
 * per arm with its interval and each arm's difference from the reference arm
 * (overall, stratified and per stratum), and writes evaluation.txt,
 * evaluation.csv and the chart (PDF, PNG) into the output folder; --trace
 * also writes the chart's items as text (golden tests), --no-pdf leaves the
 * chart's PDF and PNG out.  The method is in docs/evaluation.md; the
 * computation in lib/experiment/evaluate.c.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  const char *out_dir, *reference, *key, *date_column, *fontset, *trace, *returns, *calls;
  bool force, no_pdf;
  int window_days;
  double alpha;
} eval_opts;

static bool is_opt(const char *a, const char *longname, const char *shortname) {
  return strcmp(a, longname) == 0 || (shortname && strcmp(a, shortname) == 0);
}

static int parse(int argc, char **argv, eval_opts *o, const char **pos, int *npos) {
  *npos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool with_value = is_opt(a, "--out", "-o") || is_opt(a, "--window-days", NULL) ||
                      is_opt(a, "--alpha", NULL) || is_opt(a, "--reference", NULL) ||
                      is_opt(a, "--key", NULL) || is_opt(a, "--date-column", NULL) ||
                      is_opt(a, "--fontset", NULL) || is_opt(a, "--trace", NULL) ||
                      is_opt(a, "--returns", NULL) || is_opt(a, "--calls", NULL);
    const char *val = NULL;
    if (with_value) {
      if (i + 1 >= argc) return cli_usage_error("%s needs a value", a);
      val = argv[++i];
    }
    if (is_opt(a, "--force", NULL)) {
      o->force = true;
    } else if (is_opt(a, "--no-pdf", NULL)) {
      o->no_pdf = true;
    } else if (is_opt(a, "--trace", NULL)) {
      o->trace = val;
    } else if (is_opt(a, "--returns", NULL)) {
      o->returns = val;
    } else if (is_opt(a, "--calls", NULL)) {
      o->calls = val;
    } else if (is_opt(a, "--out", "-o")) {
      o->out_dir = val;
    } else if (is_opt(a, "--reference", NULL)) {
      o->reference = val;
    } else if (is_opt(a, "--key", NULL)) {
      o->key = val;
    } else if (is_opt(a, "--date-column", NULL)) {
      o->date_column = val;
    } else if (is_opt(a, "--fontset", NULL)) {
      o->fontset = val;
    } else if (is_opt(a, "--window-days", NULL)) {
      char *end;
      gint64 n = g_ascii_strtoll(val, &end, 10);
      if (*end || end == val || n < 1 || n > 3660)
        return cli_usage_error("--window-days must be a whole number of days (1 to 3660), not '%s'",
                               val);
      o->window_days = (int)n;
    } else if (is_opt(a, "--alpha", NULL)) {
      char *end;
      o->alpha = g_ascii_strtod(val, &end);
      if (*end || end == val || !(o->alpha > 0 && o->alpha < 0.5))
        return cli_usage_error("--alpha must be a number between 0 and 0.5 (e.g. 0.05), not '%s'",
                               val);
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error("unknown option '%s'", a);
    } else {
      pos[(*npos)++] = a;
    }
  }
  return TG_EXIT_OK;
}

int cmd_evaluate(int argc, char **argv) {
  eval_opts o = {.out_dir = "evaluation", .alpha = 0.05};
  const char **pos = calloc((size_t)argc + 1, sizeof *pos);
  int npos, code = parse(argc, argv, &o, pos, &npos);
  if (code == TG_EXIT_OK && npos != 2)
    code = cli_usage_error("evaluate needs two files: ASSIGNMENT.csv OUTCOMES.csv");
  if (code != TG_EXIT_OK) {
    free(pos);
    return code;
  }
  tg_eval_options eo = {.key_column = o.key,
                        .date_column = o.date_column,
                        .reference = o.reference,
                        .window_days = o.window_days,
                        .alpha = o.alpha};
  tg_diag *d = tg_diag_new();
  /* the follow-up: returned letters (OUT/staff/returns.csv) and calls (CALLS) */
  char **returned = NULL, **reached = NULL;
  if (o.returns) {
    const char *runs[] = {o.returns};
    returned = tg_followup_returned_keys(runs, 1, d);
    eo.returned_keys = (const char *const *)returned;
  }
  if (o.calls) {
    reached = tg_followup_reached_keys(o.calls, d);
    eo.reached_keys = (const char *const *)reached;
  }
  tg_evaluation *e = (!o.returns || returned) && (!o.calls || reached)
                         ? tg_evaluate(pos[0], pos[1], &eo, d)
                         : NULL;
  tg_followup_keys_free(returned);
  tg_followup_keys_free(reached);
  free(pos);
  if (!e) {
    cli_print_diags(d);
    code = tg_diag_exit_code(d);
    tg_diag_free(d);
    return code ? code : TG_EXIT_INVALID;
  }
  tg_eval_chart_options co = {.fontset = o.fontset, .no_chart_files = o.no_pdf};
  if (o.trace) {
    co.trace = strcmp(o.trace, "-") == 0 ? stdout : fopen(o.trace, "w");
    if (!co.trace) {
      fprintf(stderr, _("tegami: cannot write the trace %s\n"), o.trace);
      tg_evaluation_free(e);
      tg_diag_free(d);
      return TG_EXIT_SYSTEM;
    }
  }
  bool written = tg_evaluation_write_outputs(e, o.out_dir, o.force, &co, d);
  if (co.trace && co.trace != stdout && fclose(co.trace) != 0) {
    fprintf(stderr, _("tegami: cannot write the trace %s\n"), o.trace);
    written = false;
  }
  cli_print_diags(d);
  char *report = tg_evaluation_format(e);
  fputs(report, stdout);
  free(report);
  if (written)
    fprintf(stderr, _("written: %s/evaluation.{%s}\n"), o.out_dir,
            o.no_pdf ? "txt,csv" : "txt,csv,pdf,png");
  code = tg_diag_exit_code(d);
  if (!written && code == TG_EXIT_OK) code = TG_EXIT_SYSTEM;
  tg_evaluation_free(e);
  tg_diag_free(d);
  return code;
}
