/* validate.c — whether a row may become a letter: the municipality's
 * exclusion list, one letter per person, and the checks of every value.
 *
 * The run loop registers each opened list with tg_validator_add_list(); the
 * checks a list gets follow from its canonical column names (the catalogue
 * in profiles.c: 郵便番号 is a postal code, 収縮期血圧 a number between 60
 * and 300 …).  tg_validator_check() then turns each row into a verdict:
 *
 *   1. a row the reader could not read is rejected with the reader's code;
 *   2. a row without its key (KDB個人番号) is rejected (data.required);
 *   3. a key on the municipality's exclusion list → excluded, rule
 *      "exclusion-list" (spec 6(4));
 *   4. a key seen before in this run → excluded, rule "duplicate": one letter
 *      per person, and the person's first row in job order (lists in the
 *      order the job names them, rows in file order) is the one that counts —
 *      even when that row is rejected, so that which letter a person gets
 *      never depends on another row's errors;
 *   5. every value check; each problem is reported, the first decides the
 *      verdict (rejected, with its code and column).
 *
 * Keys are remembered in an open-addressing table of 24-byte slots (about
 * 35 MB per million people): all-digit keys exactly, others by two
 * independent 64-bit hashes.  Messages name file, row and column — never a
 * value.
 */
#include "targets/targets_private.h"

#include <string.h>

/* ---- keys ---------------------------------------------------------------------- */

typedef struct {
  uint64_t h1, h2;
} key_id;

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

static key_id key_of(const GString *k) {
  key_id id = {0, 0};
  bool digits = k->len > 0 && k->len <= 19;
  for (gsize i = 0; i < k->len && digits; i++)
    digits = g_ascii_isdigit(k->str[i]);
  if (digits) {
    for (gsize i = 0; i < k->len; i++)
      id.h1 = id.h1 * 10 + (uint64_t)(k->str[i] - '0');
    return id; /* h2 = 0: exact */
  }
  uint64_t a = 0xcbf29ce484222325ULL, b = 0x9e3779b97f4a7c15ULL;
  for (gsize i = 0; i < k->len; i++) {
    a = (a ^ (unsigned char)k->str[i]) * 0x100000001b3ULL; /* FNV-1a */
    b = mix64(b ^ ((unsigned char)k->str[i] + (uint64_t)i * 0x9e3779b97f4a7c15ULL));
  }
  id.h1 = a;
  id.h2 = b | (1ULL << 63);
  return id;
}

typedef struct {
  uint64_t h1, h2;
  uint64_t where; /* list << 48 | row; 0 = empty slot */
} slot;

typedef struct {
  slot *slots;
  size_t cap, used;
} key_set;

static slot *find_slot(slot *slots, size_t cap, key_id k) {
  size_t i = (size_t)mix64(k.h1 ^ (k.h2 * 31)) & (cap - 1);
  for (;;) {
    slot *s = &slots[i];
    if (!s->where || (s->h1 == k.h1 && s->h2 == k.h2)) return s;
    i = (i + 1) & (cap - 1);
  }
}

/* The slot of k: existing (where != 0) or new (where set to `where`). */
static slot *key_set_insert(key_set *set, key_id k, uint64_t where, bool *existed) {
  if ((set->used + 1) * 10 > set->cap * 7) {
    size_t cap = set->cap ? set->cap * 2 : 1024;
    slot *ns = g_new0(slot, cap);
    for (size_t i = 0; i < set->cap; i++)
      if (set->slots[i].where)
        *find_slot(ns, cap, (key_id){set->slots[i].h1, set->slots[i].h2}) = set->slots[i];
    g_free(set->slots);
    set->slots = ns;
    set->cap = cap;
  }
  slot *s = find_slot(set->slots, set->cap, k);
  *existed = s->where != 0;
  if (!*existed) {
    s->h1 = k.h1;
    s->h2 = k.h2;
    s->where = where;
    set->used++;
  }
  return s;
}

/* ---- exclusion list ---------------------------------------------------------------- */

typedef struct {
  uint64_t row;
  const char *reason;
  bool matched;
} exclusion;

