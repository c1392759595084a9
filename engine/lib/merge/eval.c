/* eval.c — evaluating a compiled text for one row, and what a tree uses.
 *
 * A tree is walked into the letter's buffer: values are copied as bytes and
 * never interpreted, branches whose rule holds are taken, spans and ruby
 * become tg_attr ranges over the merged bytes (nested spans of one kind
 * flattened so ranges never overlap), and the bytes each column gave are
 * recorded for the glyph preflight.  The same walk computes static slots
 * once, when compiling.
 */
#include "merge/merge_private.h"

#include <string.h>

typedef struct {
  const merge_env *E;
  GString *out;
  GArray *spans; /* raw_span */
  int depth;
  GArray *sources; /* tg_value_source, or NULL */
} evaluator;

static bool eval_seq(evaluator *V, const tseq *s);

static bool spans_have_ruby(const GArray *spans, uint32_t start, uint32_t end) {
  for (guint i = 0; i < spans->len; i++) {
    const raw_span *r = &g_array_index(spans, raw_span, i);
    if (r->a.type == TG_ATTR_RUBY && r->a.start < end && start < r->a.end) return true;
  }
  return false;
}

static void add_ruby_span(evaluator *V, uint32_t start, uint32_t end, const char *reading) {
  raw_span r = {.a = {.start = start, .end = end, .type = TG_ATTR_RUBY}, .depth = V->depth};
  r.a.u.ruby = reading;
  g_array_append_val(V->spans, r);
}

/* A name's ruby from its カナ column ({{氏名 | ruby: 氏名カナ}}): the name as
 * it was where the filter stands is found again in what the filters after it
 * made of it (honorific adds 様 and trims), and tg_name_ruby() aligns the
 * kana with it.  Kana that is not kana is a row-named warning: the name
 * prints without ruby — its reading is never guessed. */
static void eval_name_ruby(evaluator *V, const operand *o, size_t at, const GString *name) {
  const merge_env *E = V->E;
  if (!E->row || !E->strings || !E->scratch || (E->t && E->t->ruby == TG_RUBY_OFF)) return;
  if (o->ruby_col < 0 || (size_t)o->ruby_col >= E->row->nfields) return;
  const char *nm = name->str;
  size_t nlen = name->len;
  merge_trim(&nm, &nlen);
  if (!nlen) return;
  const char *found = NULL;
  for (size_t i = at; i + nlen <= V->out->len && !found; i++)
    if (memcmp(V->out->str + i, nm, nlen) == 0) found = V->out->str + i;
  if (!found) return;
  tg_attr_list_clear(E->scratch);
  const char *kana = E->row->fields[o->ruby_col];
  size_t klen = E->row->lengths[o->ruby_col];
  tg_name_ruby_result res =
      tg_name_ruby(found, nlen, kana, klen, (uint32_t)(found - V->out->str), E->scratch);
  if (res == TG_NAME_RUBY_BAD_KANA) {
    tg_diag_row(E->d, TG_WARNING, TG_KIND_DATA, "ruby.bad-kana", E->list_path, E->row->number,
                o->ruby_kana,
                "the kana holds characters that are not kana: the name in '%s' is "
                "printed without ruby",
                o->text);
    return;
  }
  const tg_attrs *a = tg_attr_list_get(E->scratch);
  for (size_t i = 0; i < a->n; i++)
    add_ruby_span(V, a->v[i].start, a->v[i].end, g_string_chunk_insert(E->strings, a->v[i].u.ruby));
}

static bool eval_node(evaluator *V, const tnode *n) {
  switch (n->kind) {
  case N_TEXT:
  case N_RUBY: {
    uint32_t at = (uint32_t)V->out->len;
    g_string_append_len(V->out, n->text, (gssize)n->len);
    for (guint i = 0; n->ruby && i < n->ruby->len; i++) {
      const merge_ruby_span *sp = &g_array_index(n->ruby, merge_ruby_span, i);
      add_ruby_span(V, at + sp->start, at + sp->end, sp->reading);
    }
    return true;
  }
  case N_VALUE: {
    size_t at = V->out->len;
    bool ok;
    if (n->val.ruby_col < 0) {
      ok = merge_operand_value(&n->val, V->E, V->out, NULL);
    } else {
      GString *name = g_string_new(NULL);
      ok = merge_operand_value(&n->val, V->E, V->out, name);
      if (ok) eval_name_ruby(V, &n->val, at, name);
      g_string_free(name, TRUE);
    }
    /* `ruby: auto`: the counters after digits of a value (10月31日 of a
     * date) get their regular readings; nothing else of a value does */
    if (ok && V->E->t && V->E->t->ruby == TG_RUBY_AUTO && V->E->m->furigana && V->E->strings &&
        V->E->scratch && V->out->len > at) {
      tg_attr_list_clear(V->E->scratch);
      if (tg_furigana_annotate_numbers(V->E->m->furigana, V->out->str + at, V->out->len - at,
                                       (uint32_t)at, V->E->scratch)) {
        const tg_attrs *na = tg_attr_list_get(V->E->scratch);
        for (size_t k = 0; k < na->n; k++)
          if (!spans_have_ruby(V->spans, na->v[k].start, na->v[k].end))
            add_ruby_span(V, na->v[k].start, na->v[k].end,
                          g_string_chunk_insert(V->E->strings, na->v[k].u.ruby));
      }
    }
    /* which bytes came from which column, for the glyph preflight */
    if (ok && V->sources && n->val.kind == OPD_FIELD && V->out->len > at) {
      tg_value_source src = {(uint32_t)at, (uint32_t)V->out->len, n->val.text};
      g_array_append_val(V->sources, src);
    }
    return ok;
  }
  case N_SPAN: {
    uint32_t start = (uint32_t)V->out->len;
    V->depth++;
    bool ok = eval_seq(V, &n->kids);
    V->depth--;
    raw_span r = {.a = n->attr, .depth = V->depth + 1};
    r.a.start = start;
    r.a.end = (uint32_t)V->out->len;
    if (r.a.end > r.a.start) g_array_append_val(V->spans, r);
    return ok;
  }
  case N_IF:
    for (size_t i = 0; i < n->nbr; i++) {
      int v = n->br[i].cond ? merge_cond_eval(n->br[i].cond, V->E) : 1;
      if (v < 0) return false;
      if (v) return eval_seq(V, &n->br[i].body);
    }
    return true;
  }
  return false;
}

