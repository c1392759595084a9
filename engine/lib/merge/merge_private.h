/* merge/merge_private.h — template filters shared inside the merge stage.
 *
 * A filter formats one value: `{{郵便番号 | postal}}` → "252-0028".  Filters
 * are pure functions of their input and arguments; when the input cannot be
 * formatted they return false with a reason that never quotes the value.
 */
#ifndef TG_MERGE_PRIVATE_H
#define TG_MERGE_PRIVATE_H

#include "base/base.h"
#include "tegami/merge.h"

typedef bool (*tg_filter_fn)(const char *in, size_t len, const char *const *args, int nargs,
                             GString *out, const char **why);

typedef struct tg_filter_def {
  const char *name;
  int min_args, max_args;
  tg_filter_fn fn;
  const char *doc; /* one line for docs and --help */
} tg_filter_def;

const tg_filter_def *tg_filter_find(const char *name);
/* All filters, NULL-terminated by name. */
const tg_filter_def *tg_filter_list(size_t *n);

#endif
