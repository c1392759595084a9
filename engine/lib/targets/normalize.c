/* normalize.c — the normalisation functions of the targets stage: kana
 * width and script, full-width ASCII, numbers and postal codes as written in
 * municipal lists, ○/● marks, and the loose "folding" used to compare
 * headers, addresses and keys.
 *
 * None of these is ever applied to a list's values in place: the reader
 * passes fields on byte for byte, and the validator and the merge filters
 * work on normalised copies.  Names in particular are never Unicode-
 * normalised (NFC/NFKC would turn CJK compatibility ideographs into their
 * unified forms and drop nothing less than the registered character).
 */
#include "targets/targets_private.h"

#include <stdlib.h>
#include <string.h>

/* ---- folding ---------------------------------------------------------------- */

uint32_t targets_fold_cp(uint32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000) return 0;
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
  switch (cp) {
  case 0x30F6:                        /* ヶ */
  case 0xFF79: /* ｹ */ return 0x30B1; /* ケ */
  case 0x30F5:                        /* ヵ */
  case 0xFF76: /* ｶ */ return 0x30AB; /* カ */
  case 0x2212:                        /* − minus sign */
  case 0x2010:                        /* ‐ hyphen */
  case 0x2011:
  case 0x2013:
  case 0x2014:
  case 0x2015: return '-';
  default: return cp;
  }
}

void targets_fold(GString *out, const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    uint32_t f = targets_fold_cp(cp);
    if (f) tg_utf8_append(out, f);
  }
}

bool targets_is_blank(const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    if (s[i] == ' ' || s[i] == '\t') {
      i++;
    } else if (len - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

/* ---- kana ------------------------------------------------------------------- */

/* Full-width forms of U+FF61-U+FF9F, in order. */
static const uint16_t HALF_TO_FULL[] = {
    0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, /* FF61 ｡｢｣､･ｦｧｨ */
    0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC, /* FF69 ｩｪｫｬｭｮｯｰ */
    0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, /* FF71 ｱｲｳｴｵｶｷｸ */
    0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, /* FF79 ｹｺｻｼｽｾｿﾀ */
    0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, /* FF81 ﾁﾂﾃﾄﾅﾆﾇﾈ */
    0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF, /* FF89 ﾉﾊﾋﾌﾍﾎﾏﾐ */
    0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA, /* FF91 ﾑﾒﾓﾔﾕﾖﾗﾘ */
    0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C,         /* FF99 ﾙﾚﾛﾜﾝﾞﾟ */
};

/* The voiced (dakuten) form of a full-width katakana, or 0. */
static uint32_t voiced(uint32_t k) {
  if ((k >= 0x30AB && k <= 0x30C2 && (k & 1)) /* カ..ヂ: odd are unvoiced */ ||
      (k >= 0x30C4 && k <= 0x30C8 && !(k & 1)) /* ツテト */)
    return k + 1;
  if (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0) return k + 1; /* ハヒフヘホ */
  if (k == 0x30A6) return 0x30F4;                                        /* ウ → ヴ */
  if (k == 0x30EF) return 0x30F7;                                        /* ワ → ヷ */
  if (k == 0x30F2) return 0x30FA;                                        /* ヲ → ヺ */
  return 0;
}

static uint32_t semi_voiced(uint32_t k) {
  if (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0) return k + 2; /* パピプペポ */
  return 0;
}

static void append_fullwidth(GString *out, const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp < 0xFF61 || cp > 0xFF9F) {
      tg_utf8_append(out, cp);
      continue;
    }
    uint32_t full = HALF_TO_FULL[cp - 0xFF61];
    if (p < end && cp != 0xFF9E && cp != 0xFF9F) {
      uint32_t next;
      int n = tg_utf8_decode(p, (size_t)(end - p), &next);
      uint32_t joined = next == 0xFF9E ? voiced(full) : next == 0xFF9F ? semi_voiced(full) : 0;
      if (joined) {
        full = joined;
        p += n;
      }
    }
    tg_utf8_append(out, full);
  }
}

