/* test_furigana.c — automatic furigana: ruby over kanji only, readings from
 * explicit ruby, then the project dictionary (locales/ja/readings.tsv), then
 * counters after digits, then MeCab (Debian's mecab-ipadic-utf8).
 *
 * Results are shown as {base|reading} so that each test reads like the rule
 * it proves. */
#include "tg_test.h"

#include <pthread.h>

static tg_furigana *project(void) {
  char *dir = g_build_filename(tg_data_dir(), "locales", "ja", NULL);
  tg_furigana_options o = {.locale_dir = dir};
  tg_diag *d = tg_diag_new();
  tg_furigana *f = tg_furigana_new(&o, d);
  if (!f) {
    char *t = tg_test_diag_text(d);
    fprintf(stderr, "%s", t);
    g_free(t);
  }
  tg_diag_free(d);
  g_free(dir);
  return f;
}

static int setup(void **state) {
  *state = project();
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  tg_furigana_free(*state);
  return 0;
}

/* Annotate `text` (which may hold explicit ruby markup) and show the result. */
static char *furigana(const tg_furigana *f, const char *text) {
  tg_diag *d = tg_diag_new();
  tg_ruby_text *r = tg_ruby_markup_parse(text, strlen(text), NULL, NULL, d);
  assert_non_null(r);
  size_t len;
  const char *plain = tg_ruby_text_get_text(r, &len);
  tg_attr_list *l = tg_attr_list_new();
  tg_attr_list_append(l, tg_ruby_text_get_attrs(r), 0);
  assert_true(tg_furigana_annotate(f, plain, len, 0, l, d));
  assert_int_equal(tg_diag_count(d), 0);
  char *s = tg_test_show_ruby(plain, len, tg_attr_list_get(l));
  tg_attr_list_free(l);
  tg_ruby_text_free(r);
  tg_diag_free(d);
  return s;
}

#define assert_furigana(f, text, expected)                                                         \
  do {                                                                                             \
    char *got_ = furigana((f), (text));                                                            \
    assert_string_equal(got_, (expected));                                                         \
    g_free(got_);                                                                                  \
  } while (0)

/* ---- alignment --------------------------------------------------------------- */

static void ruby_goes_over_the_kanji_and_never_over_okurigana(void **state) {
  assert_furigana(*state, "受け取る", "{受|う}け{取|と}る");
  assert_furigana(*state, "働きが 少し 弱く なって います。",
                  "{働|はたら}きが {少|すこ}し {弱|よわ}く なって います。");
  assert_furigana(*state, "申し込み", "{申|もう}し{込|こ}み");
}

static void a_kanji_word_gets_one_group_ruby(void **state) {
  assert_furigana(*state, "腎臓", "{腎臓|じんぞう}");
  assert_furigana(*state, "病院に 行って ください。", "{病院|びょういん}に {行|い}って ください。");
}

static void in_mixed_words_only_the_kanji_get_ruby(void **state) {
  assert_furigana(*state, "お薬手帳を 持って", "お{薬|くすり}{手帳|てちょう}を {持|も}って");
  assert_furigana(*state, "3か月以内", "3か{月|げつ}{以内|いない}");
}

static void kana_latin_and_digits_never_get_ruby(void **state) {
  assert_furigana(*state, "ください。カード", "ください。カード");
  assert_furigana(*state, "eGFRの値は45です", "eGFRの{値|あたい}は45です");
  assert_furigana(*state, "HbA1cが6.5%以上", "HbA1cが6.5%{以上|いじょう}");
}

static void counters_after_digits_take_their_regular_reading(void **state) {
  /* 1日 is にち over 日 whether it means ついたち or いちにち: the digits
   * never carry ruby (docs/furigana.md, Numbers) */
  assert_furigana(*state, "10月1日から12月31日まで、1日に2回",
                  "10{月|がつ}1{日|にち}から12{月|がつ}31{日|にち}まで、1{日|にち}に2{回|かい}");
  assert_furigana(*state, "午前9時から ２時間", "{午前|ごぜん}9{時|じ}から ２{時間|じかん}");
}

static void wakachigaki_spaces_stay_outside_every_ruby(void **state) {
  assert_furigana(*state, "あなたの　腎臓の  はたらき", "あなたの　{腎臓|じんぞう}の  はたらき");
}

/* ---- precedence -------------------------------------------------------------- */

