/* test_merge_language.c — the template language of design texts: filters
 * for dates, numbers, full-width digits and honorifics; {{#if}} rules;
 * rich-text spans and ruby compiled into attribute ranges over the merged
 * bytes; and the mistakes each of them reports at load time. */
#include "tg_test.h"

static const char *const COLS[] = {"氏名", "eGFR", "年齢", "性別", "生年月日", "flag"};
#define NCOLS 6

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

/* A design with one text block holding `text` (a literal block scalar). */
static bool load(fx *f, const char *text) {
  memset(f, 0, sizeof *f);
  f->d = tg_diag_new();
  GString *y = g_string_new("kind: design\ncolors:\n  accent: \"#C00000\"\npages:\n  - blocks:\n"
                            "      - type: text\n        x: 10mm\n        y: 10mm\n"
                            "        width: 150mm\n        text: |-\n");
  char **lines = g_strsplit(text, "\n", -1);
  for (char **p = lines; *p; p++)
    g_string_append_printf(y, "          %s\n", *p);
  g_strfreev(lines);
  f->ds = tg_design_load_text("t.yaml", y->str, y->len, f->d);
  g_string_free(y, TRUE);
  if (!f->ds) return false;
  f->v = tg_values_new();
  tg_values_set(f->v, "job.date", "2026-10-01");
  f->m = tg_merge_new(f->ds, COLS, NCOLS, f->v, f->d);
  return f->m != NULL;
}

static void done(fx *f) {
  tg_letter_free(f->l);
  tg_merge_free(f->m);
  tg_values_free(f->v);
  tg_design_free(f->ds);
  tg_diag_free(f->d);
}

static int text_slot(const fx *f) { return f->ds->pages[0].blocks[0].u.text.text.slot; }

/* Merge a row (name, eGFR, age, sex, birth date, flag); NULL when rejected. */
static const char *merge(fx *f, const char *name, const char *egfr, const char *age,
                         const char *sex, const char *birth, const char *flag) {
  const char *vals[NCOLS] = {name, egfr, age, sex, birth, flag};
  for (int i = 0; i < NCOLS; i++) {
    f->fields[i] = vals[i];
    f->lengths[i] = strlen(vals[i]);
  }
  f->row = (tg_row){.number = 2, .nfields = NCOLS, .fields = f->fields, .lengths = f->lengths};
  if (!f->l) f->l = tg_letter_new(f->m);
  if (!tg_merge_row(f->m, &f->row, "list.csv", f->l, f->d)) return NULL;
  return f->l->values[text_slot(f)];
}

static const char *one(fx *f, const char *text, const char *value) {
  if (!load(f, text)) return NULL;
  return merge(f, value, "55.0", "68", "男", value, "");
}

static void expect(const char *text, const char *value, const char *want) {
  fx f;
  const char *got = one(&f, text, value);
  if (!got) {
    char *diags = tg_test_diag_text(f.d);
    fail_msg("'%s' on '%s' failed:\n%s", text, value, diags);
  }
  assert_string_equal(got, want);
  done(&f);
}

static void expect_row_error(const char *text, const char *value, const char *code) {
  fx f;
  assert_true(load(&f, text));
  assert_null(merge(&f, value, "55.0", "68", "男", value, ""));
  assert_string_equal(tg_diag_get(f.d, 0)->code, code);
  /* row-named, never quoting the value */
  assert_null(strstr(tg_diag_get(f.d, 0)->message, value));
  done(&f);
}

static void expect_load_error(const char *text, const char *code, uint32_t line, uint32_t col) {
  fx f;
  assert_false(load(&f, text));
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_non_null(e);
  if (strcmp(e->code, code) != 0) {
    char *diags = tg_test_diag_text(f.d);
    fail_msg("expected %s, got:\n%s", code, diags);
  }
  if (e->span.line != line || e->span.col != col) {
    char *diags = tg_test_diag_text(f.d);
    fail_msg("'%s': expected %u:%u, got:\n%s", text, line, col, diags);
  }
  done(&f);
}

/* ---- filters ---------------------------------------------------------------------- */

static void wareki_reads_every_kdb_date_form(void **state) {
  expect("{{生年月日 | wareki}}", "1956-05-02", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "1956/5/2", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "19560502", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "S31.05.02", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "s31/5/2", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "Ｓ３１．０５．０２", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "3310502", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "昭和31年5月2日", "昭和31年5月2日");
  expect("{{生年月日 | wareki}}", "H01.01.08", "平成元年1月8日");
  expect("{{生年月日 | wareki}}", "5010501", "令和元年5月1日");
  expect("{{生年月日 | wareki}}", "平成元年1月8日", "平成元年1月8日");
}

