/* custbar.c — the Japan Post customer barcode (カスタマバーコード).
 *
 * Part of the postal stage: from a postal code and an address to the 67 bars
 * of the symbol and their rectangles in points, following Japan Post's
 * 郵便番号・バーコードマニュアル (p12–p25; digest in shared/research/domain.md
 * §A).  Four steps, each a function below:
 *
 *   1. split the address after the town name (町域) of the postal code:
 *      住所A | 住所B (find_b; the town names come from the caller),
 *   2. extract the address-number data from 住所B by 基本ルール 1–6 and
 *      補足ルール 1–5 (extract),
 *   3. concatenate with the postal code, cut at 20 positions (a letter's
 *      control code may stay alone at position 20), pad with CC4, add the
 *      mod-19 check digit, START and STOP (encode_data),
 *   4. lay out the bars at a size of 8–11.5 pt (tg_custbar_geometry).
 *
 * Decisions where the manual is silent are in docs/barcode.md.  Everything
 * works on code points with a map back to character positions, so warnings
 * can name a position instead of quoting the address.
 */
#include <math.h>
#include <string.h>

#include "base/base.h"
#include "tegami/postal.h"

/* ---- code points --------------------------------------------------------- */

/* One normalised character, the index of the input character it came from
 * and how many input characters that cluster had (a base and its marks). */
typedef struct {
  uint32_t cp;
  uint32_t pos, nchars;
} unit;

static bool is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static bool is_ascii_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }

/* Characters that NFKC attaches to the one before (dakuten and friends). */
static bool is_combining(uint32_t c) {
  return c == 0xFF9E || c == 0xFF9F || g_unichar_combining_class(c) > 0;
}

/* NFKC of `s`, one cluster (a character and the marks it combines with) at a
 * time so that every output character knows the input character it came from.
 * Malformed bytes become U+FFFD.  Appends units to `out`; returns the number
 * of input characters. */
static uint32_t nfkc_units(const char *s, size_t len, GArray *out) {
  size_t i = 0;
  uint32_t pos = 0;
  while (i < len) {
    uint32_t cp;
    int n = tg_utf8_decode(s + i, len - i, &cp);
    size_t end = i + (size_t)n;
    uint32_t nchars = 1;
    if (cp != 0xFFFD || n == 3) {
      while (end < len) {
        uint32_t c2;
        int m = tg_utf8_decode(s + end, len - end, &c2);
        if (c2 == 0xFFFD || !is_combining(c2)) break;
        end += (size_t)m;
        nchars++;
      }
    }
    char *norm = cp == 0xFFFD ? NULL : g_utf8_normalize(s + i, (gssize)(end - i), G_NORMALIZE_NFKC);
    if (norm) {
      for (const char *p = norm; *p; p = g_utf8_next_char(p)) {
        unit u = {g_utf8_get_char(p), pos, nchars};
        g_array_append_val(out, u);
      }
      g_free(norm);
    } else {
      unit u = {0xFFFD, pos, nchars};
      g_array_append_val(out, u);
    }
    pos += nchars;
    i = end;
  }
  return pos;
}

/* ---- kanji numerals -------------------------------------------------------- */

/* 〇一二三四五六七八九 and the old forms 壱弐参; -1 for anything else. */
static int kanji_digit(uint32_t c) {
  switch (c) {
  case 0x3007: /* 〇 */
  case 0x96F6: /* 零 */ return 0;
  case 0x4E00: /* 一 */
  case 0x58F1: /* 壱 */ return 1;
  case 0x4E8C: /* 二 */
  case 0x5F10: /* 弐 */ return 2;
  case 0x4E09: /* 三 */
  case 0x53C2: /* 参 */ return 3;
  case 0x56DB: return 4; /* 四 */
  case 0x4E94: return 5; /* 五 */
  case 0x516D: return 6; /* 六 */
  case 0x4E03: return 7; /* 七 */
  case 0x516B: return 8; /* 八 */
  case 0x4E5D: return 9; /* 九 */
  default: return -1;
  }
}

/* 十 (拾), 百, 千; 0 for anything else. */
static unsigned kanji_power(uint32_t c) {
  switch (c) {
  case 0x5341: /* 十 */
  case 0x62FE: /* 拾 */ return 10;
  case 0x767E: return 100;  /* 百 */
  case 0x5343: return 1000; /* 千 */
  default: return 0;
  }
}

static bool is_kanji_numeral(uint32_t c) { return kanji_digit(c) >= 0 || kanji_power(c) > 0; }

/* Longest run of kanji numerals we convert; longer runs are left alone. */
#define MAX_KANJI_RUN 12

