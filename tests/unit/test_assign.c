/* test_assign.c — randomised assignment to experiment arms (experiment/assign.c) and
 * the assignment.csv writer: the properties docs/evaluation.md promises. */
#include "tg_test.h"

#include <sys/stat.h>

static const uint8_t SALT[] = "synthetic-salt-for-tests-0123456789";
static const uint8_t OTHER_SALT[] = "another-synthetic-salt-987654321";

static tg_assign *new_assign(const uint8_t *salt, const tg_arm *arms, size_t narms,
                             unsigned multiple) {
  tg_diag *d = tg_diag_new();
  tg_assign_options o = {
      .salt = salt, .salt_len = 32, .arms = arms, .narms = narms, .block_multiple = multiple};
  tg_assign *a = tg_assign_new(&o, d);
  assert_non_null(a);
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
  return a;
}

static const tg_arm AB[] = {{"A", 1}, {"B", 1}};
static const tg_arm AB_CONTROL[] = {{"A", 2}, {"B", 2}, {"control", 1}};

/* A synthetic person: a key like a KDB個人番号 and a stratum. */
typedef struct {
  char key[24];
  char stratum[32];
} person;

static person *make_people(size_t n, size_t nstrata) {
  person *p = g_new0(person, n);
  for (size_t i = 0; i < n; i++) {
    g_snprintf(p[i].key, sizeof p[i].key, "%011" G_GUINT64_FORMAT, (guint64)(14000000000u + i));
    g_snprintf(p[i].stratum, sizeof p[i].stratum, "14%03zu|highrisk|s%zu", i % nstrata,
               (i / nstrata) % 2);
  }
  return p;
}

/* Assign people in the given order; returns arm names by person (borrowed
 * from `a`, which the caller frees). */
static const char **assign_all(tg_assign *a, const person *p, size_t n) {
  tg_diag *d = tg_diag_new();
  for (size_t i = 0; i < n; i++)
    assert_int_equal(tg_assign_add(a, p[i].key, p[i].stratum, "list.csv", i + 2, d), i);
  assert_true(tg_assign_run(a, d));
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
  const char **arms = g_new0(const char *, n);
  for (size_t i = 0; i < n; i++) {
    size_t arm = tg_assign_get_arm(a, i);
    assert_true(arm != TG_ARM_NONE);
    arms[i] = tg_assign_get_arm_name(a, arm);
  }
  return arms;
}

static void shuffle(person *p, size_t n, guint32 seed) {
  GRand *r = g_rand_new_with_seed(seed);
  for (size_t i = n - 1; i > 0; i--) {
    size_t j = (size_t)g_rand_int_range(r, 0, (gint32)i + 1);
    person t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  g_rand_free(r);
}

static const char *arm_of_key(const person *p, const char **arms, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(p[i].key, key) == 0) return arms[i];
  return NULL;
}

static void same_people_in_any_order_get_the_same_arms(void **state) {
  (void)state;
  const size_t n = 1500;
  person *p = make_people(n, 23);
  tg_assign *a = new_assign(SALT, AB_CONTROL, 3, 1);
  const char **first = assign_all(a, p, n);
  for (guint32 seed = 1; seed <= 3; seed++) {
    person *q = g_memdup2(p, n * sizeof *p);
    shuffle(q, n, seed);
    tg_assign *b = new_assign(SALT, AB_CONTROL, 3, 1);
    const char **again = assign_all(b, q, n);
    for (size_t i = 0; i < n; i++)
      assert_string_equal(arm_of_key(p, first, n, q[i].key), again[i]);
    g_free(again);
    tg_assign_free(b);
    g_free(q);
  }
  g_free(first);
  tg_assign_free(a);
  g_free(p);
}

/* The same inputs give the same assignment in every run and every version:
 * these arms must never change, or an experiment's assignment could not be
 * reproduced for audit.  They come from the independent implementation of
 * the documented method, tests/tools/assign_reference.py:
 *   for i in $(seq 0 11); do printf '%011d\t14000|highrisk|s%d\n' \
 *     $((14000000000+i)) $((i%2)); done |
 *   tests/tools/assign_reference.py synthetic-salt-for-tests-0123456 A:2,B:2,control:1 */
