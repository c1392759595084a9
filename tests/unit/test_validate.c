/* test_validate.c — the validator: one test per rule (required values,
 * numbers and their ranges, blood-pressure order, dates and eras, ages,
 * sex, ○/● marks, kana, 〓, postal code format, existence and agreement with
 * the address), the exclusion list, one letter per person, the counts, and
 * messages that never hold a personal value. */
#include "tg_test.h"

#define HEADER                                                                                                                          \
  "KDB個人番号,氏名,氏名カナ,性別,年齢,生年月日,郵便番号,住所,収縮期血圧,拡張期血圧,空腹時血糖," \
  "HbA1c,LDLコレステロール,eGFR,国保取得年月日\r\n"
#define GOOD_TAIL      "140,88,101,5.7,197,55.0,4050718"
#define ROW(key, rest) key "," rest "\r\n"
/* a valid row, by parts */
#define PERSON "見本　一郎,ﾐﾎﾝ ｲﾁﾛｳ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目1番1号"

typedef struct {
  tg_postal *postal;
  tg_validator *v;
  tg_diag *d;
  GPtrArray *paths;
  GPtrArray *lists; /* tg_targets* */
} world;

static int setup(void **state) {
  world *w = g_new0(world, 1);
  w->d = tg_diag_new();
  char *path = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  w->postal = tg_postal_load(path, TG_ENC_AUTO, w->d);
  g_free(path);
  tg_validator_options o = {.reference_date = "2026-10-01", .postal = w->postal};
  w->v = tg_validator_new(&o, w->d);
  w->paths = g_ptr_array_new();
  w->lists = g_ptr_array_new();
  *state = w;
  return w->postal && w->v ? 0 : -1;
}

static int teardown(void **state) {
  world *w = *state;
  tg_validator_free(w->v);
  tg_postal_free(w->postal);
  for (guint i = 0; i < w->lists->len; i++)
    tg_targets_free(g_ptr_array_index(w->lists, i));
  for (guint i = 0; i < w->paths->len; i++)
    tg_test_remove_temp(g_ptr_array_index(w->paths, i));
  g_ptr_array_free(w->lists, TRUE);
  g_ptr_array_free(w->paths, TRUE);
  tg_diag_free(w->d);
  g_free(w);
  return 0;
}

/* Open `text` as a list and register it. */
static int add(world *w, const char *name, const char *text, const tg_list_rules *rules,
               tg_targets **out) {
  char *path = tg_test_write_temp(name, text, strlen(text));
  g_ptr_array_add(w->paths, path);
  tg_targets *t = tg_targets_open(path, NULL, w->d);
  assert_non_null(t);
  g_ptr_array_add(w->lists, t);
  if (out) *out = t;
  return tg_validator_add_list(w->v, t, rules, w->d);
}

/* Check the next row of t; the verdict, with the row's diagnostics in w->d. */
static tg_verdict next(world *w, tg_targets *t, int list) {
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, w->d), 1);
  return tg_validator_check(w->v, list, &r, w->d);
}

static void expect_rejected(tg_verdict vd, const char *code, const char *column) {
  if (vd.kind != TG_VERDICT_REJECTED) fail_msg("not rejected (want %s)", code);
  assert_string_equal(vd.code, code);
  if (column) assert_string_equal(vd.column, column);
}

