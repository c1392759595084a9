/* bench/postal.c — the postal-code derivation measured on a dictionary: the
 * figures of docs/targets.md, "Postal codes from addresses".
 *
 *   tegami_bench_postal DICTIONARY... [--verbose]
 *
 * For each KEN_ALL file: load it (time), turn every row back into an
 * address (prefecture + city + town + a 丁目/番地 inside the row's range,
 * building and floor for 高層ビル rows; written in rotating forms, see
 * engine/lib/postal/measure.c), derive its postal code and print one line of
 * key=value pairs: rows, decided, wrong, ambiguous, not found, skipped, the
 * decided share, load seconds and derivations per second.  --verbose also
 * prints every row that was not decided.  Exit 1 when any row is wrong.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "postal/postal_private.h"

int main(int argc, char **argv) {
  bool verbose = false;
  int status = 0, files = 0;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--verbose")) verbose = true;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--verbose")) continue;
    files++;
    tg_diag *d = tg_diag_new();
    gint64 t0 = g_get_monotonic_time();
    tg_postal *p = tg_postal_load(argv[i], TG_ENC_AUTO, d);
    double load_s = (double)(g_get_monotonic_time() - t0) / 1e6;
    if (!p) {
      for (size_t k = 0; k < tg_diag_count(d); k++) {
        char *m = tg_diag_format(tg_diag_get(d, k));
        fprintf(stderr, "%s\n", m);
        g_free(m);
      }
      tg_diag_free(d);
      return 3;
    }
    postal_measure_counts c;
    GString *report = g_string_new(NULL);
    postal_measure(p, &c, report, verbose);
    fputs(report->str, stdout);
    uint64_t measured = c.rows - c.skipped;
    printf("file=%s rows=%" G_GUINT64_FORMAT " decided=%" G_GUINT64_FORMAT
           " (%.2f%%) wrong=%" G_GUINT64_FORMAT " ambiguous=%" G_GUINT64_FORMAT
           " (%.2f%%) not_found=%" G_GUINT64_FORMAT " (%.2f%%) skipped=%" G_GUINT64_FORMAT
           " by_default=%" G_GUINT64_FORMAT " load_s=%.2f derive_per_s=%.0f\n",
           argv[i], c.rows, c.decided,
           measured ? 100.0 * (double)c.decided / (double)measured : 0.0, c.wrong, c.ambiguous,
           measured ? 100.0 * (double)c.ambiguous / (double)measured : 0.0, c.not_found,
           measured ? 100.0 * (double)c.not_found / (double)measured : 0.0, c.skipped, c.by_default,
           load_s, c.seconds > 0 ? (double)measured / c.seconds : 0.0);
    if (c.wrong) status = 1;
    g_string_free(report, TRUE);
    tg_postal_free(p);
    tg_diag_free(d);
  }
  if (!files) {
    fprintf(stderr, "usage: tegami_bench_postal DICTIONARY... [--verbose]\n");
    return 2;
  }
  return status;
}
