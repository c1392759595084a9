/* test_evaluate.c — the statistics of `tegami evaluate` against hand-computed values,
 * and the join of assignment.csv with outcomes.csv (experiment/stats.c, evaluate.c).
 *
 * The worked example (docs/evaluation.md, "A worked example"): arm A 120 of
 * 600 visited, arm B 150 of 600; 95% intervals, z = Φ⁻¹(0.975) = 1.959964,
 * z² = 3.841459.
 *
 *   Wilson, A:  p = 0.2, z²/n = 0.0064024, denominator 1.0064024
 *               centre = (0.2 + 3.841459/1200) / 1.0064024 = 0.2019085
 *               half   = 1.959964/1.0064024 · √(0.16/600 + 3.841459/1440000)
 *                      = 1.9474953 · 0.0164114 = 0.0319611
 *               → [0.1699, 0.2339]
 *   Wilson, B:  p = 0.25, centre = (0.25 + 0.0032012)/1.0064024 = 0.2515904
 *               half = 1.9474953 · √(0.1875/600 + 0.0000026677) = 0.0345738
 *               → [0.2170, 0.2862]
 *   Newcombe, B − A:  d = 0.05
 *               lower = d − √((0.25 − 0.2170166)² + (0.2338697 − 0.2)²)
 *                     = 0.05 − √(0.0010879 + 0.0011472) = 0.05 − 0.0472764 = 0.0027
 *               upper = d + √((0.2861642 − 0.25)² + (0.2 − 0.1699474)²)
 *                     = 0.05 + √(0.0013078 + 0.0009032) = 0.05 + 0.0470214 = 0.0970
 *   z-test:     pooled p = 270/1200 = 0.225
 *               SE = √(0.225 · 0.775 · (1/600 + 1/600)) = 0.0241091
 *               z = 0.05 / 0.0241091 = 2.0739,  p = 2(1 − Φ(2.0739)) = 0.0381
 */
#include "tg_test.h"

#include <math.h>

#include "experiment/experiment_private.h"

static const double Z95 = 1.959963984540054;

/* Equal when both round to the same 4 decimals. */
#define assert_4dp(got, want)        assert_int_equal(lround((got)*10000), lround((want)*10000))
#define assert_close(got, want, tol) assert_true(fabs((got) - (want)) <= (tol))

static void normal_quantiles_match_the_tables(void **state) {
  (void)state;
  assert_close(experiment_normal_quantile(0.975), 1.959963984540054, 1e-13);
  assert_close(experiment_normal_quantile(0.995), 2.5758293035489004, 1e-13);
  assert_close(experiment_normal_quantile(0.9), 1.2815515655446008, 1e-13);
  assert_close(experiment_normal_quantile(0.5), 0, 1e-15);
  assert_close(experiment_normal_quantile(1e-10), -6.361340902404056, 1e-10);
  assert_close(experiment_two_sided_p(1.959963984540054), 0.05, 1e-14);
}

static void hand_computed_example_120_of_600_vs_150_of_600(void **state) {
  (void)state;
  double lo, hi;
  experiment_wilson(120, 600, Z95, &lo, &hi);
  assert_4dp(lo, 0.1699);
  assert_4dp(hi, 0.2339);
  assert_close(lo, 0.1699473686822437, 1e-12);
  assert_close(hi, 0.23386965192597675, 1e-12);
  experiment_wilson(150, 600, Z95, &lo, &hi);
  assert_4dp(lo, 0.2170);
  assert_4dp(hi, 0.2862);
  experiment_newcombe(150, 600, 120, 600, Z95, &lo, &hi);
  assert_4dp(lo, 0.0027);
  assert_4dp(hi, 0.0970);
  assert_close(lo, 0.0027236100886134512, 1e-12);
  assert_close(hi, 0.0970214059523857, 1e-12);
  assert_false(experiment_needs_exact(150, 600, 120, 600));
  double p = experiment_z_test_p(150, 600, 120, 600);
  assert_4dp(p, 0.0381);
  assert_close(p, 0.03808828420629218, 1e-12);
}