struct tg_exclusions {
  char *path;
  GHashTable *keys; /* normalised key → exclusion* */
  GStringChunk *strings;
  size_t count;
};

const char *tg_exclusions_get_path(const tg_exclusions *x) { return x->path; }
size_t tg_exclusions_get_count(const tg_exclusions *x) { return x->count; }

size_t tg_exclusions_get_unmatched_count(const tg_exclusions *x) {
  size_t n = 0;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, x->keys);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (!((exclusion *)v)->matched) n++;
  return n;
}

void tg_exclusions_free(tg_exclusions *x) {
  if (!x) return;
  g_free(x->path);
  g_hash_table_destroy(x->keys);
  g_string_chunk_free(x->strings);
  g_free(x);
}

bool tg_exclusions_contains(tg_exclusions *x, const char *key, size_t len) {
  GString *k = g_string_new(NULL);
  targets_normalize_key(k, key, len);
  exclusion *e = k->len ? g_hash_table_lookup(x->keys, k->str) : NULL;
  g_string_free(k, TRUE);
  if (e) e->matched = true;
  return e != NULL;
}

static int find_folded(const tg_targets *t, const char *const *names, size_t n) {
  GString *a = g_string_new(NULL), *b = g_string_new(NULL);
  int found = -1;
  for (size_t c = 0; c < tg_targets_get_column_count(t) && found < 0; c++) {
    const char *col = tg_targets_get_column_name(t, c);
    g_string_truncate(a, 0);
    targets_fold(a, col, strlen(col));
    for (size_t i = 0; i < n && found < 0; i++) {
      g_string_truncate(b, 0);
      targets_fold(b, names[i], strlen(names[i]));
      if (g_ascii_strcasecmp(a->str, b->str) == 0) found = (int)c;
    }
  }
  g_string_free(a, TRUE);
  g_string_free(b, TRUE);
  return found;
}

tg_exclusions *tg_exclusions_load(const char *path, const char *key_column, tg_diag *d) {
  if (!key_column) key_column = "KDB個人番号";
  tg_targets *t = tg_targets_open(path, NULL, d);
  if (!t) return NULL;
  const char *key_names[] = {key_column};
  int key = find_folded(t, key_names, 1);
  static const char *const REASONS[] = {"理由", "除外理由", "reason"};
  int reason = find_folded(t, REASONS, G_N_ELEMENTS(REASONS));
  if (key < 0) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "exclude.key-column", path, 1, NULL,
                "the exclusion list has no column %s (the key that identifies a person)",
                key_column);
    tg_targets_free(t);
    return NULL;
  }
  tg_exclusions *x = g_new0(tg_exclusions, 1);
  x->path = g_strdup(path);
  x->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  x->strings = g_string_chunk_new(1024);
  GString *k = g_string_new(NULL);
  bool ok = true;
  tg_row row;
  int st;
  while ((st = tg_targets_next(t, &row, d)) == 1) {
    if (row.rejected) {
      ok = false;
      continue;
    }
    const char *v = row.fields[key];
    size_t len = row.lengths[key];
    if (targets_is_blank(v, len)) {
      tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "exclude.empty-key", path, row.number,
                  tg_targets_get_column_name(t, (size_t)key),
                  "this line of the exclusion list has no key and excludes no one");
      continue;
    }
    if (memchr(v, 'E', len) || memchr(v, 'e', len)) {
      double dv;
      if (tg_parse_decimal(v, len, &dv) || strstr(v, "E+") || strstr(v, "e+")) {
        tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "exclude.key-format", path, row.number,
                    tg_targets_get_column_name(t, (size_t)key),
                    "the key is written in exponent form (1.4E+10): a spreadsheet shortened it "
                    "and its digits are lost");
        tg_diag_hint(d, "format the column as text in the spreadsheet and type the keys again");
        ok = false;
        continue;
      }
    }
    targets_normalize_key(k, v, len);
    if (g_hash_table_contains(x->keys, k->str)) continue;
    exclusion *e = g_new0(exclusion, 1);
    e->row = row.number;
    e->reason = reason >= 0 ? g_string_chunk_insert_const(x->strings, row.fields[reason]) : "";
    g_hash_table_insert(x->keys, g_strdup(k->str), e);
    x->count++;
  }
  g_string_free(k, TRUE);
  tg_targets_free(t);
  if (st < 0 || !ok) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "exclude.unusable", path, 0, NULL,
                "the exclusion list cannot be used until the lines above are fixed: no one may be "
                "written to who should be excluded");
    tg_exclusions_free(x);
    return NULL;
  }
  return x;
}