static char *gstring_to_malloc(GString *g) {
  /* GLib allocates with the system malloc, so free() releases it. */
  return g_string_free(g, FALSE);
}

char *tg_kana_to_fullwidth(const char *s, size_t len) {
  GString *out = g_string_sized_new(len + 1);
  append_fullwidth(out, s, len);
  return gstring_to_malloc(out);
}

char *tg_kana_to_hiragana(const char *s, size_t len) {
  GString *full = g_string_sized_new(len + 1);
  append_fullwidth(full, s, len);
  GString *out = g_string_sized_new(full->len + 1);
  const char *p = full->str, *end = full->str + full->len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if ((cp >= 0x30A1 && cp <= 0x30F6) || cp == 0x30FD || cp == 0x30FE) cp -= 0x60;
    tg_utf8_append(out, cp);
  }
  g_string_free(full, TRUE);
  return gstring_to_malloc(out);
}

char *tg_ascii_from_fullwidth(const char *s, size_t len) {
  GString *out = g_string_sized_new(len + 1);
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= 0xFF01 && cp <= 0xFF5E)
      cp -= 0xFEE0;
    else if (cp == 0x3000)
      cp = ' ';
    tg_utf8_append(out, cp);
  }
  return gstring_to_malloc(out);
}

/* ---- numbers ---------------------------------------------------------------- */

bool tg_parse_decimal(const char *s, size_t len, double *value) {
  char buf[64];
  size_t n = 0;
  bool digits = false, point = false, sign_ok = true, done = false;
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp == 0x2212) cp = '-';
    if (cp == ' ' || cp == 0x3000 || cp == '\t') {
      if (digits || point || !sign_ok) done = true; /* trailing spaces only */
      continue;
    }
    if (done || n + 2 >= sizeof buf) return false;
    if (cp >= '0' && cp <= '9') {
      digits = true;
      sign_ok = false;
      buf[n++] = (char)cp;
    } else if (cp == '.' && !point) {
      point = true;
      sign_ok = false;
      buf[n++] = '.';
    } else if ((cp == '-' || cp == '+') && sign_ok) {
      sign_ok = false;
      buf[n++] = (char)cp;
    } else {
      return false;
    }
  }
  if (!digits) return false;
  buf[n] = '\0';
  char *stop = NULL;
  double v = g_ascii_strtod(buf, &stop);
  if (!stop || *stop) return false;
  *value = v;
  return true;
}

bool tg_postal_code_normalize(const char *s, size_t len, char out[8]) {
  int n = 0, hyphens = 0, hyphen_at = -1;
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= 0xFF10 && cp <= 0xFF19) cp -= 0xFEE0;
    if (cp >= '0' && cp <= '9') {
      if (n >= 7) return false;
      out[n++] = (char)cp;
    } else if (cp == '-' || cp == 0xFF0D || cp == 0x2212 || cp == 0x2010 || cp == 0x2011 ||
               cp == 0x30FC || cp == 0xFF70) {
      hyphens++;
      hyphen_at = n;
    } else if (cp == 0x3012 /* 〒 */ && n == 0) {
      continue;
    } else if (cp == ' ' || cp == 0x3000) {
      continue;
    } else {
      return false;
    }
  }
  if (n != 7 || hyphens > 1 || (hyphens == 1 && hyphen_at != 3)) return false;
  out[7] = '\0';
  return true;
}

/* ---- marks ------------------------------------------------------------------ */

tg_mark tg_mark_parse(const char *s, size_t len) {
  uint32_t found = 0;
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp == ' ' || cp == 0x3000 || cp == '\t') continue;
    if (found) return TG_MARK_INVALID; /* two marks, or a mark and text */
    found = cp;
  }
  switch (found) {
  case 0: return TG_MARK_NONE;
  case 0x25CB: /* ○ */
  case 0x25EF: /* ◯ */
  case 0x3007: /* 〇 */ return TG_MARK_CIRCLE;
  case 0x25CF: /* ● */ return TG_MARK_FILLED;
  default: return TG_MARK_INVALID;
  }
}