/* The value of a run of kanji numerals: positional when it has 十百千
 * (二十一 = 21, 百五 = 105), digit by digit otherwise (二〇五 = 205). */
static uint64_t kanji_value(const uint32_t *c, size_t n) {
  bool positional = false;
  for (size_t i = 0; i < n; i++)
    if (kanji_power(c[i])) positional = true;
  uint64_t total = 0, cur = 0;
  bool have_cur = false;
  for (size_t i = 0; i < n; i++) {
    int dgt = kanji_digit(c[i]);
    if (dgt >= 0) {
      cur = cur * 10 + (uint64_t)dgt;
      have_cur = true;
    } else if (positional) {
      total += (have_cur ? cur : 1) * kanji_power(c[i]);
      cur = 0;
      have_cur = false;
    }
  }
  return total + cur;
}

/* 補足ルール1: is there a trigger word (丁目 丁 番地 番 号 地割 線 の ノ) at u[i]? */
static bool trigger_at(const unit *u, size_t n, size_t i) {
  if (i >= n) return false;
  switch (u[i].cp) {
  case 0x4E01: /* 丁, 丁目 */
  case 0x756A: /* 番, 番地 */
  case 0x53F7: /* 号 */
  case 0x7DDA: /* 線 */
  case 0x306E: /* の */
  case 0x30CE: /* ノ */ return true;
  case 0x5730: /* 地割 */ return i + 1 < n && u[i + 1].cp == 0x5272;
  default: return false;
  }
}

/* ---- step 2: the address-number data of 住所B --------------------------------- */

typedef struct {
  GString *data; /* [0-9A-Z-] */
  uint32_t nwarnings;
  tg_custbar_warning warnings[TG_CUSTBAR_MAX_WARNINGS];
} extraction;

static void add_warning(extraction *x, uint32_t start, uint32_t len) {
  if (x->nwarnings < TG_CUSTBAR_MAX_WARNINGS)
    x->warnings[x->nwarnings] = (tg_custbar_warning){start, len};
  x->nwarnings++;
}

/* Normalise 住所B: NFKC (full-width digits and letters to ASCII), U+2212 to
 * "-", delete & / ・ . (基本ルール2), lower to upper case (基本ルール1). */
static GArray *normalise_b(const char *b, size_t len) {
  GArray *raw = g_array_new(FALSE, FALSE, sizeof(unit));
  nfkc_units(b, len, raw);
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(unit), raw->len);
  for (guint i = 0; i < raw->len; i++) {
    unit u = g_array_index(raw, unit, i);
    if (u.cp == '&' || u.cp == '/' || u.cp == '.' || u.cp == 0x30FB /* ・ */) continue;
    if (u.cp == 0x2212 /* − */) u.cp = '-';
    if (u.cp >= 'a' && u.cp <= 'z') u.cp -= 'a' - 'A';
    g_array_append_val(out, u);
  }
  g_array_free(raw, TRUE);
  return out;
}

/* A kanji or kana: after a kanji numeral it makes the numeral part of a
 * word (二ツ谷, 四谷, 三吉, 第一ビル), a name rather than an address number. */
static bool is_word_char(uint32_t c) {
  return (c >= 0x3041 && c <= 0x30FF && c != 0x30FC /* ー */) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

/* 補足ルール1: kanji numerals directly before a trigger word become arabic
 * digits.  Runs left unconverted that hold a digit and stand alone (the 二
 * of 三の二, at the end or before a space, "-" or a digit) are recorded as
 * warnings; a bare 十百千, or a run that begins a word (二ツ谷ヴィラ: most
 * building names repeat the town's), belongs to a name and is left out
 * silently, as the rule says. */
static GArray *convert_kanji_numerals(const GArray *in, extraction *x) {
  const unit *u = (const unit *)(const void *)in->data;
  size_t n = in->len;
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(unit), in->len);
  for (size_t i = 0; i < n;) {
    if (!is_kanji_numeral(u[i].cp)) {
      g_array_append_val(out, u[i]);
      i++;
      continue;
    }
    size_t j = i;
    bool has_digit = false;
    while (j < n && is_kanji_numeral(u[j].cp)) {
      if (kanji_digit(u[j].cp) >= 0) has_digit = true;
      j++;
    }
    if (trigger_at(u, n, j) && j - i <= MAX_KANJI_RUN) {
      uint32_t cps[MAX_KANJI_RUN];
      for (size_t k = i; k < j; k++)
        cps[k - i] = u[k].cp;
      char digits[32];
      g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, (guint64)kanji_value(cps, j - i));
      for (const char *p = digits; *p; p++) {
        unit d = {(uint32_t)*p, u[i].pos, 1};
        g_array_append_val(out, d);
      }
    } else {
      bool in_word = j < n && is_word_char(u[j].cp);
      if (has_digit && !in_word) add_warning(x, u[i].pos, u[j - 1].pos - u[i].pos + 1);
      g_array_append_vals(out, u + i, (guint)(j - i));
    }
    i = j;
  }
  return out;
}

