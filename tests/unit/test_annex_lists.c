/* test_annex_lists.c — the annex lists as the spec prints them
 * (tests/data/annex, written by make_annex.py): the date of a list read from
 * its title lines, the grouped three-row headers named, and 郵便番号 added
 * from 住所 — derived, overridden by the municipality, or left undecided
 * for the validator to hold — and 年齢 checked at the list's date. */
#include "tg_test.h"

#include "targets/targets_private.h"

static char *annex_path(const char *name) {
  return g_build_filename(g_getenv("TEGAMI_SRC"), "tests", "data", "annex", name, NULL);
}

static tg_postal *kanagawa(void) {
  char *path = tg_postal_default_path(g_getenv("TEGAMI_SRC"));
  tg_diag *d = tg_diag_new();
  tg_postal *p = tg_postal_load(path, TG_ENC_AUTO, d);
  assert_non_null(p);
  g_free(path);
  tg_diag_free(d);
  return p;
}

static tg_targets *open_annex(const char *name, const tg_targets_options *o, tg_diag *d) {
  char *path = annex_path(name);
  tg_targets *t = tg_targets_open(path, o, d);
  g_free(path);
  if (!t) {
    char *text = tg_test_diag_text(d);
    fprintf(stderr, "%s", text);
    g_free(text);
  }
  return t;
}

static void date_is(const char *text, int y, int m, int d1, int d2) {
  tg_date a, b;
  if (!tg_date_find_list_date(text, strlen(text), &a, &b)) fail_msg("no date in %s", text);
  assert_int_equal(a.year, y);
  assert_int_equal(a.month, m);
  assert_int_equal(a.day, d1);
  assert_int_equal(b.year, y);
  assert_int_equal(b.month, m);
  assert_int_equal(b.day, d2);
}

static void a_title_line_gives_the_date_of_the_list(void **state) {
  date_is("令和07年09月作成", 2025, 9, 1, 30);
  date_is("市町村名 座間市 該当者 2人 令和07年09月作成", 2025, 9, 1, 30);
  date_is("令和７年２月　作成", 2025, 2, 1, 28);
  date_is("令和6年2月作成", 2024, 2, 1, 29); /* leap year */
  date_is("令和7年9月30日現在", 2025, 9, 30, 30);
  date_is("令和元年5月時点", 2019, 5, 1, 31);
  date_is("平成31年04月抽出", 2019, 4, 1, 30);
  date_is("2025年9月作成", 2025, 9, 1, 30);
  tg_date a, b;
  const char *none[] = {"令和6年度",
                        "令和07年09月",
                        "作成日：20XX年○月○日",
                        "該当者 2人",
                        "令和07年13月作成",
                        "平成32年1月作成",
                        ""};
  for (size_t i = 0; i < G_N_ELEMENTS(none); i++)
    if (tg_date_find_list_date(none[i], strlen(none[i]), &a, &b)) fail_msg("a date in %s", none[i]);
}

static void the_annex_lists_are_read_with_their_grouped_headers(void **state) {
  tg_diag *d = tg_diag_new();
  tg_targets_options o = {.profile = "kdb-highrisk"};
  tg_targets *t = open_annex("zama-highrisk.tsv", &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_encoding(t), TG_ENC_CP932);
  assert_int_equal(tg_targets_get_delimiter(t), '\t');
  assert_int_equal(tg_targets_get_header_row_count(t), 7); /* title, blank, 市町村名…, blank, 3 */
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
  assert_int_equal(tg_targets_get_column_count(t), G_N_ELEMENTS(want));
  for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
    assert_string_equal(tg_targets_get_column_name(t, i), want[i]);
  assert_int_equal(tg_targets_find_column(t, "郵便番号"), -1); /* not derived: no dictionary */
  tg_date a, b;
  assert_true(tg_targets_get_list_date(t, &a, &b));
  assert_int_equal(a.year * 10000 + a.month * 100 + a.day, 20250901);
  assert_int_equal(b.year * 10000 + b.month * 100 + b.day, 20250930);
  tg_row r;
  assert_int_equal(tg_targets_next(t, &r, d), 1);
  assert_false(r.rejected);
  assert_string_equal(r.fields[0], "9 9");
  assert_string_equal(r.fields[1], "9 0 1 2 3 4 5");
  assert_string_equal(r.fields[4], "ﾐﾎﾝ ｲﾁﾛｳ");
  assert_string_equal(r.fields[15], "4050718");
  tg_targets_free(t);

  /* the dropout list: 市町村名, 該当者, 6人, 作成 on lines of their own */
  o.profile = "kdb-dropout";
  t = open_annex("hatano-dropout.tsv", &o, d);
  assert_non_null(t);
  assert_int_equal(tg_targets_get_header_row_count(t), 14);
  assert_true(tg_targets_get_list_date(t, &a, &b));
  assert_int_equal(a.year * 100 + a.month, 202509);
  assert_int_equal(tg_targets_find_column(t, "1年前受診状況_高血圧症"), 16);
  assert_int_equal(tg_targets_find_column(t, "3年前受診状況_糖尿病性を除く腎症"), 21);
  assert_int_equal(tg_targets_find_column(t, "医療機関受診歴_精神"), 14);
  assert_int_equal(tg_diag_count(d), 0);
  tg_targets_free(t);
  tg_diag_free(d);
}