/* ---- the validator ------------------------------------------------------------------ */

/* YYYY-MM-DD and a calendar day. */
static bool iso_date(const char *s, tg_date *out) {
  size_t n = strlen(s);
  return n == 10 && s[4] == '-' && s[7] == '-' && tg_date_parse(s, n, NULL, out) == TG_DATE_OK;
}

typedef struct {
  int col;
  const targets_column_def *def;
} bound;

typedef struct {
  char *path;
  tg_exclusions *exclusions;
  tg_era_codes era;
  const char *const *names; /* the list's canonical names (borrowed from tg_targets) */
  char **own_names;
  int key, name, kana, address, postal, birth, age, sbp, dbp;
  bool have_list_date; /* 年齢 is as of list_first..list_last */
  tg_date list_first, list_last;
  GArray *checks;   /* bound */
  GArray *required; /* int */
  tg_validator_counts counts;
} vlist;

struct tg_validator {
  char *key_column;
  bool allow_duplicates;
  bool have_ref;
  tg_date ref;
  const tg_postal *postal;
  GPtrArray *lists; /* vlist* */
  key_set seen;
  GString *key;
};

static void vlist_free(gpointer p) {
  vlist *L = p;
  g_free(L->path);
  g_strfreev(L->own_names);
  g_array_free(L->checks, TRUE);
  g_array_free(L->required, TRUE);
  g_free(L);
}

tg_validator *tg_validator_new(const tg_validator_options *opt, tg_diag *d) {
  tg_validator_options o = {0};
  if (opt) o = *opt;
  tg_validator *v = g_new0(tg_validator, 1);
  v->key_column = g_strdup(o.key_column ? o.key_column : "KDB個人番号");
  v->allow_duplicates = o.allow_duplicates;
  v->postal = o.postal;
  v->lists = g_ptr_array_new_with_free_func(vlist_free);
  v->key = g_string_new(NULL);
  if (o.reference_date) {
    tg_date r;
    size_t n = strlen(o.reference_date);
    if (n != 10 || o.reference_date[4] != '-' || o.reference_date[7] != '-' ||
        tg_date_parse(o.reference_date, n, NULL, &r) != TG_DATE_OK) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "targets.reference-date",
                  "the reference date '%s' is not a date written YYYY-MM-DD", o.reference_date);
      tg_validator_free(v);
      return NULL;
    }
    v->ref = r;
    v->have_ref = true;
  }
  return v;
}

void tg_validator_free(tg_validator *v) {
  if (!v) return;
  g_free(v->key_column);
  g_ptr_array_free(v->lists, TRUE);
  g_free(v->seen.slots);
  g_string_free(v->key, TRUE);
  g_free(v);
}

