/* summary.c — the counts of a run as the CLI prints them.
 *
 * The summary reconciles: for every list, rows read = rendered + excluded +
 * rejected, and the file's lines — counted apart from the reader, quotes
 * ignored — are header lines + rows + blank lines + line breaks inside
 * quoted fields, so that rows the reader never saw cannot balance the
 * counts.  Blank lines are counted apart (they are not people).  It holds
 * counts and file names only — no personal data.  The files summary.json and
 * summary.txt are written by reports.c.
 */
#include "job/job_private.h"

#include <string.h>

void tg_summary_add_output(tg_summary *s, const char *path) {
  s->outputs = g_renew(char *, s->outputs, s->noutputs + 2);
  s->outputs[s->noutputs++] = g_strdup(path);
  s->outputs[s->noutputs] = NULL;
}

void tg_summary_clear(tg_summary *s) {
  for (size_t i = 0; i < s->nlists; i++) {
    g_free(s->lists[i].file);
    g_free(s->lists[i].type);
    g_free(s->lists[i].municipality);
    g_strfreev(s->lists[i].rule_reasons);
    g_free(s->lists[i].excluded_rule);
  }
  g_free(s->lists);
  for (size_t i = 0; i < s->noutputs; i++)
    g_free(s->outputs[i]);
  g_free(s->outputs);
  memset(s, 0, sizeof *s);
}

size_t tg_summary_rule_counts(const tg_summary *s, tg_rule_count **out) {
  GArray *a = g_array_new(FALSE, TRUE, sizeof(tg_rule_count));
  for (size_t i = 0; i < s->nlists; i++) {
    const tg_list_summary *l = &s->lists[i];
    for (size_t r = 0; r < l->nrules; r++) {
      tg_rule_count *found = NULL;
      for (guint k = 0; k < a->len && !found; k++) {
        tg_rule_count *c = &g_array_index(a, tg_rule_count, k);
        if (strcmp(c->municipality, l->municipality) == 0 &&
            strcmp(c->reason, l->rule_reasons[r]) == 0)
          found = c;
      }
      if (found) {
        found->count += l->excluded_rule[r];
      } else {
        tg_rule_count c = {l->municipality, l->rule_reasons[r], l->excluded_rule[r]};
        g_array_append_val(a, c);
      }
    }
  }
  size_t n = a->len;
  *out = (tg_rule_count *)(void *)g_array_free(a, FALSE);
  return n;
}

bool tg_summary_lines_reconciled(const tg_list_summary *l) {
  return l->lines == 0 || l->lines == l->header_lines + l->file_rows + l->blank + l->field_breaks;
}

bool tg_summary_reconciled(const tg_summary *s) {
  bool ok = s->read == s->rendered + s->excluded + s->rejected;
  for (size_t i = 0; i < s->nlists; i++)
    ok = ok && tg_summary_lines_reconciled(&s->lists[i]);
  return ok;
}

char *tg_summary_format(const tg_summary *s, bool check_only) {
  GString *o = g_string_new(NULL);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n", "rows read", s->read);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n",
                         check_only ? "letters ready" : "letters rendered", s->rendered);
  uint64_t dup = 0, lst = 0;
  for (size_t i = 0; i < s->nlists; i++) {
    dup += s->lists[i].excluded_duplicate;
    lst += s->lists[i].excluded_list;
  }
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT, "excluded", s->excluded);
  if (s->excluded)
    g_string_append_printf(
        o, "  (duplicate person %" G_GUINT64_FORMAT ", exclusion list %" G_GUINT64_FORMAT ")", dup,
        lst);
  g_string_append_c(o, '\n');
  tg_rule_count *rc;
  size_t nrc = tg_summary_rule_counts(s, &rc);
  for (size_t i = 0; i < nrc; i++)
    g_string_append_printf(o, "  by rule %s %s: %" G_GUINT64_FORMAT "\n", rc[i].municipality,
                           rc[i].reason, rc[i].count);
  g_free(rc);
  g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "%s\n", "rejected", s->rejected,
                         !s->rejected ? ""
                         : check_only ? "  (see the messages above)"
                                      : "  (see rejected.csv)");
  if (!check_only) g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT "\n", "pages", s->pages);
  if (s->barcodes || s->barcodes_omitted) {
    g_string_append_printf(o, "%-18s %8" G_GUINT64_FORMAT, "customer barcodes", s->barcodes);
    if (s->barcodes_omitted)
      g_string_append_printf(o, "  (%" G_GUINT64_FORMAT " %s without one: see the messages)",
                             s->barcodes_omitted, s->barcodes_omitted == 1 ? "letter" : "letters");
    g_string_append_c(o, '\n');
  }
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
  uint64_t lines = 0, unaccounted = 0;
  for (size_t i = 0; i < s->nlists; i++) {
    const tg_list_summary *l = &s->lists[i];
    lines += l->lines;
    if (!tg_summary_lines_reconciled(l)) unaccounted++;
  }
  if (lines)
    g_string_append_printf(o, "                   %s\n",
                           unaccounted
                               ? "MISMATCH: lines != header + rows + blank + breaks in fields"
                               : "lines = header + rows + blank + breaks in fields");
  for (size_t i = 0; i < s->noutputs; i++)
    g_string_append_printf(o, "%-18s %s\n", i ? "" : "output", s->outputs[i]);
  return g_string_free(o, FALSE);
}
