/* fuzz_barcode.c — fuzz target: the Japan Post customer-barcode extraction.
 *
 * Feeds engine/lib/postal/custbar.c what a target list can hand it: any
 * postal code, any address (invalid UTF-8 included) and any town names of
 * the postal dictionary, then lays the bars out at any size and device
 * resolution.  Input layout:
 *
 *   byte 0    bits 0-1: entry point — 0/1 tg_custbar_encode (full address),
 *             2 tg_custbar_encode_b (住所B), 3 tg_custbar_encode_data (data as
 *             an operator writes it); bits 2-6: size 7.5 pt + n × 0.15 pt
 *             (7.5–12.15 pt, so both sides of the 8–11.5 pt range);
 *             bit 7: device resolution from bytes 1-2
 *   bytes 1-2 (bit 7 only) dpi: a little-endian number 0–65279, or above
 *             that an extreme (NaN, ±inf, 1e12, DBL_MAX, a subnormal, -1)
 *   the rest  lines: postal code, address, then up to 16 town names (町域)
 *
 * Checks beyond "no crash, no sanitizer report, no hang":
 *   - status OK ⇒ 67 bars, each F/A/D/T, START (FD) first and STOP (DF)
 *     last; 23 symbols: START, 20 data symbols of 0–14, the check digit
 *     (0–18, and the 21 symbols sum to a multiple of 19), STOP; the data
 *     string spells at most 20 positions and starts with the 7 postal digits;
 *     extracted data holds only 0-9, A-Z and "-" (after the extraction rules:
 *     no leading, trailing or doubled "-");
 *   - the same input encodes to the same bytes twice;
 *   - a full address that encodes gives the same symbols as its 住所B given
 *     to tg_custbar_encode_b, and as its extracted data given to
 *     tg_custbar_encode_data; warnings point inside the address;
 *   - geometry succeeds only for sizes in 8–11.5 pt, and then gives 67 finite
 *     rectangles of one width, left to right, inside the bars' box;
 *   - every diagnostic is formatted.
 * Corpus: tests/fuzz/barcode/.
 */
#include "fuzz.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <glib.h>

#define MAX_TOWNS 16

static void fail(const char *what, const tg_custbar *bc) {
  fprintf(stderr, "barcode invariant broken: %s (status %d, data '%s', bars '%s')\n", what,
          (int)bc->status, bc->data, bc->bars);
  abort();
}

/* Positions the data string spells: digits and "-" one each, a letter two
 * (control code + digit), a lone control code cut at position 20 ("+CC1")
 * one. */
static size_t data_positions(const char *s) {
  size_t n = 0;
  for (const char *p = s; *p; p++) {
    if (*p == '+') {
      if (strncmp(p, "+CC", 3) != 0 || p[3] < '1' || p[3] > '3') return 999;
      p += 3;
      n++;
    } else if (g_ascii_isdigit(*p) || *p == '-') {
      n++;
    } else if (*p >= 'A' && *p <= 'Z') {
      n += 2;
    } else {
      return 999;
    }
  }
  return n;
}

