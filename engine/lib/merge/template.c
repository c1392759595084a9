/* template.c — compiling design texts and merging rows into them.
 *
 * Each design text is parsed once into a list of operations: literal text, a
 * column reference, or a constant, each with its chain of filters.  Compile
 * errors point at the exact characters of the placeholder in the design file.
 * Texts that use no column are evaluated at compile time (static slots); the
 * per-row work is then only the row-dependent slots, appended into the
 * letter's own buffer.  Values are copied as bytes and never interpreted.
 */
#include "merge/merge_private.h"

#include <string.h>

#define MAX_FILTERS 8
#define MAX_ARGS 4
#define MAX_VALUE_BYTES (64 * 1024)

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

/* ---- compiled templates ---------------------------------------------------- */

typedef enum { OP_LIT, OP_FIELD, OP_CONST } op_kind;

typedef struct {
  const tg_filter_def *def;
  char *args[MAX_ARGS];
  int nargs;
} filter_call;

typedef struct {
  op_kind kind;
  char *text; /* literal, constant value, or field name */
  size_t len;
  int col;
  filter_call filters[MAX_FILTERS];
  int nfilters;
} op;

typedef struct {
  op *ops;
  size_t nops;
  bool is_static;
  char *static_value;
  tg_attrs static_attrs;
} slot;

static const tg_attrs NO_ATTRS = {0, NULL};

struct tg_merge {
  const tg_design *design;
  const char *const *columns;
  size_t ncols;
  slot *slots;
  size_t nslots;
  int *used_columns;
};

typedef struct {
  const tg_text *t;
  const char *s; /* the text */
  size_t pos, len;
  tg_diag *d;
  bool ok;
} parser;

static void perr(parser *P, size_t off, size_t len, const char *code, const char *msg) {
  tg_diag_at(P->d, TG_ERROR, TG_KIND_SYNTAX, code, tg_text_span(P->t, off, len ? len : 1), "%s",
             msg);
  P->ok = false;
}

static void skip_ws(parser *P, size_t end) {
  while (P->pos < end && (P->s[P->pos] == ' ' || P->s[P->pos] == '\t')) P->pos++;
}

/* A quoted argument or operand: "..." with \" and \\ escapes. */
static char *parse_quoted(parser *P, size_t end) {
  size_t start = P->pos++;
  GString *out = g_string_new(NULL);
  while (P->pos < end && P->s[P->pos] != '"') {
    if (P->s[P->pos] == '\\' && P->pos + 1 < end) P->pos++;
    g_string_append_c(out, P->s[P->pos++]);
  }
  if (P->pos >= end) {
    perr(P, start, end - start, "template.unterminated-string", "unterminated quoted text");
    return g_string_free(out, TRUE), NULL;
  }
  P->pos++;
  return g_string_free(out, FALSE);
}

/* Name up to one of the stop characters, trimmed. */
static char *parse_name(parser *P, size_t end, const char *stops, size_t *name_off) {
  skip_ws(P, end);
  size_t a = P->pos;
  while (P->pos < end && !strchr(stops, P->s[P->pos])) P->pos++;
  size_t b = P->pos;
  while (b > a && (P->s[b - 1] == ' ' || P->s[b - 1] == '\t')) b--;
  *name_off = a;
  return g_strndup(P->s + a, b - a);
}

static void suggest_field(parser *P, tg_merge *m, const char *name, const tg_values *constants) {
  size_t n = m->ncols + tg_values_get_count(constants);
  const char **cands = g_new(const char *, n + 1);
  size_t k = 0;
  for (size_t i = 0; i < m->ncols; i++) cands[k++] = m->columns[i];
  for (size_t i = 0; i < tg_values_get_count(constants); i++)
    cands[k++] = tg_values_get_key(constants, i);
  const char *s = tg_suggest(name, cands, k);
  if (s) tg_diag_hint(P->d, "did you mean '%s'?", s);
  g_free(cands);
}

