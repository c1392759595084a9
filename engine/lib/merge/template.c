/* template.c — compiling the texts of a design: tg_merge.
 *
 * Each design text is compiled once per (design, list, municipality) into a
 * small tree (parse.c): literal text, values (operand.c), conditionals
 * (cond.c) and, in rich texts, spans and ruby.  Texts that use no column and
 * no letter value are evaluated here, once (eval.c): they are static slots.
 * Texts that only letters of other list types can show are not compiled.
 *
 * Ruby: markup is read by the ruby stage's one parser (ruby/ruby_markup.c).
 * A text's `ruby:` mode decides the rest when it is compiled: `off` drops
 * the readings, `auto` annotates each run of literal text once with the
 * reading dictionary and MeCab (values are never annotated; the numbers
 * they print get counter readings per letter), and `{{氏名 | ruby: 氏名カナ}}`
 * gives a name its reading from the row (eval.c).
 *
 * The rest of the merge: choosing a row's variant and segment (choose.c),
 * merging a row into a letter (letter.c), the easy-Japanese checks of a
 * whole design (easyja.c).
 */
#include "merge/merge_private.h"

#include <string.h>

const tg_attrs MERGE_NO_ATTRS = {0, NULL};

const tg_design *merge_get_design(const tg_merge *m) { return m->design; }
const char *const *merge_get_columns(const tg_merge *m, size_t *n) {
  *n = m->ncols;
  return m->columns;
}

const merge_cond *merge_get_slot_cond(const tg_merge *m, int s) {
  if (s < 0 || (size_t)s >= m->nslots) return NULL;
  return m->slots[s].cond;
}

/* ---- ruby modes ---------------------------------------------------------------------------- */

/* `ruby: off`: the markup has been read; its readings go. */
static void strip_ruby(tseq *s) {
  for (size_t i = 0; i < s->n; i++) {
    tnode *n = &s->v[i];
    merge_ruby_spans_free(n->ruby);
    n->ruby = NULL;
    strip_ruby(&n->kids);
    for (size_t b = 0; b < n->nbr; b++)
      strip_ruby(&n->br[b].body);
  }
}

/* A run of literal text: consecutive N_TEXT and N_RUBY nodes with only span
 * tags between them, so that their text is contiguous in every letter. */
typedef struct {
  const tg_furigana *f;
  GString *buf;
  GPtrArray *nodes; /* tnode* of the run */
  GArray *at;       /* uint32_t: where each node's text starts in buf */
  tg_attr_list *attrs;
  tg_diag *d;
  bool ok;
} annotator;

static void annotate_flush(annotator *A) {
  if (A->nodes->len && A->ok && tg_text_has_kanji(A->buf->str, A->buf->len)) {
    tg_attr_list_clear(A->attrs);
    /* explicit ruby first: it wins over the dictionary and MeCab */
    for (guint i = 0; i < A->nodes->len; i++) {
      const tnode *n = g_ptr_array_index(A->nodes, i);
      uint32_t at = g_array_index(A->at, uint32_t, i);
      for (guint k = 0; n->kind == N_RUBY && n->ruby && k < n->ruby->len; k++) {
        const merge_ruby_span *sp = &g_array_index(n->ruby, merge_ruby_span, k);
        tg_attr_list_add_ruby(A->attrs, at + sp->start, at + sp->end, sp->reading,
                              strlen(sp->reading));
      }
    }
    if (!tg_furigana_annotate(A->f, A->buf->str, A->buf->len, 0, A->attrs, A->d)) A->ok = false;
    const tg_attrs *all = tg_attr_list_get(A->attrs);
    guint k = 0;
    for (size_t i = 0; A->ok && i < all->n; i++) {
      const tg_attr *a = &all->v[i];
      if (a->type != TG_ATTR_RUBY) continue;
      while (k + 1 < A->nodes->len && g_array_index(A->at, uint32_t, k + 1) <= a->start)
        k++;
      tnode *n = g_ptr_array_index(A->nodes, k);
      if (n->kind == N_RUBY) continue; /* the author's, bare characters included */
      bool into_markup = false;
      for (guint q = k + 1; q < A->nodes->len && g_array_index(A->at, uint32_t, q) < a->end; q++)
        into_markup |= ((const tnode *)g_ptr_array_index(A->nodes, q))->kind == N_RUBY;
      if (into_markup) continue;
      uint32_t at = g_array_index(A->at, uint32_t, k);
      if (!n->ruby) n->ruby = g_array_new(FALSE, FALSE, sizeof(merge_ruby_span));
      merge_ruby_span sp = {a->start - at, a->end - at, g_strdup(a->u.ruby)};
      g_array_append_val(n->ruby, sp);
    }
  }
  g_string_truncate(A->buf, 0);
  g_ptr_array_set_size(A->nodes, 0);
  g_array_set_size(A->at, 0);
}

