/* ruby_markup.c — explicit ruby in design literal text: {腎臓|じんぞう}.
 *
 * This is the one parser of ruby markup: the template compiler calls
 * ruby_parse_group() at each '{' of a rich design text, the reading
 * dictionary and other callers use tg_ruby_markup_parse() on a whole string
 * and get back the plain text and its ruby.  The syntax is the one of
 * Denden Markdown, which designers may already know:
 * {base|reading} is group ruby, {base|r1|r2…} mono ruby (one reading per base
 * character).  \{ \} \| \\ are literal characters; {{…}} placeholders pass
 * through untouched, so the parser can also run over a whole template.  Every
 * byte outside the markup is copied as is — 分かち書き spaces included — and
 * each output byte remembers its source offset, so a later diagnostic about
 * the plain text can still point into the design file.
 */
#include "ruby/ruby_private.h"

#include <string.h>

typedef struct {
  size_t start, end;         /* the base in the plain text */
  size_t src_start, src_end; /* the whole markup {…} in the source */
} group;

struct tg_ruby_text {
  GString *text;
  GArray *src_off; /* size_t per byte of text, plus one for the end */
  tg_attr_list *attrs;
  GArray *groups;       /* group: where each ruby markup is, in the text and the source */
  const tg_attrs *view; /* sorted once at the end, so reading is thread-safe */
};

typedef struct {
  const char *s;
  size_t len;
  tg_span_fn locate;
  void *user;
  tg_diag *d;
  bool ok;
} parser;

static void perr(parser *P, size_t off, size_t len, const char *code, const char *hint,
                 const char *fmt, ...) G_GNUC_PRINTF(6, 7);

static void perr(parser *P, size_t off, size_t len, const char *code, const char *hint,
                 const char *fmt, ...) {
  P->ok = false;
  if (!P->d) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(_(fmt), ap);
  va_end(ap);
  tg_span sp = P->locate ? P->locate(P->user, off, len ? len : 1) : TG_SPAN_NONE;
  tg_diag_at(P->d, TG_ERROR, TG_KIND_SYNTAX, code, sp, "%s", msg);
  if (hint) tg_diag_hint(P->d, "%s", _(hint));
  g_free(msg);
}

static bool is_escapable(char c) { return c == '{' || c == '}' || c == '|' || c == '\\'; }

bool tg_ruby_is_escape(const char *s, size_t len, size_t i) {
  return i + 1 < len && s[i] == '\\' && is_escapable(s[i + 1]);
}

/* One piece of a ruby group (base or a reading) with escapes removed; the
 * source offset of each output byte is kept for the base. */
typedef struct {
  GString *s;
  GArray *src; /* size_t per byte */
} piece;

static void piece_init(piece *p) {
  p->s = g_string_new(NULL);
  p->src = g_array_new(FALSE, FALSE, sizeof(size_t));
}

static void piece_free(piece *p) {
  g_string_free(p->s, TRUE);
  g_array_free(p->src, TRUE);
}

static void piece_add(piece *p, const char *bytes, size_t n, size_t src_at) {
  g_string_append_len(p->s, bytes, (gssize)n);
  for (size_t i = 0; i < n; i++) {
    size_t o = src_at + i;
    g_array_append_val(p->src, o);
  }
}

/* Base characters for mono ruby: a character with its variation selectors
 * and combining marks.  Returns the byte offsets of the character starts
 * (and the end), count in *n. */
static size_t *char_starts(const char *s, size_t len, size_t *n) {
  size_t *v = g_new(size_t, len + 2);
  size_t k = 0, i = 0;
  while (i < len) {
    uint32_t cp;
    size_t at = i;
    i += (size_t)tg_utf8_decode(s + i, len - i, &cp);
    if (k > 0 && tg_char_is_mark(cp)) continue;
    v[k++] = at;
  }
  v[k] = len;
  *n = k;
  return v;
}

