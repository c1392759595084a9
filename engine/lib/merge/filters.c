/* filters.c — value formatters used in templates ({{field | filter}}).
 *
 * Each filter turns one value into display text: postal codes with their
 * hyphen, ISO dates as 和暦 (令和8年10月1日), defaults for empty values.  The
 * era table is the only calendar knowledge here; boundaries are the first day
 * of each era (令和 2019-05-01, 平成 1989-01-08, 昭和 1926-12-25, 大正
 * 1912-07-30), and year 1 is written 元年.
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
  bool blank = true;
  for (size_t i = 0; i < len && blank; i++) blank = in[i] == ' ';
  if (blank)
    g_string_append(out, args[0]);
  else
    g_string_append_len(out, in, (gssize)len);
  return true;
}

static bool f_trim(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                   const char **why) {
  /* ASCII and ideographic spaces at both ends */
  const char *a = in, *b = in + len;
  for (;;) {
    if (a < b && *a == ' ') a++;
    else if (b - a >= 3 && memcmp(a, "\xE3\x80\x80", 3) == 0) a += 3;
    else break;
  }
  for (;;) {
    if (b > a && b[-1] == ' ') b--;
    else if (b - a >= 3 && memcmp(b - 3, "\xE3\x80\x80", 3) == 0) b -= 3;
    else break;
  }
  g_string_append_len(out, a, b - a);
  return true;
}

typedef struct {
  int y, m, d;
  const char *name;
} era;
static const era ERAS[] = {
    {2019, 5, 1, "令和"}, {1989, 1, 8, "平成"}, {1926, 12, 25, "昭和"}, {1912, 7, 30, "大正"},
    {1868, 1, 25, "明治"},
};

/* Parse YYYY-MM-DD (also YYYY/MM/DD or YYYYMMDD) and check the calendar. */
static bool parse_iso_date(const char *in, size_t len, int *y, int *m, int *d) {
  char dg[9];
  char buf[16];
  if (len >= sizeof buf) return false;
  memcpy(buf, in, len);
  buf[len] = '\0';
  for (size_t i = 0; i < len; i++)
    if (buf[i] == '/') buf[i] = '-';
  if (collect_digits(buf, len, dg, 8) != 8) return false;
  *y = (dg[0] - '0') * 1000 + (dg[1] - '0') * 100 + (dg[2] - '0') * 10 + (dg[3] - '0');
  *m = (dg[4] - '0') * 10 + (dg[5] - '0');
  *d = (dg[6] - '0') * 10 + (dg[7] - '0');
  return g_date_valid_dmy((GDateDay)*d, (GDateMonth)*m, (GDateYear)*y);
}

static bool f_wareki(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                     const char **why) {
  int y, m, d;
  if (!parse_iso_date(in, len, &y, &m, &d)) {
    *why = "is not a date written YYYY-MM-DD";
    return false;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(ERAS); i++) {
    const era *e = &ERAS[i];
    if (y > e->y || (y == e->y && (m > e->m || (m == e->m && d >= e->d)))) {
      int ey = y - e->y + 1;
      if (ey == 1)
        g_string_append_printf(out, "%s元年%d月%d日", e->name, m, d);
      else
        g_string_append_printf(out, "%s%d年%d月%d日", e->name, ey, m, d);
      return true;
    }
  }
  *why = "is before the Meiji era";
  return false;
}

static bool f_date(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                   const char **why) {
  int y, m, d;
  if (!parse_iso_date(in, len, &y, &m, &d)) {
    *why = "is not a date written YYYY-MM-DD";
    return false;
  }
  g_string_append_printf(out, "%d年%d月%d日", y, m, d);
  return true;
}

/* A decimal number, ASCII or full-width digits, optional sign. */
static bool parse_decimal(const char *in, size_t len, double *v) {
  char buf[64];
  size_t k = 0;
  const char *p = in, *end = in + len;
  while (p < end && k + 1 < sizeof buf) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= 0xFF10 && cp <= 0xFF19) cp = '0' + (cp - 0xFF10);
    else if (cp == 0xFF0E) cp = '.';
    else if (cp == 0xFF0D || cp == 0x2212) cp = '-';
    else if (cp == ' ' || cp == 0x3000) continue;
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
  if (!parse_decimal(in, len, &v)) {
    *why = "is not a number";
    return false;
  }
  long decimals = 0;
  if (nargs > 0) {
    double dv;
    if (!tg_parse_number(args[0], &dv) || dv < 0 || dv > 6) {
      *why = "cannot be shown: the number of decimals must be 0 to 6";
      return false;
    }
    decimals = (long)dv;
  }
  /* round half away from zero on the decimal value, not the binary one */
  double scale = 1;
  for (long i = 0; i < decimals; i++) scale *= 10;
  double r = v * scale;
  r = r < 0 ? -floor(-r + 0.5 + 1e-9) : floor(r + 0.5 + 1e-9);
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[16];
  g_snprintf(fmt, sizeof fmt, "%%.%ldf", decimals);
  g_ascii_formatd(buf, sizeof buf, fmt, r / scale);
  if (strcmp(buf, "-0") == 0 || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
    memmove(buf, buf + 1, strlen(buf));
  g_string_append(out, buf);
  return true;
}

static const tg_filter_def FILTERS[] = {
    {"date", 0, 0, f_date, "YYYY-MM-DD → 2026年10月1日"},
    {"default", 1, 1, f_default, "the argument when the value is empty: default:\"—\""},
    {"number", 0, 1, f_number, "a number with fixed decimals: number:1 → 57.6 (half away from zero)"},
    {"postal", 0, 0, f_postal, "7 digits → 252-0028 (full-width digits and hyphens accepted)"},
    {"trim", 0, 0, f_trim, "remove ASCII and ideographic spaces at both ends"},
    {"wareki", 0, 0, f_wareki, "YYYY-MM-DD → 令和8年10月1日 (元年 for year 1)"},
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
