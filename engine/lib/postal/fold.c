/* fold.c — folding addresses and KEN_ALL names for comparison, and reading
 * the numbers of an address.
 *
 * The same address is written many ways: １丁目, 1丁目, 一丁目; 霞ヶ関, 霞ケ関,
 * 霞が関; 井ノ口, 井の口; ｶﾅ and カナ; 1-2-3 with any of six dashes.  Every
 * comparison in the stage goes through postal_fold(), which maps all of them
 * to one form while remembering, per folded character, the bytes of the
 * source it came from (so a match can say where 住所B starts).  Kanji
 * numerals are folded everywhere, also inside names (北一条西 → 北1条西):
 * both sides of a comparison are folded alike, so 一ツ橋 still matches
 * 一ツ橋, and 北1条西 matches 北一条西.
 *
 * postal_read_numbers() then reads 丁目, 番地, 号, 地割 and N-M-K from the
 * folded text after a town; postal_read_floor() the floor of a building.
 */
#include "postal/postal_private.h"

#include <string.h>

/* ---- characters ------------------------------------------------------------------- */

/* Half-width katakana U+FF61–U+FF9F as full-width. */
static const uint16_t HALF_KANA[] = {
    0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9,
    0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB,
    0x30AD, 0x30AF, 0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1,
    0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5,
    0x30D8, 0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9,
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C,
};

/* カ–ト and ハ–ホ take a dakuten as the next code point; ウ becomes ヴ. */
static uint32_t with_dakuten(uint32_t k) {
  if (k == 0x30A6) return 0x30F4;
  if ((k >= 0x30AB && k <= 0x30C8 && k != 0x30C3) ||
      (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0))
    return k + 1;
  return 0;
}

static uint32_t with_handakuten(uint32_t k) {
  return k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0 ? k + 2 : 0;
}

static bool is_blank(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0;
}

/* One code point as folded (0: dropped). */
static uint32_t fold_cp(uint32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0; /* full-width ASCII */
  if (c >= 'a' && c <= 'z') return c - 'a' + 'A';
  switch (c) {
  case 0x30F6:                         /* ヶ */
  case 0x30F5:                         /* ヵ */
  case 0x304C:                         /* が */
  case 0x30AC: /* ガ */ return 0x30B1; /* ケ */
  case 0x30CE:                         /* ノ */
  case 0x4E4B: /* 之 */ return 0x306E; /* の */
  case 0x30C3: return 0x30C4;          /* ッ → ツ (一ッ橋, 三ッ沢) */
  case 0xFA11: return 0x5D0E;          /* 﨑 → 崎 */
  case 0x9AD9: return 0x9AD8;          /* 髙 → 高 */
  case 0xFA10: return 0x585A;          /* 塚 (compatibility) → 塚 */
  case 0x301C: return '~';             /* 〜 wave dash (～ is folded above) */
  case 0x2010:
  case 0x2011:
  case 0x2012:
  case 0x2013:
  case 0x2014:
  case 0x2015:
  case 0x2212:
  case 0x2500:
  case 0x2501:
  case 0xFE63: return '-';
  default: return c;
  }
}

/* 〇一二三四五六七八九 and 零壱弐参: the digit; -1 otherwise. */
static int kanji_digit(uint32_t c) {
  switch (c) {
  case 0x3007:
  case 0x96F6: return 0;
  case 0x4E00:
  case 0x58F1: return 1;
  case 0x4E8C:
  case 0x5F10: return 2;
  case 0x4E09:
  case 0x53C2: return 3;
  case 0x56DB: return 4;
  case 0x4E94: return 5;
  case 0x516D: return 6;
  case 0x4E03: return 7;
  case 0x516B: return 8;
  case 0x4E5D: return 9;
  default: return -1;
  }
}

static unsigned kanji_power(uint32_t c) {
  switch (c) {
  case 0x5341:
  case 0x62FE: return 10;   /* 十 拾 */
  case 0x767E: return 100;  /* 百 */
  case 0x5343: return 1000; /* 千 */
  default: return 0;
  }
}

bool postal_is_kanji_numeral(uint32_t c) { return kanji_digit(c) >= 0 || kanji_power(c) > 0; }

#define MAX_KANJI_RUN 8

/* Positional with 十百千 (二十一 = 21, 十 = 10), digit by digit without (二〇五 = 205). */
static uint64_t kanji_value(const postal_char *c, size_t n) {
  bool positional = false;
  for (size_t i = 0; i < n; i++)
    if (kanji_power(c[i].cp)) positional = true;
  uint64_t total = 0, cur = 0;
  bool have = false;
  for (size_t i = 0; i < n; i++) {
    int d = kanji_digit(c[i].cp);
    if (d >= 0) {
      cur = cur * 10 + (uint64_t)d;
      have = true;
    } else if (positional) {
      total += (have ? cur : 1) * kanji_power(c[i].cp);
      cur = 0;
      have = false;
    }
  }
  return total + cur;
}

