/* test_audit.c — the audit log: entries chain by hash, and every kind of
 * tampering (an edited value, a removed, inserted or moved line, a cut end,
 * a rewritten chain) is found and named by its line number. */
#include "tg_test.h"

#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  char *dir, *log;
  tg_diag *d;
} fixture;

static void open_fixture(fixture *f, size_t entries) {
  f->dir = g_dir_make_tmp("tegami-audit-XXXXXX", NULL);
  f->log = g_build_filename(f->dir, "state", "audit.log", NULL);
  f->d = tg_diag_new();
  for (size_t i = 0; i < entries; i++) {
    tg_audit_entry *e = tg_audit_entry_new("run");
    char id[32];
    g_snprintf(id, sizeof id, "job-%zu", i + 1);
    tg_audit_entry_set_string(e, "job_id", id);
    tg_audit_entry_set_count(e, "read", 10 + i);
    tg_audit_entry_set_count(e, "rendered", 9 + i);
    tg_audit_entry_set_exit(e, 0);
    tg_audit_written w;
    assert_true(tg_audit_append(f->log, e, &w, f->d));
    assert_int_equal(w.seq, i + 1);
    assert_int_equal(strlen(w.sha256), 64);
    tg_audit_entry_free(e);
  }
}

static void close_fixture(fixture *f) {
  g_unlink(f->log);
  char *state = g_path_get_dirname(f->log);
  g_rmdir(state);
  g_free(state);
  g_rmdir(f->dir);
  g_free(f->dir);
  g_free(f->log);
  tg_diag_free(f->d);
}

static char **read_lines(const char *path, size_t *n) {
  gchar *text;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  *n = g_strv_length(lines);
  if (*n && lines[*n - 1][0] == '\0') (*n)--; /* after the last line end */
  return lines;
}

static void write_lines(const char *path, char **lines, size_t n) {
  GString *s = g_string_new(NULL);
  for (size_t i = 0; i < n; i++) {
    g_string_append(s, lines[i]);
    g_string_append_c(s, '\n');
  }
  assert_true(g_file_set_contents(path, s->str, (gssize)s->len, NULL));
  g_string_free(s, TRUE);
}

/* Verify; returns the exit code and the first bad line. */
static tg_exit verify(fixture *f, const char *anchor, uint64_t *first_bad) {
  tg_diag_clear(f->d);
  tg_audit_report r;
  tg_exit e = tg_audit_verify(f->log, anchor, &r, f->d);
  *first_bad = r.first_bad;
  return e;
}

static bool diag_says(const tg_diag *d, const char *code, const char *text) {
  for (size_t i = 0; i < tg_diag_count(d); i++) {
    const tg_diag_entry *e = tg_diag_get(d, i);
    if (strcmp(e->code, code) == 0 && strstr(e->message, text)) return true;
  }
  return false;
}

static void an_untouched_log_verifies_and_names_its_head(void **state) {
  fixture f;
  open_fixture(&f, 3);
  tg_audit_report r;
  assert_int_equal(tg_audit_verify(f.log, NULL, &r, f.d), TG_EXIT_OK);
  assert_int_equal(r.entries, 3);
  assert_int_equal(r.breaks, 0);
  size_t n;
  char **lines = read_lines(f.log, &n);
  char *last = g_compute_checksum_for_string(G_CHECKSUM_SHA256, lines[2], -1);
  assert_string_equal(r.head, last);
  /* the first line chains to the genesis value, each next one to its predecessor */
  assert_non_null(strstr(lines[0],
                         "\"prev\":\""
                         "0000000000000000000000000000000000000000000000000000000000000000\"}"));
  char *first = g_compute_checksum_for_string(G_CHECKSUM_SHA256, lines[0], -1);
  assert_non_null(strstr(lines[1], first));
  g_free(first);
  g_free(last);
  g_strfreev(lines);
  close_fixture(&f);
}

