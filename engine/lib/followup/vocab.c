/* vocab.c — the words of the follow-up: outcome codes, time bands, weekdays,
 * and the rule that spreads a person's attempts over weekday × band.
 *
 * The outcome codes are the ones nurses write (docs/followup.md); spec
 * 7(6)ア asks that a person who did not answer be called again on another
 * weekday and at another time of day, which tg_call_next_slot() guarantees
 * and `calls record` checks. */
#include "followup/followup_private.h"

#include <string.h>

static const char *const OUTCOMES[TG_CALL_NOUTCOMES] = {
    "受診済", "予約済", "受診予定", "受診しない", "不在", "番号違い", "拒否", "問合せ"};

bool tg_call_outcome_parse(const char *s, tg_call_outcome *out) {
  if (!s) return false;
  while (*s == ' ')
    s++;
  size_t n = strlen(s);
  while (n && s[n - 1] == ' ')
    n--;
  for (int i = 0; i < TG_CALL_NOUTCOMES; i++)
    if (strlen(OUTCOMES[i]) == n && strncmp(s, OUTCOMES[i], n) == 0) {
      *out = (tg_call_outcome)i;
      return true;
    }
  return false;
}

const char *tg_call_outcome_name(tg_call_outcome o) {
  return o >= 0 && o < TG_CALL_NOUTCOMES ? OUTCOMES[o] : "";
}

bool tg_call_outcome_reached(tg_call_outcome o) {
  return o == TG_CALL_VISITED || o == TG_CALL_BOOKED || o == TG_CALL_WILL_VISIT ||
         o == TG_CALL_WONT_VISIT || o == TG_CALL_REFUSED;
}

bool tg_call_outcome_closes(tg_call_outcome o) {
  return o != TG_CALL_NO_ANSWER && o != TG_CALL_INQUIRY && o < TG_CALL_NOUTCOMES;
}

const char *tg_call_band_name(tg_call_band b) {
  static const char *const names[TG_BAND_COUNT] = {"平日午前", "平日夕方", "土曜", "日曜"};
  return b >= 0 && b < TG_BAND_COUNT ? names[b] : "";
}

const char *tg_weekday_name(int weekday) {
  static const char *const names[] = {"月", "火", "水", "木", "金", "土", "日"};
  return weekday >= 1 && weekday <= 7 ? names[weekday - 1] : "";
}

static int two(const char *s) {
  return g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

bool tg_call_slot_parse(const char *dt, tg_call_slot *slot, uint32_t *julian, int *minute) {
  if (!dt) return false;
  while (*dt == ' ')
    dt++;
  /* YYYY-MM-DD or YYYY/MM/DD, then ' ' or 'T', then HH:MM[:SS] */
  if (strlen(dt) < 16) return false;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_isdigit(dt[i])) return false;
  char sep = dt[4];
  if ((sep != '-' && sep != '/') || dt[7] != sep || (dt[10] != ' ' && dt[10] != 'T') ||
      dt[13] != ':')
    return false;
  int y = (dt[0] - '0') * 1000 + (dt[1] - '0') * 100 + (dt[2] - '0') * 10 + (dt[3] - '0');
  int mo = two(dt + 5), da = two(dt + 8), h = two(dt + 11), mi = two(dt + 14);
  const char *rest = dt + 16;
  if (*rest == ':') {
    if (two(rest + 1) < 0 || two(rest + 1) > 59) return false;
    rest += 3;
  }
  while (*rest == ' ')
    rest++;
  if (*rest || y < 1900 || mo < 1 || da < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return false;
  if (!g_date_valid_dmy((GDateDay)da, (GDateMonth)mo, (GDateYear)y)) return false;
  GDate g;
  g_date_clear(&g, 1);
  g_date_set_dmy(&g, (GDateDay)da, (GDateMonth)mo, (GDateYear)y);
  int wd = g_date_get_weekday(&g); /* G_DATE_MONDAY = 1 … G_DATE_SUNDAY = 7 */
  slot->weekday = wd;
  slot->band = wd == 7   ? TG_BAND_SUNDAY
               : wd == 6 ? TG_BAND_SATURDAY
               : h < 12  ? TG_BAND_WEEKDAY_MORNING
                         : TG_BAND_WEEKDAY_EVENING;
  if (julian) *julian = g_date_get_julian(&g);
  if (minute) *minute = h * 60 + mi;
  return true;
}

tg_call_slot tg_call_first_slot(unsigned spread) {
  return (tg_call_slot){(int)(spread % 5) + 1, TG_BAND_WEEKDAY_MORNING};
}

tg_call_slot tg_call_next_slot(tg_call_slot last, unsigned spread) {
  tg_call_slot s;
  switch (last.band) {
  case TG_BAND_WEEKDAY_MORNING: s.band = TG_BAND_WEEKDAY_EVENING; break;
  case TG_BAND_WEEKDAY_EVENING: s.band = TG_BAND_SATURDAY; break;
  default: /* after a Saturday or a Sunday call: a weekday morning */
    s.band = TG_BAND_WEEKDAY_MORNING;
    break;
  }
  if (s.band == TG_BAND_SATURDAY) {
    s.weekday = 6;
  } else if (last.weekday >= 1 && last.weekday <= 5) {
    /* two weekdays on (Monday → Wednesday, Thursday → Monday), so that
     * retries move through the week */
    s.weekday = (last.weekday - 1 + 2 + (int)(spread % 2)) % 5 + 1;
  } else {
    s.weekday = (int)(spread % 5) + 1;
  }
  return s;
}

bool tg_call_slots_differ(tg_call_slot a, tg_call_slot b) {
  return a.weekday != b.weekday && a.band != b.band;
}

uint32_t fu_julian(const char *date) {
  if (!date || strlen(date) < 10) return 0;
  char buf[32];
  g_snprintf(buf, sizeof buf, "%.10s 00:00", date);
  tg_call_slot s;
  uint32_t j;
  return tg_call_slot_parse(buf, &s, &j, NULL) ? j : 0;
}

void fu_result_add(tg_followup_result *r, const char *path) {
  size_t n = 0;
  while (r->outputs && r->outputs[n])
    n++;
  r->outputs = g_renew(char *, r->outputs, n + 2);
  r->outputs[n] = g_strdup(path);
  r->outputs[n + 1] = NULL;
}

void tg_followup_result_clear(tg_followup_result *r) {
  g_strfreev(r->outputs);
  memset(r, 0, sizeof *r);
}

void tg_followup_keys_free(char **keys) { g_strfreev(keys); }