/* ---- folding ------------------------------------------------------------------------ */

static void push(postal_text *t, uint32_t cp, uint32_t start, uint32_t end, bool space) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->c = g_renew(postal_char, t->c, t->cap);
  }
  t->c[t->n++] = (postal_char){cp, start, end, space};
}

void postal_fold(postal_text *t, const char *s, size_t len) { postal_fold_as(t, s, len, true); }

void postal_fold_as(postal_text *t, const char *s, size_t len, bool numerals) {
  t->n = 0;
  bool space = false;
  for (size_t i = 0; i < len;) {
    uint32_t c;
    size_t start = i;
    i += (size_t)tg_utf8_decode(s + i, len - i, &c);
    if (is_blank(c)) {
      space = true;
      continue;
    }
    if (c >= 0xFF61 && c <= 0xFF9F) { /* half-width kana, with its (han)dakuten */
      c = HALF_KANA[c - 0xFF61];
      if (i < len) {
        uint32_t m;
        int k = tg_utf8_decode(s + i, len - i, &m);
        uint32_t v = m == 0xFF9E ? with_dakuten(c) : m == 0xFF9F ? with_handakuten(c) : 0;
        if (v) {
          c = v;
          i += (size_t)k;
        }
      }
    }
    c = fold_cp(c);
    push(t, c, (uint32_t)start, (uint32_t)i, space);
    space = false;
  }
  if (!numerals) return;
  /* runs of kanji numerals → ASCII digits, in place */
  size_t w = 0;
  for (size_t r = 0; r < t->n;) {
    size_t j = r;
    while (j < t->n && postal_is_kanji_numeral(t->c[j].cp) && (j == r || !t->c[j].space))
      j++;
    if (j == r) {
      t->c[w++] = t->c[r++];
      continue;
    }
    if (j - r > MAX_KANJI_RUN) {
      memmove(t->c + w, t->c + r, (j - r) * sizeof *t->c);
      w += j - r;
      r = j;
      continue;
    }
    char digits[24];
    g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, (guint64)kanji_value(t->c + r, j - r));
    size_t nd = strlen(digits);
    postal_char first = t->c[r], last = t->c[j - 1];
    /* a run never gets longer than its digits (八千 → 8000 does): make room */
    if (nd > j - r) {
      size_t extra = nd - (j - r);
      while (t->n + extra > t->cap) {
        t->cap *= 2;
        t->c = g_renew(postal_char, t->c, t->cap);
      }
      memmove(t->c + j + extra, t->c + j, (t->n - j) * sizeof *t->c);
      t->n += extra;
      j += extra;
    }
    for (size_t k = 0; k < nd; k++)
      t->c[w++] = (postal_char){(uint32_t)digits[k], first.start, last.end, k == 0 && first.space};
    r = j;
  }
  t->n = w;
}

void postal_text_free(postal_text *t) {
  g_free(t->c);
  t->c = NULL;
  t->n = t->cap = 0;
}

void postal_text_append(const postal_text *t, size_t from, size_t to, GString *out) {
  for (size_t i = from; i < to && i < t->n; i++)
    tg_utf8_append(out, t->c[i].cp);
}

size_t postal_text_at(const postal_text *t, size_t i, const char *lit) {
  size_t k = 0, len = strlen(lit);
  for (size_t b = 0; b < len; k++) {
    uint32_t c;
    b += (size_t)tg_utf8_decode(lit + b, len - b, &c);
    if (i + k >= t->n || t->c[i + k].cp != c) return 0;
  }
  return k;
}

/* ---- numbers ---------------------------------------------------------------------- */

static bool read_uint(const postal_text *t, size_t *i, uint32_t *v) {
  size_t k = *i;
  uint64_t x = 0;
  while (k < t->n && postal_is_digit(t->c[k].cp) && x < 100000000) {
    x = x * 10 + (t->c[k].cp - '0');
    k++;
  }
  if (k == *i) return false;
  while (k < t->n && postal_is_digit(t->c[k].cp)) /* absurdly long: keep the value capped */
    k++;
  *i = k;
  *v = (uint32_t)x;
  return true;
}

/* A separator between the numbers of 1-2-3 (or 12番地の3): '-', ー between
 * digits, の. */
static bool is_sep(const postal_text *t, size_t i) {
  if (i >= t->n) return false;
  uint32_t c = t->c[i].cp;
  if (c == '-' || c == 0x306E /* の */) return true;
  return c == 0x30FC /* ー */ && i > 0 && postal_is_digit(t->c[i - 1].cp);
}

