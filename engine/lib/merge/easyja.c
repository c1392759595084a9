/* easyja.c — easy-Japanese (やさしい日本語) checks for `tegami check`.
 *
 * The easy variant of a letter follows the rules collected in
 * shared/research/domain.md §C: short sentences, a reading over every kanji,
 * body text of at least 12 pt and ruby of at least 6 pt.  These functions
 * only look: they warn (never fail a run) with the source span of what they
 * found, and change nothing — 分かち書き spaces stay exactly as written and
 * are not counted as characters of a sentence.
 *
 * tg_easyja_check_text() and tg_easyja_check_size() check one text or one
 * size; tg_merge_check_easy() walks every text of a design's easy variants
 * as the merge compiled it (its tree: literal text, ruby, span sizes, each
 * branch of a conditional on its own) and checks each.
 */
#include "merge/merge_private.h"

#include <string.h>

void tg_easyja_rules_init(tg_easyja_rules *r) {
  r->max_sentence_chars = 30;
  r->min_text_pt = 12.0;
  r->min_ruby_pt = 6.0;
}

static tg_span locate_or_none(tg_span_fn locate, void *user, size_t off, size_t len) {
  return locate ? locate(user, off, len) : TG_SPAN_NONE;
}

/* "10.5", "12", "5.25": points without trailing zeros, never locale-bound. */
static void fmt_pt(char *buf, size_t size, double v) {
  g_ascii_formatd(buf, (gint)size, "%.2f", v);
  char *dot = strchr(buf, '.');
  if (!dot) return;
  char *e = buf + strlen(buf);
  while (e > dot + 1 && e[-1] == '0')
    *--e = '\0';
  if (e == dot + 1) *dot = '\0';
}

static bool ends_sentence(uint32_t cp) {
  return cp == 0x3002 /* 。 */ || cp == 0xFF0E /* ． */ || cp == 0xFF01 /* ！ */ ||
         cp == 0xFF1F /* ？ */ || cp == '!' || cp == '?';
}

static bool closes_quote(uint32_t cp) {
  return cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == ')' || cp == 0x3011 ||
         cp == 0x3009 || cp == 0x300B;
}

static size_t check_sentences(const tg_easyja_rules *r, const char *text, size_t len,
                              tg_span_fn locate, void *user, tg_diag *d) {
  size_t warned = 0, i = 0;
  while (i < len) {
    /* skip spaces and line breaks before the sentence */
    uint32_t cp;
    size_t n;
    while (i < len) {
      n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
      if (tg_char_get_class(cp) != TG_CHAR_SPACE) break;
      i += n;
    }
    if (i >= len) break;
    size_t start = i, last_end = i, chars = 0;
    bool done = false;
    while (i < len && !done) {
      n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
      if (cp == '\n' || cp == '\r') break;
      i += n;
      if (tg_char_get_class(cp) != TG_CHAR_SPACE && !tg_char_is_mark(cp)) {
        chars++;
        last_end = i;
      }
      if (ends_sentence(cp)) {
        /* closing brackets right after the mark belong to the sentence */
        while (i < len) {
          size_t m = (size_t)tg_utf8_decode(text + i, len - i, &cp);
          if (!closes_quote(cp)) break;
          i += m;
          chars++;
          last_end = i;
        }
        done = true;
      }
    }
    if (chars > r->max_sentence_chars) {
      tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "easyja.sentence-too-long",
                 locate_or_none(locate, user, start, last_end - start),
                 "sentence of %zu characters: easy-Japanese sentences have at most %u", chars,
                 r->max_sentence_chars);
      tg_diag_hint(d, "split it into shorter sentences, one idea each (spaces are not counted)");
      warned++;
    }
  }
  return warned;
}

