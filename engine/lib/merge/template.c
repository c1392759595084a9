/* template.c — compiling design texts and merging rows into them.
 *
 * Each design text is parsed once into a small tree: literal text, values
 * (a column, a constant or a letter value, each with its filters),
 * conditionals ({{#if}} … {{#elif}} … {{#else}} … {{/if}}), and — in rich
 * texts — spans ([b], [u], [color=…], [size=…], [font=…]) and ruby
 * ({base|reading}).  Compile errors point at the exact characters in the
 * design file.  Texts that use no column and no letter value are evaluated
 * at compile time (static slots).  Per row, only the row-dependent slots of
 * the letter's variant and segment are evaluated, each into the letter's own
 * buffer; spans become tg_attr ranges over the merged bytes, so a span around
 * a placeholder covers whatever the value turned out to be.  Values are
 * copied as bytes and never interpreted: markup comes only from the design.
 *
 * A control tag alone on its line ({{#if …}}, {{#else}}, {{/if}}) takes its
 * line with it, so conditionals in a multi-line text leave no blank lines.
 *
 * Ruby: markup is read by the merge stage's one ruby parser (ruby_markup.c).
 * A text's `ruby:` mode decides the rest when it is compiled: `off` drops
 * the readings, `auto` annotates each run of literal text once with the
 * reading dictionary and MeCab (values are never annotated; the numbers
 * they print get counter readings per letter), and `{{氏名 | ruby: 氏名カナ}}`
 * gives a name its reading from the row.  Per letter the merge also records
 * which bytes came from which column, for the glyph preflight, and can print
 * a name no font can draw from its kana (tg_merge_set_kana_fallback).  The
 * easy-Japanese checks of a whole design (tg_merge_check_easy) are at the
 * end of the file.
 */
#include "merge/merge_private.h"

#include <stdarg.h>
#include <string.h>

#define MAX_VALUE_BYTES (64 * 1024)
#define MAX_DEPTH       32

/* ---- constants ------------------------------------------------------------ */

struct tg_values {
  GPtrArray *keys, *vals;
};

tg_values *tg_values_new(void) {
  tg_values *v = g_new0(tg_values, 1);
  v->keys = g_ptr_array_new_with_free_func(g_free);
  v->vals = g_ptr_array_new_with_free_func(g_free);
  return v;
}

void tg_values_set(tg_values *v, const char *key, const char *value) {
  for (guint i = 0; i < v->keys->len; i++)
    if (strcmp(g_ptr_array_index(v->keys, i), key) == 0) {
      g_free(v->vals->pdata[i]);
      v->vals->pdata[i] = g_strdup(value);
      return;
    }
  g_ptr_array_add(v->keys, g_strdup(key));
  g_ptr_array_add(v->vals, g_strdup(value));
}

const char *tg_values_get(const tg_values *v, const char *key) {
  if (!v) return NULL;
  for (guint i = 0; i < v->keys->len; i++)
    if (strcmp(g_ptr_array_index(v->keys, i), key) == 0) return g_ptr_array_index(v->vals, i);
  return NULL;
}

size_t tg_values_get_count(const tg_values *v) { return v ? v->keys->len : 0; }
const char *tg_values_get_key(const tg_values *v, size_t i) {
  return g_ptr_array_index(v->keys, i);
}

void tg_values_free(tg_values *v) {
  if (!v) return;
  g_ptr_array_free(v->keys, TRUE);
  g_ptr_array_free(v->vals, TRUE);
  g_free(v);
}

/* ---- compiled texts ---------------------------------------------------------- */

typedef enum { N_TEXT, N_VALUE, N_SPAN, N_RUBY, N_IF } node_kind;

typedef struct tnode tnode;
typedef struct {
  tnode *v;
  size_t n;
} tseq;

typedef struct {
  merge_cond *cond; /* NULL: {{#else}} */
  tseq body;
} branch;

struct tnode {
  node_kind kind;
  char *text; /* N_TEXT; N_RUBY: the base */
  size_t len;
  uint32_t *src; /* N_TEXT, N_RUBY: offset in the design text of each byte of text */
  /* N_TEXT, N_RUBY: merge_ruby_span over text — the markup's (N_RUBY) or
   * automatic furigana (N_TEXT, `ruby: auto`); NULL: none.  Automatic ruby
   * may run past the end of its node into the literal text that follows it
   * in the output (a word cut by a span tag). */
  GArray *ruby;
  uint32_t group_start, group_end; /* N_RUBY: the whole markup {…} in the design text */
  operand val;                     /* N_VALUE */
  tg_attr attr;                    /* N_SPAN: type and value */
  tseq kids;                       /* N_SPAN */
  branch *br;                      /* N_IF */
  size_t nbr;
};

typedef struct {
  bool compiled; /* false: a text no letter of this list can show */
  bool segment_rule;
  tseq tree;
  merge_cond *cond; /* TG_TEXT_CONDITION */
  bool is_static;
  char *static_value;
  tg_attrs static_attrs;
  GArray *faces; /* tg_face_request */
} slot;

static const tg_attrs NO_ATTRS = {0, NULL};

