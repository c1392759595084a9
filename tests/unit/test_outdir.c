/* test_outdir.c — folders tegami owns (base/outdir.c, base/outlock.c): the
 * marker lists what the file helpers created, removal takes only that, a
 * foreign or changed file refuses a replacement, and an output folder is
 * locked against a second writer. */
#include "tg_test.h"

#include <sys/stat.h>
#include <unistd.h>

static void put(const char *dir, const char *name, const char *text) {
  char *p = g_build_filename(dir, name, NULL);
  assert_true(g_file_set_contents(p, text, -1, NULL));
  g_free(p);
}

static bool exists(const char *dir, const char *name) {
  char *p = g_build_filename(dir, name, NULL);
  bool e = g_file_test(p, G_FILE_TEST_EXISTS);
  g_free(p);
  return e;
}

/* A folder with two files written through the helpers, one in a sub-folder. */
static char *owned_folder(void) {
  char *dir = g_dir_make_tmp("tegami-outdir-XXXXXX", NULL);
  tg_diag *d = tg_diag_new();
  tg_owned_dir *o = tg_owned_begin(dir, "job-1", d);
  assert_non_null(o);
  char *a = g_build_filename(dir, "a.csv", NULL);
  tg_atomic *f = tg_atomic_open(a, d);
  fputs("one\n", tg_atomic_get_file(f));
  assert_true(tg_atomic_commit(f, d));
  char *sub = g_build_filename(dir, "proofs", NULL);
  assert_true(tg_mkdir_private(sub, d));
  char *b = g_build_filename(sub, "b.png", NULL);
  f = tg_atomic_open(b, d);
  fputs("two\n", tg_atomic_get_file(f));
  assert_true(tg_atomic_commit(f, d));
  assert_true(tg_owned_seal(o, d));
  assert_int_equal(tg_diag_count_at_least(d, TG_WARNING), 0);
  g_free(a);
  g_free(b);
  g_free(sub);
  tg_diag_free(d);
  return dir;
}

