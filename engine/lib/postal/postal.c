/* postal.c — the postal-code dictionary: Japan Post's KEN_ALL.CSV format.
 *
 * Reads the official file (CP932, no header, 15 columns, columns 2-9 quoted)
 * as well as its UTF-8 edition and the derived dictionary vendored in
 * locales/ja/postal/ (one line per record, notes already removed).  The
 * official file's quirks are undone while loading:
 *   - a 町域 longer than the field is split over consecutive lines of the same
 *     code: a line whose 町域 opens "（" without closing it continues on the
 *     next lines until "）";
 *   - notes in parentheses (霞が関（次のビルを除く）, 大通西（１～１９丁目）,
 *     藤野木（その他）) are kept apart in town_note, the 町域 before them in town;
 *   - 以下に掲載がない場合 is the code of every address of the city not listed
 *     (is_default, town ""); 〇〇一円 covers the whole town or village and
 *     〇〇の次に番地がくる場合 has the 番地 right after the city (is_whole_city).
 * Entries are kept in a GArray and found through an index sorted by code, so
 * a lookup is a binary search and the all-Japan file (124k lines) loads in
 * well under a second.  Address comparison folds spaces, digit width and
 * ケ/ヶ, and accepts an address without its prefecture or its 郡.
 */
#include "targets/targets_private.h"

#include <stdlib.h>
#include <string.h>

struct tg_postal {
  char *path;
  GStringChunk *strings;
  GArray *entries;    /* tg_postal_entry */
  GPtrArray *by_code; /* tg_postal_entry*, sorted by code then file order */
  size_t ncodes;
};

static const char *const PREFECTURES[] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",   "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",   "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県",   "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"};

char *tg_postal_default_path(const char *data_dir) {
  return g_build_filename(data_dir, "locales", "ja", "postal", "KEN_ALL-kanagawa.csv", NULL);
}

const char *tg_postal_get_path(const tg_postal *p) { return p->path; }
size_t tg_postal_get_entry_count(const tg_postal *p) { return p->entries->len; }
size_t tg_postal_get_code_count(const tg_postal *p) { return p->ncodes; }

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i])) return false;
  return true;
}

/* A record being assembled (a 町域 may span several lines). */
typedef struct {
  bool open;
  tg_postal_entry e;
  GString *town, *kana;
  int depth; /* unclosed "（" */
} pending;

static int paren_depth(const char *s) {
  int depth = 0;
  for (const char *p = s; (p = strstr(p, "（")) != NULL; p += 3)
    depth++;
  for (const char *p = s; (p = strstr(p, "）")) != NULL; p += 3)
    depth--;
  return depth;
}

static void finish(tg_postal *P, pending *pd) {
  if (!pd->open) return;
  tg_postal_entry e = pd->e;
  const char *town = pd->town->str;
  char *base = NULL, *note = NULL;
  const char *open = strstr(town, "（");
  if (open) {
    base = g_strndup(town, (gsize)(open - town));
    const char *close = g_strrstr(open, "）");
    note =
        close && close > open ? g_strndup(open + 3, (gsize)(close - open - 3)) : g_strdup(open + 3);
  } else {
    base = g_strdup(town);
    note = g_strdup("");
  }
  /* the city without its 郡 (足柄下郡箱根町 → 箱根町), for 〇〇一円 */
  const char *gun = strstr(e.city, "郡");
  const char *short_city = gun ? gun + 3 : e.city;
  char *ichien = g_strconcat(short_city, "一円", NULL);
  char *ichien_full = g_strconcat(e.city, "一円", NULL);
  if (strcmp(base, "以下に掲載がない場合") == 0) {
    e.is_default = true;
    base[0] = '\0';
  } else if (strcmp(base, ichien) == 0 || strcmp(base, ichien_full) == 0) {
    e.is_whole_city = true;
    base[0] = '\0';
  } else if (g_str_has_suffix(base, "の次に番地がくる場合")) {
    e.is_whole_city = true;
    g_free(note);
    note = g_strdup(base);
    base[0] = '\0';
  }
  e.town = g_string_chunk_insert(P->strings, base);
  e.town_note = g_string_chunk_insert_const(P->strings, note);
  e.town_kana = g_string_chunk_insert(P->strings, pd->kana->str);
  g_array_append_val(P->entries, e);
  g_free(ichien);
  g_free(ichien_full);
  g_free(base);
  g_free(note);
  pd->open = false;
}

