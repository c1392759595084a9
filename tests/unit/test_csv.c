/* test_csv.c — reading target lists: RFC 4180 quoting, line ends, BOM,
 * rows that cannot be read faithfully, blank lines, coming back to a row. */
#include "tg_test.h"

typedef struct {
  char *path;
  tg_targets *t;
  tg_diag *d;
} fixture;

static fixture open_text(const char *text) {
  fixture f;
  f.path = tg_test_write_temp("list.csv", text, strlen(text));
  f.d = tg_diag_new();
  f.t = tg_targets_open(f.path, NULL, f.d);
  return f;
}

static void close_fixture(fixture *f) {
  tg_targets_free(f->t);
  tg_diag_free(f->d);
  tg_test_remove_temp(f->path);
}

static void header_names_the_columns(void **state) {
  fixture f = open_text("\xEF\xBB\xBF"
                        "KDB個人番号,氏名 ,住所\r\n");
  assert_non_null(f.t);
  assert_int_equal(tg_targets_get_column_count(f.t), 3);
  assert_string_equal(tg_targets_get_column_name(f.t, 0), "KDB個人番号"); /* BOM gone */
  assert_int_equal(tg_targets_find_column(f.t, "氏名"), 1);               /* trimmed */
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 0);
  close_fixture(&f);
}

static void quoted_fields_keep_commas_quotes_and_line_breaks(void **state) {
  fixture f = open_text("a,b,c\n\"1,5\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\n");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_false(r.rejected);
  assert_int_equal(r.number, 2);
  assert_string_equal(r.fields[0], "1,5");
  assert_string_equal(r.fields[1], "say \"hi\"");
  assert_string_equal(r.fields[2], "line1\nline2");
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 0);
  close_fixture(&f);
}

static void rows_are_numbered_like_a_spreadsheet_and_blank_lines_skipped(void **state) {
  fixture f = open_text("a,b\r\n1,2\r\n\r\n,\r\n3,4");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_int_equal(r.number, 2);
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_int_equal(r.number, 5);         /* rows 3 and 4 were blank */
  assert_string_equal(r.fields[1], "4"); /* no final line end needed */
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 0);
  assert_int_equal(tg_targets_get_blank_count(f.t), 2);
  close_fixture(&f);
}

static void a_row_with_the_wrong_field_count_is_rejected_by_name(void **state) {
  fixture f = open_text("a,b,c\n1,2\n4,5,6\n");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.field-count");
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_false(r.rejected);
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_int_equal(e->row, 2);
  assert_string_equal(e->message, "the row has 2 fields but the header has 3");
  close_fixture(&f);
}

static void invalid_utf8_is_reported_with_row_column_and_byte(void **state) {
  fixture f = open_text("KDB個人番号,氏名\n1,\x82\xA0\n");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_true(r.rejected);
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_string_equal(e->column, "氏名");
  assert_string_equal(e->message, "invalid UTF-8 byte 0x82 at byte 1 of the field");
  close_fixture(&f);
}

/* A quote that opens and never closes takes in every line after it: the
 * people on those lines must not vanish while the counts still balance. */
static void a_quote_that_swallows_the_rows_after_it_refuses_the_list(void **state) {
  fixture f = open_text("a,b\n1,\"open\n2,3\n4,5\n");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), -1);
  const tg_diag_entry *e = tg_diag_get(f.d, 0);
  assert_string_equal(e->code, "targets.broken-quote");
  assert_int_equal(e->row, 2); /* where the quote opened */
  assert_non_null(strstr(e->message, "(line 2) runs over 3 line ends and never closes"));
  close_fixture(&f);
}

/* A stray quote closed by the quote of a later row: the record looks
 * complete, but text follows its closing quote. */
static void a_quote_closed_by_a_later_row_refuses_the_list(void **state) {
  fixture f = open_text("a,b,c\n1,\"x,y\n2,\"z\",w\n3,4,5\n");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), -1);
  assert_string_equal(tg_diag_get(f.d, 0)->code, "targets.broken-quote");
  close_fixture(&f);
}

/* ... or a quote closed at the end of a later row, leaving too few fields. */
static void a_quote_closed_at_the_end_of_a_later_row_refuses_the_list(void **state) {
  fixture f = open_text("a,b,c\n1,\"x\n2,y,z\"\n3,4,5\n");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), -1);
  assert_non_null(strstr(tg_diag_get(f.d, 0)->message, "wrong number of fields"));
  close_fixture(&f);
}

/* A list cut off inside the quoted field of its last line took in no other
 * line: that row alone is rejected. */
static void a_quote_left_open_on_the_last_line_rejects_that_row(void **state) {
  fixture f = open_text("a,b\n1,2\n3,\"open");
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_false(r.rejected);
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.unterminated-quote");
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 0);
  close_fixture(&f);
}

/* The reader's own count of physical lines, made without looking at quotes,
 * matches what the rows account for — through CRLF, a lone CR, blank lines,
 * line breaks inside quotes, title lines and no final line end. */
static void every_line_is_a_header_line_a_row_a_blank_line_or_a_field_break(void **state) {
  const char *lists[] = {
      "a,b\n1,2\n",
      "a,b\r\n1,2\r\n\r\n3,\"x\r\ny\ry\"\r\n,\r\n4,5",
      "a,b\r1,2\r\r",
      "\"a\nb\",c\n1,2\n\n",
      "a\n\"\"\"quoted\"\"\n\"\n\n\n",
      "a,b",
  };
  for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
    fixture f = open_text(lists[i]);
    assert_non_null(f.t);
    tg_row r;
    uint64_t rows = 0;
    int st;
    while ((st = tg_targets_next(f.t, &r, f.d)) == 1)
      rows++;
    assert_int_equal(st, 0);
    uint64_t lines = tg_targets_get_line_count(f.t);
    assert_true(lines > 0);
    assert_int_equal(lines, tg_targets_get_header_line_count(f.t) + rows +
                                tg_targets_get_blank_count(f.t) +
                                tg_targets_get_field_break_count(f.t));
    close_fixture(&f);
  }
}