static size_t check_ruby(const char *text, size_t len, const tg_attrs *attrs, tg_span_fn locate,
                         void *user, tg_diag *d) {
  bool *covered = g_new0(bool, len + 1);
  for (size_t k = 0; attrs && k < attrs->n; k++) {
    const tg_attr *a = &attrs->v[k];
    if (a->type != TG_ATTR_RUBY) continue;
    for (size_t b = a->start; b < a->end && b < len; b++)
      covered[b] = true;
  }
  size_t warned = 0, i = 0, run_start = 0, run_end = 0, run_chars = 0;
  bool prev_kanji = false;
  while (i <= len) {
    uint32_t cp = 0;
    size_t n = 1;
    bool bare_kanji = false, mark = false;
    if (i < len) {
      n = (size_t)tg_utf8_decode(text + i, len - i, &cp);
      mark = tg_char_is_mark(cp);
      bare_kanji = tg_char_get_class(cp) == TG_CHAR_KANJI && !covered[i];
    }
    if (mark && prev_kanji) { /* a variation selector stays with its kanji */
      run_end = i + n;
      i += n;
      continue;
    }
    if (bare_kanji) {
      if (run_chars == 0) run_start = i;
      run_chars++;
      run_end = i + n;
    } else if (run_chars > 0) {
      tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "easyja.kanji-without-ruby",
                 locate_or_none(locate, user, run_start, run_end - run_start),
                 "%zu kanji without ruby: easy-Japanese text gives a reading for every kanji",
                 run_chars);
      tg_diag_hint(d, "write {漢字|かんじ}, or add the word to locales/ja/readings.tsv");
      warned++;
      run_chars = 0;
    }
    prev_kanji = bare_kanji;
    i += n;
  }
  g_free(covered);
  return warned;
}

static size_t check_size_attrs(const tg_easyja_rules *r, const tg_attrs *attrs, tg_span_fn locate,
                               void *user, tg_diag *d) {
  size_t warned = 0;
  for (size_t k = 0; attrs && k < attrs->n; k++) {
    const tg_attr *a = &attrs->v[k];
    if (a->type != TG_ATTR_SIZE || a->u.size_pt >= r->min_text_pt) continue;
    char have[32], min[32];
    fmt_pt(have, sizeof have, a->u.size_pt);
    fmt_pt(min, sizeof min, r->min_text_pt);
    tg_diag_at(d, TG_WARNING, TG_KIND_LAYOUT, "easyja.text-too-small",
               locate_or_none(locate, user, a->start, a->end - a->start),
               "text size %spt is below the easy-Japanese minimum of %spt", have, min);
    warned++;
  }
  return warned;
}

size_t tg_easyja_check_text(const tg_easyja_rules *r, const char *text, size_t len,
                            const tg_attrs *attrs, tg_span_fn locate, void *user, tg_diag *d) {
  tg_easyja_rules defaults;
  if (!r) {
    tg_easyja_rules_init(&defaults);
    r = &defaults;
  }
  return check_sentences(r, text, len, locate, user, d) +
         check_ruby(text, len, attrs, locate, user, d) +
         check_size_attrs(r, attrs, locate, user, d);
}

size_t tg_easyja_check_size(const tg_easyja_rules *r, double text_pt, double ruby_pt, tg_span span,
                            tg_diag *d) {
  tg_easyja_rules defaults;
  if (!r) {
    tg_easyja_rules_init(&defaults);
    r = &defaults;
  }
  size_t warned = 0;
  char have[32], min[32];
  if (text_pt < r->min_text_pt) {
    fmt_pt(have, sizeof have, text_pt);
    fmt_pt(min, sizeof min, r->min_text_pt);
    tg_diag_at(d, TG_WARNING, TG_KIND_LAYOUT, "easyja.text-too-small", span,
               "text size %spt is below the easy-Japanese minimum of %spt", have, min);
    warned++;
  }
  if (ruby_pt > 0 && ruby_pt < r->min_ruby_pt) {
    fmt_pt(have, sizeof have, ruby_pt);
    fmt_pt(min, sizeof min, r->min_ruby_pt);
    tg_diag_at(d, TG_WARNING, TG_KIND_LAYOUT, "easyja.ruby-too-small", span,
               "ruby size %spt is below the easy-Japanese minimum of %spt", have, min);
    warned++;
  }
  return warned;
}

/* ---- the walk over a design's compiled texts ---------------------------------------------------
 */

/* A text as the easy-Japanese checks see it: its literal text with ruby and
 * span sizes, placeholders left out, every branch of a conditional on lines
 * of its own; each byte remembers where it is written in the design. */
typedef struct {
  GString *text;
  GArray *src;    /* uint32_t per byte */
  GArray *spans;  /* raw_span: ruby and sizes */
  GArray *groups; /* preview_group: ruby markup, to underline it whole */
  const tg_text *t;
} preview;

typedef struct {
  uint32_t start, end, src_start, src_end;
} preview_group;

