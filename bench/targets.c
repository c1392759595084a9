/* bench/targets.c — time and peak memory to read (and validate) a target
 * list: the numbers of docs/performance.md, "Reading target lists".
 *
 *   tegami_bench_targets LIST [--read-only] [--profile NAME] [--postal FILE]
 *                             [--date YYYY-MM-DD] [--encoding auto|utf-8|cp932]
 *
 * Reads every row with tg_targets_next() and, unless --read-only, checks it
 * with the validator (postal dictionary, duplicates, every value rule), then
 * prints one line of key=value pairs: rows, verdict counts, wall seconds,
 * rows per second and the process's peak resident set size.  Diagnostics are
 * counted, not printed.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tegami/targets.h"

static double now_s(void) { return (double)g_get_monotonic_time() / 1e6; }

int main(int argc, char **argv) {
  const char *list = NULL, *profile = NULL, *postal_path = NULL, *date = "2026-10-01";
  tg_encoding enc = TG_ENC_AUTO;
  bool read_only = false;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--read-only"))
      read_only = true;
    else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
      profile = argv[++i];
    else if (!strcmp(argv[i], "--postal") && i + 1 < argc)
      postal_path = argv[++i];
    else if (!strcmp(argv[i], "--date") && i + 1 < argc)
      date = argv[++i];
    else if (!strcmp(argv[i], "--encoding") && i + 1 < argc) {
      if (!tg_encoding_parse(argv[++i], &enc)) {
        fprintf(stderr, "unknown encoding %s\n", argv[i]);
        return 2;
      }
    } else if (argv[i][0] != '-' && !list)
      list = argv[i];
    else {
      fprintf(stderr,
              "usage: %s LIST [--read-only] [--profile NAME] [--postal FILE] "
              "[--date YYYY-MM-DD] [--encoding E]\n",
              argv[0]);
      return 2;
    }
  }
  if (!list) {
    fprintf(stderr, "usage: %s LIST [options]\n", argv[0]);
    return 2;
  }
  tg_diag *d = tg_diag_new();
  double t0 = now_s();
  tg_postal *postal = NULL;
  tg_validator *v = NULL;
  if (!read_only) {
    postal = postal_path ? tg_postal_load(postal_path, TG_ENC_AUTO, d) : NULL;
    tg_validator_options vo = {.reference_date = date, .postal = postal};
    v = tg_validator_new(&vo, d);
  }
  tg_targets_options o = {.encoding = enc, .profile = profile};
  tg_targets *t = tg_targets_open(list, &o, d);
  if (!t || (!read_only && !v)) {
    for (size_t i = 0; i < tg_diag_count(d); i++) {
      char *s = tg_diag_format(tg_diag_get(d, i));
      fputs(s, stderr);
      free(s);
    }
    return 1;
  }
  int li = v ? tg_validator_add_list(v, t, NULL, d) : -1;
  double t1 = now_s();
  tg_diag *rd = tg_diag_new();
  tg_row r;
  uint64_t rows = 0, rejected_by_reader = 0, diags = 0;
  int st;
  while ((st = tg_targets_next(t, &r, rd)) == 1) {
    rows++;
    if (r.rejected) rejected_by_reader++;
    if (v) tg_validator_check(v, li, &r, rd);
    diags += tg_diag_count(rd);
    tg_diag_clear(rd);
  }
  double t2 = now_s();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  tg_validator_counts c = {0};
  if (v) tg_validator_get_counts(v, li, &c);
  printf("list=%s encoding=%s mode=%s rows=%" G_GUINT64_FORMAT " ok=%" G_GUINT64_FORMAT
         " rejected=%" G_GUINT64_FORMAT " excluded=%" G_GUINT64_FORMAT
         " diagnostics=%" G_GUINT64_FORMAT " setup_s=%.3f read_s=%.3f rows_per_s=%.0f "
         "peak_rss_mib=%.1f\n",
         list, tg_encoding_name(tg_targets_get_encoding(t)), read_only ? "read" : "read+validate",
         rows, v ? c.ok : rows - rejected_by_reader, v ? c.rejected : rejected_by_reader,
         c.excluded, diags, t1 - t0, t2 - t1, rows / (t2 - t1 > 0 ? t2 - t1 : 1),
         ru.ru_maxrss / 1024.0);
  tg_diag_free(rd);
  tg_targets_free(t);
  tg_validator_free(v);
  tg_postal_free(postal);
  tg_diag_free(d);
  return st < 0 ? 1 : 0;
}