static int cmp_entry(const void *a, const void *b) {
  const tg_postal_entry *x = *(const tg_postal_entry *const *)a;
  const tg_postal_entry *y = *(const tg_postal_entry *const *)b;
  int c = strcmp(x->code, y->code);
  if (c) return c;
  return x->row < y->row ? -1 : x->row > y->row;
}

tg_postal *tg_postal_load(const char *path, tg_encoding encoding, tg_diag *d) {
  tg_targets *t = targets_open_headerless(path, encoding, d);
  if (!t) return NULL;
  tg_postal *P = g_new0(tg_postal, 1);
  P->path = g_strdup(path);
  P->strings = g_string_chunk_new(64 * 1024);
  P->entries = g_array_new(FALSE, FALSE, sizeof(tg_postal_entry));
  pending pd = {.town = g_string_new(NULL), .kana = g_string_new(NULL)};
  size_t bad = 0;
  tg_row row;
  int st;
  tg_diag *rd = tg_diag_new();
  while ((st = tg_targets_next(t, &row, rd)) == 1) {
    if (row.rejected) {
      bad++;
      continue;
    }
    if (row.nfields < 9 || row.lengths[0] != 5 || !all_digits(row.fields[0], 5) ||
        row.lengths[2] != 7 || !all_digits(row.fields[2], 7)) {
      tg_diag_row(rd, TG_ERROR, TG_KIND_DATA, "postal.format", path, row.number, NULL,
                  "not a KEN_ALL record (15 columns: municipality code, old code, postal code, "
                  "3 readings, prefecture, city, town, 6 flags)");
      bad++;
      continue;
    }
    const char *town = row.fields[8], *kana = row.fields[5];
    if (pd.open && pd.depth > 0 && strcmp(pd.e.code, row.fields[2]) == 0) {
      /* continuation of a 町域 split over lines */
      g_string_append(pd.town, town);
      if (!g_str_has_suffix(pd.kana->str, kana)) g_string_append(pd.kana, kana);
      pd.depth += paren_depth(town);
      if (pd.depth <= 0) finish(P, &pd);
      continue;
    }
    finish(P, &pd);
    tg_postal_entry *e = &pd.e;
    memset(e, 0, sizeof *e);
    memcpy(e->code, row.fields[2], 7);
    memcpy(e->jis, row.fields[0], 5);
    e->prefecture_kana = g_string_chunk_insert_const(P->strings, row.fields[3]);
    e->city_kana = g_string_chunk_insert_const(P->strings, row.fields[4]);
    e->prefecture = g_string_chunk_insert_const(P->strings, row.fields[6]);
    e->city = g_string_chunk_insert_const(P->strings, row.fields[7]);
    e->row = row.number;
    if (row.nfields >= 15) {
      e->multi_code_town = row.fields[9][0] == '1';
      e->has_chome = row.fields[11][0] == '1';
      e->multi_town_code = row.fields[12][0] == '1';
    }
    g_string_assign(pd.town, town);
    g_string_assign(pd.kana, kana);
    pd.depth = paren_depth(town);
    pd.open = true;
    if (pd.depth <= 0) finish(P, &pd);
  }
  finish(P, &pd);
  tg_diag_take(d, rd);
  tg_diag_free(rd);
  g_string_free(pd.town, TRUE);
  g_string_free(pd.kana, TRUE);
  tg_targets_free(t);
  if (st < 0 || P->entries->len == 0 || bad) {
    if (st >= 0)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "postal.unusable",
                  "%s cannot be used as a postal dictionary (%zu unreadable lines, %u records)",
                  path, bad, P->entries->len);
    tg_postal_free(P);
    return NULL;
  }
  P->by_code = g_ptr_array_sized_new(P->entries->len);
  for (guint i = 0; i < P->entries->len; i++)
    g_ptr_array_add(P->by_code, &g_array_index(P->entries, tg_postal_entry, i));
  qsort(P->by_code->pdata, P->by_code->len, sizeof(gpointer), cmp_entry);
  for (guint i = 0; i < P->by_code->len; i++) {
    const tg_postal_entry *e = g_ptr_array_index(P->by_code, i);
    if (i == 0 || strcmp(e->code, ((tg_postal_entry *)g_ptr_array_index(P->by_code, i - 1))->code))
      P->ncodes++;
  }
  return P;
}

