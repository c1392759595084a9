/* evaluate.c — joining assignment.csv with later clinic visits, and reporting per arm.
 *
 * Part of the experiment stage, behind `tegami evaluate`.  Both inputs are read
 * with the targets reader (UTF-8 or CP932, BOM, RFC 4180 quoting; rows that
 * cannot be read are reported and left out).  Every person of assignment.csv
 * is one unit in one arm and stratum; a person with no matching visit did not
 * visit (intention to treat).  A visit counts when it falls on or after the
 * person's letter date and, with a window of N days, no later than N days
 * after it.  Visits of people who are not in the assignment are ignored and
 * counted.  The statistics are in stats.c; the chart in chart.c.
 *
 * Outputs hold aggregate counts only: no key, no date of a person, no row
 * of either input ever reaches the report, the CSV or the chart.
 */
#include "experiment/experiment_private.h"

#include <math.h>
#include <string.h>

#define DEFAULT_KEY "KDB個人番号"

typedef struct {
  uint32_t arm, stratum; /* ids in order of appearance */
  uint32_t letter_day;   /* Julian day of the letter date */
  bool visited, conflict;
} unit;

typedef struct {
  const tg_eval_options *opt;
  tg_diag *d;
  GHashTable *people; /* key -> unit */
  GHashTable *arm_ids, *stratum_ids;
  GPtrArray *arm_names, *stratum_names;
  uint32_t last_day;
  tg_evaluation *e;
} eval;

static uint32_t intern(GHashTable *ids, GPtrArray *names, const char *s) {
  gpointer v = g_hash_table_lookup(ids, s);
  if (v) return GPOINTER_TO_UINT(v) - 1;
  char *copy = g_strdup(s);
  g_ptr_array_add(names, copy);
  g_hash_table_insert(ids, copy, GUINT_TO_POINTER(names->len));
  return names->len - 1;
}

/* "YYYY-MM-DD", "YYYY/MM/DD" (month and day may have one digit) or
 * "YYYYMMDD" → Julian day number. */
static bool parse_date(const char *s, uint32_t *julian) {
  while (*s == ' ')
    s++;
  int part[3] = {0, 0, 0}, digits[3] = {0, 0, 0};
  size_t len = strlen(s);
  while (len && s[len - 1] == ' ')
    len--;
  if (len == 8 && strspn(s, "0123456789") == 8) {
    for (int i = 0; i < 4; i++)
      part[0] = part[0] * 10 + (s[i] - '0');
    part[1] = (s[4] - '0') * 10 + (s[5] - '0');
    part[2] = (s[6] - '0') * 10 + (s[7] - '0');
  } else {
    int k = 0;
    char sep = 0;
    for (size_t i = 0; i < len; i++) {
      char c = s[i];
      if (c >= '0' && c <= '9') {
        if (++digits[k] > (k == 0 ? 4 : 2)) return false;
        part[k] = part[k] * 10 + (c - '0');
      } else if ((c == '-' || c == '/') && k < 2 && (!sep || c == sep) && digits[k]) {
        sep = c;
        k++;
      } else {
        return false;
      }
    }
    if (k != 2 || digits[0] != 4 || !digits[2]) return false;
  }
  if (part[0] < 1900 || part[0] > 2999) return false;
  if (!g_date_valid_dmy((GDateDay)part[2], (GDateMonth)part[1], (GDateYear)part[0])) return false;
  GDate dt;
  g_date_clear(&dt, 1);
  g_date_set_dmy(&dt, (GDateDay)part[2], (GDateMonth)part[1], (GDateYear)part[0]);
  *julian = g_date_get_julian(&dt);
  return true;
}

static int find_column(tg_targets *t, const char *name, const char *what, tg_diag *d) {
  int c = tg_targets_find_column(t, name);
  if (c < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "evaluate.column", "%s has no column '%s' (%s)",
                tg_targets_get_path(t), name, what);
    GString *cols = g_string_new(NULL);
    for (size_t i = 0; i < tg_targets_get_column_count(t) && i < 20; i++)
      g_string_append_printf(cols, "%s%s", i ? ", " : "", tg_targets_get_column_name(t, i));
    tg_diag_hint(d, "its columns are: %s", cols->str);
    g_string_free(cols, TRUE);
  }
  return c;
}