int tg_validator_add_list(tg_validator *v, const tg_targets *t, const tg_list_rules *rules,
                          tg_diag *d) {
  vlist *L = g_new0(vlist, 1);
  L->path = g_strdup(tg_targets_get_path(t));
  L->checks = g_array_new(FALSE, FALSE, sizeof(bound));
  L->required = g_array_new(FALSE, FALSE, sizeof(int));
  tg_era_codes_default(&L->era);
  if (rules) {
    L->exclusions = rules->exclusions;
    if (rules->era_codes) L->era = *rules->era_codes;
  }
  if (rules && rules->list_date) {
    tg_date r;
    if (iso_date(rules->list_date, &r)) {
      L->list_first = L->list_last = r;
      L->have_list_date = true;
    }
  } else {
    L->have_list_date = tg_targets_get_list_date(t, &L->list_first, &L->list_last);
  }
  size_t n = tg_targets_get_column_count(t);
  L->own_names = g_new0(char *, n + 1);
  for (size_t i = 0; i < n; i++)
    L->own_names[i] = g_strdup(tg_targets_get_column_name(t, i));
  L->names = (const char *const *)L->own_names;
  L->key = tg_targets_find_column(t, v->key_column);
  L->name = tg_targets_find_column(t, "氏名");
  L->kana = tg_targets_find_column(t, "氏名カナ");
  L->address = tg_targets_find_column(t, "住所");
  L->postal = tg_targets_find_column(t, "郵便番号");
  L->birth = tg_targets_find_column(t, "生年月日");
  L->age = tg_targets_find_column(t, "年齢");
  L->sbp = tg_targets_find_column(t, "収縮期血圧");
  L->dbp = tg_targets_find_column(t, "拡張期血圧");
  bool ok = true;
  if (L->key < 0 && (!v->allow_duplicates || L->exclusions)) {
    tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.missing-column", L->path, 1, NULL,
                "the list has no column %s, which identifies a person (the job's key): without "
                "it neither duplicates nor the exclusion list can be checked",
                v->key_column);
    ok = false;
  }
  for (size_t i = 0; i < n; i++) {
    const targets_column_def *def = targets_column_lookup(L->names[i]);
    if (def && def->kind != TARGETS_COL_TEXT) {
      bound b = {(int)i, def};
      g_array_append_val(L->checks, b);
    }
  }
  int defaults[] = {L->key, L->name, L->address, L->postal};
  for (size_t i = 0; i < G_N_ELEMENTS(defaults); i++)
    if (defaults[i] >= 0) g_array_append_val(L->required, defaults[i]);
  for (int i = 0; i < (int)n; i++) /* what the profile's selection promises */
    if (i != L->key && targets_profile_filled(tg_targets_get_profile(t), L->names[i]))
      g_array_append_val(L->required, i);
  for (size_t i = 0; rules && i < rules->nrequired_values; i++) {
    int c = tg_targets_find_column(t, rules->required_values[i]);
    if (c < 0) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "targets.missing-column", L->path, 1, NULL,
                  "the list has no column %s, which the job requires a value in",
                  rules->required_values[i]);
      ok = false;
      continue;
    }
    bool have = false;
    for (guint k = 0; k < L->required->len && !have; k++)
      have = g_array_index(L->required, int, k) == c;
    if (!have) g_array_append_val(L->required, c);
  }
  if (!ok) {
    vlist_free(L);
    return -1;
  }
  g_ptr_array_add(v->lists, L);
  return (int)v->lists->len - 1;
}

/* ---- checks -------------------------------------------------------------------- */

typedef struct {
  const vlist *L;
  const tg_row *row;
  tg_diag *d;
  tg_verdict *vd;
} ctx;

static void problem(ctx *c, const char *code, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(ctx *c, const char *code, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(_(fmt), ap);
  va_end(ap);
  const char *name = col >= 0 ? c->L->names[col] : NULL;
  tg_diag_row(c->d, TG_ERROR, TG_KIND_DATA, code, c->L->path, c->row->number, name, "%s", msg);
  g_free(msg);
  if (c->vd->kind != TG_VERDICT_REJECTED) {
    c->vd->kind = TG_VERDICT_REJECTED;
    c->vd->code = code;
    c->vd->column = name;
  }
}

static bool contains(const char *s, size_t len, const char *what) {
  size_t n = strlen(what);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(s + i, what, n) == 0) return true;
  return false;
}

static bool is_reading(const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    bool ok = (cp >= 0x3041 && cp <= 0x309F) || /* hiragana, ゛゜ゝゞ */
              (cp >= 0x30A0 && cp <= 0x30FF) || /* katakana, ・ ー */
              (cp >= 0xFF61 && cp <= 0xFF9F) || /* half-width katakana */
              cp == ' ' || cp == 0x3000 ||
              g_ascii_isalpha((int)(cp < 128 ? cp : 0)) || /* names in Latin letters */
              (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) || cp == '.' ||
              cp == '-' || cp == '\'' || cp == ',' || cp == 0xFF0E || cp == 0xFF0D || cp == 0xFF0C;
    if (!ok) return false;
  }
  return true;
}