/* 基本ルール3–6 and 補足ルール2–5 over normalised, converted units. */
static void extract_targets(const GArray *in, GString *data) {
  const unit *u = (const unit *)(const void *)in->data;
  size_t n = in->len;
  GString *s = g_string_new(NULL);
  bool pending = false; /* non-target characters seen since the last target */
  for (size_t i = 0; i < n; i++) {
    uint32_t c = u[i].cp;
    bool target = false;
    if (is_ascii_digit(c) || c == '-') {
      target = true;
    } else if (is_ascii_upper(c)) {
      /* 基本ルール3: a single letter, not next to another letter.  Runs of two
       * or more are non-target text.  補足ルール2/3: an F directly after digits
       * is a floor (階): not extracted; when targets follow it separates them
       * ("2F201" → 2-201) — exactly what a non-target character does under
       * 基本ルール4, so it is treated as one. */
      bool prev_letter = i > 0 && is_ascii_upper(u[i - 1].cp);
      bool next_letter = i + 1 < n && is_ascii_upper(u[i + 1].cp);
      bool floor_f = c == 'F' && i > 0 && is_ascii_digit(u[i - 1].cp);
      target = !prev_letter && !next_letter && !floor_f;
    }
    if (!target) {
      pending = true; /* 基本ルール4: a run before a target becomes one "-" */
      continue;
    }
    if (pending) g_string_append_c(s, '-');
    pending = false;
    g_string_append_c(s, (char)c);
  }
  /* 基本ルール5: collapse "--"; 基本ルール6: no leading "-"; and no trailing
   * "-" either (our decision, docs/barcode.md). */
  GString *t = g_string_new(NULL);
  for (size_t i = 0; i < s->len; i++) {
    if (s->str[i] == '-' && (t->len == 0 || t->str[t->len - 1] == '-')) continue;
    g_string_append_c(t, s->str[i]);
  }
  while (t->len && t->str[t->len - 1] == '-')
    g_string_truncate(t, t->len - 1);
  /* 補足ルール4: no "-" next to a letter; 補足ルール5: letters that become
   * neighbours that way stay (the two-letter test is not applied again). */
  for (size_t i = 0; i < t->len; i++) {
    if (t->str[i] == '-') {
      bool after_letter = i > 0 && is_ascii_upper((unsigned char)t->str[i - 1]);
      bool before_letter = i + 1 < t->len && is_ascii_upper((unsigned char)t->str[i + 1]);
      if (after_letter || before_letter) continue;
    }
    g_string_append_c(data, t->str[i]);
  }
  g_string_free(t, TRUE);
  g_string_free(s, TRUE);
}

/* Steps 1–6 of p19 on 住所B (len bytes); character positions in warnings are
 * shifted by pos_base. */
static void extract(const char *b, size_t len, uint32_t pos_base, extraction *x) {
  GArray *norm = normalise_b(b, len);
  GArray *conv = convert_kanji_numerals(norm, x);
  extract_targets(conv, x->data);
  for (uint32_t i = 0; i < x->nwarnings && i < TG_CUSTBAR_MAX_WARNINGS; i++)
    x->warnings[i].start += pos_base;
  g_array_free(conv, TRUE);
  g_array_free(norm, TRUE);
}

/* ---- step 1: 住所A | 住所B ----------------------------------------------------- */

/* A folded character for matching town names, and the bytes it came from. */
typedef struct {
  uint32_t cp;
  size_t start, end; /* byte range in the original string */
  bool space_before; /* blanks were skipped just before it */
} fchar;

/* Fold a string for matching: NFKC, blanks dropped, ヶケがガ → ケ, ヵ → カ,
 * のノ之 → の, Latin upper case, runs of kanji numerals → arabic digits
 * (北六条東 matches 北6条東). */
