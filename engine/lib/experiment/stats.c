/* stats.c — the statistics behind `tegami evaluate`: proportions and their differences.
 *
 * Part of the experiment stage; used by evaluate.c, tested against hand-computed
 * values in tests/unit/test_evaluate.c.  Each method is the one
 * docs/evaluation.md justifies:
 *   - a proportion's interval: Wilson score interval;
 *   - a difference of two independent proportions: Newcombe's hybrid score
 *     interval (his method 10), built from the two Wilson intervals;
 *   - its p-value: the two-proportion z-test with pooled variance (the
 *     Pearson chi-square test without continuity correction), or Fisher's
 *     exact test (two-sided, summing tables no more likely than the one seen)
 *     when an expected cell count is below 5;
 *   - across strata: the Mantel–Haenszel risk difference with Sato's variance
 *     (consistent both for many small strata and for a few large ones), and
 *     the Cochran–Mantel–Haenszel test without continuity correction.
 * Normal quantiles come from Acklam's rational approximation refined by one
 * Halley step against erfc() (accurate to about 1e-15).
 */
#include "experiment/experiment_private.h"

#include <math.h>

double experiment_normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
  const double plow = 0.02425;
  double x;
  if (p < plow) {
    double q = sqrt(-2 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - plow) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = sqrt(-2 * log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  /* one Halley step on Φ(x) − p */
  double e = 0.5 * erfc(-x / M_SQRT2) - p;
  double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double experiment_two_sided_p(double z) { return erfc(fabs(z) / M_SQRT2); }

void experiment_wilson(uint64_t x, uint64_t n, double z, double *lo, double *hi) {
  if (n == 0) {
    *lo = *hi = NAN;
    return;
  }
  double nn = (double)n, p = (double)x / nn, z2 = z * z;
  double denom = 1 + z2 / nn;
  double centre = (p + z2 / (2 * nn)) / denom;
  double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  *lo = x == 0 ? 0 : fmax(0, centre - half);
  *hi = x == n ? 1 : fmin(1, centre + half);
}

void experiment_newcombe(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z, double *lo,
                         double *hi) {
  if (n1 == 0 || n2 == 0) {
    *lo = *hi = NAN;
    return;
  }
  double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2, l1, u1, l2, u2;
  experiment_wilson(x1, n1, z, &l1, &u1);
  experiment_wilson(x2, n2, z, &l2, &u2);
  double diff = p1 - p2;
  *lo = diff - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
  *hi = diff + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
}

double experiment_z_test_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2) {
  if (n1 == 0 || n2 == 0) return NAN;
  double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
  double pooled = (double)(x1 + x2) / (double)(n1 + n2);
  double se = sqrt(pooled * (1 - pooled) * (1.0 / (double)n1 + 1.0 / (double)n2));
  if (se == 0) return 1; /* both rates 0 or both 1: no difference to test */
  return experiment_two_sided_p((p1 - p2) / se);
}

bool experiment_needs_exact(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2) {
  double N = (double)(n1 + n2), m1 = (double)(x1 + x2), m0 = N - m1;
  if (N == 0) return false;
  double small = fmin(fmin((double)n1, (double)n2) * m1, fmin((double)n1, (double)n2) * m0) / N;
  return small < 5;
}

static double lchoose(double n, double k) {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double experiment_fisher_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2) {
  if (n1 == 0 || n2 == 0) return NAN;
  uint64_t m1 = x1 + x2, N = n1 + n2;
  uint64_t kmin = m1 > n2 ? m1 - n2 : 0, kmax = m1 < n1 ? m1 : n1;
  double base = lchoose((double)N, (double)m1);
#define LOGP(k) (lchoose((double)n1, (double)(k)) + lchoose((double)n2, (double)(m1 - (k))) - base)
  double observed = LOGP(x1);
  /* tables "no more likely" than the one seen, with a relative tolerance so
   * that ties computed through lgamma() are not lost to rounding */
  double limit = observed + log1p(1e-7);
  double p = 0;
  for (uint64_t k = kmin; k <= kmax; k++) {
    double lp = LOGP(k);
    if (lp <= limit) p += exp(lp);
  }
#undef LOGP
  return fmin(1, p);
}

void experiment_mantel_haenszel(const uint64_t *x1, const uint64_t *n1, const uint64_t *x2,
                                const uint64_t *n2, size_t k, double z, experiment_mh *out) {
  double W = 0, num = 0, P = 0, Q = 0, dev = 0, var0 = 0;
  for (size_t i = 0; i < k; i++) {
    double a = (double)x1[i], b = (double)n1[i], c = (double)x2[i], e = (double)n2[i];
    double N = b + e;
    if (b == 0 || e == 0) continue;
    W += b * e / N;
    num += (a * e - c * b) / N;
    P += (b * b * c - e * e * a + b * e * (e - b) / 2) / (N * N);
    Q += (a * (e - c) + c * (b - a)) / (2 * N);
    double m1 = a + c, m0 = N - m1;
    dev += a - b * m1 / N;
    if (N > 1) var0 += b * e * m1 * m0 / (N * N * (N - 1));
  }
  out->valid = W > 0;
  if (!out->valid) {
    out->diff = out->lo = out->hi = out->p = NAN;
    return;
  }
  out->diff = num / W;
  double var = fmax(0, (out->diff * P + Q) / (W * W));
  out->lo = out->diff - z * sqrt(var);
  out->hi = out->diff + z * sqrt(var);
  out->p = var0 > 0 ? experiment_two_sided_p(dev / sqrt(var0)) : 1;
}
