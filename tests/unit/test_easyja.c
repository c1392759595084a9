/* test_easyja.c — easy-Japanese checks warn, at the design file's line and
 * column, about sentences over 30 characters (spaces not counted), kanji
 * without ruby, and text or ruby below 12 pt / 6 pt.  They only look:
 * 分かち書き spaces stay as written. */
#include "tg_test.h"

/* A design whose first text block holds `text`, checked with its ruby markup
 * parsed; diagnostics point into the YAML through the markup's offsets. */
typedef struct {
  const tg_text *t;
  const tg_ruby_text *r;
} located;

static tg_span locate_plain(void *user, size_t off, size_t len) {
  located *L = user;
  size_t a, n;
  tg_ruby_text_get_source_range(L->r, off, len, &a, &n);
  return tg_text_span(L->t, a, n);
}

static char *check(const char *text, const tg_easyja_rules *rules, size_t *warnings) {
  char *yaml = g_strdup_printf("kind: design\npages:\n  - blocks:\n      - type: text\n"
                               "        x: 10mm\n        y: 10mm\n        width: 100mm\n"
                               "        text: \"%s\"\n",
                               text);
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("easy.yaml", yaml, strlen(yaml), d);
  assert_non_null(ds);
  const tg_text *t = ds->texts[0];
  tg_ruby_text *r = tg_ruby_markup_parse(t->text, strlen(t->text), tg_text_locate, (void *)t, d);
  assert_non_null(r);
  located L = {t, r};
  size_t len;
  const char *plain = tg_ruby_text_get_text(r, &len);
  char *before = g_strdup(plain);
  size_t n =
      tg_easyja_check_text(rules, plain, len, tg_ruby_text_get_attrs(r), locate_plain, &L, d);
  assert_string_equal(plain, before); /* nothing changed, spaces included */
  if (warnings) *warnings = n;
  assert_int_equal(tg_diag_count_at_least(d, TG_WARNING), n);
  assert_false(tg_diag_has_errors(d));
  char *out = tg_test_diag_text(d);
  g_free(before);
  tg_ruby_text_free(r);
  tg_design_free(ds);
  tg_diag_free(d);
  g_free(yaml);
  return out;
}

static void a_sentence_over_thirty_characters_is_too_long(void **state) {
  size_t n;
  char *e = check("{病院|びょういん}に {行|い}って、{検査|けんさ}の {結果|けっか}を "
                  "{医者|いしゃ}に {見|み}せて、{薬|くすり}を もらって ください。"
                  "{電話|でんわ}して ください。",
                  NULL, &n);
  assert_int_equal(n, 1);
  assert_string_equal(
      e, "easy.yaml:8:16: warning: sentence of 31 characters: easy-Japanese sentences have at "
         "most 30 [easyja.sentence-too-long]\n"
         " 8 |         text: \"{病院|びょういん}に {行|い}って、{検査|けんさ}の {結果|けっか}を "
         "{医者|いしゃ}に {見|み}せて、{薬|くすり}を もらって ください。{電話|でんわ}して "
         "ください。\"\n"
         "   |                "
         "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
         "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
         "  hint: split it into shorter sentences, one idea each (spaces are not counted)\n");
  g_free(e);
}

static void wakachigaki_spaces_do_not_count_as_characters(void **state) {
  /* 30 characters without its spaces, 37 with them */
  size_t n;
  char *e =
      check("あなたの じんぞうの はたらきが とても すこし よわく なって います。あいう", NULL, &n);
  assert_int_equal(n, 0);
  g_free(e);
}

static void the_sentence_length_is_configurable(void **state) {
  tg_easyja_rules r;
  tg_easyja_rules_init(&r);
  assert_int_equal(r.max_sentence_chars, 30);
  r.max_sentence_chars = 10;
  size_t n;
  char *e =
      check("びょういんに いって ください。でんわ ください!\\nあいうえおかきくけこさ", &r, &n);
  /* 14 characters; 7; and a line without an end mark is a sentence too */
  assert_int_equal(n, 2);
  assert_non_null(strstr(e, "sentence of 14 characters: easy-Japanese sentences have at most 10"));
  assert_non_null(strstr(e, "sentence of 11 characters"));
  g_free(e);
}