static bool eval_seq(evaluator *V, const tseq *s) {
  bool ok = true;
  for (size_t i = 0; i < s->n; i++)
    ok = eval_node(V, &s->v[i]) && ok;
  return ok;
}

static bool attr_same_value(const tg_attr *a, const tg_attr *b) {
  switch (a->type) {
  case TG_ATTR_WEIGHT: return a->u.weight == b->u.weight;
  case TG_ATTR_COLOR: return a->u.color == b->u.color;
  case TG_ATTR_SIZE: return a->u.size_pt == b->u.size_pt;
  case TG_ATTR_UNDERLINE: return true;
  case TG_ATTR_FONT: return strcmp(a->u.font, b->u.font) == 0;
  case TG_ATTR_RUBY: return false;
  }
  return false;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static int cmp_attr(const void *a, const void *b) {
  const tg_attr *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return (int)x->type - (int)y->type;
}

/* Nested spans of one type become ranges that do not overlap (the innermost
 * wins), sorted by start: what the text engine expects. */
void merge_flatten_spans(const GArray *spans, GArray *out) {
  size_t first = out->len;
  const raw_span *r = (const raw_span *)spans->data;
  size_t n = spans->len;
  for (size_t i = 0; i < n; i++)
    if (r[i].a.type == TG_ATTR_RUBY) g_array_append_val(out, r[i].a);
  uint32_t *cuts = g_new(uint32_t, 2 * n + 1);
  for (int type = TG_ATTR_WEIGHT; type <= TG_ATTR_FONT; type++) {
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
      if ((int)r[i].a.type == type) {
        cuts[nc++] = r[i].a.start;
        cuts[nc++] = r[i].a.end;
      }
    if (!nc) continue;
    qsort(cuts, nc, sizeof *cuts, cmp_u32);
    size_t last = (size_t)-1; /* index in out of the last emitted attr of this type */
    const raw_span *last_src = NULL;
    for (size_t k = 0; k + 1 < nc; k++) {
      uint32_t a = cuts[k], b = cuts[k + 1];
      if (a == b) continue;
      const raw_span *best = NULL;
      for (size_t i = 0; i < n; i++)
        if ((int)r[i].a.type == type && r[i].a.start <= a && r[i].a.end >= b &&
            (!best || r[i].depth > best->depth))
          best = &r[i];
      if (!best) continue;
      tg_attr *prev = last != (size_t)-1 ? &g_array_index(out, tg_attr, last) : NULL;
      if (prev && prev->end == a && (best == last_src || attr_same_value(prev, &best->a))) {
        prev->end = b;
      } else {
        tg_attr at = best->a;
        at.start = a;
        at.end = b;
        g_array_append_val(out, at);
        last = out->len - 1;
      }
      last_src = best;
    }
  }
  g_free(cuts);
  if (out->len > first)
    qsort((tg_attr *)out->data + first, out->len - first, sizeof(tg_attr), cmp_attr);
}

/* ---- slots ------------------------------------------------------------------------------ */

static bool node_is_static(const tnode *n) {
  switch (n->kind) {
  case N_TEXT:
  case N_RUBY: return true;
  case N_VALUE: return merge_operand_is_static(&n->val);
  case N_SPAN: return merge_seq_is_static(&n->kids);
  case N_IF:
    for (size_t i = 0; i < n->nbr; i++)
      if ((n->br[i].cond && !merge_cond_is_static(n->br[i].cond)) ||
          !merge_seq_is_static(&n->br[i].body))
        return false;
    return true;
  }
  return true;
}

bool merge_seq_is_static(const tseq *s) {
  for (size_t i = 0; i < s->n; i++)
    if (!node_is_static(&s->v[i])) return false;
  return true;
}

static void node_columns(const tnode *n, bool *used, size_t ncols) {
  if (n->kind == N_VALUE && n->val.kind == OPD_FIELD && n->val.col >= 0 &&
      (size_t)n->val.col < ncols)
    used[n->val.col] = true;
  merge_seq_columns(&n->kids, used, ncols);
  for (size_t i = 0; i < n->nbr; i++) {
    merge_cond_columns(n->br[i].cond, used, ncols);
    merge_seq_columns(&n->br[i].body, used, ncols);
  }
}

void merge_seq_columns(const tseq *s, bool *used, size_t ncols) {
  for (size_t i = 0; i < s->n; i++)
    node_columns(&s->v[i], used, ncols);
}

/* Evaluate a slot for E into out/spans (cleared first); sources (may be
 * NULL) receives the ranges that came from columns. */
bool merge_eval_slot(const slot *sl, const merge_env *E, GString *out, GArray *spans,
                     GArray *sources) {
  g_string_truncate(out, 0);
  g_array_set_size(spans, 0);
  if (sources) g_array_set_size(sources, 0);
  if (sl->cond) {
    int v = merge_cond_eval(sl->cond, E);
    if (v < 0) return false;
    if (v) g_string_append_c(out, '1');
    return true;
  }
  evaluator V = {E, out, spans, 0, sources};
  return eval_seq(&V, &sl->tree);
}
