/* utf8.c — stepping through and measuring UTF-8 text.
 *
 * The engine keeps all text as UTF-8.  These helpers never fail: a malformed
 * byte counts as one character (U+FFFD), so a position can always be shown.
 * Validation of input files happens where they are read (targets stage).
 */
#include "base/base.h"

const char *tg_utf8_next(const char *p) {
  unsigned char c = (unsigned char)*p;
  if (c == 0) return p;
  int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  for (int i = 1; i < n; i++)
    if (((unsigned char)p[i] & 0xC0) != 0x80) return p + 1;
  return p + n;
}

int tg_utf8_decode(const char *s, size_t len, uint32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (len == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  unsigned char c = u[0];
  int n;
  uint32_t v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c >> 5) == 0x6) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if ((c >> 4) == 0xE) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if ((c >> 3) == 0x1E) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if ((size_t)n > len) {
    *cp = 0xFFFD;
    return 1;
  }
  for (int i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (u[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

size_t tg_utf8_count(const char *s, size_t len) {
  size_t n = 0;
  const char *end = s + len;
  while (s < end) {
    uint32_t cp;
    s += tg_utf8_decode(s, (size_t)(end - s), &cp);
    n++;
  }
  return n;
}

void tg_utf8_append(GString *out, uint32_t cp) {
  char buf[8];
  int n = g_unichar_to_utf8(cp, buf);
  g_string_append_len(out, buf, n);
}

size_t tg_utf8_display_width(const char *s, size_t len) {
  size_t w = 0;
  const char *end = s + len;
  while (s < end) {
    uint32_t cp;
    s += tg_utf8_decode(s, (size_t)(end - s), &cp);
    if (cp == '\t')
      w += 1;
    else if (g_unichar_iszerowidth(cp))
      continue;
    else
      w += g_unichar_iswide(cp) ? 2 : 1;
  }
  return w;
}

uint32_t tg_number_char(uint32_t cp) {
  if (cp >= 0xFF10 && cp <= 0xFF19) return '0' + (cp - 0xFF10);
  if (cp == 0xFF0E) return '.';
  if (cp == 0xFF0D || cp == 0x2212) return '-';
  return cp;
}