static void preview_add(preview *V, const char *bytes, size_t n, const uint32_t *src) {
  uint32_t last = V->src->len ? g_array_index(V->src, uint32_t, V->src->len - 1) : 0;
  g_string_append_len(V->text, bytes, (gssize)n);
  for (size_t i = 0; i < n; i++) {
    uint32_t o = src ? src[i] : last;
    g_array_append_val(V->src, o);
  }
}

static void preview_seq(preview *V, const tseq *s, int depth) {
  for (size_t i = 0; i < s->n; i++) {
    const tnode *n = &s->v[i];
    switch (n->kind) {
    case N_TEXT:
    case N_RUBY: {
      uint32_t at = (uint32_t)V->text->len;
      preview_add(V, n->text, n->len, n->src);
      for (guint k = 0; n->ruby && k < n->ruby->len; k++) {
        const merge_ruby_span *sp = &g_array_index(n->ruby, merge_ruby_span, k);
        raw_span r = {.a = {.start = at + sp->start, .end = at + sp->end, .type = TG_ATTR_RUBY},
                      .depth = depth};
        r.a.u.ruby = sp->reading;
        g_array_append_val(V->spans, r);
      }
      if (n->kind == N_RUBY) {
        preview_group g = {at, at + (uint32_t)n->len, n->group_start, n->group_end};
        g_array_append_val(V->groups, g);
      }
      break;
    }
    case N_VALUE: break; /* merged values are not the design's text */
    case N_SPAN: {
      uint32_t start = (uint32_t)V->text->len;
      preview_seq(V, &n->kids, depth + 1);
      if (n->attr.type == TG_ATTR_SIZE && V->text->len > start) {
        raw_span r = {.a = n->attr, .depth = depth + 1};
        r.a.start = start;
        r.a.end = (uint32_t)V->text->len;
        g_array_append_val(V->spans, r);
      }
      break;
    }
    case N_IF:
      for (size_t b = 0; b < n->nbr; b++) {
        preview_add(V, "\n", 1, NULL);
        preview_seq(V, &n->br[b].body, depth);
      }
      preview_add(V, "\n", 1, NULL);
      break;
    }
  }
}

static tg_span preview_locate(void *user, size_t off, size_t len) {
  const preview *V = user;
  size_t n = V->src->len;
  if (!n) return tg_text_span(V->t, 0, 1);
  if (off >= n) off = n - 1;
  if (len == 0) len = 1;
  if (off + len > n) len = n - off;
  uint32_t a = g_array_index(V->src, uint32_t, off);
  uint32_t b = g_array_index(V->src, uint32_t, off + len - 1) + 1;
  for (guint i = 0; i < V->groups->len; i++) {
    const preview_group *g = &g_array_index(V->groups, preview_group, i);
    if (g->start == off) a = g->src_start;
    if (g->end == off + len) b = g->src_end;
  }
  return tg_text_span(V->t, a, b > a ? b - a : 1);
}

typedef struct {
  const tg_merge *m;
  const tg_easyja_rules *rules;
  uint32_t easy;      /* mask of the easy variants */
  GHashTable *styles; /* const tg_style* already checked */
  GHashTable *blocks; /* const tg_block* whose shrinking was checked */
  bool *ruby_of_slot; /* does the text of a slot carry ruby */
  tg_diag *d;
  size_t warned;
} easy_check;

static void check_easy_sizes(const tg_block *owner, const tg_text *t, const tg_style *st,
                             void *data) {
  easy_check *C = data;
  if (!st || t->slot < 0 || t->kind != TG_TEXT_RICH || !(t->variants & C->easy) ||
      t->not_for_reader)
    return;
  if (!g_hash_table_contains(C->styles, st)) {
    g_hash_table_add(C->styles, (gpointer)st);
    double ruby = st->ruby_size_pt > 0 ? st->ruby_size_pt : st->size_pt / 2;
    tg_span at = st->span.src ? st->span : owner->span;
    C->warned +=
        tg_easyja_check_size(C->rules, st->size_pt, C->ruby_of_slot[t->slot] ? ruby : 0, at, C->d);
  }
  double min = 0;
  bool shrinks = false;
  if (owner->type == TG_BLOCK_TEXT) {
    shrinks = owner->u.text.overflow == TG_OVERFLOW_SHRINK;
    min = owner->u.text.min_size_pt;
  } else if (owner->type == TG_BLOCK_TABLE) {
    shrinks = owner->u.table.overflow == TG_OVERFLOW_SHRINK;
    min = owner->u.table.min_size_pt;
  }
  if (shrinks && min < C->rules->min_text_pt && !g_hash_table_contains(C->blocks, owner)) {
    g_hash_table_add(C->blocks, (gpointer)owner);
    char have[32], want[32];
    g_ascii_formatd(have, sizeof have, "%g", min);
    g_ascii_formatd(want, sizeof want, "%g", C->rules->min_text_pt);
    tg_diag_at(C->d, TG_WARNING, TG_KIND_LAYOUT, "easyja.text-too-small", owner->span,
               "%s '%s' may shrink its text to %spt, below the easy-Japanese minimum of %spt",
               tg_block_type_name(owner->type), owner->name, have, want);
    tg_diag_hint(C->d, "raise its min-size, or give the text more room");
    C->warned++;
  }
}