struct tg_merge {
  const tg_design *design;
  const char *const *columns;
  size_t ncols;
  slot *slots;
  size_t nslots;
  int *used_columns;
  uint64_t segment_mask;
  const char *list_type;
  int fixed_variant;
  int variant_col;
  const tg_furigana *furigana;  /* for `ruby: auto` (borrowed) */
  GStringChunk *static_strings; /* ruby made while evaluating static slots */
  tg_attr_list *static_scratch;
  bool uses_name_in_kana; /* some text reads letter.name-in-kana */
  /* unprintable names: print the kana column instead (-1: reject the row) */
  int kana_name_col, kana_kana_col;
  tg_can_draw_fn can_draw;
  void *can_draw_user;
};

const tg_design *merge_get_design(const tg_merge *m) { return m->design; }
const char *const *merge_get_columns(const tg_merge *m, size_t *n) {
  *n = m->ncols;
  return m->columns;
}

const merge_cond *merge_get_slot_cond(const tg_merge *m, int s) {
  if (s < 0 || (size_t)s >= m->nslots) return NULL;
  return m->slots[s].cond;
}

void merge_error(mparser *P, size_t off, size_t len, tg_diag_kind kind, const char *code,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  tg_diag_at(P->d, TG_ERROR, kind, code, tg_text_span(P->t, off, len ? len : 1), "%s", msg);
  g_free(msg);
  P->ok = false;
}

/* ---- operands ---------------------------------------------------------------------- */

void merge_operand_clear(operand *o) {
  g_free(o->text);
  g_free(o->ruby_kana);
  for (int i = 0; i < o->nfilters; i++)
    for (int k = 0; k < o->filters[i].nargs; k++)
      g_free(o->filters[i].args[k]);
  memset(o, 0, sizeof *o);
}

bool merge_operand_is_static(const operand *o) {
  return o->kind == OPD_TEXT || o->kind == OPD_NUMBER;
}

static void suggest_name(mparser *P, const char *name) {
  const tg_merge *m = P->m;
  size_t nconst = tg_values_get_count(P->constants);
  const char **cands = g_new(const char *, m->ncols + nconst + 8);
  size_t k = 0;
  for (size_t i = 0; i < m->ncols; i++)
    cands[k++] = m->columns[i];
  for (size_t i = 0; i < nconst; i++)
    cands[k++] = tg_values_get_key(P->constants, i);
  static const char *const LETTER[] = {"letter.id",      "letter.seq",          "letter.variant",
                                       "letter.segment", "letter.name-in-kana", "letter.arm",
                                       "page.number",    "page.count"};
  for (size_t i = 0; i < G_N_ELEMENTS(LETTER); i++)
    cands[k++] = LETTER[i];
  const char *s = tg_suggest(name, cands, k);
  if (s) tg_diag_hint(P->d, "did you mean '%s'?", s);
  g_free(cands);
}

bool merge_resolve_name(mparser *P, const char *name, size_t name_off, size_t name_len,
                        operand *o) {
  const tg_merge *m = P->m;
  size_t nlen = strlen(name);
  for (size_t i = 0; i < m->ncols; i++)
    if (strcmp(m->columns[i], name) == 0) {
      o->kind = OPD_FIELD;
      o->col = (int)i;
      o->text = g_strdup(name);
      o->len = nlen;
      return true;
    }
  const char *cv = tg_values_get(P->constants, name);
  if (cv) {
    o->kind = OPD_TEXT;
    o->text = g_strdup(cv);
    o->len = strlen(cv);
    return true;
  }
  /* in letter_value order */
  static const char *const LETTER[] = {"letter.id",      "letter.seq",          "letter.variant",
                                       "letter.segment", "letter.name-in-kana", "letter.arm"};
  for (size_t i = 0; i < G_N_ELEMENTS(LETTER); i++)
    if (strcmp(name, LETTER[i]) == 0) {
      if (P->t->kind == TG_TEXT_CONDITION && P->t->page == 0) {
        merge_error(P, name_off, name_len, TG_KIND_SCHEMA, "template.letter-value",
                    "'%s' is not known yet when a segment is chosen", name);
        return false;
      }
      o->kind = OPD_LETTER;
      o->lv = (letter_value)i;
      if (o->lv == LV_NAME_IN_KANA) P->uses_name_in_kana = true;
      o->text = g_strdup(name);
      o->len = nlen;
      return true;
    }
  if (strcmp(name, "page.number") == 0 || strcmp(name, "page.count") == 0) {
    if (P->t->page == 0) {
      merge_error(P, name_off, name_len, TG_KIND_SCHEMA, "template.page-value",
                  "'%s' is only known in blocks on a page", name);
      return false;
    }
    char buf[32];
    g_snprintf(buf, sizeof buf, "%d", name[5] == 'n' ? P->t->page : (int)m->design->npages);
    o->kind = OPD_TEXT;
    o->text = g_strdup(buf);
    o->len = strlen(buf);
    return true;
  }
  bool reserved = g_str_has_prefix(name, "letter.") || g_str_has_prefix(name, "page.");
  if (!m->columns && !reserved) {
    /* no list known: accept the name unchecked (checked again with data) */
    o->kind = OPD_FIELD;
    o->col = -1;
    o->text = g_strdup(name);
    o->len = nlen;
    return true;
  }
  tg_diag_at(P->d, TG_ERROR, TG_KIND_SCHEMA, "template.unknown-field",
             tg_text_span(P->t, name_off, name_len),
             reserved ? "unknown value '%s'"
             : strchr(name, '.')
                 ? "unknown value '%s': not a column of the list nor a value of the job"
                 : "unknown field '%s': the list has no such column",
             name);
  suggest_name(P, name);
  P->ok = false;
  return false;
}

