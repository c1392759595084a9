/* test_profiles.c — column profiles: the two KDB extraction lists of the
 * spec's annex (title lines, grouped headers over three rows, CP932 CSV and
 * UTF-8 TSV), canonical names, the job's column mapping, and missing
 * required columns named at load time.  The fixtures in tests/data/ are
 * synthetic lists in the annex layout. */
#include "tg_test.h"

static char *data_path(const char *name) {
  return g_build_filename(g_getenv("TEGAMI_SRC"), "tests", "data", name, NULL);
}

static tg_targets *open_data(const char *name, const tg_targets_options *o, tg_diag *d) {
  char *path = data_path(name);
  tg_targets *t = tg_targets_open(path, o, d);
  g_free(path);
  if (!t) {
    char *text = tg_test_diag_text(d);
    fprintf(stderr, "%s", text);
    g_free(text);
  }
  return t;
}

static const char *field(const tg_targets *t, const tg_row *r, const char *name) {
  int c = tg_targets_find_column(t, name);
  if (c < 0) fail_msg("no column %s", name);
  return r->fields[c];
}

static void the_highrisk_annex_list_is_read_with_its_grouped_header(void **state) {
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.profile = "kdb-highrisk"};
  tg_targets *t = open_data("annex-highrisk.csv", &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_encoding(t), TG_ENC_CP932);
  assert_string_equal(tg_targets_get_profile(t), "kdb-highrisk");
  assert_int_equal(tg_targets_get_header_row_count(t), 6); /* 3 title lines + 3 header rows */
  assert_int_equal(tg_targets_get_column_count(t), 26);
  const char *want[] = {"被保険者記号",
                        "被保険者番号",
                        "KDB個人番号",
                        "氏名",
                        "氏名カナ",
                        "性別",
                        "年齢",
                        "生年月日",
                        "住所",
                        "特定健診受診歴_R06",
                        "特定健診受診歴_R05",
                        "特定健診受診歴_R04",
                        "特定健診受診歴_R03",
                        "医療機関受診歴_がん",
                        "医療機関受診歴_精神",
                        "国保取得年月日",
                        "国保喪失年月日",
                        "収縮期血圧",
                        "拡張期血圧",
                        "空腹時血糖",
                        "HbA1c",
                        "LDLコレステロール",
                        "eGFR",
                        "過去の該当状況_R06",
                        "過去の該当状況_R05",
                        "過去の該当状況_R04"};
  for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
    assert_string_equal(tg_targets_get_column_name(t, i), want[i]);
  assert_string_equal(tg_targets_get_column_header(t, 17),
                      "当年度特定健診結果 / 収縮期血圧 (mmHg)");
  assert_string_equal(tg_targets_get_column_header(t, 9), "特定健診受診歴 / R06");
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_false(r.rejected);
  assert_int_equal(r.number, 7);
  assert_string_equal(field(t, &r, "KDB個人番号"), "14005555555");
  assert_string_equal(field(t, &r, "氏名カナ"), "ﾐﾎﾝ ｲﾁﾛｳ");
  assert_string_equal(field(t, &r, "収縮期血圧"), "140.0");
  assert_string_equal(field(t, &r, "特定健診受診歴_R03"), "●");
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_string_equal(field(t, &r, "氏名"), "髙野　次郎"); /* IBM extension in CP932 */
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_string_equal(field(t, &r, "収縮期血圧"), "１３２");
  assert_int_equal(tg_targets_next(t, &r, d), 0);
  assert_int_equal(tg_diag_count(d), 0);
  tg_targets_free(t);
  tg_diag_free(d);
}

static void the_dropout_annex_list_is_read_from_tsv(void **state) {
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.profile = "kdb-dropout"};
  tg_targets *t = open_data("annex-dropout.tsv", &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_delimiter(t), '\t');
  assert_int_equal(tg_targets_get_encoding(t), TG_ENC_UTF8);
  assert_int_equal(tg_targets_get_header_row_count(t), 8);
  const char *want[] = {"1年前受診状況_高血圧症", "1年前受診状況_糖尿病性を除く腎症",
                        "2年前受診状況_高血圧症", "2年前受診状況_糖尿病性を除く腎症",
                        "3年前受診状況_高血圧症", "3年前受診状況_糖尿病性を除く腎症"};
  for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
    assert_int_equal(tg_targets_find_column(t, want[i]), 17 + (int)i);
  assert_int_equal(tg_targets_find_column(t, "郵便番号"), 8);
  assert_int_equal(tg_targets_find_column(t, "特定健診受診歴_R07"), 10);
  assert_string_equal(tg_targets_get_column_header(t, 20),
                      "2年前 対象疾病 受診状況 / 糖尿病性 を除く 腎症");
  tg_row r;
  int n = 0;
  while (tg_targets_next(t, &r, d) == 1) {
    assert_false(r.rejected);
    n++;
  }
  assert_int_equal(n, 3);
  tg_targets_free(t);
  tg_diag_free(d);
}

