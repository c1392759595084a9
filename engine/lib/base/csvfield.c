/* csvfield.c — writing one CSV field safely, for every CSV file tegami writes.
 *
 * Outputs such as rejected.csv and assignment.csv are opened by staff in a
 * spreadsheet.  A field is quoted (RFC 4180) when it holds a comma, a quote or
 * a line break, and a field that starts with = + - or @ is prefixed with a
 * single quote inside the quotes, so that a spreadsheet shows it as text and
 * never runs it as a formula (CSV injection).  Numbers that tegami computes
 * itself are written directly, not through these helpers, so that a negative
 * difference stays a number.
 */
#include "base/base.h"

#include <string.h>

static bool needs_quotes(const char *s) { return strpbrk(s, ",\"\r\n") != NULL; }

/* = + - @ start formulas; a leading tab or carriage return can too in some
 * spreadsheets (OWASP's CSV injection list). */
static bool looks_like_formula(const char *s) {
  return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

void tg_csv_append_field(GString *out, const char *s) {
  if (!s) s = "";
  bool quote = needs_quotes(s), formula = looks_like_formula(s);
  if (quote || formula) g_string_append_c(out, '"');
  if (formula) g_string_append_c(out, '\'');
  for (const char *p = s; *p; p++) {
    if (*p == '"') g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  if (quote || formula) g_string_append_c(out, '"');
}

void tg_csv_write_field(FILE *f, const char *s) {
  GString *g = g_string_new(NULL);
  tg_csv_append_field(g, s);
  fwrite(g->str, 1, g->len, f);
  g_string_free(g, TRUE);
}