static void skip_ws(mparser *P, size_t *pos, size_t end) {
  while (*pos < end && (P->s[*pos] == ' ' || P->s[*pos] == '\t' || P->s[*pos] == '\n'))
    (*pos)++;
}

/* A quoted argument or operand: "..." with \" and \\ escapes. */
static char *parse_quoted(mparser *P, size_t *pos, size_t end) {
  size_t start = (*pos)++;
  GString *out = g_string_new(NULL);
  while (*pos < end && P->s[*pos] != '"') {
    if (P->s[*pos] == '\\' && *pos + 1 < end) (*pos)++;
    g_string_append_c(out, P->s[(*pos)++]);
  }
  if (*pos >= end) {
    merge_error(P, start, end - start, TG_KIND_SYNTAX, "template.unterminated-string",
                "unterminated quoted text");
    g_string_free(out, TRUE);
    return NULL;
  }
  (*pos)++;
  return g_string_free(out, FALSE);
}

/* Name up to one of the stop characters, trimmed. */
static char *parse_name(mparser *P, size_t *pos, size_t end, const char *stops, size_t *name_off,
                        size_t *name_len) {
  skip_ws(P, pos, end);
  size_t a = *pos;
  while (*pos < end && !strchr(stops, P->s[*pos]))
    (*pos)++;
  size_t b = *pos;
  while (b > a && (P->s[b - 1] == ' ' || P->s[b - 1] == '\t' || P->s[b - 1] == '\n'))
    b--;
  *name_off = a;
  *name_len = b - a;
  return g_strndup(P->s + a, b - a);
}

static bool check_filter_args(mparser *P, const tg_filter_def *def, filter_call *fc, size_t foff,
                              size_t flen) {
  if (fc->nargs < def->min_args || fc->nargs > def->max_args) {
    if (def->min_args == def->max_args)
      merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.filter-args",
                  "filter '%s' takes %d argument%s, not %d", def->name, def->min_args,
                  def->min_args == 1 ? "" : "s", fc->nargs);
    else
      merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.filter-args",
                  "filter '%s' takes %d to %d arguments, not %d", def->name, def->min_args,
                  def->max_args, fc->nargs);
    return false;
  }
  if (def->arg_words && fc->nargs > 0) {
    bool found = false;
    for (const char *const *w = def->arg_words; *w && !found; w++)
      found = strcmp(*w, fc->args[0]) == 0;
    if (!found) {
      GString *list = g_string_new(NULL);
      size_t n = 0;
      for (const char *const *w = def->arg_words; *w; w++, n++)
        g_string_append_printf(list, "%s%s", list->len ? ", " : "", *w);
      merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.filter-args",
                  "filter '%s' takes one of: %s", def->name, list->str);
      const char *s = tg_suggest(fc->args[0], def->arg_words, n);
      if (s) tg_diag_hint(P->d, "did you mean '%s:%s'?", def->name, s);
      g_string_free(list, TRUE);
      return false;
    }
  }
  if (strcmp(def->name, "number") == 0 && fc->nargs == 1) {
    double v;
    if (!tg_parse_number(fc->args[0], &v) || v < 0 || v > 6 || v != (double)(long)v) {
      merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.filter-args",
                  "filter 'number' takes the number of decimals, 0 to 6");
      return false;
    }
  }
  return true;
}

/* Parse a value "operand | filter:args | …" between pos and end. */
/* `ruby: カナ列` after a name: check where it stands and resolve its column. */
static bool check_ruby_filter(mparser *P, operand *o, size_t foff, size_t flen) {
  filter_call *fc = &o->filters[o->nfilters - 1];
  if (o->ruby_filter >= 0) {
    merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.ruby-filter",
                "a value can have only one 'ruby' filter");
    return false;
  }
  if (P->t->kind != TG_TEXT_RICH) {
    merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.ruby-filter",
                "'ruby' gives a name its reading, which only texts set as text can show");
    return false;
  }
  if (o->kind != OPD_FIELD) {
    merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.ruby-filter",
                "'ruby' gives ruby to a column of the list (a name), not to '%s'", o->text);
    return false;
  }
  o->ruby_filter = o->nfilters - 1;
  o->ruby_kana = g_strdup(fc->args[0]);
  const tg_merge *m = P->m;
  if (!m->columns) return true; /* no list known yet: checked with the data */
  for (size_t i = 0; i < m->ncols; i++)
    if (strcmp(m->columns[i], fc->args[0]) == 0) o->ruby_col = (int)i;
  if (o->ruby_col < 0) {
    merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.unknown-field",
                "unknown field '%s': the list has no such column for the kana", fc->args[0]);
    const char *sug = tg_suggest(fc->args[0], m->columns, m->ncols);
    if (sug) tg_diag_hint(P->d, "did you mean 'ruby: %s'?", sug);
    return false;
  }
  return true;
}

