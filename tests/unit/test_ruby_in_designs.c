/* test_ruby_in_designs.c — furigana as designs get it: the one ruby parser
 * inside templates (mono, group, escapes, errors at their characters), the
 * `ruby: manual | auto | off` modes (automatic readings over the design's
 * literal text only, found when compiling), a name's ruby from its カナ
 * column, which column produced which bytes (for the glyph preflight), the
 * kana fallback for names no font can draw, and the easy-Japanese checks of
 * a whole design. */
#include "tg_test.h"

static const char *const COLS[] = {"氏名", "氏名カナ", "病名"};
#define NCOLS 3

typedef struct {
  tg_design *ds;
  tg_values *v;
  tg_merge *m;
  tg_diag *d;
  tg_letter *l;
  const char *fields[NCOLS];
  size_t lengths[NCOLS];
  tg_row row;
} fx;

static tg_furigana *furigana; /* one for the whole file, as in a run */

static int setup(void **state) {
  tg_diag *d = tg_diag_new();
  furigana = tg_furigana_new_from_data_dir(d);
  if (!furigana) {
    char *t = tg_test_diag_text(d);
    fprintf(stderr, "%s", t);
    g_free(t);
  }
  tg_diag_free(d);
  return furigana ? 0 : -1;
}

static int teardown(void **state) {
  tg_furigana_free(furigana);
  return 0;
}

/* A design whose one text block has `ruby` (NULL: not given) and `text`. */
static bool load(fx *f, const char *ruby, const char *text) {
  memset(f, 0, sizeof *f);
  f->d = tg_diag_new();
  GString *y = g_string_new("kind: design\npages:\n  - blocks:\n"
                            "      - type: text\n        x: 10mm\n        y: 10mm\n"
                            "        width: 150mm\n");
  if (ruby) g_string_append_printf(y, "        ruby: %s\n", ruby);
  g_string_append(y, "        text: |-\n");
  char **lines = g_strsplit(text, "\n", -1);
  for (char **p = lines; *p; p++)
    g_string_append_printf(y, "          %s\n", *p);
  g_strfreev(lines);
  f->ds = tg_design_load_text("t.yaml", y->str, y->len, f->d);
  g_string_free(y, TRUE);
  if (!f->ds) return false;
  f->v = tg_values_new();
  tg_values_set(f->v, "municipality.name", "見本市");
  tg_merge_options mo = {.furigana = furigana};
  f->m = tg_merge_new_full(f->ds, COLS, NCOLS, f->v, &mo, f->d);
  return f->m != NULL;
}

static void done(fx *f) {
  tg_letter_free(f->l);
  tg_merge_free(f->m);
  tg_values_free(f->v);
  tg_design_free(f->ds);
  tg_diag_free(f->d);
}

static int slot_of(const fx *f) { return f->ds->pages[0].blocks[0].u.text.text.slot; }

static bool merge(fx *f, const char *name, const char *kana, const char *disease) {
  const char *vals[NCOLS] = {name, kana, disease};
  for (int i = 0; i < NCOLS; i++) {
    f->fields[i] = vals[i];
    f->lengths[i] = strlen(vals[i]);
  }
  f->row = (tg_row){.number = 7, .nfields = NCOLS, .fields = f->fields, .lengths = f->lengths};
  if (!f->l) f->l = tg_letter_new(f->m);
  return tg_merge_row(f->m, &f->row, "list.csv", f->l, f->d);
}

/* A merged text with its ruby written back as {base|reading}. */
static char *show(const char *text, const tg_attrs *a) {
  return tg_test_show_ruby(text, strlen(text), a);
}

static char *static_shown(const fx *f) {
  return show(tg_merge_get_static(f->m, slot_of(f)), tg_merge_get_static_attrs(f->m, slot_of(f)));
}

static char *row_shown(const fx *f) {
  return show(f->l->values[slot_of(f)], f->l->attrs[slot_of(f)]);
}

static void expect_static(const char *ruby, const char *text, const char *want) {
  fx f;
  if (!load(&f, ruby, text)) {
    char *t = tg_test_diag_text(f.d);
    fail_msg("'%s' did not load:\n%s", text, t);
  }
  char *got = static_shown(&f);
  assert_string_equal(got, want);
  g_free(got);
  done(&f);
}

static void expect_error(const char *text, const char *code, uint32_t col) {
  fx f;
  assert_false(load(&f, NULL, text));
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_non_null(e);
  if (strcmp(e->code, code) != 0 || e->span.col != col) {
    char *t = tg_test_diag_text(f.d);
    fail_msg("expected %s at column %u, got:\n%s", code, col, t);
  }
  assert_int_equal(e->span.line, 9);
  done(&f);
}

