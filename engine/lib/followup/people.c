/* people.c — the people of a run as the follow-up sees them.
 *
 * Read from the run's staff record (OUT/staff/people.csv, written by the run:
 * run/staff.c) or from what a plan copied into CALLS/people.csv, then
 * joined with the municipal phone list, the returned-mail ledger and the
 * calls ledger.  A person is found by KDB個人番号 (the run's key), by letter
 * id (as the manifest has it, or as the control number prints it:
 * "14999-1-000002 1/2") or by 被保険者番号. */
#include "followup/followup_private.h"

#include <string.h>

static void person_free(gpointer p) {
  fu_person *x = p;
  char **fields[] = {&x->letter_id, &x->key,         &x->insured, &x->name,      &x->kana,
                     &x->sex,       &x->age,         &x->muni,    &x->muni_name, &x->type,
                     &x->segment,   &x->variant,     &x->arm,     &x->results,   &x->egfr_text,
                     &x->deadline,  &x->letter_date, &x->phone,   &x->phone2,    &x->returned};
  for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
    g_free(*fields[i]);
  if (x->calls) {
    for (guint i = 0; i < x->calls->len; i++) {
      fu_call *c = &g_array_index(x->calls, fu_call, i);
      g_free(c->datetime);
      g_free(c->nurse);
      g_free(c->notes);
    }
    g_array_free(x->calls, TRUE);
  }
  g_free(x);
}

void fu_people_init(fu_people *P) {
  memset(P, 0, sizeof *P);
  P->people = g_ptr_array_new_with_free_func(person_free);
  P->by_key = g_hash_table_new(g_str_hash, g_str_equal);
  P->by_letter = g_hash_table_new(g_str_hash, g_str_equal);
  P->by_insured = g_hash_table_new(g_str_hash, g_str_equal);
}

void fu_people_clear(fu_people *P) {
  if (!P->people) return;
  g_hash_table_destroy(P->by_key);
  g_hash_table_destroy(P->by_letter);
  g_hash_table_destroy(P->by_insured);
  g_ptr_array_free(P->people, TRUE);
  g_free(P->job);
  g_free(P->date);
  g_free(P->password_file);
  g_free(P->password_env);
  memset(P, 0, sizeof *P);
}

static char *col(tg_targets *t, const tg_row *row, const char *name) {
  int c = tg_targets_find_column(t, name);
  return g_strdup(c >= 0 && (size_t)c < row->nfields ? row->fields[c] : "");
}

static void index_person(fu_people *P, fu_person *x) {
  g_ptr_array_add(P->people, x);
  if (*x->key) g_hash_table_insert(P->by_key, x->key, x);
  if (*x->letter_id) g_hash_table_insert(P->by_letter, x->letter_id, x);
  if (*x->insured) {
    /* a 被保険者番号 shared by two people names neither */
    if (g_hash_table_contains(P->by_insured, x->insured))
      g_hash_table_replace(P->by_insured, x->insured, NULL);
    else
      g_hash_table_insert(P->by_insured, x->insured, x);
  }
}

static bool load_csv(fu_people *P, const char *path, bool from_calls, tg_diag *d) {
  tg_targets *t = tg_targets_open(path, NULL, d);
  if (!t) return false;
  static const char *const needed[] = {"letter_id", "key", "municipality", "letter_date"};
  for (size_t i = 0; i < G_N_ELEMENTS(needed); i++)
    if (tg_targets_find_column(t, needed[i]) < 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "followup.people",
                  "%s has no column '%s': is it a tegami staff record?", path, needed[i]);
      tg_targets_free(t);
      return false;
    }
  tg_row row;
  int r;
  while ((r = tg_targets_next(t, &row, d)) == 1) {
    fu_person *x = g_new0(fu_person, 1);
    x->letter_id = col(t, &row, "letter_id");
    x->key = col(t, &row, "key");
    x->insured = col(t, &row, "被保険者番号");
    x->name = col(t, &row, "氏名");
    x->kana = col(t, &row, "氏名カナ");
    x->sex = col(t, &row, "性別");
    x->age = col(t, &row, "年齢");
    x->muni = col(t, &row, "municipality");
    x->muni_name = col(t, &row, "municipality_name");
    x->type = col(t, &row, "target_type");
    x->segment = col(t, &row, "segment");
    x->variant = col(t, &row, "variant");
    x->arm = col(t, &row, "arm");
    x->results = col(t, &row, "results");
    x->egfr_text = col(t, &row, "eGFR");
    x->deadline = col(t, &row, "deadline");
    x->letter_date = col(t, &row, "letter_date");
    x->has_egfr = *x->egfr_text && tg_parse_number(x->egfr_text, &x->egfr);
    x->calls = g_array_new(FALSE, TRUE, sizeof(fu_call));
    if (from_calls) {
      char *p1 = col(t, &row, "電話番号"), *p2 = col(t, &row, "電話番号2");
      x->phone = *p1 ? p1 : (g_free(p1), NULL);
      x->phone2 = *p2 ? p2 : (g_free(p2), NULL);
    }
    index_person(P, x);
  }
  tg_targets_free(t);
  return r == 0;
}

