/* parse.c — parsing a design text into its tree.
 *
 * Literal text, {{values}}, {{#if}} … {{#elif}} … {{#else}} … {{/if}} with
 * their rules (cond.c), and in rich texts the spans ([b], [u], [color=…],
 * [size=…], [font=…]) and ruby ({base|reading}, read by ruby_markup.c).
 * Compile errors point at the exact characters in the design file and the
 * parser goes on, so one pass reports every mistake of a text.  A control
 * tag alone on its line ({{#if …}}, {{#else}}, {{/if}}) takes its line with
 * it, so conditionals in a multi-line text leave no blank lines.
 */
#include "merge/merge_private.h"

#include <string.h>

#define MAX_DEPTH 32

typedef enum { END_TEXT, END_ELIF, END_ELSE, END_ENDIF, END_CLOSE } end_kind;

typedef struct {
  end_kind kind;
  size_t off, len;             /* the terminating tag */
  size_t cond_start, cond_end; /* END_ELIF */
  char name[16];               /* END_CLOSE: the tag name */
} term;

typedef struct {
  mparser *P;
  size_t pos;
  bool rich;
  GArray *faces;      /* tg_face_request */
  const char *family; /* enclosing [font=] (NULL: the style's) */
  int weight;         /* enclosing [b] (0: the style's) */
  int depth;
  GPtrArray *open;    /* names of the open spans, innermost last; NULL: an {{#if}} boundary */
  GPtrArray *forgive; /* spans already reported as unclosed: their [/x] is skipped */
} tparser;

void merge_ruby_spans_free(GArray *a) {
  if (!a) return;
  for (guint i = 0; i < a->len; i++)
    g_free(g_array_index(a, merge_ruby_span, i).reading);
  g_array_free(a, TRUE);
}

static void node_clear(tnode *n) {
  g_free(n->text);
  g_free(n->src);
  merge_ruby_spans_free(n->ruby);
  merge_operand_clear(&n->val);
  if (n->kind == N_SPAN && n->attr.type == TG_ATTR_FONT) g_free((char *)n->attr.u.font);
  merge_seq_free(&n->kids);
  for (size_t i = 0; i < n->nbr; i++) {
    merge_cond_free(n->br[i].cond);
    merge_seq_free(&n->br[i].body);
  }
  g_free(n->br);
}