static GArray *fold(const char *s, size_t len) {
  GArray *units = g_array_new(FALSE, FALSE, sizeof(unit));
  nfkc_units(s, len, units);
  /* byte offset of every input character */
  GArray *offs = g_array_new(FALSE, FALSE, sizeof(size_t));
  for (size_t i = 0; i <= len;) {
    g_array_append_val(offs, i);
    if (i == len) break;
    uint32_t cp;
    i += (size_t)tg_utf8_decode(s + i, len - i, &cp);
  }
  GArray *tmp = g_array_new(FALSE, FALSE, sizeof(fchar));
  bool space = false;
  for (guint i = 0; i < units->len; i++) {
    unit u = g_array_index(units, unit, i);
    uint32_t c = u.cp;
    if (g_unichar_isspace(c) || c == 0x3000) {
      space = true;
      continue;
    }
    if (c == 0x30F6 || c == 0x304C || c == 0x30AC) c = 0x30B1; /* ヶ が ガ → ケ */
    if (c == 0x30F5) c = 0x30AB;                               /* ヵ → カ */
    if (c == 0x30CE || c == 0x4E4B) c = 0x306E;                /* ノ 之 → の */
    if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
    fchar f = {c, g_array_index(offs, size_t, u.pos), g_array_index(offs, size_t, u.pos + u.nchars),
               space};
    space = false;
    g_array_append_val(tmp, f);
  }
  GArray *out = g_array_new(FALSE, FALSE, sizeof(fchar));
  const fchar *t = (const fchar *)(const void *)tmp->data;
  for (size_t i = 0; i < tmp->len;) {
    size_t j = i;
    while (j < tmp->len && is_kanji_numeral(t[j].cp))
      j++;
    if (j == i || j - i > MAX_KANJI_RUN) {
      g_array_append_vals(out, t + i, (guint)(j > i ? j - i : 1));
      i = j > i ? j : i + 1;
      continue;
    }
    uint32_t cps[MAX_KANJI_RUN];
    for (size_t k = i; k < j; k++)
      cps[k - i] = t[k].cp;
    char digits[32];
    g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, (guint64)kanji_value(cps, j - i));
    for (const char *p = digits; *p; p++) {
      fchar f = {(uint32_t)*p, t[i].start, t[j - 1].end, p == digits && t[i].space_before};
      g_array_append_val(out, f);
    }
    i = j;
  }
  g_array_free(tmp, TRUE);
  g_array_free(offs, TRUE);
  g_array_free(units, TRUE);
  return out;
}

static const char REPRESENTATIVE_TOWN[] = "以下に掲載がない場合";

/* A KEN_ALL 町域 reduced to the name that appears in addresses: notes in
 * parentheses removed (霞が関（次のビルを除く） → 霞が関, also unclosed ones
 * of the split long rows), "…の次に番地がくる場合" → its place name,
 * "利島村一円" → 利島村.  Returns a new string, possibly empty. */
static char *clean_town(const char *town) {
  GString *s = g_string_new(NULL);
  int depth = 0;
  /* tg_utf8_decode, not g_utf8_next_char: a malformed lead byte must not
   * step over the end of the string (found by fuzz_barcode) */
  size_t len = strlen(town);
  for (size_t i = 0; i < len;) {
    uint32_t c;
    i += (size_t)tg_utf8_decode(town + i, len - i, &c);
    if (c == 0xFF08 || c == '(')
      depth++;
    else if ((c == 0xFF09 || c == ')') && depth > 0)
      depth--;
    else if (depth == 0 && !g_unichar_isspace(c) && c != 0x3000)
      g_string_append_unichar(s, c);
  }
  const char *next = strstr(s->str, "の次に");
  if (next) g_string_truncate(s, (gsize)(next - s->str));
  static const char ICHIEN[] = "一円";
  size_t il = sizeof ICHIEN - 1;
  if (s->len > il && strcmp(s->str + s->len - il, ICHIEN) == 0) g_string_truncate(s, s->len - il);
  return g_string_free(s, FALSE);
}

/* Administrative units that end the names before a town (都道府県, 市区町村,
 * 郡) and the 字 of 大字/字. */
static bool is_unit_suffix(uint32_t c) {
  switch (c) {
  case 0x90FD: /* 都 */
  case 0x9053: /* 道 */
  case 0x5E9C: /* 府 */
  case 0x770C: /* 県 */
  case 0x5E02: /* 市 */
  case 0x533A: /* 区 */
  case 0x753A: /* 町 */
  case 0x6751: /* 村 */
  case 0x90E1: /* 郡 */ return true;
  default: return false;
  }
}