static void kanji_without_ruby_are_reported_run_by_run(void **state) {
  size_t n;
  char *e = check("{腎臓|じんぞう}の 働きが 少し 弱く なって います。", NULL, &n);
  assert_int_equal(n, 3);
  assert_string_equal(
      e,
      "easy.yaml:8:27: warning: 1 kanji without ruby: easy-Japanese text gives a reading for every "
      "kanji [easyja.kanji-without-ruby]\n"
      " 8 |         text: \"{腎臓|じんぞう}の 働きが 少し 弱く なって います。\"\n"
      "   |                                  ^~\n"
      "  hint: write {漢字|かんじ}, or add the word to locales/ja/readings.tsv\n"
      "easy.yaml:8:31: warning: 1 kanji without ruby: easy-Japanese text gives a reading for every "
      "kanji [easyja.kanji-without-ruby]\n"
      " 8 |         text: \"{腎臓|じんぞう}の 働きが 少し 弱く なって います。\"\n"
      "   |                                         ^~\n"
      "  hint: write {漢字|かんじ}, or add the word to locales/ja/readings.tsv\n"
      "easy.yaml:8:34: warning: 1 kanji without ruby: easy-Japanese text gives a reading for every "
      "kanji [easyja.kanji-without-ruby]\n"
      " 8 |         text: \"{腎臓|じんぞう}の 働きが 少し 弱く なって います。\"\n"
      "   |                                              ^~\n"
      "  hint: write {漢字|かんじ}, or add the word to locales/ja/readings.tsv\n");
  g_free(e);
}

static void a_kanji_run_with_partial_ruby_reports_only_the_bare_part(void **state) {
  size_t n;
  char *e = check("{腎臓|じんぞう}病院", NULL, &n);
  assert_int_equal(n, 1);
  assert_non_null(strstr(e, "easy.yaml:8:25: warning: 2 kanji without ruby"));
  g_free(e);
}

static void text_with_ruby_everywhere_passes(void **state) {
  size_t n;
  char *e = check("{病院|びょういん}に {行|い}って ください。eGFR 45", NULL, &n);
  assert_int_equal(n, 0);
  assert_string_equal(e, "");
  g_free(e);
}

static void small_text_and_small_ruby_are_reported(void **state) {
  tg_diag *d = tg_diag_new();
  tg_source *src = tg_source_new("easy.yaml", "  body:\n    size: 10.5pt\n", 26);
  tg_span sp = {.src = src, .line = 2, .col = 11, .len = 6};
  assert_int_equal(tg_easyja_check_size(NULL, 10.5, 5.25, sp, d), 2);
  assert_int_equal(tg_easyja_check_size(NULL, 12, 6, sp, d), 0);
  assert_int_equal(tg_easyja_check_size(NULL, 12, 0, sp, d), 0); /* no ruby: no ruby check */
  char *e = tg_test_diag_text(d);
  assert_string_equal(e, "easy.yaml:2:11: warning: text size 10.5pt is below the easy-Japanese "
                         "minimum of 12pt [easyja.text-too-small]\n"
                         " 2 |     size: 10.5pt\n"
                         "   |           ^~~~~~\n"
                         "easy.yaml:2:11: warning: ruby size 5.25pt is below the easy-Japanese "
                         "minimum of 6pt [easyja.ruby-too-small]\n"
                         " 2 |     size: 10.5pt\n"
                         "   |           ^~~~~~\n");
  g_free(e);
  tg_source_free(src);
  tg_diag_free(d);
}

static void a_smaller_size_inside_the_text_is_reported_too(void **state) {
  tg_diag *d = tg_diag_new();
  const char *t = "びょういんに いって ください。";
  tg_attr a = {.start = 0, .end = 18, .type = TG_ATTR_SIZE, .u.size_pt = 9};
  tg_attrs attrs = {1, &a};
  assert_int_equal(tg_easyja_check_text(NULL, t, strlen(t), &attrs, NULL, NULL, d), 1);
  assert_string_equal(tg_diag_get(d, 0)->code, "easyja.text-too-small");
  assert_string_equal(tg_diag_get(d, 0)->message,
                      "text size 9pt is below the easy-Japanese minimum of 12pt");
  tg_diag_free(d);
}

static void warnings_never_make_a_run_fail(void **state) {
  tg_diag *d = tg_diag_new();
  const char *t = "腎臓病の治療を受けて下さい。";
  tg_easyja_check_text(NULL, t, strlen(t), NULL, NULL, NULL, d);
  assert_true(tg_diag_count(d) > 0);
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_OK);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_sentence_over_thirty_characters_is_too_long),
      cmocka_unit_test(wakachigaki_spaces_do_not_count_as_characters),
      cmocka_unit_test(the_sentence_length_is_configurable),
      cmocka_unit_test(kanji_without_ruby_are_reported_run_by_run),
      cmocka_unit_test(a_kanji_run_with_partial_ruby_reports_only_the_bare_part),
      cmocka_unit_test(text_with_ruby_everywhere_passes),
      cmocka_unit_test(small_text_and_small_ruby_are_reported),
      cmocka_unit_test(a_smaller_size_inside_the_text_is_reported_too),
      cmocka_unit_test(warnings_never_make_a_run_fail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