/* ---- the one parser ------------------------------------------------------------------ */

static void templates_read_mono_group_and_escaped_ruby_like_the_dictionary(void **state) {
  expect_static(NULL, "{腎臓|じんぞう}の はたらき", "{腎臓|じんぞう}の はたらき");
  expect_static(NULL, "{腎臓|じん|ぞう}", "{腎|じん}{臓|ぞう}");
  expect_static(NULL, "{腎|じん}{臓|ぞう}", "{腎|じん}{臓|ぞう}");
  expect_static(NULL, "{お薬||くすり}を", "お{薬|くすり}を");
  expect_static(NULL, "\\{メモ\\} a\\|b C:\\temp \\\\", "{メモ} a|b C:\\temp \\");
  /* a variation selector belongs to its kanji: two base characters */
  expect_static(NULL, "{葛\xf3\xa0\x84\x80城|かつ|らぎ}", "{葛\xf3\xa0\x84\x80|かつ}{城|らぎ}");
  /* spans around ruby, placeholders beside it */
  expect_static(NULL, "[b]{腎臓|じんぞう}[/b]と{{municipality.name}}", "{腎臓|じんぞう}と見本市");
}

static void ruby_mistakes_are_errors_at_their_characters(void **state) {
  expect_error("あ{腎臓}", "ruby.no-reading", 12);
  expect_error("{腎臓|じん|ぞう|x}", "ruby.reading-count", 11);
  expect_error("{腎臓|じんぞう の", "ruby.unclosed", 11);
  expect_error("腎臓}", "ruby.stray-brace", 13);
  expect_error("{[b]腎臓[/b]|じんぞう}", "ruby.span-inside", 12);
  expect_error("{見{{氏名}}|じんぞう}", "ruby.nested", 13);
}

/* ---- ruby: manual | auto | off --------------------------------------------------------- */

static void ruby_off_keeps_the_text_and_drops_the_readings(void **state) {
  expect_static("off", "{腎臓|じんぞう}の 検査", "腎臓の 検査");
}

static void manual_ruby_is_only_the_markup(void **state) {
  expect_static(NULL, "{腎臓|じんぞう}の 検査", "{腎臓|じんぞう}の 検査");
  expect_static("manual", "{腎臓|じんぞう}の 検査", "{腎臓|じんぞう}の 検査");
}

static void auto_ruby_reads_the_designs_kanji_and_markup_wins(void **state) {
  /* the dictionary's 健診, MeCab's 受け; the author's mono ruby wins, and a
   * character the author left bare stays bare */
  expect_static("auto", "健診を 受けて ください", "{健診|けんしん}を {受|う}けて ください");
  expect_static("auto", "{腎臓|じん|}の 働き", "{腎|じん}臓の {働|はたら}き");
  /* a span tag does not cut a word */
  expect_static("auto", "[b]腎[/b]臓の 検査", "{腎臓|じんぞう}の {検査|けんさ}");
}

static void a_forms_blanks_read_as_a_date_and_a_name_gets_sama(void **state) {
  /* 　　月　　日 is a form to write a date in: がつ, にち, not つき, ひ */
  expect_static("auto", "予定日　　　月　　　日",
                "{予定|よてい}{日|び}　　　{月|がつ}　　　{日|にち}");
  /* an indent or a 分かち書き space is no blank: MeCab decides */
  expect_static("auto", "　月に 1回", "　{月|つき}に 1{回|かい}");
  fx f;
  assert_true(load(&f, "auto", "{{氏名}} 様"));
  assert_true(merge(&f, "見本　一郎", "", ""));
  char *s = row_shown(&f);
  assert_string_equal(s, "見本　一郎 {様|さま}"); /* not よう (様子) */
  g_free(s);
  done(&f);
}

static void auto_ruby_never_reads_merged_values(void **state) {
  fx f;
  assert_true(load(&f, "auto", "{{病名}}の 検査、{{municipality.name}}役所"));
  assert_false(tg_merge_slot_is_static(f.m, slot_of(&f)));
  assert_true(merge(&f, "見本　一郎", "ﾐﾎﾝ ｲﾁﾛｳ", "腎臓病"));
  char *s = row_shown(&f);
  /* 腎臓病 (a column) and 見本市 (a job value) stay bare; the literal text
   * got its readings when the design was compiled */
  assert_string_equal(s, "腎臓病の {検査|けんさ}、見本市{役所|やくしょ}");
  g_free(s);
  done(&f);
}

