/* filters.c — value formatters used in templates ({{field | filter}}).
 *
 * Each filter turns one value into display text: postal codes with their
 * hyphen, dates as 和暦 or 西暦 from any form the KDB lists use, numbers with
 * fixed decimals, full-width digits, an honorific after a name, defaults for
 * empty values.  The era table is the only calendar knowledge here:
 * boundaries are the first day of each era (令和 2019-05-01, 平成 1989-01-08,
 * 昭和 1926-12-25, 大正 1912-07-30, 明治 1868-01-25), year 1 is written 元年,
 * and a date written in an era must lie inside it (平成31年5月1日 does not
 * exist).  Filters never quote the value in their reasons.
 */
#include "merge/merge_private.h"

#include <math.h>
#include <string.h>

/* Digits of a value, accepting ASCII and full-width digits, skipping hyphens
 * and spaces.  Returns the count, or -1 on any other character. */
static int collect_digits(const char *in, size_t len, char *out, int max) {
  int n = 0;
  const char *p = in, *end = in + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= '0' && cp <= '9') {
      if (n >= max) return -1;
      out[n++] = (char)cp;
    } else if (cp >= 0xFF10 && cp <= 0xFF19) {
      if (n >= max) return -1;
      out[n++] = (char)('0' + (cp - 0xFF10));
    } else if (cp == '-' || cp == 0x2212 || cp == 0xFF0D || cp == 0x30FC || cp == ' ' ||
               cp == 0x3000 || cp == 0x2010) {
      continue;
    } else {
      return -1;
    }
  }
  return n;
}

void merge_trim(const char **s, size_t *len) {
  const char *a = *s, *b = *s + *len;
  for (;;) {
    if (a < b && (*a == ' ' || *a == '\t'))
      a++;
    else if (b - a >= 3 && memcmp(a, "\xE3\x80\x80", 3) == 0)
      a += 3;
    else
      break;
  }
  for (;;) {
    if (b > a && (b[-1] == ' ' || b[-1] == '\t'))
      b--;
    else if (b - a >= 3 && memcmp(b - 3, "\xE3\x80\x80", 3) == 0)
      b -= 3;
    else
      break;
  }
  *s = a;
  *len = (size_t)(b - a);
}

static bool f_postal(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                     const char **why) {
  char dg[8];
  if (collect_digits(in, len, dg, 7) != 7) {
    *why = "is not a 7-digit postal code";
    return false;
  }
  g_string_append_printf(out, "%.3s-%.4s", dg, dg + 3);
  return true;
}

static bool f_default(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                      const char **why) {
  const char *s = in;
  size_t n = len;
  merge_trim(&s, &n);
  if (n == 0)
    g_string_append(out, args[0]);
  else
    g_string_append_len(out, in, (gssize)len);
  return true;
}

static bool f_trim(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                   const char **why) {
  merge_trim(&in, &len);
  g_string_append_len(out, in, (gssize)len);
  return true;
}

/* ---- dates ------------------------------------------------------------------------ */

/* Dates are read by the targets stage's parser (tg_date_parse: every form
 * municipal lists use, era boundaries checked), so that a date the
 * validator accepts is a date the filters print. */
bool merge_parse_date(const char *in, size_t len, int *y, int *m, int *d, const char **why) {
  merge_trim(&in, &len);
  tg_date dt;
  switch (tg_date_parse(in, len, NULL, &dt)) {
  case TG_DATE_OK: *y = dt.year, *m = dt.month, *d = dt.day; return true;
  case TG_DATE_INVALID: *why = "is not a calendar date"; break;
  case TG_DATE_OUT_OF_ERA: *why = "is a date outside its era"; break;
  case TG_DATE_UNKNOWN_ERA:
    *why = "has an unknown era code (1 明治, 2 大正, 3 昭和, 4 平成, 5 令和)";
    break;
  case TG_DATE_MALFORMED:
  default: *why = "is not a date (expected 2026-10-01, S31.05.02, 昭和31年5月2日 or 3310502)";
  }
  return false;
}