/* A flow that may shrink every text in it below the minimum. */
static void check_easy_flow(easy_check *C, const tg_block *flow) {
  if (!(flow->variants & C->easy) || flow->u.flow.overflow != TG_OVERFLOW_SHRINK ||
      flow->not_for_reader)
    return;
  double min = flow->u.flow.min_size_pt;
  if (min >= C->rules->min_text_pt) return;
  char have[32], want[32];
  g_ascii_formatd(have, sizeof have, "%g", min);
  g_ascii_formatd(want, sizeof want, "%g", C->rules->min_text_pt);
  tg_diag_at(C->d, TG_WARNING, TG_KIND_LAYOUT, "easyja.text-too-small", flow->span,
             "flow '%s' may shrink its text to %spt, below the easy-Japanese minimum of %spt",
             flow->name, have, want);
  tg_diag_hint(C->d, "raise its min-size, or give the text more room");
  C->warned++;
}

size_t tg_merge_check_easy(const tg_merge *m, tg_diag *d) {
  const tg_design *ds = m->design;
  if (!ds->easy.variants) return 0;
  tg_easyja_rules rules = {ds->easy.max_sentence_chars, ds->easy.min_text_pt, ds->easy.min_ruby_pt};
  tg_diag *scratch = tg_diag_new(); /* copies of one text warn once */
  tg_diag_set_repeat_limit(scratch, 0);
  bool *has_ruby = g_new0(bool, m->nslots + 1);
  size_t warned = 0;
  for (size_t i = 0; i < m->nslots; i++) {
    const tg_text *t = ds->texts[i];
    const slot *sl = &m->slots[i];
    if (!sl->compiled || t->kind != TG_TEXT_RICH || !(t->variants & ds->easy.variants) ||
        t->not_for_reader)
      continue;
    preview V = {g_string_new(NULL), g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                 g_array_new(FALSE, FALSE, sizeof(raw_span)),
                 g_array_new(FALSE, FALSE, sizeof(preview_group)), t};
    preview_seq(&V, &sl->tree, 0);
    GArray *attrs = g_array_new(FALSE, FALSE, sizeof(tg_attr));
    merge_flatten_spans(V.spans, attrs);
    tg_attrs a = {attrs->len, (const tg_attr *)attrs->data};
    for (size_t k = 0; k < a.n; k++)
      if (a.v[k].type == TG_ATTR_RUBY) has_ruby[i] = true;
    /* a name given its ruby by the ruby filter counts as ruby too */
    warned +=
        tg_easyja_check_text(&rules, V.text->str, V.text->len, &a, preview_locate, &V, scratch);
    g_array_free(attrs, TRUE);
    g_string_free(V.text, TRUE);
    g_array_free(V.src, TRUE);
    g_array_free(V.spans, TRUE);
    g_array_free(V.groups, TRUE);
  }
  easy_check C = {m,
                  &rules,
                  ds->easy.variants,
                  g_hash_table_new(NULL, NULL),
                  g_hash_table_new(NULL, NULL),
                  has_ruby,
                  scratch,
                  0};
  for (size_t p = 0; p < ds->npages; p++)
    for (size_t b = 0; b < ds->pages[p].nblocks; b++) {
      const tg_block *blk = &ds->pages[p].blocks[b];
      if (blk->type == TG_BLOCK_FLOW) check_easy_flow(&C, blk);
      tg_block_foreach_text(blk, check_easy_sizes, &C);
    }
  warned += C.warned;
  g_hash_table_destroy(C.styles);
  g_hash_table_destroy(C.blocks);
  g_free(has_ruby);
  tg_diag_take_unique(d, scratch);
  tg_diag_free(scratch);
  return warned;
}
