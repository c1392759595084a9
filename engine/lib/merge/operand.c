/* operand.c — operands: what a placeholder or a rule names, and its value.
 *
 * An operand is a column of the row, a constant known when compiling (a job
 * value, "quoted text", page.number), a number written in a rule, or a
 * letter value (letter.id, letter.variant …), followed by a chain of
 * filters.  Names are resolved once, when a text is compiled, with a "did
 * you mean" for unknown ones; per row the value is looked up and the filters
 * applied (filters.c).  Used by the text parser (parse.c) and by rules
 * (cond.c); it calls neither.
 */
#include "merge/merge_private.h"

#include <stdarg.h>
#include <string.h>

void merge_error(mparser *P, size_t off, size_t len, tg_diag_kind kind, const char *code,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(_(fmt), ap);
  va_end(ap);
  tg_diag_at(P->d, TG_ERROR, kind, code, tg_text_span(P->t, off, len ? len : 1), "%s", msg);
  g_free(msg);
  P->ok = false;
}

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
  static const char *const LETTER[] = {"letter.id",      "letter.seq",          "letter.variant",
                                       "letter.segment", "letter.name-in-kana", "letter.arm",
                                       "letter.age",     "page.number",         "page.count"};
  const char **cands = g_new(const char *, m->ncols + nconst + G_N_ELEMENTS(LETTER));
  size_t k = 0;
  for (size_t i = 0; i < m->ncols; i++)
    cands[k++] = m->columns[i];
  for (size_t i = 0; i < nconst; i++)
    cands[k++] = tg_values_get_key(P->constants, i);
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
  if (strcmp(name, "letter.age") == 0) { /* known from the row: segments may use it */
    if (m->columns && m->birth_col < 0) {
      merge_error(P, name_off, name_len, TG_KIND_SCHEMA, "template.letter-value",
                  "'letter.age' is the age on the letter date from 生年月日, and the list has no "
                  "column 生年月日");
      return false;
    }
    o->kind = OPD_LETTER;
    o->lv = LV_AGE;
    o->text = g_strdup(name);
    o->len = nlen;
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
  if ((!m->columns || (m->values_unchecked && strchr(name, '.'))) && !reserved) {
    /* no list known: accept the name unchecked (checked again with data) */
    o->kind = OPD_FIELD;
    o->col = -1;
    o->text = g_strdup(name);
    o->len = nlen;
    return true;
  }
  tg_diag_at(P->d, TG_ERROR, TG_KIND_SCHEMA, "template.unknown-field",
             tg_text_span(P->t, name_off, name_len),
             reserved ? N_("unknown value '%s'")
             : strchr(name, '.')
                 ? N_("unknown value '%s': not a column of the list nor a value of the job")
                 : N_("unknown field '%s': the list has no such column"),
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

bool merge_parse_value(mparser *P, size_t pos, size_t end, operand *o) {
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
    if (o->lv == LV_AGE) {
      const tg_merge *m = E->m;
      tg_date birth;
      buf[0] = '\0';
      if (E->row && m->have_letter_date && m->birth_col >= 0 &&
          (size_t)m->birth_col < E->row->nfields &&
          tg_date_parse(E->row->fields[m->birth_col], E->row->lengths[m->birth_col], NULL,
                        &birth) == TG_DATE_OK &&
          tg_age_at(birth, m->letter_date) >= 0)
        g_snprintf(buf, sizeof buf, "%d", tg_age_at(birth, m->letter_date));
      v = buf;
      n = strlen(v);
    } else if (E->letter) {
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
      case LV_AGE: break; /* above */
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
