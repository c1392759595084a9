/* fuzz_template.c — fuzz target: the template compiler and the filters.
 *
 * The input (after a first byte of flags) is the text of one text frame.  It
 * is embedded in a fixed design — as a double-quoted YAML scalar with escapes
 * (flag bit 0 clear) or as an indented literal block (bit 0 set), so that the
 * source-span mapping through escapes and indentation runs as well — compiled
 * by tg_merge_new() against fixed columns and constants, and, when it
 * compiles, merged with a few synthetic rows (well-formed, empty, and
 * malformed values for the filters).  Corpus: tests/fuzz/template/.
 */
#include "fuzz.h"

#include <glib.h>
#include <string.h>

static const char *const COLUMNS[] = {"KDB個人番号", "氏名", "氏名カナ", "郵便番号", "住所",
                                      "生年月日",    "年齢", "HbA1c",    "eGFR",     "健診受診日"};
#define NCOLS (sizeof COLUMNS / sizeof COLUMNS[0])

static const char *const ROWS[][NCOLS] = {
    {"14000000001", "見本　一郎", "ﾐﾎﾝ ｲﾁﾛｳ", "252-0028", "神奈川県座間市入谷東1丁目1番1号",
     "S31.05.02", "68", "5.7", "55.0", "2026-06-01"},
    {"", "", "", "", "", "", "", "", "", ""},
    {"x", "<b>&amp;</b>{{氏名}}", "ｱ", "25200281", "=HYPERLINK(\"x\")", "R99.13.40", "-1", "1e309",
     "NaN", "2026-02-30"},
};

/* Append the input as the content of a double-quoted YAML scalar. */
static void quoted(GString *y, const uint8_t *p, size_t n) {
  g_string_append_c(y, '"');
  for (size_t i = 0; i < n;) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\') {
      g_string_append_c(y, '\\');
      g_string_append_c(y, (char)c);
      i++;
    } else if (c < 0x20 || c == 0x7F) {
      g_string_append_printf(y, "\\x%02X", c);
      i++;
    } else if (c < 0x80) {
      g_string_append_c(y, (char)c);
      i++;
    } else {
      /* one valid UTF-8 character is copied; a stray byte becomes U+00XX */
      size_t len = (size_t)g_utf8_skip[c];
      if (len <= n - i && g_utf8_validate((const gchar *)p + i, (gssize)len, NULL)) {
        g_string_append_len(y, (const gchar *)p + i, (gssize)len);
        i += len;
      } else {
        g_string_append_printf(y, "\\x%02X", c);
        i++;
      }
    }
  }
  g_string_append(y, "\"\n");
}

/* Append the input as an indented literal block; characters YAML cannot
 * hold in a block are dropped. */
static void literal(GString *y, const uint8_t *p, size_t n) {
  g_string_append(y, "|\n          ");
  char *valid = g_utf8_make_valid((const gchar *)p, (gssize)n);
  for (const char *s = valid; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\n')
      g_string_append(y, "\n          ");
    else if (c < 0x20 && c != '\t')
      continue;
    else if (c == 0x7F)
      continue;
    else
      g_string_append_c(y, (char)c);
  }
  g_free(valid);
  g_string_append_c(y, '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  GString *y = g_string_new("kind: design\nstyles:\n  body: {font: BIZ UDPGothic, size: 10pt}\n"
                            "pages:\n  - blocks:\n      - type: text\n        style: body\n"
                            "        x: 10mm\n        y: 10mm\n        width: 100mm\n"
                            "        text: ");
  if (data[0] & 1)
    literal(y, data + 1, size - 1);
  else
    quoted(y, data + 1, size - 1);
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("fuzz.yaml", y->str, y->len, d);
  g_string_free(y, TRUE);
  if (ds) {
    tg_values *v = tg_values_new();
    tg_values_set(v, "sender.name", "見本市 保険年金課");
    tg_values_set(v, "municipality.name", "見本市");
    tg_values_set(v, "job.date", "2026-10-01");
    tg_values_set(v, "job.id", "fuzz");
    tg_merge *m = tg_merge_new(ds, COLUMNS, NCOLS, v, d);
    if (m) {
      tg_letter *l = tg_letter_new(m);
      size_t lengths[NCOLS];
      for (size_t r = 0; r < sizeof ROWS / sizeof ROWS[0]; r++) {
        for (size_t c = 0; c < NCOLS; c++)
          lengths[c] = strlen(ROWS[r][c]);
        tg_row row = {.number = r + 2,
                      .line = r + 2,
                      .nfields = NCOLS,
                      .fields = ROWS[r],
                      .lengths = lengths};
        (void)tg_merge_row(m, &row, "list.csv", l, d);
        for (size_t s = 0; s < l->nvalues; s++) {
          const tg_attrs *a = l->attrs[s];
          if (l->values[s] && a)
            for (size_t k = 0; k < a->n; k++)
              if (a->v[k].end < a->v[k].start || a->v[k].end > strlen(l->values[s])) {
                fprintf(stderr, "attribute range outside its text\n");
                abort();
              }
        }
      }
      tg_letter_free(l);
      tg_merge_free(m);
    }
    tg_values_free(v);
    tg_design_free(ds);
  }
  fuzz_format_diags(d);
  tg_diag_free(d);
  return 0;
}