static void entries_hold_time_zone_user_host_and_no_more_than_given(void **state) {
  fixture f;
  open_fixture(&f, 1);
  size_t n;
  char **lines = read_lines(f.log, &n);
  assert_int_equal(n, 1);
  const char *l = lines[0];
  assert_true(g_str_has_prefix(l, "{\"seq\":1,\"time\":\""));
  /* ISO 8601 local time with its UTC offset */
  const char *t = strstr(l, "\"time\":\"") + 8;
  assert_true(t[10] == 'T' && (t[26] == '+' || t[26] == '-') && t[29] == ':');
  assert_non_null(strstr(l, "\"user\":"));
  assert_non_null(strstr(l, "\"host\":"));
  assert_non_null(strstr(l, "\"command\":\"run\""));
  assert_non_null(strstr(l, "\"counts\":{\"read\":10,\"rendered\":9}"));
  g_strfreev(lines);
  struct stat st;
  assert_int_equal(stat(f.log, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  close_fixture(&f);
}

static void an_edited_value_breaks_the_chain_at_the_next_line(void **state) {
  fixture f;
  open_fixture(&f, 4);
  size_t n;
  char **lines = read_lines(f.log, &n);
  char *p = strstr(lines[1], "\"read\":11");
  assert_non_null(p);
  p[8] = '2'; /* read: 11 -> 12 on line 2 */
  write_lines(f.log, lines, n);
  g_strfreev(lines);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 3);
  assert_true(diag_says(f.d, "audit.chain", "line 3 does not follow line 2"));
  close_fixture(&f);
}

static void a_removed_line_is_found(void **state) {
  fixture f;
  open_fixture(&f, 4);
  size_t n;
  char **lines = read_lines(f.log, &n);
  char *kept[] = {lines[0], lines[2], lines[3]};
  write_lines(f.log, kept, 3);
  g_strfreev(lines);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 2);
  close_fixture(&f);
}

static void a_removed_first_line_is_found(void **state) {
  fixture f;
  open_fixture(&f, 3);
  size_t n;
  char **lines = read_lines(f.log, &n);
  write_lines(f.log, lines + 1, 2);
  g_strfreev(lines);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 1);
  assert_true(diag_says(f.d, "audit.chain", "earlier lines were removed"));
  close_fixture(&f);
}

static void swapped_lines_are_found(void **state) {
  fixture f;
  open_fixture(&f, 4);
  size_t n;
  char **lines = read_lines(f.log, &n);
  char *tmp = lines[1];
  lines[1] = lines[2];
  lines[2] = tmp;
  write_lines(f.log, lines, n);
  g_strfreev(lines);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 2);
  close_fixture(&f);
}

static void an_inserted_line_is_found(void **state) {
  fixture f;
  open_fixture(&f, 3);
  size_t n;
  char **lines = read_lines(f.log, &n);
  char *copy[] = {lines[0], lines[1], lines[1], lines[2]};
  write_lines(f.log, copy, 4);
  g_strfreev(lines);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 3);
  close_fixture(&f);
}

static void a_log_cut_mid_line_is_found_and_not_appended_to(void **state) {
  fixture f;
  open_fixture(&f, 3);
  struct stat st;
  assert_int_equal(stat(f.log, &st), 0);
  assert_int_equal(truncate(f.log, st.st_size - 20), 0);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 3);
  assert_true(diag_says(f.d, "audit.incomplete", "line 3 is incomplete"));
  tg_diag_clear(f.d);
  tg_audit_entry *e = tg_audit_entry_new("run");
  assert_false(tg_audit_append(f.log, e, NULL, f.d));
  assert_false(tg_audit_probe(f.log, f.d));
  tg_audit_entry_free(e);
  close_fixture(&f);
}