static void annotate_seq(annotator *A, tseq *s) {
  for (size_t i = 0; i < s->n; i++) {
    tnode *n = &s->v[i];
    switch (n->kind) {
    case N_TEXT:
    case N_RUBY: {
      uint32_t at = (uint32_t)A->buf->len;
      g_ptr_array_add(A->nodes, n);
      g_array_append_val(A->at, at);
      g_string_append_len(A->buf, n->text, (gssize)n->len);
      break;
    }
    case N_SPAN: annotate_seq(A, &n->kids); break; /* a span tag does not cut a word */
    case N_VALUE: annotate_flush(A); break;        /* merged values get no guessed ruby */
    case N_IF:
      annotate_flush(A);
      for (size_t b = 0; b < n->nbr; b++) {
        annotate_seq(A, &n->br[b].body);
        annotate_flush(A);
      }
      break;
    }
  }
}

/* `ruby: auto`: readings for the kanji of the design's literal text, found
 * once here — static or not, a text's literal pieces are the same in every
 * letter, so no letter pays for MeCab. */
static bool annotate_tree(const tg_furigana *f, tseq *tree, tg_diag *d) {
  annotator A = {f,
                 g_string_new(NULL),
                 g_ptr_array_new(),
                 g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                 tg_attr_list_new(),
                 d,
                 true};
  annotate_seq(&A, tree);
  annotate_flush(&A);
  g_string_free(A.buf, TRUE);
  g_ptr_array_free(A.nodes, TRUE);
  g_array_free(A.at, TRUE);
  tg_attr_list_free(A.attrs);
  return A.ok;
}

static void compile_slot(tg_merge *m, const tg_text *t, const tg_values *constants, slot *sl,
                         tg_diag *d) {
  mparser P = {.m = m,
               .t = t,
               .s = t->text,
               .len = strlen(t->text),
               .constants = constants,
               .d = d,
               .ok = true};
  sl->faces = g_array_new(FALSE, FALSE, sizeof(tg_face_request));
  sl->compiled = true;
  if (t->kind == TG_TEXT_CONDITION) {
    sl->cond = merge_cond_parse(&P, 0, P.len);
    sl->is_static = sl->cond && merge_cond_is_static(sl->cond);
  } else {
    sl->tree = merge_parse_text(&P, t->kind == TG_TEXT_RICH, sl->faces);
    sl->is_static = merge_seq_is_static(&sl->tree);
    if (P.ok && t->kind == TG_TEXT_RICH && t->ruby == TG_RUBY_OFF) strip_ruby(&sl->tree);
    if (P.ok && t->kind == TG_TEXT_RICH && t->ruby == TG_RUBY_AUTO) {
      if (!m->furigana) {
        merge_error(&P, 0, P.len, TG_KIND_LIBRARY, "furigana.not-loaded",
                    "this text asks for 'ruby: auto', but no reading dictionary was loaded");
      } else if (!annotate_tree(m->furigana, &sl->tree, d)) {
        P.ok = false;
      }
    }
  }
  if (P.uses_name_in_kana) m->uses_name_in_kana = true;
  if (!P.ok) {
    sl->is_static = true; /* never evaluated: the merge is refused */
    return;
  }
  if (sl->is_static) {
    GString *out = g_string_new(NULL);
    GArray *spans = g_array_new(FALSE, FALSE, sizeof(raw_span));
    merge_env E = {.m = m,
                   .t = t,
                   .d = d,
                   .strings = m->static_strings,
                   .scratch = m->static_scratch,
                   .subst_col = -1};
    merge_eval_slot(sl, &E, out, spans, NULL);
    GArray *attrs = g_array_new(FALSE, FALSE, sizeof(tg_attr));
    merge_flatten_spans(spans, attrs);
    sl->static_attrs.n = attrs->len;
    sl->static_attrs.v = (const tg_attr *)g_array_free(attrs, attrs->len == 0);
    sl->static_value = g_string_free(out, FALSE);
    g_array_free(spans, TRUE);
  }
}

static void slot_clear(slot *sl) {
  merge_seq_free(&sl->tree);
  merge_cond_free(sl->cond);
  g_free(sl->static_value);
  g_free((gpointer)sl->static_attrs.v);
  if (sl->faces) g_array_free(sl->faces, TRUE);
}

tg_merge *tg_merge_new(const tg_design *design, const char *const *columns, size_t ncols,
                       const tg_values *constants, tg_diag *d) {
  return tg_merge_new_full(design, columns, ncols, constants, NULL, d);
}