/* Parse "expr" between pos and end into op. */
static void parse_expr(parser *P, tg_merge *m, const tg_values *constants, size_t end, op *o) {
  skip_ws(P, end);
  size_t name_off = P->pos;
  if (P->pos < end && P->s[P->pos] == '"') {
    char *q = parse_quoted(P, end);
    if (!q) return;
    o->kind = OP_CONST;
    o->text = q;
    o->len = strlen(q);
  } else {
    char *name = parse_name(P, end, "|", &name_off);
    size_t nlen = strlen(name);
    if (nlen == 0) {
      perr(P, name_off ? name_off - 2 : 0, 4, "template.empty", "empty placeholder {{ }}");
      g_free(name);
      return;
    }
    int col = -1;
    for (size_t i = 0; i < m->ncols; i++)
      if (strcmp(m->columns[i], name) == 0) {
        col = (int)i;
        break;
      }
    const char *cv = col < 0 ? tg_values_get(constants, name) : NULL;
    if (col >= 0) {
      o->kind = OP_FIELD;
      o->col = col;
      o->text = name;
      o->len = nlen;
    } else if (cv) {
      o->kind = OP_CONST;
      o->text = g_strdup(cv);
      o->len = strlen(cv);
      g_free(name);
    } else if (!m->columns) {
      /* no list known: accept the name unchecked (checked again with data) */
      o->kind = OP_FIELD;
      o->col = -1;
      o->text = name;
      o->len = nlen;
    } else {
      tg_diag_at(P->d, TG_ERROR, TG_KIND_SCHEMA, "template.unknown-field",
                 tg_text_span(P->t, name_off, nlen),
                 strchr(name, '.') ? "unknown value '%s': not a column of the list nor a value of the job"
                                   : "unknown field '%s': the list has no such column",
                 name);
      suggest_field(P, m, name, constants);
      P->ok = false;
      g_free(name);
      return;
    }
  }
  skip_ws(P, end);
  while (P->pos < end && P->s[P->pos] == '|') {
    P->pos++;
    size_t foff;
    char *fname = parse_name(P, end, "|:", &foff);
    const tg_filter_def *def = tg_filter_find(fname);
    if (!def) {
      tg_diag_at(P->d, TG_ERROR, TG_KIND_SCHEMA, "template.unknown-filter",
                 tg_text_span(P->t, foff, strlen(fname) ? strlen(fname) : 1),
                 "unknown filter '%s'", fname);
      size_t nf;
      const tg_filter_def *all = tg_filter_list(&nf);
      const char **names = g_new(const char *, nf);
      for (size_t i = 0; i < nf; i++) names[i] = all[i].name;
      const char *s = tg_suggest(fname, names, nf);
      if (s) tg_diag_hint(P->d, "did you mean '%s'?", s);
      g_free(names);
      g_free(fname);
      P->ok = false;
      return;
    }
    if (o->nfilters >= MAX_FILTERS) {
      perr(P, foff, strlen(fname), "template.too-many-filters", "more than 8 filters");
      g_free(fname);
      return;
    }
    filter_call *fc = &o->filters[o->nfilters++];
    fc->def = def;
    if (P->pos < end && P->s[P->pos] == ':') {
      do {
        P->pos++;
        skip_ws(P, end);
        size_t aoff = P->pos;
        char *arg;
        if (P->pos < end && P->s[P->pos] == '"') {
          arg = parse_quoted(P, end);
          if (!arg) {
            g_free(fname);
            return;
          }
        } else {
          arg = parse_name(P, end, ",|", &aoff);
        }
        if (fc->nargs >= MAX_ARGS) {
          g_free(arg);
          break;
        }
        fc->args[fc->nargs++] = arg;
        skip_ws(P, end);
      } while (P->pos < end && P->s[P->pos] == ',');
    }
    if (fc->nargs < def->min_args || fc->nargs > def->max_args) {
      tg_diag_at(P->d, TG_ERROR, TG_KIND_SCHEMA, "template.filter-args",
                 tg_text_span(P->t, foff, strlen(fname)),
                 "filter '%s' takes %d argument(s)", fname, def->min_args);
      P->ok = false;
    }
    g_free(fname);
    skip_ws(P, end);
  }
}

