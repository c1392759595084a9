/* test_gen_lists.c — lists made by ../shared/gen_targets.py at test time,
 * read and validated end to end: both list types, UTF-8 and CP932, with and
 * without --tricky (髙, 﨑, 𠮷, IVS, half-width spaces, long addresses, mixed
 * digits), through the profiles and without.  Every row is accounted for
 * (checked = ok + rejected + excluded), the CP932 file reads exactly like the
 * UTF-8 one except where CP932 cannot hold a character, and no personal value
 * appears in any diagnostic.  Skips (exit 77) without TEGAMI_SHARED/python3. */
#include "tg_test.h"

#define ROWS 400

typedef struct {
  tg_postal *postal;
  char *dir;
} world;

static char *generate(world *w, const char *type, const char *enc, bool tricky, int rows) {
  char *gen = g_build_filename(g_getenv("TEGAMI_SHARED"), "gen_targets.py", NULL);
  char nrows[16];
  g_snprintf(nrows, sizeof nrows, "%d", rows);
  const char *argv[] = {"python3",
                        gen,
                        "--rows",
                        nrows,
                        "--seed",
                        "7",
                        "--type",
                        type,
                        "--encoding",
                        enc,
                        tricky ? "--tricky" : NULL,
                        NULL};
  gchar *out = NULL;
  gsize len = 0;
  gint status = 0;
  GError *err = NULL;
  gchar *errtext = NULL;
  if (!g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errtext,
                    &status, &err))
    fail_msg("cannot run gen_targets.py: %s", err->message);
  if (!g_spawn_check_wait_status(status, NULL)) fail_msg("gen_targets.py failed: %s", errtext);
  /* the generator's own count of characters CP932 could not hold */
  len = strlen(out);
  char *name = g_strdup_printf("%s-%s%s.csv", type, enc, tricky ? "-tricky" : "");
  char *path = g_build_filename(w->dir, name, NULL);
  g_assert_true(g_file_set_contents(path, out, (gssize)len, NULL));
  g_free(name);
  g_free(out);
  g_free(errtext);
  g_free(gen);
  return path;
}

static int setup(void **state) {
  world *w = g_new0(world, 1);
  tg_diag *d = tg_diag_new();
  char *path = tg_postal_default_path(g_getenv("TEGAMI_DATA_DIR"));
  w->postal = tg_postal_load(path, TG_ENC_AUTO, d);
  g_free(path);
  tg_diag_free(d);
  w->dir = g_dir_make_tmp("tegami-gen-XXXXXX", NULL);
  *state = w;
  return w->postal ? 0 : -1;
}

static int teardown(void **state) {
  world *w = *state;
  tg_postal_free(w->postal);
  GDir *dir = g_dir_open(w->dir, 0, NULL);
  const char *n;
  while ((n = g_dir_read_name(dir))) {
    char *p = g_build_filename(w->dir, n, NULL);
    g_unlink(p);
    g_free(p);
  }
  g_dir_close(dir);
  g_rmdir(w->dir);
  g_free(w->dir);
  g_free(w);
  return 0;
}

/* One row as read: its number, verdict and values. */
typedef struct {
  uint64_t number;
  tg_verdict_kind kind;
  char *code;
  char **values;
} seen_row;

typedef struct {
  GArray *rows; /* seen_row */
  char **names;
  tg_validator_counts counts;
  tg_diag *d;
} result;

static void result_free(result *r) {
  for (guint i = 0; i < r->rows->len; i++) {
    seen_row *s = &g_array_index(r->rows, seen_row, i);
    g_free(s->code);
    g_strfreev(s->values);
  }
  g_array_free(r->rows, TRUE);
  g_strfreev(r->names);
  tg_diag_free(r->d);
}

static result read_all(world *w, const char *path, const char *profile) {
  result res = {.rows = g_array_new(FALSE, TRUE, sizeof(seen_row)), .d = tg_diag_new()};
  tg_targets_options o = {.profile = profile};
  tg_targets *t = tg_targets_open(path, &o, res.d);
  if (!t) {
    char *text = tg_test_diag_text(res.d);
    fail_msg("%s", text);
  }
  tg_validator_options vo = {.reference_date = "2026-10-01", .postal = w->postal};
  tg_validator *v = tg_validator_new(&vo, res.d);
  int list = tg_validator_add_list(v, t, NULL, res.d);
  assert_int_equal(list, 0);
  size_t n = tg_targets_get_column_count(t);
  res.names = g_new0(char *, n + 1);
  for (size_t i = 0; i < n; i++)
    res.names[i] = g_strdup(tg_targets_get_column_name(t, i));
  tg_row r;
  int st;
  while ((st = tg_targets_next(t, &r, res.d)) == 1) {
    tg_verdict vd = tg_validator_check(v, list, &r, res.d);
    seen_row s = {r.number, vd.kind, g_strdup(vd.code), g_new0(char *, r.nfields + 1)};
    for (size_t i = 0; i < r.nfields; i++)
      s.values[i] = g_strndup(r.fields[i], r.lengths[i]);
    g_array_append_val(res.rows, s);
  }
  assert_int_equal(st, 0);
  tg_validator_get_counts(v, list, &res.counts);
  tg_validator_free(v);
  tg_targets_free(t);
  return res;
}