static const char *field(const tg_row *row, int c) {
  return c >= 0 && (size_t)c < row->nfields ? row->fields[c] : "";
}

static bool read_assignment(eval *E, const char *path) {
  tg_diag *d = E->d;
  tg_evaluation *e = E->e;
  tg_targets *t = tg_targets_open(path, NULL, d);
  if (!t) return false;
  const char *key_name = E->opt->key_column ? E->opt->key_column : DEFAULT_KEY;
  int ckey = find_column(t, key_name, "the person's key", d);
  int carm = find_column(t, "arm", "the experiment arm", d);
  int cdate = find_column(t, "date", "the letter date", d);
  int cstratum = tg_targets_find_column(t, "stratum");
  int cmuni = tg_targets_find_column(t, "municipality");
  int ctype = tg_targets_find_column(t, "target_type");
  int cseg = tg_targets_find_column(t, "segment");
  if (ckey < 0 || carm < 0 || cdate < 0) {
    tg_targets_free(t);
    return false;
  }
  tg_row row;
  int r;
  while ((r = tg_targets_next(t, &row, d)) == 1) {
    e->assignment_rows++;
    if (row.rejected) {
      e->unassigned_rows++;
      continue;
    }
    const char *key = field(&row, ckey), *arm = field(&row, carm);
    if (!*key || !*arm) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, *key ? "evaluate.arm-empty" : "evaluate.key-empty",
                  path, row.number, *key ? "arm" : key_name,
                  *key ? N_("the person has no arm: left out of the evaluation")
                       : N_("the row has no key: left out of the evaluation"));
      e->unassigned_rows++;
      continue;
    }
    uint32_t day;
    if (!parse_date(field(&row, cdate), &day)) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "evaluate.date", path, row.number, "date",
                  "the letter date is not a date like 2026-10-01: left out of the evaluation");
      e->unassigned_rows++;
      continue;
    }
    char *stratum = cstratum >= 0 ? g_strdup(field(&row, cstratum))
                    : cmuni < 0 && ctype < 0 && cseg < 0
                        ? g_strdup("")
                        : tg_stratum_key(field(&row, cmuni), field(&row, ctype), field(&row, cseg));
    uint32_t arm_id = intern(E->arm_ids, E->arm_names, arm);
    uint32_t stratum_id = intern(E->stratum_ids, E->stratum_names, stratum);
    g_free(stratum);
    if (day > E->last_day) E->last_day = day;
    unit *u = g_hash_table_lookup(E->people, key);
    if (!u) {
      u = g_new0(unit, 1);
      u->arm = arm_id;
      u->stratum = stratum_id;
      u->letter_day = day;
      g_hash_table_insert(E->people, g_strdup(key), u);
      continue;
    }
    /* the same person again: one unit; a second letter does not make a
     * second person.  Different arms or strata cannot both be right. */
    e->duplicate_rows++;
    if (day < u->letter_day) u->letter_day = day;
    if ((u->arm != arm_id || u->stratum != stratum_id) && !u->conflict) {
      u->conflict = true;
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "evaluate.conflict", path, row.number, key_name,
                  "the same person appears earlier with another arm or stratum: "
                  "left out of the evaluation");
    }
  }
  tg_targets_free(t);
  return r == 0;
}

