/* coverage.c — proving that a design's segments give every row a letter.
 *
 * A row that no segment of its list type claims is rejected (segment.none),
 * and so is one that two segments claim without priorities: a production
 * design must leave no such row.  `tegami check` proves it without data.
 * The segment rules read a few columns; each column's values (its domain:
 * tg_targets_column_domain) are cut into classes at the numbers and words
 * the rules compare it with — between two such numbers every comparison of
 * the language (<, <=, ==, ranges, lists) gives the same answer — and one
 * value per class is enough.  Every combination of those values is then run
 * through the real rule evaluator, so the proof holds for the rules exactly
 * as rows meet them.  Rules that compare two columns are evaluated on the
 * same representatives (not a proof of every order between them).
 */
#include "merge/merge_private.h"

#include <math.h>
#include <string.h>

/* Combinations tried at most (a design whose rules read many columns with
 * many thresholds is reported as not proven, never looped over for hours). */
#define MAX_COMBINATIONS 200000

typedef struct {
  int col;
  GPtrArray *values; /* char* (owned): one value per class; "" = empty */
} axis;

static void add_value(GPtrArray *vals, const char *v) {
  for (guint i = 0; i < vals->len; i++)
    if (strcmp(g_ptr_array_index(vals, i), v) == 0) return;
  g_ptr_array_add(vals, g_strdup(v));
}

static void add_number(GPtrArray *vals, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  add_value(vals, g_ascii_formatd(buf, sizeof buf, "%.10g", v));
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The values of a column's classes, from its domain and the literals the
 * rules compare it with. */
static void axis_values(axis *ax, const tg_column_domain *dom, const GArray *lits) {
  GPtrArray *vals = ax->values;
  if (!dom->filled) add_value(vals, "");
  GArray *nums = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < lits->len; i++) {
    const merge_cond_literal *l = &g_array_index(lits, merge_cond_literal, i);
    if (l->col != ax->col) continue;
    if (l->numeric) g_array_append_val(nums, l->num);
    if (l->text && dom->kind == TG_DOMAIN_TEXT) add_value(vals, l->text);
  }
  switch (dom->kind) {
  case TG_DOMAIN_WORDS:
    for (const char *const *w = dom->words; *w; w++)
      add_value(vals, *w);
    break;
  case TG_DOMAIN_TEXT:
    add_value(vals, "（ほかの値）"); /* any text the rules do not name */
    if (!nums->len) break;
    /* a text column compared with numbers: numbers around them */
    for (guint i = 0, n = nums->len; i < n; i++) {
      double t = g_array_index(nums, double, i);
      add_number(vals, t - 1);
      add_number(vals, t + 1);
    }
    /* and each class between them: */
    __attribute__((fallthrough));
  case TG_DOMAIN_NUMBER:
  case TG_DOMAIN_INTEGER: {
    bool text = dom->kind == TG_DOMAIN_TEXT;
    double lo = text ? -INFINITY : dom->min, hi = text ? INFINITY : dom->max;
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(double));
    if (!text) g_array_append_val(pts, lo);
    if (!text && !dom->max_open) g_array_append_val(pts, hi);
    for (guint i = 0; i < nums->len; i++) {
      double t = g_array_index(nums, double, i);
      if (dom->kind == TG_DOMAIN_INTEGER) {
        double c[] = {floor(t) - 1, floor(t), ceil(t), ceil(t) + 1};
        for (size_t k = 0; k < G_N_ELEMENTS(c); k++)
          if (c[k] >= lo && (c[k] < hi || (!dom->max_open && c[k] == hi)))
            g_array_append_val(pts, c[k]);
      } else if (t >= lo && (t < hi || (!dom->max_open && t == hi))) {
        g_array_append_val(pts, t);
      }
    }
    g_array_sort(pts, cmp_double);
    for (guint i = 0; i < pts->len; i++) {
      double p = g_array_index(pts, double, i);
      add_number(vals, p);
      if (dom->kind == TG_DOMAIN_INTEGER) continue;
      /* the open class above p: up to the next point, or to an open end */
      double next = i + 1 < pts->len ? g_array_index(pts, double, i + 1) : (text ? p + 2 : hi);
      if (next > p) add_number(vals, (p + next) / 2);
    }
    g_array_free(pts, TRUE);
    break;
  }
  }
  g_array_free(nums, TRUE);
}

/* "eGFR = 60, 年齢 empty" — values of the columns the rules read; the word
 * "empty" is translated, as the description goes into a message. */
static char *describe(const tg_merge *m, const axis *axes, size_t naxes, const size_t *at) {
  GString *s = g_string_new(NULL);
  for (size_t i = 0; i < naxes; i++) {
    const char *v = g_ptr_array_index(axes[i].values, at[i]);
    if (*v)
      g_string_append_printf(s, "%s%s = %s", i ? ", " : "", m->columns[axes[i].col], v);
    else
      g_string_append_printf(s, _("%s%s empty"), i ? ", " : "", m->columns[axes[i].col]);
  }
  return g_string_free(s, FALSE);
}

/* Run every combination of the axes' values through the segment rules;
 * report the first gap and the first overlap. */
