/* ruby_markup.c — explicit ruby in design literal text: {腎臓|じんぞう}.
 *
 * The template compiler hands each literal piece of a design text to
 * tg_ruby_markup_parse() and gets back the plain text and its ruby.  The
 * syntax is the one of Denden Markdown, which designers may already know:
 * {base|reading} is group ruby, {base|r1|r2…} mono ruby (one reading per base
 * character).  \{ \} \| \\ are literal characters; {{…}} placeholders pass
 * through untouched, so the parser can also run over a whole template.  Every
 * byte outside the markup is copied as is — 分かち書き spaces included — and
 * each output byte remembers its source offset, so a later diagnostic about
 * the plain text can still point into the design file.
 */
#include "merge/merge_private.h"

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
  tg_ruby_text *out;
} parser;

static void perr(parser *P, size_t off, size_t len, const char *code, const char *hint,
                 const char *fmt, ...) G_GNUC_PRINTF(6, 7);

static void perr(parser *P, size_t off, size_t len, const char *code, const char *hint,
                 const char *fmt, ...) {
  P->ok = false;
  if (!P->d) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  tg_span sp = P->locate ? P->locate(P->user, off, len ? len : 1) : TG_SPAN_NONE;
  tg_diag_at(P->d, TG_ERROR, TG_KIND_SYNTAX, code, sp, "%s", msg);
  if (hint) tg_diag_hint(P->d, "%s", hint);
  g_free(msg);
}

static bool is_escapable(char c) { return c == '{' || c == '}' || c == '|' || c == '\\'; }

static void emit(parser *P, const char *bytes, size_t n, size_t src_at) {
  g_string_append_len(P->out->text, bytes, (gssize)n);
  for (size_t i = 0; i < n; i++) {
    size_t o = src_at + i;
    g_array_append_val(P->out->src_off, o);
  }
}

/* One piece of a ruby group (base or a reading) with escapes removed; the
 * source offset of each output byte is kept for the base. */
typedef struct {
  GString *s;
  GArray *src; /* size_t per byte */
  size_t at;   /* where the piece starts in the source */
} piece;

static void piece_init(piece *p, size_t at) {
  p->s = g_string_new(NULL);
  p->src = g_array_new(FALSE, FALSE, sizeof(size_t));
  p->at = at;
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
    if (k > 0 && merge_is_mark(cp)) continue;
    v[k++] = at;
  }
  v[k] = len;
  *n = k;
  return v;
}

/* Parse a group starting at the '{' at `open`; returns the offset after it. */
static size_t parse_group(parser *P, size_t open) {
  size_t i = open + 1;
  GArray *pieces = g_array_new(FALSE, FALSE, sizeof(piece));
  piece cur;
  piece_init(&cur, i);
  bool closed = false, bad = false;
  int depth = 0; /* braces opened inside by mistake, to find the group's end */
  while (i < P->len) {
    char c = P->s[i];
    if (c == '\\' && i + 1 < P->len && is_escapable(P->s[i + 1])) {
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
      piece_init(&cur, i + 1);
      i++;
      continue;
    }
    if (c == '{') {
      if (!bad)
        perr(P, i, 1, "ruby.nested", "write \\{ for a literal brace",
             "'{' inside ruby markup: ruby cannot be nested");
      bad = true;
      depth++;
      i++;
      continue;
    }
    if ((c == '\n' || c == '\r') && !bad) {
      perr(P, i, 1, "ruby.line-break", NULL,
           "line break inside ruby markup: a ruby base and its reading stay on one line");
      bad = true;
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
      perr(P, open, 1, "ruby.unclosed", "write \\{ for a literal brace",
           "ruby markup '{' is not closed with '}'");
  } else if (bad) {
    /* already reported */
  } else if (np < 2) {
    perr(P, open, i - open, "ruby.no-reading", "write {base|reading}, or \\{ for a literal brace",
         "ruby markup without a reading");
  } else if (pv[0].s->len == 0) {
    perr(P, open, i - open, "ruby.empty-base", NULL, "ruby markup with an empty base");
  } else {
    piece *base = &pv[0];
    /* the base goes to the text, each byte keeping its source offset */
    size_t at = P->out->text->len;
    group g = {at, at + base->s->len, open, i};
    g_array_append_val(P->out->groups, g);
    g_string_append_len(P->out->text, base->s->str, (gssize)base->s->len);
    g_array_append_vals(P->out->src_off, base->src->data, base->src->len);
    if (np == 2) {
      if (pv[1].s->len == 0)
        perr(P, open, i - open, "ruby.empty-reading", NULL, "ruby markup with an empty reading");
      else
        tg_attr_list_add_ruby(P->out->attrs, (uint32_t)at, (uint32_t)(at + base->s->len),
                              pv[1].s->str, pv[1].s->len);
    } else {
      size_t nchars;
      size_t *starts = char_starts(base->s->str, base->s->len, &nchars);
      if (nchars != np - 1) {
        perr(P, open, i - open, "ruby.reading-count",
             "mono ruby gives one reading per base character; use {base|reading} for group ruby",
             "%zu readings for a base of %zu characters", np - 1, nchars);
      } else {
        for (size_t k = 0; k < nchars; k++) {
          if (pv[k + 1].s->len == 0) continue; /* this character stays bare */
          tg_attr_list_add_ruby(P->out->attrs, (uint32_t)(at + starts[k]),
                                (uint32_t)(at + starts[k + 1]), pv[k + 1].s->str, pv[k + 1].s->len);
        }
      }
      g_free(starts);
    }
  }
  for (size_t k = 0; k < np; k++)
    piece_free(&pv[k]);
  g_array_free(pieces, TRUE);
  return closed ? i : P->len;
}

tg_ruby_text *tg_ruby_markup_parse(const char *src, size_t len, tg_span_fn locate, void *user,
                                   tg_diag *d) {
  tg_ruby_text *r = g_new0(tg_ruby_text, 1);
  r->text = g_string_sized_new(len + 1);
  r->src_off = g_array_sized_new(FALSE, FALSE, sizeof(size_t), (guint)len + 1);
  r->attrs = tg_attr_list_new();
  r->groups = g_array_new(FALSE, FALSE, sizeof(group));
  parser P = {.s = src, .len = len, .locate = locate, .user = user, .d = d, .ok = true, .out = r};
  size_t i = 0;
  while (i < len) {
    char c = src[i];
    if (c == '\\' && i + 1 < len && is_escapable(src[i + 1])) {
      emit(&P, src + i + 1, 1, i + 1);
      i += 2;
    } else if (c == '{' && i + 1 < len && src[i + 1] == '{') {
      /* a placeholder: copy it through, up to and including its "}}" */
      const char *close = g_strstr_len(src + i + 2, (gssize)(len - i - 2), "}}");
      size_t end = close ? (size_t)(close - src) + 2 : len;
      emit(&P, src + i, end - i, i);
      i = end;
    } else if (c == '{') {
      i = parse_group(&P, i);
    } else if (c == '}') {
      perr(&P, i, 1, "ruby.stray-brace", "write \\} for a literal brace",
           "'}' without an opening '{'");
      emit(&P, src + i, 1, i);
      i++;
    } else {
      emit(&P, src + i, 1, i);
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