static bool parse_value(mparser *P, size_t pos, size_t end, operand *o) {
  skip_ws(P, &pos, end);
  memset(o, 0, sizeof *o);
  o->ruby_filter = o->ruby_col = -1;
  o->off = pos;
  if (pos < end && P->s[pos] == '"') {
    char *q = parse_quoted(P, &pos, end);
    if (!q) return false;
    o->kind = OPD_TEXT;
    o->text = q;
    o->len = strlen(q);
    o->olen = pos - o->off;
  } else {
    size_t noff, nlen;
    char *name = parse_name(P, &pos, end, "|", &noff, &nlen);
    if (nlen == 0) {
      merge_error(P, noff >= 2 ? noff - 2 : 0, 4, TG_KIND_SYNTAX, "template.empty",
                  "empty placeholder {{ }}");
      g_free(name);
      return false;
    }
    if (name[0] == '#' || name[0] == '/') {
      static const char *const TAGS[] = {"#if", "#elif", "#else", "/if"};
      merge_error(P, noff, nlen, TG_KIND_SYNTAX, "template.unknown-tag",
                  "unknown template tag '{{%s}}'", name);
      char *word = g_strndup(name, strcspn(name, " "));
      const char *s = tg_suggest(word, TAGS, G_N_ELEMENTS(TAGS));
      if (s) tg_diag_hint(P->d, "did you mean '%s'?", s);
      g_free(word);
      g_free(name);
      return false;
    }
    bool ok = merge_resolve_name(P, name, noff, nlen, o);
    o->off = noff;
    o->olen = nlen;
    g_free(name);
    if (!ok) return false;
  }
  skip_ws(P, &pos, end);
  while (pos < end && P->s[pos] == '|') {
    pos++;
    size_t foff, flen;
    char *fname = parse_name(P, &pos, end, "|:", &foff, &flen);
    const tg_filter_def *def = tg_filter_find(fname);
    if (!def) {
      tg_diag_at(P->d, TG_ERROR, TG_KIND_SCHEMA, "template.unknown-filter",
                 tg_text_span(P->t, foff, flen ? flen : 1), "unknown filter '%s'", fname);
      size_t nf;
      const tg_filter_def *all = tg_filter_list(&nf);
      const char **names = g_new(const char *, nf);
      for (size_t i = 0; i < nf; i++)
        names[i] = all[i].name;
      const char *s = tg_suggest(fname, names, nf);
      if (s) tg_diag_hint(P->d, "did you mean '%s'?", s);
      g_free(names);
      g_free(fname);
      P->ok = false;
      return false;
    }
    g_free(fname);
    if (o->nfilters >= MERGE_MAX_FILTERS) {
      merge_error(P, foff, flen, TG_KIND_LIMIT, "template.too-many-filters", "more than %d filters",
                  MERGE_MAX_FILTERS);
      return false;
    }
    filter_call *fc = &o->filters[o->nfilters++];
    fc->def = def;
    if (pos < end && P->s[pos] == ':') {
      do {
        pos++;
        skip_ws(P, &pos, end);
        char *arg;
        if (pos < end && P->s[pos] == '"') {
          arg = parse_quoted(P, &pos, end);
          if (!arg) return false;
        } else {
          size_t aoff, alen;
          arg = parse_name(P, &pos, end, ",|", &aoff, &alen);
        }
        if (fc->nargs >= MERGE_MAX_ARGS) {
          g_free(arg);
          fc->nargs++;
          continue;
        }
        fc->args[fc->nargs++] = arg;
        skip_ws(P, &pos, end);
      } while (pos < end && P->s[pos] == ',');
      if (fc->nargs > MERGE_MAX_ARGS) fc->nargs = MERGE_MAX_ARGS + 1;
    }
    if (fc->nargs > MERGE_MAX_ARGS) {
      fc->nargs = MERGE_MAX_ARGS;
      merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.filter-args",
                  "filter '%s' takes at most %d arguments", def->name, def->max_args);
      return false;
    }
    if (!check_filter_args(P, def, fc, foff, flen)) return false;
    if (strcmp(def->name, "ruby") == 0 && !check_ruby_filter(P, o, foff, flen)) return false;
    if (o->ruby_filter >= 0 && o->ruby_filter < o->nfilters - 1 &&
        strcmp(def->name, "honorific") != 0 && strcmp(def->name, "trim") != 0) {
      merge_error(P, foff, flen, TG_KIND_SCHEMA, "template.ruby-filter",
                  "'%s' after 'ruby' would change the name its ruby belongs to", def->name);
      tg_diag_hint(P->d, "put '%s' before 'ruby'; only honorific and trim may follow it",
                   def->name);
      return false;
    }
    skip_ws(P, &pos, end);
  }
  return true;
}

static bool apply_filters(const operand *o, const char *in, size_t len, GString *out,
                          GString *at_ruby, const char **why) {
  if (o->nfilters == 0) {
    g_string_append_len(out, in, (gssize)len);
    return true;
  }
  GString *a = g_string_new_len(in, (gssize)len), *b = g_string_new(NULL);
  bool ok = true;
  for (int i = 0; i < o->nfilters && ok; i++) {
    g_string_truncate(b, 0);
    ok = o->filters[i].def->fn(a->str, a->len, (const char *const *)o->filters[i].args,
                               o->filters[i].nargs, b, why);
    GString *t = a;
    a = b;
    b = t;
    if (ok && at_ruby && i == o->ruby_filter) {
      g_string_truncate(at_ruby, 0);
      g_string_append_len(at_ruby, a->str, (gssize)a->len);
    }
  }
  if (ok) g_string_append_len(out, a->str, (gssize)a->len);
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
  return ok;
}

