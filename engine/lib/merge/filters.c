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

typedef struct {
  int y, m, d; /* first day */
  const char *name;
  char letter; /* KDB letter form */
} era;

/* Oldest first; era i ends the day before era i+1 starts. */
static const era ERAS[] = {
    {1868, 1, 25, "明治", 'M'}, {1912, 7, 30, "大正", 'T'}, {1926, 12, 25, "昭和", 'S'},
    {1989, 1, 8, "平成", 'H'},  {2019, 5, 1, "令和", 'R'},
};
#define NERAS ((int)G_N_ELEMENTS(ERAS))

static int date_key(int y, int m, int d) { return y * 10000 + m * 100 + d; }

/* The era of a Gregorian date, or -1 before Meiji. */
static int era_of(int y, int m, int d) {
  for (int i = NERAS - 1; i >= 0; i--)
    if (date_key(y, m, d) >= date_key(ERAS[i].y, ERAS[i].m, ERAS[i].d)) return i;
  return -1;
}

/* Normalise a date text to ASCII: full-width digits, letters and separators
 * become ASCII; other characters are kept as UTF-8. */
static bool ascii_fold(const char *in, size_t len, char *buf, size_t cap) {
  size_t k = 0;
  const char *p = in, *end = in + len;
  while (p < end) {
    uint32_t cp;
    int n = tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0; /* full-width ASCII */
    if (cp == 0x3000) cp = ' ';
    if (cp < 0x80) {
      if (k + 1 >= cap) return false;
      buf[k++] = (char)cp;
    } else {
      if (k + (size_t)n >= cap) return false;
      memcpy(buf + k, p, (size_t)n);
      k += (size_t)n;
    }
    p += n;
  }
  /* trim spaces */
  size_t a = 0;
  while (a < k && buf[a] == ' ')
    a++;
  while (k > a && buf[k - 1] == ' ')
    k--;
  memmove(buf, buf + a, k - a);
  buf[k - a] = '\0';
  return true;
}

/* Read up to `max` ASCII digits at *p; -1 if none. */
static int read_int(const char **p, int max) {
  int v = 0, n = 0;
  while (n < max && g_ascii_isdigit(**p)) {
    v = v * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  return n ? v : -1;
}

static bool is_sep(char c) { return c == '.' || c == '/' || c == '-'; }

/* After the era: YY<sep>MM<sep>DD or YY年MM月DD日 (元 for year 1). */
static bool parse_era_rest(const char *p, int *ey, int *m, int *d) {
  if (strncmp(p, "元", 3) == 0) {
    *ey = 1;
    p += 3;
  } else if ((*ey = read_int(&p, 2)) < 0) {
    return false;
  }
  bool kanji = strncmp(p, "年", 3) == 0;
  if (kanji)
    p += 3;
  else if (is_sep(*p))
    p++;
  else
    return false;
  if ((*m = read_int(&p, 2)) < 0) return false;
  if (kanji) {
    if (strncmp(p, "月", 3) != 0) return false;
    p += 3;
  } else if (is_sep(*p)) {
    p++;
  } else {
    return false;
  }
  if ((*d = read_int(&p, 2)) < 0) return false;
  if (kanji && strncmp(p, "日", 3) == 0) p += 3;
  return *p == '\0';
}

static bool era_date(int e, int ey, int m, int d, int *y, const char **why) {
  *y = ERAS[e].y - 1 + ey;
  if (ey < 1 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)*y)) {
    *why = "is not a calendar date";
    return false;
  }
  int k = date_key(*y, m, d);
  bool after_start = k >= date_key(ERAS[e].y, ERAS[e].m, ERAS[e].d);
  bool before_end = e + 1 >= NERAS || k < date_key(ERAS[e + 1].y, ERAS[e + 1].m, ERAS[e + 1].d);
  if (!after_start || !before_end) {
    *why = "is a date outside its era";
    return false;
  }
  return true;
}