static int col(const result *r, const char *name) {
  for (int i = 0; r->names[i]; i++)
    if (!strcmp(r->names[i], name)) return i;
  fail_msg("no column %s", name);
  return -1;
}

/* No message, hint or column of any diagnostic about a row holds one of that
 * row's values. */
static void expect_no_personal_values(const result *r) {
  for (size_t i = 0; i < tg_diag_count(r->d); i++) {
    const tg_diag_entry *e = tg_diag_get(r->d, i);
    if (!e->row) continue;
    const seen_row *s = NULL;
    for (guint k = 0; k < r->rows->len && !s; k++)
      if (g_array_index(r->rows, seen_row, k).number == e->row)
        s = &g_array_index(r->rows, seen_row, k);
    if (!s) continue;
    char *text = tg_diag_format(e);
    for (int c = 0; s->values[c]; c++) {
      const char *v = s->values[c];
      if (strlen(v) < 3 || !strcmp(v, "○") || !strcmp(v, "●")) continue;
      if (strstr(text, v)) fail_msg("value of column %s in: %s", r->names[c], text);
    }
    free(text);
  }
}

static void check_all_valid(world *w, const char *type, const char *profile, const char *enc,
                            bool tricky) {
  char *path = generate(w, type, enc, tricky, ROWS);
  result r = read_all(w, path, profile);
  assert_int_equal(r.rows->len, ROWS);
  assert_int_equal(r.counts.checked, ROWS);
  assert_int_equal(r.counts.checked, r.counts.ok + r.counts.rejected + r.counts.excluded);
  for (guint i = 0; i < r.rows->len; i++) {
    seen_row *s = &g_array_index(r.rows, seen_row, i);
    if (s->kind != TG_VERDICT_OK) {
      char *text = tg_test_diag_text(r.d);
      fail_msg("%s %s: row %" G_GUINT64_FORMAT " %s\n%s", type, enc, s->number, s->code, text);
    }
  }
  assert_int_equal(r.counts.ok, ROWS);
  result_free(&r);
  g_free(path);
}

static void generated_lists_in_utf8_are_all_valid(void **state) {
  world *w = *state;
  check_all_valid(w, "highrisk", "kdb-highrisk", "utf-8", false);
  check_all_valid(w, "dropout", "kdb-dropout", "utf-8", false);
  check_all_valid(w, "highrisk", NULL, "utf-8", false);
}

static void generated_lists_in_cp932_are_all_valid(void **state) {
  world *w = *state;
  check_all_valid(w, "highrisk", "kdb-highrisk", "cp932", false);
  check_all_valid(w, "dropout", "kdb-dropout", "cp932", false);
}

static void tricky_names_and_addresses_survive_in_utf8(void **state) {
  world *w = *state;
  check_all_valid(w, "highrisk", "kdb-highrisk", "utf-8", true);
  check_all_valid(w, "dropout", "kdb-dropout", "utf-8", true);
  /* and the names are exactly as generated (髙, 﨑, 𠮷, IVS) */
  char *path = generate(w, "highrisk", "utf-8", true, ROWS);
  result r = read_all(w, path, "kdb-highrisk");
  int name = col(&r, "氏名");
  const char *want[] = {"髙橋", "﨑山", "\xF0\xA0\xAE\xB7田", "渡\xE9\x82\x89\xF3\xA0\x84\x80"};
  for (size_t k = 0; k < G_N_ELEMENTS(want); k++) {
    bool found = false;
    for (guint i = 0; i < r.rows->len && !found; i++)
      found = g_str_has_prefix(g_array_index(r.rows, seen_row, i).values[name], want[k]);
    if (!found) fail_msg("no name starting with %s", want[k]);
  }
  result_free(&r);
  g_free(path);
}

