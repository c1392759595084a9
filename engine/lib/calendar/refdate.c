/* refdate.c — the date a list speaks of, read from its title lines.
 *
 * KDB extraction lists say when they were made in a title line
 * ("令和07年09月作成", sometimes with a day, sometimes 現在 or 時点): the ages
 * in the list are as of that date, not as of the letter.  This finds such a
 * date in a line of text and gives the span of days it means — one day when
 * the day is written, the whole month when it is not — so that an age can be
 * checked against what it was then.
 */
#include "calendar/calendar_private.h"

#include <string.h>

static const struct {
  const char *name;
  char letter;
} ERA_WORDS[] = {{"明治", 'M'}, {"大正", 'T'}, {"昭和", 'S'}, {"平成", 'H'}, {"令和", 'R'}};

/* Words that, right after the date, make it the date of the list. */
static const char *const MARKS[] = {"作成", "現在", "時点", "抽出"};

/* Full-width ASCII → ASCII, spaces dropped. */
static void fold_text(GString *out, const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp;
    int k = tg_utf8_decode(p, (size_t)(end - p), &cp);
    if (k <= 0) break;
    p += k;
    if (cp == ' ' || cp == 0x3000 || cp == '\t') continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    g_string_append_unichar(out, cp);
  }
}

/* A date starting at p: [era]YY年MM月[DD日] or YYYY年MM月[DD日], then a mark. */
static bool date_at(const char *p, tg_date *first, tg_date *last) {
  char era = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(ERA_WORDS) && !era; i++)
    if (calendar_eat(&p, ERA_WORDS[i].name)) era = ERA_WORDS[i].letter;
  int y = 0, m = 0, dd = 0;
  if (era && calendar_eat(&p, "元"))
    y = 1;
  else if (!calendar_read_digits(&p, era ? 2 : 4, &y))
    return false;
  if (!era && y < 1000) return false;
  if (!calendar_eat(&p, "年") || !calendar_read_digits(&p, 2, &m) || !calendar_eat(&p, "月"))
    return false;
  const char *q = p;
  if (calendar_read_digits(&q, 2, &dd) && calendar_eat(&q, "日"))
    p = q;
  else
    dd = 0;
  bool marked = false;
  for (size_t i = 0; i < G_N_ELEMENTS(MARKS) && !marked; i++)
    marked = strncmp(p, MARKS[i], strlen(MARKS[i])) == 0;
  if (!marked) return false;
  char text[32];
  if (era)
    g_snprintf(text, sizeof text, "%c%d.%d.%d", era, y, m, dd ? dd : 1);
  else
    g_snprintf(text, sizeof text, "%d-%d-%d", y, m, dd ? dd : 1);
  tg_date d;
  if (tg_date_parse(text, strlen(text), NULL, &d) != TG_DATE_OK) return false;
  *first = d;
  *last = d;
  if (!dd) /* the whole month */
    for (int day = 31; day >= 28; day--) {
      tg_date e = {d.year, d.month, day};
      if (tg_date_valid(e)) {
        *last = e;
        break;
      }
    }
  return true;
}

bool tg_date_find_list_date(const char *text, size_t len, tg_date *first, tg_date *last) {
  GString *f = g_string_sized_new(len + 1);
  fold_text(f, text, len);
  bool found = false;
  for (const char *p = f->str; *p && !found; p = g_utf8_next_char(p))
    found = date_at(p, first, last);
  g_string_free(f, TRUE);
  return found;
}