/* "昭和31年" (元年 for the first year); false before 明治. */
static bool append_era_year(GString *out, int y, int m, int d) {
  int ey;
  tg_era e = tg_date_get_era((tg_date){y, m, d}, &ey);
  if (e == TG_ERA_NONE) return false;
  if (ey == 1)
    g_string_append_printf(out, "%s元年", tg_era_name(e));
  else
    g_string_append_printf(out, "%s%d年", tg_era_name(e), ey);
  return true;
}

static const char *const WAREKI_ARGS[] = {"full", "year", "both", NULL};
static const char *const DATE_ARGS[] = {"full", "year", "both", "iso", NULL};

static bool f_wareki(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                     const char **why) {
  int y, m, d;
  if (!merge_parse_date(in, len, &y, &m, &d, why)) return false;
  if (!append_era_year(out, y, m, d)) {
    *why = "is before the Meiji era";
    return false;
  }
  const char *form = nargs ? args[0] : "full";
  if (strcmp(form, "year") == 0) return true;
  if (strcmp(form, "both") == 0) g_string_append_printf(out, "（%d年）", y);
  g_string_append_printf(out, "%d月%d日", m, d);
  return true;
}

static bool f_date(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                   const char **why) {
  int y, m, d;
  if (!merge_parse_date(in, len, &y, &m, &d, why)) return false;
  const char *form = nargs ? args[0] : "full";
  if (strcmp(form, "iso") == 0) {
    g_string_append_printf(out, "%04d-%02d-%02d", y, m, d);
    return true;
  }
  g_string_append_printf(out, "%d年", y);
  if (strcmp(form, "year") == 0) return true;
  if (strcmp(form, "both") == 0) {
    gsize mark = out->len;
    g_string_append(out, "（");
    if (append_era_year(out, y, m, d))
      g_string_append(out, "）");
    else
      g_string_truncate(out, mark);
  }
  g_string_append_printf(out, "%d月%d日", m, d);
  return true;
}

/* ---- numbers ----------------------------------------------------------------------- */

bool merge_parse_decimal(const char *in, size_t len, double *v) {
  char buf[64];
  size_t k = 0;
  const char *p = in, *end = in + len;
  while (p < end && k + 1 < sizeof buf) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    cp = tg_number_char(cp);
    if (cp == 0xFF0B)
      cp = '+';
    else if (cp == ' ' || cp == 0x3000)
      continue;
    if (cp > 0x7F) return false;
    buf[k++] = (char)cp;
  }
  if (p < end) return false;
  buf[k] = '\0';
  return tg_parse_number(buf, v);
}

static bool f_number(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                     const char **why) {
  double v;
  if (!merge_parse_decimal(in, len, &v)) {
    *why = "is not a number";
    return false;
  }
  long decimals = 0;
  if (nargs > 0) {
    double dv;
    if (!tg_parse_number(args[0], &dv) || dv < 0 || dv > 6 || dv != floor(dv)) {
      *why = "cannot be shown: the number of decimals must be 0 to 6";
      return false;
    }
    decimals = (long)dv;
  }
  /* round half away from zero on the decimal value, not the binary one */
  double scale = 1;
  for (long i = 0; i < decimals; i++)
    scale *= 10;
  double r = v * scale;
  r = r < 0 ? -floor(-r + 0.5 + 1e-9) : floor(r + 0.5 + 1e-9);
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[16];
  g_snprintf(fmt, sizeof fmt, "%%.%ldf", decimals);
  g_ascii_formatd(buf, sizeof buf, fmt, r / scale);
  if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) memmove(buf, buf + 1, strlen(buf));
  g_string_append(out, buf);
  return true;
}

/* ---- Japanese text -------------------------------------------------------------------- */

static const char *const FULLWIDTH_ARGS[] = {"digits", "all", NULL};

/* ASCII digits (or, with "all", every printable ASCII character and the
 * space) become their full-width forms; everything else is kept. */