static void era_boundaries_are_exact(void **state) {
  expect("{{生年月日 | wareki}}", "1989-01-07", "昭和64年1月7日");
  expect("{{生年月日 | wareki}}", "1989-01-08", "平成元年1月8日");
  expect("{{生年月日 | wareki}}", "2019-04-30", "平成31年4月30日");
  expect("{{生年月日 | wareki}}", "1926-12-25", "昭和元年12月25日");
  /* dates that do not exist in their era are refused */
  expect_row_error("{{生年月日 | wareki}}", "H31.05.01", "data.format");
  expect_row_error("{{生年月日 | wareki}}", "3640108", "data.format");
  expect_row_error("{{生年月日 | wareki}}", "7310502", "data.format");
  expect_row_error("{{生年月日 | wareki}}", "S31.02.30", "data.format");
  expect_row_error("{{生年月日 | wareki}}", "yesterday", "data.format");
}

static void date_forms_for_both_variants(void **state) {
  expect("{{生年月日 | wareki:both}}", "S31.05.02", "昭和31年（1956年）5月2日");
  expect("{{生年月日 | date:both}}", "S31.05.02", "1956年（昭和31年）5月2日");
  expect("{{生年月日 | date}}", "3310502", "1956年5月2日");
  expect("{{生年月日 | date:iso}}", "S31.5.2", "1956-05-02");
  expect("{{生年月日 | wareki:year}}", "2026-10-01", "令和8年");
  expect("{{job.date | wareki}}", "", "令和8年10月1日");
}

static void fullwidth_digits(void **state) {
  expect("{{eGFR | number:1 | fullwidth}}", "", "５５.０");
  expect("{{生年月日 | fullwidth}}", "No.12-3", "No.１２-３");
  expect("{{生年月日 | fullwidth:all}}", "No.12 A", "Ｎｏ．１２　Ａ");
}

static void honorific_is_added_once(void **state) {
  expect("{{氏名 | honorific}}", "見本　一郎", "見本　一郎　様");
  expect("{{氏名 | honorific}}", "見本　一郎様", "見本　一郎様");
  expect("{{氏名 | honorific}}", "見本　一郎 様 ", "見本　一郎 様");
  expect("{{氏名 | honorific}}", "見本株式会社 御中", "見本株式会社 御中");
  expect("{{氏名 | honorific:\"殿\",\" \"}}", "見本　一郎", "見本　一郎 殿");
  expect_row_error("{{氏名 | honorific}}", "　", "data.format");
}

/* ---- rules ---------------------------------------------------------------------------- */

static const char *egfr_text(fx *f, const char *egfr) {
  return merge(f, "見本", egfr, "68", "男", "", "");
}

static void if_elif_else_chooses_one_branch(void **state) {
  fx f;
  assert_true(load(&f, "{{#if eGFR < 45}}重い{{#elif eGFR < 60}}中{{#else}}軽い{{/if}}"));
  assert_string_equal(egfr_text(&f, "30"), "重い");
  assert_string_equal(egfr_text(&f, "59.9"), "中");
  assert_string_equal(egfr_text(&f, "60"), "軽い");
  assert_string_equal(egfr_text(&f, "６０"), "軽い"); /* full-width digits are numbers */
  /* an empty value satisfies no comparison */
  assert_string_equal(egfr_text(&f, ""), "軽い");
  done(&f);
}

static void control_tags_alone_on_a_line_take_the_line(void **state) {
  fx f;
  assert_true(load(&f, "一行目\n  {{#if eGFR < 45}}\n重い\n{{#else}}\n軽い\n{{/if}}\n最後"));
  assert_string_equal(egfr_text(&f, "30"), "一行目\n重い\n最後");
  assert_string_equal(egfr_text(&f, "90"), "一行目\n軽い\n最後");
  done(&f);
}

static void rules_combine_with_and_or_not(void **state) {
  fx f;
  assert_true(
      load(&f, "{{#if (年齢 in 40..64 or 性別 == \"女\") and not flag}}yes{{#else}}no{{/if}}"));
  assert_string_equal(merge(&f, "a", "1", "50", "男", "", ""), "yes");
  assert_string_equal(merge(&f, "a", "1", "70", "女", "", ""), "yes");
  assert_string_equal(merge(&f, "a", "1", "70", "男", "", ""), "no");
  assert_string_equal(merge(&f, "a", "1", "50", "男", "", "○"), "no");
  done(&f);
  assert_true(load(&f, "{{#if 年齢 in 40..<65}}a{{/if}}{{#if 性別 in [\"男\", \"1\"]}}b{{/if}}"
                       "{{#if 性別 != \"男\"}}c{{/if}}"));
  assert_string_equal(merge(&f, "a", "1", "64.9", "1", "", ""), "abc");
  assert_string_equal(merge(&f, "a", "1", "65", "男", "", ""), "b");
  /* empty values: no comparison holds, == or != */
  assert_string_equal(merge(&f, "a", "1", "", "", "", ""), "");
  done(&f);
}

