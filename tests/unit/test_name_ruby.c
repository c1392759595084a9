/* test_name_ruby.c — a person's name gets its ruby from the row's 氏名カナ,
 * never from a guess: per part when name and kana split on the same spaces,
 * else one group ruby over the whole name; half-width katakana become
 * hiragana; the name text itself is never touched. */
#include "tg_test.h"

#include "ruby/ruby_private.h"

static char *name_ruby(const char *name, const char *kana, tg_name_ruby_result expect) {
  tg_attr_list *l = tg_attr_list_new();
  assert_int_equal(tg_name_ruby(name, strlen(name), kana, strlen(kana), 0, l), expect);
  char *s = tg_test_show_ruby(name, strlen(name), tg_attr_list_get(l));
  tg_attr_list_free(l);
  return s;
}

#define assert_name_ruby(name, kana, result, expected)                                             \
  do {                                                                                             \
    char *got_ = name_ruby((name), (kana), (result));                                              \
    assert_string_equal(got_, (expected));                                                         \
    g_free(got_);                                                                                  \
  } while (0)

static void each_name_part_gets_the_kana_part_with_the_same_position(void **state) {
  assert_name_ruby("見本　一郎", "ﾐﾎﾝ ｲﾁﾛｳ", TG_NAME_RUBY_PARTS, "{見本|みほん}　{一郎|いちろう}");
  assert_name_ruby("髙橋 道子", "ﾀｶﾊｼ ﾐﾁｺ", TG_NAME_RUBY_PARTS, "{髙橋|たかはし} {道子|みちこ}");
}

static void half_width_voiced_marks_join_their_kana(void **state) {
  assert_name_ruby("試験　次郎", "ｼｹﾝ ｼﾞﾛｳ", TG_NAME_RUBY_PARTS, "{試験|しけん}　{次郎|じろう}");
  assert_name_ruby("見本　健太", "ﾐﾎﾝ　ｹﾝﾀ", TG_NAME_RUBY_PARTS, "{見本|みほん}　{健太|けんた}");
  assert_name_ruby("本田　葉子", "ﾎﾝﾀﾞ ﾖｳｺ", TG_NAME_RUBY_PARTS, "{本田|ほんだ}　{葉子|ようこ}");
  assert_name_ruby("別府　朋子", "ﾍﾞｯﾌﾟ ﾄﾓｺ", TG_NAME_RUBY_PARTS, "{別府|べっぷ}　{朋子|ともこ}");
}

static void full_width_katakana_and_hiragana_kana_work_too(void **state) {
  assert_name_ruby("見本 一郎", "ミホン イチロウ", TG_NAME_RUBY_PARTS,
                   "{見本|みほん} {一郎|いちろう}");
  assert_name_ruby("見本 一郎", "みほん　いちろう", TG_NAME_RUBY_PARTS,
                   "{見本|みほん} {一郎|いちろう}");
}

static void parts_that_do_not_match_get_one_ruby_over_the_whole_name(void **state) {
  assert_name_ruby("見本一郎", "ﾐﾎﾝ ｲﾁﾛｳ", TG_NAME_RUBY_WHOLE, "{見本一郎|みほん　いちろう}");
  assert_name_ruby("見本　一郎", "ﾐﾎﾝｲﾁﾛｳ", TG_NAME_RUBY_WHOLE, "{見本　一郎|みほんいちろう}");
  assert_name_ruby(" 見本 一郎 太 ", "ﾐﾎﾝ ｲﾁﾛｳﾀ", TG_NAME_RUBY_WHOLE,
                   " {見本 一郎 太|みほん　いちろうた} ");
}

static void kana_in_a_name_part_stay_without_ruby(void **state) {
  assert_name_ruby("見本　ゆり子", "ﾐﾎﾝ ﾕﾘｺ", TG_NAME_RUBY_PARTS, "{見本|みほん}　ゆり{子|こ}");
  assert_name_ruby("見本　マリア", "ﾐﾎﾝ ﾏﾘｱ", TG_NAME_RUBY_PARTS, "{見本|みほん}　マリア");
  /* kana that disagree with the name's own kana: the registered reading
   * still wins, over the whole part */
  assert_name_ruby("見本　ゆり子", "ﾐﾎﾝ ﾕﾐｺ", TG_NAME_RUBY_PARTS, "{見本|みほん}　{ゆり子|ゆみこ}");
}

