/* test_normalize.c — the normalisation functions of the targets stage: kana,
 * full-width digits, numbers, postal codes, ○/● marks, 和暦 dates in every
 * form with their era boundaries, ages — and names that are never touched. */
#include "tg_test.h"

#include <stdlib.h>

static void expect_str(char *got, const char *want) {
  assert_string_equal(got, want);
  free(got);
}

static void halfwidth_katakana_becomes_fullwidth_with_voiced_marks_joined(void **state) {
  const char *in = "ﾔﾏﾀﾞ ﾀﾛｳ";
  expect_str(tg_kana_to_fullwidth(in, strlen(in)), "ヤマダ タロウ");
  in = "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ ｶﾞｷﾞｸﾞｹﾞｺﾞ ｻﾞｼﾞｽﾞｾﾞｿﾞ ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ";
  expect_str(tg_kana_to_fullwidth(in, strlen(in)),
             "パピプペポ ガギグゲゴ ザジズゼゾ ダヂヅデド バビブベボ");
  in = "ｳﾞｨｸﾄﾘｱ ﾜﾞ ｦﾞ";
  expect_str(tg_kana_to_fullwidth(in, strlen(in)), "ヴィクトリア ヷ ヺ");
  in = "ｧｨｩｪｫｬｭｮｯｰ｡｢｣､･ﾝ";
  expect_str(tg_kana_to_fullwidth(in, strlen(in)), "ァィゥェォャュョッー。「」、・ン");
  in = "ｱﾞ ﾞ"; /* a mark that joins nothing stays a mark */
  expect_str(tg_kana_to_fullwidth(in, strlen(in)), "ア゛ ゛");
  in = "髙橋 ABC ｶ";
  expect_str(tg_kana_to_fullwidth(in, strlen(in)), "髙橋 ABC カ");
}

static void katakana_becomes_hiragana_for_furigana(void **state) {
  const char *in = "ﾔﾏﾀﾞ ﾀﾛｳ";
  expect_str(tg_kana_to_hiragana(in, strlen(in)), "やまだ たろう");
  in = "ヴァイオリン・ヶ丘ーヽヾ";
  expect_str(tg_kana_to_hiragana(in, strlen(in)), "ゔぁいおりん・ゖ丘ーゝゞ");
  in = "ヷ"; /* no hiragana form: kept */
  expect_str(tg_kana_to_hiragana(in, strlen(in)), "ヷ");
}

static void fullwidth_ascii_becomes_ascii(void **state) {
  const char *in = "１２３－４５６　ＡＢＣ．";
  expect_str(tg_ascii_from_fullwidth(in, strlen(in)), "123-456 ABC.");
}

static void numbers_are_read_with_fullwidth_digits_and_spaces(void **state) {
  double v;
  assert_true(tg_parse_decimal("140", 3, &v));
  assert_true(v == 140);
  const char *s = "１４０．５";
  assert_true(tg_parse_decimal(s, strlen(s), &v));
  assert_true(v == 140.5);
  s = " 59.00 ";
  assert_true(tg_parse_decimal(s, strlen(s), &v));
  assert_true(v == 59);
  s = "－３";
  assert_true(tg_parse_decimal(s, strlen(s), &v));
  assert_true(v == -3);
  assert_false(tg_parse_decimal("", 0, &v));
  assert_false(tg_parse_decimal("1,400", 5, &v));
  assert_false(tg_parse_decimal("5.7%", 4, &v));
  assert_false(tg_parse_decimal("1e3", 3, &v));
  assert_false(tg_parse_decimal("1 2", 3, &v));
  assert_false(tg_parse_decimal("1.2.3", 5, &v));
  assert_false(tg_parse_decimal(".", 1, &v));
}

static void postal_codes_are_normalised_to_seven_digits(void **state) {
  char out[8];
  const char *ok[] = {"2520028",    "252-0028",   "２５２－００２８",
                      "〒252-0028", " 252-0028 ", "252ー0028"};
  for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
    assert_true(tg_postal_code_normalize(ok[i], strlen(ok[i]), out));
    assert_string_equal(out, "2520028");
  }
  const char *bad[] = {"252-002", "25200288", "2520-028", "252--0028", "abc", "", "252-0028号"};
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_false(tg_postal_code_normalize(bad[i], strlen(bad[i]), out));
}

