/* units.c — lengths with explicit units, as designers write them.
 *
 * The YAML speaks "20mm", "10.5pt", "2cm"; a bare number is only accepted
 * where the schema says it is unitless (line-height multipliers, counts).
 * Parsing is locale-independent (g_ascii_strtod) so a German locale cannot
 * turn "10.5" into 10.
 */
#include "base/base.h"

#include <math.h>
#include <string.h>

bool tg_parse_number(const char *s, double *value) {
  if (!s || !*s) return false;
  /* only [+-]digits[.digits]: no hex, no exponent, no inf/nan */
  const char *p = s;
  if (*p == '+' || *p == '-') p++;
  bool digits = false;
  while (g_ascii_isdigit(*p))
    p++, digits = true;
  if (*p == '.') {
    p++;
    while (g_ascii_isdigit(*p))
      p++, digits = true;
  }
  if (!digits || *p != '\0') return false;
  double v = g_ascii_strtod(s, NULL);
  if (!isfinite(v)) return false;
  *value = v;
  return true;
}

bool tg_parse_length(const char *s, double *value, tg_unit *unit) {
  if (!s) return false;
  size_t len = strlen(s);
  while (len > 0 && s[len - 1] == ' ')
    len--;
  size_t k = len;
  while (k > 0 && (g_ascii_isalpha(s[k - 1]) || s[k - 1] == '%'))
    k--;
  char num[64];
  if (k == 0 || k >= sizeof num) return false;
  memcpy(num, s, k);
  num[k] = '\0';
  /* allow one space between number and unit: "20 mm" */
  if (k > 0 && num[k - 1] == ' ') num[k - 1] = '\0';
  if (!tg_parse_number(num, value)) return false;
  const char *u = s + k;
  size_t ulen = len - k;
  if (ulen == 0)
    *unit = TG_UNIT_NONE;
  else if (ulen == 2 && memcmp(u, "mm", 2) == 0)
    *unit = TG_UNIT_MM;
  else if (ulen == 2 && memcmp(u, "pt", 2) == 0)
    *unit = TG_UNIT_PT;
  else if (ulen == 2 && memcmp(u, "cm", 2) == 0)
    *unit = TG_UNIT_CM;
  else if (ulen == 1 && u[0] == '%')
    *unit = TG_UNIT_PERCENT;
  else
    return false;
  return true;
}