bool merge_operand_value(const operand *o, const merge_env *E, GString *out, GString *at_ruby) {
  const char *v = "";
  size_t n = 0;
  char buf[32];
  switch (o->kind) {
  case OPD_FIELD:
    if (E->subst && o->col == E->subst_col) {
      v = E->subst; /* the name in kana: no font can draw the registered one */
      n = E->subst_len;
    } else if (E->row && o->col >= 0 && (size_t)o->col < E->row->nfields) {
      v = E->row->fields[o->col];
      n = E->row->lengths[o->col];
    }
    break;
  case OPD_TEXT:
  case OPD_NUMBER:
    v = o->text;
    n = o->len;
    break;
  case OPD_LETTER:
    if (E->letter) {
      switch (o->lv) {
      case LV_ID: v = E->letter->id; break;
      case LV_SEQ:
        g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, E->letter->seq);
        v = buf;
        break;
      case LV_VARIANT: v = E->letter->variant_name ? E->letter->variant_name : ""; break;
      case LV_SEGMENT: v = E->letter->segment_name ? E->letter->segment_name : ""; break;
      case LV_NAME_IN_KANA: v = E->letter->name_in_kana ? "1" : ""; break;
      case LV_ARM: v = E->letter->arm_name ? E->letter->arm_name : ""; break;
      }
      n = strlen(v);
    }
    break;
  }
  const char *why = NULL;
  if (apply_filters(o, v, n, out, at_ruby, &why)) return true;
  if (o->kind == OPD_FIELD && E->row)
    tg_diag_row(E->d, TG_ERROR, TG_KIND_DATA, "data.format", E->list_path, E->row->number, o->text,
                "the value %s", why ? why : "cannot be formatted");
  else if (E->row)
    tg_diag_row(E->d, TG_ERROR, TG_KIND_DATA, "data.format", E->list_path, E->row->number, NULL,
                "the value of '%s' %s", o->text, why ? why : "cannot be formatted");
  else
    tg_diag_at(E->d, TG_ERROR, TG_KIND_SCHEMA, "template.filter-failed",
               tg_text_span(E->t, o->off, o->olen), "this value %s",
               why ? why : "cannot be formatted");
  return false;
}

/* ---- parsing texts ------------------------------------------------------------------ */

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

static void seq_free(tseq *s);

static void ruby_spans_free(GArray *a) {
  if (!a) return;
  for (guint i = 0; i < a->len; i++)
    g_free(g_array_index(a, merge_ruby_span, i).reading);
  g_array_free(a, TRUE);
}

static void node_clear(tnode *n) {
  g_free(n->text);
  g_free(n->src);
  ruby_spans_free(n->ruby);
  merge_operand_clear(&n->val);
  if (n->kind == N_SPAN && n->attr.type == TG_ATTR_FONT) g_free((char *)n->attr.u.font);
  seq_free(&n->kids);
  for (size_t i = 0; i < n->nbr; i++) {
    merge_cond_free(n->br[i].cond);
    seq_free(&n->br[i].body);
  }
  g_free(n->br);
}

static void seq_free(tseq *s) {
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
                inner.kind == END_TEXT ? "" : " before the end of its {{#if}} branch");
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
 * read by the one ruby-markup parser of the merge stage (ruby_markup.c):
 * group and mono ruby, escapes, errors at the exact characters. */
