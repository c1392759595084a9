/* choose.c — the variant and the segment of a row.
 *
 * The variant is the merge's fixed one or the value of the job's variant
 * column; the segment is the one whose rule holds (priorities decide
 * overlaps; `otherwise` takes the rest of its list type).  A row that no
 * segment claims, or that two claim without a priority, is rejected — a
 * letter with the wrong message is worse than a row in rejected.csv.
 */
#include "merge/merge_private.h"

#include <string.h>

uint64_t tg_merge_get_segment_mask(const tg_merge *m) { return m->segment_mask; }

bool tg_merge_set_variant(tg_merge *m, const char *variant, const char *column, tg_span at,
                          tg_diag *d) {
  const tg_design *ds = m->design;
  bool ok = true;
  m->fixed_variant = 0;
  m->variant_col = -1;
  if (variant) {
    int v = tg_design_find_variant(ds, variant);
    if (v < 0) {
      GString *names = g_string_new(NULL);
      for (size_t i = 0; i < ds->nvariants; i++)
        g_string_append_printf(names, "%s%s", i ? ", " : "", ds->variants[i]);
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.unknown-variant", at,
                 "variant '%s' is not a variant of %s (it has: %s)", variant, ds->path, names->str);
      const char *s = tg_suggest(variant, ds->variants, ds->nvariants);
      if (s) tg_diag_hint(d, "did you mean '%s'?", s);
      g_string_free(names, TRUE);
      ok = false;
    } else {
      m->fixed_variant = v;
    }
  }
  if (column) {
    for (size_t i = 0; i < m->ncols; i++)
      if (strcmp(m->columns[i], column) == 0) m->variant_col = (int)i;
    if (m->variant_col < 0 && m->columns) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.variant-column", at,
                 "the list has no column '%s' to choose the variant from", column);
      const char *s = tg_suggest(column, m->columns, m->ncols);
      if (s) tg_diag_hint(d, "did you mean '%s'?", s);
      ok = false;
    }
  }
  return ok;
}

static int choose_segment(const tg_merge *m, const tg_row *row, const char *list_path, tg_diag *d,
                          bool *ok) {
  const tg_design *ds = m->design;
  *ok = true;
  if (!ds->nsegments) return -1;
  int matched[TG_MAX_SEGMENTS];
  size_t nm = 0;
  int otherwise = -1;
  for (size_t i = 0; i < ds->nsegments; i++) {
    if (!((m->segment_mask >> i) & 1)) continue;
    const tg_segment *sg = &ds->segments[i];
    if (sg->otherwise) {
      otherwise = (int)i;
      continue;
    }
    const slot *sl = &m->slots[sg->when.slot];
    if (!sl->cond) continue;
    merge_env E = {.m = m, .row = row, .list_path = list_path, .t = &sg->when, .d = d};
    int v = merge_cond_eval(sl->cond, &E);
    if (v < 0) {
      *ok = false;
      return -1;
    }
    if (v) matched[nm++] = (int)i;
  }
  if (nm == 1) return matched[0];
  if (nm == 0) {
    if (otherwise >= 0) return otherwise;
    tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "segment.none", list_path, row->number, NULL,
                "the row matches no segment of type '%s'", m->list_type ? m->list_type : "?");
    *ok = false;
    return -1;
  }
  bool all_prio = true;
  int best = -1;
  for (size_t k = 0; k < nm; k++) {
    const tg_segment *sg = &ds->segments[matched[k]];
    if (!sg->priority)
      all_prio = false;
    else if (best < 0 || sg->priority < ds->segments[best].priority)
      best = matched[k];
  }
  if (all_prio) return best;
  GString *names = g_string_new(NULL);
  for (size_t k = 0; k < nm; k++)
    g_string_append_printf(names, "%s%s", k ? ", " : "", ds->segments[matched[k]].name);
  tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "segment.overlap", list_path, row->number, NULL,
              "the row matches several segments (%s) and they have no priority", names->str);
  g_string_free(names, TRUE);
  *ok = false;
  return -1;
}

bool tg_merge_choose(const tg_merge *m, const tg_row *row, const char *list_path, int *variant,
                     int *segment, tg_diag *d) {
  const tg_design *ds = m->design;
  *variant = m->fixed_variant;
  *segment = -1;
  if (m->variant_col >= 0 && (size_t)m->variant_col < row->nfields) {
    const char *v = row->fields[m->variant_col];
    size_t n = row->lengths[m->variant_col];
    merge_trim(&v, &n);
    if (n) {
      int found = -1;
      for (size_t i = 0; i < ds->nvariants && found < 0; i++)
        if (strlen(ds->variants[i]) == n && memcmp(ds->variants[i], v, n) == 0) found = (int)i;
      if (found < 0) {
        GString *names = g_string_new(NULL);
        for (size_t i = 0; i < ds->nvariants; i++)
          g_string_append_printf(names, "%s%s", i ? ", " : "", ds->variants[i]);
        tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "data.variant", list_path, row->number,
                    m->columns[m->variant_col],
                    "the value names no variant of the design (it has: %s)", names->str);
        g_string_free(names, TRUE);
        return false;
      }
      *variant = found;
    }
  }
  bool ok;
  *segment = choose_segment(m, row, list_path, d, &ok);
  return ok;
}
