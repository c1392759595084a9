/* experiment/experiment_private.h — what the files of the experiment stage
 * share: the statistics of stats.c, used by evaluate.c.
 *
 * assign.c gives people their arms, assignment_csv.c writes assignment.csv,
 * evaluate.c reads it back with the outcomes, stats.c holds the formulas of
 * docs/evaluation.md and evaluation_chart.c draws the result through the
 * layout and render stages.
 */
#ifndef TG_EXPERIMENT_PRIVATE_H
#define TG_EXPERIMENT_PRIVATE_H

#include "base/base.h"
#include "tegami/experiment.h"
#include "tegami/layout.h"
#include "tegami/render.h"

/* stats.c: proportions and their differences (docs/evaluation.md) */
double experiment_normal_quantile(double p);
/* Two-sided p-value of a standard normal statistic. */
double experiment_two_sided_p(double z);
/* Wilson score interval of x/n at quantile z (NaN when n = 0). */
void experiment_wilson(uint64_t x, uint64_t n, double z, double *lo, double *hi);
/* Newcombe's hybrid score interval of x1/n1 − x2/n2. */
void experiment_newcombe(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z, double *lo,
                         double *hi);
/* Two-proportion z-test (pooled), two-sided. */
double experiment_z_test_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
/* Fisher's exact test, two-sided. */
double experiment_fisher_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
/* True when an expected count of the 2×2 table is below 5 (use Fisher). */
bool experiment_needs_exact(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
typedef struct {
  bool valid; /* some stratum had people in both arms */
  double diff, lo, hi, p;
} experiment_mh;
/* Mantel–Haenszel risk difference over k strata (Sato variance, CMH test). */
void experiment_mantel_haenszel(const uint64_t *x1, const uint64_t *n1, const uint64_t *x2,
                                const uint64_t *n2, size_t k, double z, experiment_mh *out);

#endif