static void group_add_ruby(ruby_group *g, size_t start, size_t end, const char *r, size_t rlen) {
  ruby_span sp = {(uint32_t)start, (uint32_t)end, g_strndup(r, rlen)};
  g_array_append_val(g->ruby, sp);
}

void ruby_group_clear(ruby_group *g) {
  if (g->base) g_string_free(g->base, TRUE);
  if (g->base_src) g_array_free(g->base_src, TRUE);
  if (g->ruby) {
    for (guint i = 0; i < g->ruby->len; i++)
      g_free(g_array_index(g->ruby, ruby_span, i).reading);
    g_array_free(g->ruby, TRUE);
  }
  memset(g, 0, sizeof *g);
}

bool ruby_parse_group(const char *s, size_t len, size_t open, tg_span_fn locate, void *user,
                      tg_diag *d, ruby_group *out, size_t *end_out) {
  parser PP = {.s = s, .len = len, .locate = locate, .user = user, .d = d, .ok = true};
  parser *P = &PP;
  memset(out, 0, sizeof *out);
  size_t i = open + 1;
  GArray *pieces = g_array_new(FALSE, FALSE, sizeof(piece));
  piece cur;
  piece_init(&cur);
  bool closed = false, bad = false;
  int depth = 0; /* braces opened inside by mistake, to find the group's end */
  while (i < P->len) {
    char c = P->s[i];
    if (tg_ruby_is_escape(P->s, P->len, i)) {
      piece_add(&cur, P->s + i + 1, 1, i + 1);
      i += 2;
      continue;
    }
    if (c == '}' && depth > 0) {
      depth--;
      i++;
      continue;
    }
    if (c == '}') {
      closed = true;
      i++;
      break;
    }
    if (c == '|') {
      g_array_append_val(pieces, cur);
      piece_init(&cur);
      i++;
      continue;
    }
    if (c == '{') {
      if (!bad) {
        if (i + 1 < P->len && P->s[i + 1] == '{')
          perr(P, i, 2, "ruby.nested",
               N_("a name's ruby comes from its kana column: {{氏名 | ruby: 氏名カナ}}"),
               "a placeholder cannot be a ruby base");
        else
          perr(P, i, 1, "ruby.nested", N_("write \\{ for a literal brace"),
               "'{' inside ruby markup: ruby cannot be nested");
      }
      bad = true;
      depth++;
      i++;
      continue;
    }
    if (c == '\n' || c == '\r') {
      /* the group ends with its line: a '}' further down belongs elsewhere */
      size_t q = i;
      while (q < P->len && P->s[q] != '}' && P->s[q] != '{')
        q++;
      if (q < P->len && P->s[q] == '}' && !bad) {
        perr(P, i, 1, "ruby.line-break", NULL,
             "line break inside ruby markup: a ruby base and its reading stay on one line");
        bad = true;
      }
      if (!bad) break; /* unclosed on its line: reported below */
    }
    size_t n = (size_t)(tg_utf8_next(P->s + i) - (P->s + i));
    if (n == 0) n = 1;
    if (i + n > P->len) n = P->len - i;
    piece_add(&cur, P->s + i, n, i);
    i += n;
  }
  g_array_append_val(pieces, cur);
  piece *pv = (piece *)pieces->data;
  size_t np = pieces->len;
  if (!closed) {
    if (!bad)
      perr(P, open, 1, "ruby.unclosed", N_("write \\{ for a literal brace"),
           "ruby markup '{' is not closed with '}' on its line");
  } else if (bad) {
    /* already reported */
  } else if (np < 2) {
    perr(P, open, i - open, "ruby.no-reading",
         N_("write {base|reading}, or \\{ for a literal brace"), "ruby markup without a reading");
  } else if (pv[0].s->len == 0) {
    perr(P, open, i - open, "ruby.empty-base", NULL, "ruby markup with an empty base");
  } else {
    piece *base = &pv[0];
    out->ruby = g_array_new(FALSE, FALSE, sizeof(ruby_span));
    if (np == 2) {
      if (pv[1].s->len == 0)
        perr(P, open, i - open, "ruby.empty-reading", NULL, "ruby markup with an empty reading");
      else
        group_add_ruby(out, 0, base->s->len, pv[1].s->str, pv[1].s->len);
    } else {
      size_t nchars;
      size_t *starts = char_starts(base->s->str, base->s->len, &nchars);
      if (nchars != np - 1) {
        perr(
            P, open, i - open, "ruby.reading-count",
            N_("mono ruby gives one reading per base character; use {base|reading} for group ruby"),
            "%zu readings for a base of %zu characters", np - 1, nchars);
      } else {
        for (size_t k = 0; k < nchars; k++) {
          if (pv[k + 1].s->len == 0) continue; /* this character stays bare */
          group_add_ruby(out, starts[k], starts[k + 1], pv[k + 1].s->str, pv[k + 1].s->len);
        }
      }
      g_free(starts);
    }
    if (P->ok) {
      /* the base goes to the caller with its source offsets */
      out->base = base->s;
      out->base_src = base->src;
      base->s = NULL;
      base->src = NULL;
    }
  }
  for (size_t k = 0; k < np; k++)
    if (pv[k].s) piece_free(&pv[k]);
  g_array_free(pieces, TRUE);
  if (!P->ok) ruby_group_clear(out);
  *end_out = closed ? i : (i < P->len ? i : P->len);
  return P->ok;
}

