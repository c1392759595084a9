/* test_mailing.c — Japan Post's classes of a piece for the mailing plan:
 * 定形 by size, 10 mm and 25 g / 50 g (limits inclusive), 定形外 beyond, the
 * barcode discount's 6 mm; the 郵便区番号 of a postal code (KEN_ALL column 2,
 * or the first 3 digits when the dictionary leaves it empty); and the job's
 * `mailing:` section with its defaults. */
#include "tg_test.h"

static tg_mail_piece naga3(double weight_g, double thickness_mm) {
  return (tg_mail_piece){120, 235, thickness_mm, weight_g};
}

static void weight_classes_and_their_limits(void **state) {
  tg_mail_piece p = naga3(9.0, 0.7);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  p = naga3(25.0, 1); /* the limit itself is inside */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  p = naga3(5 + 5 * 4.0, 1); /* a sum of decimals landing on 25 */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  p = naga3(25.01, 1);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_50);
  p = naga3(50.0, 1);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_50);
  p = naga3(50.1, 1);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEIGAI);
  assert_string_equal(tg_mail_class_name(TG_MAIL_TEIKEI_25), "定形25g");
  assert_string_equal(tg_mail_class_name(TG_MAIL_TEIKEI_50), "定形50g");
  assert_string_equal(tg_mail_class_name(TG_MAIL_TEIKEIGAI), "定形外");
}

static void thickness_10_mm_for_teikei_6_mm_for_the_barcode_discount(void **state) {
  tg_mail_piece p = naga3(20, 6.0);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  assert_true(tg_mail_barcode_machinable(&p));
  p = naga3(20, 6.1); /* still 定形, but not for the discount */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  assert_false(tg_mail_barcode_machinable(&p));
  p = naga3(20, 10.0);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  p = naga3(20, 10.5);
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEIGAI);
  assert_false(tg_mail_barcode_machinable(&p));
}

static void envelope_sizes(void **state) {
  tg_mail_piece p = {90, 205, 1, 10}; /* 長形4号 */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  p = (tg_mail_piece){235, 120, 1, 10}; /* sides the other way round */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEI_25);
  p = (tg_mail_piece){240, 332, 1, 10}; /* 角形2号 */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEIGAI);
  assert_false(tg_mail_barcode_machinable(&p));
  p = (tg_mail_piece){89, 200, 1, 10}; /* too narrow */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEIGAI);
  p = (tg_mail_piece){120, 236, 1, 10}; /* too long */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEIGAI);
  p = (tg_mail_piece){100, 139, 1, 10}; /* too short */
  assert_int_equal(tg_mail_classify(&p), TG_MAIL_TEIKEIGAI);
}

static void kubun_from_column_2_or_the_first_3_digits(void **state) {
  char *path =
      g_build_filename(g_getenv("TEGAMI_SRC"), "tests", "data", "ken_all-quirks.csv", NULL);
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  char k[6];
  assert_true(tg_postal_kubun(p, "2200012", k)); /* "220  " */
  assert_string_equal(k, "220");
  assert_true(tg_postal_kubun(p, "1000301", k)); /* "10003": a 5-digit 郵便区 */
  assert_string_equal(k, "10003");
  assert_false(tg_postal_kubun(p, "2209999", k)); /* not in the file */
  assert_string_equal(k, "220");
  tg_postal_free(p);
  g_free(path);
  /* the vendored dictionary leaves column 2 empty */
  path = tg_postal_default_path(g_getenv("TEGAMI_SRC"));
  p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  size_t n;
  const tg_postal_entry *const *e = tg_postal_lookup(p, "2520001", &n);
  assert_true(n > 0);
  assert_string_equal(e[0]->kubun, "");
  assert_false(tg_postal_kubun(p, "2520001", k));
  assert_string_equal(k, "252");
  tg_postal_free(p);
  g_free(path);
  tg_diag_free(d);
}

static tg_job *load_job(const char *mailing_yaml, tg_diag *d) {
  char *text = g_strdup_printf("kind: job\nid: t\ndate: 2026-10-01\ndesign: d.yaml\n%s"
                               "municipalities:\n  - id: \"14999\"\n    name: 見本市\n"
                               "    lists:\n      - file: a.csv\n",
                               mailing_yaml);
  char *path = tg_test_write_temp("job.yaml", text, strlen(text));
  g_free(text);
  tg_job *job = tg_job_load(path, d);
  tg_test_remove_temp(path);
  return job;
}

static void the_jobs_mailing_section(void **state) {
  tg_diag *d = tg_diag_new();
  tg_job *job = load_job("", d);
  assert_non_null(job);
  assert_false(job->mailing.enabled);
  tg_job_free(job);
  job = load_job("mailing: {}\n", d);
  assert_non_null(job);
  const tg_mailing_spec *m = &job->mailing;
  assert_true(m->enabled);
  assert_string_equal(m->envelope, "naga3");
  assert_true(m->envelope_w_mm == 120 && m->envelope_l_mm == 235);
  assert_int_equal(m->panels, 3);
  assert_true(m->envelope_g == 5 && m->paper_gsm == 64 && m->sheet_g == 0);
  tg_job_free(job);
  job = load_job("mailing:\n  envelope: kaku2\n  envelope-grams: 14.5\n  sheet-grams: 4.4\n"
                 "  paper-thickness: 0.1mm\n  insert-grams: 6\n",
                 d);
  assert_non_null(job);
  m = &job->mailing;
  assert_string_equal(m->envelope, "kaku2");
  assert_int_equal(m->panels, 1);
  assert_true(m->envelope_g == 14.5 && m->sheet_g == 4.4 && m->insert_g == 6);
  assert_true(m->paper_mm > 0.0999 && m->paper_mm < 0.1001);
  tg_job_free(job);
  assert_int_equal(tg_diag_count_at_least(d, TG_ERROR), 0);
  /* a misspelt key and an unknown envelope are errors */
  job = load_job("mailing:\n  envelope: naga5\n  paper-gms: 70\n", d);
  tg_job_free(job);
  char *t = tg_test_diag_text(d);
  assert_non_null(strstr(t, "naga5"));
  assert_non_null(strstr(t, "paper-gms"));
  g_free(t);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(weight_classes_and_their_limits),
      cmocka_unit_test(thickness_10_mm_for_teikei_6_mm_for_the_barcode_discount),
      cmocka_unit_test(envelope_sizes),
      cmocka_unit_test(kubun_from_column_2_or_the_first_3_digits),
      cmocka_unit_test(the_jobs_mailing_section),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