static void parse_ruby(tparser *T, GArray *nodes) {
  mparser *P = T->P;
  size_t a = T->pos, end;
  merge_ruby_group g;
  if (!merge_ruby_parse_group(P->s, P->len, a, tg_text_locate, (void *)P->t, P->d, &g, &end)) {
    P->ok = false;
    T->pos = end > a ? end : a + 1;
    return;
  }
  T->pos = end;
  /* spans go around ruby, never inside its base */
  for (size_t i = 0; i + 1 < g.base->len; i++)
    if (g.base->str[i] == '[' &&
        (g_ascii_isalpha(g.base->str[i + 1]) || g.base->str[i + 1] == '/')) {
      size_t at = g_array_index(g.base_src, size_t, i);
      merge_error(P, at, 1, TG_KIND_SYNTAX, "ruby.span-inside",
                  "a span tag inside a ruby base: put the span around the ruby");
      tg_diag_hint(P->d, "write [b]{腎臓|じんぞう}[/b]");
      merge_ruby_group_clear(&g);
      return;
    }
  tnode n = {
      .kind = N_RUBY, .len = g.base->len, .group_start = (uint32_t)a, .group_end = (uint32_t)end};
  n.text = g_strndup(g.base->str, g.base->len);
  n.src = g_new(uint32_t, g.base->len + 1);
  for (size_t i = 0; i < g.base->len; i++)
    n.src[i] = (uint32_t)g_array_index(g.base_src, size_t, i);
  n.ruby = g.ruby;
  g.ruby = NULL;
  merge_ruby_group_clear(&g);
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
        if (parse_value(P, inner, end, &n.val))
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
    if (T->rich && merge_ruby_is_escape(s, P->len, p)) {
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

/* ---- evaluating texts ------------------------------------------------------------------- */

typedef struct {
  tg_attr a;
  int depth;
} raw_span;

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
static void flatten(const GArray *spans, GArray *out) {
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

static bool seq_is_static(const tseq *s);

static bool node_is_static(const tnode *n) {
  switch (n->kind) {
  case N_TEXT:
  case N_RUBY: return true;
  case N_VALUE: return merge_operand_is_static(&n->val);
  case N_SPAN: return seq_is_static(&n->kids);
  case N_IF:
    for (size_t i = 0; i < n->nbr; i++)
      if ((n->br[i].cond && !merge_cond_is_static(n->br[i].cond)) || !seq_is_static(&n->br[i].body))
        return false;
    return true;
  }
  return true;
}

static bool seq_is_static(const tseq *s) {
  for (size_t i = 0; i < s->n; i++)
    if (!node_is_static(&s->v[i])) return false;
  return true;
}

static void seq_columns(const tseq *s, bool *used, size_t ncols);

static void node_columns(const tnode *n, bool *used, size_t ncols) {
  if (n->kind == N_VALUE && n->val.kind == OPD_FIELD && n->val.col >= 0 &&
      (size_t)n->val.col < ncols)
    used[n->val.col] = true;
  seq_columns(&n->kids, used, ncols);
  for (size_t i = 0; i < n->nbr; i++) {
    merge_cond_columns(n->br[i].cond, used, ncols);
    seq_columns(&n->br[i].body, used, ncols);
  }
}

static void seq_columns(const tseq *s, bool *used, size_t ncols) {
  for (size_t i = 0; i < s->n; i++)
    node_columns(&s->v[i], used, ncols);
}

/* Evaluate a slot for E into out/spans (cleared first); sources (may be
 * NULL) receives the ranges that came from columns. */
static bool eval_slot(const slot *sl, const merge_env *E, GString *out, GArray *spans,
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

/* ---- ruby modes ---------------------------------------------------------------------------- */

/* `ruby: off`: the markup has been read; its readings go. */
static void strip_ruby(tseq *s) {
  for (size_t i = 0; i < s->n; i++) {
    tnode *n = &s->v[i];
    ruby_spans_free(n->ruby);
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
  if (A->nodes->len && A->ok && merge_has_kanji(A->buf->str, A->buf->len)) {
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
    tparser T = {.P = &P,
                 .rich = t->kind == TG_TEXT_RICH,
                 .faces = sl->faces,
                 .open = g_ptr_array_new(),
                 .forgive = g_ptr_array_new_with_free_func(g_free)};
    term tm;
    sl->tree = parse_seq(&T, &tm);
    g_ptr_array_free(T.open, TRUE);
    g_ptr_array_free(T.forgive, TRUE);
    if (tm.kind == END_CLOSE)
      merge_error(&P, tm.off, tm.len, TG_KIND_SYNTAX, "markup.mismatch",
                  "'[/%s]' closes no open span", tm.name);
    else if (tm.kind != END_TEXT)
      merge_error(&P, tm.off, tm.len, TG_KIND_SYNTAX, "template.if", "'%.*s' without '{{#if}}'",
                  (int)tm.len, t->text + tm.off);
    sl->is_static = seq_is_static(&sl->tree);
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
    eval_slot(sl, &E, out, spans, NULL);
    GArray *attrs = g_array_new(FALSE, FALSE, sizeof(tg_attr));
    flatten(spans, attrs);
    sl->static_attrs.n = attrs->len;
    sl->static_attrs.v = (const tg_attr *)g_array_free(attrs, attrs->len == 0);
    sl->static_value = g_string_free(out, FALSE);
    g_array_free(spans, TRUE);
  }
}

static void slot_clear(slot *sl) {
  seq_free(&sl->tree);
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
  m->kana_name_col = m->kana_kana_col = -1;
  m->static_strings = g_string_chunk_new(256);
  m->static_scratch = tg_attr_list_new();
  m->design = design;
  m->columns = columns;
  m->ncols = columns ? ncols : 0;
  m->nslots = design->ntexts;
  m->slots = g_new0(slot, m->nslots + 1);
  m->variant_col = -1;
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
    seq_columns(&m->slots[i].tree, used, m->ncols);
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
  if (!tg_merge_slot_is_static(m, slot_no)) return &NO_ATTRS;
  return &m->slots[slot_no].static_attrs;
}

const int *tg_merge_get_used_columns(const tg_merge *m) { return m->used_columns; }

const tg_face_request *tg_merge_get_face_requests(const tg_merge *m, int slot_no, size_t *n) {
  *n = 0;
  if (slot_no < 0 || (size_t)slot_no >= m->nslots || !m->slots[slot_no].faces) return NULL;
  *n = m->slots[slot_no].faces->len;
  return (const tg_face_request *)m->slots[slot_no].faces->data;
}

/* ---- variants and segments ---------------------------------------------------------------- */

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

/* ---- unprintable names -------------------------------------------------------------------- */

static int column_index(const tg_merge *m, const char *name) {
  for (size_t i = 0; i < m->ncols; i++)
    if (strcmp(m->columns[i], name) == 0) return (int)i;
  return -1;
}

bool tg_merge_set_kana_fallback(tg_merge *m, const char *name_column, const char *kana_column,
                                tg_can_draw_fn can_draw, void *user, tg_span at, tg_diag *d) {
  int nc = column_index(m, name_column), kc = column_index(m, kana_column);
  bool ok = true;
  if (m->columns && (nc < 0 || kc < 0)) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.name-columns", at,
               "unprintable-names: kana needs the columns %s and %s in the list", name_column,
               kana_column);
    ok = false;
  }
  if (!m->uses_name_in_kana) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.name-note-missing", at,
               "unprintable-names: kana prints a name in kana, but %s never tells the reader",
               m->design->path);
    tg_diag_hint(d, "add {{#if letter.name-in-kana}}※お名前の一部を表示できない文字があります"
                    "{{/if}} near the name");
    ok = false;
  }
  if (!ok) return false;
  m->kana_name_col = nc;
  m->kana_kana_col = kc;
  m->can_draw = can_draw;
  m->can_draw_user = user;
  return true;
}

/* Is this row's name unprintable, with kana to print instead?  Then the
 * kana goes to `out` and the row gets a warning naming the code point. */
static bool kana_name_for(const tg_merge *m, const tg_row *row, const char *list_path, GString *out,
                          tg_diag *d) {
  if (m->kana_name_col < 0 || m->kana_kana_col < 0 || !m->can_draw ||
      (size_t)m->kana_name_col >= row->nfields || (size_t)m->kana_kana_col >= row->nfields)
    return false;
  const char *name = row->fields[m->kana_name_col];
  size_t nlen = row->lengths[m->kana_name_col];
  uint32_t cp = 0, vs = 0;
  if (m->can_draw(m->can_draw_user, name, nlen, &cp, &vs)) return false;
  const char *kana = row->fields[m->kana_kana_col];
  size_t klen = row->lengths[m->kana_kana_col];
  merge_trim(&kana, &klen);
  /* usable kana: kana and the spaces between its parts */
  GString *bare = g_string_new(NULL);
  for (size_t i = 0; i < klen;) {
    uint32_t c;
    size_t at = i;
    i += (size_t)tg_utf8_decode(kana + i, klen - i, &c);
    if (c != ' ' && c != 0x3000) g_string_append_len(bare, kana + at, (gssize)(i - at));
  }
  bool usable = merge_is_kana_text(bare->str, bare->len);
  g_string_free(bare, TRUE);
  if (!usable) return false; /* the glyph preflight rejects the row */
  g_string_truncate(out, 0);
  merge_kana_to_katakana(kana, klen, out);
  const char *ncol = m->columns[m->kana_name_col], *kcol = m->columns[m->kana_kana_col];
  if (vs)
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "data.name-in-kana", list_path, row->number, ncol,
                "U+%04X with variation selector U+%04X in %s cannot be drawn: the letter prints "
                "%s instead",
                cp, vs, ncol, kcol);
  else
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "data.name-in-kana", list_path, row->number, ncol,
                "U+%04X in %s cannot be drawn: the letter prints %s instead", cp, ncol, kcol);
  return true;
}

