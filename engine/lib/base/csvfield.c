/* csvfield.c — writing one CSV field safely, for every CSV file tegami writes.
 *
 * Outputs such as rejected.csv and assignment.csv are opened by staff in a
 * spreadsheet.  A field is quoted (RFC 4180) when it holds a comma, a quote or
 * a line break, and a field that starts with = + - or @ is prefixed with a
 * single quote inside the quotes, so that a spreadsheet shows it as text and
 * never runs it as a formula (CSV injection).  Spreadsheets skip leading
 * blanks and, in Japanese Excel, read the full-width ＝ ＋ － ＠ as the ASCII
 * ones, so those count too, as does a field that starts with a tab or CR.  Numbers that tegami
 * computes itself are written directly, not through these helpers, so that a negative difference
 * stays a number.
 */
#include "base/base.h"

#include <string.h>

static bool needs_quotes(const char *s) { return strpbrk(s, ",\"\r\n") != NULL; }

/* A character a formula can start with: = + - @, their full-width forms
 * (＝ ＋ － ＠) and small forms (﹦ ﹢ ﹣ ﹫), which an IME types and Japanese
 * Excel takes for the ASCII ones. */
static bool formula_char(uint32_t c) {
  switch (c) {
  case '=':
  case '+':
  case '-':
  case '@':
  case 0xFF1D:
  case 0xFF0B:
  case 0xFF0D:
  case 0xFF20:
  case 0xFE66:
  case 0xFE62:
  case 0xFE63:
  case 0xFE6B: return true;
  default: return false;
  }
}

/* Blanks a spreadsheet skips before a formula: spaces (ASCII, no-break,
 * ideographic), tabs and line ends. */
static bool leading_blank(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x3000;
}

/* = + - @ (or a form of them) after any blanks; a leading tab or carriage
 * return alone too (OWASP's CSV injection list). */
static bool looks_like_formula(const char *s) {
  if (*s == '\t' || *s == '\r') return true;
  const char *end = s + strlen(s);
  for (const char *p = s; p < end;) {
    uint32_t c;
    p += tg_utf8_decode(p, (size_t)(end - p), &c);
    if (formula_char(c)) return true;
    if (!leading_blank(c)) return false;
  }
  return false;
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