bool merge_parse_date(const char *in, size_t len, int *y, int *m, int *d, const char **why) {
  char buf[64];
  *why = "is not a date (expected 2026-10-01, S31.05.02, 昭和31年5月2日 or 3310502)";
  if (len == 0 || !ascii_fold(in, len, buf, sizeof buf) || !buf[0]) return false;
  const char *p = buf;
  /* letter era: S31.05.02, H01/1/8 */
  char c = g_ascii_toupper(p[0]);
  for (int e = 0; e < NERAS; e++)
    if (c == ERAS[e].letter && (g_ascii_isdigit(p[1]) || strncmp(p + 1, "元", 3) == 0)) {
      int ey;
      if (!parse_era_rest(p + 1, &ey, m, d)) return false;
      return era_date(e, ey, *m, *d, y, why);
    }
  /* kanji era: 昭和31年5月2日 */
  for (int e = 0; e < NERAS; e++)
    if (strncmp(p, ERAS[e].name, strlen(ERAS[e].name)) == 0) {
      int ey;
      if (!parse_era_rest(p + strlen(ERAS[e].name), &ey, m, d)) return false;
      return era_date(e, ey, *m, *d, y, why);
    }
  size_t n = strlen(p);
  bool all_digits = n > 0;
  for (size_t i = 0; i < n; i++)
    all_digits = all_digits && g_ascii_isdigit(p[i]);
  if (all_digits && n == 7) { /* era code + YYMMDD */
    int e = p[0] - '1';
    if (e < 0 || e >= NERAS) {
      *why = "has an unknown era code (1 明治, 2 大正, 3 昭和, 4 平成, 5 令和)";
      return false;
    }
    int ey = (p[1] - '0') * 10 + (p[2] - '0');
    *m = (p[3] - '0') * 10 + (p[4] - '0');
    *d = (p[5] - '0') * 10 + (p[6] - '0');
    return era_date(e, ey, *m, *d, y, why);
  }
  if (all_digits && n == 8) {
    *y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    *m = (p[4] - '0') * 10 + (p[5] - '0');
    *d = (p[6] - '0') * 10 + (p[7] - '0');
  } else {
    /* 2026-10-01, 2026/10/1, 2026年10月1日 */
    const char *q = p;
    *y = read_int(&q, 4);
    bool kanji = strncmp(q, "年", 3) == 0;
    if (*y < 0 || q - p != 4 || !(kanji || is_sep(*q))) return false;
    q += kanji ? 3 : 1;
    if ((*m = read_int(&q, 2)) < 0) return false;
    if (kanji ? strncmp(q, "月", 3) != 0 : !is_sep(*q)) return false;
    q += kanji ? 3 : 1;
    if ((*d = read_int(&q, 2)) < 0) return false;
    if (kanji && strncmp(q, "日", 3) == 0) q += 3;
    if (*q) return false;
  }
  if (!g_date_valid_dmy((GDateDay)*d, (GDateMonth)*m, (GDateYear)*y)) {
    *why = "is not a calendar date";
    return false;
  }
  return true;
}

static void append_era_year(GString *out, int e, int y) {
  int ey = y - ERAS[e].y + 1;
  if (ey == 1)
    g_string_append_printf(out, "%s元年", ERAS[e].name);
  else
    g_string_append_printf(out, "%s%d年", ERAS[e].name, ey);
}

static const char *const WAREKI_ARGS[] = {"full", "year", "both", NULL};
static const char *const DATE_ARGS[] = {"full", "year", "both", "iso", NULL};

static bool f_wareki(const char *in, size_t len, const char *const *args, int nargs, GString *out,
                     const char **why) {
  int y, m, d;
  if (!merge_parse_date(in, len, &y, &m, &d, why)) return false;
  int e = era_of(y, m, d);
  if (e < 0) {
    *why = "is before the Meiji era";
    return false;
  }
  const char *form = nargs ? args[0] : "full";
  append_era_year(out, e, y);
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
    int e = era_of(y, m, d);
    if (e >= 0) {
      g_string_append(out, "（");
      append_era_year(out, e, y);
      g_string_append(out, "）");
    }
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
    if (cp >= 0xFF10 && cp <= 0xFF19)
      cp = '0' + (cp - 0xFF10);
    else if (cp == 0xFF0E)
      cp = '.';
    else if (cp == 0xFF0D || cp == 0x2212)
      cp = '-';
    else if (cp == 0xFF0B)
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
