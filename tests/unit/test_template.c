/* test_template.c — templates: placeholders checked against the list's
 * columns when the design loads, filters, static slots, values as plain text. */
#include "tg_test.h"

static const char *const COLUMNS[] = {"KDB個人番号", "氏名", "郵便番号", "eGFR"};

static tg_design *design_with_text(const char *text, tg_diag *d) {
  char *yaml = g_strdup_printf("kind: design\npages:\n  - blocks:\n      - type: text\n"
                               "        x: 10mm\n        y: 10mm\n        width: 100mm\n"
                               "        text: \"%s\"\n",
                               text);
  tg_design *ds = tg_design_load_text("t.yaml", yaml, strlen(yaml), d);
  g_free(yaml);
  return ds;
}

static tg_merge *compile(const char *text, tg_design **ds, tg_values **v, tg_diag *d) {
  *ds = design_with_text(text, d);
  assert_non_null(*ds);
  *v = tg_values_new();
  tg_values_set(*v, "sender.name", "見本市 保険年金課");
  tg_values_set(*v, "job.date", "2026-10-01");
  return tg_merge_new(*ds, COLUMNS, 4, *v, d);
}

static const char *merge_one(tg_merge *m, const char *const *fields, tg_letter **l, tg_diag *d) {
  static size_t lengths[4];
  for (int i = 0; i < 4; i++)
    lengths[i] = strlen(fields[i]);
  static tg_row row;
  row = (tg_row){.number = 2, .nfields = 4, .fields = fields, .lengths = lengths};
  *l = tg_letter_new(m);
  if (!tg_merge_row(m, &row, "list.csv", *l, d)) return NULL;
  return (*l)->values[0];
}

static void fields_and_constants_are_merged(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  tg_merge *m = compile("{{氏名}} 様（{{ sender.name }}）", &ds, &v, d);
  assert_non_null(m);
  assert_false(tg_merge_slot_is_static(m, 0));
  const char *f[] = {"14000000001", "見本　一郎", "2520028", "55.0"};
  tg_letter *l;
  assert_string_equal(merge_one(m, f, &l, d), "見本　一郎 様（見本市 保険年金課）");
  tg_letter_free(l);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

/* The letter's experiment arm, set by the run before the merge, prints. */
static void the_letters_arm_is_a_letter_value(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  tg_merge *m = compile("案内 {{letter.arm}}", &ds, &v, d);
  assert_non_null(m);
  const char *f[] = {"1", "見本　一郎", "2520028", "55.0"};
  size_t lengths[4];
  for (int i = 0; i < 4; i++)
    lengths[i] = strlen(f[i]);
  tg_row row = {.number = 2, .nfields = 4, .fields = f, .lengths = lengths};
  tg_letter *l = tg_letter_new(m);
  l->arm_name = "gain";
  assert_true(tg_merge_row(m, &row, "list.csv", l, d));
  assert_string_equal(l->values[0], "案内 gain");
  l->arm_name = NULL; /* no experiment: empty */
  assert_true(tg_merge_row(m, &row, "list.csv", l, d));
  assert_string_equal(l->values[0], "案内 ");
  tg_letter_free(l);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void markup_in_values_stays_literal(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  tg_merge *m = compile("{{氏名}}", &ds, &v, d);
  const char *f[] = {"1", "<b>山田</b> & {{氏名}}", "", ""};
  tg_letter *l;
  assert_string_equal(merge_one(m, f, &l, d), "<b>山田</b> & {{氏名}}");
  tg_letter_free(l);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void an_unknown_field_is_a_load_error_at_its_column(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  tg_merge *m = compile("ご案内 {{氏命}} 様", &ds, &v, d);
  assert_null(m);
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_string_equal(e->code, "template.unknown-field");
  assert_int_equal(e->span.line, 8);
  assert_int_equal(e->span.col, 22); /* 氏: 8 spaces, `text: "`, ご案内, a space, {{ */
  assert_int_equal(e->span.len, 2);
  assert_string_equal(e->hint, "did you mean '氏名'?");
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void syntax_errors_are_located(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  assert_null(compile("{{氏名 様", &ds, &v, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "template.unterminated");
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_clear(d);
  assert_null(compile("{{氏名 | postl}}", &ds, &v, d));
  assert_string_equal(tg_diag_get(d, 0)->code, "template.unknown-filter");
  assert_string_equal(tg_diag_get(d, 0)->hint, "did you mean 'postal'?");
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void texts_without_fields_are_static_and_computed_once(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  tg_merge *m = compile("{{job.date | wareki}} {{sender.name}}", &ds, &v, d);
  assert_true(tg_merge_slot_is_static(m, 0));
  assert_string_equal(tg_merge_get_static(m, 0), "令和8年10月1日 見本市 保険年金課");
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

static void filters_format_values(void **state) {
  struct {
    const char *tmpl, *value, *want;
  } cases[] = {
      {"{{郵便番号 | postal}}", "2520028", "252-0028"},
      {"{{郵便番号 | postal}}", "２５２－００２８", "252-0028"},
      {"{{eGFR | number:1}}", "57.65", "57.7"},
      {"{{eGFR | number}}", "140.0", "140"},
      {"{{eGFR | number:2}}", "-0.001", "0.00"},
      {"{{eGFR | wareki}}", "2019-05-01", "令和元年5月1日"},
      {"{{eGFR | wareki}}", "2019-04-30", "平成31年4月30日"},
      {"{{eGFR | wareki}}", "1989-01-07", "昭和64年1月7日"},
      {"{{eGFR | wareki}}", "1926-12-25", "昭和元年12月25日"},
      {"{{eGFR | date}}", "2026/10/01", "2026年10月1日"},
      {"{{eGFR | default:\\\"—\\\"}}", "", "—"},
      {"{{eGFR | trim}}", "　55 ", "55"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    tg_diag *d = tg_diag_new();
    tg_design *ds;
    tg_values *v;
    tg_merge *m = compile(cases[i].tmpl, &ds, &v, d);
    assert_non_null(m);
    const char *f[] = {"1", "n", cases[i].value, cases[i].value};
    tg_letter *l;
    const char *got = merge_one(m, f, &l, d);
    assert_non_null(got);
    assert_string_equal(got, cases[i].want);
    tg_letter_free(l);
    tg_merge_free(m);
    tg_values_free(v);
    tg_design_free(ds);
    tg_diag_free(d);
  }
}

static void a_value_a_filter_cannot_format_rejects_the_row_without_quoting_it(void **state) {
  tg_diag *d = tg_diag_new();
  tg_design *ds;
  tg_values *v;
  tg_merge *m = compile("〒{{郵便番号 | postal}}", &ds, &v, d);
  const char *f[] = {"1", "n", "252-00", ""};
  tg_letter *l;
  assert_null(merge_one(m, f, &l, d));
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_string_equal(e->column, "郵便番号");
  assert_int_equal(e->row, 2);
  assert_string_equal(e->message, "the value is not a 7-digit postal code");
  tg_letter_free(l);
  tg_merge_free(m);
  tg_values_free(v);
  tg_design_free(ds);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fields_and_constants_are_merged),
      cmocka_unit_test(the_letters_arm_is_a_letter_value),
      cmocka_unit_test(markup_in_values_stays_literal),
      cmocka_unit_test(an_unknown_field_is_a_load_error_at_its_column),
      cmocka_unit_test(syntax_errors_are_located),
      cmocka_unit_test(texts_without_fields_are_static_and_computed_once),
      cmocka_unit_test(filters_format_values),
      cmocka_unit_test(a_value_a_filter_cannot_format_rejects_the_row_without_quoting_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