static bool read_outcomes(eval *E, const char *path) {
  tg_diag *d = E->d;
  tg_evaluation *e = E->e;
  tg_targets *t = tg_targets_open(path, NULL, d);
  if (!t) return false;
  const char *key_name = E->opt->key_column ? E->opt->key_column : DEFAULT_KEY;
  int ckey = find_column(t, key_name, "the person's key", d);
  const char *date_name = E->opt->date_column;
  if (!date_name)
    date_name =
        tg_targets_find_column(t, "visit_date") < 0 && tg_targets_find_column(t, "受診日") >= 0
            ? "受診日"
            : "visit_date";
  int cdate = find_column(t, date_name, "the visit date", d);
  if (ckey < 0 || cdate < 0) {
    tg_targets_free(t);
    return false;
  }
  tg_row row;
  int r;
  while ((r = tg_targets_next(t, &row, d)) == 1) {
    e->outcome_rows++;
    if (row.rejected) {
      e->outcome_bad++;
      continue;
    }
    const char *key = field(&row, ckey);
    if (!*key) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "evaluate.key-empty", path, row.number, key_name,
                  "the visit has no key: left out of the evaluation");
      e->outcome_bad++;
      continue;
    }
    unit *u = g_hash_table_lookup(E->people, key);
    if (!u) {
      e->outcome_unknown++;
      continue;
    }
    uint32_t day;
    if (!parse_date(field(&row, cdate), &day)) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "evaluate.date", path, row.number, date_name,
                  "the visit date is not a date like 2026-12-01: left out of the evaluation");
      e->outcome_bad++;
      continue;
    }
    if (day < u->letter_day) {
      e->outcome_before++;
    } else if (E->opt->window_days > 0 && day - u->letter_day > (uint32_t)E->opt->window_days) {
      e->outcome_after++;
    } else {
      e->outcome_matched++;
      u->visited = true;
    }
  }
  tg_targets_free(t);
  return r == 0;
}

static void fill_arm(tg_eval_arm *a, const char *name, uint64_t n, uint64_t visits, double z) {
  a->arm = g_strdup(name);
  a->n = n;
  a->visits = visits;
  a->rate = n ? (double)visits / (double)n : NAN;
  experiment_wilson(visits, n, z, &a->rate_lo, &a->rate_hi);
  a->diff = a->diff_lo = a->diff_hi = a->p_value = NAN;
}

static void compare(tg_eval_arm *a, const tg_eval_arm *ref, double z) {
  if (a == ref || !a->n || !ref->n) return;
  a->has_diff = true;
  a->diff = a->rate - ref->rate;
  experiment_newcombe(a->visits, a->n, ref->visits, ref->n, z, &a->diff_lo, &a->diff_hi);
  if (experiment_needs_exact(a->visits, a->n, ref->visits, ref->n)) {
    a->p_value = experiment_fisher_p(a->visits, a->n, ref->visits, ref->n);
    a->test = "fisher";
  } else {
    a->p_value = experiment_z_test_p(a->visits, a->n, ref->visits, ref->n);
    a->test = "z";
  }
}

static void fill_group(tg_eval_group *g, const tg_evaluation *e, const uint64_t *n,
                       const uint64_t *v, double z) {
  g->narms = e->narms;
  g->arms = g_new0(tg_eval_arm, e->narms);
  for (size_t a = 0; a < e->narms; a++)
    fill_arm(&g->arms[a], e->arms[a], n[a], v[a], z);
  for (size_t a = 0; a < e->narms; a++)
    compare(&g->arms[a], &g->arms[e->reference], z);
}

