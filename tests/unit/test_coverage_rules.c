/* test_coverage_rules.c — segment coverage proofs (merge/coverage.c), rules
 * outside a design (merge/rule.c) and a municipality's exclusion rules for
 * a list (job/exclusions.c). */
#include "tg_test.h"

static tg_design *design(const char *segments, tg_diag *d) {
  char *text =
      g_strdup_printf("kind: design\nsegments:\n%s"
                      "pages:\n  - blocks:\n      - type: text\n        x: 20mm\n"
                      "        y: 20mm\n        width: 100mm\n        text: \"{{氏名}}\"\n",
                      segments);
  tg_design *ds = tg_design_load_text("t.yaml", text, strlen(text), d);
  g_free(text);
  return ds;
}

/* Check the segments of `type` against `profile`; the codes reported. */
static char *coverage(const char *segments, const char *type, const char *profile) {
  tg_diag *d = tg_diag_new();
  tg_design *ds = design(segments, d);
  if (!ds) fail_msg("%s", tg_test_diag_text(d));
  const char *const *cols = tg_targets_profile_columns(profile);
  size_t n = 0;
  while (cols[n])
    n++;
  tg_values *v = tg_values_new();
  tg_values_set(v, "list.type", type);
  tg_merge *m = tg_merge_new(ds, cols, n, v, d);
  if (!m) fail_msg("%s", tg_test_diag_text(d));
  tg_merge_check_coverage(m, profile, d);
  GString *codes = g_string_new(NULL);
  for (size_t i = 0; i < tg_diag_count(d); i++)
    g_string_append_printf(codes, "%s %s\n", tg_diag_get(d, i)->code, tg_diag_get(d, i)->message);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
  return g_string_free(codes, FALSE);
}

static void highrisk_bands_cover_the_profile(void **state) {
  (void)state;
  char *c = coverage("  highrisk:\n"
                     "    - {name: a, when: eGFR < 45, priority: 1}\n"
                     "    - {name: b, when: eGFR in 45..<60 and 年齢 < 65, priority: 2}\n"
                     "    - {name: c, when: eGFR in 45..<60 and 年齢 >= 65, priority: 3}\n",
                     "highrisk", "kdb-highrisk");
  assert_string_equal(c, "");
  g_free(c);
}

static void a_gap_names_its_values(void **state) {
  (void)state;
  /* 59 ..< 60 is in the profile (eGFR below 60) and in no segment */
  char *c = coverage("  highrisk:\n"
                     "    - {name: a, when: eGFR < 45, priority: 1}\n"
                     "    - {name: b, when: eGFR in 45..59, priority: 2}\n",
                     "highrisk", "kdb-highrisk");
  assert_non_null(strstr(c, "segment.uncovered"));
  assert_non_null(strstr(c, "eGFR = 59.5"));
  g_free(c);
  /* ages are whole numbers: 64 and 65 are both covered */
  c = coverage("  highrisk:\n"
               "    - {name: a, when: eGFR < 60 and 年齢 <= 64, priority: 1}\n"
               "    - {name: b, when: eGFR < 60 and 年齢 >= 65, priority: 2}\n",
               "highrisk", "kdb-highrisk");
  assert_string_equal(c, "");
  g_free(c);
}

static void marks_take_every_combination(void **state) {
  (void)state;
  char *c = coverage("  dropout:\n"
                     "    - {name: k, when: 1年前受診状況_糖尿病性を除く腎症, priority: 1}\n"
                     "    - {name: p, when: 1年前受診状況_高血圧症, priority: 2}\n",
                     "dropout", "kdb-dropout");
  assert_non_null(strstr(c, "segment.uncovered"));
  assert_non_null(strstr(c, "empty"));
  g_free(c);
  c = coverage("  dropout:\n"
               "    - {name: k, when: 1年前受診状況_糖尿病性を除く腎症}\n"
               "    - {name: p, when: not 1年前受診状況_糖尿病性を除く腎症}\n",
               "dropout", "kdb-dropout");
  assert_string_equal(c, "");
  g_free(c);
  c = coverage("  dropout:\n"
               "    - {name: k, when: 1年前受診状況_糖尿病性を除く腎症}\n"
               "    - {name: p, when: 1年前受診状況_高血圧症}\n"
               "    - {name: o, when: otherwise}\n",
               "dropout", "kdb-dropout");
  assert_non_null(strstr(c, "segment.may-overlap"));
  assert_null(strstr(c, "segment.uncovered"));
  g_free(c);
}

static void a_rule_outside_a_design(void **state) {
  (void)state;
  static const char *const COLS[] = {"年齢", "国保喪失年月日"};
  tg_diag *d = tg_diag_new();
  tg_values *v = tg_values_new();
  tg_rule *r = tg_rule_new("年齢 >= 75 or 国保喪失年月日", NULL, COLS, 2, v, d);
  assert_non_null(r);
  const char *f1[] = {"76", ""}, *f2[] = {"70", ""}, *f3[] = {"70", "4080930"}, *f4[] = {"x", ""};
  size_t l1[] = {2, 0}, l3[] = {2, 7}, l4[] = {1, 0};
  tg_row row = {.number = 2, .nfields = 2, .fields = f1, .lengths = l1};
  assert_int_equal(tg_rule_eval(r, &row, "l.csv", d), 1);
  row.fields = f2;
  assert_int_equal(tg_rule_eval(r, &row, "l.csv", d), 0);
  row.fields = f3;
  row.lengths = l3;
  assert_int_equal(tg_rule_eval(r, &row, "l.csv", d), 1);
  row.fields = f4;
  row.lengths = l4;
  assert_int_equal(tg_rule_eval(r, &row, "l.csv", d), -1);
  assert_string_equal(tg_diag_get(d, 0)->code, "data.not-a-number");
  tg_rule_free(r);
  assert_null(tg_rule_new("年令 >= 75", NULL, COLS, 2, v, d));
  tg_values_free(v);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(highrisk_bands_cover_the_profile),
      cmocka_unit_test(a_gap_names_its_values),
      cmocka_unit_test(marks_take_every_combination),
      cmocka_unit_test(a_rule_outside_a_design),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
