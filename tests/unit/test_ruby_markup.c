/* test_ruby_markup.c — explicit ruby in design text: {base|reading} is group
 * ruby, {base|r1|r2} and {a|r1}{b|r2} are mono ruby, \{ \} \| \\ are literal,
 * {{placeholders}} pass through, and everything else — spaces included — is
 * copied byte for byte.  Mistakes are reported at the design file's line and
 * column, all in one pass. */
#include "tg_test.h"

static tg_ruby_text *parse(const char *src, tg_diag *d) {
  return tg_ruby_markup_parse(src, strlen(src), NULL, NULL, d);
}

static void group_ruby_covers_the_whole_base(void **state) {
  tg_diag *d = tg_diag_new();
  tg_ruby_text *r = parse("{腎臓|じんぞう}の はたらき", d);
  assert_non_null(r);
  size_t len;
  assert_string_equal(tg_ruby_text_get_text(r, &len), "腎臓の はたらき");
  const tg_attrs *a = tg_ruby_text_get_attrs(r);
  assert_int_equal(a->n, 1);
  assert_int_equal(a->v[0].type, TG_ATTR_RUBY);
  assert_int_equal(a->v[0].start, 0);
  assert_int_equal(a->v[0].end, 6);
  assert_string_equal(a->v[0].u.ruby, "じんぞう");
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

static void mono_ruby_gives_each_character_its_own_reading(void **state) {
  tg_diag *d = tg_diag_new();
  const char *forms[] = {"{腎|じん}{臓|ぞう}", "{腎臓|じん|ぞう}"};
  for (int i = 0; i < 2; i++) {
    tg_ruby_text *r = parse(forms[i], d);
    assert_non_null(r);
    size_t len;
    const char *t = tg_ruby_text_get_text(r, &len);
    const tg_attrs *a = tg_ruby_text_get_attrs(r);
    assert_int_equal(a->n, 2);
    char *s = tg_test_show_ruby(t, len, a);
    assert_string_equal(s, "{腎|じん}{臓|ぞう}");
    g_free(s);
    tg_ruby_text_free(r);
  }
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
}

static void an_empty_mono_reading_leaves_its_character_bare(void **state) {
  tg_diag *d = tg_diag_new();
  tg_ruby_text *r = parse("{お薬||くすり}を", d);
  assert_non_null(r);
  size_t len;
  const char *t = tg_ruby_text_get_text(r, &len);
  char *s = tg_test_show_ruby(t, len, tg_ruby_text_get_attrs(r));
  assert_string_equal(s, "お{薬|くすり}を");
  g_free(s);
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

static void a_variation_sequence_is_one_base_character(void **state) {
  tg_diag *d = tg_diag_new();
  /* 葛 + VS17 (U+E0100): one character for mono ruby, and kept in the text */
  tg_ruby_text *r = parse("{葛\xf3\xa0\x84\x80城|かつ|らぎ}", d);
  assert_non_null(r);
  size_t len;
  const char *t = tg_ruby_text_get_text(r, &len);
  assert_string_equal(t, "葛\xf3\xa0\x84\x80城");
  const tg_attrs *a = tg_ruby_text_get_attrs(r);
  assert_int_equal(a->n, 2);
  assert_int_equal(a->v[0].end, 7); /* 3 bytes of 葛 + 4 of the selector */
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

static void backslash_escapes_give_literal_braces_and_bars(void **state) {
  tg_diag *d = tg_diag_new();
  tg_ruby_text *r = parse("\\{a\\|b\\} \\\\ C:\\temp {a\\|b|えい}", d);
  assert_non_null(r);
  size_t len;
  const char *t = tg_ruby_text_get_text(r, &len);
  char *s = tg_test_show_ruby(t, len, tg_ruby_text_get_attrs(r));
  /* a backslash before anything else stays a backslash */
  assert_string_equal(s, "{a|b} \\ C:\\temp {a|b|えい}");
  assert_int_equal(tg_ruby_text_get_attrs(r)->n, 1);
  g_free(s);
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

static void placeholders_pass_through_untouched(void **state) {
  tg_diag *d = tg_diag_new();
  tg_ruby_text *r = parse("{{氏名 | default:\"{x}\"}} 様 {腎臓|じんぞう}", d);
  assert_non_null(r);
  size_t len;
  const char *t = tg_ruby_text_get_text(r, &len);
  char *s = tg_test_show_ruby(t, len, tg_ruby_text_get_attrs(r));
  assert_string_equal(s, "{{氏名 | default:\"{x}\"}} 様 {腎臓|じんぞう}");
  g_free(s);
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

static void wakachigaki_spaces_are_kept_as_written(void **state) {
  tg_diag *d = tg_diag_new();
  const char *src = "あなたの　{腎臓|じんぞう}の  はたらきが\t少し {弱|よわ}く なって います。";
  tg_ruby_text *r = parse(src, d);
  assert_non_null(r);
  assert_string_equal(tg_ruby_text_get_text(r, NULL),
                      "あなたの　腎臓の  はたらきが\t少し 弱く なって います。");
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

static void plain_text_offsets_map_back_to_the_markup(void **state) {
  tg_diag *d = tg_diag_new();
  const char *src = "{腎臓|じんぞう}の 働き";
  tg_ruby_text *r = parse(src, d);
  size_t len;
  const char *t = tg_ruby_text_get_text(r, &len);
  size_t at = (size_t)(strstr(t, "働") - t);
  assert_int_equal(tg_ruby_text_get_source_offset(r, at), (size_t)(strstr(src, "働") - src));
  assert_int_equal(tg_ruby_text_get_source_offset(r, 3), 4); /* 臓 inside the markup */
  assert_int_equal(tg_ruby_text_get_source_offset(r, len), strlen(src));
  tg_ruby_text_free(r);
  tg_diag_free(d);
}

/* Parse the text of a design's first text block, diagnostics at the YAML. */
static char *errors_of(const char *yaml_text) {
  char *yaml = g_strdup_printf("kind: design\npages:\n  - blocks:\n      - type: text\n"
                               "        x: 10mm\n        y: 10mm\n        width: 100mm\n"
                               "        text: \"%s\"\n",
                               yaml_text);
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("t.yaml", yaml, strlen(yaml), d);
  assert_non_null(ds);
  const tg_text *t = ds->texts[0];
  tg_ruby_text *r = tg_ruby_markup_parse(t->text, strlen(t->text), tg_text_locate, (void *)t, d);
  assert_null(r);
  char *out = tg_test_diag_text(d);
  tg_design_free(ds);
  tg_diag_free(d);
  g_free(yaml);
  return out;
}

static void markup_mistakes_are_reported_at_their_characters(void **state) {
  char *e = errors_of("{腎臓}と{|じん}と{腎臓|}と}");
  assert_string_equal(e,
                      "t.yaml:8:16: error: ruby markup without a reading [ruby.no-reading]\n"
                      " 8 |         text: \"{腎臓}と{|じん}と{腎臓|}と}\"\n"
                      "   |                ^~~~~~\n"
                      "  hint: write {base|reading}, or \\{ for a literal brace\n"
                      "t.yaml:8:21: error: ruby markup with an empty base [ruby.empty-base]\n"
                      " 8 |         text: \"{腎臓}と{|じん}と{腎臓|}と}\"\n"
                      "   |                        ^~~~~~~\n"
                      "t.yaml:8:27: error: ruby markup with an empty reading [ruby.empty-reading]\n"
                      " 8 |         text: \"{腎臓}と{|じん}と{腎臓|}と}\"\n"
                      "   |                                 ^~~~~~~\n"
                      "t.yaml:8:33: error: '}' without an opening '{' [ruby.stray-brace]\n"
                      " 8 |         text: \"{腎臓}と{|じん}と{腎臓|}と}\"\n"
                      "   |                                          ^\n"
                      "  hint: write \\} for a literal brace\n");
  g_free(e);
}

static void miscounted_nested_and_unclosed_ruby_are_errors(void **state) {
  char *e = errors_of("{腎臓|じん}{臓|ぞ|う}{腎{臓}|x} {腎臓|じんぞう");
  assert_string_equal(
      e, "t.yaml:8:23: error: 2 readings for a base of 1 characters [ruby.reading-count]\n"
         " 8 |         text: \"{腎臓|じん}{臓|ぞ|う}{腎{臓}|x} {腎臓|じんぞう\"\n"
         "   |                           ^~~~~~~~~~\n"
         "  hint: mono ruby gives one reading per base character; use {base|reading} for group "
         "ruby\n"
         "t.yaml:8:32: error: '{' inside ruby markup: ruby cannot be nested [ruby.nested]\n"
         " 8 |         text: \"{腎臓|じん}{臓|ぞ|う}{腎{臓}|x} {腎臓|じんぞう\"\n"
         "   |                                        ^\n"
         "  hint: write \\{ for a literal brace\n"
         "t.yaml:8:39: error: ruby markup '{' is not closed with '}' on its line [ruby.unclosed]\n"
         " 8 |         text: \"{腎臓|じん}{臓|ぞ|う}{腎{臓}|x} {腎臓|じんぞう\"\n"
         "   |                                                ^\n"
         "  hint: write \\{ for a literal brace\n");
  g_free(e);
}

static void a_line_break_inside_ruby_is_an_error(void **state) {
  tg_diag *d = tg_diag_new();
  assert_null(parse("{腎\n臓|じんぞう}", d));
  assert_int_equal(tg_diag_count(d), 1);
  assert_string_equal(tg_diag_get(d, 0)->code, "ruby.line-break");
  assert_string_equal(
      tg_diag_get(d, 0)->message,
      "line break inside ruby markup: a ruby base and its reading stay on one line");
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(group_ruby_covers_the_whole_base),
      cmocka_unit_test(mono_ruby_gives_each_character_its_own_reading),
      cmocka_unit_test(an_empty_mono_reading_leaves_its_character_bare),
      cmocka_unit_test(a_variation_sequence_is_one_base_character),
      cmocka_unit_test(backslash_escapes_give_literal_braces_and_bars),
      cmocka_unit_test(placeholders_pass_through_untouched),
      cmocka_unit_test(wakachigaki_spaces_are_kept_as_written),
      cmocka_unit_test(plain_text_offsets_map_back_to_the_markup),
      cmocka_unit_test(markup_mistakes_are_reported_at_their_characters),
      cmocka_unit_test(miscounted_nested_and_unclosed_ruby_are_errors),
      cmocka_unit_test(a_line_break_inside_ruby_is_an_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