static void test_marker_lists_and_checks(void **state) {
  (void)state;
  char *dir = owned_folder();
  char *m = g_build_filename(dir, TG_OWNED_MARKER, NULL);
  gchar *text = NULL;
  assert_true(g_file_get_contents(m, &text, NULL, NULL));
  assert_non_null(strstr(text, "state complete\n"));
  assert_non_null(strstr(text, "dir - - proofs\n"));
  assert_non_null(strstr(text, " a.csv\n"));
  assert_non_null(strstr(text, " proofs/b.png\n"));
  struct stat st;
  assert_int_equal(stat(m, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  g_free(text);
  g_free(m);
  tg_diag *d = tg_diag_new();
  assert_true(tg_owned_check(dir, d));
  assert_true(tg_owned_remove(dir, d));
  assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
  tg_diag_free(d);
  g_free(dir);
}

static void test_foreign_file_refuses_and_stays(void **state) {
  (void)state;
  char *dir = owned_folder();
  char *sub = g_build_filename(dir, "proofs", NULL);
  put(sub, "notes.txt", "mine");
  tg_diag *d = tg_diag_new();
  assert_false(tg_owned_check(dir, d));
  char *msg = tg_test_diag_text(d);
  assert_non_null(strstr(msg, "output.foreign-file"));
  assert_non_null(strstr(msg, "proofs/notes.txt"));
  g_free(msg);
  /* removal takes tegami's files and leaves the other with its folders */
  tg_diag_free(d);
  d = tg_diag_new();
  assert_false(tg_owned_remove(dir, d));
  assert_true(exists(sub, "notes.txt"));
  assert_false(exists(dir, "a.csv"));
  assert_false(exists(sub, "b.png"));
  msg = tg_test_diag_text(d);
  assert_non_null(strstr(msg, "output.foreign-file"));
  g_free(msg);
  tg_diag_free(d);
  char *n = g_build_filename(sub, "notes.txt", NULL);
  g_unlink(n);
  g_free(n);
  g_rmdir(sub);
  g_rmdir(dir);
  g_free(sub);
  g_free(dir);
}

static void test_changed_and_unmarked_refuse(void **state) {
  (void)state;
  char *dir = owned_folder();
  put(dir, "a.csv", "one, edited\n");
  tg_diag *d = tg_diag_new();
  assert_false(tg_owned_check(dir, d));
  char *msg = tg_test_diag_text(d);
  assert_non_null(strstr(msg, "output.changed"));
  g_free(msg);
  tg_diag_free(d);
  char *m = g_build_filename(dir, TG_OWNED_MARKER, NULL);
  g_unlink(m);
  g_free(m);
  d = tg_diag_new();
  assert_false(tg_owned_check(dir, d));
  assert_false(tg_owned_remove(dir, d)); /* no marker: nothing removed */
  assert_true(exists(dir, "a.csv"));
  msg = tg_test_diag_text(d);
  assert_non_null(strstr(msg, "output.not-owned"));
  g_free(msg);
  tg_diag_free(d);
  char *p = g_build_filename(dir, "a.csv", NULL);
  g_unlink(p);
  g_free(p);
  p = g_build_filename(dir, "proofs", "b.png", NULL);
  g_unlink(p);
  g_free(p);
  p = g_build_filename(dir, "proofs", NULL);
  g_rmdir(p);
  g_free(p);
  g_rmdir(dir);
  g_free(dir);
}

static void test_lock_refuses_a_second_writer(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("tegami-outdir-XXXXXX", NULL);
  char *out = g_build_filename(dir, "out", NULL);
  tg_diag *d = tg_diag_new();
  tg_outdir *first = tg_outdir_open(out, "job-1", false, d);
  assert_non_null(first);
  char *lock = g_strdup_printf("%s.tegami-lock", out);
  assert_true(g_file_test(lock, G_FILE_TEST_EXISTS));
  /* a second writer in the same process: a new descriptor, so flock refuses */
  tg_diag *d2 = tg_diag_new();
  assert_null(tg_outdir_open(out, "job-1", false, d2));
  char *msg = tg_test_diag_text(d2);
  assert_non_null(strstr(msg, "output.locked"));
  char pid[32];
  g_snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
  assert_non_null(strstr(msg, pid));
  g_free(msg);
  tg_diag_free(d2);
  put(tg_outdir_get_stage(first), "x.csv", "x"); /* not through the helpers: foreign */
  char *x = g_build_filename(tg_outdir_get_stage(first), "y.csv", NULL);
  tg_atomic *f = tg_atomic_open(x, d);
  fputs("y", tg_atomic_get_file(f));
  assert_true(tg_atomic_commit(f, d));
  g_free(x);
  assert_true(tg_outdir_commit(first, d));
  tg_outdir_close(first, d);
  assert_false(g_file_test(lock, G_FILE_TEST_EXISTS));
  assert_true(exists(out, "y.csv"));
  assert_true(exists(out, "x.csv")); /* moved along, never deleted */
  msg = tg_test_diag_text(d);
  assert_non_null(strstr(msg, "output.foreign-file"));
  g_free(msg);
  /* --force: x.csv is not tegami's, so the folder is not replaced */
  tg_diag_free(d);
  d = tg_diag_new();
  assert_null(tg_outdir_open(out, "job-1", true, d));
  assert_true(exists(out, "x.csv"));
  assert_true(exists(out, "y.csv"));
  tg_diag_free(d);
  const char *names[] = {"x.csv", "y.csv", TG_OWNED_MARKER};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    char *p = g_build_filename(out, names[i], NULL);
    g_unlink(p);
    g_free(p);
  }
  g_rmdir(out);
  g_rmdir(dir);
  g_free(lock);
  g_free(out);
  g_free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_marker_lists_and_checks),
      cmocka_unit_test(test_foreign_file_refuses_and_stays),
      cmocka_unit_test(test_changed_and_unmarked_refuse),
      cmocka_unit_test(test_lock_refuses_a_second_writer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