static bool apply_filters(const op *o, const char *in, size_t len, GString *out,
                          const char **why) {
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
  }
  if (ok) g_string_append_len(out, a->str, (gssize)a->len);
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
  return ok;
}

static void compile_slot(tg_merge *m, const tg_text *t, const tg_values *constants, slot *sl,
                         tg_diag *d) {
  parser P = {.t = t, .s = t->text, .pos = 0, .len = strlen(t->text), .d = d, .ok = true};
  GArray *ops = g_array_new(FALSE, TRUE, sizeof(op));
  size_t lit_start = 0;
  while (P.pos < P.len) {
    const char *open = strstr(P.s + P.pos, "{{");
    if (!open) break;
    size_t o_at = (size_t)(open - P.s);
    const char *close = strstr(open + 2, "}}");
    const char *next_open = strstr(open + 2, "{{");
    if (!close || (next_open && next_open < close)) {
      perr(&P, o_at, 2, "template.unterminated", "placeholder '{{' is not closed with '}}'");
      P.pos = o_at + 2;
      lit_start = P.pos;
      continue;
    }
    if (o_at > lit_start) {
      op lit = {.kind = OP_LIT, .text = g_strndup(P.s + lit_start, o_at - lit_start),
                .len = o_at - lit_start};
      g_array_append_val(ops, lit);
    }
    size_t end = (size_t)(close - P.s);
    P.pos = o_at + 2;
    op o = {0};
    bool was_ok = P.ok;
    P.ok = true;
    parse_expr(&P, m, constants, end, &o);
    if (P.ok && o.text) g_array_append_val(ops, o);
    else {
      g_free(o.text);
      for (int i = 0; i < o.nfilters; i++)
        for (int k = 0; k < o.filters[i].nargs; k++) g_free(o.filters[i].args[k]);
    }
    P.ok = P.ok && was_ok;
    P.pos = end + 2;
    lit_start = P.pos;
  }
  if (lit_start < P.len) {
    op lit = {.kind = OP_LIT, .text = g_strndup(P.s + lit_start, P.len - lit_start),
              .len = P.len - lit_start};
    g_array_append_val(ops, lit);
  }
  sl->nops = ops->len;
  sl->ops = (op *)g_array_free(ops, FALSE);
  sl->is_static = true;
  for (size_t i = 0; i < sl->nops; i++)
    if (sl->ops[i].kind == OP_FIELD) sl->is_static = false;
  if (sl->is_static && P.ok) {
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < sl->nops; i++) {
      const char *why = NULL;
      if (!apply_filters(&sl->ops[i], sl->ops[i].text, sl->ops[i].len, out, &why)) {
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "template.filter-failed", tg_text_span(t, 0, 0),
                   "a value of this text %s", why ? why : "cannot be formatted");
      }
    }
    sl->static_value = g_string_free(out, FALSE);
  }
}

tg_merge *tg_merge_new(const tg_design *design, const char *const *columns, size_t ncols,
                       const tg_values *constants, tg_diag *d) {
  tg_merge *m = g_new0(tg_merge, 1);
  m->design = design;
  m->columns = columns;
  m->ncols = columns ? ncols : 0;
  m->nslots = design->ntexts;
  m->slots = g_new0(slot, m->nslots + 1);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  for (size_t i = 0; i < m->nslots; i++) compile_slot(m, design->texts[i], constants, &m->slots[i], d);
  /* columns used, for validation */
  bool *used = g_new0(bool, m->ncols + 1);
  for (size_t i = 0; i < m->nslots; i++)
    for (size_t k = 0; k < m->slots[i].nops; k++)
      if (m->slots[i].ops[k].kind == OP_FIELD && m->slots[i].ops[k].col >= 0)
        used[m->slots[i].ops[k].col] = true;
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
  for (size_t i = 0; i < m->nslots; i++) {
    slot *sl = &m->slots[i];
    for (size_t k = 0; k < sl->nops; k++) {
      g_free(sl->ops[k].text);
      for (int f = 0; f < sl->ops[k].nfilters; f++)
        for (int a = 0; a < sl->ops[k].filters[f].nargs; a++) g_free(sl->ops[k].filters[f].args[a]);
    }
    g_free(sl->ops);
    g_free(sl->static_value);
    g_free((gpointer)sl->static_attrs.v);
  }
  g_free(m->slots);
  g_free(m->used_columns);
  g_free(m);
}