void merge_seq_free(tseq *s) {
  for (size_t i = 0; i < s->n; i++)
    node_clear(&s->v[i]);
  g_free(s->v);
  s->v = NULL;
  s->n = 0;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Is the tag at [a, b) alone on its line?  Then the whole line goes:
 * *line_start is where the kept text ends, *resume where parsing goes on. */
static bool standalone(const char *s, size_t len, size_t a, size_t b, size_t *line_start,
                       size_t *resume) {
  size_t ls = a;
  while (ls > 0 && s[ls - 1] != '\n') {
    if (!is_blank(s[ls - 1])) return false;
    ls--;
  }
  size_t le = b;
  while (le < len && s[le] != '\n') {
    if (!is_blank(s[le])) return false;
    le++;
  }
  *line_start = ls;
  *resume = le < len ? le + 1 : len;
  return true;
}

/* Literal text being collected, with the design-text offset of each byte. */
typedef struct {
  GString *s;
  GArray *src; /* uint32_t per byte */
} litbuf;

static void lit_add(litbuf *lb, const char *bytes, size_t n, size_t at) {
  g_string_append_len(lb->s, bytes, (gssize)n);
  for (size_t i = 0; i < n; i++) {
    uint32_t o = (uint32_t)(at + i);
    g_array_append_val(lb->src, o);
  }
}

static void lit_truncate(litbuf *lb, size_t len) {
  g_string_truncate(lb->s, len);
  g_array_set_size(lb->src, (guint)len);
}

static void lit_free(litbuf *lb) {
  g_string_free(lb->s, TRUE);
  g_array_free(lb->src, TRUE);
}

static void flush_text(litbuf *lit, GArray *nodes) {
  if (!lit->s->len) return;
  tnode n = {.kind = N_TEXT, .text = g_strndup(lit->s->str, lit->s->len), .len = lit->s->len};
  n.src = g_memdup2(lit->src->data, lit->src->len * sizeof(uint32_t));
  g_array_append_val(nodes, n);
  lit_truncate(lit, 0);
}

static tseq finish_seq(GArray *nodes) {
  tseq s = {NULL, nodes->len};
  s.v = (tnode *)g_array_free(nodes, FALSE);
  if (!s.n) {
    g_free(s.v);
    s.v = NULL;
  }
  return s;
}

static void add_face(tparser *T, size_t off, size_t len) {
  tg_face_request r = {T->family, T->weight, tg_text_span(T->P->t, off, len)};
  g_array_append_val(T->faces, r);
}

static const char *const TAG_NAMES[] = {"b", "u", "color", "size", "font"};

/* Parse the value of [name=value] into n->attr.  Reports at the value. */
static bool span_attr(tparser *T, const char *name, const char *val, size_t voff, size_t vlen,
                      tnode *n) {
  mparser *P = T->P;
  bool needs = strcmp(name, "color") == 0 || strcmp(name, "size") == 0 || strcmp(name, "font") == 0;
  if (needs && !val) {
    merge_error(P, voff, vlen, TG_KIND_SCHEMA, "markup.value", "[%s] needs a value, as in [%s=%s]",
                name, name,
                name[0] == 'c'   ? "#C00000"
                : name[0] == 's' ? "12pt"
                                 : "BIZ UDPMincho");
    return false;
  }
  if (!needs && val) {
    merge_error(P, voff, vlen, TG_KIND_SCHEMA, "markup.value", "[%s] takes no value", name);
    return false;
  }
  if (strcmp(name, "b") == 0) {
    n->attr.type = TG_ATTR_WEIGHT;
    n->attr.u.weight = 700;
  } else if (strcmp(name, "u") == 0) {
    n->attr.type = TG_ATTR_UNDERLINE;
  } else if (strcmp(name, "color") == 0) {
    n->attr.type = TG_ATTR_COLOR;
    const tg_color *named = tg_design_find_color(P->m->design, val);
    size_t len = strlen(val);
    bool hex = val[0] == '#' && (len == 7 || len == 9);
    for (size_t i = 1; hex && i < len; i++)
      hex = g_ascii_isxdigit(val[i]);
    if (named) {
      n->attr.u.color = named->rgba;
    } else if (hex) {
      uint32_t v = (uint32_t)g_ascii_strtoull(val + 1, NULL, 16);
      n->attr.u.color = len == 7 ? (v << 8) | 0xFF : v;
    } else {
      merge_error(P, voff, vlen, TG_KIND_SCHEMA, "markup.color",
                  "'%s' is not a colour: write #RRGGBB or a name from the design's colors", val);
      const tg_design *ds = P->m->design;
      const char **names = g_new(const char *, ds->ncolors + 1);
      for (size_t i = 0; i < ds->ncolors; i++)
        names[i] = ds->colors[i].name;
      const char *s = tg_suggest(val, names, ds->ncolors);
      if (s) tg_diag_hint(P->d, "did you mean '%s'?", s);
      g_free(names);
      return false;
    }
  } else if (strcmp(name, "size") == 0) {
    n->attr.type = TG_ATTR_SIZE;
    double v;
    tg_unit u;
    if (!tg_parse_length(val, &v, &u) || u == TG_UNIT_PERCENT || u == TG_UNIT_NONE) {
      merge_error(P, voff, vlen, TG_KIND_SCHEMA, "markup.size",
                  "'%s' is not a size with a unit, such as 12pt or 4mm", val);
      return false;
    }
    double pt = u == TG_UNIT_MM ? tg_mm_to_pt(v) : u == TG_UNIT_CM ? tg_mm_to_pt(v * 10) : v;
    if (pt < 4 || pt > 144) {
      merge_error(P, voff, vlen, TG_KIND_SCHEMA, "markup.size",
                  "a span's size must be between 4pt and 144pt");
      return false;
    }
    n->attr.u.size_pt = pt;
  } else {
    n->attr.type = TG_ATTR_FONT;
    n->attr.u.font = g_strdup(val);
  }
  return true;
}

static tseq parse_seq(tparser *T, term *tm);

/* Where is span `name` open?  Returns its index in T->open, or -1; *behind
 * is set when it is on the far side of an {{#if}} boundary. */
static int find_open(const tparser *T, const char *name, bool *behind) {
  *behind = false;
  for (guint i = T->open->len; i-- > 0;) {
    const char *n = g_ptr_array_index(T->open, i);
    if (!n) {
      *behind = true;
      continue;
    }
    if (strcmp(n, name) == 0) return (int)i;
  }
  return -1;
}

static bool take_forgiven(tparser *T, const char *name) {
  for (guint i = 0; i < T->forgive->len; i++)
    if (strcmp(g_ptr_array_index(T->forgive, i), name) == 0) {
      g_ptr_array_remove_index(T->forgive, i);
      return true;
    }
  return false;
}

static bool known_tag(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(TAG_NAMES); i++)
    if (strcmp(name, TAG_NAMES[i]) == 0) return true;
  return false;
}