/* ---- names -------------------------------------------------------------------------------- */

static void a_name_gets_its_ruby_from_its_kana_column(void **state) {
  fx f;
  assert_true(load(&f, NULL, "{{氏名 | ruby: 氏名カナ | honorific}}へ"));
  assert_true(merge(&f, "見本　ゆり子", "ﾐﾎﾝ ﾕﾘｺ", ""));
  char *s = row_shown(&f);
  assert_string_equal(s, "{見本|みほん}　ゆり{子|こ}　様へ");
  g_free(s);
  assert_true(merge(&f, "\xf0\xa0\xae\xb7田　花子", "ﾖｼﾀﾞ ﾊﾅｺ", "")); /* 𠮷田 */
  s = row_shown(&f);
  assert_string_equal(s, "{\xf0\xa0\xae\xb7田|よしだ}　{花子|はなこ}　様へ");
  g_free(s);
  assert_int_equal(tg_diag_count(f.d), 0);
  done(&f);
}

static void kana_that_is_not_kana_is_a_row_warning_and_no_ruby(void **state) {
  fx f;
  assert_true(load(&f, NULL, "{{氏名 | ruby: 氏名カナ}}様"));
  assert_true(merge(&f, "見本　一郎", "MIHON ICHIRO", ""));
  char *s = row_shown(&f);
  assert_string_equal(s, "見本　一郎様");
  g_free(s);
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_int_equal(e->severity, TG_WARNING);
  assert_string_equal(e->code, "ruby.bad-kana");
  assert_int_equal(e->row, 7);
  assert_string_equal(e->column, "氏名カナ");
  assert_null(strstr(e->message, "MIHON"));
  done(&f);
}

static void the_ruby_filter_is_checked_when_the_design_is_loaded(void **state) {
  fx f;
  assert_false(load(&f, NULL, "{{氏名 | ruby: 氏名かな}}"));
  assert_string_equal(tg_diag_get(f.d, 0)->code, "template.unknown-field");
  done(&f);
  assert_false(load(&f, NULL, "{{氏名 | ruby: 氏名カナ | fullwidth}}"));
  assert_string_equal(tg_diag_get(f.d, 0)->code, "template.ruby-filter");
  done(&f);
  assert_false(load(&f, NULL, "{{municipality.name | ruby: 氏名カナ}}"));
  assert_string_equal(tg_diag_get(f.d, 0)->code, "template.ruby-filter");
  done(&f);
}

static void ruby_off_also_drops_a_names_ruby(void **state) {
  fx f;
  assert_true(load(&f, "off", "{{氏名 | ruby: 氏名カナ}}"));
  assert_true(merge(&f, "見本　一郎", "ﾐﾎﾝ ｲﾁﾛｳ", ""));
  assert_int_equal(f.l->attrs[slot_of(&f)]->n, 0);
  done(&f);
}

/* ---- which column made which bytes --------------------------------------------------------- */

static void a_letter_knows_which_column_made_each_byte(void **state) {
  fx f;
  assert_true(load(&f, NULL, "{{氏名 | honorific}}へ、{{病名}}の 件"));
  assert_true(merge(&f, "見本　一郎", "", "腎臓病"));
  size_t n;
  const tg_value_source *src = tg_letter_get_sources(f.l, slot_of(&f), &n);
  assert_int_equal(n, 2);
  const char *v = f.l->values[slot_of(&f)];
  assert_string_equal(src[0].column, "氏名");
  assert_int_equal(src[0].start, 0);
  assert_memory_equal(v + src[0].start, "見本　一郎　様", src[0].end - src[0].start);
  assert_string_equal(src[1].column, "病名");
  assert_memory_equal(v + src[1].start, "腎臓病", src[1].end - src[1].start);
  done(&f);
}

/* ---- names no font can draw -------------------------------------------------------------------
 */

/* A stand-in for the fonts: U+1F600 cannot be drawn. */
static bool no_emoji(void *user, const char *s, size_t len, uint32_t *cp, uint32_t *vs) {
  (void)user;
  const char *e = g_strstr_len(s, (gssize)len, "\xf0\x9f\x98\x80");
  if (!e) return true;
  *cp = 0x1F600;
  *vs = 0;
  return false;
}

