/* test_csvfield.c — one CSV field as tegami writes it into every CSV it
 * produces (rejected.csv, manifest.csv, assignment.csv, the mailing list,
 * evaluation.csv): RFC 4180 quoting, and values a spreadsheet would run as
 * formulas written as text (CSV injection). */
#include "tg_test.h"

/* The field as written (newly allocated). */
static char *field(const char *value) {
  GString *g = g_string_new(NULL);
  tg_csv_append_field(g, value);
  return g_string_free(g, FALSE);
}

static void assert_field(const char *value, const char *written) {
  char *f = field(value);
  assert_string_equal(f, written);
  g_free(f);
}

static void plain_values_are_written_as_they_are(void **state) {
  assert_field("見本　太郎", "見本　太郎");
  assert_field("14000000001", "14000000001");
  assert_field("", "");
  assert_field(NULL, "");
  assert_field("a - b", "a - b"); /* a minus inside is no formula */
  assert_field("ｷﾐﾂ ｲﾁﾛｳ", "ｷﾐﾂ ｲﾁﾛｳ");
}

static void commas_quotes_and_line_breaks_are_quoted(void **state) {
  assert_field("a,b", "\"a,b\"");
  assert_field("say \"hi\"", "\"say \"\"hi\"\"\"");
  assert_field("line1\nline2", "\"line1\nline2\"");
}

static void formula_characters_are_neutralised(void **state) {
  assert_field("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
  assert_field("+1", "\"'+1\"");
  assert_field("-1", "\"'-1\"");
  assert_field("@SUM(A1)", "\"'@SUM(A1)\"");
  assert_field("\tx", "\"'\tx\"");
  assert_field("\rx", "\"'\rx\"");
}

/* A spreadsheet skips leading blanks before a formula. */
static void formulas_after_blanks_are_neutralised(void **state) {
  assert_field(" =1+1", "\"' =1+1\"");
  assert_field("   @SUM(A1)", "\"'   @SUM(A1)\"");
  assert_field("\t=1", "\"'\t=1\"");
  assert_field("\n=1", "\"'\n=1\"");
  assert_field("　=1", "\"'　=1\"");             /* ideographic space */
  assert_field("\xC2\xA0+1", "\"'\xC2\xA0+1\""); /* no-break space */
  assert_field("   ", "   ");                    /* blanks alone are no formula */
  assert_field(" 1", " 1");
}

/* Japanese Excel takes the full-width (and small) forms for the ASCII ones. */
static void full_width_formula_characters_are_neutralised(void **state) {
  assert_field("＝HYPERLINK(\"x\")", "\"'＝HYPERLINK(\"\"x\"\")\"");
  assert_field("＋1", "\"'＋1\"");
  assert_field("－1", "\"'－1\"");
  assert_field("＠SUM(A1)", "\"'＠SUM(A1)\"");
  assert_field(" ＝1", "\"' ＝1\"");
  assert_field("　＠x", "\"'　＠x\"");
  assert_field("﹦1", "\"'﹦1\"");
  assert_field("見本＝1", "見本＝1"); /* only at the start */
}

/* A long run of blanks is looked at once: linear, whatever its length. */
static void a_field_of_blanks_is_checked_in_one_pass(void **state) {
  GString *v = g_string_new(NULL);
  for (int i = 0; i < 1000000; i++)
    g_string_append_c(v, ' ');
  g_string_append_c(v, '=');
  char *f = field(v->str);
  assert_int_equal(strlen(f), v->len + 3);
  assert_int_equal(f[1], '\'');
  g_free(f);
  g_string_free(v, TRUE);
}

static void a_field_is_written_to_a_file_the_same_way(void **state) {
  char *path = tg_test_write_temp("out.csv", "", 0);
  FILE *fp = fopen(path, "wb");
  tg_csv_write_field(fp, "＝1");
  fclose(fp);
  char *text = NULL;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  assert_string_equal(text, "\"'＝1\"");
  g_free(text);
  tg_test_remove_temp(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(plain_values_are_written_as_they_are),
      cmocka_unit_test(commas_quotes_and_line_breaks_are_quoted),
      cmocka_unit_test(formula_characters_are_neutralised),
      cmocka_unit_test(formulas_after_blanks_are_neutralised),
      cmocka_unit_test(full_width_formula_characters_are_neutralised),
      cmocka_unit_test(a_field_of_blanks_is_checked_in_one_pass),
      cmocka_unit_test(a_field_is_written_to_a_file_the_same_way),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