static int by_name(gconstpointer x, gconstpointer y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Names in byte order, and for each id of appearance its sorted position. */
static char **sorted_names(GPtrArray *names, uint32_t **pos_of) {
  size_t n = names->len;
  char **sorted = g_new0(char *, n + 1);
  for (size_t i = 0; i < n; i++)
    sorted[i] = g_strdup(g_ptr_array_index(names, i));
  qsort(sorted, n, sizeof *sorted, by_name);
  *pos_of = g_new(uint32_t, n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    const char *s = g_ptr_array_index(names, i);
    size_t lo = 0, hi = n;
    while (lo < hi) { /* names are unique: binary search finds it */
      size_t mid = (lo + hi) / 2;
      int c = strcmp(sorted[mid], s);
      if (c == 0)
        lo = hi = mid;
      else if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    (*pos_of)[i] = (uint32_t)lo;
  }
  return sorted;
}

static bool compute(eval *E) {
  tg_evaluation *e = E->e;
  double z = experiment_normal_quantile(1 - e->alpha / 2);
  uint32_t *arm_pos, *stratum_pos;
  e->arms = sorted_names(E->arm_names, &arm_pos);
  e->narms = E->arm_names->len;
  char **strata = sorted_names(E->stratum_names, &stratum_pos);
  size_t ns = E->stratum_names->len, na = e->narms;

  const char *want = E->opt->reference;
  bool found = false;
  for (size_t a = 0; a < na && !found; a++)
    if (strcmp(e->arms[a], want ? want : "control") == 0) {
      e->reference = a;
      found = true;
    }
  if (!found && want) {
    tg_diag_add(E->d, TG_ERROR, TG_KIND_USAGE, "evaluate.reference",
                "the reference arm '%s' is not an arm of the assignment", want);
    GString *arms = g_string_new(NULL);
    for (size_t a = 0; a < na; a++)
      g_string_append_printf(arms, "%s%s", a ? ", " : "", e->arms[a]);
    tg_diag_hint(E->d, "the arms are: %s", arms->str);
    g_string_free(arms, TRUE);
    g_free(arm_pos);
    g_free(stratum_pos);
    g_strfreev(strata);
    return false;
  }
  if (!found) e->reference = 0;

  /* the follow-up: returned letters out, calls reached as a secondary split */
  GHashTable *returned = g_hash_table_new(g_str_hash, g_str_equal);
  GHashTable *reached = g_hash_table_new(g_str_hash, g_str_equal);
  for (const char *const *k = E->opt->returned_keys; k && *k; k++)
    g_hash_table_add(returned, (gpointer)*k);
  for (const char *const *k = E->opt->reached_keys; k && *k; k++)
    g_hash_table_add(reached, (gpointer)*k);
  uint64_t *cn = g_new0(uint64_t, 4 * na), *cv = cn + na, *xn = cn + 2 * na, *xv = cn + 3 * na;

  /* counts[stratum][arm] */
  uint64_t *n = g_new0(uint64_t, ns * na + na), *v = g_new0(uint64_t, ns * na + na);
  uint64_t *tn = n + ns * na, *tv = v + ns * na; /* totals */
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init(&it, E->people);
  while (g_hash_table_iter_next(&it, &k, &val)) {
    const unit *u = val;
    if (u->conflict) {
      e->conflicting_people++;
      continue;
    }
    if (g_hash_table_contains(returned, k)) {
      e->returned_excluded++;
      continue;
    }
    size_t s = stratum_pos[u->stratum], a = arm_pos[u->arm];
    bool r = g_hash_table_contains(reached, k);
    (r ? cn : xn)[a]++;
    if (u->visited) (r ? cv : xv)[a]++;
    e->people++;
    n[s * na + a]++;
    tn[a]++;
    if (u->visited) {
      v[s * na + a]++;
      tv[a]++;
    }
  }
  fill_group(&e->overall, e, tn, tv, z);
  e->has_calls = E->opt->reached_keys != NULL;
  if (e->has_calls) {
    fill_group(&e->reached, e, cn, cv, z);
    fill_group(&e->not_reached, e, xn, xv, z);
  }
  g_free(cn);
  g_hash_table_destroy(returned);
  g_hash_table_destroy(reached);
  e->nstrata = ns;
  e->strata = g_new0(tg_eval_group, ns);
  for (size_t s = 0; s < ns; s++) {
    fill_group(&e->strata[s], e, n + s * na, v + s * na, z);
    e->strata[s].stratum = strata[s];
  }
  g_free(strata); /* the names now belong to the groups */

  /* Mantel–Haenszel, each arm against the reference */
  tg_eval_group *g = &e->stratified;
  g->narms = na;
  g->arms = g_new0(tg_eval_arm, na);
  uint64_t *x1 = g_new(uint64_t, ns + 1), *n1 = g_new(uint64_t, ns + 1),
           *x2 = g_new(uint64_t, ns + 1), *n2 = g_new(uint64_t, ns + 1);
  size_t ref = e->reference;
  for (size_t a = 0; a < na; a++) {
    tg_eval_arm *m = &g->arms[a];
    fill_arm(m, e->arms[a], tn[a], tv[a], z);
    m->rate = m->rate_lo = m->rate_hi = NAN;
    if (a == ref) continue;
    for (size_t s = 0; s < ns; s++) {
      x1[s] = v[s * na + a];
      n1[s] = n[s * na + a];
      x2[s] = v[s * na + ref];
      n2[s] = n[s * na + ref];
    }
    experiment_mh mh;
    experiment_mantel_haenszel(x1, n1, x2, n2, ns, z, &mh);
    if (!mh.valid) continue;
    m->has_diff = true;
    m->diff = mh.diff;
    m->diff_lo = mh.lo;
    m->diff_hi = mh.hi;
    m->p_value = mh.p;
    m->test = "cmh";
  }
  g_free(x1);
  g_free(n1);
  g_free(x2);
  g_free(n2);
  g_free(n);
  g_free(v);
  g_free(arm_pos);
  g_free(stratum_pos);
  return true;
}

tg_evaluation *tg_evaluate(const char *assignment_csv, const char *outcomes_csv,
                           const tg_eval_options *opt, tg_diag *d) {
  tg_eval_options defaults = {0};
  if (!opt) opt = &defaults;
  double alpha = opt->alpha > 0 ? opt->alpha : 0.05;
  if (!(alpha < 0.5)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "evaluate.alpha",
                "alpha must be between 0 and 0.5 (0.05 gives 95%% intervals)");
    return NULL;
  }
  eval E = {.opt = opt, .d = d};
  E.e = g_new0(tg_evaluation, 1);
  E.e->alpha = alpha;
  E.e->window_days = opt->window_days;
  E.people = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  E.arm_ids = g_hash_table_new(g_str_hash, g_str_equal);
  E.stratum_ids = g_hash_table_new(g_str_hash, g_str_equal);
  E.arm_names = g_ptr_array_new_with_free_func(g_free);
  E.stratum_names = g_ptr_array_new_with_free_func(g_free);
  bool ok = read_assignment(&E, assignment_csv);
  if (ok && g_hash_table_size(E.people) == 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "evaluate.empty",
                "%s assigns nobody to an arm: nothing to evaluate", assignment_csv);
    ok = false;
  }
  ok = ok && read_outcomes(&E, outcomes_csv) && compute(&E);
  if (ok) {
    GDate dt;
    g_date_clear(&dt, 1);
    g_date_set_julian(&dt, E.last_day);
    char buf[16];
    g_date_strftime(buf, sizeof buf, "%Y-%m-%d", &dt);
    E.e->last_letter_date = g_strdup(buf);
  }
  g_hash_table_destroy(E.people);
  g_hash_table_destroy(E.arm_ids);
  g_hash_table_destroy(E.stratum_ids);
  g_ptr_array_free(E.arm_names, TRUE);
  g_ptr_array_free(E.stratum_names, TRUE);
  if (!ok) {
    tg_evaluation_free(E.e);
    return NULL;
  }
  return E.e;
}