void tg_postal_free(tg_postal *p) {
  if (!p) return;
  g_free(p->path);
  g_string_chunk_free(p->strings);
  g_array_free(p->entries, TRUE);
  if (p->by_code) g_ptr_array_free(p->by_code, TRUE);
  g_free(p);
}

const tg_postal_entry *const *tg_postal_lookup(const tg_postal *p, const char *code7, size_t *n) {
  *n = 0;
  if (!p || !p->by_code || strlen(code7) != 7) return NULL;
  size_t lo = 0, hi = p->by_code->len;
  while (lo < hi) { /* first entry >= code */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(((tg_postal_entry *)p->by_code->pdata[mid])->code, code7) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < p->by_code->len && !strcmp(((tg_postal_entry *)p->by_code->pdata[end])->code, code7))
    end++;
  if (end == lo) return NULL;
  *n = end - lo;
  return (const tg_postal_entry *const *)p->by_code->pdata + lo;
}

/* ---- addresses ------------------------------------------------------------------ */

/* If the address from byte `pos` starts with `s` (both folded: spaces
 * skipped, digit width and ケ/ヶ ignored), the byte offset after the match;
 * otherwise (size_t)-1. */
static size_t fold_prefix(const char *addr, size_t len, size_t pos, const char *s) {
  const char *q = s;
  size_t qlen = strlen(s);
  const char *qend = s + qlen;
  while (q < qend) {
    uint32_t want;
    q += tg_utf8_decode(q, (size_t)(qend - q), &want);
    want = targets_fold_cp(want);
    if (!want) continue;
    uint32_t got = 0;
    while (pos < len) {
      pos += (size_t)tg_utf8_decode(addr + pos, len - pos, &got);
      got = targets_fold_cp(got);
      if (got) break;
    }
    if (got != want) return (size_t)-1;
  }
  return pos;
}

tg_postal_match tg_postal_match_address(const tg_postal *p, const char *code7, const char *address,
                                        size_t len, tg_postal_split *split) {
  size_t n;
  const tg_postal_entry *const *es = tg_postal_lookup(p, code7, &n);
  if (!n) return TG_POSTAL_NO_CODE;
  const char *pref = NULL;
  size_t after_pref = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(PREFECTURES) && !pref; i++) {
    size_t e = fold_prefix(address, len, 0, PREFECTURES[i]);
    if (e != (size_t)-1) {
      pref = PREFECTURES[i];
      after_pref = e;
    }
  }
  bool pref_ok = false;
  const tg_postal_entry *best = NULL;
  size_t best_town_end = 0, best_city_end = 0;
  int best_rank = -1; /* 2: town matched (longer wins), 1: default/whole city, 0: city only */
  for (size_t i = 0; i < n; i++) {
    const tg_postal_entry *e = es[i];
    if (pref && strcmp(pref, e->prefecture) != 0) continue;
    pref_ok = true;
    size_t c = fold_prefix(address, len, after_pref, e->city);
    const char *gun = strstr(e->city, "郡");
    if (c == (size_t)-1 && gun) c = fold_prefix(address, len, after_pref, gun + 3);
    if (c == (size_t)-1) continue;
    int rank = e->is_default || e->is_whole_city ? 1 : 0;
    size_t town_end = c;
    if (*e->town) {
      size_t from = c, k;
      if ((k = fold_prefix(address, len, c, "大字")) != (size_t)-1)
        from = k;
      else if ((k = fold_prefix(address, len, c, "字")) != (size_t)-1)
        from = k;
      size_t t = fold_prefix(address, len, from, e->town);
      if (t != (size_t)-1) {
        rank = 2;
        town_end = t;
      }
    }
    if (rank > best_rank || (rank == 2 && best_rank == 2 && town_end > best_town_end)) {
      best = e;
      best_rank = rank;
      best_town_end = town_end;
      best_city_end = c;
    }
  }
  if (!best) return pref_ok || !pref ? TG_POSTAL_OTHER_CITY : TG_POSTAL_OTHER_PREFECTURE;
  if (split) {
    split->entry = best;
    split->city_end = best_city_end;
    split->town_end = best_town_end;
    split->town_matched = best_rank == 2;
  }
  return TG_POSTAL_MATCH;
}