static void explicit_ruby_wins_over_everything(void **state) {
  assert_furigana(*state, "{腎臓|じん ぞう}の 働き", "{腎臓|じん ぞう}の {働|はたら}き");
  assert_furigana(*state, "{腎|じん}{臓|ぞう}病", "{腎|じん}{臓|ぞう}{病|びょう}");
  assert_furigana(*state, "{透析|とうせき}を", "{透析|とうせき}を");
}

static void the_project_dictionary_wins_over_mecab(void **state) {
  /* ipadic alone reads 健診 as 健 けん + 診 み (診る) and 値 as ね */
  tg_diag *d = tg_diag_new();
  tg_furigana *bare = tg_furigana_new(NULL, d);
  assert_non_null(bare);
  assert_furigana(bare, "健診の値", "{健|けん}{診|み}の{値|ね}");
  tg_furigana_free(bare);
  tg_diag_free(d);
  assert_furigana(*state, "健診の値", "{健診|けんしん}の{値|あたい}");
  assert_furigana(*state, "特定健康診査", "{特定|とくてい}{健康|けんこう}{診査|しんさ}");
}

static void dictionary_words_match_whole_words_only(void **state) {
  /* a word of two kanji or more also matches where MeCab cuts a compound */
  assert_furigana(*state, "定期健診", "{定期|ていき}{健診|けんしん}");
  /* a one-kanji word never matches inside a kanji compound */
  assert_furigana(*state, "基準値より", "{基準|きじゅん}{値|ち}より");
  assert_furigana(*state, "対象の方", "{対象|たいしょう}の{方|かた}");
  assert_furigana(*state, "両方", "{両方|りょうほう}");
}

static void a_dash_entry_keeps_a_word_without_ruby(void **state) {
  tg_diag *d = tg_diag_new();
  tg_furigana *f = project();
  const char *extra = "# a municipality's own words\n透析\t-\n見本\tためし\n";
  assert_true(tg_furigana_add_dictionary_text(f, "extra.tsv", extra, strlen(extra), d));
  assert_furigana(f, "人工透析と透析", "{人工|じんこう}{透析|とうせき}と透析");
  /* a later dictionary replaces the entries of an earlier one */
  assert_furigana(f, "見本", "{見本|ためし}");
  tg_furigana_free(f);
  tg_diag_free(d);
}

static void a_piece_of_a_longer_text_gets_ruby_at_its_offset(void **state) {
  /* "{{氏名}} 様 腎臓の" with the name merged: only the literal is annotated */
  const char *whole = "見本　一郎 様 腎臓の";
  const char *piece = strstr(whole, " 様 ");
  tg_attr_list *l = tg_attr_list_new();
  tg_diag *d = tg_diag_new();
  assert_true(tg_furigana_annotate(*state, piece, strlen(piece), (uint32_t)(piece - whole), l, d));
  char *s = tg_test_show_ruby(whole, strlen(whole), tg_attr_list_get(l));
  assert_string_equal(s, "見本　一郎 {様|さま} {腎臓|じんぞう}の");
  g_free(s);
  tg_attr_list_free(l);
  tg_diag_free(d);
}

/* ---- the dictionary file ------------------------------------------------------------ */

static char *dictionary_errors(const char *text) {
  tg_furigana *f = tg_furigana_new(NULL, NULL);
  tg_diag *d = tg_diag_new();
  assert_false(tg_furigana_add_dictionary_text(f, "extra.tsv", text, strlen(text), d));
  char *out = tg_test_diag_text(d);
  tg_diag_free(d);
  tg_furigana_free(f);
  return out;
}