static void group_clear(tg_eval_group *g) {
  for (size_t a = 0; a < g->narms; a++)
    g_free(g->arms[a].arm);
  g_free(g->arms);
  g_free(g->stratum);
}

void tg_evaluation_free(tg_evaluation *e) {
  if (!e) return;
  group_clear(&e->overall);
  group_clear(&e->stratified);
  group_clear(&e->reached);
  group_clear(&e->not_reached);
  for (size_t s = 0; s < e->nstrata; s++)
    group_clear(&e->strata[s]);
  g_free(e->strata);
  g_strfreev(e->arms);
  g_free(e->last_letter_date);
  g_free(e);
}

/* ---- the report ------------------------------------------------------------------ */

/* A number with a fixed format, never following the locale. */
static void num(GString *o, const char *fmt, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append(o, g_ascii_formatd(buf, sizeof buf, fmt, v));
}

static void pct(GString *o, double v) { num(o, "%.1f", v * 100); }

static void signed_pt(GString *o, double v) {
  double r = v * 100;
  if (fabs(r) < 0.05) r = 0; /* no "-0.0" */
  if (r >= 0) g_string_append_c(o, '+');
  num(o, "%.1f", r);
}

static void p_value(GString *o, double p) {
  if (p < 0.0001)
    g_string_append(o, "<0.0001");
  else
    num(o, "%.4f", p);
}

