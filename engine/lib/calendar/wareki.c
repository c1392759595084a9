/* wareki.c — dates as municipal lists write them: 和暦 in letter, kanji and
 * era-coded forms, and Gregorian; conversions both ways and ages.
 *
 * An era date is converted by the era's year offset and then checked against
 * the era's first and last day, which catches the classic traps: 昭和64年 is
 * only 1989-01-01..07, 平成31年 only to 04-30, 令和元年 starts on 05-01,
 * 大正15年 ends on 12-24 (昭和元年 is the rest of 1926).  明治 is counted from
 * 1868-01-25 (明治元年1月1日 in the lunisolar calendar); dates before 1873
 * were lunisolar and are converted by year offset only, which no living
 * person's birth date needs.
 */
#include "calendar/calendar_private.h"

#include <string.h>

typedef struct {
  const char *name; /* 昭和 */
  const char *abbr; /* 昭 */
  char letter;      /* S */
  tg_date first;    /* first day */
  int offset;       /* Gregorian year = era year + offset */
} era_def;

static const era_def ERAS[TG_ERA_COUNT] = {
    {"明治", "明", 'M', {1868, 1, 25}, 1867},  {"大正", "大", 'T', {1912, 7, 30}, 1911},
    {"昭和", "昭", 'S', {1926, 12, 25}, 1925}, {"平成", "平", 'H', {1989, 1, 8}, 1988},
    {"令和", "令", 'R', {2019, 5, 1}, 2018},
};

const char *tg_era_name(tg_era e) { return e >= 0 && e < TG_ERA_COUNT ? ERAS[e].name : ""; }
char tg_era_letter(tg_era e) { return e >= 0 && e < TG_ERA_COUNT ? ERAS[e].letter : '?'; }

static tg_era era_from_letter(uint32_t c) {
  if (c >= 'a' && c <= 'z') c -= 32;
  for (int i = 0; i < TG_ERA_COUNT; i++)
    if ((uint32_t)ERAS[i].letter == c) return (tg_era)i;
  return TG_ERA_NONE;
}

void tg_era_codes_default(tg_era_codes *codes) {
  for (int i = 0; i < 10; i++)
    codes->by_digit[i] = TG_ERA_NONE;
  for (int i = 0; i < TG_ERA_COUNT; i++)
    codes->by_digit[i + 1] = (tg_era)i;
}

bool tg_era_codes_parse(tg_era_codes *codes, const char *spec) {
  tg_era_codes c;
  for (int i = 0; i < 10; i++)
    c.by_digit[i] = TG_ERA_NONE;
  bool any = false;
  const char *p = spec;
  while (*p) {
    while (*p == ' ' || *p == ',')
      p++;
    if (!*p) break;
    if (!g_ascii_isdigit(*p) || p[1] != '=') return false;
    int digit = *p - '0';
    p += 2;
    tg_era era = TG_ERA_NONE;
    for (int i = 0; i < TG_ERA_COUNT && era == TG_ERA_NONE; i++) {
      size_t n = strlen(ERAS[i].name);
      if (strncmp(p, ERAS[i].name, n) == 0) {
        era = (tg_era)i;
        p += n;
      }
    }
    if (era == TG_ERA_NONE) {
      era = era_from_letter((unsigned char)*p);
      if (era == TG_ERA_NONE) return false;
      p++;
    }
    if (*p && *p != ',' && *p != ' ') return false;
    if (c.by_digit[digit] != TG_ERA_NONE) return false;
    for (int i = 0; i < 10; i++)
      if (c.by_digit[i] == era) return false; /* one digit per era */
    c.by_digit[digit] = era;
    any = true;
  }
  if (!any) return false;
  *codes = c;
  return true;
}

/* ---- calendar ------------------------------------------------------------------- */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : D[m - 1];
}