static void wilson_intervals_stay_inside_zero_and_one(void **state) {
  (void)state;
  double lo, hi;
  experiment_wilson(0, 10, Z95, &lo, &hi); /* upper = z²/(n + z²) = 3.8415/13.8415 */
  assert_true(lo == 0);
  assert_4dp(hi, 0.2775);
  experiment_wilson(10, 10, Z95, &lo, &hi);
  assert_4dp(lo, 0.7225);
  assert_true(hi == 1);
  experiment_wilson(0, 0, Z95, &lo, &hi);
  assert_true(isnan(lo) && isnan(hi));
}

/* Fisher's exact test, two-sided (sum of tables no more likely than seen).
 *   tea tasting 3/4 vs 1/4: P(3) = C(4,3)C(4,1)/C(8,4) = 16/70; tables 0,1,3,4
 *     → (1 + 16 + 16 + 1)/70 = 0.4857
 *   0/10 vs 5/10: P(0) = C(10,0)C(10,5)/C(20,5) = 252/15504 = 0.016254, and
 *     P(5) the same → 0.0325 */
static void fisher_exact_matches_hand_counts(void **state) {
  (void)state;
  assert_close(experiment_fisher_p(3, 4, 1, 4), 34.0 / 70.0, 1e-12);
  assert_close(experiment_fisher_p(0, 10, 5, 10), 504.0 / 15504.0, 1e-12);
  assert_close(experiment_fisher_p(2, 40, 9, 40), 0.04762516489608712, 1e-10);
  assert_close(experiment_fisher_p(5, 10, 5, 10), 1, 1e-12);
  assert_false(experiment_needs_exact(2, 40, 9, 40));  /* smallest expected 40·11/80 = 5.5 */
  assert_true(experiment_needs_exact(0, 10, 5, 10));   /* expected 2.5 */
  assert_true(experiment_z_test_p(0, 50, 0, 50) == 1); /* nothing to compare */
}

/* Two strata, arm vs reference: 30/100 vs 20/100 and 10/50 vs 5/50.
 *   weights w = n1·n2/N: 50 and 25; both differences 0.10 → RD_MH = 0.1000
 *   Sato: P = Σ (n1²x2 − n2²x1 + n1n2(n2 − n1)/2)/N² = −2.5 − 1.25 = −3.75
 *         Q = Σ (x1(n2 − x2) + x2(n1 − x1))/(2N) = 9.5 + 3.25 = 12.75
 *         Var = (0.1·(−3.75) + 12.75)/75² = 0.0022, SE = 0.046904
 *         CI = 0.1 ± 1.959964·0.046904 = [0.0081, 0.1919]
 *   CMH:  Σ(x1 − n1m1/N) = 5 + 2.5 = 7.5;  Σ n1n2m1m0/(N²(N − 1)) = 9.42211 + 3.21970
 *         χ² = 56.25/12.64181 = 4.4495 → p = 0.0349 */
static void mantel_haenszel_matches_the_hand_computation(void **state) {
  (void)state;
  uint64_t x1[] = {30, 10}, n1[] = {100, 50}, x2[] = {20, 5}, n2[] = {100, 50};
  experiment_mh mh;
  experiment_mantel_haenszel(x1, n1, x2, n2, 2, Z95, &mh);
  assert_true(mh.valid);
  assert_close(mh.diff, 0.1, 1e-12);
  assert_4dp(mh.lo, 0.0081);
  assert_4dp(mh.hi, 0.1919);
  assert_close(mh.lo, 0.008069540382270077, 1e-12);
  assert_4dp(mh.p, 0.0349);
  /* one stratum of equal arms: Sato's variance is the Wald variance
   * (0.25·0.75 + 0.2·0.8)/600, so the CI is 0.05 ± 1.959964·0.024066 */
  uint64_t a[] = {150}, b[] = {600}, c[] = {120}, e[] = {600};
  experiment_mantel_haenszel(a, b, c, e, 1, Z95, &mh);
  assert_close(mh.lo, 0.002831738421702673, 1e-12);
  assert_close(mh.hi, 0.09716826157829733, 1e-12);
  /* a stratum with an empty arm carries no weight */
  uint64_t f[] = {30, 7}, g[] = {100, 0}, h[] = {20, 3}, k[] = {100, 9};
  experiment_mantel_haenszel(f, g, h, k, 2, Z95, &mh);
  assert_close(mh.diff, 0.1, 1e-12);
}

/* ---- the join --------------------------------------------------------------------- */

typedef struct {
  char *dir, *assignment, *outcomes;
} files;

