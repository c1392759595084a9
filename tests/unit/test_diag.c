/* test_diag.c — diagnostics: gcc-style locations, carets under full-width
 * text, repeated messages summarised, exit codes by kind. */
#include "tg_test.h"

static void caret_sits_under_the_span(void **state) {
  tg_source *src = tg_source_new("design.yaml", "kind: design\n  widht: 170mm\n", 28);
  tg_diag *d = tg_diag_new();
  tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "schema.unknown-key", (tg_span){src, 2, 3, 5},
             "unknown key '%s'", "widht");
  tg_diag_hint(d, "did you mean '%s'?", "width");
  tg_source_free(src); /* the diagnostic keeps the source alive */
  char *text = tg_test_diag_text(d);
  assert_string_equal(text, "design.yaml:2:3: error: unknown key 'widht' [schema.unknown-key]\n"
                            " 2 |   widht: 170mm\n"
                            "   |   ^~~~~\n"
                            "  hint: did you mean 'width'?\n");
  g_free(text);
  tg_diag_free(d);
}

static void caret_counts_full_width_characters_as_two_cells(void **state) {
  const char *t = "text: {{氏命}} 様\n";
  tg_source *src = tg_source_new("d.yaml", t, strlen(t));
  tg_diag *d = tg_diag_new();
  /* column 9 is 氏 (characters, not bytes), two characters long */
  tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "template.unknown-field", (tg_span){src, 1, 9, 2}, "x");
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, " 1 | text: {{氏命}} 様\n   |         ^~~~\n"));
  g_free(text);
  tg_diag_free(d);
  tg_source_free(src);
}

static void data_errors_name_file_row_and_column(void **state) {
  tg_diag *d = tg_diag_new();
  tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "data.encoding", "list.csv", 12, "氏名",
              "invalid UTF-8 byte 0x%02X", 0x82);
  char *text = tg_test_diag_text(d);
  assert_string_equal(
      text, "list.csv: row 12, column 氏名: error: invalid UTF-8 byte 0x82 [data.encoding]\n");
  g_free(text);
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_REJECTED);
  tg_diag_free(d);
}

static void repeats_beyond_the_limit_are_counted_not_stored(void **state) {
  tg_diag *d = tg_diag_new();
  tg_diag_set_repeat_limit(d, 3);
  for (int i = 0; i < 10000; i++)
    tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "data.x", "l.csv", (uint64_t)i + 2, NULL, "same");
  assert_int_equal(tg_diag_count(d), 4); /* 3 kept + 1 summary */
  const tg_diag_entry *sum = tg_diag_get(d, 3);
  assert_int_equal(sum->repeats, 9997);
  assert_string_equal(sum->message, "... and 9997 more like this");
  assert_int_equal(tg_diag_count_at_least(d, TG_WARNING), 10000);
  tg_diag_free(d);
}

static void taking_from_another_collector_keeps_the_limit(void **state) {
  tg_diag *main_d = tg_diag_new(), *row = tg_diag_new();
  tg_diag_set_repeat_limit(main_d, 2);
  for (int i = 0; i < 5; i++) {
    tg_diag_row(row, TG_ERROR, TG_KIND_DATA, "data.y", "l.csv", (uint64_t)i, NULL, "bad");
    tg_diag_take(main_d, row);
    assert_int_equal(tg_diag_count(row), 0);
  }
  assert_int_equal(tg_diag_count(main_d), 3);
  assert_int_equal(tg_diag_count_at_least(main_d, TG_ERROR), 5);
  tg_diag_free(main_d);
  tg_diag_free(row);
}

static void exit_code_follows_the_worst_kind(void **state) {
  tg_diag *d = tg_diag_new();
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_OK);
  tg_diag_add(d, TG_WARNING, TG_KIND_SYSTEM, "w", "only a warning");
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_OK);
  tg_diag_row(d, TG_ERROR, TG_KIND_LAYOUT, "layout.overflow", "l.csv", 3, NULL, "too long");
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_REJECTED);
  tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "schema.x", "bad design");
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_INVALID);
  tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "disk full");
  assert_int_equal(tg_diag_exit_code(d), TG_EXIT_SYSTEM);
  tg_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(caret_sits_under_the_span),
      cmocka_unit_test(caret_counts_full_width_characters_as_two_cells),
      cmocka_unit_test(data_errors_name_file_row_and_column),
      cmocka_unit_test(repeats_beyond_the_limit_are_counted_not_stored),
      cmocka_unit_test(taking_from_another_collector_keeps_the_limit),
      cmocka_unit_test(exit_code_follows_the_worst_kind),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