static bool try_all(const tg_merge *m, const int *segs, size_t nsegs, bool otherwise, const axis *A,
                    size_t naxes, tg_span where, tg_diag *d) {
  const tg_design *ds = m->design;
  bool ok = true;
  const char **fields = g_new0(const char *, m->ncols + 1);
  size_t *lengths = g_new0(size_t, m->ncols + 1);
  for (size_t c = 0; c < m->ncols; c++)
    fields[c] = "";
  size_t *at = g_new0(size_t, naxes + 1);
  tg_row row = {.nfields = m->ncols, .fields = fields, .lengths = lengths};
  tg_diag *scratch = tg_diag_new();
  bool told_gap = otherwise, told_overlap = false;
  for (;;) {
    for (size_t i = 0; i < naxes; i++) {
      fields[A[i].col] = g_ptr_array_index(A[i].values, at[i]);
      lengths[A[i].col] = strlen(fields[A[i].col]);
    }
    int matched[TG_MAX_SEGMENTS];
    size_t nm = 0;
    bool error = false;
    for (size_t k = 0; k < nsegs && !error; k++) {
      const tg_segment *sg = &ds->segments[segs[k]];
      merge_env E = {.m = m, .row = &row, .list_path = "", .t = &sg->when, .d = scratch};
      int v = merge_cond_eval(m->slots[sg->when.slot].cond, &E);
      if (v < 0) error = true; /* a value the rules cannot read: rejected for it */
      if (v > 0) matched[nm++] = segs[k];
    }
    tg_diag_clear(scratch);
    if (!error && nm == 0 && !told_gap) {
      char *what = describe(m, A, naxes, at);
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "segment.uncovered", where,
                 "no segment of type '%s' takes a row with %s: it would get no letter",
                 m->list_type ? m->list_type : "?", what);
      tg_diag_hint(d, "add a segment for such rows, or one with 'when: otherwise'");
      g_free(what);
      told_gap = true;
      ok = false;
    }
    bool all_prio = true;
    for (size_t k = 0; k < nm; k++)
      all_prio = all_prio && ds->segments[matched[k]].priority;
    if (!error && nm > 1 && !all_prio && !told_overlap) {
      char *what = describe(m, A, naxes, at);
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "segment.may-overlap", where,
                 "segments '%s' and '%s' both take a row with %s, and they have no priority",
                 ds->segments[matched[0]].name, ds->segments[matched[1]].name, what);
      tg_diag_hint(d, "give the segments 'priority:' (1 is chosen first)");
      g_free(what);
      told_overlap = true;
      ok = false;
    }
    /* next combination */
    size_t i = 0;
    while (i < naxes && ++at[i] == A[i].values->len)
      at[i++] = 0;
    if (i == naxes) break;
  }
  tg_diag_free(scratch);
  g_free(at);
  g_free(fields);
  g_free(lengths);
  return ok;
}

bool tg_merge_check_coverage(const tg_merge *m, const char *profile, tg_diag *d) {
  const tg_design *ds = m->design;
  if (!ds->nsegments || !m->columns) return true;
  int segs[TG_MAX_SEGMENTS];
  size_t nsegs = 0;
  bool otherwise = false;
  tg_span where = ds->segments_span;
  GArray *lits = g_array_new(FALSE, FALSE, sizeof(merge_cond_literal));
  for (size_t i = 0; i < ds->nsegments; i++) {
    if (!((m->segment_mask >> i) & 1)) continue;
    const tg_segment *sg = &ds->segments[i];
    if (!where.src) where = sg->span;
    if (sg->otherwise) {
      otherwise = true;
      continue;
    }
    if (sg->when.slot < 0 || !m->slots[sg->when.slot].cond) continue;
    segs[nsegs++] = (int)i;
    merge_cond_literals(m->slots[sg->when.slot].cond, lits);
  }
  /* the columns read, each with its classes */
  GArray *axes = g_array_new(FALSE, TRUE, sizeof(axis));
  double combinations = 1;
  for (guint i = 0; i < lits->len; i++) {
    int col = g_array_index(lits, merge_cond_literal, i).col;
    bool have = false;
    for (guint k = 0; k < axes->len && !have; k++)
      have = g_array_index(axes, axis, k).col == col;
    if (have) continue;
    axis ax = {.col = col, .values = g_ptr_array_new_with_free_func(g_free)};
    tg_column_domain dom;
    tg_targets_column_domain(profile, m->columns[col], &dom);
    axis_values(&ax, &dom, lits);
    combinations *= ax.values->len;
    g_array_append_val(axes, ax);
  }
  axis *A = (axis *)(void *)axes->data;
  size_t naxes = axes->len;
  bool ok = true;
  if (combinations > MAX_COMBINATIONS) {
    tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "segment.coverage-unproven", where,
               "the segments of type '%s' read too many columns and values to try every "
               "combination (%.0f): that every row gets a segment is not proven",
               m->list_type ? m->list_type : "?", combinations);
  } else {
    ok = try_all(m, segs, nsegs, otherwise, A, naxes, where, d);
  }
  for (size_t i = 0; i < naxes; i++)
    g_ptr_array_free(A[i].values, TRUE);
  g_array_free(axes, TRUE);
  g_array_free(lits, TRUE);
  return ok;
}
