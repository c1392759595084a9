/* cp932.c — decoding Windows-31J (CP932), the encoding of most KDB and
 * municipal exports, and of Japan Post's KEN_ALL.CSV.  It lives in base because
 * two stages read CP932: targets (lists) and postal (the dictionary).
 *
 * Why a table of our own rather than iconv: glibc's "CP932" agrees with
 * Microsoft's mapping on every double-byte code (test_cp932 checks all
 * 11,280 of them at test time), but other iconv implementations do not —
 * musl has no NEC/IBM extensions, win-iconv and libiconv differ on
 * 0x815F/0x8160/0x817C and on the single bytes 0x80/0xA0/0xFD-0xFF — and the
 * engine must read a list the same way everywhere.  The table also lets the
 * reader name the exact bytes of a problem and is several times faster than a
 * conversion call per field.  The table itself (cp932_table.c) is generated
 * by tools/gen_cp932_table.py.
 *
 * Single bytes: 0x00-0x7F are ASCII (0x5C is '\' and 0x7E '~', as Windows
 * reads them), 0xA1-0xDF half-width katakana U+FF61-U+FF9F; 0x80, 0xA0 and
 * 0xFD-0xFF are not characters.  The user-defined area F040-F9FC decodes to
 * U+E000-U+E757 so that the reader can report the 外字 by its code.
 */
#include "base/base.h"

int tg_cp932_lead_index(unsigned char b) {
  if (b >= 0x81 && b <= 0x9F) return b - 0x81;
  if (b >= 0xE0 && b <= 0xFC) return b - 0xE0 + 31;
  return -1;
}

int tg_cp932_trail_index(unsigned char b) {
  if (b < 0x40 || b > 0xFC || b == 0x7F) return -1;
  return b < 0x7F ? b - 0x40 : b - 0x41;
}

int tg_cp932_decode(const unsigned char *s, size_t len, uint32_t *cp) {
  if (len == 0) return 0;
  unsigned char b = s[0];
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b >= 0xA1 && b <= 0xDF) {
    *cp = 0xFF61u + (b - 0xA1u);
    return 1;
  }
  int lead = tg_cp932_lead_index(b);
  if (lead < 0 || len < 2) return 0;
  int trail = tg_cp932_trail_index(s[1]);
  if (trail < 0) return 0;
  uint16_t u = tg_cp932_dbcs[lead][trail];
  if (!u) return 0;
  *cp = u;
  return 2;
}

unsigned tg_cp932_from_pua(uint32_t cp) {
  if (cp < 0xE000 || cp > 0xE757) return 0;
  unsigned i = cp - 0xE000;
  unsigned lead = 0xF0 + i / 188, t = i % 188;
  unsigned trail = t < 0x3F ? 0x40 + t : 0x41 + t;
  return lead << 8 | trail;
}
