/* staff.c — the staff folder of a run: what the municipality's staff need
 * after the letters and the print vendor must not see.
 *
 * The run's output folder is the vendor's hand-off; its sub-folder staff/
 * (0700) is not (docs/vendor-handoff.md, docs/followup.md):
 *
 *   staff/people.csv      one line per printed letter: letter id, the person's
 *                         key and 被保険者番号, name and kana, sex, age, the
 *                         municipality (id and name), what letter it was
 *                         (type, segment, variant, arm), the results the
 *                         letter showed, eGFR, the deadline and the letter
 *                         date — what the nurses' call sheets are made of
 *                         (tegami calls plan)
 *   staff/assignment.csv  the experiment's arms (only with an experiment)
 *   staff/followup.json   the job's id, date, and how its PDFs are encrypted
 *                         (so that call sheets are encrypted the same way)
 *   staff/SHA256SUMS      the checksums of the files above
 *
 * The vendor's SHA256SUMS covers the vendor's files only.  people.csv is
 * written from the lists again (each letter's row, seeking back to it), so
 * the run holds no names in memory for it.
 */
#include "run/run_private.h"

#include <string.h>

/* The results a letter of each type shows (layouts/highrisk.yaml,
 * dropout.yaml), as "label column" pairs; columns a list lacks are left out. */
static const char *const RESULT_COLUMNS[][2] = {
    {"血圧", "収縮期血圧"}, {"", "拡張期血圧"},           {"血糖", "空腹時血糖"},
    {"HbA1c", "HbA1c"},     {"LDL", "LDLコレステロール"}, {"eGFR", "eGFR"},
};

static const char *field(const tg_row *row, int c) {
  return c >= 0 && (size_t)c < row->nfields ? row->fields[c] : "";
}

/* "血圧 140/88  血糖 101  HbA1c 5.7  LDL 197  eGFR 59.0", or for a dropout
 * list the years and illnesses marked "受診歴 3年前 高血圧症 …". */
static void results_text(tg_targets *t, const tg_row *row, GString *out) {
  for (size_t i = 0; i < G_N_ELEMENTS(RESULT_COLUMNS); i++) {
    const char *v = field(row, tg_targets_find_column(t, RESULT_COLUMNS[i][1]));
    if (!*v) continue;
    if (!RESULT_COLUMNS[i][0][0]) { /* 拡張期 follows 収縮期 */
      g_string_append_printf(out, "/%s", v);
      continue;
    }
    g_string_append_printf(out, "%s%s %s", out->len ? "  " : "", RESULT_COLUMNS[i][0], v);
  }
  bool any = false;
  for (size_t c = 0; c < tg_targets_get_column_count(t); c++) {
    const char *name = tg_targets_get_column_name(t, c);
    const char *mark = strstr(name, "受診状況_");
    if (!mark || !*field(row, (int)c)) continue;
    g_string_append_printf(out, "%s%.*s %s", any ? " / " : (out->len ? "  受診歴 " : "受診歴 "),
                           (int)(mark - name), name, mark + strlen("受診状況_"));
    any = true;
  }
}