static void check_ok(const tg_custbar *bc, bool extracted_by_rules) {
  if (strlen(bc->bars) != TG_CUSTBAR_BARS) fail("not 67 bars", bc);
  for (size_t i = 0; i < TG_CUSTBAR_BARS; i++)
    if (!strchr("FADT", bc->bars[i])) fail("a bar other than F/A/D/T", bc);
  if (strncmp(bc->bars, "FD", 2) != 0 || strcmp(bc->bars + TG_CUSTBAR_BARS - 2, "DF") != 0)
    fail("START/STOP bars", bc);
  if (bc->symbols[0] != TG_CUSTBAR_START || bc->symbols[TG_CUSTBAR_SYMBOLS - 1] != TG_CUSTBAR_STOP)
    fail("START/STOP symbols", bc);
  unsigned sum = 0;
  for (size_t i = 1; i <= TG_CUSTBAR_DATA_LEN; i++) {
    if (bc->symbols[i] > TG_CUSTBAR_CC4) fail("a data symbol beyond CC4", bc);
    sum += bc->symbols[i];
  }
  if (bc->check_digit > TG_CUSTBAR_CC8) fail("check digit over 18", bc);
  if (bc->symbols[TG_CUSTBAR_DATA_LEN + 1] != bc->check_digit) fail("check digit symbol", bc);
  if ((sum + bc->check_digit) % 19 != 0) fail("check digit does not complete a multiple of 19", bc);
  if (strlen(bc->postal) != 7) fail("postal code not 7 digits", bc);
  for (size_t i = 0; i < 7; i++)
    if (!g_ascii_isdigit(bc->postal[i]) || bc->symbols[1 + i] != bc->postal[i] - '0')
      fail("postal digits", bc);
  if (strncmp(bc->data, bc->postal, 7) != 0) fail("data does not start with the postal code", bc);
  size_t pos = data_positions(bc->data);
  if (pos > TG_CUSTBAR_DATA_LEN) fail("data string over 20 positions", bc);
  if (bc->truncated && pos != TG_CUSTBAR_DATA_LEN) fail("truncated data not 20 positions", bc);
  for (size_t i = pos + 1; i <= TG_CUSTBAR_DATA_LEN; i++)
    if (bc->symbols[i] != TG_CUSTBAR_CC4) fail("padding other than CC4", bc);
  size_t xl = strlen(bc->extracted);
  for (size_t i = 0; i < xl; i++) {
    char c = bc->extracted[i];
    if (!g_ascii_isdigit(c) && !(c >= 'A' && c <= 'Z') && c != '-')
      fail("extracted data outside 0-9 A-Z -", bc);
  }
  if (extracted_by_rules && xl < sizeof bc->extracted - 1 &&
      (bc->extracted[0] == '-' || (xl && bc->extracted[xl - 1] == '-') ||
       strstr(bc->extracted, "--")))
    fail("extracted data with a leading, trailing or doubled '-'", bc);
}

static bool same_code(const tg_custbar *a, const tg_custbar *b) {
  return memcmp(a->symbols, b->symbols, sizeof a->symbols) == 0 && strcmp(a->bars, b->bars) == 0 &&
         strcmp(a->data, b->data) == 0 && a->truncated == b->truncated;
}

static void check_geometry(const tg_custbar *bc, double size_pt, double dpi, tg_diag *d) {
  tg_custbar_geom g;
  bool ok = tg_custbar_geometry(bc, size_pt, dpi, &g, d);
  if (!ok) return;
  if (bc->status != TG_CUSTBAR_OK) fail("geometry without a barcode", bc);
  if (!(size_pt >= 8.0 - 1e-6 && size_pt <= 11.5 + 1e-6))
    fail("geometry at a size out of range", bc);
  if (!isfinite(g.width_pt) || !isfinite(g.height_pt) || g.width_pt <= 0 || g.height_pt <= 0)
    fail("bars' box not finite", bc);
  for (size_t i = 0; i < TG_CUSTBAR_BARS; i++) {
    const tg_custbar_rect *r = &g.bars[i];
    if (!isfinite(r->x_pt) || !isfinite(r->y_pt) || !isfinite(r->w_pt) || !isfinite(r->h_pt))
      fail("a bar not finite", bc);
    if (r->w_pt != g.bar_pt || r->h_pt <= 0 || r->y_pt < -1e-9 ||
        r->y_pt + r->h_pt > g.height_pt + 1e-9 || r->x_pt + r->w_pt > g.width_pt + 1e-9)
      fail("a bar outside the box", bc);
    if (i && r->x_pt <= g.bars[i - 1].x_pt) fail("bars not left to right", bc);
  }
}