/* "[name]", "[name=value]" or "[/name]" at T->pos (which is at '[').  A span
 * is parsed with its content up to its closing tag.  *stop is set when
 * parsing of the enclosing text must stop at the terminator *tm: a closing
 * tag for an enclosing span, or a control tag that ended a branch. */
static void parse_tag(tparser *T, GArray *nodes, term *tm, bool *stop) {
  mparser *P = T->P;
  const char *s = P->s;
  size_t a = T->pos, e = a + 1;
  while (e < P->len && s[e] != ']' && s[e] != '\n' && s[e] != '[')
    e++;
  if (e >= P->len || s[e] != ']') {
    merge_error(P, a, 1, TG_KIND_SYNTAX, "markup.unterminated",
                "markup tag '[' is not closed with ']'");
    tg_diag_hint(P->d, "write [[ for a literal [");
    T->pos = a + 1;
    return;
  }
  size_t tag_len = e + 1 - a;
  bool is_close = s[a + 1] == '/';
  size_t ns = a + 1 + (is_close ? 1 : 0), ne = ns;
  while (ne < e && (g_ascii_isalpha(s[ne]) || s[ne] == '-'))
    ne++;
  char name[16];
  size_t nl = ne - ns < sizeof name - 1 ? ne - ns : sizeof name - 1;
  memcpy(name, s + ns, nl);
  name[nl] = '\0';
  T->pos = e + 1;
  bool well_formed = ne > ns && (ne == e || (!is_close && s[ne] == '='));
  if (is_close) {
    bool behind;
    int at = well_formed ? find_open(T, name, &behind) : -1;
    if (at >= 0 && !behind) {
      if ((guint)at + 1 < T->open->len) {
        const char *inner = g_ptr_array_index(T->open, T->open->len - 1);
        merge_error(P, a, tag_len, TG_KIND_SYNTAX, "markup.crossed",
                    "'[/%s]' closes '[%s]' while '[%s]' inside it is still open", name, name,
                    inner);
        tg_diag_hint(P->d, "spans must nest: [%s][%s]…[/%s][/%s]", name, inner, inner, name);
        for (guint i = (guint)at + 1; i < T->open->len; i++)
          g_ptr_array_add(T->forgive, g_ptr_array_index(T->open, i));
      }
      tm->kind = END_CLOSE;
      tm->off = a;
      tm->len = tag_len;
      g_strlcpy(tm->name, name, sizeof tm->name);
      *stop = true;
      return;
    }
    if (well_formed && take_forgiven(T, name)) return;
    if (at >= 0)
      merge_error(P, a, tag_len, TG_KIND_SYNTAX, "markup.crossed",
                  "'[/%s]' closes a span opened outside this {{#if}}", name);
    else if (!well_formed || !known_tag(name))
      merge_error(P, a, tag_len, TG_KIND_SCHEMA, "markup.unknown-tag", "unknown markup tag '%.*s'",
                  (int)tag_len, s + a);
    else
      merge_error(P, a, tag_len, TG_KIND_SYNTAX, "markup.mismatch", "'[/%s]' closes no open span",
                  name);
    return;
  }
  bool bad = false;
  tnode n = {.kind = N_SPAN};
  if (!well_formed || !known_tag(name)) {
    merge_error(P, a, tag_len, TG_KIND_SCHEMA, "markup.unknown-tag", "unknown markup tag '%.*s'",
                (int)tag_len, s + a);
    const char *sug = tg_suggest(name, TAG_NAMES, G_N_ELEMENTS(TAG_NAMES));
    if (sug)
      tg_diag_hint(P->d, "did you mean '[%s]'?", sug);
    else
      tg_diag_hint(P->d, "the tags are [b], [u], [color=…], [size=…], [font=…]; write [[ for "
                         "a literal [");
    bad = true;
  } else {
    char *val = ne < e ? g_strndup(s + ne + 1, e - ne - 1) : NULL;
    bad = !span_attr(T, name, val, val ? ne + 1 : a, val ? e - ne - 1 : tag_len, &n);
    g_free(val);
  }
  if (T->depth + 1 > MAX_DEPTH) {
    merge_error(P, a, tag_len, TG_KIND_LIMIT, "markup.too-deep", "spans are nested too deeply");
    node_clear(&n);
    return;
  }
  T->depth++;
  const char *saved_family = T->family;
  int saved_weight = T->weight;
  if (!bad && n.attr.type == TG_ATTR_WEIGHT) T->weight = n.attr.u.weight;
  if (!bad && n.attr.type == TG_ATTR_FONT) T->family = n.attr.u.font;
  if (!bad && (n.attr.type == TG_ATTR_WEIGHT || n.attr.type == TG_ATTR_FONT))
    add_face(T, a, tag_len);
  char *owned = g_strdup(name);
  g_ptr_array_add(T->open, owned);
  term inner;
  n.kids = parse_seq(T, &inner);
  g_ptr_array_set_size(T->open, T->open->len - 1);
  T->family = saved_family;
  T->weight = saved_weight;
  T->depth--;
  bool closed_here = inner.kind == END_CLOSE && strcmp(inner.name, name) == 0;
  if (!closed_here && inner.kind != END_CLOSE && !bad) {
    merge_error(P, a, tag_len, TG_KIND_SYNTAX, "markup.unclosed",
                "'%.*s' is not closed with '[/%s]'%s", (int)tag_len, s + a, name,
                inner.kind == END_TEXT ? "" : _(" before the end of its {{#if}} branch"));
    if (inner.kind != END_TEXT) g_ptr_array_add(T->forgive, g_strdup(name));
  }
  if (!closed_here && inner.kind != END_TEXT) {
    *tm = inner; /* an enclosing span's close, or a control tag: stop there */
    *stop = true;
  }
  if (closed_here && !bad && P->ok)
    g_array_append_val(nodes, n);
  else
    node_clear(&n);
  /* the forgive list owns what it holds; the open stack only borrowed */
  bool kept = false;
  for (guint i = 0; i < T->forgive->len && !kept; i++)
    kept = g_ptr_array_index(T->forgive, i) == owned;
  if (!kept) g_free(owned);
}