#define EXPECTED_FIXED_ARMS "A control B control B A control B A A A B "
static void assignment_of_fixed_inputs_never_changes(void **state) {
  (void)state;
  person *p = make_people(12, 1);
  tg_assign *a = new_assign(SALT, AB_CONTROL, 3, 1);
  const char **arms = assign_all(a, p, 12);
  GString *got = g_string_new(NULL);
  for (size_t i = 0; i < 12; i++)
    g_string_append_printf(got, "%s ", arms[i]);
  assert_string_equal(got->str, EXPECTED_FIXED_ARMS);
  g_free(arms);
  tg_assign_free(a);
  g_free(p);

  /* 30 people in 6 strata, 1:1 in blocks of 4:
   *   for i in $(seq 0 29); do printf '%011d\t14%03d|highrisk|s%d\n' \
   *     $((14000000000+i)) $((i%3)) $(((i/3)%2)); done |
   *   tests/tools/assign_reference.py synthetic-salt-for-tests-0123456 A:1,B:1 2 */
  p = make_people(30, 3);
  a = new_assign(SALT, AB, 2, 2);
  arms = assign_all(a, p, 30);
  g_string_truncate(got, 0);
  for (size_t i = 0; i < 30; i++)
    g_string_append_printf(got, "%s ", arms[i]);
  assert_string_equal(got->str, "A A A A A B B A A B A B A B B A A A B B B A B A A B B B B A ");
  g_string_free(got, TRUE);
  g_free(arms);
  tg_assign_free(a);
  g_free(p);
}

/* For every stratum of n people, arm i of weight w in blocks of B places:
 *   ⌊n/B⌋·w ≤ count_i ≤ (⌊n/B⌋+1)·w   and   |B·count_i − n·w| ≤ w·(B − w). */
static void check_balance(const tg_arm *arms, size_t narms, unsigned multiple) {
  /* strata of every size from 1 to 50 people */
  GArray *people = g_array_new(FALSE, TRUE, sizeof(person));
  for (size_t size = 1; size <= 50; size++)
    for (size_t i = 0; i < size; i++) {
      person x;
      memset(&x, 0, sizeof x);
      g_snprintf(x.key, sizeof x.key, "%02zu-%03zu-%zu", size, i, size * 7919 + i);
      g_snprintf(x.stratum, sizeof x.stratum, "size-%zu", size);
      g_array_append_val(people, x);
    }
  tg_assign *a = new_assign(SALT, arms, narms, multiple);
  const char **got = assign_all(a, (person *)people->data, people->len);
  unsigned B = tg_assign_get_block_size(a);
  size_t start = 0;
  for (size_t size = 1; size <= 50; size++) {
    for (size_t arm = 0; arm < narms; arm++) {
      long w = (long)(arms[arm].ratio * (multiple ? multiple : 1)), count = 0;
      for (size_t i = start; i < start + size; i++)
        if (strcmp(got[i], arms[arm].name) == 0) count++;
      long k = (long)size / B;
      assert_true(count >= k * w && count <= (k + 1) * w);
      long dev = (long)B * count - (long)size * w;
      assert_true(labs(dev) <= w * ((long)B - w));
    }
    start += size;
  }
  g_free(got);
  tg_assign_free(a);
  g_array_free(people, TRUE);
}

static void every_stratum_is_balanced_within_one_block(void **state) {
  (void)state;
  static const tg_arm one_two[] = {{"gain", 1}, {"loss", 2}};
  check_balance(AB, 2, 1);
  check_balance(AB_CONTROL, 3, 1);
  check_balance(one_two, 2, 1);
  check_balance(AB, 2, 2);
}

static void a_one_to_one_stratum_differs_by_at_most_one(void **state) {
  (void)state;
  for (size_t n = 1; n <= 41; n += 4) {
    person *p = make_people(n, 1);
    tg_assign *a = new_assign(SALT, AB, 2, 1);
    const char **arms = assign_all(a, p, n);
    long diff = 0;
    for (size_t i = 0; i < n; i++)
      diff += strcmp(arms[i], "A") == 0 ? 1 : -1;
    assert_true(labs(diff) <= 1);
    g_free(arms);
    tg_assign_free(a);
    g_free(p);
  }
}

static void ratio_2_2_1_fills_blocks_of_five(void **state) {
  (void)state;
  person *p = make_people(500, 1);
  tg_assign *a = new_assign(SALT, AB_CONTROL, 3, 1);
  assert_int_equal(tg_assign_get_block_size(a), 5);
  const char **arms = assign_all(a, p, 500);
  size_t count[3] = {0};
  for (size_t i = 0; i < 500; i++)
    for (size_t k = 0; k < 3; k++)
      if (strcmp(arms[i], AB_CONTROL[k].name) == 0) count[k]++;
  assert_int_equal(count[0], 200);
  assert_int_equal(count[1], 200);
  assert_int_equal(count[2], 100);
  g_free(arms);
  tg_assign_free(a);
  g_free(p);
}

