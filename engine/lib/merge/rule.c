/* rule.c — one rule of the design language outside a design.
 *
 * A job's exclusion rules (`when: 年齢_通知日 >= 75`) are written in the
 * language of segments and {{#if}} (cond.c), so that a municipality learns
 * one language and its rules mean exactly what a design's do.  A rule here
 * is compiled against a list's columns and the job's values, with its
 * messages pointing into the job file, and evaluated per row.
 */
#include "merge/merge_private.h"

#include <string.h>

struct tg_rule {
  tg_merge m; /* only its columns: the names a rule may use */
  tg_text t;  /* the text, with its YAML node for message locations */
  merge_cond *cond;
};

tg_rule *tg_rule_new(const char *text, const struct tg_ynode *node, const char *const *columns,
                     size_t ncols, const tg_values *constants, tg_diag *d) {
  tg_rule *r = g_new0(tg_rule, 1);
  r->m.columns = columns;
  r->m.ncols = ncols;
  r->m.kana_name_col = r->m.kana_kana_col = r->m.variant_col = -1;
  r->t.text = text;
  r->t.node = node;
  r->t.slot = -1;
  r->t.kind = TG_TEXT_CONDITION;
  r->t.guard = -1;
  mparser P = {
      .m = &r->m, .t = &r->t, .s = text, .len = strlen(text), .constants = constants, .d = d};
  P.ok = true;
  r->cond = merge_cond_parse(&P, 0, P.len);
  if (!r->cond || !P.ok) {
    tg_rule_free(r);
    return NULL;
  }
  return r;
}

int tg_rule_eval(const tg_rule *r, const tg_row *row, const char *list_path, tg_diag *d) {
  merge_env E = {.m = &r->m, .row = row, .list_path = list_path, .t = &r->t, .d = d};
  return merge_cond_eval(r->cond, &E);
}

void tg_rule_free(tg_rule *r) {
  if (!r) return;
  merge_cond_free(r->cond);
  g_free(r);
}
