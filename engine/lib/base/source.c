/* source.c — whole input files held in memory with a line map.
 *
 * Design and job files are small; keeping them whole lets any diagnostic quote
 * the offending line with a caret, long after parsing.  Positions are stored as
 * byte offsets and converted to 1-based line/character-column on demand.
 */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

struct tg_source {
  gint refs;
  char *name;
  char *text; /* NUL-terminated copy */
  size_t len;
  size_t *line_start; /* byte offset of each line; line_start[nlines] = len+1 */
  size_t nlines;
};

tg_source *tg_source_new(const char *name, const char *text, size_t len) {
  tg_source *src = g_new0(tg_source, 1);
  src->refs = 1;
  src->name = g_strdup(name ? name : "<input>");
  src->text = g_malloc(len + 1);
  memcpy(src->text, text, len);
  src->text[len] = '\0';
  src->len = len;

  size_t n = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') n++;
  src->line_start = g_new(size_t, n + 1);
  size_t k = 0;
  src->line_start[k++] = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') src->line_start[k++] = i + 1;
  src->line_start[k] = len + 1;
  src->nlines = n;
  return src;
}

const char *tg_source_get_name(const tg_source *src) { return src->name; }
const char *tg_source_get_text(const tg_source *src) { return src->text; }
size_t tg_source_get_length(const tg_source *src) { return src->len; }
size_t tg_source_get_line_count(const tg_source *src) { return src->nlines; }

const char *tg_source_get_line(const tg_source *src, uint32_t line, size_t *len_out) {
  if (line < 1 || line > src->nlines) return NULL;
  size_t a = src->line_start[line - 1];
  size_t b = src->line_start[line] - 1; /* position of '\n' or len */
  if (b > src->len) b = src->len;
  if (b > a && src->text[b - 1] == '\r') b--;
  if (len_out) *len_out = b - a;
  return src->text + a;
}

void tg_source_locate(const tg_source *src, size_t off, uint32_t *line, uint32_t *col) {
  if (off > src->len) off = src->len;
  /* binary search for the last line start <= off */
  size_t lo = 0, hi = src->nlines; /* invariant: line_start[lo] <= off */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (src->line_start[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  *line = (uint32_t)(lo + 1);
  *col = (uint32_t)(tg_utf8_count(src->text + src->line_start[lo], off - src->line_start[lo]) + 1);
}

size_t tg_source_offset(const tg_source *src, uint32_t line, uint32_t col) {
  if (line < 1) return 0;
  if (line > src->nlines) return src->len;
  size_t a = src->line_start[line - 1];
  size_t end = src->line_start[line] - 1;
  if (end > src->len) end = src->len;
  const char *p = src->text + a;
  for (uint32_t c = 1; c < col && (size_t)(p - src->text) < end; c++)
    p = tg_utf8_next(p);
  return (size_t)(p - src->text);
}

tg_source *tg_source_ref(const tg_source *src) {
  tg_source *s = (tg_source *)src;
  if (s) g_atomic_int_inc(&s->refs);
  return s;
}

void tg_source_free(tg_source *src) {
  if (!src || !g_atomic_int_dec_and_test(&src->refs)) return;
  g_free(src->name);
  g_free(src->text);
  g_free(src->line_start);
  g_free(src);
}