static bool is_sex(const char *s, size_t len) {
  GString *f = g_string_new(NULL);
  targets_fold(f, s, len);
  static const char *const OK[] = {"男", "女", "男性", "女性", "1", "2", "M", "F", "m", "f"};
  bool ok = false;
  for (size_t i = 0; i < G_N_ELEMENTS(OK) && !ok; i++)
    ok = strcmp(f->str, OK[i]) == 0;
  g_string_free(f, TRUE);
  return ok;
}

static const char *date_problem(tg_date_status st, const char **code) {
  switch (st) {
  case TG_DATE_MALFORMED:
    *code = "data.date";
    return N_(
        "not a date (forms such as S40.01.15, 昭和40年1月15日, 3400115 and 1965-01-15 are read)");
  case TG_DATE_INVALID: *code = "data.date"; return N_("no such calendar day");
  case TG_DATE_OUT_OF_ERA:
    *code = "data.date-era";
    return N_("the date lies outside its era (昭和64年 ends on 1月7日, 平成31年 on 4月30日, 令和 "
              "begins on 元年5月1日 …)");
  case TG_DATE_UNKNOWN_ERA:
    *code = "data.date-era";
    return N_("the first digit of this era-coded date is not in the list's era-code map");
  case TG_DATE_OK: break;
  }
  *code = NULL;
  return NULL;
}