/* A ruby group {base|reading} at T->pos (a '{' that does not start "{{"),
 * read by the one ruby-markup parser, of the ruby stage (tg_ruby_group_parse):
 * group and mono ruby, escapes, errors at the exact characters. */
static void parse_ruby(tparser *T, GArray *nodes) {
  mparser *P = T->P;
  size_t a = T->pos, end;
  tg_ruby_group *g = tg_ruby_group_parse(P->s, P->len, a, tg_text_locate, (void *)P->t, P->d, &end);
  if (!g) {
    P->ok = false;
    T->pos = end > a ? end : a + 1;
    return;
  }
  T->pos = end;
  size_t blen;
  const char *base = tg_ruby_group_get_base(g, &blen);
  /* spans go around ruby, never inside its base */
  for (size_t i = 0; i + 1 < blen; i++)
    if (base[i] == '[' && (g_ascii_isalpha(base[i + 1]) || base[i + 1] == '/')) {
      merge_error(P, tg_ruby_group_get_source_offset(g, i), 1, TG_KIND_SYNTAX, "ruby.span-inside",
                  "a span tag inside a ruby base: put the span around the ruby");
      tg_diag_hint(P->d, "write [b]{腎臓|じんぞう}[/b]");
      tg_ruby_group_free(g);
      return;
    }
  tnode n = {.kind = N_RUBY, .len = blen, .group_start = (uint32_t)a, .group_end = (uint32_t)end};
  n.text = g_strndup(base, blen);
  n.src = g_new(uint32_t, blen + 1);
  for (size_t i = 0; i < blen; i++)
    n.src[i] = (uint32_t)tg_ruby_group_get_source_offset(g, i);
  const tg_attrs *ruby = tg_ruby_group_get_attrs(g);
  n.ruby = g_array_new(FALSE, FALSE, sizeof(merge_ruby_span));
  for (size_t i = 0; i < ruby->n; i++) {
    merge_ruby_span sp = {ruby->v[i].start, ruby->v[i].end, g_strdup(ruby->v[i].u.ruby)};
    g_array_append_val(n.ruby, sp);
  }
  tg_ruby_group_free(g);
  g_array_append_val(nodes, n);
}