static void emit(tg_ruby_text *r, const char *bytes, size_t n, size_t src_at) {
  g_string_append_len(r->text, bytes, (gssize)n);
  for (size_t i = 0; i < n; i++) {
    size_t o = src_at + i;
    g_array_append_val(r->src_off, o);
  }
}

/* ---- one group, for the template parser ------------------------------------- */

struct tg_ruby_group {
  ruby_group g;
  GArray *attrs; /* tg_attr: g's ruby as attributes (readings borrowed from g) */
  tg_attrs view;
};

tg_ruby_group *tg_ruby_group_parse(const char *s, size_t len, size_t open, tg_span_fn locate,
                                   void *user, tg_diag *d, size_t *end) {
  tg_ruby_group *r = g_new0(tg_ruby_group, 1);
  if (!ruby_parse_group(s, len, open, locate, user, d, &r->g, end)) {
    g_free(r);
    return NULL;
  }
  r->attrs = g_array_new(FALSE, FALSE, sizeof(tg_attr));
  for (guint i = 0; i < r->g.ruby->len; i++) {
    const ruby_span *sp = &g_array_index(r->g.ruby, ruby_span, i);
    tg_attr a = {.start = sp->start, .end = sp->end, .type = TG_ATTR_RUBY};
    a.u.ruby = sp->reading;
    g_array_append_val(r->attrs, a);
  }
  r->view.n = r->attrs->len;
  r->view.v = (const tg_attr *)r->attrs->data;
  return r;
}

const char *tg_ruby_group_get_base(const tg_ruby_group *g, size_t *len) {
  *len = g->g.base->len;
  return g->g.base->str;
}

size_t tg_ruby_group_get_source_offset(const tg_ruby_group *g, size_t base_offset) {
  return g_array_index(g->g.base_src, size_t, base_offset);
}

const tg_attrs *tg_ruby_group_get_attrs(const tg_ruby_group *g) { return &g->view; }

void tg_ruby_group_free(tg_ruby_group *g) {
  if (!g) return;
  ruby_group_clear(&g->g);
  g_array_free(g->attrs, TRUE);
  g_free(g);
}

/* ---- a whole text ------------------------------------------------------------------- */