static void a_canonical_list_reads_the_same_through_a_profile(void **state) {
  char *path = g_build_filename(g_getenv("TEGAMI_SRC"), "samples", "targets", "highrisk.csv", NULL);
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.profile = "kdb-highrisk"};
  tg_targets *t = tg_targets_open(path, &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_header_row_count(t), 1);
  tg_targets *plain = tg_targets_open(path, NULL, d);
  assert_int_equal(tg_targets_get_column_count(t), tg_targets_get_column_count(plain));
  for (size_t i = 0; i < tg_targets_get_column_count(t); i++)
    assert_string_equal(tg_targets_get_column_name(t, i), tg_targets_get_column_name(plain, i));
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_int_equal(r.number, 2);
  tg_targets_free(t);
  tg_targets_free(plain);
  tg_diag_free(d);
  g_free(path);
}

static char *annex_without(const char *drop, const char *instead) {
  char *path = data_path("annex-dropout.tsv");
  char *text;
  gsize len;
  assert_true(g_file_get_contents(path, &text, &len, NULL));
  GString *s = g_string_new(text);
  char *at = strstr(s->str, drop);
  assert_non_null(at);
  gssize pos = at - s->str;
  g_string_erase(s, pos, (gssize)strlen(drop));
  g_string_insert(s, pos, instead);
  char *out = tg_test_write_temp("list.tsv", s->str, s->len);
  g_string_free(s, TRUE);
  g_free(text);
  g_free(path);
  return out;
}

