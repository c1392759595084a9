/* lists.c — what a run hands the reader and the validator about each list
 * beyond the job's reading options: the postal dictionary, so that a KDB
 * list without 郵便番号 gets its codes from 住所 (targets/derive.c), the
 * municipality's postal overrides file (loaded once per municipality, kept
 * for the render phase, which reads the rows again), the municipality as a
 * hint for addresses that leave out their city, and the date the list's
 * 年齢 are as of.  Kept out of run.c, which only calls it.
 */
#include "run/run_private.h"

void run_list_read_options(run_state *R, size_t m, tg_targets_options *o) {
  const tg_job *job = R->job;
  const tg_municipality *mu = &job->munis[m];
  if (!R->postal_overrides) R->postal_overrides = g_new0(tg_postal_overrides *, job->nmunis + 1);
  if (mu->postal_overrides && !R->postal_overrides[m])
    R->postal_overrides[m] = tg_postal_overrides_load(mu->postal_overrides, job->key_column, R->d);
  o->derive_postal = R->postal;
  o->postal_overrides = R->postal_overrides[m];
  o->key_column = job->key_column;
  o->postal_hint = (tg_postal_hint){NULL, NULL};
  tg_postal_hint h = {NULL, mu->name};
  if (R->postal && mu->name && *mu->name && tg_postal_hint_count(R->postal, &h) > 0)
    o->postal_hint = h;
}

const char *run_list_date(const run_state *R, const tg_list_spec *ls) {
  return ls->reference_date ? ls->reference_date : R->job->reference_date;
}

void run_lists_release(run_state *R) {
  if (R->postal_overrides)
    for (size_t m = 0; m < R->job->nmunis; m++)
      tg_postal_overrides_free(R->postal_overrides[m]);
  g_free(R->postal_overrides);
  R->postal_overrides = NULL;
}