/* {{#if rule}} … at T->pos (just after the opening tag). */
static bool parse_if(tparser *T, size_t tag_off, size_t tag_len, size_t cs, size_t ce,
                     GArray *nodes) {
  mparser *P = T->P;
  GArray *brs = g_array_new(FALSE, TRUE, sizeof(branch));
  bool ok = true, has_else = false;
  g_ptr_array_add(T->open, NULL); /* spans cannot be closed across a branch */
  size_t c_start = cs, c_end = ce;
  for (;;) {
    branch b = {0};
    if (c_start != (size_t)-1) {
      b.cond = merge_cond_parse(P, c_start, c_end);
      if (!b.cond) ok = false;
    }
    term tm;
    b.body = parse_seq(T, &tm);
    g_array_append_val(brs, b);
    if (tm.kind == END_ENDIF) break;
    if (tm.kind == END_ELIF || tm.kind == END_ELSE) {
      if (has_else) {
        merge_error(P, tm.off, tm.len, TG_KIND_SYNTAX, "template.if",
                    "'%s' after '{{#else}}': the else branch must come last",
                    tm.kind == END_ELSE ? "{{#else}}" : "{{#elif}}");
        ok = false;
      }
      if (tm.kind == END_ELSE) {
        has_else = true;
        c_start = (size_t)-1;
      } else {
        c_start = tm.cond_start;
        c_end = tm.cond_end;
      }
      continue;
    }
    if (tm.kind == END_CLOSE)
      merge_error(P, tm.off, tm.len, TG_KIND_SYNTAX, "markup.mismatch",
                  "'[/%s]' closes a span opened outside this {{#if}}", tm.name);
    else
      merge_error(P, tag_off, tag_len, TG_KIND_SYNTAX, "template.if",
                  "'{{#if}}' is not closed with '{{/if}}'");
    ok = false;
    break;
  }
  g_ptr_array_set_size(T->open, T->open->len - 1);
  tnode n = {.kind = N_IF, .nbr = brs->len};
  n.br = (branch *)g_array_free(brs, FALSE);
  if (!ok) {
    node_clear(&n);
    return false;
  }
  g_array_append_val(nodes, n);
  return true;
}

/* Parse until the end of the text or a terminator (a control tag or a span's
 * closing tag), which is returned in *tm. */
