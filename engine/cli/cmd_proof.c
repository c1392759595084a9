/* cmd_proof.c — `tegami proof DESIGN.yaml --personas FILE -o DIR`: proofs for designers.
 *
 * Renders every variant × segment × experiment arm of one design for the
 * synthetic personas of a personas file (samples/personas.yaml), as PDF and
 * PNG, and writes DIR/index.html, a page that shows the letters side by side
 * with their text differences marked and opens from disk.  The work is done
 * by tg_proof() in lib/qa/proof.c; this file parses the options and
 * prints what was written.  With --watch, cmd_proof_watch.c proofs again
 * on every save.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool is_opt(const char *a, const char *longname, const char *shortname) {
  return strcmp(a, longname) == 0 || (shortname && strcmp(a, shortname) == 0);
}

int cmd_proof(int argc, char **argv) {
  tg_proof_options po = {.out_dir = "proofs", .pdf = true, .png = true, .dpi = 100};
  const char *trace_path = NULL, *design = NULL;
  bool watch = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool with_value = is_opt(a, "--out", "-o") || is_opt(a, "--personas", NULL) ||
                      is_opt(a, "--type", NULL) || is_opt(a, "--persona", NULL) ||
                      is_opt(a, "--trace", NULL) || is_opt(a, "--fontset", NULL) ||
                      is_opt(a, "--dpi", NULL);
    const char *val = NULL;
    if (with_value) {
      if (i + 1 >= argc) return cli_usage_error("%s needs a value", a);
      val = argv[++i];
    }
    if (is_opt(a, "--force", NULL)) {
      po.force = true;
    } else if (is_opt(a, "--watch", NULL)) {
      watch = true;
    } else if (is_opt(a, "--no-pdf", NULL)) {
      /* only the trace: no PDF, no PNG, no index.html */
      po.pdf = po.png = false;
    } else if (is_opt(a, "--out", "-o")) {
      po.out_dir = val;
    } else if (is_opt(a, "--personas", NULL)) {
      po.personas = val;
    } else if (is_opt(a, "--type", NULL)) {
      po.type = val;
    } else if (is_opt(a, "--persona", NULL)) {
      po.persona = val;
    } else if (is_opt(a, "--trace", NULL)) {
      trace_path = val;
    } else if (is_opt(a, "--fontset", NULL)) {
      po.fontset = val;
    } else if (is_opt(a, "--dpi", NULL)) {
      char *end;
      po.dpi = g_ascii_strtod(val, &end);
      if (*end || end == val || po.dpi < 36 || po.dpi > 600)
        return cli_usage_error("--dpi must be a number between 36 and 600, not '%s'", val);
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error("unknown option '%s'", a);
    } else if (design) {
      return cli_usage_error("proof takes one design, not '%s' as well", a);
    } else {
      design = a;
    }
  }
  if (!design)
    return cli_usage_error("proof needs a design: tegami proof DESIGN.yaml --personas FILE");
  if (!po.personas) return cli_usage_error("proof needs sample personas: --personas FILE");
  if (watch && (trace_path || !po.png))
    return cli_usage_error("--watch shows the proofs' page: it writes no trace and needs the PNGs");
  if (watch) return cli_proof_watch(design, &po);
  tg_diag *d = tg_diag_new();
  tg_atomic *trace_file = NULL; /* private, in place only when the proofs are */
  if (trace_path) {
    if (strcmp(trace_path, "-") == 0)
      po.trace = stdout;
    else if ((trace_file = tg_atomic_open(trace_path, d)))
      po.trace = tg_atomic_get_file(trace_file);
    if (!po.trace) {
      cli_print_diags(d);
      tg_diag_free(d);
      return TG_EXIT_SYSTEM;
    }
  }
  tg_proof_summary sum;
  bool ok = tg_proof(design, &po, &sum, d);
  if (trace_file) {
    if (!ok)
      tg_atomic_abort(trace_file);
    else
      ok = tg_atomic_commit(trace_file, d);
  }
  cli_print_diags(d);
  int code = tg_diag_exit_code(d);
  if (!ok && code == TG_EXIT_OK) code = TG_EXIT_SYSTEM;
  if (ok) cli_proof_print_summary(&po, &sum);
  tg_diag_free(d);
  return code;
}

void cli_proof_print_summary(const tg_proof_options *po, const tg_proof_summary *sum) {
  fprintf(stderr, _("proofs: %zu personas, %zu letters, %zu pages"), sum->personas, sum->letters,
          sum->pages);
  if (sum->uncovered_segments)
    fprintf(stderr, _(", %zu segment%s without a persona"), sum->uncovered_segments,
            sum->uncovered_segments == 1 ? "" : "s");
  fputc('\n', stderr);
  if (po->png) fprintf(stderr, _("written: %s/index.html, %s/pages/\n"), po->out_dir, po->out_dir);
}