static bool floor_after(const postal_text *t, size_t i) {
  return i < t->n && (t->c[i].cp == 0x968E /* 階 */ || t->c[i].cp == 'F');
}

/* Skip a unit after a number; returns which (0 none). */
enum { U_NONE, U_CHOME, U_BANCHI, U_BAN, U_GO, U_CHIWARI };
static int unit_at(const postal_text *t, size_t *i) {
  size_t k;
  if ((k = postal_text_at(t, *i, "丁目"))) {
    *i += k;
    return U_CHOME;
  }
  if ((k = postal_text_at(t, *i, "丁"))) {
    *i += k;
    return U_CHOME;
  }
  if ((k = postal_text_at(t, *i, "番地"))) {
    *i += k;
    return U_BANCHI;
  }
  if ((k = postal_text_at(t, *i, "番"))) {
    *i += k;
    return U_BAN;
  }
  if ((k = postal_text_at(t, *i, "号"))) {
    *i += k;
    return U_GO;
  }
  if ((k = postal_text_at(t, *i, "地割"))) {
    *i += k;
    return U_CHIWARI;
  }
  return U_NONE;
}

/* After a number and its unit at *i: a separator and a further number (not a
 * floor), with its unit skipped.  False (nothing consumed) if there is none. */
static bool next_number(const postal_text *t, size_t *i, uint32_t *v) {
  size_t k = *i;
  if (is_sep(t, k)) k++;
  if (k >= t->n || !postal_is_digit(t->c[k].cp) || !read_uint(t, &k, v) || floor_after(t, k))
    return false;
  unit_at(t, &k);
  *i = k;
  return true;
}

void postal_read_numbers(const postal_text *t, size_t from, postal_numbers *out) {
  memset(out, 0, sizeof *out);
  out->chome = out->banchi = out->branch = out->chiwari = -1;
  out->end = from;
  size_t i = from;
  /* a 字 name (or any word, 第 of 第N地割) before the first number */
  while (i < t->n && !postal_is_digit(t->c[i].cp))
    i++;
  uint32_t v;
  if (i >= t->n || !read_uint(t, &i, &v) || floor_after(t, i)) return;
  out->any_number = true;
  int u = unit_at(t, &i);
  switch (u) {
  case U_CHIWARI: {
    out->chiwari = (int32_t)v;
    size_t k = i; /* the 番地 may follow after a 字 name: 第2地割字大淵川480 */
    while (k < t->n && !postal_is_digit(t->c[k].cp))
      k++;
    if (k < t->n && read_uint(t, &k, &v) && !floor_after(t, k)) {
      out->banchi = (int32_t)v;
      out->banchi_written = true;
      unit_at(t, &k);
      i = k;
      if (next_number(t, &i, &v)) out->branch = (int32_t)v;
    }
    break;
  }
  case U_CHOME:
    out->chome = (int32_t)v;
    out->chome_written = true;
    if (next_number(t, &i, &v)) {
      out->banchi = (int32_t)v;
      if (next_number(t, &i, &v)) out->branch = (int32_t)v;
    }
    break;
  case U_BANCHI:
  case U_BAN:
    out->banchi = (int32_t)v;
    out->banchi_written = true;
    if (next_number(t, &i, &v)) out->branch = (int32_t)v;
    break;
  default: /* N, N-M, N-M-K, N号: the town decides what they are */
    out->nums[out->nnums++] = v;
    while (u == U_NONE && out->nnums < 3 && is_sep(t, i) && i + 1 < t->n &&
           postal_is_digit(t->c[i + 1].cp)) {
      size_t k = i + 1;
      if (!read_uint(t, &k, &v) || floor_after(t, k)) break;
      out->nums[out->nnums++] = v;
      i = k;
      u = unit_at(t, &i);
      if (u != U_NONE && u != U_GO) break;
    }
    break;
  }
  out->end = i;
}

int postal_read_floor(const postal_text *t, size_t from) {
  for (size_t i = from; i < t->n; i++) {
    if (!postal_is_digit(t->c[i].cp)) continue;
    size_t k = i;
    uint32_t v = 0;
    read_uint(t, &k, &v);
    if (!floor_after(t, k)) return 0; /* a room or house number: no floor written here */
    /* B1F, 地下1階 — the B or 地下 written at or after `from` (not the last
     * letter of a building's name: クイーンズタワーＢ27F), the B not the end
     * of a word */
    bool b = i >= from + 1 && t->c[i - 1].cp == 'B' &&
             (i - 1 == from || !(t->c[i - 2].cp >= 'A' && t->c[i - 2].cp <= 'Z'));
    bool basement = b || (i >= from + 2 && postal_text_at(t, i - 2, "地下") == 2);
    if (basement) return -1;
    return v > 0 && v < 1000 ? (int)v : 0;
  }
  return 0;
}
