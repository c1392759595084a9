/* postal.c — the postal-code dictionary: Japan Post's KEN_ALL.CSV format.
 *
 * Reads the official file as Japan Post publishes it (CP932, no header, 15
 * columns, columns 2–9 quoted, CRLF, about 124,000 lines for all of Japan),
 * its UTF-8 edition, and the derived dictionary vendored in locales/ja/postal/
 * (one line per record, notes removed).  The stage depends on base only, so
 * it has its own small reader: the whole file is read, decoded (CP932 by
 * base's table; detected unless stated) and split into lines and fields.
 * The official file's quirks are undone while loading:
 *   - a 町域 too long for its field continues on the next lines of the same
 *     code: a line whose 町域 opens "（" without closing it continues until
 *     the parenthesis closes;
 *   - the note in the 町域's last parentheses (霞が関（次のビルを除く）,
 *     大通西（１～１９丁目）, 藤野木（その他）, …ビル（１階）) is kept apart in
 *     town_note, the 町域 before it in town, and parsed into conditions for
 *     the derivation (notes.c);
 *   - 以下に掲載がない場合 is the code of every address of the city not
 *     listed (is_default, town ""); 〇〇一円 covers the whole town or village
 *     and 〇〇の次に（N番地以降が）くる場合 has the 番地 right after the city
 *     (is_whole_city);
 *   - the flags of columns 10–13 are kept (10 and 13 for information; 11 and
 *     12 tell the derivation how 番地 and 1-2-3 read in the town).
 * Records are found through an index sorted by code (a binary search) and,
 * for the derivation, through the city and town index of derive.c.  Address
 * comparison with a code folds spaces, digit width and ケ/ヶ, and accepts an
 * address without its prefecture or its 郡.
 */
#include "postal/postal_private.h"

#include <stdlib.h>
#include <string.h>

/* A KEN_ALL file is 12–18 MB; refuse anything absurdly larger. */
#define MAX_DICTIONARY_BYTES ((size_t)256 << 20)
#define MAX_FIELDS           16

const char *const postal_prefectures[47] = {
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
size_t tg_postal_get_entry_count(const tg_postal *p) { return p->recs->len; }
size_t tg_postal_get_code_count(const tg_postal *p) { return p->ncodes; }
const tg_postal_entry *tg_postal_get_entry(const tg_postal *p, size_t i) {
  return i < p->recs->len ? &g_array_index(p->recs, postal_rec, i).pub : NULL;
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i])) return false;
  return true;
}

/* ---- reading ---------------------------------------------------------------------- */

static GString *read_all(const char *path, tg_diag *d) {
  FILE *f = tg_open_input(path, "postal dictionary ", d);
  if (!f) return NULL;
  GString *buf = g_string_sized_new(1 << 20);
  char chunk[1 << 16];
  size_t n;
  bool too_big = false;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (buf->len + n > MAX_DICTIONARY_BYTES) {
      too_big = true;
      break;
    }
    g_string_append_len(buf, chunk, (gssize)n);
  }
  bool failed = ferror(f);
  fclose(f);
  if (failed || too_big) {
    tg_diag_add(d, TG_ERROR, too_big ? TG_KIND_LIMIT : TG_KIND_SYSTEM, "postal.unusable",
                too_big ? N_("%s cannot be used as a postal dictionary (larger than %zu MB)")
                        : N_("%s cannot be used as a postal dictionary (read error)"),
                path, MAX_DICTIONARY_BYTES >> 20);
    g_string_free(buf, TRUE);
    return NULL;
  }
  return buf;
}

/* One line decoded to UTF-8 into out; false when its bytes are not
 * characters of the encoding. */
static bool decode_line(const char *s, size_t len, bool cp932, GString *out) {
  g_string_truncate(out, 0);
  if (!cp932) {
    if (!g_utf8_validate(s, (gssize)len, NULL)) return false;
    g_string_append_len(out, s, (gssize)len);
    return true;
  }
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    int k = tg_cp932_decode((const unsigned char *)s + i, len - i, &cp);
    if (k == 0 || (cp >= 0xE000 && cp <= 0xF8FF)) return false; /* not a character, or 外字 */
    tg_utf8_append(out, cp);
    i += (size_t)k;
  }
  return true;
}

/* Split a decoded line into fields, in place (quotes removed, "" → ").
 * Returns the number of fields (at most MAX_FIELDS; more gives MAX_FIELDS+1). */