bool tg_custbar_find_b(const char *address, const char *const *towns, size_t ntowns,
                       size_t *b_offset) {
  if (!address || !towns) return false;
  GArray *fa = fold(address, strlen(address));
  const fchar *a = (const fchar *)(const void *)fa->data;
  size_t na = fa->len;
  /* Best occurrence: rank 2 when it starts at a boundary (start, blank, after
   * 都道府県市区町村郡字) and is not followed by such a unit (台東 of 台東区),
   * rank 1 when only the latter holds, 0 otherwise; then the longest town,
   * then the earliest position. */
  int best_rank = -1;
  size_t best_len = 0, best_pos = 0, best_end = 0;
  for (size_t t = 0; t < ntowns; t++) {
    if (!towns[t]) continue;
    char *clean = clean_town(towns[t]);
    if (strcmp(clean, REPRESENTATIVE_TOWN) == 0) clean[0] = '\0'; /* not a place */
    GArray *ft = fold(clean, strlen(clean));
    const fchar *w = (const fchar *)(const void *)ft->data;
    size_t nw = ft->len;
    for (size_t i = 0; nw && i + nw <= na; i++) {
      size_t k = 0;
      while (k < nw && a[i + k].cp == w[k].cp)
        k++;
      if (k < nw) continue;
      /* a match may not start or end inside a converted numeral run */
      if (i > 0 && a[i - 1].start == a[i].start) continue;
      size_t last = i + nw - 1;
      if (last + 1 < na && a[last + 1].start == a[last].start) continue;
      bool unit_after = last + 1 < na && is_unit_suffix(a[last + 1].cp);
      bool boundary = i == 0 || a[i].space_before || is_unit_suffix(a[i - 1].cp) ||
                      a[i - 1].cp == 0x5B57 /* 字 */;
      int rank = unit_after ? 0 : boundary ? 2 : 1;
      if (rank > best_rank || (rank == best_rank && nw > best_len) ||
          (rank == best_rank && nw == best_len && i < best_pos)) {
        best_rank = rank;
        best_len = nw;
        best_pos = i;
        best_end = a[last].end;
      }
    }
    g_array_free(ft, TRUE);
    g_free(clean);
  }
  g_array_free(fa, TRUE);
  if (best_rank < 0) return false;
  *b_offset = best_end;
  return true;
}

/* ---- step 3: symbols, check digit, bars ------------------------------------------ */

/* Bars per symbol value 0–20 [domain.md A.3, checked against libzint]. */
static const char *const BARS[] = {
    "FTT", "FFT", "FDA", "DFA", "FAD", "FTF", "DAF", "AFD", "ADF", "TFF", /* 0–9 */
    "TFT",                                                                /* - */
    "DAT", "DTA", "ADT", "TDA", "ATD", "TAD", "TTF", "FFF",               /* CC1–CC8 */
    "FD",  "DF",                                                          /* START, STOP */
};

static const char *const SYMBOL_NAMES[] = {
    "0",   "1",   "2",   "3",   "4",   "5",   "6",   "7",   "8",     "9",    "-",
    "CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "START", "STOP",
};

const char *tg_custbar_symbol_name(unsigned sym) {
  return sym < G_N_ELEMENTS(SYMBOL_NAMES) ? SYMBOL_NAMES[sym] : "?";
}

const char *tg_custbar_status_reason(tg_custbar_status status) {
  switch (status) {
  case TG_CUSTBAR_OK: return "";
  case TG_CUSTBAR_BAD_POSTAL: return N_("not a 7-digit postal code");
  case TG_CUSTBAR_REPRESENTATIVE: return N_("representative postal code (代表番号)");
  case TG_CUSTBAR_TOWN_NOT_FOUND:
    return N_("the town name (町域) of the postal code is not in the address");
  case TG_CUSTBAR_BAD_DATA: return N_("address data other than 0-9, A-Z and -");
  }
  return "";
}