static bool write_people(run_state *R, const char *dir) {
  char *path = g_build_filename(dir, "people.csv", NULL);
  tg_atomic *a = tg_atomic_open(path, R->d);
  g_free(path);
  if (!a) return false;
  FILE *f = tg_atomic_get_file(a);
  fputs("letter_id,key,被保険者番号,氏名,氏名カナ,性別,年齢,municipality,municipality_name,"
        "target_type,segment,variant,arm,results,eGFR,deadline,letter_date\r\n",
        f);
  tg_targets **readers = g_new0(tg_targets *, R->plans->len + 1);
  GString *line = g_string_new(NULL), *res = g_string_new(NULL);
  bool ok = true;
  for (guint i = 0; i < R->manifest->len && ok; i++) {
    const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
    const run_letter *l = &g_array_index(R->letters, run_letter, e->letter);
    if (!readers[l->plan])
      readers[l->plan] =
          tg_targets_open(run_plan_list_file(R, l->plan), run_plan_read_options(R, l->plan), R->d);
    tg_targets *t = readers[l->plan];
    tg_row row;
    ok = t && tg_targets_seek(t, l->offset, l->row, l->line, R->d) &&
         tg_targets_next(t, &row, R->d) == 1 && row.number == l->row;
    if (!ok) {
      tg_diag_row(R->d, TG_ERROR, TG_KIND_SYSTEM, "io.changed", run_plan_list_file(R, l->plan),
                  l->row, NULL, "the list changed while the run was reading it");
      break;
    }
    const tg_municipality *mu = run_plan_muni(R, l->plan);
    const char *deadline = tg_values_get(mu->values, "municipality.deadline");
    char id[64];
    run_letter_id(R, l, id, sizeof id);
    g_string_truncate(res, 0);
    results_text(t, &row, res);
    const char *key = field(&row, tg_targets_find_column(t, R->job->key_column));
    const char *vals[] = {id,
                          key,
                          field(&row, tg_targets_find_column(t, "被保険者番号")),
                          field(&row, tg_targets_find_column(t, "氏名")),
                          field(&row, tg_targets_find_column(t, "氏名カナ")),
                          field(&row, tg_targets_find_column(t, "性別")),
                          field(&row, tg_targets_find_column(t, "年齢")),
                          mu->id,
                          mu->name ? mu->name : "",
                          run_plan_list_type(R, l->plan),
                          l->segment ? g_ptr_array_index(R->names, l->segment) : "",
                          l->variant ? g_ptr_array_index(R->names, l->variant) : "",
                          l->arm ? g_ptr_array_index(R->names, l->arm) : "",
                          res->str,
                          field(&row, tg_targets_find_column(t, "eGFR")),
                          deadline ? deadline : "",
                          R->job->date};
    g_string_truncate(line, 0);
    for (size_t k = 0; k < G_N_ELEMENTS(vals); k++) {
      if (k) g_string_append_c(line, ',');
      tg_csv_append_field(line, vals[k]);
    }
    g_string_append(line, "\r\n");
    fwrite(line->str, 1, line->len, f);
  }
  for (guint i = 0; i < R->plans->len; i++)
    tg_targets_free(readers[i]);
  g_free(readers);
  g_string_free(line, TRUE);
  g_string_free(res, TRUE);
  if (!ok) {
    tg_atomic_abort(a);
    return false;
  }
  return tg_atomic_commit(a, R->d);
}

static bool write_text(run_state *R, const char *dir, const char *name, const GString *s) {
  char *path = g_build_filename(dir, name, NULL);
  tg_atomic *a = tg_atomic_open(path, R->d);
  g_free(path);
  if (!a) return false;
  fwrite(s->str, 1, s->len, tg_atomic_get_file(a));
  return tg_atomic_commit(a, R->d);
}

bool run_write_staff(run_state *R, bool with_assignment) {
  char *dir = g_build_filename(R->stage_dir, "staff", NULL);
  bool ok = tg_mkdir_private(dir, R->d) && write_people(R, dir);
  GString *j = g_string_new("{\n  \"job\": ");
  tg_json_string(j, R->job->id);
  g_string_append(j, ",\n  \"date\": ");
  tg_json_string(j, R->job->date);
  const tg_output_spec *o = &R->job->output;
  g_string_append(j, ",\n  \"encrypt_password_file\": ");
  tg_json_string(j, o->encrypt_password_file ? o->encrypt_password_file : "");
  g_string_append(j, ",\n  \"encrypt_password_env\": ");
  tg_json_string(j, o->encrypt_password_env ? o->encrypt_password_env : "");
  g_string_append(j, "\n}\n");
  ok = ok && write_text(R, dir, "followup.json", j);
  g_string_free(j, TRUE);
  const char *files[] = {"people.csv", "followup.json", with_assignment ? "assignment.csv" : NULL};
  GString *sums = g_string_new(NULL);
  for (size_t i = 0; i < G_N_ELEMENTS(files) && ok; i++) {
    if (!files[i]) continue;
    char *path = g_build_filename(dir, files[i], NULL);
    char *hex = tg_sha256_file(path, R->d);
    if (hex) g_string_append_printf(sums, "%s  %s\n", hex, files[i]);
    ok = hex != NULL;
    g_free(hex);
    g_free(path);
    char *name = g_build_filename("staff", files[i], NULL);
    g_ptr_array_add(R->outputs, name);
  }
  ok = ok && write_text(R, dir, "SHA256SUMS", sums);
  if (ok) g_ptr_array_add(R->outputs, g_strdup("staff/SHA256SUMS"));
  g_string_free(sums, TRUE);
  g_free(dir);
  return ok;
}