tg_merge *tg_merge_new_full(const tg_design *design, const char *const *columns, size_t ncols,
                            const tg_values *constants, const tg_merge_options *opt, tg_diag *d) {
  tg_merge *m = g_new0(tg_merge, 1);
  m->furigana = opt ? opt->furigana : NULL;
  m->values_unchecked = opt && opt->values_unchecked;
  m->kana_name_col = m->kana_kana_col = -1;
  m->static_strings = g_string_chunk_new(256);
  m->static_scratch = tg_attr_list_new();
  m->design = design;
  m->columns = columns;
  m->ncols = columns ? ncols : 0;
  m->nslots = design->ntexts;
  m->slots = g_new0(slot, m->nslots + 1);
  m->variant_col = -1;
  m->birth_col = -1;
  for (size_t i = 0; i < m->ncols && m->birth_col < 0; i++)
    if (!strcmp(columns[i], "生年月日")) m->birth_col = (int)i;
  const char *letter_date = tg_values_get(constants, "job.date");
  m->have_letter_date = letter_date && tg_date_parse(letter_date, strlen(letter_date), NULL,
                                                     &m->letter_date) == TG_DATE_OK;
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  m->list_type = tg_values_get(constants, "list.type");
  m->segment_mask = TG_ALL_SEGMENTS;
  if (design->nsegments && m->list_type) {
    m->segment_mask = tg_design_segment_mask(design, m->list_type);
    if (!m->segment_mask) {
      GString *types = g_string_new(NULL);
      for (size_t i = 0; i < design->nsegments; i++)
        if (!strstr(types->str, design->segments[i].type))
          g_string_append_printf(types, "%s%s", types->len ? ", " : "", design->segments[i].type);
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "segment.no-type", design->segments_span,
                 "%s has no segments for lists of type '%s'", design->path, m->list_type);
      tg_diag_hint(d, "its segments are for: %s", types->str);
      g_string_free(types, TRUE);
    }
  }
  for (size_t i = 0; i < design->nsegments; i++)
    if (design->segments[i].when.slot >= 0)
      m->slots[design->segments[i].when.slot].segment_rule = true;
  /* copies of one text (per variant or segment) report their problems once */
  tg_diag *scratch = tg_diag_new();
  tg_diag_set_repeat_limit(scratch, 0);
  for (size_t i = 0; i < m->nslots; i++) {
    const tg_text *t = design->texts[i];
    if (!(t->segments & m->segment_mask)) continue; /* no letter of this list shows it */
    compile_slot(m, t, constants, &m->slots[i], scratch);
  }
  tg_diag_take_unique(d, scratch);
  tg_diag_free(scratch);
  /* columns used, for validation */
  bool *used = g_new0(bool, m->ncols + 1);
  for (size_t i = 0; i < m->nslots; i++) {
    if (!m->slots[i].compiled) continue;
    merge_seq_columns(&m->slots[i].tree, used, m->ncols);
    merge_cond_columns(m->slots[i].cond, used, m->ncols);
  }
  m->used_columns = g_new(int, m->ncols + 1);
  size_t k = 0;
  for (size_t i = 0; i < m->ncols; i++)
    if (used[i]) m->used_columns[k++] = (int)i;
  m->used_columns[k] = -1;
  g_free(used);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_merge_free(m);
    return NULL;
  }
  return m;
}

void tg_merge_free(tg_merge *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nslots; i++)
    slot_clear(&m->slots[i]);
  g_free(m->slots);
  g_free(m->used_columns);
  if (m->static_strings) g_string_chunk_free(m->static_strings);
  tg_attr_list_free(m->static_scratch);
  g_free(m);
}

bool tg_merge_slot_is_static(const tg_merge *m, int slot_no) {
  if (slot_no < 0 || (size_t)slot_no >= m->nslots) return false;
  const slot *sl = &m->slots[slot_no];
  return !sl->compiled || sl->is_static;
}

const char *tg_merge_get_static(const tg_merge *m, int slot_no) {
  if (!tg_merge_slot_is_static(m, slot_no)) return NULL;
  const char *v = m->slots[slot_no].static_value;
  return v ? v : "";
}

const tg_attrs *tg_merge_get_static_attrs(const tg_merge *m, int slot_no) {
  if (!tg_merge_slot_is_static(m, slot_no)) return &MERGE_NO_ATTRS;
  return &m->slots[slot_no].static_attrs;
}

const int *tg_merge_get_used_columns(const tg_merge *m) { return m->used_columns; }

const tg_face_request *tg_merge_get_face_requests(const tg_merge *m, int slot_no, size_t *n) {
  *n = 0;
  if (slot_no < 0 || (size_t)slot_no >= m->nslots || !m->slots[slot_no].faces) return NULL;
  *n = m->slots[slot_no].faces->len;
  return (const tg_face_request *)m->slots[slot_no].faces->data;
}