static void marks_become_flags(void **state) {
  assert_int_equal(tg_mark_parse("", 0), TG_MARK_NONE);
  assert_int_equal(tg_mark_parse("　", 3), TG_MARK_NONE);
  assert_int_equal(tg_mark_parse("○", 3), TG_MARK_CIRCLE);
  assert_int_equal(tg_mark_parse("◯", 3), TG_MARK_CIRCLE);
  assert_int_equal(tg_mark_parse("〇", 3), TG_MARK_CIRCLE);
  assert_int_equal(tg_mark_parse(" ● ", 5), TG_MARK_FILLED);
  assert_int_equal(tg_mark_parse("×", 2), TG_MARK_INVALID);
  assert_int_equal(tg_mark_parse("1", 1), TG_MARK_INVALID);
  assert_int_equal(tg_mark_parse("○○", 6), TG_MARK_INVALID);
}

/* ---- dates -------------------------------------------------------------------- */

static void expect_date(const char *s, int y, int m, int d) {
  tg_date out = {0, 0, 0};
  tg_date_status st = tg_date_parse(s, strlen(s), NULL, &out);
  if (st != TG_DATE_OK || out.year != y || out.month != m || out.day != d)
    fail_msg("'%s': status %d, %04d-%02d-%02d (want %04d-%02d-%02d)", s, st, out.year, out.month,
             out.day, y, m, d);
}

static void expect_status(const char *s, tg_date_status want) {
  tg_date out;
  tg_date_status st = tg_date_parse(s, strlen(s), NULL, &out);
  if (st != want) fail_msg("'%s': status %d, want %d", s, st, want);
}

static void wareki_dates_are_read_in_every_form(void **state) {
  expect_date("S31.05.02", 1956, 5, 2);
  expect_date("S31/5/2", 1956, 5, 2);
  expect_date("s31-5-2", 1956, 5, 2);
  expect_date("Ｓ３１．０５．０２", 1956, 5, 2);
  expect_date("S310502", 1956, 5, 2);
  expect_date("昭和31年5月2日", 1956, 5, 2);
  expect_date("昭和３１年５月２日", 1956, 5, 2);
  expect_date("昭和 31年 5月 2日", 1956, 5, 2);
  expect_date("昭31.5.2", 1956, 5, 2);
  expect_date("H01.01.08", 1989, 1, 8);
  expect_date("平成元年1月8日", 1989, 1, 8);
  expect_date("令和元年5月1日", 2019, 5, 1);
  expect_date("R1.5.1", 2019, 5, 1);
  expect_date("R元.5.1", 2019, 5, 1);
  expect_date("R08.04.01", 2026, 4, 1);
  expect_date("M45.07.29", 1912, 7, 29);
  expect_date("T01.07.30", 1912, 7, 30);
  expect_date("大正15年12月24日", 1926, 12, 24);
  expect_date("昭和元年12月25日", 1926, 12, 25);
}

static void era_coded_dates_use_the_era_code_map(void **state) {
  expect_date("4050718", 1993, 7, 18); /* 平成5年7月18日 */
  expect_date("3310502", 1956, 5, 2);
  expect_date("5080401", 2026, 4, 1);
  expect_status("6010101", TG_DATE_UNKNOWN_ERA);
  expect_status("0310502", TG_DATE_UNKNOWN_ERA);
  tg_era_codes jps; /* 1/3/5/7/9, as some pension forms have it */
  assert_true(tg_era_codes_parse(&jps, "1=M,3=T,5=S,7=H,9=R"));
  tg_date d;
  assert_int_equal(tg_date_parse("5310502", 7, &jps, &d), TG_DATE_OK);
  assert_int_equal(d.year, 1956);
  assert_int_equal(tg_date_parse("3310502", 7, &jps, &d), TG_DATE_OUT_OF_ERA); /* 大正31年 */
  assert_int_equal(tg_date_parse("4310502", 7, &jps, &d), TG_DATE_UNKNOWN_ERA);
  assert_true(tg_era_codes_parse(&jps, "3=昭和, 4=平成"));
  assert_int_equal(jps.by_digit[3], TG_ERA_SHOWA);
  assert_int_equal(jps.by_digit[5], TG_ERA_NONE);
  assert_false(tg_era_codes_parse(&jps, "3=S,4=S")); /* one digit per era */
  assert_false(tg_era_codes_parse(&jps, "3=X"));
  assert_false(tg_era_codes_parse(&jps, "33=S"));
  assert_false(tg_era_codes_parse(&jps, ""));
}

