/* suggest.c — "did you mean" for unknown keys, styles, columns and filters.
 *
 * Optimal-string-alignment (restricted Damerau-Levenshtein) distance over
 * characters, so that transpositions such as "widht" -> "width" and Japanese
 * column names ("氏命" -> "氏名") both find their intended neighbour.
 */
#include "base/base.h"

#include <string.h>

static size_t osa_distance(const gunichar *a, size_t n, const gunichar *b, size_t m) {
  size_t *d = g_new(size_t, (n + 1) * (m + 1));
#define D(i, j) d[(i) * (m + 1) + (j)]
  for (size_t i = 0; i <= n; i++)
    D(i, 0) = i;
  for (size_t j = 0; j <= m; j++)
    D(0, j) = j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t v = D(i - 1, j) + 1;
      if (D(i, j - 1) + 1 < v) v = D(i, j - 1) + 1;
      if (D(i - 1, j - 1) + cost < v) v = D(i - 1, j - 1) + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
        v = D(i - 2, j - 2) + 1;
      D(i, j) = v;
    }
  size_t r = D(n, m);
#undef D
  g_free(d);
  return r;
}

const char *tg_suggest(const char *word, const char *const *candidates, size_t n) {
  glong wl = 0;
  gunichar *w = g_utf8_to_ucs4(word, -1, NULL, &wl, NULL);
  if (!w) return NULL;
  size_t limit = (size_t)wl / 3;
  if (limit < 1) limit = 1;
  if (limit > 3) limit = 3;
  const char *best = NULL;
  size_t best_d = limit + 1;
  for (size_t i = 0; i < n; i++) {
    glong cl = 0;
    gunichar *c = g_utf8_to_ucs4(candidates[i], -1, NULL, &cl, NULL);
    if (!c) continue;
    size_t dist = osa_distance(w, (size_t)wl, c, (size_t)cl);
    /* a case-only difference counts as the closest possible match */
    if (g_ascii_strcasecmp(word, candidates[i]) == 0) dist = 0;
    if (dist < best_d) {
      best_d = dist;
      best = candidates[i];
    }
    g_free(c);
  }
  g_free(w);
  return best;
}