/* A string value of followup.json ("key": "value"), or NULL. */
static char *json_value(const char *text, const char *key) {
  char *pat = g_strdup_printf("\"%s\": \"", key);
  const char *p = strstr(text, pat);
  char *v = NULL;
  if (p) {
    p += strlen(pat);
    GString *s = g_string_new(NULL);
    for (; *p && *p != '"'; p++) {
      if (*p == '\\' && p[1]) p++;
      g_string_append_c(s, *p);
    }
    v = g_string_free(s, FALSE);
  }
  g_free(pat);
  return v;
}

bool fu_people_load_run(fu_people *P, const char *run_dir, tg_diag *d) {
  char *path = g_build_filename(run_dir, "staff", "people.csv", NULL);
  char *info = g_build_filename(run_dir, "staff", "followup.json", NULL);
  bool ok = true;
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "followup.no-staff-record",
                "%s has no staff/people.csv: it is not the output folder of a run (or of a run "
                "by an older tegami)",
                run_dir);
    ok = false;
  }
  ok = ok && load_csv(P, path, false, d);
  gchar *text = NULL;
  if (ok && g_file_get_contents(info, &text, NULL, NULL)) {
    g_free(P->job);
    g_free(P->date);
    P->job = json_value(text, "job");
    P->date = json_value(text, "date");
    char *pf = json_value(text, "encrypt_password_file"),
         *pe = json_value(text, "encrypt_password_env");
    if (pf && *pf) P->password_file = g_strdup(pf);
    if (pe && *pe) P->password_env = g_strdup(pe);
    g_free(pf);
    g_free(pe);
    g_free(text);
  }
  g_free(path);
  g_free(info);
  return ok;
}

bool fu_people_load_calls(fu_people *P, const char *calls_dir, tg_diag *d) {
  char *path = g_build_filename(calls_dir, "people.csv", NULL);
  bool ok = g_file_test(path, G_FILE_TEST_IS_REGULAR);
  if (!ok)
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "calls.not-a-plan",
                "%s has no people.csv: make it with 'tegami calls plan' first", calls_dir);
  ok = ok && load_csv(P, path, true, d);
  g_free(path);
  return ok;
}

fu_person *fu_people_find(const fu_people *P, const char *key) {
  if (!key || !*key) return NULL;
  char *k = g_strstrip(g_strdup(key));
  char *space = strchr(k, ' '); /* "14999-1-000002 1/2", as the control number prints it */
  if (space) *space = 0;
  fu_person *x = g_hash_table_lookup(P->by_key, k);
  if (!x) x = g_hash_table_lookup(P->by_letter, k);
  if (!x) x = g_hash_table_lookup(P->by_insured, k);
  g_free(k);
  return x;
}

bool fu_people_apply_returns(fu_people *P, const char *run_dir, uint64_t *n, tg_diag *d) {
  char *path = g_build_filename(run_dir, "staff", "returns.csv", NULL);
  fu_ledger L;
  bool ok = fu_ledger_load(path, FU_RETURNS_HEADER, &L, d);
  g_free(path);
  uint64_t count = 0;
  for (guint i = 0; ok && i < L.entries->len; i++) {
    char **f = g_ptr_array_index(L.entries, i);
    if (g_strv_length(f) < 6) continue;
    fu_person *x = g_hash_table_lookup(P->by_letter, f[2]);
    if (x && !x->returned) {
      x->returned = g_strdup(f[5]);
      count++;
    }
  }
  fu_ledger_clear(&L);
  if (n) *n = count;
  return ok;
}

static gint call_cmp(gconstpointer a, gconstpointer b) {
  return strcmp(((const fu_call *)a)->datetime, ((const fu_call *)b)->datetime);
}

bool fu_people_apply_calls(fu_people *P, const char *calls_dir, unsigned attempts, uint64_t *n,
                           tg_diag *d) {
  char *path = g_build_filename(calls_dir, "ledger.csv", NULL);
  fu_ledger L;
  bool ok = fu_ledger_load(path, FU_CALLS_HEADER, &L, d);
  g_free(path);
  for (guint i = 0; ok && i < L.entries->len; i++) {
    /* seq,prev,key,letter_id,municipality,datetime,weekday,band,nurse,code,notes,... */
    char **f = g_ptr_array_index(L.entries, i);
    if (g_strv_length(f) < 11) continue;
    fu_person *x = g_hash_table_lookup(P->by_letter, f[3]);
    fu_call c = {0};
    if (!x || !tg_call_outcome_parse(f[9], &c.outcome) ||
        !tg_call_slot_parse(f[5], &c.slot, &c.day, NULL))
      continue;
    if (c.outcome == TG_CALL_INQUIRY) {
      x->inquiries++;
      continue;
    }
    c.datetime = g_strdup(f[5]);
    c.nurse = g_strdup(f[8]);
    c.notes = g_strdup(f[10]);
    g_array_append_val(x->calls, c);
  }
  for (guint i = 0; ok && i < P->people->len; i++) {
    fu_person *x = g_ptr_array_index(P->people, i);
    g_array_sort(x->calls, call_cmp);
    for (guint k = 0; k < x->calls->len; k++) {
      const fu_call *c = &g_array_index(x->calls, fu_call, k);
      x->last = c->outcome;
      if (tg_call_outcome_reached(c->outcome)) x->reached = true;
      if (tg_call_outcome_closes(c->outcome)) x->closed = true;
    }
    if (attempts && x->calls->len >= attempts) x->closed = true;
  }
  if (n) *n = ok ? L.entries->len : 0;
  fu_ledger_clear(&L);
  return ok;
}