/* Postal code + address data → 20 symbols, check digit, bars, display text. */
static void encode_data(tg_custbar *bc, const char *addr) {
  uint8_t sym[64];
  size_t n = 0;
  for (int i = 0; i < 7; i++)
    sym[n++] = (uint8_t)(bc->postal[i] - '0');
  for (const char *p = addr; *p && n + 2 <= sizeof sym; p++) {
    char c = *p;
    if (c >= '0' && c <= '9') {
      sym[n++] = (uint8_t)(c - '0');
    } else if (c == '-') {
      sym[n++] = TG_CUSTBAR_HYPHEN;
    } else if (c >= 'A' && c <= 'Z') { /* A–J CC1, K–T CC2, U–Z CC3, + digit */
      sym[n++] = (uint8_t)(TG_CUSTBAR_CC1 + (c - 'A') / 10);
      sym[n++] = (uint8_t)((c - 'A') % 10);
    }
  }
  /* p20: keep the first 20; a letter at 20–21 keeps its control code only */
  bc->truncated = n > TG_CUSTBAR_DATA_LEN;
  size_t used = bc->truncated ? TG_CUSTBAR_DATA_LEN : n;
  GString *text = g_string_new(NULL);
  for (size_t i = 0; i < used; i++) {
    if (sym[i] >= TG_CUSTBAR_CC1 && sym[i] <= TG_CUSTBAR_CC1 + 2) {
      if (i + 1 < used) {
        g_string_append_c(text, (char)('A' + (sym[i] - TG_CUSTBAR_CC1) * 10 + sym[i + 1]));
        i++;
      } else {
        g_string_append_printf(text, "+%s", SYMBOL_NAMES[sym[i]]);
      }
    } else {
      g_string_append(text, SYMBOL_NAMES[sym[i]]);
    }
  }
  g_strlcpy(bc->data, text->str, sizeof bc->data);
  g_string_free(text, TRUE);
  for (size_t i = used; i < TG_CUSTBAR_DATA_LEN; i++)
    sym[i] = TG_CUSTBAR_CC4;
  unsigned sum = 0;
  for (size_t i = 0; i < TG_CUSTBAR_DATA_LEN; i++)
    sum += sym[i];
  bc->check_digit = (uint8_t)((19 - sum % 19) % 19);
  bc->symbols[0] = TG_CUSTBAR_START;
  memcpy(bc->symbols + 1, sym, TG_CUSTBAR_DATA_LEN);
  bc->symbols[TG_CUSTBAR_DATA_LEN + 1] = bc->check_digit;
  bc->symbols[TG_CUSTBAR_SYMBOLS - 1] = TG_CUSTBAR_STOP;
  size_t k = 0;
  for (size_t i = 0; i < TG_CUSTBAR_SYMBOLS; i++)
    for (const char *b = BARS[bc->symbols[i]]; *b; b++)
      bc->bars[k++] = *b;
  bc->bars[k] = '\0';
}

/* ---- public entry points ---------------------------------------------------------- */

/* "2630023", "263-0023", "〒263-0023", full-width: the 7 digits, or false. */
static bool parse_postal(const char *postal, char out[8]) {
  if (!postal) return false;
  GArray *u = g_array_new(FALSE, FALSE, sizeof(unit));
  nfkc_units(postal, strlen(postal), u);
  char digits[8];
  int nd = 0, hyphen_at = -1;
  bool ok = true;
  for (guint i = 0; i < u->len && ok; i++) {
    uint32_t c = g_array_index(u, unit, i).cp;
    if (is_ascii_digit(c)) {
      if (nd == 7)
        ok = false;
      else
        digits[nd++] = (char)c;
    } else if ((c == '-' || c == 0x2212) && nd == 3 && hyphen_at < 0) {
      hyphen_at = nd;
    } else if (!(c == 0x3012 /* 〒 */ && nd == 0) && !g_unichar_isspace(c)) {
      ok = false;
    }
  }
  g_array_free(u, TRUE);
  if (!ok || nd != 7) return false;
  memcpy(out, digits, 7);
  out[7] = '\0';
  return true;
}

bool tg_custbar_is_representative(const char *postal7, const char *const *towns, size_t ntowns) {
  if (postal7 && strlen(postal7) == 7 && strcmp(postal7 + 3, "0000") == 0) return true;
  for (size_t i = 0; towns && i < ntowns; i++) {
    if (!towns[i]) continue;
    char *t = g_strstrip(g_strdup(towns[i]));
    bool rep = strcmp(t, REPRESENTATIVE_TOWN) == 0;
    g_free(t);
    if (rep) return true;
  }
  return false;
}

/* Common start: clear, postal code, 代表番号. */
static bool begin(tg_custbar *bc, const char *postal, const char *const *towns, size_t ntowns) {
  memset(bc, 0, sizeof *bc);
  if (!parse_postal(postal, bc->postal)) {
    bc->status = TG_CUSTBAR_BAD_POSTAL;
    return false;
  }
  if (tg_custbar_is_representative(bc->postal, towns, ntowns)) {
    bc->status = TG_CUSTBAR_REPRESENTATIVE;
    return false;
  }
  return true;
}

static void finish(tg_custbar *bc, const char *b, uint32_t pos_base) {
  extraction x = {.data = g_string_new(NULL)};
  extract(b, strlen(b), pos_base, &x);
  g_strlcpy(bc->extracted, x.data->str, sizeof bc->extracted);
  encode_data(bc, x.data->str);
  bc->nwarnings = x.nwarnings;
  memcpy(bc->warnings, x.warnings, sizeof bc->warnings);
  g_string_free(x.data, TRUE);
  bc->status = TG_CUSTBAR_OK;
}

