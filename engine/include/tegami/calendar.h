/* tegami/calendar.h — dates as municipal lists and letters write them.
 *
 * Gregorian and 和暦 (Japanese era) dates in every form seen in KDB
 * extractions and municipal lists (S31.05.02, 昭和31年5月2日, era-coded
 * 4050718, 1956-05-02 …), checked against each era's first and last day;
 * formatting both ways; ages in whole years on a given day.  Target lists
 * (birth dates, reference dates), the merge's date filters and the job's
 * letter date all use it, so it is a stage of its own right after base and
 * depends on nothing else.
 */
#ifndef TEGAMI_CALENDAR_H
#define TEGAMI_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_date {
  int year, month, day; /* Gregorian */
} tg_date;

typedef enum {
  TG_ERA_NONE = -1,
  TG_ERA_MEIJI,  /* 明治 M, from 1868-01-25 */
  TG_ERA_TAISHO, /* 大正 T, from 1912-07-30 */
  TG_ERA_SHOWA,  /* 昭和 S, from 1926-12-25 */
  TG_ERA_HEISEI, /* 平成 H, from 1989-01-08 */
  TG_ERA_REIWA,  /* 令和 R, from 2019-05-01 */
  TG_ERA_COUNT
} tg_era;

/* Which era the first digit of an era-coded 7-digit date (4050718) means.
 * Default 1=明治 2=大正 3=昭和 4=平成 5=令和 (レセプト電算, KDB); some systems
 * use others, so it is configurable per list. */
typedef struct tg_era_codes {
  tg_era by_digit[10]; /* TG_ERA_NONE: digit not used */
} tg_era_codes;

void tg_era_codes_default(tg_era_codes *codes);
/* Parse "1=M,2=T,3=S,4=H,5=R" (eras as letters M T S H R or names 明治 …).
 * Digits not named are unused.  False (codes untouched) on a malformed spec. */
bool tg_era_codes_parse(tg_era_codes *codes, const char *spec);

typedef enum {
  TG_DATE_OK,
  TG_DATE_MALFORMED,   /* not a date in any accepted form */
  TG_DATE_INVALID,     /* no such calendar day (2月30日, 13月) */
  TG_DATE_OUT_OF_ERA,  /* outside its era: 昭和64年1月8日, 平成31年5月1日, R01.04.30 */
  TG_DATE_UNKNOWN_ERA, /* an era code digit the era-code map does not use */
} tg_date_status;

/* Parse a date in every form seen in municipal lists:
 *   S31.05.02  S31/5/2  s31-5-2  Ｓ３１．０５．０２  S310502
 *   昭和31年5月2日  昭和元年…  昭31.5.2  令和元年5月1日  R1.5.1  R元.5.1
 *   4050718 (era-coded, with `codes`, NULL = default)
 *   1956-05-02  1956/5/2  1956.5.2  19560502  1956年5月2日
 * Era dates are checked against the era's first and last day. */
tg_date_status tg_date_parse(const char *s, size_t len, const tg_era_codes *codes, tg_date *out);
bool tg_date_valid(tg_date d); /* a real Gregorian calendar day, years 1-9999 */
/* Era of a Gregorian date (TG_ERA_NONE before 明治) and the year within it. */
tg_era tg_date_get_era(tg_date d, int *era_year);
const char *tg_era_name(tg_era e); /* "昭和" */
char tg_era_letter(tg_era e);      /* 'S' */
/* "昭和31年5月2日" (元年 for year 1); false if before 明治 or buf too small. */
bool tg_date_format_wareki(tg_date d, char *buf, size_t size);
/* "S31.05.02"; false if before 明治 or buf too small. */
bool tg_date_format_wareki_short(tg_date d, char *buf, size_t size);
/* "1956-05-02" (buf of at least 11 bytes). */
void tg_date_format_iso(tg_date d, char *buf, size_t size);
/* Age in whole years on `at` (the birthday counts from its day; 2月29日
 * birthdays count from 3月1日 in common years).  -1 if `at` is before `birth`. */
int tg_age_at(tg_date birth, tg_date at);
/* Days since 1970-01-01 (for comparisons). */
int64_t tg_date_to_days(tg_date d);
/* The date a list was made, as its title lines write it: 令和07年09月作成,
 * 令和7年9月30日現在, 2025年9月時点 (full width too; 作成, 現在, 時点 or 抽出
 * right after it).  first..last is the day, or the whole month when no day is
 * written.  False when the text holds no such date. */
bool tg_date_find_list_date(const char *text, size_t len, tg_date *first, tg_date *last);

#ifdef __cplusplus
}
#endif
#endif
