/* summary.c — the counts of a run, for people (summary.txt) and programs
 * (summary.json).
 *
 * The summary reconciles: for every list, rows read = rendered + excluded +
 * rejected.  Blank lines are counted apart (they are not people).  It holds
 * counts and file names only — no personal data.
 */
#include "output/output_private.h"

#include <string.h>

void output_summary_add_output(tg_summary *s, const char *path) {
  s->outputs = g_renew(char *, s->outputs, s->noutputs + 2);
  s->outputs[s->noutputs++] = g_strdup(path);
  s->outputs[s->noutputs] = NULL;
}

void tg_summary_clear(tg_summary *s) {
  for (size_t i = 0; i < s->nlists; i++) {
    g_free(s->lists[i].file);
    g_free(s->lists[i].type);
    g_free(s->lists[i].municipality);
  }
  g_free(s->lists);
  for (size_t i = 0; i < s->noutputs; i++) g_free(s->outputs[i]);
  g_free(s->outputs);
  memset(s, 0, sizeof *s);
}

char *tg_summary_format(const tg_summary *s, bool check_only) {
  GString *o = g_string_new(NULL);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n", "rows read", s->read);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n",
                         check_only ? "letters ready" : "letters rendered", s->rendered);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n", "excluded", s->excluded);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "%s\n", "rejected", s->rejected,
                         s->rejected ? "  (see rejected.csv)" : "");
  if (!check_only) g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n", "pages", s->pages);
  if (s->blank)
    g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "  (not counted as rows)\n",
                           "blank lines", s->blank);
  if (s->nlists > 1) {
    g_string_append(o, "per list:\n");
    for (size_t i = 0; i < s->nlists; i++) {
      const tg_list_summary *l = &s->lists[i];
      g_string_append_printf(o,
                             "  %s %s %s: read %" G_GUINT64_FORMAT ", rendered %" G_GUINT64_FORMAT
                             ", excluded %" G_GUINT64_FORMAT ", rejected %" G_GUINT64_FORMAT "\n",
                             l->municipality, l->type, l->file, l->read, l->rendered, l->excluded,
                             l->rejected);
    }
  }
  bool balanced = s->read == s->rendered + s->excluded + s->rejected;
  g_string_append_printf(o, "reconciliation:    %s\n",
                         balanced ? "read = rendered + excluded + rejected"
                                  : "MISMATCH: read != rendered + excluded + rejected");
  for (size_t i = 0; i < s->noutputs; i++)
    g_string_append_printf(o, "%-18s %s\n", i ? "" : "output", s->outputs[i]);
  return g_string_free(o, FALSE);
}

static void json_str(GString *o, const char *s) {
  g_string_append_c(o, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') g_string_append_printf(o, "\\%c", *p);
    else if (*p < 0x20) g_string_append_printf(o, "\\u%04x", *p);
    else g_string_append_c(o, (char)*p);
  }
  g_string_append_c(o, '"');
}

static bool write_file(const char *dir, const char *name, const GString *content, tg_diag *d) {
  char *path = g_build_filename(dir, name, NULL);
  tg_atomic *a = tg_atomic_open(path, d);
  g_free(path);
  if (!a) return false;
  fwrite(content->str, 1, content->len, tg_atomic_get_file(a));
  return tg_atomic_commit(a, d);
}

bool output_write_summary(const char *dir, const tg_job *job, tg_summary *s, tg_diag *d) {
  GString *j = g_string_new("{\n  \"job\": ");
  json_str(j, job->id);
  g_string_append(j, ",\n  \"date\": ");
  json_str(j, job->date);
  g_string_append_printf(j,
                         ",\n  \"totals\": {\"read\": %" G_GUINT64_FORMAT
                         ", \"rendered\": %" G_GUINT64_FORMAT ", \"excluded\": %" G_GUINT64_FORMAT
                         ", \"rejected\": %" G_GUINT64_FORMAT ", \"blank\": %" G_GUINT64_FORMAT
                         ", \"pages\": %" G_GUINT64_FORMAT "},\n  \"lists\": [",
                         s->read, s->rendered, s->excluded, s->rejected, s->blank, s->pages);
  for (size_t i = 0; i < s->nlists; i++) {
    const tg_list_summary *l = &s->lists[i];
    g_string_append(j, i ? ",\n    {" : "\n    {");
    g_string_append(j, "\"municipality\": ");
    json_str(j, l->municipality);
    g_string_append(j, ", \"type\": ");
    json_str(j, l->type);
    g_string_append(j, ", \"file\": ");
    json_str(j, l->file);
    g_string_append_printf(j,
                           ", \"read\": %" G_GUINT64_FORMAT ", \"rendered\": %" G_GUINT64_FORMAT
                           ", \"excluded\": %" G_GUINT64_FORMAT ", \"rejected\": %" G_GUINT64_FORMAT
                           ", \"blank\": %" G_GUINT64_FORMAT "}",
                           l->read, l->rendered, l->excluded, l->rejected, l->blank);
  }
  g_string_append(j, "\n  ],\n  \"reconciled\": ");
  g_string_append(j, s->read == s->rendered + s->excluded + s->rejected ? "true" : "false");
  g_string_append(j, "\n}\n");
  char *jp = g_build_filename(dir, "summary.json", NULL), *tp = g_build_filename(dir, "summary.txt", NULL);
  output_summary_add_output(s, jp);
  output_summary_add_output(s, tp);
  g_free(jp);
  g_free(tp);
  bool ok = write_file(dir, "summary.json", j, d);
  g_string_free(j, TRUE);
  if (!ok) return false;
  char *txt = tg_summary_format(s, false);
  GString *t = g_string_new(txt);
  g_free(txt);
  ok = write_file(dir, "summary.txt", t, d);
  g_string_free(t, TRUE);
  return ok;
}