static void a_different_salt_gives_a_different_assignment(void **state) {
  (void)state;
  const size_t n = 1000;
  person *p = make_people(n, 10);
  tg_assign *a = new_assign(SALT, AB, 2, 1), *b = new_assign(OTHER_SALT, AB, 2, 1);
  const char **x = assign_all(a, p, n), **y = assign_all(b, p, n);
  size_t same = 0;
  for (size_t i = 0; i < n; i++)
    same += strcmp(x[i], y[i]) == 0;
  /* independent 1:1 assignments agree for about half of the people */
  assert_true(same > 350 && same < 650);
  g_free(x);
  g_free(y);
  tg_assign_free(a);
  tg_assign_free(b);
  g_free(p);
}

static void block_orders_are_drawn_not_fixed(void **state) {
  (void)state;
  /* 1000 strata of two people: the first in hash order gets A about half the time */
  const size_t n = 2000;
  person *p = make_people(n, 1000);
  for (size_t i = 0; i < n; i++)
    g_snprintf(p[i].stratum, sizeof p[i].stratum, "pair-%zu", i % 1000);
  tg_assign *a = new_assign(SALT, AB, 2, 1);
  const char **arms = assign_all(a, p, n);
  size_t first_a = 0;
  for (size_t s = 0; s < 1000; s++) {
    assert_string_not_equal(arms[s], arms[s + 1000]); /* one block: one of each */
    first_a += strcmp(arms[s], "A") == 0;
  }
  assert_true(first_a > 420 && first_a < 580);
  g_free(arms);
  tg_assign_free(a);
  g_free(p);
}

static void adding_a_person_changes_no_other_stratum(void **state) {
  (void)state;
  const size_t n = 600;
  person *p = make_people(n + 1, 7);
  g_strlcpy(p[n].stratum, p[3].stratum, sizeof p[n].stratum); /* the newcomer joins stratum 3 */
  tg_assign *a = new_assign(SALT, AB_CONTROL, 3, 1), *b = new_assign(SALT, AB_CONTROL, 3, 1);
  const char **before = assign_all(a, p, n), **after = assign_all(b, p, n + 1);
  for (size_t i = 0; i < n; i++)
    if (strcmp(p[i].stratum, p[3].stratum) != 0) assert_string_equal(before[i], after[i]);
  g_free(before);
  g_free(after);
  tg_assign_free(a);
  tg_assign_free(b);
  g_free(p);
}

static void the_same_person_twice_gets_one_arm(void **state) {
  (void)state;
  tg_assign *a = new_assign(SALT, AB, 2, 1);
  tg_diag *d = tg_diag_new();
  char key[24];
  for (int i = 0; i < 40; i++) {
    g_snprintf(key, sizeof key, "%011d", 50000000 + i);
    tg_assign_add(a, key, "s", "list.csv", (uint64_t)i + 2, d);
  }
  size_t again = tg_assign_add(a, "00050000007", "s", "other.csv", 9, d);
  size_t elsewhere = tg_assign_add(a, "00050000011", "t", "other.csv", 10, d);
  size_t empty = tg_assign_add(a, "", "s", "other.csv", 11, d);
  assert_false(tg_assign_run(a, d));
  assert_int_equal(tg_assign_get_arm(a, again), tg_assign_get_arm(a, 7));
  assert_true(tg_assign_get_arm(a, 7) != TG_ARM_NONE);
  assert_true(tg_assign_get_arm(a, elsewhere) == TG_ARM_NONE);
  assert_true(tg_assign_get_arm(a, 11) == TG_ARM_NONE);
  assert_true(tg_assign_get_arm(a, empty) == TG_ARM_NONE);
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "other.csv: row 9"));
  assert_non_null(strstr(text, "[assign.duplicate]"));
  assert_non_null(strstr(text, "other.csv: row 10"));
  assert_non_null(strstr(text, "[assign.stratum-conflict]"));
  assert_non_null(strstr(text, "[assign.key-empty]"));
  assert_null(strstr(text, "00050000007")); /* no key in any message */
  g_free(text);
  /* the duplicate counts once: 39 units in the stratum, balanced within one */
  size_t count_a = 0;
  for (size_t i = 0; i < 40; i++)
    if (i != 11) count_a += tg_assign_get_arm(a, i) == 0;
  assert_true(count_a == 19 || count_a == 20);
  tg_diag_free(d);
  tg_assign_free(a);
}