tg_custbar_status tg_custbar_encode_b(tg_custbar *bc, const char *postal, const char *address_b,
                                      const char *const *towns, size_t ntowns) {
  if (!begin(bc, postal, towns, ntowns)) return bc->status;
  finish(bc, address_b ? address_b : "", 0);
  return bc->status;
}

tg_custbar_status tg_custbar_encode(tg_custbar *bc, const char *postal, const char *address,
                                    const char *const *towns, size_t ntowns) {
  if (!begin(bc, postal, towns, ntowns)) return bc->status;
  size_t off;
  if (!address || !tg_custbar_find_b(address, towns, ntowns, &off)) {
    bc->status = TG_CUSTBAR_TOWN_NOT_FOUND;
    return bc->status;
  }
  finish(bc, address + off, (uint32_t)tg_utf8_count(address, off));
  bc->b_offset = off;
  return bc->status;
}

tg_custbar_status tg_custbar_encode_data(tg_custbar *bc, const char *postal, const char *data) {
  if (!begin(bc, postal, NULL, 0)) return bc->status;
  GString *up = g_string_new(NULL);
  for (const char *p = data ? data : ""; *p; p++) {
    char c = g_ascii_toupper(*p);
    if (!g_ascii_isdigit(c) && !(c >= 'A' && c <= 'Z') && c != '-') {
      g_string_free(up, TRUE);
      bc->status = TG_CUSTBAR_BAD_DATA;
      return bc->status;
    }
    g_string_append_c(up, c);
  }
  g_strlcpy(bc->extracted, up->str, sizeof bc->extracted);
  encode_data(bc, up->str);
  g_string_free(up, TRUE);
  bc->status = TG_CUSTBAR_OK;
  return bc->status;
}

void tg_custbar_report(const tg_custbar *bc, tg_diag *d, const char *file, uint64_t row,
                       const char *column) {
  switch (bc->status) {
  case TG_CUSTBAR_OK: break;
  case TG_CUSTBAR_REPRESENTATIVE:
    tg_diag_row(d, TG_NOTE, TG_KIND_DATA, "barcode.representative", file, row, column,
                "the postal code is a representative number (代表番号): no customer barcode");
    break;
  case TG_CUSTBAR_BAD_POSTAL:
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "barcode.postal", file, row, column,
                "not a 7-digit postal code: no customer barcode");
    break;
  case TG_CUSTBAR_BAD_DATA:
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "barcode.data", file, row, column,
                "the address data may only hold 0-9, A-Z and '-': no customer barcode");
    break;
  case TG_CUSTBAR_TOWN_NOT_FOUND:
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "barcode.town-not-found", file, row, column,
                "the address does not contain the town name (町域) of its postal code: "
                "no customer barcode");
    tg_diag_hint(d, "check that the postal code and the address agree; `tegami barcode` shows how "
                    "they are read");
    break;
  }
  for (uint32_t i = 0; i < bc->nwarnings && i < TG_CUSTBAR_MAX_WARNINGS; i++)
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "barcode.kanji-numeral", file, row, column,
                "the kanji numeral at character %u of the address is not before "
                "丁目/番地/号/の…, so the barcode rules leave it out: check the barcode",
                (unsigned)bc->warnings[i].start + 1);
}

/* ---- step 4: geometry ---------------------------------------------------------------- */

/* Tolerances at a = 10 in mm [p12]; every value scales with a/10. */
#define LONG_MIN_MM   3.40
#define LONG_MAX_MM   3.60
#define TIMING_MIN_MM 1.05
#define TIMING_MAX_MM 1.35
#define PITCH_MIN_MM  0.95
#define PITCH_MAX_MM  1.30
#define BAR_MIN_MM    0.50
#define BAR_MAX_MM    0.70
#define SPACE_MIN_MM  0.45
#define SPACE_MAX_MM  0.60
/* What we aim for: pitch and tracker nominal; the bar in the middle of
 * [0.60, 0.70], where width and space are both within tolerance; the long bar
 * in the middle of its range, below the nominal maximum. */
#define PITCH_MM  1.20
#define TIMING_MM 1.20
#define BAR_MM    0.65
#define LONG_MM   3.50
#define QUIET_MM  2.0

/* The whole number of pixels (px mm each) nearest to target within [lo, hi],
 * trying target±k; 0 if none within 3 pixels. */