static void a_rule_on_constants_is_decided_when_loading(void **state) {
  fx f;
  assert_true(load(&f, "{{#if job.date == \"2026-10-01\"}}今年{{#else}}別{{/if}}"));
  assert_true(tg_merge_slot_is_static(f.m, text_slot(&f)));
  assert_string_equal(tg_merge_get_static(f.m, text_slot(&f)), "今年");
  done(&f);
}

static void a_value_that_is_not_a_number_rejects_the_row(void **state) {
  fx f;
  assert_true(load(&f, "{{#if eGFR < 45}}重い{{/if}}"));
  assert_null(egfr_text(&f, "未測定"));
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_string_equal(e->code, "data.not-a-number");
  assert_string_equal(e->column, "eGFR");
  assert_string_equal(e->message, "the value is not a number, which the rule at t.yaml:11 needs");
  done(&f);
}

static void branches_not_taken_are_not_evaluated(void **state) {
  fx f;
  /* the number filter would reject an empty eGFR, but the branch is not taken */
  assert_true(load(&f, "{{#if eGFR}}{{eGFR | number:1}}{{#else}}未測定{{/if}}"));
  assert_string_equal(egfr_text(&f, ""), "未測定");
  assert_string_equal(egfr_text(&f, "55"), "55.0");
  done(&f);
}

/* ---- spans and ruby ---------------------------------------------------------------------- */

static const tg_attrs *attrs_of(fx *f) { return f->l->attrs[text_slot(f)]; }

static void spans_cover_the_merged_value(void **state) {
  fx f;
  assert_true(load(&f, "[b]{{氏名}}[/b] 様、[color=accent]{{eGFR}}[/color]"));
  const char *v = merge(&f, "見本　一郎", "57.6", "68", "男", "", "");
  assert_string_equal(v, "見本　一郎 様、57.6");
  const tg_attrs *a = attrs_of(&f);
  assert_int_equal(a->n, 2);
  assert_int_equal(a->v[0].type, TG_ATTR_WEIGHT);
  assert_int_equal(a->v[0].start, 0);
  assert_int_equal(a->v[0].end, strlen("見本　一郎"));
  assert_int_equal(a->v[0].u.weight, 700);
  assert_int_equal(a->v[1].type, TG_ATTR_COLOR);
  assert_int_equal(a->v[1].start, strlen("見本　一郎 様、"));
  assert_int_equal(a->v[1].end, strlen(v));
  assert_int_equal(a->v[1].u.color, 0xC00000FF);
  /* a longer name moves the ranges with it */
  v = merge(&f, "長い名前の見本　一郎", "5", "68", "男", "", "");
  a = attrs_of(&f);
  assert_int_equal(a->v[0].end, strlen("長い名前の見本　一郎"));
  assert_int_equal(a->v[1].start, strlen("長い名前の見本　一郎 様、"));
  assert_int_equal(a->v[1].end, strlen(v));
  done(&f);
}

static void nested_spans_of_one_kind_do_not_overlap(void **state) {
  fx f;
  assert_true(load(&f, "[color=#FF0000]ab[color=#0000FF]cd[/color]ef[/color][[x]"));
  assert_true(tg_merge_slot_is_static(f.m, text_slot(&f)));
  assert_string_equal(tg_merge_get_static(f.m, text_slot(&f)), "abcdef[x]");
  const tg_attrs *a = tg_merge_get_static_attrs(f.m, text_slot(&f));
  assert_int_equal(a->n, 3);
  uint32_t want[3][3] = {{0, 2, 0xFF0000FF}, {2, 4, 0x0000FFFF}, {4, 6, 0xFF0000FF}};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(a->v[i].start, want[i][0]);
    assert_int_equal(a->v[i].end, want[i][1]);
    assert_int_equal(a->v[i].u.color, want[i][2]);
  }
  done(&f);
}

