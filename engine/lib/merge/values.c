/* values.c — named constants: the job's and municipality's values that
 * templates read as {{sender.name}}, {{municipality.name}}, {{job.date}}.
 *
 * A small ordered map of copied strings; a key set twice keeps its place and
 * takes the new value.
 */
#include "merge/merge_private.h"

#include <string.h>

struct tg_values {
  GPtrArray *keys, *vals;
};

tg_values *tg_values_new(void) {
  tg_values *v = g_new0(tg_values, 1);
  v->keys = g_ptr_array_new_with_free_func(g_free);
  v->vals = g_ptr_array_new_with_free_func(g_free);
  return v;
}

void tg_values_set(tg_values *v, const char *key, const char *value) {
  for (guint i = 0; i < v->keys->len; i++)
    if (strcmp(g_ptr_array_index(v->keys, i), key) == 0) {
      g_free(v->vals->pdata[i]);
      v->vals->pdata[i] = g_strdup(value);
      return;
    }
  g_ptr_array_add(v->keys, g_strdup(key));
  g_ptr_array_add(v->vals, g_strdup(value));
}

const char *tg_values_get(const tg_values *v, const char *key) {
  if (!v) return NULL;
  for (guint i = 0; i < v->keys->len; i++)
    if (strcmp(g_ptr_array_index(v->keys, i), key) == 0) return g_ptr_array_index(v->vals, i);
  return NULL;
}

size_t tg_values_get_count(const tg_values *v) { return v ? v->keys->len : 0; }
const char *tg_values_get_key(const tg_values *v, size_t i) {
  return g_ptr_array_index(v->keys, i);
}

void tg_values_free(tg_values *v) {
  if (!v) return;
  g_ptr_array_free(v->keys, TRUE);
  g_ptr_array_free(v->vals, TRUE);
  g_free(v);
}