/* Append s padded with spaces to `width` terminal cells. */
static void cell(GString *o, const char *s, size_t width, bool right) {
  size_t w = tg_utf8_display_width(s, strlen(s));
  if (right)
    for (size_t i = w; i < width; i++)
      g_string_append_c(o, ' ');
  g_string_append(o, s);
  if (!right)
    for (size_t i = w; i < width; i++)
      g_string_append_c(o, ' ');
}

static const char *test_name(const char *test) {
  if (!test) return "";
  if (strcmp(test, "fisher") == 0) return "Fisher exact";
  if (strcmp(test, "cmh") == 0) return "CMH";
  return "z-test";
}

static void format_group(GString *o, const tg_evaluation *e, const tg_eval_group *g) {
  size_t wname = 4;
  for (size_t a = 0; a < g->narms; a++)
    wname = MAX(wname, tg_utf8_display_width(g->arms[a].arm, strlen(g->arms[a].arm)));
  const char *ref = e->arms[e->reference];
  g_string_append(o, "  ");
  cell(o, "arm", wname, false);
  g_string_append(o, "         n   visits    rate  interval          ");
  char *vs = g_strdup_printf("vs %s", ref);
  cell(o, vs, 9 + tg_utf8_display_width(ref, strlen(ref)), false);
  g_free(vs);
  g_string_append(o, " interval          p\n");
  for (size_t a = 0; a < g->narms; a++) {
    const tg_eval_arm *m = &g->arms[a];
    GString *c = g_string_new(NULL);
    g_string_append(o, "  ");
    cell(o, m->arm, wname, false);
    g_string_append_printf(o, " %9" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT, m->n, m->visits);
    if (m->n) {
      pct(c, m->rate);
      g_string_append_c(c, '%');
      cell(o, c->str, 8, true);
      g_string_truncate(c, 0);
      g_string_append_c(c, '[');
      pct(c, m->rate_lo);
      g_string_append(c, "%, ");
      pct(c, m->rate_hi);
      g_string_append(c, "%]");
      g_string_append(o, "  ");
      cell(o, c->str, 16, false);
    } else {
      cell(o, "-", 8, true);
      g_string_append(o, "  ");
      cell(o, "", 16, false);
    }
    g_string_append(o, "  ");
    if (a == e->reference) {
      g_string_append(o, "(reference)");
    } else if (m->has_diff) {
      g_string_truncate(c, 0);
      signed_pt(c, m->diff);
      g_string_append(c, " pt");
      cell(o, c->str, 9 + tg_utf8_display_width(ref, strlen(ref)), false);
      g_string_truncate(c, 0);
      g_string_append_c(c, '[');
      signed_pt(c, m->diff_lo);
      g_string_append(c, ", ");
      signed_pt(c, m->diff_hi);
      g_string_append_c(c, ']');
      g_string_append(o, " ");
      cell(o, c->str, 16, false);
      g_string_append(o, "  ");
      p_value(o, m->p_value);
      g_string_append_printf(o, " (%s)", test_name(m->test));
    } else {
      g_string_append(o, "-");
    }
    while (o->len && o->str[o->len - 1] == ' ')
      g_string_truncate(o, o->len - 1);
    g_string_append_c(o, '\n');
    g_string_free(c, TRUE);
  }
}

static const char *stratum_label(const char *s) { return *s ? s : "(one stratum)"; }