/* ---- letters ------------------------------------------------------------------------------- */

typedef struct {
  tg_letter pub;
  GString *buf;       /* all row-dependent values, NUL separated */
  size_t *offsets;    /* per slot offset into buf */
  GArray *attrs;      /* tg_attr of every row-dependent slot */
  size_t *attr_first; /* per slot: first index in attrs */
  tg_attrs *dyn;      /* per slot, for row-dependent ones */
  GString *scratch;
  GArray *spans;
  GArray *sources;      /* tg_value_source of every row-dependent slot */
  size_t *source_first; /* per slot: first index in sources */
  size_t *source_count;
  GArray *slot_sources;  /* scratch for one slot */
  GStringChunk *strings; /* ruby made from the row (names' kana) */
  tg_attr_list *name_ruby;
  GString *kana_name; /* the name in kana, when it is printed so */
} letter_impl;

tg_letter *tg_letter_new(const tg_merge *m) {
  letter_impl *li = g_new0(letter_impl, 1);
  li->pub.nvalues = m->nslots;
  li->pub.values = g_new0(const char *, m->nslots + 1);
  li->pub.attrs = g_new0(const tg_attrs *, m->nslots + 1);
  li->pub.segment = -1;
  li->pub.variant_name = m->design->variants[0];
  for (size_t i = 0; i < m->nslots; i++)
    li->pub.attrs[i] = tg_merge_get_static_attrs(m, (int)i);
  li->offsets = g_new0(size_t, m->nslots + 1);
  li->attr_first = g_new0(size_t, m->nslots + 1);
  li->dyn = g_new0(tg_attrs, m->nslots + 1);
  li->buf = g_string_sized_new(4096);
  li->attrs = g_array_new(FALSE, FALSE, sizeof(tg_attr));
  li->scratch = g_string_sized_new(1024);
  li->spans = g_array_new(FALSE, FALSE, sizeof(raw_span));
  li->sources = g_array_new(FALSE, FALSE, sizeof(tg_value_source));
  li->slot_sources = g_array_new(FALSE, FALSE, sizeof(tg_value_source));
  li->source_first = g_new0(size_t, m->nslots + 1);
  li->source_count = g_new0(size_t, m->nslots + 1);
  li->strings = g_string_chunk_new(1024);
  li->name_ruby = tg_attr_list_new();
  li->kana_name = g_string_new(NULL);
  for (size_t i = 0; i < m->nslots; i++)
    li->pub.values[i] = tg_merge_slot_is_static(m, (int)i) ? tg_merge_get_static(m, (int)i) : "";
  return &li->pub;
}