static void check_values(tg_validator *v, ctx *c) {
  const vlist *L = c->L;
  const tg_row *row = c->row;
  /* a postal code the address does not decide (derive.c): held, never guessed */
  bool undecided = row->postal_source == TG_POSTAL_SOURCE_UNDECIDED && L->postal >= 0;
  if (undecided && row->postal_outcome == TG_POSTAL_AMBIGUOUS)
    problem(c, "data.postal-ambiguous", L->postal,
            "the address fits %zu postal codes: give this person's code in the postal overrides "
            "file",
            row->postal_candidates);
  else if (undecided)
    problem(c, "data.postal-not-found", L->postal,
            "no postal code of the dictionary fits the address: give this person's code in the "
            "postal overrides file");
  /* required values */
  for (guint i = 0; i < L->required->len; i++) {
    int col = g_array_index(L->required, int, i);
    if (col == L->key || (undecided && col == L->postal)) continue; /* checked before */
    if (targets_is_blank(row->fields[col], row->lengths[col]))
      problem(c, "data.required", col, "the value is empty, and a letter needs it");
  }
  double sbp = -1, dbp = -1;
  tg_date birth = {0, 0, 0};
  bool birth_ok = false;
  double age = -1;
  for (guint i = 0; i < L->checks->len; i++) {
    const bound *b = &g_array_index(L->checks, bound, i);
    const char *s = row->fields[b->col];
    size_t len = row->lengths[b->col];
    if (targets_is_blank(s, len)) continue; /* emptiness is the required rule's business */
    switch (b->def->kind) {
    case TARGETS_COL_NAME:
    case TARGETS_COL_ADDRESS:
      if (contains(s, len, "〓"))
        problem(c, "data.geta", b->col,
                "the text contains 〓 (U+3013), the mark a system writes for a character it "
                "could not store");
      break;
    case TARGETS_COL_KANA:
      if (contains(s, len, "〓"))
        problem(c, "data.geta", b->col,
                "the text contains 〓 (U+3013), the mark a system writes for a character it "
                "could not store");
      else if (!is_reading(s, len))
        problem(c, "data.kana", b->col, "the reading holds characters that are not kana");
      break;
    case TARGETS_COL_SEX:
      if (!is_sex(s, len)) problem(c, "data.sex", b->col, "the value is not 男 or 女 (nor 1 or 2)");
      break;
    case TARGETS_COL_AGE:
    case TARGETS_COL_NUMBER: {
      double x;
      if (!tg_parse_decimal(s, len, &x) ||
          (b->def->kind == TARGETS_COL_AGE && x != (double)(long)x)) {
        problem(c, "data.number", b->col,
                b->def->kind == TARGETS_COL_AGE ? N_("the value is not a whole number of years")
                                                : N_("the value is not a number"));
        break;
      }
      if (x < b->def->min || x > b->def->max) {
        char lo[32], hi[32];
        g_ascii_formatd(lo, sizeof lo, "%g", b->def->min);
        g_ascii_formatd(hi, sizeof hi, "%g", b->def->max);
        problem(c, "data.range", b->col, "the value is outside the plausible range %s–%s %s", lo,
                hi, b->def->unit ? b->def->unit : "");
        break;
      }
      if (b->col == L->sbp) sbp = x;
      if (b->col == L->dbp) dbp = x;
      if (b->col == L->age) age = x;
      break;
    }
    case TARGETS_COL_DATE: {
      tg_date dt;
      tg_date_status st = tg_date_parse(s, len, &L->era, &dt);
      const char *code;
      const char *why = date_problem(st, &code);
      if (why) {
        problem(c, code, b->col, "%s", _(why));
        break;
      }
      if (b->col == L->birth) {
        if (v->have_ref && tg_age_at(dt, v->ref) < 0)
          problem(c, "data.date-range", b->col, "the date of birth is after the reference date");
        else if (v->have_ref && tg_age_at(dt, v->ref) > 120)
          problem(c, "data.date-range", b->col,
                  "the date of birth is more than 120 years before the reference date");
        else {
          birth = dt;
          birth_ok = true;
        }
      }
      break;
    }
    case TARGETS_COL_MARK:
      if (tg_mark_parse(s, len) == TG_MARK_INVALID)
        problem(c, "data.mark", b->col, "the value is not a mark: ○, ● or empty");
      break;
    case TARGETS_COL_POSTAL: {
      char code7[8];
      if (!tg_postal_code_normalize(s, len, code7)) {
        problem(c, "data.postal-format", b->col, "the value is not a 7-digit postal code");
        break;
      }
      if (!v->postal) break;
      size_t n;
      if (!tg_postal_lookup(v->postal, code7, &n)) {
        problem(c, "data.postal-unknown", b->col,
                "the postal code is not in the postal dictionary");
        break;
      }
      if (L->address < 0 || targets_is_blank(row->fields[L->address], row->lengths[L->address]))
        break;
      /* derived from this address (with the municipality for what it leaves out) */
      if (row->postal_source == TG_POSTAL_SOURCE_DERIVED) break;
      tg_postal_match m = tg_postal_match_address(v->postal, code7, row->fields[L->address],
                                                  row->lengths[L->address], NULL);
      if (m == TG_POSTAL_OTHER_PREFECTURE)
        problem(c, "data.postal-prefecture", L->address,
                "the address names another prefecture than its postal code");
      else if (m == TG_POSTAL_OTHER_CITY)
        problem(c, "data.postal-city", L->address,
                "the address is not in the city (or ward) of its postal code");
      break;
    }
    case TARGETS_COL_TEXT:
    case TARGETS_COL_KEY: break;
    }
  }
  if (sbp >= 0 && dbp >= 0 && sbp <= dbp)
    problem(c, "data.bp-order", L->sbp,
            "the systolic pressure is not above the diastolic one: are the columns swapped?");
  if (birth_ok && age >= 0 && L->have_list_date) {
    /* 年齢 as of the list's date: any age the person had on one of its days */
    int lo = tg_age_at(birth, L->list_first), hi = tg_age_at(birth, L->list_last);
    if (age < lo || age > hi)
      problem(c, "data.age-mismatch", L->age,
              "the age is not the age the date of birth gives on the list's date (its title "
              "line, or reference-date: in the job)");
  } else if (birth_ok && age >= 0 && v->have_ref) {
    int computed = tg_age_at(birth, v->ref);
    if (computed - age > 1 || age - computed > 1)
      problem(c, "data.age-mismatch", L->age,
              "the age is more than a year away from the age the date of birth gives on the "
              "reference date");
  }
}

