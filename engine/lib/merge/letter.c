/* letter.c — merging one row into a letter's buffer.
 *
 * A tg_letter owns one buffer for all its row-dependent values, reused from
 * row to row; per row only the slots of the letter's variant and segment
 * whose guard holds are evaluated.  Here too: printing a name no font can
 * draw from its kana column (tg_merge_set_kana_fallback), and the record of
 * which bytes came from which column (tg_letter_get_sources).
 */
#include "merge/merge_private.h"

#include <stdlib.h>
#include <string.h>

#define MAX_VALUE_BYTES (64 * 1024)

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
  bool usable = tg_text_is_kana(bare->str, bare->len);
  g_string_free(bare, TRUE);
  if (!usable) return false; /* the glyph preflight rejects the row */
  char *katakana = tg_kana_to_katakana(kana, klen);
  g_string_assign(out, katakana);
  free(katakana);
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
    if (!merge_eval_slot(sl, &E, li->scratch, li->spans, li->slot_sources)) {
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
    merge_flatten_spans(li->spans, li->attrs);
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
      l->attrs[i] = &MERGE_NO_ATTRS;
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