static void unusable_options_are_refused_without_printing_the_salt(void **state) {
  (void)state;
  tg_diag *d = tg_diag_new();
  static const uint8_t short_salt[] = "tooshort-secret";
  tg_assign_options o = {.salt = short_salt, .salt_len = 15, .arms = AB, .narms = 2};
  assert_null(tg_assign_new(&o, d));
  static const tg_arm bad[] = {{"A", 1}, {"A", 0}};
  tg_assign_options o2 = {.salt = SALT, .salt_len = 32, .arms = bad, .narms = 2};
  assert_null(tg_assign_new(&o2, d));
  tg_assign_options o3 = {.salt = SALT, .salt_len = 32, .arms = AB, .narms = 1};
  assert_null(tg_assign_new(&o3, d));
  char *text = tg_test_diag_text(d);
  assert_non_null(strstr(text, "[assign.salt]"));
  assert_non_null(strstr(text, "arm 'A' is named twice"));
  assert_non_null(strstr(text, "ratio of arm 2"));
  assert_non_null(strstr(text, "2 to 16 arms, not 1"));
  assert_null(strstr(text, "tooshort"));
  g_free(text);
  tg_diag_free(d);
}

static void stratum_keys_of_different_parts_never_collide(void **state) {
  (void)state;
  char *x = tg_stratum_key("a|b", "c", NULL), *y = tg_stratum_key("a", "b|c", "");
  assert_string_not_equal(x, y);
  assert_string_equal(x, "a\\|b|c|");
  assert_string_equal(y, "a|b\\|c|");
  char *z = tg_stratum_key("14201", "highrisk", "65-74");
  assert_string_equal(z, "14201|highrisk|65-74");
  g_free(x);
  g_free(y);
  g_free(z);
}

static void the_salt_fingerprint_commits_without_revealing(void **state) {
  (void)state;
  char *f = tg_salt_fingerprint(SALT, 32), *g = tg_salt_fingerprint(OTHER_SALT, 32);
  assert_int_equal(strlen(f), 64);
  assert_string_not_equal(f, g);
  assert_null(strstr(f, "synthetic"));
  g_free(f);
  g_free(g);
}

static void assignment_csv_is_private_quoted_and_formula_safe(void **state) {
  (void)state;
  char *dir = g_dir_make_tmp("tegami-unit-XXXXXX", NULL);
  char *path = g_build_filename(dir, "assignment.csv", NULL);
  tg_diag *d = tg_diag_new();
  tg_assignment_writer *w = tg_assignment_writer_open(path, NULL, d);
  assert_non_null(w);
  assert_false(g_file_test(path, G_FILE_TEST_EXISTS)); /* only a temporary so far */
  tg_assignment_row r = {"L000001",  "14000000001", "14201",      "highrisk",          "=1+2",
                         "standard", "A",           "2026-10-01", "14201|highrisk|a,b"};
  tg_assignment_writer_add(w, &r);
  r.letter_id = "L000002";
  r.segment = "-5";
  r.arm = "B";
  r.stratum = "say \"hi\"";
  tg_assignment_writer_add(w, &r);
  assert_true(tg_assignment_writer_close(w, d));
  tg_assignment_writer_free(w);
  char *text;
  g_file_get_contents(path, &text, NULL, NULL);
  assert_string_equal(text,
                      "letter_id,KDB個人番号,municipality,target_type,segment,variant,arm,date,"
                      "stratum\r\n"
                      "L000001,14000000001,14201,highrisk,\"'=1+2\",standard,A,2026-10-01,"
                      "\"14201|highrisk|a,b\"\r\n"
                      "L000002,14000000001,14201,highrisk,\"'-5\",standard,B,2026-10-01,"
                      "\"say \"\"hi\"\"\"\r\n");
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  g_free(text);

  /* freed without closing: nothing is left behind, the old file stays */
  w = tg_assignment_writer_open(path, "被保険者番号", d);
  tg_assignment_writer_add(w, &r);
  tg_assignment_writer_free(w);
  GDir *gd = g_dir_open(dir, 0, NULL);
  int files = 0;
  while (g_dir_read_name(gd))
    files++;
  g_dir_close(gd);
  assert_int_equal(files, 1);
  assert_int_equal(tg_diag_count(d), 0);
  tg_diag_free(d);
  g_unlink(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_people_in_any_order_get_the_same_arms),
      cmocka_unit_test(assignment_of_fixed_inputs_never_changes),
      cmocka_unit_test(every_stratum_is_balanced_within_one_block),
      cmocka_unit_test(a_one_to_one_stratum_differs_by_at_most_one),
      cmocka_unit_test(ratio_2_2_1_fills_blocks_of_five),
      cmocka_unit_test(a_different_salt_gives_a_different_assignment),
      cmocka_unit_test(block_orders_are_drawn_not_fixed),
      cmocka_unit_test(adding_a_person_changes_no_other_stratum),
      cmocka_unit_test(the_same_person_twice_gets_one_arm),
      cmocka_unit_test(unusable_options_are_refused_without_printing_the_salt),
      cmocka_unit_test(stratum_keys_of_different_parts_never_collide),
      cmocka_unit_test(the_salt_fingerprint_commits_without_revealing),
      cmocka_unit_test(assignment_csv_is_private_quoted_and_formula_safe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