tg_ruby_text *tg_ruby_markup_parse(const char *src, size_t len, tg_span_fn locate, void *user,
                                   tg_diag *d) {
  tg_ruby_text *r = g_new0(tg_ruby_text, 1);
  r->text = g_string_sized_new(len + 1);
  r->src_off = g_array_sized_new(FALSE, FALSE, sizeof(size_t), (guint)len + 1);
  r->attrs = tg_attr_list_new();
  r->groups = g_array_new(FALSE, FALSE, sizeof(group));
  parser P = {.s = src, .len = len, .locate = locate, .user = user, .d = d, .ok = true};
  size_t i = 0;
  while (i < len) {
    char c = src[i];
    if (tg_ruby_is_escape(src, len, i)) {
      emit(r, src + i + 1, 1, i + 1);
      i += 2;
    } else if (c == '{' && i + 1 < len && src[i + 1] == '{') {
      /* a placeholder: copy it through, up to and including its "}}" */
      const char *close = g_strstr_len(src + i + 2, (gssize)(len - i - 2), "}}");
      size_t end = close ? (size_t)(close - src) + 2 : len;
      emit(r, src + i, end - i, i);
      i = end;
    } else if (c == '{') {
      ruby_group g;
      size_t end;
      if (ruby_parse_group(src, len, i, locate, user, d, &g, &end)) {
        size_t at = r->text->len;
        group gr = {at, at + g.base->len, i, end};
        g_array_append_val(r->groups, gr);
        g_string_append_len(r->text, g.base->str, (gssize)g.base->len);
        g_array_append_vals(r->src_off, g.base_src->data, g.base_src->len);
        for (guint k = 0; k < g.ruby->len; k++) {
          const ruby_span *sp = &g_array_index(g.ruby, ruby_span, k);
          tg_attr_list_add_ruby(r->attrs, (uint32_t)(at + sp->start), (uint32_t)(at + sp->end),
                                sp->reading, strlen(sp->reading));
        }
      } else {
        P.ok = false;
      }
      ruby_group_clear(&g);
      i = end > i ? end : i + 1;
    } else if (c == '}') {
      perr(&P, i, 1, "ruby.stray-brace", N_("write \\} for a literal brace"),
           "'}' without an opening '{'");
      emit(r, src + i, 1, i);
      i++;
    } else {
      emit(r, src + i, 1, i);
      i++;
    }
  }
  size_t end = len;
  g_array_append_val(r->src_off, end);
  if (!P.ok) {
    tg_ruby_text_free(r);
    return NULL;
  }
  r->view = tg_attr_list_get(r->attrs);
  return r;
}

const char *tg_ruby_text_get_text(const tg_ruby_text *r, size_t *len_out) {
  if (len_out) *len_out = r->text->len;
  return r->text->str;
}

const tg_attrs *tg_ruby_text_get_attrs(const tg_ruby_text *r) { return r->view; }

size_t tg_ruby_text_get_source_offset(const tg_ruby_text *r, size_t text_offset) {
  if (text_offset >= r->src_off->len) text_offset = r->src_off->len - 1;
  return g_array_index(r->src_off, size_t, text_offset);
}

void tg_ruby_text_get_source_range(const tg_ruby_text *r, size_t offset, size_t len,
                                   size_t *src_offset, size_t *src_len) {
  size_t a = tg_ruby_text_get_source_offset(r, offset);
  size_t b = len ? tg_ruby_text_get_source_offset(r, offset + len - 1) + 1 : a;
  for (guint i = 0; i < r->groups->len; i++) {
    const group *g = &g_array_index(r->groups, group, i);
    if (g->start == offset) a = g->src_start;
    if (len && g->end == offset + len) b = g->src_end;
  }
  *src_offset = a;
  *src_len = b > a ? b - a : 0;
}

void tg_ruby_text_free(tg_ruby_text *r) {
  if (!r) return;
  g_string_free(r->text, TRUE);
  g_array_free(r->src_off, TRUE);
  tg_attr_list_free(r->attrs);
  g_array_free(r->groups, TRUE);
  g_free(r);
}