/* The body lines of a staff CSV (after its header); the header into *header. */
static char **staff_lines(const char *path, char **header) {
  gchar *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL)) return NULL;
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  if (header && !*header && lines[0]) *header = g_strdup(lines[0]);
  return lines;
}

bool run_join_staff(const char *const *dirs, size_t n, const char *stage,
                    bool (*verify)(const char *dir, tg_diag *d), tg_diag *d) {
  static const char *const csvs[] = {"people.csv", "assignment.csv"};
  char *first = g_build_filename(dirs[0], "staff", NULL);
  bool any = g_file_test(first, G_FILE_TEST_IS_DIR);
  g_free(first);
  if (!any) return true; /* shards of an older tegami: no staff record */
  char *to = g_build_filename(stage, "staff", NULL);
  bool ok = tg_mkdir_private(to, d);
  for (size_t i = 0; i < n && ok; i++) {
    char *dir = g_build_filename(dirs[i], "staff", NULL);
    ok = verify(dir, d);
    g_free(dir);
  }
  GString *sums = g_string_new(NULL);
  for (size_t c = 0; c < G_N_ELEMENTS(csvs) + 1 && ok; c++) {
    const char *name = c < G_N_ELEMENTS(csvs) ? csvs[c] : "followup.json";
    char *header = NULL;
    GString *all = g_string_new(NULL);
    bool present = false;
    for (size_t i = 0; i < n; i++) {
      char *path = g_build_filename(dirs[i], "staff", name, NULL);
      if (c == G_N_ELEMENTS(csvs)) { /* followup.json: the same in every shard */
        gchar *text = NULL;
        if (!present && g_file_get_contents(path, &text, NULL, NULL)) {
          g_string_append(all, text);
          present = true;
        }
        g_free(text);
      } else {
        char **lines = staff_lines(path, &header);
        for (size_t k = 1; lines && lines[k]; k++)
          if (*g_strchomp(lines[k])) g_string_append_printf(all, "%s\r\n", lines[k]);
        present = present || lines;
        g_strfreev(lines);
      }
      g_free(path);
    }
    if (header) {
      g_string_prepend(all, "\r\n");
      g_string_prepend(all, g_strchomp(header));
    }
    if (present) {
      char *path = g_build_filename(to, name, NULL);
      tg_atomic *a = tg_atomic_open(path, d);
      ok = a != NULL;
      if (a) {
        fwrite(all->str, 1, all->len, tg_atomic_get_file(a));
        ok = tg_atomic_commit(a, d);
      }
      char *hex = ok ? tg_sha256_file(path, d) : NULL;
      if (hex) g_string_append_printf(sums, "%s  %s\n", hex, name);
      ok = ok && hex;
      g_free(hex);
      g_free(path);
    }
    g_free(header);
    g_string_free(all, TRUE);
  }
  if (ok) {
    char *path = g_build_filename(to, "SHA256SUMS", NULL);
    tg_atomic *a = tg_atomic_open(path, d);
    ok = a != NULL;
    if (a) {
      fwrite(sums->str, 1, sums->len, tg_atomic_get_file(a));
      ok = tg_atomic_commit(a, d);
    }
    g_free(path);
  }
  g_string_free(sums, TRUE);
  g_free(to);
  return ok;
}