bool tg_merge_slot_is_static(const tg_merge *m, int slot_no) {
  return slot_no >= 0 && (size_t)slot_no < m->nslots && m->slots[slot_no].is_static;
}

const char *tg_merge_get_static(const tg_merge *m, int slot_no) {
  if (!tg_merge_slot_is_static(m, slot_no)) return NULL;
  return m->slots[slot_no].static_value;
}

const tg_attrs *tg_merge_get_static_attrs(const tg_merge *m, int slot_no) {
  if (!tg_merge_slot_is_static(m, slot_no)) return &NO_ATTRS;
  return &m->slots[slot_no].static_attrs;
}

const int *tg_merge_get_used_columns(const tg_merge *m) { return m->used_columns; }

/* ---- letters ------------------------------------------------------------------- */

typedef struct {
  tg_letter pub;
  GString *buf;    /* all row-dependent values, NUL separated */
  size_t *offsets; /* per slot offset into buf, or SIZE_MAX for static */
} letter_impl;

tg_letter *tg_letter_new(const tg_merge *m) {
  letter_impl *li = g_new0(letter_impl, 1);
  li->pub.nvalues = m->nslots;
  li->pub.values = g_new0(const char *, m->nslots + 1);
  li->pub.attrs = g_new0(const tg_attrs *, m->nslots + 1);
  for (size_t i = 0; i < m->nslots; i++) li->pub.attrs[i] = tg_merge_get_static_attrs(m, (int)i);
  li->offsets = g_new0(size_t, m->nslots + 1);
  li->buf = g_string_sized_new(4096);
  for (size_t i = 0; i < m->nslots; i++)
    if (m->slots[i].is_static) li->pub.values[i] = m->slots[i].static_value;
  return &li->pub;
}

void tg_letter_free(tg_letter *l) {
  if (!l) return;
  letter_impl *li = (letter_impl *)l;
  g_free((gpointer)li->pub.values);
  g_free((gpointer)li->pub.attrs);
  g_free(li->offsets);
  g_string_free(li->buf, TRUE);
  g_free(li);
}

bool tg_merge_row(const tg_merge *m, const tg_row *row, const char *list_path, tg_letter *l,
                  tg_diag *d) {
  letter_impl *li = (letter_impl *)l;
  l->row = row;
  l->list_path = list_path;
  g_string_truncate(li->buf, 0);
  bool ok = true;
  for (size_t i = 0; i < m->nslots; i++) {
    const slot *sl = &m->slots[i];
    if (sl->is_static) continue;
    li->offsets[i] = li->buf->len;
    for (size_t k = 0; k < sl->nops; k++) {
      const op *o = &sl->ops[k];
      if (o->kind != OP_FIELD) {
        if (!apply_filters(o, o->text, o->len, li->buf, &(const char *){NULL})) ok = false;
        continue;
      }
      const char *v = o->col >= 0 && (size_t)o->col < row->nfields ? row->fields[o->col] : "";
      size_t vlen = o->col >= 0 && (size_t)o->col < row->nfields ? row->lengths[o->col] : 0;
      const char *why = NULL;
      if (!apply_filters(o, v, vlen, li->buf, &why)) {
        tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "data.format", list_path, row->number, o->text,
                    "the value %s", why ? why : "cannot be formatted");
        ok = false;
      }
    }
    if (li->buf->len - li->offsets[i] > MAX_VALUE_BYTES) {
      tg_diag_row(d, TG_ERROR, TG_KIND_LIMIT, "data.text-too-long", list_path, row->number, NULL,
                  "a merged text is longer than %d bytes", MAX_VALUE_BYTES);
      ok = false;
    }
    g_string_append_c(li->buf, '\0');
  }
  /* the buffer may have moved while growing: set pointers last */
  for (size_t i = 0; i < m->nslots; i++)
    if (!m->slots[i].is_static) l->values[i] = li->buf->str + li->offsets[i];
  return ok;
}