static files write_example(bool extra) {
  files f;
  f.dir = g_dir_make_tmp("tegami-unit-XXXXXX", NULL);
  f.assignment = g_build_filename(f.dir, "assignment.csv", NULL);
  f.outcomes = g_build_filename(f.dir, "outcomes.csv", NULL);
  GString *a = g_string_new(
      "letter_id,KDB個人番号,municipality,target_type,segment,variant,arm,date,stratum\r\n");
  GString *o = g_string_new("KDB個人番号,visit_date,傷病名\r\n");
  for (int i = 0; i < 1200; i++) {
    const char *arm = i < 600 ? "A" : "B";
    g_string_append_printf(a, "L%05d,%011d,14201,highrisk,all,standard,%s,2026-10-01,s\r\n", i,
                           30000000 + i, arm);
    bool visit = i < 600 ? i < 120 : i - 600 < 150;
    if (visit) g_string_append_printf(o, "%011d,2026-11-%02d,x\r\n", 30000000 + i, 1 + i % 28);
  }
  if (extra) {
    /* the same person again, with the same arm: still one person */
    g_string_append(a, "L99999,00030000005,14201,highrisk,all,standard,A,2026-10-02,s\r\n");
    /* a second visit of a visitor, a visit of someone not in the experiment */
    g_string_append(o, "00030000001,2026-12-01,x\r\n00099999999,2026-11-01,x\r\n");
    /* a non-visitor (A, row 300) visits the day before the letter; another
     * exactly 90 days after; another 91 days after; one date is unreadable */
    g_string_append(o, "00030000300,2026-09-30,x\r\n");
    g_string_append(o, "00030000301,20261230,x\r\n");
    g_string_append(o, "00030000302,2026/12/31,x\r\n");
    g_string_append(o, "00030000303,令和8年,x\r\n");
  }
  g_file_set_contents(f.assignment, a->str, (gssize)a->len, NULL);
  g_file_set_contents(f.outcomes, o->str, (gssize)o->len, NULL);
  g_string_free(a, TRUE);
  g_string_free(o, TRUE);
  return f;
}

static void files_remove(files *f) {
  g_unlink(f->assignment);
  g_unlink(f->outcomes);
  const char *names[] = {"evaluation.txt", "evaluation.csv", "evaluation.pdf", "evaluation.png"};
  char *out = g_build_filename(f->dir, "out", NULL);
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    char *p = g_build_filename(out, names[i], NULL);
    g_unlink(p);
    g_free(p);
  }
  g_rmdir(out);
  g_free(out);
  g_rmdir(f->dir);
  g_free(f->dir);
  g_free(f->assignment);
  g_free(f->outcomes);
}

static void the_worked_example_through_the_files(void **state) {
  (void)state;
  files f = write_example(false);
  tg_diag *d = tg_diag_new();
  tg_evaluation *e = tg_evaluate(f.assignment, f.outcomes, NULL, d);
  assert_non_null(e);
  assert_int_equal(tg_diag_count(d), 0);
  assert_int_equal(e->narms, 2);
  assert_string_equal(e->arms[e->reference], "A"); /* no "control": the first by name */
  const tg_eval_arm *b = &e->overall.arms[1];
  assert_int_equal(b->n, 600);
  assert_int_equal(b->visits, 150);
  assert_4dp(b->diff, 0.05);
  assert_4dp(b->diff_lo, 0.0027);
  assert_4dp(b->diff_hi, 0.0970);
  assert_4dp(b->p_value, 0.0381);
  assert_string_equal(b->test, "z");
  assert_false(e->overall.arms[0].has_diff);
  char *report = tg_evaluation_format(e);
  assert_non_null(strstr(report, "+5.0 pt    [+0.3, +9.7]      0.0381 (z-test)"));
  assert_non_null(strstr(report, "20.0%  [17.0%, 23.4%]"));
  assert_null(strstr(report, "30000001")); /* aggregate counts only */
  g_free(report);

  char *out = g_build_filename(f.dir, "out", NULL);
  assert_true(tg_evaluation_write_outputs(e, out, false, NULL, d));
  char *csv_path = g_build_filename(out, "evaluation.csv", NULL), *csv;
  g_file_get_contents(csv_path, &csv, NULL, NULL);
  assert_non_null(strstr(csv, "overall,,B,A,600,150,0.250000,0.217017,0.286164,"
                              "0.050000,0.002724,0.097021,0.0380883,z,0.95,\r\n"));
  /* a second evaluation into the same folder is refused without force */
  assert_false(tg_evaluation_write_outputs(e, out, false, NULL, d));
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "[output.exists]"));
  g_free(text);
  g_free(csv);
  g_free(csv_path);
  g_free(out);
  tg_evaluation_free(e);
  tg_diag_free(d);
  files_remove(&f);
}

