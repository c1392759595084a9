/* test_job_lists.c — the keys of a job's list entry that say how to read
 * the list: profile, encoding, columns (the mapping) and era_codes. */
#include "tg_test.h"

static tg_job *load(const char *lists_yaml, tg_diag *d, char **path) {
  char *text = g_strdup_printf("kind: job\nid: t\ndate: 2026-10-01\ndesign: d.yaml\n"
                               "municipalities:\n  - id: \"14999\"\n    name: 見本市\n"
                               "    lists:\n%s",
                               lists_yaml);
  *path = tg_test_write_temp("job.yaml", text, strlen(text));
  g_free(text);
  return tg_job_load(*path, d);
}

static void list_entries_say_how_to_read_the_list(void **state) {
  tg_diag *d = tg_diag_new();
  char *path;
  tg_job *job = load("      - file: a.csv\n"
                     "        profile: kdb-highrisk\n"
                     "        encoding: cp932\n"
                     "        era_codes: \"1=M,3=T,5=S,7=H,9=R\"\n"
                     "        columns:\n"
                     "          氏名: 対象者氏名\n"
                     "          収縮期血圧: 当年度特定健診結果/収縮期血圧\n"
                     "      - file: b.csv\n",
                     d, &path);
  assert_non_null(job);
  const tg_list_spec *a = &job->munis[0].lists[0], *b = &job->munis[0].lists[1];
  assert_string_equal(a->profile, "kdb-highrisk");
  assert_int_equal(a->encoding, TG_ENC_CP932);
  assert_string_equal(a->era_codes, "1=M,3=T,5=S,7=H,9=R");
  assert_int_equal(a->ncolumns, 2);
  assert_string_equal(a->columns[0].name, "氏名");
  assert_string_equal(a->columns[0].header, "対象者氏名");
  assert_string_equal(a->columns[1].header, "当年度特定健診結果/収縮期血圧");
  assert_null(b->profile);
  assert_int_equal(b->encoding, TG_ENC_AUTO);
  assert_int_equal(b->ncolumns, 0);
  assert_null(b->era_codes);
  tg_job_free(job);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_wrong_profile_encoding_or_era_map_is_pointed_at(void **state) {
  tg_diag *d = tg_diag_new();
  char *path;
  tg_job *job = load("      - file: a.csv\n"
                     "        profile: kdb-highrsk\n"
                     "        encoding: latin1\n"
                     "        era_codes: \"3=X\"\n"
                     "        columns: {氏名: [a]}\n",
                     d, &path);
  assert_null(job);
  assert_int_equal(tg_diag_count(d), 4);
  assert_string_equal(tg_diag_get(d, 0)->code, "schema.enum");
  assert_string_equal(tg_diag_get(d, 0)->hint, "did you mean 'kdb-highrisk'?");
  assert_int_equal(tg_diag_get(d, 0)->span.line, 10);
  assert_string_equal(tg_diag_get(d, 1)->code, "schema.enum");
  assert_string_equal(tg_diag_get(d, 2)->code, "schema.type");
  assert_string_equal(tg_diag_get(d, 3)->code, "job.era-codes");
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(list_entries_say_how_to_read_the_list),
      cmocka_unit_test(a_wrong_profile_encoding_or_era_map_is_pointed_at),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