tg_verdict tg_validator_check(tg_validator *v, int list, const tg_row *row, tg_diag *d) {
  tg_verdict vd = {.kind = TG_VERDICT_OK, .first_list = -1};
  if (list < 0 || (guint)list >= v->lists->len) { /* a list add_list refused: never a letter */
    vd.kind = TG_VERDICT_REJECTED;
    vd.code = "targets.missing-column";
    return vd;
  }
  vlist *L = g_ptr_array_index(v->lists, list);
  L->counts.checked++;
  if (row->rejected) {
    vd.kind = TG_VERDICT_REJECTED;
    vd.code = row->reject_code;
    vd.column = row->reject_column;
    L->counts.rejected++;
    return vd;
  }
  ctx c = {L, row, d, &vd};
  if (L->key >= 0) {
    const char *k = row->fields[L->key];
    size_t klen = row->lengths[L->key];
    if (targets_is_blank(k, klen)) {
      problem(&c, "data.required", L->key,
              "the value is empty, and it is what identifies the person");
      check_values(v, &c); /* report the row's other problems too */
      L->counts.rejected++;
      return vd;
    }
    targets_normalize_key(v->key, k, klen);
    if (L->exclusions) {
      exclusion *e = g_hash_table_lookup(L->exclusions->keys, v->key->str);
      if (e) {
        e->matched = true;
        vd.kind = TG_VERDICT_EXCLUDED;
        vd.rule = "exclusion-list";
        vd.code = "exclude.list";
        vd.column = L->names[L->key];
        vd.exclusion_row = e->row;
        vd.exclusion_reason = e->reason;
        tg_diag_row(d, TG_NOTE, TG_KIND_DATA, vd.code, L->path, row->number, vd.column,
                    "excluded: on the municipality's exclusion list (row %" PRIu64 " of %s)",
                    e->row, L->exclusions->path);
        L->counts.excluded++;
        L->counts.excluded_list++;
        return vd;
      }
    }
    if (!v->allow_duplicates) {
      bool existed;
      uint64_t where = (uint64_t)list << 48 | (row->number & ((1ULL << 48) - 1));
      slot *s = key_set_insert(&v->seen, key_of(v->key), where, &existed);
      if (existed) {
        vd.kind = TG_VERDICT_EXCLUDED;
        vd.rule = "duplicate";
        vd.code = "exclude.duplicate";
        vd.column = L->names[L->key];
        vd.first_list = (int)(s->where >> 48);
        vd.first_row = s->where & ((1ULL << 48) - 1);
        const vlist *F = g_ptr_array_index(v->lists, vd.first_list);
        tg_diag_row(d, TG_NOTE, TG_KIND_DATA, vd.code, L->path, row->number, vd.column,
                    "excluded: the same person as row %" PRIu64
                    " of %s (one letter per person: the first row in job order)",
                    vd.first_row, F->path);
        L->counts.excluded++;
        L->counts.excluded_duplicate++;
        return vd;
      }
    }
  }
  check_values(v, &c);
  if (vd.kind == TG_VERDICT_REJECTED)
    L->counts.rejected++;
  else
    L->counts.ok++;
  return vd;
}

void tg_validator_get_counts(const tg_validator *v, int list, tg_validator_counts *out) {
  memset(out, 0, sizeof *out);
  if (list < 0 || (guint)list >= v->lists->len) return;
  *out = ((const vlist *)g_ptr_array_index(v->lists, list))->counts;
}

void tg_validator_finish(tg_validator *v, tg_diag *d) {
  GPtrArray *done = g_ptr_array_new();
  for (guint i = 0; i < v->lists->len; i++) {
    const vlist *L = g_ptr_array_index(v->lists, i);
    if (!L->exclusions) continue;
    bool seen = false;
    for (guint k = 0; k < done->len && !seen; k++)
      seen = done->pdata[k] == L->exclusions;
    if (seen) continue;
    g_ptr_array_add(done, L->exclusions);
    size_t n = tg_exclusions_get_unmatched_count(L->exclusions);
    if (n)
      tg_diag_row(d, TG_NOTE, TG_KIND_DATA, "exclude.unmatched", L->exclusions->path, 0, NULL,
                  "%zu of %zu entries of the exclusion list matched no row of the lists it was "
                  "given for",
                  n, L->exclusions->count);
  }
  g_ptr_array_free(done, TRUE);
  g_free(v->seen.slots);
  v->seen = (key_set){0};
}