static void lines_removed_from_the_end_are_found_against_an_anchor(void **state) {
  fixture f;
  open_fixture(&f, 4);
  tg_audit_report r;
  assert_int_equal(tg_audit_verify(f.log, NULL, &r, f.d), TG_EXIT_OK);
  char *anchor = g_strdup_printf("4:%s", r.head);
  assert_int_equal(tg_audit_verify(f.log, anchor, &r, f.d), TG_EXIT_OK);
  /* drop the last line: the chain alone still holds, the anchor does not */
  size_t n;
  char **lines = read_lines(f.log, &n);
  write_lines(f.log, lines, 3);
  g_strfreev(lines);
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_OK);
  assert_int_equal(verify(&f, anchor, &bad), TG_EXIT_INVALID);
  assert_true(diag_says(f.d, "audit.anchor-missing", "entries were removed from the end"));
  g_free(anchor);
  close_fixture(&f);
}

static void a_rewritten_chain_is_found_against_an_anchor(void **state) {
  fixture f;
  open_fixture(&f, 2);
  tg_audit_report r;
  assert_int_equal(tg_audit_verify(f.log, NULL, &r, f.d), TG_EXIT_OK);
  char *anchor = g_strdup_printf("2:%s", r.head);
  /* a forger starts a new, self-consistent log with different entries */
  g_unlink(f.log);
  for (int i = 0; i < 2; i++) {
    tg_audit_entry *e = tg_audit_entry_new("check");
    assert_true(tg_audit_append(f.log, e, NULL, f.d));
    tg_audit_entry_free(e);
  }
  uint64_t bad;
  assert_int_equal(verify(&f, NULL, &bad), TG_EXIT_OK);
  assert_int_equal(verify(&f, anchor, &bad), TG_EXIT_INVALID);
  assert_int_equal(bad, 2);
  assert_true(diag_says(f.d, "audit.anchor-mismatch", "entry 2"));
  g_free(anchor);
  close_fixture(&f);
}

static void a_symlinked_log_is_refused(void **state) {
  fixture f;
  open_fixture(&f, 1);
  char *link = g_build_filename(f.dir, "link.log", NULL);
  assert_int_equal(symlink(f.log, link), 0);
  tg_audit_entry *e = tg_audit_entry_new("run");
  assert_false(tg_audit_append(link, e, NULL, f.d));
  assert_true(diag_says(f.d, "audit.symlink", "symbolic link"));
  tg_audit_entry_free(e);
  g_unlink(link);
  g_free(link);
  close_fixture(&f);
}

static void files_are_listed_with_their_sha256(void **state) {
  fixture f;
  open_fixture(&f, 0);
  char *input = g_build_filename(f.dir, "list.csv", NULL);
  assert_true(g_file_set_contents(input, "abc", 3, NULL));
  tg_audit_entry *e = tg_audit_entry_new("run");
  assert_true(tg_audit_entry_add_file(e, "list", input, f.d));
  char *missing = g_build_filename(f.dir, "missing.csv", NULL);
  assert_false(tg_audit_entry_add_file(e, "list", missing, f.d));
  assert_true(tg_audit_append(f.log, e, NULL, f.d));
  tg_audit_entry_free(e);
  size_t n;
  char **lines = read_lines(f.log, &n);
  /* SHA-256("abc") */
  assert_non_null(strstr(lines[0],
                         "\"bytes\":3,\"sha256\":"
                         "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""));
  assert_non_null(strstr(lines[0], "\"sha256\":null"));
  g_strfreev(lines);
  g_unlink(input);
  g_free(input);
  g_free(missing);
  close_fixture(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(an_untouched_log_verifies_and_names_its_head),
      cmocka_unit_test(entries_hold_time_zone_user_host_and_no_more_than_given),
      cmocka_unit_test(an_edited_value_breaks_the_chain_at_the_next_line),
      cmocka_unit_test(a_removed_line_is_found),
      cmocka_unit_test(a_removed_first_line_is_found),
      cmocka_unit_test(swapped_lines_are_found),
      cmocka_unit_test(an_inserted_line_is_found),
      cmocka_unit_test(a_log_cut_mid_line_is_found_and_not_appended_to),
      cmocka_unit_test(lines_removed_from_the_end_are_found_against_an_anchor),
      cmocka_unit_test(a_rewritten_chain_is_found_against_an_anchor),
      cmocka_unit_test(a_symlinked_log_is_refused),
      cmocka_unit_test(files_are_listed_with_their_sha256),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