static void ruby_becomes_an_attribute_over_its_base(void **state) {
  fx f;
  assert_true(load(&f, "{腎臓|じんぞう}の[size=12pt]{検査|けんさ}[/size]"));
  assert_string_equal(tg_merge_get_static(f.m, text_slot(&f)), "腎臓の検査");
  const tg_attrs *a = tg_merge_get_static_attrs(f.m, text_slot(&f));
  assert_int_equal(a->n, 3);
  assert_int_equal(a->v[0].type, TG_ATTR_RUBY);
  assert_string_equal(a->v[0].u.ruby, "じんぞう");
  assert_int_equal(a->v[0].end, strlen("腎臓"));
  assert_int_equal(a->v[1].type, TG_ATTR_SIZE);
  assert_int_equal(a->v[2].type, TG_ATTR_RUBY);
  assert_string_equal(a->v[2].u.ruby, "けんさ");
  done(&f);
}

static void markup_in_a_value_is_text(void **state) {
  fx f;
  assert_true(load(&f, "[u]{{氏名}}[/u]"));
  const char *v = merge(&f, "[b]山田[/b] {腎|じん} {{x}}", "1", "1", "男", "", "");
  assert_string_equal(v, "[b]山田[/b] {腎|じん} {{x}}");
  assert_int_equal(attrs_of(&f)->n, 1); /* only the design's [u] */
  done(&f);
}

static void spans_report_the_faces_they_need(void **state) {
  fx f;
  assert_true(load(&f, "[font=BIZ UDPMincho]明朝[b]太字[/b][/font]"));
  size_t n;
  const tg_face_request *r = tg_merge_get_face_requests(f.m, text_slot(&f), &n);
  assert_int_equal(n, 2);
  assert_string_equal(r[0].family, "BIZ UDPMincho");
  assert_int_equal(r[0].weight, 0);
  assert_string_equal(r[1].family, "BIZ UDPMincho");
  assert_int_equal(r[1].weight, 700);
  assert_int_equal(r[1].span.col, 33); /* the [b] tag */
  done(&f);
}

/* ---- mistakes, found when the design loads ------------------------------------------------- */

static void mistakes_are_load_errors_at_their_column(void **state) {
  /* line 11 is the first line of the text; column 11 its first character */
  expect_load_error("ab[bold]c[/bold]", "markup.unknown-tag", 11, 13);
  expect_load_error("ab[b]c", "markup.unclosed", 11, 13);
  expect_load_error("[b]a[/u]", "markup.mismatch", 11, 15);
  expect_load_error("[color=red]a[/color]", "markup.color", 11, 18);
  expect_load_error("[size=12]a[/size]", "markup.size", 11, 17);
  expect_load_error("{{#if eGFR < 45}}a", "template.if", 11, 11);
  expect_load_error("a{{/if}}", "template.if", 11, 12);
  expect_load_error("{{#if eGFR <}}a{{/if}}", "template.rule", 11, 22);
  expect_load_error("{{#if eGFR = 45}}a{{/if}}", "template.rule", 11, 22);
  expect_load_error("{{#if 性別 < \"男\"}}a{{/if}}", "template.rule-type", 11, 20);
  expect_load_error("{{#if eGFR && 年齢}}a{{/if}}", "template.rule", 11, 22);
  expect_load_error("{{#if 年令 > 3}}a{{/if}}", "template.unknown-field", 11, 17);
  expect_load_error("{{#if 年齢 in 64..40}}a{{/if}}", "template.rule-range", 11, 23);
  expect_load_error("{{#each 年齢}}a", "template.unknown-tag", 11, 13);
  expect_load_error("{{生年月日 | wareki:short}}", "template.filter-args", 11, 20);
  expect_load_error("{{eGFR | number:9}}", "template.filter-args", 11, 20);
  expect_load_error("{{page.numbr}}", "template.unknown-field", 11, 13);
  expect_load_error("{病院|びょういん", "ruby.unclosed", 11, 11);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(wareki_reads_every_kdb_date_form),
      cmocka_unit_test(era_boundaries_are_exact),
      cmocka_unit_test(date_forms_for_both_variants),
      cmocka_unit_test(fullwidth_digits),
      cmocka_unit_test(honorific_is_added_once),
      cmocka_unit_test(if_elif_else_chooses_one_branch),
      cmocka_unit_test(control_tags_alone_on_a_line_take_the_line),
      cmocka_unit_test(rules_combine_with_and_or_not),
      cmocka_unit_test(a_rule_on_constants_is_decided_when_loading),
      cmocka_unit_test(a_value_that_is_not_a_number_rejects_the_row),
      cmocka_unit_test(branches_not_taken_are_not_evaluated),
      cmocka_unit_test(spans_cover_the_merged_value),
      cmocka_unit_test(nested_spans_of_one_kind_do_not_overlap),
      cmocka_unit_test(ruby_becomes_an_attribute_over_its_base),
      cmocka_unit_test(markup_in_a_value_is_text),
      cmocka_unit_test(spans_report_the_faces_they_need),
      cmocka_unit_test(mistakes_are_load_errors_at_their_column),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