/* The same across the reader's 256 KiB buffer: a CRLF and a lone CR whose
 * CR is the last byte of a buffer. */
static void line_ends_are_counted_across_the_reader_buffer(void **state) {
  for (int lone = 0; lone < 2; lone++) {
    GString *s = g_string_new("a,b\n");
    while (s->len < 256 * 1024 - 1)
      g_string_append(s, s->len % 10 ? "x" : "\n");
    g_string_truncate(s, 256 * 1024 - 1);
    g_string_append(s, lone ? "\r1,2\n" : "\r\n1,2\n");
    fixture f = open_text(s->str);
    tg_row r;
    uint64_t rows = 0;
    while (tg_targets_next(f.t, &r, f.d) == 1)
      rows++;
    assert_int_equal(tg_targets_get_line_count(f.t), tg_targets_get_header_line_count(f.t) + rows +
                                                         tg_targets_get_blank_count(f.t) +
                                                         tg_targets_get_field_break_count(f.t));
    g_string_free(s, TRUE);
    close_fixture(&f);
  }
}

/* A header line of a million commas would be a million columns: refused at
 * once, before a single column is built. */
static void a_header_of_a_million_columns_is_refused(void **state) {
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 1000000; i++)
    g_string_append(s, "c,");
  g_string_append(s, "\n1\n");
  fixture f = open_text(s->str);
  assert_null(f.t);
  assert_string_equal(tg_diag_get(f.d, 0)->code, "targets.too-many-columns");
  g_string_free(s, TRUE);
  close_fixture(&f);
}

/* A row of a million fields keeps no more than the limit (memory bounded by
 * design), is rejected, and the next row reads normally. */
static void a_row_of_a_million_fields_is_rejected_and_kept_bounded(void **state) {
  GString *s = g_string_new("a,b\n");
  for (int i = 0; i < 1000000; i++)
    g_string_append(s, "x,");
  g_string_append(s, "\"a\"\"b\"\n2,ok\n");
  fixture f = open_text(s->str);
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.field-count");
  assert_true(r.nfields <= TG_TARGETS_MAX_FIELDS);
  assert_int_equal(tg_targets_next(f.t, &r, f.d),
                   1); /* the quotes beyond the limit were followed */
  assert_false(r.rejected);
  assert_int_equal(r.number, 3);
  assert_string_equal(r.fields[1], "ok");
  g_string_free(s, TRUE);
  close_fixture(&f);
}

static void duplicate_column_names_are_refused(void **state) {
  fixture f = open_text("氏名,住所,氏名\n");
  assert_null(f.t);
  assert_string_equal(tg_diag_get(f.d, 0)->code, "targets.duplicate-column");
  close_fixture(&f);
}

static void a_row_can_be_read_again_from_its_offset(void **state) {
  fixture f = open_text("a\nfirst\nsecond\nthird\n");
  tg_row r;
  tg_targets_next(f.t, &r, f.d);
  uint64_t off = r.offset, num = r.number, line = r.line;
  tg_targets_next(f.t, &r, f.d);
  tg_targets_next(f.t, &r, f.d);
  assert_string_equal(r.fields[0], "third");
  assert_true(tg_targets_seek(f.t, off, num, line, f.d));
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_string_equal(r.fields[0], "first");
  assert_int_equal(r.number, 2);
  close_fixture(&f);
}

static void an_overlong_field_is_rejected_and_memory_stays_bounded(void **state) {
  GString *s = g_string_new("a,b\n1,");
  for (int i = 0; i < 100000; i++)
    g_string_append_c(s, 'x');
  g_string_append(s, "\n2,ok\n");
  fixture f = open_text(s->str);
  tg_row r;
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_true(r.rejected);
  assert_string_equal(r.reject_code, "data.field-too-long");
  assert_string_equal(r.reject_column, "b");
  assert_int_equal(tg_targets_next(f.t, &r, f.d), 1);
  assert_string_equal(r.fields[1], "ok");
  g_string_free(s, TRUE);
  close_fixture(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(header_names_the_columns),
      cmocka_unit_test(quoted_fields_keep_commas_quotes_and_line_breaks),
      cmocka_unit_test(rows_are_numbered_like_a_spreadsheet_and_blank_lines_skipped),
      cmocka_unit_test(a_row_with_the_wrong_field_count_is_rejected_by_name),
      cmocka_unit_test(invalid_utf8_is_reported_with_row_column_and_byte),
      cmocka_unit_test(a_quote_that_swallows_the_rows_after_it_refuses_the_list),
      cmocka_unit_test(a_quote_closed_by_a_later_row_refuses_the_list),
      cmocka_unit_test(a_quote_closed_at_the_end_of_a_later_row_refuses_the_list),
      cmocka_unit_test(a_quote_left_open_on_the_last_line_rejects_that_row),
      cmocka_unit_test(every_line_is_a_header_line_a_row_a_blank_line_or_a_field_break),
      cmocka_unit_test(line_ends_are_counted_across_the_reader_buffer),
      cmocka_unit_test(a_header_of_a_million_columns_is_refused),
      cmocka_unit_test(a_row_of_a_million_fields_is_rejected_and_kept_bounded),
      cmocka_unit_test(duplicate_column_names_are_refused),
      cmocka_unit_test(a_row_can_be_read_again_from_its_offset),
      cmocka_unit_test(an_overlong_field_is_rejected_and_memory_stays_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