void tg_letter_free(tg_letter *l) {
  if (!l) return;
  letter_impl *li = (letter_impl *)l;
  g_free((gpointer)li->pub.values);
  g_free((gpointer)li->pub.attrs);
  g_free(li->offsets);
  g_free(li->attr_first);
  g_free(li->dyn);
  g_string_free(li->buf, TRUE);
  g_string_free(li->scratch, TRUE);
  g_array_free(li->attrs, TRUE);
  g_array_free(li->spans, TRUE);
  g_array_free(li->sources, TRUE);
  g_array_free(li->slot_sources, TRUE);
  g_free(li->source_first);
  g_free(li->source_count);
  g_string_chunk_free(li->strings);
  tg_attr_list_free(li->name_ruby);
  g_string_free(li->kana_name, TRUE);
  g_free(li);
}

/* Is slot i shown at all for this letter (variant, segment and the rules
 * guarding it, which come earlier in slot order)? */
static bool slot_wanted(const tg_merge *m, const tg_letter *l, size_t i) {
  const tg_text *t = m->design->texts[i];
  if (!((t->variants >> l->variant) & 1)) return false;
  if (l->segment >= 0 && !((t->segments >> l->segment) & 1)) return false;
  return true;
}

/* The rule guarding a text (its block's `when:`, a table row's `when:`)
 * holds?  Guards come before the texts they guard in slot order. */
static bool guard_holds(const tg_merge *m, const letter_impl *li, int g) {
  if (g < 0) return true;
  if (tg_merge_slot_is_static(m, g)) return tg_merge_get_static(m, g)[0] != '\0';
  return li->offsets[g] != SIZE_MAX && li->buf->str[li->offsets[g]] != '\0';
}

bool tg_merge_row(const tg_merge *m, const tg_row *row, const char *list_path, tg_letter *l,
                  tg_diag *d) {
  letter_impl *li = (letter_impl *)l;
  l->row = row;
  l->list_path = list_path;
  g_string_truncate(li->buf, 0);
  g_array_set_size(li->attrs, 0);
  g_array_set_size(li->sources, 0);
  memset(li->source_count, 0, m->nslots * sizeof *li->source_count);
  g_string_chunk_clear(li->strings);
  if (!tg_merge_choose(m, row, list_path, &l->variant, &l->segment, d)) return false;
  const tg_design *ds = m->design;
  l->variant_name = ds->variants[l->variant];
  l->segment_name = l->segment >= 0 ? ds->segments[l->segment].name : NULL;
  bool ok = true;
  merge_env E = {.m = m,
                 .row = row,
                 .letter = l,
                 .list_path = list_path,
                 .d = d,
                 .strings = li->strings,
                 .scratch = li->name_ruby,
                 .subst_col = -1};
  l->name_in_kana = kana_name_for(m, row, list_path, li->kana_name, d);
  if (l->name_in_kana) {
    E.subst_col = m->kana_name_col;
    E.subst = li->kana_name->str;
    E.subst_len = li->kana_name->len;
  }
  for (size_t i = 0; i < m->nslots; i++) {
    const slot *sl = &m->slots[i];
    li->offsets[i] = SIZE_MAX;
    if (tg_merge_slot_is_static(m, (int)i) || sl->segment_rule || !slot_wanted(m, l, i) ||
        !guard_holds(m, li, ds->texts[i]->guard))
      continue;
    E.t = ds->texts[i];
    if (!eval_slot(sl, &E, li->scratch, li->spans, li->slot_sources)) {
      ok = false;
      continue;
    }
    if (li->scratch->len > MAX_VALUE_BYTES) {
      tg_diag_row(d, TG_ERROR, TG_KIND_LIMIT, "data.text-too-long", list_path, row->number, NULL,
                  "a merged text is longer than %d bytes", MAX_VALUE_BYTES);
      ok = false;
      continue;
    }
    li->offsets[i] = li->buf->len;
    g_string_append_len(li->buf, li->scratch->str, (gssize)li->scratch->len);
    g_string_append_c(li->buf, '\0');
    li->attr_first[i] = li->attrs->len;
    flatten(li->spans, li->attrs);
    li->dyn[i].n = li->attrs->len - li->attr_first[i];
    li->source_first[i] = li->sources->len;
    li->source_count[i] = li->slot_sources->len;
    g_array_append_vals(li->sources, li->slot_sources->data, li->slot_sources->len);
  }
  /* the buffers may have moved while growing: set pointers last */
  for (size_t i = 0; i < m->nslots; i++) {
    if (tg_merge_slot_is_static(m, (int)i)) continue;
    if (li->offsets[i] == SIZE_MAX) {
      l->values[i] = "";
      l->attrs[i] = &NO_ATTRS;
      continue;
    }
    l->values[i] = li->buf->str + li->offsets[i];
    /* no attributes at all: the array has no storage (NULL + 0 is undefined) */
    li->dyn[i].v = li->dyn[i].n ? (const tg_attr *)li->attrs->data + li->attr_first[i] : NULL;
    l->attrs[i] = &li->dyn[i];
  }
  return ok;
}

const tg_value_source *tg_letter_get_sources(const tg_letter *l, int slot_no, size_t *n) {
  const letter_impl *li = (const letter_impl *)l;
  *n = 0;
  if (slot_no < 0 || (size_t)slot_no >= l->nvalues || !li->source_count[slot_no]) return NULL;
  *n = li->source_count[slot_no];
  return (const tg_value_source *)li->sources->data + li->source_first[slot_no];
}

/* ---- easy-Japanese checks ---------------------------------------------------------------------
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
    flatten(V.spans, attrs);
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