static tseq parse_seq(tparser *T, term *tm) {
  mparser *P = T->P;
  const char *s = P->s;
  GArray *nodes = g_array_new(FALSE, TRUE, sizeof(tnode));
  litbuf litb = {g_string_new(NULL), g_array_new(FALSE, FALSE, sizeof(uint32_t))};
  litbuf *lit = &litb;
  memset(tm, 0, sizeof *tm);
  tm->kind = END_TEXT;
  while (T->pos < P->len) {
    size_t p = T->pos;
    char c = s[p];
    if (c == '{' && p + 1 < P->len && s[p + 1] == '{') {
      const char *close = strstr(s + p + 2, "}}");
      const char *reopen = strstr(s + p + 2, "{{");
      if (!close || (reopen && reopen < close)) {
        merge_error(P, p, 2, TG_KIND_SYNTAX, "template.unterminated",
                    "placeholder '{{' is not closed with '}}'");
        T->pos = p + 2;
        continue;
      }
      size_t inner = p + 2, end = (size_t)(close - s), after = end + 2;
      size_t q = inner;
      while (q < end && is_blank(s[q]))
        q++;
      bool ctl = false;
      end_kind ek = END_TEXT;
      size_t cs = 0;
      if (g_str_has_prefix(s + q, "#if") && q + 3 <= end && (q + 3 == end || is_blank(s[q + 3]))) {
        ctl = true;
        cs = q + 3;
      } else if (g_str_has_prefix(s + q, "#elif") && (q + 5 == end || is_blank(s[q + 5]))) {
        ctl = true;
        ek = END_ELIF;
        cs = q + 5;
      } else if (g_str_has_prefix(s + q, "#else")) {
        size_t r = q + 5;
        while (r < end && is_blank(s[r]))
          r++;
        if (r == end) ctl = true, ek = END_ELSE;
      } else if (g_str_has_prefix(s + q, "/if")) {
        size_t r = q + 3;
        while (r < end && is_blank(s[r]))
          r++;
        if (r == end) ctl = true, ek = END_ENDIF;
      }
      if (!ctl) {
        flush_text(lit, nodes);
        tnode n = {.kind = N_VALUE};
        if (merge_parse_value(P, inner, end, &n.val))
          g_array_append_val(nodes, n);
        else
          merge_operand_clear(&n.val);
        T->pos = after;
        continue;
      }
      size_t ls, resume = after;
      if (standalone(s, P->len, p, after, &ls, &resume)) {
        /* drop the blanks before the tag on its line */
        size_t drop = p - ls;
        if (drop <= lit->s->len) lit_truncate(lit, lit->s->len - drop);
      }
      flush_text(lit, nodes);
      T->pos = resume;
      if (ek == END_TEXT) {
        parse_if(T, p, after - p, cs, end, nodes);
        continue;
      }
      tm->kind = ek;
      tm->off = p;
      tm->len = after - p;
      tm->cond_start = cs;
      tm->cond_end = end;
      lit_free(lit);
      return finish_seq(nodes);
    }
    if (T->rich && c == '[') {
      if (p + 1 < P->len && s[p + 1] == '[') {
        lit_add(lit, "[", 1, p);
        T->pos = p + 2;
        continue;
      }
      if (p + 1 < P->len && (g_ascii_isalpha(s[p + 1]) || s[p + 1] == '/')) {
        flush_text(lit, nodes);
        bool stop = false;
        term ct;
        memset(&ct, 0, sizeof ct);
        parse_tag(T, nodes, &ct, &stop);
        if (stop) {
          *tm = ct;
          lit_free(lit);
          return finish_seq(nodes);
        }
        continue;
      }
    }
    if (T->rich && c == '{') {
      flush_text(lit, nodes);
      parse_ruby(T, nodes);
      continue;
    }
    if (T->rich && c == '}') {
      merge_error(P, p, 1, TG_KIND_SYNTAX, "ruby.stray-brace", "'}' without an opening '{'");
      tg_diag_hint(P->d, "write \\} for a literal brace");
      T->pos = p + 1;
      continue;
    }
    if (T->rich && tg_ruby_is_escape(s, P->len, p)) {
      lit_add(lit, s + p + 1, 1, p + 1);
      T->pos = p + 2;
      continue;
    }
    lit_add(lit, s + p, 1, p);
    T->pos = p + 1;
  }
  flush_text(lit, nodes);
  lit_free(lit);
  return finish_seq(nodes);
}

tseq merge_parse_text(mparser *P, bool rich, GArray *faces) {
  tparser T = {.P = P,
               .rich = rich,
               .faces = faces,
               .open = g_ptr_array_new(),
               .forgive = g_ptr_array_new_with_free_func(g_free)};
  term tm;
  tseq tree = parse_seq(&T, &tm);
  g_ptr_array_free(T.open, TRUE);
  g_ptr_array_free(T.forgive, TRUE);
  if (tm.kind == END_CLOSE)
    merge_error(P, tm.off, tm.len, TG_KIND_SYNTAX, "markup.mismatch", "'[/%s]' closes no open span",
                tm.name);
  else if (tm.kind != END_TEXT)
    merge_error(P, tm.off, tm.len, TG_KIND_SYNTAX, "template.if", "'%.*s' without '{{#if}}'",
                (int)tm.len, P->s + tm.off);
  return tree;
}