static void tricky_cp932_rejects_exactly_the_gaiji_and_reads_the_rest_like_utf8(void **state) {
  world *w = *state;
  for (int type = 0; type < 2; type++) {
    const char *ty = type ? "dropout" : "highrisk", *prof = type ? "kdb-dropout" : "kdb-highrisk";
    char *upath = generate(w, ty, "utf-8", true, ROWS);
    char *cpath = generate(w, ty, "cp932", true, ROWS);
    result u = read_all(w, upath, prof);
    result c = read_all(w, cpath, prof);
    assert_int_equal(u.rows->len, c.rows->len);
    int name = col(&u, "氏名");
    size_t gaiji = 0;
    for (guint i = 0; i < u.rows->len; i++) {
      seen_row *a = &g_array_index(u.rows, seen_row, i), *b = &g_array_index(c.rows, seen_row, i);
      bool yoshi = strstr(a->values[name], "\xF0\xA0\xAE\xB7") != NULL; /* 𠮷: not in CP932 */
      bool ivs = strstr(a->values[name], "\xF3\xA0\x84\x80") != NULL;   /* dropped by CP932 */
      if (yoshi) {
        /* the generator wrote it as 外字 F040: rejected, never passed on */
        assert_int_equal(b->kind, TG_VERDICT_REJECTED);
        assert_string_equal(b->code, "data.gaiji");
        gaiji++;
        continue;
      }
      assert_int_equal(b->kind, TG_VERDICT_OK);
      for (int k = 0; a->values[k]; k++) {
        if (ivs && k == name) continue;
        assert_string_equal(a->values[k], b->values[k]);
      }
    }
    assert_true(gaiji >= 1);
    assert_int_equal(c.counts.rejected, gaiji);
    assert_int_equal(c.counts.checked, c.counts.ok + c.counts.rejected + c.counts.excluded);
    /* the rejection names row, column and code */
    const tg_diag_entry *e = tg_diag_get(c.d, 0);
    assert_string_equal(e->code, "data.gaiji");
    assert_string_equal(e->column, "氏名");
    assert_non_null(strstr(e->message, "user-defined character F040 (外字)"));
    expect_no_personal_values(&c);
    result_free(&u);
    result_free(&c);
    g_free(upath);
    g_free(cpath);
  }
}

/* Damage a generated list in every way the validator knows and check that
 * the messages name rows and columns but hold none of the rows' values. */
static void no_personal_value_appears_in_any_diagnostic(void **state) {
  world *w = *state;
  char *path = generate(w, "highrisk", "utf-8", true, ROWS);
  char *text;
  gsize len;
  assert_true(g_file_get_contents(path, &text, &len, NULL));
  gchar **lines = g_strsplit(text, "\r\n", -1);
  /* columns: 被保険者記号,被保険者番号,KDB個人番号,氏名,氏名カナ,性別,年齢,生年月日,郵便番号,
   * 住所,収縮期血圧,拡張期血圧,空腹時血糖,HbA1c,LDLコレステロール,eGFR,国保取得年月日 */
  static const struct {
    int column;
    const char *value;
  } DAMAGE[] = {
      {8, "100-0013"},   {8, "999-9999"},  {8, "12-34567"},  {9, "東京都千代田区霞が関1丁目"},
      {7, "S64.05.05"},  {7, "H31.05.01"}, {7, "S31.02.30"}, {6, "101"},
      {10, "999"},       {10, "80"},       {13, "65"},       {4, "ヤマダ太郎"},
      {3, "山田　〓子"}, {5, "不明"},      {2, ""},          {16, "6050718"},
      {15, "abc"},       {3, ""}};
  guint nlines = g_strv_length(lines);
  for (size_t i = 0; i < G_N_ELEMENTS(DAMAGE) && i + 1 < nlines; i++) {
    gchar **f = g_strsplit(lines[i + 1], ",", -1);
    if (g_strv_length(f) != 17) { /* a quoted field: leave the row alone */
      g_strfreev(f);
      continue;
    }
    g_free(f[DAMAGE[i].column]);
    f[DAMAGE[i].column] = g_strdup(DAMAGE[i].value);
    g_free(lines[i + 1]);
    lines[i + 1] = g_strjoinv(",", f);
    g_strfreev(f);
  }
  /* and a duplicate of row 30 at the end */
  char *joined = g_strjoinv("\r\n", lines);
  GString *s = g_string_new(joined);
  g_string_append_printf(s, "%s\r\n", lines[29]);
  g_assert_true(g_file_set_contents(path, s->str, (gssize)s->len, NULL));
  result r = read_all(w, path, "kdb-highrisk");
  assert_true(r.counts.rejected >= 15);
  assert_int_equal(r.counts.excluded_duplicate, 1);
  assert_int_equal(r.counts.checked, ROWS + 1);
  assert_int_equal(r.counts.checked, r.counts.ok + r.counts.rejected + r.counts.excluded);
  expect_no_personal_values(&r);
  result_free(&r);
  g_string_free(s, TRUE);
  g_free(joined);
  g_strfreev(lines);
  g_free(text);
  g_free(path);
}

int main(void) {
  const char *shared = g_getenv("TEGAMI_SHARED");
  char *gen = shared ? g_build_filename(shared, "gen_targets.py", NULL) : NULL;
  char *python = g_find_program_in_path("python3");
  bool ok = gen && g_file_test(gen, G_FILE_TEST_EXISTS) && python;
  g_free(gen);
  g_free(python);
  if (!ok) {
    fprintf(stderr, "skipped: TEGAMI_SHARED/gen_targets.py or python3 not found\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(generated_lists_in_utf8_are_all_valid),
      cmocka_unit_test(generated_lists_in_cp932_are_all_valid),
      cmocka_unit_test(tricky_names_and_addresses_survive_in_utf8),
      cmocka_unit_test(tricky_cp932_rejects_exactly_the_gaiji_and_reads_the_rest_like_utf8),
      cmocka_unit_test(no_personal_value_appears_in_any_diagnostic),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