static double pick_dpi(const uint8_t **p, size_t *n) {
  if (*n < 2) return 0;
  unsigned v = (unsigned)(*p)[0] | (unsigned)(*p)[1] << 8;
  *p += 2;
  *n -= 2;
  static const double EXTREME[] = {NAN, INFINITY, -INFINITY, 1e12, DBL_MAX, 4.9e-324, -1, 1e300};
  if (v < 0xFF00) return (double)v;
  return EXTREME[v % G_N_ELEMENTS(EXTREME)];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t flags = data[0];
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  unsigned entry = flags & 3;
  double size_pt = 7.5 + ((flags >> 2) & 31) * 0.15;
  double dpi = (flags & 0x80) ? pick_dpi(&p, &n) : 0;

  /* lines: postal, address, towns (NUL bytes end a C string early, as they
   * would for a caller) */
  char *text = g_strndup((const char *)p, n);
  char **lines = g_strsplit(text, "\n", 2 + MAX_TOWNS);
  g_free(text);
  guint nlines = g_strv_length(lines);
  const char *postal = nlines > 0 ? lines[0] : "";
  const char *address = nlines > 1 ? lines[1] : "";
  const char *towns[MAX_TOWNS];
  size_t ntowns = 0;
  for (guint i = 2; i < nlines && ntowns < MAX_TOWNS; i++)
    towns[ntowns++] = lines[i];

  tg_custbar bc, again, other;
  tg_diag *d = tg_diag_new();
  switch (entry) {
  case 0:
  case 1:
    tg_custbar_encode(&bc, postal, address, towns, ntowns);
    tg_custbar_encode(&again, postal, address, towns, ntowns);
    if (memcmp(&bc, &again, sizeof bc) != 0) fail("two encodings differ", &bc);
    if (bc.status == TG_CUSTBAR_OK) {
      check_ok(&bc, true);
      size_t len = strlen(address);
      if (bc.b_offset > len) fail("住所B starts after the address", &bc);
      /* characters: exact for UTF-8, at most the bytes otherwise */
      size_t nchars = g_utf8_validate(address, (gssize)len, NULL)
                          ? (size_t)g_utf8_strlen(address, (gssize)len)
                          : len;
      for (uint32_t i = 0; i < bc.nwarnings && i < TG_CUSTBAR_MAX_WARNINGS; i++)
        if (bc.warnings[i].len == 0 || bc.warnings[i].start + bc.warnings[i].len > nchars)
          fail("a warning outside the address", &bc);
      tg_custbar_encode_b(&other, postal, address + bc.b_offset, towns, ntowns);
      if (other.status != TG_CUSTBAR_OK || !same_code(&bc, &other))
        fail("住所B alone encodes differently", &bc);
      tg_custbar_encode_data(&other, postal, bc.extracted);
      if (other.status != TG_CUSTBAR_OK || !same_code(&bc, &other))
        fail("the extracted data encodes differently", &bc);
    } else if (bc.status == TG_CUSTBAR_BAD_DATA) {
      fail("bad data from a full address", &bc);
    }
    break;
  case 2:
    tg_custbar_encode_b(&bc, postal, address, towns, ntowns);
    tg_custbar_encode_b(&again, postal, address, towns, ntowns);
    if (memcmp(&bc, &again, sizeof bc) != 0) fail("two encodings differ", &bc);
    if (bc.status == TG_CUSTBAR_OK) check_ok(&bc, true);
    if (bc.status == TG_CUSTBAR_TOWN_NOT_FOUND || bc.status == TG_CUSTBAR_BAD_DATA)
      fail("住所B needs no town and takes any text", &bc);
    break;
  default:
    tg_custbar_encode_data(&bc, postal, address);
    tg_custbar_encode_data(&again, postal, address);
    if (memcmp(&bc, &again, sizeof bc) != 0) fail("two encodings differ", &bc);
    if (bc.status == TG_CUSTBAR_OK) check_ok(&bc, false);
    break;
  }
  (void)tg_custbar_is_representative(bc.postal, towns, ntowns);
  (void)tg_custbar_status_reason(bc.status);
  for (unsigned s = 0; s < TG_CUSTBAR_SYMBOLS; s++)
    (void)tg_custbar_symbol_name(bc.symbols[s]);
  tg_custbar_report(&bc, d, "list.csv", 2, "住所");
  check_geometry(&bc, size_pt, dpi, d);
  fuzz_format_diags(d);
  tg_diag_free(d);
  g_strfreev(lines);
  return 0;
}