static long snap(double target, double lo, double hi, double px) {
  long n0 = lround(target / px);
  for (long k = 0; k <= 3; k++)
    for (int sgn = -1; sgn <= 1; sgn += 2) {
      long n = n0 + sgn * k;
      if (n > 0 && n * px >= lo - 1e-9 && n * px <= hi + 1e-9) return n;
    }
  return 0;
}

bool tg_custbar_geometry(const tg_custbar *bc, double size_pt, double dpi, tg_custbar_geom *g,
                         tg_diag *d) {
  memset(g, 0, sizeof *g);
  if (!(size_pt >= 8.0 - 1e-9 && size_pt <= 11.5 + 1e-9)) {
    if (d)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "barcode.size",
                  "the customer barcode size must be between 8pt and 11.5pt");
    return false;
  }
  /* the pixel search below takes time in proportion to the resolution: a
   * device resolution is bounded like the command line's --dpi (a huge one
   * made it run for minutes, found by fuzz_barcode) */
  if (dpi != 0 && !(dpi >= TG_CUSTBAR_MIN_DPI && dpi <= TG_CUSTBAR_MAX_DPI)) {
    if (d)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "barcode.dpi",
                  "the device resolution for the customer barcode must be between %d and %d dpi",
                  TG_CUSTBAR_MIN_DPI, TG_CUSTBAR_MAX_DPI);
    return false;
  }
  if (bc->status != TG_CUSTBAR_OK || strlen(bc->bars) != TG_CUSTBAR_BARS) return false;
  double s = size_pt / 10.0;
  double pitch = PITCH_MM * s, bar = BAR_MM * s, lng = LONG_MM * s, timing = TIMING_MM * s;
  if (dpi > 0) {
    double px = 25.4 / dpi;
    long np = snap(pitch, PITCH_MIN_MM * s, PITCH_MAX_MM * s, px);
    long nb = 0, nl = 0, nt = snap(timing, TIMING_MIN_MM * s, TIMING_MAX_MM * s, px);
    if (np) { /* bar: width and space both within tolerance */
      long best = 0;
      for (long n = 1; n < np; n++) {
        double w = n * px, sp = (np - n) * px;
        if (w < BAR_MIN_MM * s - 1e-9 || w > BAR_MAX_MM * s + 1e-9) continue;
        if (sp < SPACE_MIN_MM * s - 1e-9 || sp > SPACE_MAX_MM * s + 1e-9) continue;
        if (!best || fabs(w - bar) < fabs(best * px - bar)) best = n;
      }
      nb = best;
    }
    if (nt) { /* long: within tolerance, same parity as the tracker (centred) */
      long best = 0;
      for (long n = nt + 2; n * px <= LONG_MAX_MM * s + 1e-9; n += 2)
        if (n * px >= LONG_MIN_MM * s - 1e-9 &&
            (!best || fabs(n * px - lng) < fabs(best * px - lng)))
          best = n;
      nl = best;
    }
    if (!np || !nb || !nt || !nl) {
      if (d)
        tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "barcode.dpi",
                    "at %g dpi the bars of a %gpt customer barcode cannot be drawn within "
                    "Japan Post's tolerances",
                    dpi, size_pt);
      return false;
    }
    pitch = np * px, bar = nb * px, lng = nl * px, timing = nt * px;
  }
  g->size_pt = size_pt;
  g->pitch_pt = tg_mm_to_pt(pitch);
  g->bar_pt = tg_mm_to_pt(bar);
  g->long_pt = tg_mm_to_pt(lng);
  g->timing_pt = tg_mm_to_pt(timing);
  g->semi_pt = tg_mm_to_pt((lng + timing) / 2);
  g->width_pt = (TG_CUSTBAR_BARS - 1) * g->pitch_pt + g->bar_pt;
  g->height_pt = g->long_pt;
  g->quiet_pt = tg_mm_to_pt(QUIET_MM);
  double ext = tg_mm_to_pt((lng - timing) / 2); /* ascender/descender beyond the tracker */
  for (size_t i = 0; i < TG_CUSTBAR_BARS; i++) {
    tg_custbar_rect *r = &g->bars[i];
    r->x_pt = i * g->pitch_pt;
    r->w_pt = g->bar_pt;
    switch (bc->bars[i]) {
    case 'F': r->y_pt = 0, r->h_pt = g->long_pt; break;
    case 'A': r->y_pt = 0, r->h_pt = g->semi_pt; break;
    case 'D': r->y_pt = ext, r->h_pt = g->semi_pt; break;
    default: r->y_pt = ext, r->h_pt = g->timing_pt; break;
    }
  }
  return true;
}
