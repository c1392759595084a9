/* derive.c — the postal code of a row whose list does not give one.
 *
 * KDB extraction lists have 住所 but no 郵便番号, and a letter cannot be
 * posted (nor batches sorted) without one.  When the run hands the reader a
 * postal dictionary, a list without a 郵便番号 column gets one, added after
 * its own columns, and a row whose 郵便番号 is empty gets it too: derived
 * from 住所 by tg_postal_derive(), never guessed — an address that fits
 * several codes, or none, leaves the field empty and the row marked
 * UNDECIDED, and the validator holds it (data.postal-ambiguous,
 * data.postal-not-found).  The municipality settles such rows with a small
 * overrides file keyed by KDB個人番号, which wins over the list and the
 * dictionary.  Each row says where its code came from (given, derived,
 * overridden), for the manifest.
 */
#include "targets/targets_private.h"

#include <string.h>

struct tg_postal_overrides {
  char *path;
  GHashTable *codes; /* normalised key → 7 digits */
};

void targets_normalize_key(GString *out, const char *s, size_t len) {
  g_string_truncate(out, 0);
  targets_fold(out, s, len);
  bool digits = out->len > 0;
  for (gsize i = 0; i < out->len && digits; i++)
    digits = g_ascii_isdigit(out->str[i]);
  if (digits) {
    gsize z = 0;
    while (z + 1 < out->len && out->str[z] == '0')
      z++;
    g_string_erase(out, 0, (gssize)z);
  }
}

const char *tg_postal_source_name(tg_postal_source s) {
  switch (s) {
  case TG_POSTAL_SOURCE_GIVEN: return "given";
  case TG_POSTAL_SOURCE_DERIVED: return "derived";
  case TG_POSTAL_SOURCE_OVERRIDDEN: return "overridden";
  case TG_POSTAL_SOURCE_UNDECIDED: return "undecided";
  case TG_POSTAL_SOURCE_NONE: break;
  }
  return "";
}

static int find_folded(const tg_targets *t, const char *name) {
  GString *a = g_string_new(NULL), *b = g_string_new(NULL);
  targets_fold(b, name, strlen(name));
  int found = -1;
  for (size_t c = 0; c < tg_targets_get_column_count(t) && found < 0; c++) {
    const char *col = tg_targets_get_column_name(t, c);
    g_string_truncate(a, 0);
    targets_fold(a, col, strlen(col));
    if (g_ascii_strcasecmp(a->str, b->str) == 0) found = (int)c;
  }
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
  return found;
}

tg_postal_overrides *tg_postal_overrides_load(const char *path, const char *key_column,
                                              tg_diag *d) {
  if (!key_column) key_column = "KDB個人番号";
  tg_targets *t = tg_targets_open(path, NULL, d);
  if (!t) return NULL;
  int key = find_folded(t, key_column), code = find_folded(t, "郵便番号");
  if (key < 0 || code < 0) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "postal.overrides-column", path, 1, NULL,
                "the postal overrides file needs the columns %s and 郵便番号", key_column);
    tg_targets_free(t);
    return NULL;
  }
  tg_postal_overrides *o = g_new0(tg_postal_overrides, 1);
  o->path = g_strdup(path);
  o->codes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GString *k = g_string_new(NULL);
  bool ok = true;
  tg_row row;
  int st;
  while ((st = tg_targets_next(t, &row, d)) == 1) {
    if (row.rejected) {
      ok = false;
      continue;
    }
    char code7[8];
    if (targets_is_blank(row.fields[key], row.lengths[key]) ||
        !tg_postal_code_normalize(row.fields[code], row.lengths[code], code7)) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "postal.overrides-value", path, row.number, NULL,
                  "each line of the postal overrides file needs a key and a 7-digit postal code");
      ok = false;
      continue;
    }
    targets_normalize_key(k, row.fields[key], row.lengths[key]);
    g_hash_table_replace(o->codes, g_strdup(k->str), g_strdup(code7));
  }
  g_string_free(k, TRUE);
  tg_targets_free(t);
  if (st < 0 || !ok) {
    tg_postal_overrides_free(o);
    return NULL;
  }
  return o;
}

void tg_postal_overrides_free(tg_postal_overrides *o) {
  if (!o) return;
  g_free(o->path);
  g_hash_table_destroy(o->codes);
  g_free(o);
}

size_t tg_postal_overrides_get_count(const tg_postal_overrides *o) {
  return o ? g_hash_table_size(o->codes) : 0;
}

void targets_postal_clear(targets_postal_state *s) {
  if (s->value) g_string_free(s->value, TRUE);
  if (s->key) g_string_free(s->key, TRUE);
  s->value = s->key = NULL;
}

static void set_code(targets_postal_state *s, const char *code7) {
  g_string_truncate(s->value, 0);
  g_string_append_printf(s->value, "%.3s-%.4s", code7, code7 + 3);
}

void targets_postal_apply(targets_postal_state *s, size_t file_cols, GPtrArray *fields,
                          GArray *lengths, tg_row *row) {
  if (s->postal_col < 0) return;
  if (!s->value) s->value = g_string_new(NULL);
  if (!s->key) s->key = g_string_new(NULL);
  g_string_truncate(s->value, 0);
  guint pc = (guint)s->postal_col;
  if (s->added) {
    if (fields->len != file_cols) return; /* a row with the wrong field count: rejected */
    size_t zero = 0;
    g_ptr_array_add(fields, s->value->str);
    g_array_append_val(lengths, zero);
  }
  if (row->rejected || pc >= fields->len) return;
  const char *own = fields->pdata[pc];
  size_t own_len = g_array_index(lengths, size_t, pc);
  bool given = !s->added && !targets_is_blank(own, own_len);
  tg_postal_source src = given ? TG_POSTAL_SOURCE_GIVEN : TG_POSTAL_SOURCE_NONE;
  const char *over = NULL;
  if (s->overrides && s->key_col >= 0 && (guint)s->key_col < fields->len) {
    const char *k = fields->pdata[s->key_col];
    targets_normalize_key(s->key, k, g_array_index(lengths, size_t, s->key_col));
    over = g_hash_table_lookup(s->overrides->codes, s->key->str);
  }
  if (over) {
    set_code(s, over);
    src = TG_POSTAL_SOURCE_OVERRIDDEN;
  } else if (!given && s->postal) {
    tg_postal_result r = {0};
    const char *a = s->address_col >= 0 ? fields->pdata[s->address_col] : "";
    size_t alen = s->address_col >= 0 ? g_array_index(lengths, size_t, s->address_col) : 0;
    if (!targets_is_blank(a, alen) &&
        tg_postal_derive(s->postal, a, alen, &s->hint, &r) == TG_POSTAL_DECIDED) {
      set_code(s, r.code);
      src = TG_POSTAL_SOURCE_DERIVED;
    } else {
      src = TG_POSTAL_SOURCE_UNDECIDED;
      row->postal_outcome = targets_is_blank(a, alen) ? TG_POSTAL_NOT_FOUND : r.outcome;
      row->postal_candidates = targets_is_blank(a, alen) ? 0 : r.ncandidates;
    }
  }
  row->postal_source = (int)src;
  if (src == TG_POSTAL_SOURCE_OVERRIDDEN || src == TG_POSTAL_SOURCE_DERIVED ||
      src == TG_POSTAL_SOURCE_UNDECIDED) {
    fields->pdata[pc] = s->value->str;
    g_array_index(lengths, size_t, pc) = s->value->len;
  }
}
