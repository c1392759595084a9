/* test_followup.c — the follow-up stage's rules (docs/followup.md): the
 * outcome vocabulary, the weekday × time band of a call and the schedule of
 * retries (each differs from the one before in both), and the hash chain of
 * the ledgers (an edit, a removal, an insertion or a reorder is caught, and
 * nothing is appended after it). */
#include "tg_test.h"

#include "followup/followup_private.h"

static void outcome_codes_are_the_documented_set(void **state) {
  static const char *const codes[] = {"受診済", "予約済",   "受診予定", "受診しない",
                                      "不在",   "番号違い", "拒否",     "問合せ"};
  assert_int_equal(G_N_ELEMENTS(codes), TG_CALL_NOUTCOMES);
  for (size_t i = 0; i < G_N_ELEMENTS(codes); i++) {
    tg_call_outcome o;
    assert_true(tg_call_outcome_parse(codes[i], &o));
    assert_int_equal(o, (int)i);
    assert_string_equal(tg_call_outcome_name(o), codes[i]);
  }
  tg_call_outcome o;
  assert_true(tg_call_outcome_parse(" 不在 ", &o)); /* blanks around are spreadsheet noise */
  assert_int_equal(o, TG_CALL_NO_ANSWER);
  assert_false(tg_call_outcome_parse("留守", &o));
  assert_false(tg_call_outcome_parse("受診", &o)); /* a prefix is not a code */
  assert_false(tg_call_outcome_parse("", &o));
  assert_false(tg_call_outcome_parse(NULL, &o));
}

static void which_outcomes_reach_and_close(void **state) {
  assert_true(tg_call_outcome_reached(TG_CALL_BOOKED));
  assert_true(tg_call_outcome_reached(TG_CALL_WONT_VISIT));
  assert_true(tg_call_outcome_reached(TG_CALL_REFUSED));
  assert_false(tg_call_outcome_reached(TG_CALL_NO_ANSWER));
  assert_false(tg_call_outcome_reached(TG_CALL_WRONG_NUMBER));
  assert_false(tg_call_outcome_reached(TG_CALL_INQUIRY));
  assert_false(tg_call_outcome_closes(TG_CALL_NO_ANSWER));
  assert_false(tg_call_outcome_closes(TG_CALL_INQUIRY));
  assert_true(tg_call_outcome_closes(TG_CALL_WRONG_NUMBER));
  assert_true(tg_call_outcome_closes(TG_CALL_VISITED));
}

static void a_date_time_has_a_weekday_and_a_band(void **state) {
  tg_call_slot s;
  uint32_t day;
  int minute;
  assert_true(tg_call_slot_parse("2026-10-06 10:00", &s, &day, &minute)); /* a Tuesday */
  assert_int_equal(s.weekday, 2);
  assert_int_equal(s.band, TG_BAND_WEEKDAY_MORNING);
  assert_int_equal(minute, 600);
  assert_true(tg_call_slot_parse("2026/10/06T11:59:30", &s, NULL, NULL));
  assert_int_equal(s.band, TG_BAND_WEEKDAY_MORNING);
  assert_true(tg_call_slot_parse("2026-10-06 12:00", &s, NULL, NULL));
  assert_int_equal(s.band, TG_BAND_WEEKDAY_EVENING);
  assert_true(tg_call_slot_parse("2026-10-10 18:00", &s, NULL, NULL));
  assert_int_equal(s.weekday, 6);
  assert_int_equal(s.band, TG_BAND_SATURDAY);
  assert_true(tg_call_slot_parse("2026-10-11 10:00", &s, NULL, NULL));
  assert_int_equal(s.band, TG_BAND_SUNDAY);
  assert_string_equal(tg_call_band_name(TG_BAND_WEEKDAY_EVENING), "平日夕方");
  assert_string_equal(tg_weekday_name(2), "火");
  assert_false(tg_call_slot_parse("2026-10-06", &s, NULL, NULL));       /* no time */
  assert_false(tg_call_slot_parse("2026-02-30 10:00", &s, NULL, NULL)); /* no such day */
  assert_false(tg_call_slot_parse("2026-10-06 24:00", &s, NULL, NULL));
  assert_false(tg_call_slot_parse("10/8 10時", &s, NULL, NULL));
  assert_false(tg_call_slot_parse("2026-10-06 10:00 x", &s, NULL, NULL));
  assert_int_equal(fu_julian("2026-10-01") + 5, day);
}

static void every_retry_changes_weekday_and_band(void **state) {
  for (unsigned spread = 0; spread < 10; spread++) {
    tg_call_slot s = tg_call_first_slot(spread);
    assert_int_equal(s.band, TG_BAND_WEEKDAY_MORNING);
    assert_true(s.weekday >= 1 && s.weekday <= 5);
    for (int attempt = 0; attempt < 12; attempt++) {
      tg_call_slot next = tg_call_next_slot(s, spread);
      assert_true(tg_call_slots_differ(s, next));
      assert_true(next.band != TG_BAND_SUNDAY); /* never planned on a Sunday */
      assert_true(next.band == TG_BAND_SATURDAY ? next.weekday == 6
                                                : next.weekday >= 1 && next.weekday <= 5);
      s = next;
    }
  }
  /* after a call that happened on a Sunday, a weekday morning */
  tg_call_slot sunday = {7, TG_BAND_SUNDAY}, next = tg_call_next_slot(sunday, 3);
  assert_int_equal(next.band, TG_BAND_WEEKDAY_MORNING);
  assert_true(tg_call_slots_differ(sunday, next));
  /* the three planned attempts cover the three bands */
  tg_call_slot a = tg_call_first_slot(0), b = tg_call_next_slot(a, 0), c = tg_call_next_slot(b, 0);
  assert_int_equal(a.band + b.band + c.band, 0 + 1 + 2);
}