char *tg_evaluation_format(const tg_evaluation *e) {
  GString *o = g_string_new(NULL);
  char level[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(level, sizeof level, "%g", (1 - e->alpha) * 100);
  g_string_append_printf(o,
                         "evaluation: %" G_GUINT64_FORMAT " people in %zu arms and %zu strat%s\n",
                         e->people, e->narms, e->nstrata, e->nstrata == 1 ? "um" : "a");
  if (e->window_days > 0)
    g_string_append_printf(o, "outcome: a clinic visit from the letter date to %d days after it\n",
                           e->window_days);
  else
    g_string_append(o, "outcome: a clinic visit on or after the letter date (no window end)\n");
  g_string_append_printf(o,
                         "reference arm: %s; %s%% intervals: Wilson (rates), Newcombe hybrid "
                         "score (differences)\n\n",
                         e->arms[e->reference], level);
  g_string_append(o, "overall\n");
  format_group(o, e, &e->overall);
  if (e->nstrata > 1) {
    g_string_append_printf(o, "\nstratified: Mantel-Haenszel risk difference over %zu strata\n",
                           e->nstrata);
    for (size_t a = 0; a < e->narms; a++) {
      const tg_eval_arm *m = &e->stratified.arms[a];
      if (!m->has_diff) continue;
      g_string_append_printf(o, "  %s vs %s: ", m->arm, e->arms[e->reference]);
      signed_pt(o, m->diff);
      g_string_append(o, " pt [");
      signed_pt(o, m->diff_lo);
      g_string_append(o, ", ");
      signed_pt(o, m->diff_hi);
      g_string_append(o, "]  p ");
      if (!(m->p_value < 0.0001)) g_string_append(o, "= ");
      p_value(o, m->p_value);
      g_string_append(o, " (CMH)\n");
    }
    for (size_t s = 0; s < e->nstrata; s++) {
      g_string_append_printf(o, "\nstratum %s\n", stratum_label(e->strata[s].stratum));
      format_group(o, e, &e->strata[s]);
    }
  }
  if (e->has_calls) {
    g_string_append(o, "\nsecondary (not randomised): people a follow-up call reached\n");
    format_group(o, e, &e->reached);
    g_string_append(o, "secondary (not randomised): people no call reached (or not called)\n");
    format_group(o, e, &e->not_reached);
  }
  if (e->returned_excluded)
    g_string_append_printf(o,
                           "\nreturned letters: %" G_GUINT64_FORMAT
                           " people left out (letter returned undelivered)\n",
                           e->returned_excluded);
  g_string_append_printf(
      o,
      "\ndata\n  assignment: %" G_GUINT64_FORMAT " rows, %" G_GUINT64_FORMAT
      " people evaluated; %" G_GUINT64_FORMAT
      " repeated rows of the same person, %" G_GUINT64_FORMAT
      " people left out (conflicting arms), %" G_GUINT64_FORMAT " rows left out (unreadable)\n",
      e->assignment_rows, e->people, e->duplicate_rows, e->conflicting_people, e->unassigned_rows);
  g_string_append_printf(o,
                         "  outcomes: %" G_GUINT64_FORMAT " visit rows; %" G_GUINT64_FORMAT
                         " counted, %" G_GUINT64_FORMAT
                         " of people not in the assignment, %" G_GUINT64_FORMAT
                         " before the letter date, %" G_GUINT64_FORMAT
                         " after the window, %" G_GUINT64_FORMAT " unreadable\n",
                         e->outcome_rows, e->outcome_matched, e->outcome_unknown, e->outcome_before,
                         e->outcome_after, e->outcome_bad);
  return g_string_free(o, FALSE);
}

/* ---- evaluation.csv ------------------------------------------------------------------ */

static void csv_num(GString *o, const char *fmt, double v) {
  g_string_append_c(o, ',');
  if (isfinite(v)) num(o, fmt, v);
}

static void csv_group(GString *o, const tg_evaluation *e, const char *kind,
                      const tg_eval_group *g) {
  for (size_t a = 0; a < g->narms; a++) {
    const tg_eval_arm *m = &g->arms[a];
    if (strcmp(kind, "stratified") == 0 && !m->has_diff) continue;
    g_string_append(o, kind);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, g->stratum ? g->stratum : "");
    g_string_append_c(o, ',');
    tg_csv_append_field(o, m->arm);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, e->arms[e->reference]);
    g_string_append_printf(o, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, m->n, m->visits);
    csv_num(o, "%.6f", m->rate);
    csv_num(o, "%.6f", m->rate_lo);
    csv_num(o, "%.6f", m->rate_hi);
    csv_num(o, "%.6f", m->has_diff ? m->diff : NAN);
    csv_num(o, "%.6f", m->has_diff ? m->diff_lo : NAN);
    csv_num(o, "%.6f", m->has_diff ? m->diff_hi : NAN);
    csv_num(o, "%.6g", m->has_diff ? m->p_value : NAN);
    g_string_append_printf(o, ",%s", m->has_diff && m->test ? m->test : "");
    csv_num(o, "%g", 1 - e->alpha);
    g_string_append_c(o, ',');
    if (e->window_days > 0) g_string_append_printf(o, "%d", e->window_days);
    g_string_append(o, "\r\n");
  }
}