static void visits_count_from_the_letter_date_to_the_window_end(void **state) {
  (void)state;
  files f = write_example(true);
  tg_diag *d = tg_diag_new();
  tg_eval_options o = {.window_days = 90, .reference = "B"};
  tg_evaluation *e = tg_evaluate(f.assignment, f.outcomes, &o, d);
  assert_non_null(e);
  assert_int_equal(e->assignment_rows, 1201);
  assert_int_equal(e->people, 1200);
  assert_int_equal(e->duplicate_rows, 1);
  assert_int_equal(e->outcome_rows, 270 + 6);
  assert_int_equal(e->outcome_unknown, 1);
  assert_int_equal(e->outcome_before, 1);
  assert_int_equal(e->outcome_after, 1);
  assert_int_equal(e->outcome_bad, 1);
  assert_int_equal(e->outcome_matched, 270 + 1 + 1); /* a second visit; day 90 counts */
  assert_int_equal(e->overall.arms[0].visits, 121);  /* A: 120 + the day-90 visit */
  assert_string_equal(e->arms[e->reference], "B");
  assert_true(e->overall.arms[0].has_diff && !e->overall.arms[1].has_diff);
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "outcomes.csv: row 277, column visit_date"));
  assert_non_null(strstr(text, "[evaluate.date]"));
  assert_null(strstr(text, "令和")); /* the value is never quoted */
  g_free(text);
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_REJECTED);
  tg_evaluation_free(e);
  tg_diag_free(d);
  files_remove(&f);
}

static void conflicting_arms_and_missing_columns_are_reported(void **state) {
  (void)state;
  static const char assignment[] = "letter_id,KDB個人番号,arm,date\n1,k1,A,2026-10-01\n"
                                   "2,k2,B,2026-10-01\n3,k1,B,2026-10-01\n4,k3,,2026-10-01\n";
  static const char outcomes[] = "KDB個人番号,受診日\nk2,2026-10-05\n";
  char *a = tg_test_write_temp("assignment.csv", assignment, strlen(assignment));
  char *o = tg_test_write_temp("outcomes.csv", outcomes, strlen(outcomes));
  tg_diag *d = tg_diag_new();
  tg_evaluation *e = tg_evaluate(a, o, NULL, d);
  assert_non_null(e);
  assert_int_equal(e->people, 1); /* k1 conflicts, k3 has no arm */
  assert_int_equal(e->conflicting_people, 1);
  assert_int_equal(e->unassigned_rows, 1);
  assert_int_equal(e->nstrata, 1);
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "row 4, column KDB個人番号"));
  assert_non_null(strstr(text, "[evaluate.conflict]"));
  assert_non_null(strstr(text, "[evaluate.arm-empty]"));
  g_free(text);
  tg_evaluation_free(e);
  tg_diag_clear(d);

  tg_eval_options opt = {.reference = "C"};
  assert_null(tg_evaluate(a, o, &opt, d));
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_USAGE);
  tg_diag_clear(d);

  g_file_set_contents(o, "KDB個人番号,日付\nk2,2026-10-05\n", -1, NULL);
  assert_null(tg_evaluate(a, o, NULL, d));
  text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "has no column 'visit_date'"));
  assert_non_null(strstr(text, "[evaluate.column]"));
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_INVALID);
  g_free(text);
  tg_diag_free(d);
  tg_test_remove_temp(a);
  tg_test_remove_temp(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(normal_quantiles_match_the_tables),
      cmocka_unit_test(hand_computed_example_120_of_600_vs_150_of_600),
      cmocka_unit_test(wilson_intervals_stay_inside_zero_and_one),
      cmocka_unit_test(fisher_exact_matches_hand_counts),
      cmocka_unit_test(mantel_haenszel_matches_the_hand_computation),
      cmocka_unit_test(the_worked_example_through_the_files),
      cmocka_unit_test(visits_count_from_the_letter_date_to_the_window_end),
      cmocka_unit_test(conflicting_arms_and_missing_columns_are_reported),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
