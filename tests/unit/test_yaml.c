/* test_yaml.c — the YAML tree: positions of keys and values, positions inside
 * block scalars and quoted strings, and what is refused (aliases, duplicate
 * keys, deep nesting). */
#include "tg_test.h"

static tg_ydoc *parse(const char *text, tg_source **src, tg_diag *d) {
  *src = tg_source_new("t.yaml", text, strlen(text));
  return tg_ydoc_parse(*src, d);
}

static void nodes_know_their_line_and_column(void **state) {
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse("a:\n  氏名です: value\n", &src, d);
  assert_non_null(doc);
  tg_ynode *a = tg_ymap_get(tg_ydoc_get_root(doc), "a");
  tg_ynode *v = tg_ymap_get(a, "氏名です");
  tg_span s = tg_ynode_span(v);
  assert_int_equal(s.line, 2);
  assert_int_equal(s.col, 9); /* characters, not bytes */
  assert_int_equal(s.len, 5);
  tg_ydoc_free(doc);
  tg_source_free(src);
  tg_diag_free(d);
}

static void positions_inside_a_literal_block(void **state) {
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse("text: |\n  一行目\n  二行目 {{氏名}} 様\n", &src, d);
  tg_ynode *t = tg_ymap_get(tg_ydoc_get_root(doc), "text");
  const char *at = strstr(t->value, "{{氏名}}");
  tg_span s = tg_ynode_value_span(t, (size_t)(at - t->value) + 2, strlen("氏名"));
  assert_int_equal(s.line, 3);
  assert_int_equal(s.col, 9);
  assert_int_equal(s.len, 2);
  tg_ydoc_free(doc);
  tg_source_free(src);
  tg_diag_free(d);
}

static void positions_inside_a_double_quoted_string_with_escapes(void **state) {
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse("t: \"a\\tb {{x}}\"\n", &src, d);
  tg_ynode *t = tg_ymap_get(tg_ydoc_get_root(doc), "t");
  assert_string_equal(t->value, "a\tb {{x}}");
  tg_span s = tg_ynode_value_span(t, 6, 1); /* the x */
  assert_int_equal(s.line, 1);
  assert_int_equal(s.col, 12); /* t: "a\tb {{ is 11 characters in the source */
  tg_ydoc_free(doc);
  tg_source_free(src);
  tg_diag_free(d);
}

static void aliases_are_refused(void **state) {
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse("a: &x [1, 2]\nb: *x\n", &src, d);
  assert_null(doc);
  assert_string_equal(tg_diag_get(d, 0)->code, "yaml.alias");
  tg_source_free(src);
  tg_diag_free(d);
}

static void duplicate_keys_are_refused_with_the_first_line(void **state) {
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse("x: 1\ny: 2\nx: 3\n", &src, d);
  assert_null(doc);
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_string_equal(e->code, "yaml.duplicate-key");
  assert_int_equal(e->span.line, 3);
  assert_string_equal(e->message, "duplicate key 'x' (first given on line 1)");
  tg_source_free(src);
  tg_diag_free(d);
}

static void duplicate_keys_are_found_in_large_maps_too(void **state) {
  /* past a few keys the check goes through a hash index (linear time) */
  GString *y = g_string_new(NULL);
  for (int i = 1; i <= 5000; i++)
    g_string_append_printf(y, "k%d: %d\n", i, i);
  g_string_append(y, "k4321: again\n");
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse(y->str, &src, d);
  assert_null(doc);
  const tg_diag_entry *e = tg_diag_get(d, 0);
  assert_string_equal(e->code, "yaml.duplicate-key");
  assert_int_equal(e->span.line, 5001);
  assert_string_equal(e->message, "duplicate key 'k4321' (first given on line 4321)");
  tg_source_free(src);
  tg_diag_free(d);
  /* and a large map without duplicates is accepted whole */
  g_string_truncate(y, y->len - strlen("k4321: again\n"));
  d = tg_diag_new();
  doc = parse(y->str, &src, d);
  assert_non_null(doc);
  assert_int_equal(tg_ydoc_get_root(doc)->n, 5000);
  assert_non_null(tg_ymap_get(tg_ydoc_get_root(doc), "k17"));
  tg_ydoc_free(doc);
  tg_source_free(src);
  tg_diag_free(d);
  g_string_free(y, TRUE);
}

static void nesting_is_bounded(void **state) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 200; i++)
    g_string_append_c(s, '[');
  for (int i = 0; i < 200; i++)
    g_string_append_c(s, ']');
  tg_diag *d = tg_diag_new();
  tg_source *src;
  tg_ydoc *doc = parse(s->str, &src, d);
  assert_null(doc);
  assert_string_equal(tg_diag_get(d, 0)->code, "yaml.too-deep");
  g_string_free(s, TRUE);
  tg_source_free(src);
  tg_diag_free(d);
}

static void lengths_need_units(void **state) {
  double v;
  tg_unit u;
  assert_true(tg_parse_length("20mm", &v, &u));
  assert_true(u == TG_UNIT_MM && v == 20);
  assert_true(tg_parse_length("10.5pt", &v, &u));
  assert_true(u == TG_UNIT_PT && v == 10.5);
  assert_true(tg_parse_length("2 cm", &v, &u));
  assert_true(u == TG_UNIT_CM && v == 2);
  assert_true(tg_parse_length("1.6", &v, &u));
  assert_true(u == TG_UNIT_NONE);
  assert_false(tg_parse_length("20px", &v, &u));
  assert_false(tg_parse_length("mm", &v, &u));
  assert_false(tg_parse_length("1e3mm", &v, &u));
  assert_false(tg_parse_length("nanmm", &v, &u));
}

static void suggestions_find_near_misses(void **state) {
  const char *keys[] = {"width", "height", "style", "text"};
  assert_string_equal(tg_suggest("widht", keys, 4), "width");
  assert_string_equal(tg_suggest("Style", keys, 4), "style");
  assert_null(tg_suggest("colour", keys, 4));
  const char *cols[] = {"氏名", "氏名カナ", "住所"};
  assert_string_equal(tg_suggest("氏命", cols, 3), "氏名");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nodes_know_their_line_and_column),
      cmocka_unit_test(duplicate_keys_are_found_in_large_maps_too),
      cmocka_unit_test(positions_inside_a_literal_block),
      cmocka_unit_test(positions_inside_a_double_quoted_string_with_escapes),
      cmocka_unit_test(aliases_are_refused),
      cmocka_unit_test(duplicate_keys_are_refused_with_the_first_line),
      cmocka_unit_test(nesting_is_bounded),
      cmocka_unit_test(lengths_need_units),
      cmocka_unit_test(suggestions_find_near_misses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
