/* exclusions.c — a municipality's exclusion rules (spec 6(4)).
 *
 * The spec leaves the exclusion criteria to each municipality: people over
 * 75 on the letter date (後期高齢者医療へ移行), people who left the 国保
 * (国保喪失年月日), people in hospital or in a care home, deceased or moved
 * away — the last ones as lists of keys the municipality keeps.  A job
 * writes them under a municipality as `exclusions:`, each with the reason
 * label the summaries count by:
 *
 *   exclusions:
 *     - reason: 75歳到達
 *       when: 年齢_通知日 >= 75
 *     - reason: 国保喪失
 *       when: 国保喪失年月日
 *     - reason: 入院・施設入所
 *       list: nyuin.csv
 *       key: 被保険者番号
 *
 * `when:` is a rule of the design language (merge/rule.c) over the list's
 * columns plus 年齢_通知日, the age on the letter date computed from
 * 生年月日 (empty when the birth date cannot be read: the validator rejects
 * such a row on its own).  `list:` is a CSV/TSV of keys read like the
 * municipality's `exclude:` list (targets.h: spaces, digit widths and
 * leading zeros ignored), keyed by `key:` (KDB個人番号 by default; the
 * annex's 被保険者番号 "9 0 1 2 3 4 5" matches 9012345).  The first rule that
 * holds names the reason; a rule that cannot be decided for a row (a value
 * that is not a number where one is compared) rejects the row.
 */
#include "job/job_private.h"

#include <string.h>

#define AGE_COLUMN "年齢_通知日"

static const char *const RULE_KEYS[] = {"reason", "when", "list", "key"};

void job_load_rules(tg_ynode *m, const char *job_path, GStringChunk *strings, tg_municipality *mu,
                    tg_diag *d) {
  tg_ynode *seq = tg_yget_seq(m, "exclusions", false, d);
  if (!seq || !seq->n) return;
  mu->rules = g_new0(tg_exclusion_rule, seq->n + 1);
  for (size_t i = 0; i < seq->n; i++) {
    tg_ynode *r = seq->vals[i];
    if (!tg_yexpect_map(r, "an exclusion rule", d)) continue;
    tg_exclusion_rule *x = &mu->rules[mu->nrules++];
    x->span = tg_ynode_span(r);
    const char *s = "";
    tg_yget_string(r, "reason", true, &s, d);
    x->reason = g_string_chunk_insert(strings, s);
    if (tg_yget_string(r, "when", false, &s, d)) {
      x->when_node = tg_ymap_get(r, "when");
      x->when = x->when_node->value;
    }
    if (tg_yget_string(r, "list", false, &s, d)) {
      char *p = tg_path_relative_to(job_path, s);
      x->list = g_string_chunk_insert(strings, p);
      g_free(p);
    }
    x->key = "KDB個人番号";
    if (tg_yget_string(r, "key", false, &s, d)) x->key = g_string_chunk_insert(strings, s);
    if (!x->when == !x->list)
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.exclusion-rule", x->span,
                 "an exclusion rule has either 'when' (a rule over the list's columns) or "
                 "'list' (a file of keys), and only one of them");
    else if (tg_ymap_get(r, "key") && !x->list)
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.exclusion-rule",
                 tg_ynode_span(tg_ymap_get(r, "key")), "'key' names the key column of a 'list'");
    tg_ycheck_keys(r, "exclusion rule", RULE_KEYS, G_N_ELEMENTS(RULE_KEYS), d);
  }
}

/* ---- a municipality's rules for one list ---------------------------------------------- */

typedef struct {
  tg_rule *rule;       /* `when:` */
  tg_exclusions *keys; /* `list:` */
  int key_col;         /* the rows' key column for `list:` */
} ready_rule;

struct tg_rule_set {
  size_t nrules;
  ready_rule *rules;
  const char **columns; /* the list's, then 年齢_通知日 */
  size_t ncols;
  int birth_col; /* 生年月日, or -1 */
  tg_date letter_date;
  tg_era_codes codes;
  const char **fields; /* per row: the row's fields, then the derived ones */
  size_t *lengths;
  char age[8];
};