static void gregorian_dates_are_read_too(void **state) {
  expect_date("1956-05-02", 1956, 5, 2);
  expect_date("1956/5/2", 1956, 5, 2);
  expect_date("1956.5.2", 1956, 5, 2);
  expect_date("19560502", 1956, 5, 2);
  expect_date("1956年5月2日", 1956, 5, 2);
  expect_date("２０００年２月２９日", 2000, 2, 29);
}

static void era_boundaries_are_checked(void **state) {
  expect_date("昭和64年1月7日", 1989, 1, 7);
  expect_status("昭和64年1月8日", TG_DATE_OUT_OF_ERA);
  expect_status("S64.02.01", TG_DATE_OUT_OF_ERA);
  expect_status("H01.01.07", TG_DATE_OUT_OF_ERA);
  expect_date("平成31年4月30日", 2019, 4, 30);
  expect_status("平成31年5月1日", TG_DATE_OUT_OF_ERA);
  expect_status("R01.04.30", TG_DATE_OUT_OF_ERA);
  expect_status("大正15年12月25日", TG_DATE_OUT_OF_ERA);
  expect_status("昭和元年12月24日", TG_DATE_OUT_OF_ERA);
  expect_status("T01.07.29", TG_DATE_OUT_OF_ERA);
  expect_status("S00.01.01", TG_DATE_OUT_OF_ERA);
}

static void impossible_and_malformed_dates_are_refused(void **state) {
  expect_status("S31.02.30", TG_DATE_INVALID);
  expect_status("S31.13.01", TG_DATE_INVALID);
  expect_status("2023-02-29", TG_DATE_INVALID);
  expect_status("19561332", TG_DATE_INVALID);
  expect_date("2024-02-29", 2024, 2, 29);
  expect_status("", TG_DATE_MALFORMED);
  expect_status("S31.05", TG_DATE_MALFORMED);
  expect_status("S31.5/2", TG_DATE_MALFORMED);
  expect_status("X31.05.02", TG_DATE_MALFORMED);
  expect_status("310502", TG_DATE_MALFORMED);
  expect_status("S311.05.02", TG_DATE_MALFORMED);
  expect_status("昭和31年5月2日生", TG_DATE_MALFORMED);
  expect_status("56/5/2", TG_DATE_MALFORMED);
}

static void gregorian_dates_convert_back_to_wareki(void **state) {
  char buf[64];
  assert_true(tg_date_format_wareki((tg_date){1956, 5, 2}, buf, sizeof buf));
  assert_string_equal(buf, "昭和31年5月2日");
  assert_true(tg_date_format_wareki((tg_date){1989, 1, 7}, buf, sizeof buf));
  assert_string_equal(buf, "昭和64年1月7日");
  assert_true(tg_date_format_wareki((tg_date){1989, 1, 8}, buf, sizeof buf));
  assert_string_equal(buf, "平成元年1月8日");
  assert_true(tg_date_format_wareki((tg_date){2019, 4, 30}, buf, sizeof buf));
  assert_string_equal(buf, "平成31年4月30日");
  assert_true(tg_date_format_wareki((tg_date){2019, 5, 1}, buf, sizeof buf));
  assert_string_equal(buf, "令和元年5月1日");
  assert_true(tg_date_format_wareki((tg_date){1926, 12, 25}, buf, sizeof buf));
  assert_string_equal(buf, "昭和元年12月25日");
  assert_true(tg_date_format_wareki_short((tg_date){1993, 7, 18}, buf, sizeof buf));
  assert_string_equal(buf, "H05.07.18");
  assert_false(tg_date_format_wareki((tg_date){1800, 1, 1}, buf, sizeof buf));
  tg_date_format_iso((tg_date){1956, 5, 2}, buf, sizeof buf);
  assert_string_equal(buf, "1956-05-02");
  int y;
  assert_int_equal(tg_date_get_era((tg_date){2026, 4, 1}, &y), TG_ERA_REIWA);
  assert_int_equal(y, 8);
  assert_string_equal(tg_era_name(TG_ERA_SHOWA), "昭和");
  assert_int_equal(tg_era_letter(TG_ERA_HEISEI), 'H');
}