static void dictionary_mistakes_are_reported_by_line_and_column(void **state) {
  char *e = dictionary_errors("腎臓 じんぞう\n腎臓\tjinzou\nお薬手帳\tくすりてちょう\n"
                              "透析\t{透|とう}{折|せき}\n血圧\tけつあつ\n血圧\tけつあつ\n");
  assert_string_equal(
      e, "extra.tsv:1:1: error: expected a word, a tab and its reading [furigana.dict-syntax]\n"
         " 1 | 腎臓 じんぞう\n"
         "   | ^~~~~~~~~~~~~\n"
         "  hint: write the word, a tab, and its reading (or '-' for no ruby)\n"
         "extra.tsv:2:4: error: the reading is not kana [furigana.dict-reading]\n"
         " 2 | 腎臓 jinzou\n"
         "   |      ^~~~~~\n"
         "  hint: write the reading in kana, '-' for no ruby, or as ruby markup {base|reading}\n"
         "extra.tsv:3:6: error: the reading does not fit the word [furigana.dict-align]\n"
         " 3 | お薬手帳 くすりてちょう\n"
         "   |          ^~~~~~~~~~~~~~\n"
         "  hint: the word's kana must appear in the reading as written; for a word with digits or "
         "Latin letters, say what the reading covers with ruby markup {base|reading}\n"
         "extra.tsv:4:4: error: the ruby markup does not spell the word of the first column "
         "[furigana.dict-markup]\n"
         " 4 | 透析 {透|とう}{折|せき}\n"
         "   |      ^~~~~~~~~~~~~~~~~~\n"
         "extra.tsv:6:1: error: this word is already listed at line 5 [furigana.dict-duplicate]\n"
         " 6 | 血圧 けつあつ\n"
         "   | ^~~~\n");
  g_free(e);
}

static void the_project_dictionary_loads_cleanly(void **state) {
  /* setup() loaded locales/ja/readings.tsv and counters.tsv without a
   * diagnostic; here: every no-ruby entry of the programme is present */
  assert_furigana(*state, "eGFR HbA1c LDL CKD", "eGFR HbA1c LDL CKD");
  assert_furigana(*state, "保険証と医療機関",
                  "{保険証|ほけんしょう}と{医療|いりょう}{機関|きかん}");
}

static void a_missing_mecab_dictionary_is_a_library_error(void **state) {
  tg_diag *d = tg_diag_new();
  tg_furigana_options o = {.mecab_dicdir = "/nonexistent/mecab-dic"};
  assert_null(tg_furigana_new(&o, d));
  assert_int_equal(tg_diag_count(d), 1);
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_string_equal(e->code, "furigana.mecab");
  assert_int_equal(e->kind, TG_KIND_LIBRARY);
  assert_true(g_str_has_prefix(e->message,
                               "MeCab cannot load its dictionary from /nonexistent/mecab-dic: "));
  assert_string_equal(e->hint, "install the Debian package mecab-ipadic-utf8");
  tg_diag_free(d);
}

/* ---- threads ----------------------------------------------------------------------- */

typedef struct {
  const tg_furigana *f;
  char *out[20];
} worker;

static void *work(void *p) {
  worker *w = p;
  for (int i = 0; i < 20; i++) {
    const char *t = "特定健診の結果、腎臓の はたらきが 弱く なって います。";
    tg_attr_list *l = tg_attr_list_new();
    tg_furigana_annotate(w->f, t, strlen(t), 0, l, NULL);
    w->out[i] = tg_test_show_ruby(t, strlen(t), tg_attr_list_get(l));
    tg_attr_list_free(l);
  }
  return NULL;
}

static void one_furigana_object_serves_many_threads(void **state) {
  worker w[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    w[i].f = *state;
    pthread_create(&th[i], NULL, work, &w[i]);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 20; k++) {
      assert_string_equal(w[i].out[k], "{特定|とくてい}{健診|けんしん}の{結果|けっか}、"
                                       "{腎臓|じんぞう}の はたらきが {弱|よわ}く なって います。");
      g_free(w[i].out[k]);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ruby_goes_over_the_kanji_and_never_over_okurigana),
      cmocka_unit_test(a_kanji_word_gets_one_group_ruby),
      cmocka_unit_test(in_mixed_words_only_the_kanji_get_ruby),
      cmocka_unit_test(kana_latin_and_digits_never_get_ruby),
      cmocka_unit_test(counters_after_digits_take_their_regular_reading),
      cmocka_unit_test(wakachigaki_spaces_stay_outside_every_ruby),
      cmocka_unit_test(explicit_ruby_wins_over_everything),
      cmocka_unit_test(the_project_dictionary_wins_over_mecab),
      cmocka_unit_test(dictionary_words_match_whole_words_only),
      cmocka_unit_test(a_dash_entry_keeps_a_word_without_ruby),
      cmocka_unit_test(a_piece_of_a_longer_text_gets_ruby_at_its_offset),
      cmocka_unit_test(dictionary_mistakes_are_reported_by_line_and_column),
      cmocka_unit_test(the_project_dictionary_loads_cleanly),
      cmocka_unit_test(a_missing_mecab_dictionary_is_a_library_error),
      cmocka_unit_test(one_furigana_object_serves_many_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