tg_rule_set *tg_rule_set_new(const tg_job *job, const tg_municipality *mu, const tg_targets *t,
                             const tg_era_codes *codes, bool *ok, tg_diag *d) {
  *ok = true;
  if (!mu->nrules) return NULL;
  tg_rule_set *s = g_new0(tg_rule_set, 1);
  size_t n = tg_targets_get_column_count(t);
  s->ncols = n + 1;
  s->columns = g_new0(const char *, s->ncols + 1);
  for (size_t i = 0; i < n; i++)
    s->columns[i] = tg_targets_get_column_name(t, i);
  s->columns[n] = AGE_COLUMN;
  s->fields = g_new0(const char *, s->ncols + 1);
  s->lengths = g_new0(size_t, s->ncols + 1);
  s->birth_col = tg_targets_find_column(t, "生年月日");
  s->codes = *codes;
  if (job->date) tg_date_parse(job->date, strlen(job->date), NULL, &s->letter_date);
  s->rules = g_new0(ready_rule, mu->nrules + 1);
  s->nrules = mu->nrules;
  for (size_t i = 0; i < mu->nrules; i++) {
    const tg_exclusion_rule *x = &mu->rules[i];
    ready_rule *r = &s->rules[i];
    r->key_col = -1;
    if (x->when) {
      r->rule = tg_rule_new(x->when, x->when_node, (const char *const *)s->columns, s->ncols,
                            mu->values, d);
      if (!r->rule) *ok = false;
    } else if (x->list) {
      r->key_col = tg_targets_find_column(t, x->key);
      if (r->key_col < 0) {
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.exclusion-key", x->span,
                   "%s has no column %s to look up in the exclusion list %s",
                   tg_targets_get_path(t), x->key, x->list);
        *ok = false;
        continue;
      }
      r->keys = tg_exclusions_load(x->list, x->key, d);
      if (!r->keys) *ok = false;
    }
  }
  if (!*ok) {
    tg_rule_set_free(s);
    return NULL;
  }
  return s;
}

/* 年齢_通知日: whole years from 生年月日 to the letter date, or "". */
static void derive_age(tg_rule_set *s, const tg_row *row) {
  s->age[0] = '\0';
  if (s->birth_col < 0 || (size_t)s->birth_col >= row->nfields || !s->letter_date.year) return;
  tg_date b;
  if (tg_date_parse(row->fields[s->birth_col], row->lengths[s->birth_col], &s->codes, &b) !=
      TG_DATE_OK)
    return;
  const tg_date *r = &s->letter_date;
  int age = r->year - b.year - ((r->month < b.month || (r->month == b.month && r->day < b.day)));
  if (age >= 0 && age < 200) g_snprintf(s->age, sizeof s->age, "%d", age);
}

int tg_rule_set_match(tg_rule_set *s, const tg_row *row, const char *list_path, tg_diag *d) {
  size_t n = s->ncols - 1;
  for (size_t i = 0; i < n; i++) {
    s->fields[i] = i < row->nfields ? row->fields[i] : "";
    s->lengths[i] = i < row->nfields ? row->lengths[i] : 0;
  }
  derive_age(s, row);
  s->fields[n] = s->age;
  s->lengths[n] = strlen(s->age);
  tg_row r = *row;
  r.nfields = s->ncols;
  r.fields = s->fields;
  r.lengths = s->lengths;
  for (size_t i = 0; i < s->nrules; i++) {
    const ready_rule *x = &s->rules[i];
    if (x->rule) {
      int v = tg_rule_eval(x->rule, &r, list_path, d);
      if (v < 0) return -2;
      if (v) return (int)i;
    } else if (x->keys && (size_t)x->key_col < row->nfields &&
               tg_exclusions_contains(x->keys, row->fields[x->key_col], row->lengths[x->key_col])) {
      return (int)i;
    }
  }
  return -1;
}

void tg_rule_set_free(tg_rule_set *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nrules; i++) {
    tg_rule_free(s->rules[i].rule);
    tg_exclusions_free(s->rules[i].keys);
  }
  g_free(s->rules);
  g_free(s->columns);
  g_free(s->fields);
  g_free(s->lengths);
  g_free(s);
}

void tg_list_summary_count_rule(tg_list_summary *l, const tg_municipality *mu, int rule) {
  if (!l->rule_reasons) {
    l->nrules = mu->nrules;
    l->rule_reasons = g_new0(char *, mu->nrules + 1);
    l->excluded_rule = g_new0(uint64_t, mu->nrules + 1);
    for (size_t i = 0; i < mu->nrules; i++)
      l->rule_reasons[i] = g_strdup(mu->rules[i].reason);
  }
  if (rule >= 0 && (size_t)rule < l->nrules) l->excluded_rule[rule]++;
}