static void an_unprintable_name_prints_its_kana_and_says_so(void **state) {
  fx f;
  assert_true(load(&f, NULL,
                   "{{氏名}} 様\n{{#if letter.name-in-kana}}※お名前の一部を表示できない文字が"
                   "あります{{/if}}"));
  assert_true(
      tg_merge_set_kana_fallback(f.m, "氏名", "氏名カナ", no_emoji, NULL, TG_SPAN_NONE, f.d));
  assert_true(merge(&f, "見本　一郎", "ﾐﾎﾝ ｲﾁﾛｳ", ""));
  assert_false(f.l->name_in_kana);
  assert_string_equal(f.l->values[slot_of(&f)], "見本　一郎 様\n");
  assert_true(merge(&f, "\xf0\x9f\x98\x80本　一郎", "ﾐﾎﾝ ｲﾁﾛｳ", ""));
  assert_true(f.l->name_in_kana);
  assert_string_equal(f.l->values[slot_of(&f)],
                      "ミホン　イチロウ 様\n※お名前の一部を表示できない文字があります");
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_string_equal(e->code, "data.name-in-kana");
  assert_int_equal(e->severity, TG_WARNING);
  assert_string_equal(e->column, "氏名");
  assert_non_null(strstr(e->message, "U+1F600"));
  done(&f);
}

static void the_kana_fallback_needs_a_design_that_tells_the_reader(void **state) {
  fx f;
  assert_true(load(&f, NULL, "{{氏名}} 様"));
  assert_false(
      tg_merge_set_kana_fallback(f.m, "氏名", "氏名カナ", no_emoji, NULL, TG_SPAN_NONE, f.d));
  assert_string_equal(tg_diag_get(f.d, 0)->code, "job.name-note-missing");
  done(&f);
}

/* ---- easy-Japanese checks of a design
 * ------------------------------------------------------------ */

static void easy_checks_see_the_ruby_the_reader_will_get(void **state) {
  const char *y = "kind: design\n"
                  "variants: [standard, easy]\n"
                  "styles:\n"
                  "  body:\n"
                  "    size: {standard: 11pt, easy: 13pt}\n"
                  "    ruby: {standard: off, easy: auto}\n"
                  "pages:\n"
                  "  - blocks:\n"
                  "      - type: text\n"
                  "        x: 10mm\n"
                  "        y: 10mm\n"
                  "        width: 150mm\n"
                  "        text: \"{{氏名 | ruby: 氏名カナ}}さん、病院に 行って ください。\"\n"
                  "      - type: text\n"
                  "        x: 10mm\n"
                  "        y: 40mm\n"
                  "        width: 150mm\n"
                  "        ruby: manual\n"
                  "        text: \"{腎臓|じんぞう}の 検査\"\n";
  tg_diag *d = tg_diag_new();
  tg_design *ds = tg_design_load_text("t.yaml", y, strlen(y), d);
  assert_non_null(ds);
  tg_merge_options mo = {.furigana = furigana};
  tg_merge *m = tg_merge_new_full(ds, NULL, 0, NULL, &mo, d);
  assert_non_null(m);
  assert_int_equal(tg_merge_check_easy(m, d), 1);
  const tg_diag_entry *e = tg_diag_get(d, 0);
  /* only 検査 of the manual text; the auto text is fully read, the name's
   * ruby comes from its kana, and standard (ruby: off) is not easy */
  assert_string_equal(e->code, "easyja.kanji-without-ruby");
  assert_int_equal(e->span.line, 19);
  assert_int_equal(e->span.col, 27);
  assert_int_equal(e->span.len, 2);
  tg_merge_free(m);
  tg_design_free(ds);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(templates_read_mono_group_and_escaped_ruby_like_the_dictionary),
      cmocka_unit_test(ruby_mistakes_are_errors_at_their_characters),
      cmocka_unit_test(ruby_off_keeps_the_text_and_drops_the_readings),
      cmocka_unit_test(manual_ruby_is_only_the_markup),
      cmocka_unit_test(auto_ruby_reads_the_designs_kanji_and_markup_wins),
      cmocka_unit_test(auto_ruby_never_reads_merged_values),
      cmocka_unit_test(a_forms_blanks_read_as_a_date_and_a_name_gets_sama),
      cmocka_unit_test(a_name_gets_its_ruby_from_its_kana_column),
      cmocka_unit_test(kana_that_is_not_kana_is_a_row_warning_and_no_ruby),
      cmocka_unit_test(the_ruby_filter_is_checked_when_the_design_is_loaded),
      cmocka_unit_test(ruby_off_also_drops_a_names_ruby),
      cmocka_unit_test(a_letter_knows_which_column_made_each_byte),
      cmocka_unit_test(an_unprintable_name_prints_its_kana_and_says_so),
      cmocka_unit_test(the_kana_fallback_needs_a_design_that_tells_the_reader),
      cmocka_unit_test(easy_checks_see_the_ruby_the_reader_will_get),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