static void every_day_round_trips_through_wareki(void **state) {
  char buf[64];
  for (tg_date d = {1912, 7, 30}; d.year < 2031;) {
    assert_true(tg_date_format_wareki(d, buf, sizeof buf));
    tg_date back;
    assert_int_equal(tg_date_parse(buf, strlen(buf), NULL, &back), TG_DATE_OK);
    assert_int_equal(tg_date_to_days(back), tg_date_to_days(d));
    assert_true(tg_date_format_wareki_short(d, buf, sizeof buf));
    assert_int_equal(tg_date_parse(buf, strlen(buf), NULL, &back), TG_DATE_OK);
    assert_int_equal(tg_date_to_days(back), tg_date_to_days(d));
    /* next day */
    d.day++;
    if (!tg_date_valid(d)) {
      d.day = 1;
      if (++d.month > 12) {
        d.month = 1;
        d.year++;
      }
    }
  }
}

static void ages_count_whole_years_on_the_reference_date(void **state) {
  tg_date birth = {1956, 5, 2};
  assert_int_equal(tg_age_at(birth, (tg_date){2026, 5, 1}), 69);
  assert_int_equal(tg_age_at(birth, (tg_date){2026, 5, 2}), 70);
  assert_int_equal(tg_age_at(birth, (tg_date){1956, 5, 2}), 0);
  assert_int_equal(tg_age_at(birth, (tg_date){1956, 5, 1}), -1);
  tg_date leap = {1960, 2, 29};
  assert_int_equal(tg_age_at(leap, (tg_date){2026, 2, 28}), 65);
  assert_int_equal(tg_age_at(leap, (tg_date){2026, 3, 1}), 66);
  assert_int_equal(tg_age_at(leap, (tg_date){2028, 2, 29}), 68);
  assert_int_equal(tg_date_to_days((tg_date){1970, 1, 1}), 0);
  assert_int_equal(tg_date_to_days((tg_date){2000, 3, 1}), 11017);
}

/* ---- names ------------------------------------------------------------------------ */

static void names_pass_through_the_reader_byte_for_byte(void **state) {
  /* 髙 (U+9AD9), 﨑 (U+FA11), 渡邉 + IVS (U+E0100), 𠮷 (U+20BB7), U+F91D
   * (a compatibility ideograph NFC would turn into U+6B04), half-width kana */
  const char *names[] = {"髙橋　誠",
                         "﨑山　恵子",
                         "渡\xE9\x82\x89\xF3\xA0\x84\x80　一郎",
                         "\xF0\xA0\xAE\xB7田　花子",
                         "\xEF\xA4\x9D\xE7\x94\xB0",
                         "ﾔﾏﾀﾞ ﾀﾛｳ"};
  GString *s = g_string_new("KDB個人番号,氏名\r\n");
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    g_string_append_printf(s, "%zu,%s\r\n", i + 1, names[i]);
  char *path = tg_test_write_temp("names.csv", s->str, s->len);
  tg_diag *d = tg_diag_new();
  tg_targets *t = tg_targets_open(path, NULL, d);
  tg_row r;
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    assert_int_equal(tg_targets_next(t, &r, d), 1);
    assert_false(r.rejected);
    assert_int_equal(r.lengths[1], strlen(names[i]));
    assert_memory_equal(r.fields[1], names[i], strlen(names[i]));
  }
  assert_int_equal(tg_diag_count(d), 0);
  tg_targets_free(t);
  tg_diag_free(d);
  g_string_free(s, TRUE);
  tg_test_remove_temp(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(halfwidth_katakana_becomes_fullwidth_with_voiced_marks_joined),
      cmocka_unit_test(katakana_becomes_hiragana_for_furigana),
      cmocka_unit_test(fullwidth_ascii_becomes_ascii),
      cmocka_unit_test(numbers_are_read_with_fullwidth_digits_and_spaces),
      cmocka_unit_test(postal_codes_are_normalised_to_seven_digits),
      cmocka_unit_test(marks_become_flags),
      cmocka_unit_test(wareki_dates_are_read_in_every_form),
      cmocka_unit_test(era_coded_dates_use_the_era_code_map),
      cmocka_unit_test(gregorian_dates_are_read_too),
      cmocka_unit_test(era_boundaries_are_checked),
      cmocka_unit_test(impossible_and_malformed_dates_are_refused),
      cmocka_unit_test(gregorian_dates_convert_back_to_wareki),
      cmocka_unit_test(every_day_round_trips_through_wareki),
      cmocka_unit_test(ages_count_whole_years_on_the_reference_date),
      cmocka_unit_test(names_pass_through_the_reader_byte_for_byte),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