/* A ledger with n entries appended in one go. */
static char *ledger_with(size_t n) {
  char *dir = g_dir_make_tmp("tegami-ledger-XXXXXX", NULL);
  char *path = g_build_filename(dir, "returns.csv", NULL);
  g_free(dir);
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  for (size_t i = 0; i < n; i++) {
    char *id = g_strdup_printf("14999-1-%06zu", i + 2);
    char *v[] = {id, "14000000001", "14999", "宛所不明", "2026-10-09", "returns.csv", "2", NULL};
    g_ptr_array_add(rows, g_strdupv(v));
    g_free(id);
  }
  tg_diag *d = tg_diag_new();
  assert_true(fu_ledger_append(path, FU_RETURNS_HEADER, rows, d));
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
  g_ptr_array_free(rows, TRUE);
  return path;
}

static char **lines_of(const char *path) {
  gchar *text;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  char **l = g_strsplit(text, "\r\n", -1);
  g_free(text);
  return l;
}

static void write_lines(const char *path, char **lines) {
  char *text = g_strjoinv("\r\n", lines);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  g_free(text);
}

/* Verify; the first problem's code and row, or "" when intact. */
static char *verdict(const char *path) {
  tg_diag *d = tg_diag_new();
  uint64_t n = 0;
  bool ok = tg_ledger_verify(path, &n, d);
  char *v = ok ? g_strdup_printf("ok %" G_GUINT64_FORMAT, n)
               : g_strdup_printf("%s %" G_GUINT64_FORMAT, tg_diag_get(d, 0)->code,
                                 tg_diag_get(d, 0)->row);
  tg_diag_free(d);
  return v;
}

static void assert_verdict(const char *path, const char *want) {
  char *v = verdict(path);
  assert_string_equal(v, want);
  g_free(v);
}

static void the_ledger_chain_catches_every_change(void **state) {
  char *path = ledger_with(4);
  assert_verdict(path, "ok 4");
  char **orig = lines_of(path); /* header, 4 entries, "" */
  assert_int_equal(g_strv_length(orig), 6);
  assert_true(g_str_has_prefix(orig[1], "1,0000000000000000000000000000000000000000000000000000000"
                                        "000000000,14999-1-000002"));
  char **l = g_strdupv(orig);
  /* an edited field: the next line's prev no longer matches */
  g_free(l[2]);
  l[2] = g_strdup(orig[2]);
  l[2][strlen(l[2]) - 1] = '3';
  write_lines(path, l);
  assert_verdict(path, "ledger.broken 4");
  /* a removed line */
  g_strfreev(l);
  l = g_strdupv(orig);
  g_free(l[2]);
  for (int i = 2; i < 5; i++)
    l[i] = l[i + 1];
  l[5] = NULL;
  write_lines(path, l);
  assert_verdict(path, "ledger.broken 3");
  l[5] = g_strdup(""); /* for g_strfreev below: the array must own five strings */
  g_strfreev(l);
  /* two lines swapped */
  l = g_strdupv(orig);
  char *t = l[2];
  l[2] = l[3];
  l[3] = t;
  write_lines(path, l);
  assert_verdict(path, "ledger.broken 3");
  g_strfreev(l);
  /* nothing is appended to a broken ledger */
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  char *v[] = {"14999-1-000009", "k", "14999", "宛所不明", "", "r.csv", "2", NULL};
  g_ptr_array_add(rows, g_strdupv(v));
  tg_diag *d = tg_diag_new();
  assert_false(fu_ledger_append(path, FU_RETURNS_HEADER, rows, d));
  tg_diag_free(d);
  /* restored, it takes the new entry and stays intact */
  write_lines(path, orig);
  d = tg_diag_new();
  assert_true(fu_ledger_append(path, FU_RETURNS_HEADER, rows, d));
  tg_diag_free(d);
  assert_verdict(path, "ok 5");
  /* a cut-short last line */
  gchar *text;
  gsize len;
  assert_true(g_file_get_contents(path, &text, &len, NULL));
  assert_true(g_file_set_contents(path, text, (gssize)len - 3, NULL));
  g_free(text);
  assert_verdict(path, "ledger.malformed 0");
  g_ptr_array_free(rows, TRUE);
  g_strfreev(orig);
  tg_test_remove_temp(path);
}

static void csv_lines_split_as_written(void **state) {
  char **f = fu_csv_split("1,\"a,b\",\"say \"\"hi\"\"\",,end");
  assert_int_equal(g_strv_length(f), 5);
  assert_string_equal(f[1], "a,b");
  assert_string_equal(f[2], "say \"hi\"");
  assert_string_equal(f[3], "");
  assert_string_equal(f[4], "end");
  g_strfreev(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(outcome_codes_are_the_documented_set),
      cmocka_unit_test(which_outcomes_reach_and_close),
      cmocka_unit_test(a_date_time_has_a_weekday_and_a_band),
      cmocka_unit_test(every_retry_changes_weekday_and_band),
      cmocka_unit_test(the_ledger_chain_catches_every_change),
      cmocka_unit_test(csv_lines_split_as_written),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