static size_t split_fields(char *s, char **fields) {
  size_t n = 0;
  char *r = s, *w = s;
  for (;;) {
    if (n == MAX_FIELDS) return MAX_FIELDS + 1;
    fields[n++] = w;
    if (*r == '"') {
      r++;
      for (;;) {
        if (*r == '\0') break;
        if (*r == '"' && r[1] == '"') {
          *w++ = '"';
          r += 2;
        } else if (*r == '"') {
          r++;
          break;
        } else {
          *w++ = *r++;
        }
      }
      while (*r && *r != ',') /* text after the closing quote: kept */
        *w++ = *r++;
    } else {
      while (*r && *r != ',')
        *w++ = *r++;
    }
    bool more = *r == ',';
    if (more) r++;
    *w++ = '\0';
    if (!more) return n;
  }
}

/* ---- records ---------------------------------------------------------------------- */

/* A record being assembled (a 町域 may span several lines). */
typedef struct {
  bool open;
  postal_rec r;
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

/* Split a 町域 into the name and its note: the note is the last
 * parenthesised group when the 町域 ends with "）" (名駅ミッドランドスクエア
 * （高層棟）（１階） → 名駅ミッドランドスクエア（高層棟） | １階), or what
 * follows an unclosed "（". */
static void split_note(const char *town, char **base, char **note) {
  size_t len = strlen(town);
  static const char OPEN[] = "（", CLOSE[] = "）";
  if (len >= 3 && strcmp(town + len - 3, CLOSE) == 0) {
    int depth = 0;
    for (size_t i = len; i >= 3; i--) {
      if (memcmp(town + i - 3, CLOSE, 3) == 0) depth++;
      if (memcmp(town + i - 3, OPEN, 3) == 0 && --depth == 0) {
        *base = g_strndup(town, i - 3);
        *note = g_strndup(town + i, len - i - 3);
        return;
      }
    }
  }
  const char *open = strstr(town, OPEN);
  if (open && paren_depth(town) > 0) { /* a note left open (a continuation went missing) */
    *base = g_strndup(town, (gsize)(open - town));
    *note = g_strdup(open + 3);
  } else { /* no note; parentheses inside a name (…（高層棟）１階) stay in it */
    *base = g_strdup(town);
    *note = g_strdup("");
  }
}

static void finish(tg_postal *P, pending *pd) {
  if (!pd->open) return;
  postal_rec r = pd->r;
  tg_postal_entry *e = &r.pub;
  char *base, *note;
  split_note(pd->town->str, &base, &note);
  /* 〇〇一円: 〇〇 is (part of) the city's name — 利島村一円, 実例町一円 of
   * 見本郡実例町, 三宅島一円 of 三宅島三宅村.  一円 alone is a town (a 大字
   * of 多賀町 is called 一円). */
  size_t blen = strlen(base);
  bool ichien = false;
  if (!*note && blen > 6 && strcmp(base + blen - 6, "一円") == 0) {
    char *name = g_strndup(base, blen - 6);
    ichien = strstr(e->city, name) != NULL;
    g_free(name);
  }
  if (strcmp(base, "以下に掲載がない場合") == 0) {
    e->is_default = true;
    base[0] = '\0';
  } else if (ichien) {
    e->is_whole_city = true;
    base[0] = '\0';
  } else if (strstr(base, "の次に") && g_str_has_suffix(base, "くる場合")) {
    /* 試験村の次に番地がくる場合, 小菅村の次に６６４番地以降がくる場合 */
    e->is_whole_city = true;
    g_free(note);
    note = g_strdup(base);
    base[0] = '\0';
  }
  e->town = g_string_chunk_insert(P->strings, base);
  e->town_note = g_string_chunk_insert_const(P->strings, note);
  e->town_kana = g_string_chunk_insert(P->strings, pd->kana->str);
  e->building = "";
  if (e->is_whole_city && *note) { /* の次に…がくる場合: the 番地 it covers */
    postal_text t = {0};
    postal_fold(&t, note, strlen(note));
    size_t from = 0, to = t.n;
    for (size_t i = 0; i < t.n; i++)
      if (postal_text_at(&t, i, "の次に")) {
        from = i + 3;
        break;
      }
    for (size_t i = from; i < t.n; i++)
      if (postal_text_at(&t, i, "ケくる場合")) { /* がくる場合, folded */
        to = i;
        break;
      }
    if (postal_text_at(&t, from, "番地") == to - from) from = to; /* 〇〇の次に番地がくる場合 */
    r.note.list = from < to ? postal_parse_conditions(&t, from, to, P->arena) : NULL;
    r.note.kind = from >= to    ? POSTAL_NOTE_NONE
                  : r.note.list ? POSTAL_NOTE_LIST
                                : POSTAL_NOTE_UNKNOWN;
    postal_text_free(&t);
  } else if (!e->is_default && !e->is_whole_city) {
    postal_parse_note(note, P->arena, &r.note);
  }
  r.index = P->recs->len;
  g_array_append_val(P->recs, r);
  g_free(base);
  g_free(note);
  pd->open = false;
}

static int cmp_rec(const void *a, const void *b) {
  const postal_rec *x = *(const postal_rec *const *)a;
  const postal_rec *y = *(const postal_rec *const *)b;
  int c = strcmp(x->pub.code, y->pub.code);
  if (c) return c;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* One line of the file: a new record, or the continuation of the open one. */
static bool take_line(tg_postal *P, pending *pd, char **f, size_t nf, uint64_t row) {
  if (nf < 9 || nf > MAX_FIELDS || strlen(f[0]) != 5 || !all_digits(f[0], 5) || strlen(f[2]) != 7 ||
      !all_digits(f[2], 7))
    return false;
  const char *town = f[8], *kana = f[5];
  if (pd->open && pd->depth > 0 && strcmp(pd->r.pub.code, f[2]) == 0) {
    /* continuation of a 町域 split over lines; the kana is continued too, or
     * repeated whole on every line */
    g_string_append(pd->town, town);
    if (!g_str_has_suffix(pd->kana->str, kana)) g_string_append(pd->kana, kana);
    pd->depth += paren_depth(town);
    if (pd->depth <= 0) finish(P, pd);
    return true;
  }
  finish(P, pd);
  postal_rec *r = &pd->r;
  memset(r, 0, sizeof *r);
  tg_postal_entry *e = &r->pub;
  memcpy(e->code, f[2], 7);
  memcpy(e->jis, f[0], 5);
  e->prefecture_kana = g_string_chunk_insert_const(P->strings, f[3]);
  e->city_kana = g_string_chunk_insert_const(P->strings, f[4]);
  e->prefecture = g_string_chunk_insert_const(P->strings, f[6]);
  e->city = g_string_chunk_insert_const(P->strings, f[7]);
  e->row = row;
  /* 郵便区番号: "252  " (3 digits and 2 spaces) or "25201"; anything else is
   * left empty, as the derived dictionaries leave it */
  size_t kl = strlen(f[1]);
  while (kl > 0 && f[1][kl - 1] == ' ')
    kl--;
  if ((kl == 3 || kl == 5) && all_digits(f[1], kl)) memcpy(e->kubun, f[1], kl);
  if (nf >= 13) {
    e->multi_code_town = f[9][0] == '1';
    e->koaza_banchi = f[10][0] == '1';
    e->has_chome = f[11][0] == '1';
    e->multi_town_code = f[12][0] == '1';
  }
  g_string_assign(pd->town, town);
  g_string_assign(pd->kana, kana);
  pd->depth = paren_depth(town);
  pd->open = true;
  if (pd->depth <= 0) finish(P, pd);
  return true;
}

tg_postal *tg_postal_load(const char *path, tg_encoding encoding, tg_diag *d) {
  GString *buf = read_all(path, d);
  if (!buf) return NULL;
  size_t off = buf->len >= 3 && memcmp(buf->str, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  bool cp932 =
      encoding == TG_ENC_CP932 ||
      (encoding == TG_ENC_AUTO && !g_utf8_validate(buf->str + off, (gssize)(buf->len - off), NULL));
  tg_postal *P = g_new0(tg_postal, 1);
  P->path = g_strdup(path);
  P->strings = g_string_chunk_new(256 * 1024);
  P->arena = tg_arena_new(64 * 1024);
  P->recs = g_array_new(FALSE, FALSE, sizeof(postal_rec));
  pending pd = {.town = g_string_new(NULL), .kana = g_string_new(NULL)};
  GString *line = g_string_new(NULL);
  size_t bad = 0;
  uint64_t row = 0;
  tg_diag *rd = tg_diag_new();
  for (size_t i = off; i < buf->len;) {
    size_t end = i;
    while (end < buf->len && buf->str[end] != '\n' && buf->str[end] != '\r')
      end++;
    size_t next = end;
    if (next < buf->len && buf->str[next] == '\r') next++;
    if (next < buf->len && buf->str[next] == '\n') next++;
    row++;
    if (end > i) {
      char *f[MAX_FIELDS + 1];
      size_t nf = 0;
      bool ok = decode_line(buf->str + i, end - i, cp932, line);
      if (ok) nf = split_fields(line->str, f);
      if (!ok || !take_line(P, &pd, f, nf, row)) {
        tg_diag_row(rd, TG_ERROR, TG_KIND_DATA, "postal.format", path, row, NULL,
                    ok ? N_("not a KEN_ALL record (15 columns: municipality code, old code, postal "
                            "code, 3 readings, prefecture, city, town, 6 flags)")
                       : N_("not a KEN_ALL record: bytes that are not %s characters"),
                    cp932 ? "CP932" : "UTF-8");
        bad++;
      }
    }
    i = next;
  }
  finish(P, &pd);
  tg_diag_take(d, rd);
  tg_diag_free(rd);
  g_string_free(line, TRUE);
  g_string_free(pd.town, TRUE);
  g_string_free(pd.kana, TRUE);
  g_string_free(buf, TRUE);
  if (P->recs->len == 0 || bad) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "postal.unusable",
                "%s cannot be used as a postal dictionary (%zu unreadable lines, %u records)", path,
                bad, P->recs->len);
    tg_postal_free(P);
    return NULL;
  }
  P->by_code = g_ptr_array_sized_new(P->recs->len);
  for (guint i = 0; i < P->recs->len; i++)
    g_ptr_array_add(P->by_code, &g_array_index(P->recs, postal_rec, i));
  qsort(P->by_code->pdata, P->by_code->len, sizeof(gpointer), cmp_rec);
  for (guint i = 0; i < P->by_code->len; i++) {
    const postal_rec *r = g_ptr_array_index(P->by_code, i);
    if (i == 0 ||
        strcmp(r->pub.code, ((postal_rec *)g_ptr_array_index(P->by_code, i - 1))->pub.code))
      P->ncodes++;
  }
  postal_index_build(P);
  return P;
}

void tg_postal_free(tg_postal *p) {
  if (!p) return;
  postal_index_free(p);
  g_free(p->path);
  g_string_chunk_free(p->strings);
  tg_arena_free(p->arena);
  g_array_free(p->recs, TRUE);
  if (p->by_code) g_ptr_array_free(p->by_code, TRUE);
  g_free(p);
}

const tg_postal_entry *const *tg_postal_lookup(const tg_postal *p, const char *code7, size_t *n) {
  *n = 0;
  if (!p || !p->by_code || strlen(code7) != 7) return NULL;
  size_t lo = 0, hi = p->by_code->len;
  while (lo < hi) { /* first entry >= code */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(((postal_rec *)p->by_code->pdata[mid])->pub.code, code7) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < p->by_code->len && !strcmp(((postal_rec *)p->by_code->pdata[end])->pub.code, code7))
    end++;
  if (end == lo) return NULL;
  *n = end - lo;
  /* a postal_rec starts with its tg_postal_entry: the pointer array serves both */
  return (const tg_postal_entry *const *)p->by_code->pdata + lo;
}

/* ---- addresses ------------------------------------------------------------------ */

/* A code point folded for comparing an address with its code: full-width
 * ASCII → ASCII, ヶ/ｹ/ヵ/ｶ → ケ/カ, dashes → '-'; 0 for blanks (skipped). */
static uint32_t match_fold_cp(uint32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000) return 0;
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
  switch (cp) {
  case 0x30F6:
  case 0xFF79: return 0x30B1; /* ヶ ｹ → ケ */
  case 0x30F5:
  case 0xFF76: return 0x30AB; /* ヵ ｶ → カ */
  case 0x2212:
  case 0x2010:
  case 0x2011:
  case 0x2013:
  case 0x2014:
  case 0x2015: return '-';
  default: return cp;
  }
}

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
    want = match_fold_cp(want);
    if (!want) continue;
    uint32_t got = 0;
    while (pos < len) {
      pos += (size_t)tg_utf8_decode(addr + pos, len - pos, &got);
      got = match_fold_cp(got);
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
  for (size_t i = 0; i < G_N_ELEMENTS(postal_prefectures) && !pref; i++) {
    size_t e = fold_prefix(address, len, 0, postal_prefectures[i]);
    if (e != (size_t)-1) {
      pref = postal_prefectures[i];
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

bool tg_postal_kubun(const tg_postal *p, const char *code7, char out[6]) {
  size_t n;
  const tg_postal_entry *const *es = tg_postal_lookup(p, code7, &n);
  for (size_t i = 0; i < n; i++)
    if (es[i]->kubun[0]) {
      g_strlcpy(out, es[i]->kubun, 6);
      return true;
    }
  g_strlcpy(out, code7, 4);
  return false;
}
