/* summary.c — the counts of a run as the CLI prints them.
 *
 * The summary reconciles: for every list, rows read = rendered + excluded +
 * rejected, and the file's lines — counted apart from the reader, quotes
 * ignored — are header lines + rows + blank lines + line breaks inside
 * quoted fields, so that rows the reader never saw cannot balance the
 * counts.  Blank lines are counted apart (they are not people).  It holds
 * counts and file names only — no personal data.  The files summary.json and
 * summary.txt are written by reports.c.  Its words are translated
 * (i18n.c): in a Japanese locale the summary is in Japanese.
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

/* One line "label      count": labels are translated (i18n.c) and padded to
 * their display width, so the counts line up in Japanese too. */
static void count_line(GString *o, const char *label, uint64_t n) {
  tg_append_label(o, label, 18);
  g_string_append_printf(o, " %8" PRIu64, n);
}

/* A word of the summary: translated for the terminal, not for the file. */
static const char *word(bool tr, const char *s) __attribute__((format_arg(2)));
static const char *word(bool tr, const char *s) { return tr ? _(s) : s; }

static char *format(const tg_summary *s, bool check_only, bool tr) {
  GString *o = g_string_new(NULL);
  count_line(o, word(tr, "rows read"), s->read);
  g_string_append_c(o, '\n');
  count_line(o, check_only ? word(tr, "letters ready") : word(tr, "letters rendered"), s->rendered);
  g_string_append_c(o, '\n');
  uint64_t dup = 0, lst = 0;
  for (size_t i = 0; i < s->nlists; i++) {
    dup += s->lists[i].excluded_duplicate;
    lst += s->lists[i].excluded_list;
  }
  count_line(o, word(tr, "excluded"), s->excluded);
  if (s->excluded)
    g_string_append_printf(
        o, word(tr, "  (duplicate person %" PRIu64 ", exclusion list %" PRIu64 ")"), dup, lst);
  g_string_append_c(o, '\n');
  tg_rule_count *rc;
  size_t nrc = tg_summary_rule_counts(s, &rc);
  for (size_t i = 0; i < nrc; i++)
    g_string_append_printf(o, word(tr, "  by rule %s %s: %" PRIu64 "\n"), rc[i].municipality,
                           rc[i].reason, rc[i].count);
  g_free(rc);
  count_line(o, word(tr, "rejected"), s->rejected);
  g_string_append_printf(o, "%s\n",
                         !s->rejected ? ""
                         : check_only ? word(tr, "  (see the messages above)")
                                      : word(tr, "  (see rejected.csv)"));
  if (!check_only) {
    count_line(o, word(tr, "pages"), s->pages);
    g_string_append_c(o, '\n');
  }
  if (s->barcodes || s->barcodes_omitted) {
    count_line(o, word(tr, "customer barcodes"), s->barcodes);
    if (s->barcodes_omitted)
      g_string_append_printf(
          o,
          s->barcodes_omitted == 1
              ? word(tr, "  (%" PRIu64 " letter without one: see the messages)")
              : word(tr, "  (%" PRIu64 " letters without one: see the messages)"),
          s->barcodes_omitted);
    g_string_append_c(o, '\n');
  }
  if (s->blank) {
    count_line(o, word(tr, "blank lines"), s->blank);
    g_string_append_printf(o, "%s\n", word(tr, "  (not counted as rows)"));
  }
  if (s->nlists > 1) {
    g_string_append_printf(o, "%s\n", word(tr, "per list:"));
    for (size_t i = 0; i < s->nlists; i++) {
      const tg_list_summary *l = &s->lists[i];
      g_string_append_printf(o, "  %s %s %s: ", l->municipality, l->type, l->file);
      /* a check renders nothing: its letters are "ready", as in the total above */
      g_string_append_printf(o,
                             check_only ? word(tr, "read %" PRIu64 ", ready %" PRIu64
                                                   ", excluded %" PRIu64 ", rejected %" PRIu64)
                                        : word(tr, "read %" PRIu64 ", rendered %" PRIu64
                                                   ", excluded %" PRIu64 ", rejected %" PRIu64),
                             l->read, l->rendered, l->excluded, l->rejected);
      g_string_append_c(o, '\n');
    }
  }
  bool balanced = s->read == s->rendered + s->excluded + s->rejected;
  tg_append_label(o, word(tr, "reconciliation:"), 19);
  g_string_append_printf(
      o, "%s\n",
      check_only ? (balanced ? word(tr, "read = ready + excluded + rejected")
                             : word(tr, "MISMATCH: read != ready + excluded + rejected"))
      : balanced ? word(tr, "read = rendered + excluded + rejected")
                 : word(tr, "MISMATCH: read != rendered + excluded + rejected"));
  uint64_t lines = 0, unaccounted = 0;
  for (size_t i = 0; i < s->nlists; i++) {
    const tg_list_summary *l = &s->lists[i];
    lines += l->lines;
    if (!tg_summary_lines_reconciled(l)) unaccounted++;
  }
  if (lines) {
    tg_append_label(o, "", 19);
    g_string_append_printf(o, "%s\n",
                           unaccounted
                               ? word(tr, "MISMATCH: lines != header + rows + blank + breaks in "
                                          "fields")
                               : word(tr, "lines = header + rows + blank + breaks in fields"));
  }
  for (size_t i = 0; i < s->noutputs; i++) {
    tg_append_label(o, i ? "" : word(tr, "output"), 18);
    g_string_append_printf(o, " %s\n", s->outputs[i]);
  }
  return g_string_free(o, FALSE);
}

char *tg_summary_format(const tg_summary *s, bool check_only) {
  return format(s, check_only, true);
}

char *tg_summary_format_file(const tg_summary *s) { return format(s, false, false); }