static void postal_codes_are_derived_overridden_or_left_undecided(void **state) {
  tg_postal *p = kanagawa();
  tg_diag *d = tg_diag_new();
  char *over_path = annex_path("hatano-postal.csv");
  tg_postal_overrides *over = tg_postal_overrides_load(over_path, NULL, d);
  g_free(over_path);
  assert_non_null(over);
  assert_int_equal(tg_postal_overrides_get_count(over), 1);
  for (int with_overrides = 0; with_overrides < 2; with_overrides++) {
    tg_targets_options o = {.profile = "kdb-highrisk",
                            .derive_postal = p,
                            .postal_overrides = with_overrides ? over : NULL};
    tg_targets *t = open_annex("hatano-highrisk.tsv", &o, d);
    assert_non_null(t);
    int pc = tg_targets_find_column(t, "郵便番号");
    assert_int_equal(pc, 26); /* added after the list's own columns */
    assert_string_equal(tg_targets_get_column_header(t, (size_t)pc), "郵便番号 (住所から)");
    tg_row r;
    assert_int_equal(tg_targets_next(t, &r, d), 1); /* 鶴巻北 1番地の1 */
    assert_int_equal(r.nfields, 27);
    assert_string_equal(r.fields[pc], "257-0001");
    assert_int_equal(r.postal_source, TG_POSTAL_SOURCE_DERIVED);
    assert_int_equal(tg_targets_next(t, &r, d), 1); /* 今泉台2丁目 */
    assert_string_equal(r.fields[pc], "257-0018");
    assert_int_equal(tg_targets_next(t, &r, d), 1); /* 栃窪: two codes */
    if (with_overrides) {
      assert_string_equal(r.fields[pc], "257-0016");
      assert_int_equal(r.postal_source, TG_POSTAL_SOURCE_OVERRIDDEN);
    } else {
      assert_string_equal(r.fields[pc], "");
      assert_int_equal(r.postal_source, TG_POSTAL_SOURCE_UNDECIDED);
      assert_int_equal(r.postal_outcome, TG_POSTAL_AMBIGUOUS);
      assert_int_equal(r.postal_candidates, 2);
    }
    assert_int_equal(tg_targets_next(t, &r, d), 0);
    tg_targets_free(t);
  }
  assert_int_equal(tg_diag_count(d), 0);
  tg_postal_overrides_free(over);
  tg_diag_free(d);
  tg_postal_free(p);
}

/* Every row of the four lists: valid at the lists' own date; the undecided
 * postal code held with its own code; a stated reference date used. */
static void ages_are_checked_at_the_lists_date(void **state) {
  tg_postal *p = kanagawa();
  const char *lists[] = {"zama-highrisk.tsv", "zama-dropout.tsv", "hatano-highrisk.tsv",
                         "hatano-dropout.tsv"};
  for (int stated = 0; stated < 2; stated++) {
    tg_diag *d = tg_diag_new();
    tg_validator_options vo = {.reference_date = "2026-10-01", .postal = p}; /* a year later */
    tg_validator *v = tg_validator_new(&vo, d);
    int ok = 0, held = 0, age = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
      tg_targets_options o = {.profile = i % 2 ? "kdb-dropout" : "kdb-highrisk",
                              .derive_postal = p,
                              .postal_hint = {NULL, i < 2 ? "座間市" : "秦野市"}};
      tg_targets *t = open_annex(lists[i], &o, d);
      assert_non_null(t);
      tg_list_rules rules = {.list_date = stated ? "2025-09-30" : NULL};
      int li = tg_validator_add_list(v, t, &rules, d);
      tg_row r;
      while (tg_targets_next(t, &r, d) == 1) {
        tg_verdict vd = tg_validator_check(v, li, &r, d);
        if (vd.kind == TG_VERDICT_OK) ok++;
        if (vd.code && !strcmp(vd.code, "data.postal-ambiguous")) held++;
        if (vd.code && !strcmp(vd.code, "data.age-mismatch")) age++;
      }
      tg_targets_free(t);
    }
    assert_int_equal(held, 1);
    /* on 2025-09-30 the person born 1952-09-20 is 73, not 72 */
    assert_int_equal(age, stated ? 1 : 0);
    assert_int_equal(ok, stated ? 11 : 12);
    tg_validator_free(v);
    tg_diag_free(d);
  }
  tg_postal_free(p);
}