/* Each row violates one rule: the verdict names it. */
static void each_rule_rejects_its_row_with_code_and_column(void **state) {
  world *w = *state;
  static const struct {
    const char *row, *code, *column;
  } CASES[] = {
      {ROW("14000000001", PERSON "," GOOD_TAIL), NULL, NULL},
      {ROW("14000000002", ",ﾐﾎﾝ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.required", "氏名"},
      {ROW("14000000003", "見本　一郎,ﾐﾎﾝ,男,70,S31.05.02,,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.required", "郵便番号"},
      {ROW("14000000004", PERSON ",１４０,８８,abc,5.7,197,55.0,4050718"), "data.number",
       "空腹時血糖"},
      {ROW("14000000005", PERSON ",412,88,101,5.7,197,55.0,4050718"), "data.range", "収縮期血圧"},
      {ROW("14000000006", PERSON ",140,88,101,57,197,55.0,4050718"), "data.range", "HbA1c"},
      {ROW("14000000007", PERSON ",140,88,101,5.7,197,0,4050718"), "data.range", "eGFR"},
      {ROW("14000000008", PERSON ",80,120,101,5.7,197,55.0,4050718"), "data.bp-order",
       "収縮期血圧"},
      {ROW("14000000009", "見本,ﾐﾎﾝ,男,70,S31.13.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.date", "生年月日"},
      {ROW("14000000010",
           "見本,ﾐﾎﾝ,男,70,生年月日不明,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.date", "生年月日"},
      {ROW("14000000011", "見本,ﾐﾎﾝ,男,37,S64.02.01,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.date-era", "生年月日"},
      {ROW("14000000012", PERSON ",140,88,101,5.7,197,55.0,6050718"), "data.date-era",
       "国保取得年月日"},
      {ROW("14000000013", "見本,ﾐﾎﾝ,男,,R09.01.01,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.date-range", "生年月日"},
      {ROW("14000000014", "見本,ﾐﾎﾝ,男,,1890-01-01,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.date-range", "生年月日"},
      {ROW("14000000015", "見本,ﾐﾎﾝ,男,50,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.age-mismatch", "年齢"},
      {ROW("14000000016",
           "見本,ﾐﾎﾝ,男,130,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.range", "年齢"},
      {ROW("14000000017",
           "見本,ﾐﾎﾝ,男,70.5,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.number", "年齢"},
      {ROW("14000000018", "見本,ﾐﾎﾝ,X,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.sex", "性別"},
      {ROW("14000000019",
           "見本,見本,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.kana", "氏名カナ"},
      {ROW("14000000020",
           "見本　〓郎,ﾐﾎﾝ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.geta", "氏名"},
      {ROW("14000000021", "見本,ﾐﾎﾝ,男,70,S31.05.02,25-20028,神奈川県座間市入谷東1丁目," GOOD_TAIL),
       "data.postal-format", "郵便番号"},
      {ROW("14000000022", "見本,ﾐﾎﾝ,男,70,S31.05.02,228-0024,神奈川県座間市入谷1丁目," GOOD_TAIL),
       "data.postal-unknown", "郵便番号"},
      {ROW("14000000023",
           "見本,ﾐﾎﾝ,男,70,S31.05.02,252-0028,神奈川県横浜市西区南幸1丁目," GOOD_TAIL),
       "data.postal-city", "住所"},
      {ROW("14000000024", "見本,ﾐﾎﾝ,男,70,S31.05.02,252-0028,東京都座間市入谷東1丁目," GOOD_TAIL),
       "data.postal-prefecture", "住所"},
      {ROW("14000000025",
           "見本,ﾐﾎﾝ,男,70,S31.05.02,252-0028,神奈川県座間市入谷東〓丁目," GOOD_TAIL),
       "data.geta", "住所"},
      /* accepted variants: full-width digits, ages a year apart, 1/2 for sex,
       * no prefecture, Latin letters in the reading, a ケ/ヶ difference */
      {ROW("14000000026", "見本,SMITH JOHN,1,69,昭和31年5月2日,２５２－００２８,座間市入谷東１丁目,"
                          "１４０,８８,１０１,５．７,１９７,５５,4050718"),
       NULL, NULL},
      {ROW("14000000027",
           "見本,ﾐﾎﾝ,女,70,S31.05.02,253-0041,神奈川県茅ケ崎市茅ヶ崎1丁目," GOOD_TAIL),
       NULL, NULL},
  };
  GString *text = g_string_new(HEADER);
  for (size_t i = 0; i < G_N_ELEMENTS(CASES); i++)
    g_string_append(text, CASES[i].row);
  tg_targets *t;
  int list = add(w, "rules.csv", text->str, NULL, &t);
  assert_int_equal(list, 0);
  for (size_t i = 0; i < G_N_ELEMENTS(CASES); i++) {
    size_t before = tg_diag_count(w->d);
    tg_verdict vd = next(w, t, list);
    if (!CASES[i].code) {
      if (vd.kind != TG_VERDICT_OK) fail_msg("row %zu: %s (%s)", i + 2, vd.code, vd.column);
      assert_int_equal(tg_diag_count(w->d), before);
      continue;
    }
    if (vd.kind != TG_VERDICT_REJECTED || strcmp(vd.code, CASES[i].code) != 0)
      fail_msg("row %zu: want %s, got %s", i + 2, CASES[i].code, vd.code ? vd.code : "ok");
    expect_rejected(vd, CASES[i].code, CASES[i].column);
    const tg_diag_entry *e = tg_diag_get(w->d, before);
    assert_int_equal(e->row, i + 2);
    assert_string_equal(e->code, CASES[i].code);
    assert_int_equal(e->kind, TG_KIND_DATA);
    assert_int_equal(e->severity, TG_ERROR);
  }
  tg_validator_counts c;
  tg_validator_get_counts(w->v, list, &c);
  assert_int_equal(c.checked, G_N_ELEMENTS(CASES));
  assert_int_equal(c.ok, 3);
  assert_int_equal(c.rejected, G_N_ELEMENTS(CASES) - 3);
  assert_int_equal(c.checked, c.ok + c.rejected + c.excluded);

  /* no value of any row appears in any message, hint or column */
  for (size_t i = 0; i < tg_diag_count(w->d); i++) {
    char *f = tg_diag_format(tg_diag_get(w->d, i));
    const char *values[] = {"見本",   "ﾐﾎﾝ",   "S31",          "252-0028", "0028",
                            "入谷",   "座間",  "14000000",     "412",      "abc",
                            "１４０", "SMITH", "生年月日不明", "1890",     "R09"};
    for (size_t k = 0; k < G_N_ELEMENTS(values); k++)
      if (strstr(f, values[k])) fail_msg("'%s' in: %s", values[k], f);
    free(f);
  }
  g_string_free(text, TRUE);
}

static void every_problem_of_a_row_is_reported_and_the_first_decides(void **state) {
  world *w = *state;
  tg_targets *t;
  int list = add(w, "many.csv",
                 HEADER ROW("", ",ﾐﾎﾝ,X,70,S31.05.02,252-0028,神奈川県座間市入谷東1丁目,"
                                "400,88,101,5.7,197,55.0,4050718"),
                 NULL, &t);
  tg_verdict vd = next(w, t, list);
  expect_rejected(vd, "data.required", "KDB個人番号");
  assert_int_equal(tg_diag_count(w->d), 4); /* key, 氏名, 性別, 収縮期血圧 */
  assert_string_equal(tg_diag_get(w->d, 1)->column, "氏名");
  assert_string_equal(tg_diag_get(w->d, 2)->code, "data.sex");
  assert_string_equal(tg_diag_get(w->d, 3)->code, "data.range");
}

static void marks_are_checked_in_mark_columns(void **state) {
  world *w = *state;
  tg_targets *t;
  int list = add(w, "dropout.csv",
                 "KDB個人番号,氏名,郵便番号,住所,1年前受診状況_高血圧症,特定健診受診歴_R06\r\n"
                 "14000000001,見本,252-0028,神奈川県座間市入谷東1丁目,○,●\r\n"
                 "14000000002,見本,252-0028,神奈川県座間市入谷東1丁目,×,\r\n"
                 "14000000003,見本,252-0028,神奈川県座間市入谷東1丁目,,有\r\n",
                 NULL, &t);
  assert_int_equal(next(w, t, list).kind, TG_VERDICT_OK);
  expect_rejected(next(w, t, list), "data.mark", "1年前受診状況_高血圧症");
  expect_rejected(next(w, t, list), "data.mark", "特定健診受診歴_R06");
}

static void the_era_code_map_is_per_list(void **state) {
  world *w = *state;
  tg_era_codes jps;
  assert_true(tg_era_codes_parse(&jps, "1=M,3=T,5=S,7=H,9=R"));
  tg_list_rules rules = {.era_codes = &jps};
  tg_targets *t;
  int list =
      add(w, "jps.csv",
          "KDB個人番号,氏名,生年月日\r\n14000000001,見本,5310502\r\n14000000002,見本,3310502\r\n",
          &rules, &t);
  assert_int_equal(next(w, t, list).kind, TG_VERDICT_OK);
  expect_rejected(next(w, t, list), "data.date-era", "生年月日"); /* 大正31年 */
}

static void required_values_can_be_added_by_the_job(void **state) {
  world *w = *state;
  const char *req[] = {"生年月日"};
  tg_list_rules rules = {.required_values = req, .nrequired_values = 1};
  tg_targets *t;
  int list = add(w, "req.csv", "KDB個人番号,氏名,生年月日\r\n14000000001,見本,\r\n", &rules, &t);
  expect_rejected(next(w, t, list), "data.required", "生年月日");
  const char *missing[] = {"電話番号"};
  rules.required_values = missing;
  tg_diag_clear(w->d);
  assert_int_equal(add(w, "req2.csv", "KDB個人番号,氏名\r\n", &rules, NULL), -1);
  assert_string_equal(tg_diag_get(w->d, 0)->code, "targets.missing-column");
}

static void one_letter_per_person_the_first_row_in_job_order_wins(void **state) {
  world *w = *state;
  tg_targets *a, *b;
  int la = add(
      w, "highrisk.csv",
      HEADER ROW("14000000001", PERSON "," GOOD_TAIL) ROW(
          "14000000002",
          "見本,ﾐﾎﾝ,男,70,S31.05.02,25-0028,神奈川県座間市入谷東1丁目," GOOD_TAIL) /* rejected, but
                                                                                      it is the
                                                                                      person's row
                                                                                    */
      ROW("14000000001", PERSON "," GOOD_TAIL),
      NULL, &a);
  int lb = add(w, "dropout.csv",
               "KDB個人番号,氏名,郵便番号,住所\r\n"
               "14000000002,見本,252-0028,神奈川県座間市入谷東1丁目\r\n"
               " 14000000001 ,見本,252-0028,神奈川県座間市入谷東1丁目\r\n"
               "14000000003,見本,252-0028,神奈川県座間市入谷東1丁目\r\n",
               NULL, &b);
  assert_int_equal(next(w, a, la).kind, TG_VERDICT_OK);
  expect_rejected(next(w, a, la), "data.postal-format", "郵便番号");
  tg_verdict vd = next(w, a, la);
  assert_int_equal(vd.kind, TG_VERDICT_EXCLUDED);
  assert_string_equal(vd.rule, "duplicate");
  assert_string_equal(vd.code, "exclude.duplicate");
  assert_int_equal(vd.first_list, la);
  assert_int_equal(vd.first_row, 2);
  const tg_diag_entry *e = tg_diag_get(w->d, tg_diag_count(w->d) - 1);
  assert_int_equal(e->severity, TG_NOTE);
  assert_int_equal(e->row, 4);
  assert_non_null(strstr(e->message, "the same person as row 2 of "));
  vd = next(w, b, lb);
  assert_string_equal(vd.rule, "duplicate");
  assert_int_equal(vd.first_row, 3); /* the rejected row */
  vd = next(w, b, lb);
  assert_string_equal(vd.rule, "duplicate"); /* spaces around the key do not hide a person */
  assert_int_equal(next(w, b, lb).kind, TG_VERDICT_OK);
  tg_validator_counts c;
  tg_validator_get_counts(w->v, la, &c);
  assert_int_equal(c.ok, 1);
  assert_int_equal(c.rejected, 1);
  assert_int_equal(c.excluded_duplicate, 1);
  tg_validator_get_counts(w->v, lb, &c);
  assert_int_equal(c.excluded, 2);
  assert_int_equal(tg_diag_exit_code(w->d), TG_EXIT_REJECTED); /* notes do not count */
}

static void duplicates_may_be_allowed(void **state) {
  tg_diag *d = tg_diag_new();
  tg_validator_options o = {.allow_duplicates = true};
  tg_validator *v = tg_validator_new(&o, d);
  const char *text = "KDB個人番号,氏名\r\n1,a\r\n1,b\r\n";
  char *path = tg_test_write_temp("l.csv", text, strlen(text));
  tg_targets *t = tg_targets_open(path, NULL, d);
  int list = tg_validator_add_list(v, t, NULL, d);
  tg_row r;
  for (int i = 0; i < 2; i++) {
    tg_targets_next(t, &r, d);
    assert_int_equal(tg_validator_check(v, list, &r, d).kind, TG_VERDICT_OK);
  }
  tg_targets_free(t);
  tg_validator_free(v);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

static void a_list_without_the_key_column_cannot_be_checked_for_duplicates(void **state) {
  world *w = *state;
  assert_int_equal(add(w, "nokey.csv", "氏名,住所\r\n", NULL, NULL), -1);
  assert_string_equal(tg_diag_get(w->d, 0)->code, "targets.missing-column");
}

static void a_row_the_reader_rejected_stays_rejected_with_its_code(void **state) {
  world *w = *state;
  tg_targets *t;
  int list =
      add(w, "short.csv", "KDB個人番号,氏名\r\n14000000001\r\n14000000001,見本\r\n", NULL, &t);
  expect_rejected(next(w, t, list), "data.field-count", NULL);
  /* its key was not read, so the next row is the person's first */
  assert_int_equal(next(w, t, list).kind, TG_VERDICT_OK);
}

/* ---- exclusion list ---------------------------------------------------------------- */

static tg_exclusions *load_exclusions(const char *text, tg_diag *d, char **path) {
  *path = tg_test_write_temp("exclude.csv", text, strlen(text));
  return tg_exclusions_load(*path, NULL, d);
}

static void people_on_the_exclusion_list_are_excluded_with_the_rule(void **state) {
  world *w = *state;
  char *xpath;
  tg_exclusions *x =
      load_exclusions("KDB個人番号,理由\r\n"
                      "14000000001,転出\r\n"
                      "０１４００００００００２,\r\n" /* Excel-era zeros, full width */
                      "14000000009,死亡\r\n",
                      w->d, &xpath);
  assert_non_null(x);
  assert_int_equal(tg_exclusions_get_count(x), 3);
  tg_list_rules rules = {.exclusions = x};
  tg_targets *t;
  int list =
      add(w, "list.csv",
          HEADER ROW("14000000001", PERSON "," GOOD_TAIL) ROW("14000000002", PERSON "," GOOD_TAIL)
              ROW("14000000003", PERSON "," GOOD_TAIL) ROW("14000000001", PERSON "," GOOD_TAIL),
          &rules, &t);
  tg_verdict vd = next(w, t, list);
  assert_int_equal(vd.kind, TG_VERDICT_EXCLUDED);
  assert_string_equal(vd.rule, "exclusion-list");
  assert_string_equal(vd.code, "exclude.list");
  assert_int_equal(vd.exclusion_row, 2);
  assert_string_equal(vd.exclusion_reason, "転出");
  const tg_diag_entry *e = tg_diag_get(w->d, tg_diag_count(w->d) - 1);
  assert_int_equal(e->severity, TG_NOTE);
  assert_null(strstr(e->message, "転出")); /* the reason may be personal: never in a message */
  vd = next(w, t, list);
  assert_string_equal(vd.rule, "exclusion-list");
  assert_int_equal(next(w, t, list).kind, TG_VERDICT_OK);
  vd = next(w, t, list);
  assert_string_equal(vd.rule, "exclusion-list"); /* the list wins over "duplicate" */
  assert_int_equal(tg_exclusions_get_unmatched_count(x), 1);
  tg_diag_clear(w->d);
  tg_validator_finish(w->v, w->d);
  assert_int_equal(tg_diag_count(w->d), 1);
  assert_string_equal(tg_diag_get(w->d, 0)->code, "exclude.unmatched");
  assert_string_equal(tg_diag_get(w->d, 0)->message,
                      "1 of 3 entries of the exclusion list matched no row of the lists it was "
                      "given for");
  tg_validator_counts c;
  tg_validator_get_counts(w->v, list, &c);
  assert_int_equal(c.excluded_list, 3);
  tg_exclusions_free(x);
  tg_test_remove_temp(xpath);
}

static void an_exclusion_list_shortened_by_a_spreadsheet_is_refused(void **state) {
  tg_diag *d = tg_diag_new();
  char *path;
  assert_null(load_exclusions("KDB個人番号,理由\r\n1.4E+10,転出\r\n", d, &path));
  assert_string_equal(tg_diag_get(d, 0)->code, "exclude.key-format");
  assert_string_equal(tg_diag_get(d, 1)->code, "exclude.unusable");
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_INVALID);
  tg_test_remove_temp(path);
  tg_diag_clear(d);
  assert_null(load_exclusions("番号,理由\r\n1,転出\r\n", d, &path));
  assert_string_equal(tg_diag_get(d, 0)->code, "exclude.key-column");
  tg_test_remove_temp(path);
  tg_diag_clear(d);
  tg_exclusions *x = load_exclusions("KDB個人番号\r\n\r\n　,\r\n", d, &path);
  assert_non_null(x); /* a line with an empty key excludes no one (warned) */
  assert_int_equal(tg_exclusions_get_count(x), 0);
  assert_string_equal(tg_diag_get(d, 0)->code, "exclude.empty-key");
  tg_exclusions_free(x);
  tg_test_remove_temp(path);
  tg_diag_free(d);
}

static void a_malformed_reference_date_is_refused(void **state) {
  tg_diag *d = tg_diag_new();
  tg_validator_options o = {.reference_date = "2026/10/01"};
  assert_null(tg_validator_new(&o, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "targets.reference-date");
  tg_diag_free(d);
}

static void without_a_dictionary_postal_codes_are_checked_for_format_only(void **state) {
  tg_diag *d = tg_diag_new();
  tg_validator *v = tg_validator_new(NULL, d);
  const char *text = "KDB個人番号,氏名,郵便番号,住所\r\n1,a,228-0024,東京都\r\n2,b,22-0024,x\r\n";
  char *path = tg_test_write_temp("l.csv", text, strlen(text));
  tg_targets *t = tg_targets_open(path, NULL, d);
  int list = tg_validator_add_list(v, t, NULL, d);
  tg_row r;
  tg_targets_next(t, &r, d);
  assert_int_equal(tg_validator_check(v, list, &r, d).kind, TG_VERDICT_OK);
  tg_targets_next(t, &r, d);
  expect_rejected(tg_validator_check(v, list, &r, d), "data.postal-format", "郵便番号");
  tg_targets_free(t);
  tg_validator_free(v);
  tg_diag_free(d);
  tg_test_remove_temp(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(each_rule_rejects_its_row_with_code_and_column, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(every_problem_of_a_row_is_reported_and_the_first_decides,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(marks_are_checked_in_mark_columns, setup, teardown),
      cmocka_unit_test_setup_teardown(the_era_code_map_is_per_list, setup, teardown),
      cmocka_unit_test_setup_teardown(required_values_can_be_added_by_the_job, setup, teardown),
      cmocka_unit_test_setup_teardown(one_letter_per_person_the_first_row_in_job_order_wins, setup,
                                      teardown),
      cmocka_unit_test(duplicates_may_be_allowed),
      cmocka_unit_test_setup_teardown(
          a_list_without_the_key_column_cannot_be_checked_for_duplicates, setup, teardown),
      cmocka_unit_test_setup_teardown(a_row_the_reader_rejected_stays_rejected_with_its_code, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(people_on_the_exclusion_list_are_excluded_with_the_rule,
                                      setup, teardown),
      cmocka_unit_test(an_exclusion_list_shortened_by_a_spreadsheet_is_refused),
      cmocka_unit_test(a_malformed_reference_date_is_refused),
      cmocka_unit_test(without_a_dictionary_postal_codes_are_checked_for_format_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