static bool f_fullwidth(const char *in, size_t len, const char *const *args, int nargs,
                        GString *out, const char **why) {
  bool all = nargs && strcmp(args[0], "all") == 0;
  const char *p = in, *end = in + len;
  while (p < end) {
    uint32_t cp;
    int n = tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= '0' && cp <= '9')
      tg_utf8_append(out, cp + 0xFEE0);
    else if (all && cp > 0x20 && cp < 0x7F)
      tg_utf8_append(out, cp + 0xFEE0);
    else if (all && cp == ' ')
      tg_utf8_append(out, 0x3000);
    else
      g_string_append_len(out, p, n);
    p += n;
  }
  return true;
}

static const char *const HONORIFICS[] = {"様", "さま", "殿", "御中", "先生", "各位", "さん"};

/* name → "name　様", unless the name already ends with an honorific. */
static bool f_honorific(const char *in, size_t len, const char *const *args, int nargs,
                        GString *out, const char **why) {
  merge_trim(&in, &len);
  if (len == 0) {
    *why = "is empty, so no honorific can follow it";
    return false;
  }
  g_string_append_len(out, in, (gssize)len);
  for (size_t i = 0; i < G_N_ELEMENTS(HONORIFICS); i++) {
    size_t h = strlen(HONORIFICS[i]);
    if (len >= h && memcmp(in + len - h, HONORIFICS[i], h) == 0) return true;
  }
  const char *hon = nargs > 0 ? args[0] : "様";
  if (nargs > 0) {
    size_t h = strlen(hon);
    if (len >= h && h > 0 && memcmp(in + len - h, hon, h) == 0) return true;
  }
  g_string_append(out, nargs > 1 ? args[1] : "　");
  g_string_append(out, hon);
  return true;
}

/* The value unchanged: `ruby: カナ列` only marks where a name's ruby comes
 * from; the template compiler gives the ruby (template.c). */
static bool f_ruby(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                   const char **why) {
  (void)args;
  (void)nargs;
  (void)why;
  g_string_append_len(out, in, (gssize)len);
  return true;
}

/* Sorted by name: tg_filter_list() is the documentation order. */
static const tg_filter_def FILTERS[] = {
    {"date", 0, 1, f_date,
     "any date form → 2026年10月1日; :year 2026年, :both 1956年（昭和31年）5月2日, :iso 2026-10-01",
     DATE_ARGS},
    {"default", 1, 1, f_default, "the argument when the value is empty: default:\"—\"", NULL},
    {"fullwidth", 0, 1, f_fullwidth, "digits → full-width (０１２); :all also letters and signs",
     FULLWIDTH_ARGS},
    {"honorific", 0, 2, f_honorific,
     "name → name　様, unless it already ends with 様, 殿, 御中…; honorific:\"殿\",\" \"", NULL},
    {"number", 0, 1, f_number,
     "a number with fixed decimals: number:1 → 57.6 (half away from zero)", NULL},
    {"postal", 0, 0, f_postal, "7 digits → 252-0028 (full-width digits and hyphens accepted)",
     NULL},
    {"ruby", 1, 1, f_ruby,
     "a name's ruby from its kana column: {{氏名 | ruby: 氏名カナ}} (never guessed)", NULL},
    {"trim", 0, 0, f_trim, "remove ASCII and ideographic spaces at both ends", NULL},
    {"wareki", 0, 1, f_wareki,
     "any date form → 令和8年10月1日 (元年 for year 1); :year 令和8年, :both "
     "昭和31年（1956年）5月2日",
     WAREKI_ARGS},
};

const tg_filter_def *tg_filter_find(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(FILTERS); i++)
    if (strcmp(FILTERS[i].name, name) == 0) return &FILTERS[i];
  return NULL;
}

const tg_filter_def *tg_filter_list(size_t *n) {
  *n = G_N_ELEMENTS(FILTERS);
  return FILTERS;
}