bool tg_evaluation_write_csv(const tg_evaluation *e, const char *path, tg_diag *d) {
  GString *o = g_string_new("group,stratum,arm,reference,n,visits,rate,rate_lo,rate_hi,"
                            "diff,diff_lo,diff_hi,p_value,test,level,window_days\r\n");
  csv_group(o, e, "overall", &e->overall);
  if (e->nstrata > 1) csv_group(o, e, "stratified", &e->stratified);
  for (size_t s = 0; s < e->nstrata; s++)
    csv_group(o, e, "stratum", &e->strata[s]);
  if (e->has_calls) { /* secondary, not randomised (docs/evaluation.md) */
    csv_group(o, e, "call-reached", &e->reached);
    csv_group(o, e, "call-not-reached", &e->not_reached);
  }
  tg_atomic *a = tg_atomic_open(path, d);
  if (!a) {
    g_string_free(o, TRUE);
    return false;
  }
  fwrite(o->str, 1, o->len, tg_atomic_get_file(a));
  g_string_free(o, TRUE);
  return tg_atomic_commit(a, d);
}

bool tg_evaluation_write_outputs(const tg_evaluation *e, const char *dir, bool force,
                                 const tg_eval_chart_options *chart, tg_diag *d) {
  tg_eval_chart_options none = {0};
  if (!chart) chart = &none;
  static const char *const names[] = {"evaluation.txt", "evaluation.csv", "evaluation.pdf",
                                      "evaluation.png"};
  char *paths[G_N_ELEMENTS(names)];
  bool exists = false;
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    paths[i] = g_build_filename(dir, names[i], NULL);
    exists = exists || g_file_test(paths[i], G_FILE_TEST_EXISTS);
  }
  bool ok = true;
  if (exists && !force) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "output.exists",
                "%s already holds an evaluation; nothing was changed", dir);
    tg_diag_hint(d, "choose another folder with -o, or replace it with --force");
    ok = false;
  }
  ok = ok && tg_mkdir_private(dir, d);
  if (ok) {
    char *report = tg_evaluation_format(e);
    tg_atomic *a = tg_atomic_open(paths[0], d);
    if (a) fputs(report, tg_atomic_get_file(a));
    ok = a && tg_atomic_commit(a, d);
    g_free(report);
  }
  ok = ok && tg_evaluation_write_csv(e, paths[1], d);
  bool files = !chart->no_chart_files;
  if (files || chart->trace)
    ok = ok && tg_evaluation_write_chart(e, files ? paths[2] : NULL, files ? paths[3] : NULL,
                                         chart->trace, chart->fontset, d);
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    g_free(paths[i]);
  return ok;
}