static void rare_kanji_and_variation_sequences_are_covered_whole(void **state) {
  assert_name_ruby("𠮷田　花子", "ﾖｼﾀﾞ ﾊﾅｺ", TG_NAME_RUBY_PARTS, "{𠮷田|よしだ}　{花子|はなこ}");
  /* 葛 + VS17: the selector stays inside the ruby base */
  assert_name_ruby("葛\xf3\xa0\x84\x80城 一", "ｶﾂﾗｷﾞ ﾊｼﾞﾒ", TG_NAME_RUBY_PARTS,
                   "{葛\xf3\xa0\x84\x80城|かつらぎ} {一|はじめ}");
}

static void no_kana_or_no_kanji_means_no_ruby(void **state) {
  assert_name_ruby("見本　一郎", "", TG_NAME_RUBY_NONE, "見本　一郎");
  assert_name_ruby("見本　一郎", "　 ", TG_NAME_RUBY_NONE, "見本　一郎");
  assert_name_ruby("スミス　ジョン", "ｽﾐｽ ｼﾞｮﾝ", TG_NAME_RUBY_NONE, "スミス　ジョン");
}

static void kana_that_are_not_kana_are_refused(void **state) {
  assert_name_ruby("見本　一郎", "MIHON ICHIRO", TG_NAME_RUBY_BAD_KANA, "見本　一郎");
  assert_name_ruby("見本　一郎", "ﾐﾎﾝ 一郎", TG_NAME_RUBY_BAD_KANA, "見本　一郎");
}

static void ruby_lands_at_the_name_s_place_in_the_letter(void **state) {
  const char *letter = "〒252-0028 見本　一郎 様";
  const char *name = strstr(letter, "見本");
  tg_attr_list *l = tg_attr_list_new();
  assert_int_equal(tg_name_ruby(name, strlen("見本　一郎"), "ﾐﾎﾝ ｲﾁﾛｳ", strlen("ﾐﾎﾝ ｲﾁﾛｳ"),
                                (uint32_t)(name - letter), l),
                   TG_NAME_RUBY_PARTS);
  char *s = tg_test_show_ruby(letter, strlen(letter), tg_attr_list_get(l));
  assert_string_equal(s, "〒252-0028 {見本|みほん}　{一郎|いちろう} 様");
  g_free(s);
  tg_attr_list_free(l);
}

static void kana_of_every_width_become_hiragana(void **state) {
  const char *cases[][2] = {
      {"ｼﾞﾛｳ", "じろう"},
      {"ﾎﾟﾝﾌﾟ", "ぽんぷ"},
      {"ｳﾞｨｰ", "ゔぃー"},
      {"ｶ\xef\xbe\x9e", "が"}, /* ｶ + half-width voiced mark */
      {"ｶ\xe3\x82\x99", "が"}, /* ｶ + combining voiced mark */
      {"ヴァイオリン", "ゔぁいおりん"},
      {"ｽﾐｽ･ｼﾞｮﾝ", "すみす・じょん"},
      {"ｦﾝ", "をん"},
      {"ﾝﾞ", "ん゛"}, /* a mark that joins nothing keeps its spacing form */
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    GString *out = g_string_new(NULL);
    ruby_kana_to_hiragana(cases[i][0], strlen(cases[i][0]), out);
    assert_string_equal(out->str, cases[i][1]);
    g_string_free(out, TRUE);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_name_part_gets_the_kana_part_with_the_same_position),
      cmocka_unit_test(half_width_voiced_marks_join_their_kana),
      cmocka_unit_test(full_width_katakana_and_hiragana_kana_work_too),
      cmocka_unit_test(parts_that_do_not_match_get_one_ruby_over_the_whole_name),
      cmocka_unit_test(kana_in_a_name_part_stay_without_ruby),
      cmocka_unit_test(rare_kanji_and_variation_sequences_are_covered_whole),
      cmocka_unit_test(no_kana_or_no_kanji_means_no_ruby),
      cmocka_unit_test(kana_that_are_not_kana_are_refused),
      cmocka_unit_test(ruby_lands_at_the_name_s_place_in_the_letter),
      cmocka_unit_test(kana_of_every_width_become_hiragana),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