bool tg_date_valid(tg_date d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

static int cmp_date(tg_date a, tg_date b) {
  if (a.year != b.year) return a.year < b.year ? -1 : 1;
  if (a.month != b.month) return a.month < b.month ? -1 : 1;
  if (a.day != b.day) return a.day < b.day ? -1 : 1;
  return 0;
}

int64_t tg_date_to_days(tg_date d) {
  /* days from civil (Howard Hinnant's algorithm) */
  int64_t y = d.year - (d.month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

tg_era tg_date_get_era(tg_date d, int *era_year) {
  for (int i = TG_ERA_COUNT - 1; i >= 0; i--) {
    if (cmp_date(d, ERAS[i].first) >= 0) {
      if (era_year) *era_year = d.year - ERAS[i].offset;
      return (tg_era)i;
    }
  }
  return TG_ERA_NONE;
}

int tg_age_at(tg_date birth, tg_date at) {
  if (cmp_date(at, birth) < 0) return -1;
  int age = at.year - birth.year;
  if (at.month < birth.month || (at.month == birth.month && at.day < birth.day)) age--;
  return age;
}

/* An era date → Gregorian, checked against the era's span. */
static tg_date_status from_era(tg_era e, int y, int m, int dd, tg_date *out) {
  if (y < 1 || m < 1 || m > 12 || dd < 1) return y < 1 ? TG_DATE_OUT_OF_ERA : TG_DATE_INVALID;
  tg_date g = {y + ERAS[e].offset, m, dd};
  if (!tg_date_valid(g)) return TG_DATE_INVALID;
  if (cmp_date(g, ERAS[e].first) < 0) return TG_DATE_OUT_OF_ERA;
  if (e + 1 < TG_ERA_COUNT && cmp_date(g, ERAS[e + 1].first) >= 0) return TG_DATE_OUT_OF_ERA;
  *out = g;
  return TG_DATE_OK;
}

/* ---- parsing ---------------------------------------------------------------------- */

/* The text folded to ASCII where it can be: full-width ASCII to ASCII,
 * spaces dropped; kanji kept as UTF-8. */
static bool fold_date(const char *s, size_t len, char *buf, size_t size) {
  size_t n = 0;
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (cp == ' ' || cp == 0x3000 || cp == '\t') continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp == 0x2212 || cp == 0x2010 || cp == 0x30FC) cp = '-';
    char tmp[4];
    int k = g_unichar_to_utf8(cp, tmp);
    if (n + (size_t)k + 1 > size) return false;
    memcpy(buf + n, tmp, (size_t)k);
    n += (size_t)k;
  }
  buf[n] = '\0';
  return true;
}

bool calendar_read_digits(const char **p, int max_digits, int *out) {
  int v = 0, n = 0;
  while (g_ascii_isdigit(**p) && n < max_digits) {
    v = v * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  if (n == 0 || g_ascii_isdigit(**p)) return false;
  *out = v;
  return true;
}

bool calendar_eat(const char **p, const char *s) {
  size_t n = strlen(s);
  if (strncmp(*p, s, n) != 0) return false;
  *p += n;
  return true;
}

/* After the year: a separator, month, separator, day, optional 日.  Kanji
 * form (年 already eaten by the caller): "5月2日". */
static bool month_day(const char **p, bool kanji, int *m, int *d) {
  if (kanji) {
    if (!calendar_read_digits(p, 2, m) || !calendar_eat(p, "月") || !calendar_read_digits(p, 2, d))
      return false;
    calendar_eat(p, "日");
    return **p == '\0';
  }
  char sep = **p;
  if (sep != '.' && sep != '/' && sep != '-') return false;
  (*p)++;
  if (!calendar_read_digits(p, 2, m) || **p != sep) return false;
  (*p)++;
  if (!calendar_read_digits(p, 2, d)) return false;
  return **p == '\0';
}

tg_date_status tg_date_parse(const char *s, size_t len, const tg_era_codes *codes, tg_date *out) {
  char buf[96];
  if (!fold_date(s, len, buf, sizeof buf) || !buf[0]) return TG_DATE_MALFORMED;
  const char *p = buf;

  /* era: letter, abbreviation or name */
  tg_era era = TG_ERA_NONE;
  bool kanji_era = false;
  for (int i = 0; i < TG_ERA_COUNT && era == TG_ERA_NONE; i++) {
    if (calendar_eat(&p, ERAS[i].name) || calendar_eat(&p, ERAS[i].abbr)) {
      era = (tg_era)i;
      kanji_era = true;
    }
  }
  if (era == TG_ERA_NONE && g_ascii_isalpha(*p)) {
    era = era_from_letter((unsigned char)*p);
    if (era == TG_ERA_NONE) return TG_DATE_MALFORMED;
    p++;
  }
  if (era != TG_ERA_NONE) {
    int y = 0, m = 0, d = 0;
    if (calendar_eat(&p, "元")) {
      y = 1;
    } else {
      /* S310502: letter + 6 digits */
      size_t nd = strspn(p, "0123456789");
      if (nd == 6 && p[6] == '\0') {
        y = (p[0] - '0') * 10 + (p[1] - '0');
        m = (p[2] - '0') * 10 + (p[3] - '0');
        d = (p[4] - '0') * 10 + (p[5] - '0');
        return from_era(era, y, m, d, out);
      }
      if (!calendar_read_digits(&p, 2, &y)) return TG_DATE_MALFORMED;
    }
    bool kanji = calendar_eat(&p, "年");
    if (!kanji && kanji_era && !(*p == '.' || *p == '/' || *p == '-')) return TG_DATE_MALFORMED;
    if (!month_day(&p, kanji, &m, &d)) return TG_DATE_MALFORMED;
    return from_era(era, y, m, d, out);
  }

  size_t nd = strspn(p, "0123456789");
  if (nd == strlen(p)) {
    if (nd == 7) { /* era-coded: 4050718 */
      tg_era_codes def;
      if (!codes) {
        tg_era_codes_default(&def);
        codes = &def;
      }
      tg_era e = codes->by_digit[p[0] - '0'];
      if (e == TG_ERA_NONE) return TG_DATE_UNKNOWN_ERA;
      int y = (p[1] - '0') * 10 + (p[2] - '0');
      int m = (p[3] - '0') * 10 + (p[4] - '0');
      int d = (p[5] - '0') * 10 + (p[6] - '0');
      return from_era(e, y, m, d, out);
    }
    if (nd == 8) { /* 19560502 */
      tg_date g = {(p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0'),
                   (p[4] - '0') * 10 + (p[5] - '0'), (p[6] - '0') * 10 + (p[7] - '0')};
      if (!tg_date_valid(g)) return TG_DATE_INVALID;
      *out = g;
      return TG_DATE_OK;
    }
    return TG_DATE_MALFORMED;
  }
  /* Gregorian with separators: 1956-05-02, 1956/5/2, 1956.5.2, 1956年5月2日 */
  if (nd != 4) return TG_DATE_MALFORMED;
  int y = 0, m = 0, d = 0;
  if (!calendar_read_digits(&p, 4, &y)) return TG_DATE_MALFORMED;
  bool kanji = calendar_eat(&p, "年");
  if (!month_day(&p, kanji, &m, &d)) return TG_DATE_MALFORMED;
  tg_date g = {y, m, d};
  if (!tg_date_valid(g)) return TG_DATE_INVALID;
  *out = g;
  return TG_DATE_OK;
}

/* ---- formatting ------------------------------------------------------------------------ */

bool tg_date_format_wareki(tg_date d, char *buf, size_t size) {
  int y;
  tg_era e = tg_date_get_era(d, &y);
  if (e == TG_ERA_NONE) return false;
  char year[8];
  if (y == 1)
    g_strlcpy(year, "元", sizeof year);
  else
    g_snprintf(year, sizeof year, "%d", y);
  int n = g_snprintf(buf, size, "%s%s年%d月%d日", ERAS[e].name, year, d.month, d.day);
  return n > 0 && (size_t)n < size;
}

bool tg_date_format_wareki_short(tg_date d, char *buf, size_t size) {
  int y;
  tg_era e = tg_date_get_era(d, &y);
  if (e == TG_ERA_NONE) return false;
  int n = g_snprintf(buf, size, "%c%02d.%02d.%02d", ERAS[e].letter, y, d.month, d.day);
  return n > 0 && (size_t)n < size;
}

void tg_date_format_iso(tg_date d, char *buf, size_t size) {
  g_snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}