static void a_missing_required_column_is_named_at_load_time(void **state) {
  char *path = annex_without("3年前 対象疾病 受診状況", "3年前 対象 受診");
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.profile = "kdb-dropout"};
  assert_null(tg_targets_open(path, &o, d));
  assert_int_equal(tg_diag_count(d), 2);
  for (size_t i = 0; i < 2; i++) {
    const tg_diag_entry *e = tg_diag_get(d, i);
    assert_string_equal(e->code, "targets.missing-column");
    assert_int_equal(e->kind, TG_KIND_SCHEMA);
    assert_int_equal(e->row, 8);
  }
  assert_string_equal(tg_diag_get(d, 0)->message,
                      "the list has no column 3年前受診状況_高血圧症, which the kdb-dropout "
                      "profile (治療中断者) requires");
  assert_non_null(strstr(tg_diag_get(d, 1)->message, "3年前受診状況_糖尿病性を除く腎症"));
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void the_job_mapping_names_columns_of_any_list(void **state) {
  const char *text = "番号,対象者氏名,フリガナ,〒,住　所,独自項目\r\n"
                     "14000000001,見本　太郎,ﾐﾎﾝ ﾀﾛｳ,252-0028,神奈川県座間市入谷東1丁目,x\r\n";
  char *path = tg_test_write_temp("other.csv", text, strlen(text));
  tg_column_map map[] = {{"KDB個人番号", "番号"},
                         {"氏名", "対象者氏名"},
                         {"氏名カナ", "フリガナ"},
                         {"郵便番号", "〒"},
                         {"住所", "住所"}};
  tg_targets_options o = {.columns = map, .ncolumns = G_N_ELEMENTS(map)};
  tg_diag *d = tg_diag_new();
  tg_targets *t = tg_targets_open(path, &o, d);
  assert_non_null(t);
  const char *want[] = {"KDB個人番号", "氏名", "氏名カナ", "郵便番号", "住所", "独自項目"};
  for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
    assert_string_equal(tg_targets_get_column_name(t, i), want[i]);
  assert_string_equal(tg_targets_get_column_header(t, 4), "住　所");
  tg_targets_free(t);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_mapping_to_a_grouped_header_uses_its_path(void **state) {
  tg_column_map map[] = {{"受診R05", "特定健診受診歴/R05"},
                         {"収縮期血圧", "当年度特定健診結果 / 収縮期血圧"}};
  tg_targets_options o = {.profile = "kdb-highrisk", .columns = map, .ncolumns = 2};
  tg_diag *d = tg_diag_new();
  tg_targets *t = open_data("annex-highrisk.csv", &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_find_column(t, "受診R05"), 10);
  assert_int_equal(tg_targets_find_column(t, "特定健診受診歴_R05"), -1);
  assert_int_equal(tg_targets_find_column(t, "収縮期血圧"), 17);
  tg_targets_free(t);
  tg_diag_free(d);
}

static void a_mapped_header_that_is_not_there_is_named_with_a_suggestion(void **state) {
  const char *text = "KDB個人番号,対象者氏名\r\n1,a\r\n";
  char *path = tg_test_write_temp("other.csv", text, strlen(text));
  tg_column_map map[] = {{"氏名", "対象者名"}};
  tg_targets_options o = {.columns = map, .ncolumns = 1};
  tg_diag *d = tg_diag_new();
  assert_null(tg_targets_open(path, &o, d));
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_string_equal(e->code, "targets.missing-column");
  assert_string_equal(e->message, "the list has no column '対象者名' (mapped to 氏名 in the job)");
  assert_string_equal(e->hint, "did you mean '対象者氏名'?");
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void an_unknown_profile_is_refused_with_a_suggestion(void **state) {
  tg_targets_options o = {.profile = "kdb-highrsk"};
  tg_diag *d = tg_diag_new();
  assert_null(open_data("annex-highrisk.csv", &o, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "targets.profile");
  assert_string_equal(tg_diag_get(d, 0)->hint, "did you mean 'kdb-highrisk'?");
  tg_diag_free(d);
}

static void a_list_that_is_not_the_profiles_list_says_so(void **state) {
  const char *text = "title\r\nname,address\r\nx,y\r\n";
  char *path = tg_test_write_temp("other.csv", text, strlen(text));
  tg_targets_options o = {.profile = "kdb-dropout"};
  tg_diag *d = tg_diag_new();
  assert_null(tg_targets_open(path, &o, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "targets.header");
  assert_string_equal(tg_diag_get(d, 0)->message,
                      "no row among the first 3 names the column KDB個人番号: this is not a "
                      "kdb-dropout list (治療中断者)");
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_person_without_a_key_is_not_mistaken_for_a_header_row(void **state) {
  /* right under the grouped header, a person whose KDB個人番号 is empty: a
   * row to reject for its missing key, never a header row to swallow */
  const char *text =
      "KDB個人番号,氏名,生年月日,住所,収縮期血圧,拡張期血圧,空腹時血糖,HbA1c,"
      "LDLコレステロール,eGFR,特定健診受診歴,\r\n"
      ",,,,,,,,,,R06,R05\r\n"
      ",見本　太郎,S31.05.02,神奈川県座間市入谷東1丁目,140,88,101,5.7,197,55,○,\r\n"
      ",,,,,,,,,,○,○\r\n"
      "14000000002,見本　花子,S31.05.02,神奈川県座間市入谷東1丁目,140,88,101,5.7,197,55,,○\r\n";
  char *path = tg_test_write_temp("list.csv", text, strlen(text));
  tg_targets_options o = {.profile = "kdb-highrisk"};
  tg_diag *d = tg_diag_new();
  tg_targets *t = tg_targets_open(path, &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_header_row_count(t), 2);
  assert_int_equal(tg_targets_find_column(t, "特定健診受診歴_R05"), 11);
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_int_equal(r.number, 3);
  assert_string_equal(r.fields[1], "見本　太郎");
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_int_equal(r.number, 4);
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_int_equal(r.number, 5);
  tg_targets_free(t);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_highrisk_annex_list_is_read_with_its_grouped_header),
      cmocka_unit_test(the_dropout_annex_list_is_read_from_tsv),
      cmocka_unit_test(a_canonical_list_reads_the_same_through_a_profile),
      cmocka_unit_test(a_missing_required_column_is_named_at_load_time),
      cmocka_unit_test(the_job_mapping_names_columns_of_any_list),
      cmocka_unit_test(a_mapping_to_a_grouped_header_uses_its_path),
      cmocka_unit_test(a_mapped_header_that_is_not_there_is_named_with_a_suggestion),
      cmocka_unit_test(an_unknown_profile_is_refused_with_a_suggestion),
      cmocka_unit_test(a_list_that_is_not_the_profiles_list_says_so),
      cmocka_unit_test(a_person_without_a_key_is_not_mistaken_for_a_header_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