/* 該当者 N人 in the title lines, in one cell or on a line of its own, is
 * compared with the rows read: a list cut short is said. */
static void the_count_of_the_title_is_checked(void **state) {
  const char *lines[][3] = {{"市町村名 座間市 該当者 2人 令和07年09月作成", NULL, NULL},
                            {"該当者", "２人", NULL},
                            {"市町村名", "該当者", "2名"}};
  for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
    targets_title tt = {0};
    for (int k = 0; k < 3 && lines[i][k]; k++)
      targets_title_cell(&tt, lines[i][k], strlen(lines[i][k]));
    assert_true(tt.have_count);
    assert_int_equal(tt.count, 2);
  }
  targets_title tt = {0};
  targets_title_cell(&tt, "該当者", strlen("該当者"));
  targets_title_cell(&tt, "令和07年09月作成", strlen("令和07年09月作成"));
  assert_false(tt.have_count);
  assert_true(tt.have_date);

  /* the high-risk list of 座間市 says 3人: without its last row, a warning */
  char *path = annex_path("zama-highrisk.tsv"), *text;
  gsize len;
  assert_true(g_file_get_contents(path, &text, &len, NULL));
  g_free(path);
  assert_true(len > 2 && text[len - 2] == '\r');
  gsize cut = len - 2;
  while (cut > 0 && text[cut - 1] != '\n')
    cut--;
  char *tmp = tg_test_write_temp("short.tsv", text, cut);
  g_free(text);
  for (int whole = 0; whole < 2; whole++) {
    tg_diag *d = tg_diag_new();
    tg_targets_options o = {.profile = "kdb-highrisk"};
    tg_targets *t = whole ? open_annex("zama-highrisk.tsv", &o, d) : tg_targets_open(tmp, &o, d);
    assert_non_null(t);
    tg_row r;
    int n = 0;
    while (tg_targets_next(t, &r, d) == 1)
      n++;
    assert_int_equal(n, whole ? 3 : 2);
    char *msgs = tg_test_diag_text(d);
    if (whole)
      assert_null(strstr(msgs, "targets.count-mismatch"));
    else
      assert_non_null(strstr(msgs, "該当者 3人 but the list has 2 rows"));
    g_free(msgs);
    tg_targets_free(t);
    tg_diag_free(d);
  }
  tg_test_remove_temp(tmp);
}

/* An age printed in a letter is the age on the letter date, from 生年月日:
 * {{letter.age}}; the list's 年齢 is as of its extraction. */
static void the_letter_prints_the_age_on_the_letter_date(void **state) {
  tg_diag *d = tg_diag_new();
  const char *yaml = "kind: design\npages:\n  - blocks:\n      - type: text\n"
                     "        x: 10mm\n        y: 10mm\n        width: 100mm\n"
                     "        text: \"{{年齢}}歳 → {{letter.age}}歳\"\n";
  tg_design *ds = tg_design_load_text("t.yaml", yaml, strlen(yaml), d);
  assert_non_null(ds);
  tg_values *v = tg_values_new();
  tg_values_set(v, "job.date", "2026-01-15");
  const char *cols[] = {"KDB個人番号", "年齢", "生年月日"};
  tg_merge *m = tg_merge_new(ds, cols, 3, v, d);
  assert_non_null(m);
  const char *f[] = {"14006666666", "72", "S27.09.20"};
  size_t lengths[3] = {strlen(f[0]), strlen(f[1]), strlen(f[2])};
  tg_row row = {.number = 9, .nfields = 3, .fields = f, .lengths = lengths};
  tg_letter *l = tg_letter_new(m);
  assert_true(tg_merge_row(m, &row, "list.tsv", l, d));
  assert_string_equal(l->values[0], "72歳 → 73歳");
  tg_letter_free(l);
  tg_merge_free(m);
  /* without 生年月日 there is no age to compute: said when the design loads */
  const char *no_birth[] = {"KDB個人番号", "年齢"};
  assert_null(tg_merge_new(ds, no_birth, 2, v, d));
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "template.letter-value"));
  g_free(text);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_title_line_gives_the_date_of_the_list),
      cmocka_unit_test(the_annex_lists_are_read_with_their_grouped_headers),
      cmocka_unit_test(postal_codes_are_derived_overridden_or_left_undecided),
      cmocka_unit_test(ages_are_checked_at_the_lists_date),
      cmocka_unit_test(the_letter_prints_the_age_on_the_letter_date),
      cmocka_unit_test(the_count_of_the_title_is_checked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
