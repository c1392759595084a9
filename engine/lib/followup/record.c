/* record.c — `tegami calls record` and `tegami returns record`: outcomes in.
 *
 * Each input line is checked and either appended to its ledger or reported
 * with its row and column (never its value): an unknown person or letter,
 * an unknown code or reason, a malformed date, a date before the letter
 * date.  A line already in the ledger (the same person, time, nurse and
 * code; the same returned letter) is skipped and counted, so that a file
 * can be recorded again after its bad lines were fixed.  An attempt that
 * does not change both weekday and time band from the person's previous
 * attempt did happen, so it is recorded — with a warning naming the row.
 * Nothing is dropped silently: recorded + skipped + rejected = rows read. */
#include "followup/followup_private.h"

#include <string.h>

static const char *const REASONS[] = {"宛所不明", "転居先不明", "受取拒否"};

static const char *cell(const tg_row *row, int c) {
  return c >= 0 && (size_t)c < row->nfields ? row->fields[c] : "";
}

static int need_column(tg_targets *t, const char *name, tg_diag *d) {
  int c = tg_targets_find_column(t, name);
  if (c < 0)
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "followup.column", "%s has no column '%s'",
                tg_targets_get_path(t), name);
  return c;
}

/* "YYYY-MM-DD HH:MM" of a parsed date-time. */
static char *normal_datetime(uint32_t julian, int minute) {
  GDate g;
  g_date_clear(&g, 1);
  g_date_set_julian(&g, julian);
  return g_strdup_printf("%04d-%02d-%02d %02d:%02d", g_date_get_year(&g), g_date_get_month(&g),
                         g_date_get_day(&g), minute / 60, minute % 60);
}

static char **strv_of(const char *const *v, size_t n) {
  char **out = g_new0(char *, n + 1);
  for (size_t i = 0; i < n; i++)
    out[i] = g_strdup(v[i] ? v[i] : "");
  return out;
}

/* The person's attempt just before `day`/`dt` among those known. */
static const fu_call *previous_call(const fu_person *x, const char *dt) {
  const fu_call *prev = NULL;
  for (guint i = 0; i < x->calls->len; i++) {
    const fu_call *c = &g_array_index(x->calls, fu_call, i);
    if (strcmp(c->datetime, dt) < 0 && (!prev || strcmp(c->datetime, prev->datetime) > 0)) prev = c;
  }
  return prev;
}

/* The end of a recording: the accepted rows appended to the ledger, the
 * ledger named as an output once anything was ever recorded in it, what the
 * recording held released (`ledger`, `rows`, `seen`, `source`, `t`, `L`,
 * `P`), and the exit status of the whole. */
static tg_exit finish_recording(bool ok, char *ledger, const char *header, GPtrArray *rows,
                                GHashTable *seen, char *source, tg_targets *t, fu_ledger *L,
                                fu_people *P, tg_followup_result *r, tg_diag *d) {
  if (ok && rows->len) ok = fu_ledger_append(ledger, header, rows, d);
  if (ok) {
    r->recorded = rows->len;
    /* the ledger is an output only once something was ever recorded in it */
    if (g_file_test(ledger, G_FILE_TEST_EXISTS)) fu_result_add(r, ledger);
  }
  g_ptr_array_free(rows, TRUE);
  g_hash_table_destroy(seen);
  g_free(source);
  if (t) tg_targets_free(t);
  fu_ledger_clear(L);
  g_free(ledger);
  fu_people_clear(P);
  if (!ok) return tg_diag_exit_code(d) ? tg_diag_exit_code(d) : TG_EXIT_INVALID;
  return r->rejected ? TG_EXIT_REJECTED : TG_EXIT_OK;
}

tg_exit tg_calls_record(const char *calls_dir, const char *outcomes_csv, tg_followup_result *r,
                        tg_diag *d) {
  memset(r, 0, sizeof *r);
  fu_people P;
  fu_people_init(&P);
  char *ledger = g_build_filename(calls_dir, "ledger.csv", NULL);
  fu_ledger L = {0};
  bool ok = fu_people_load_calls(&P, calls_dir, d) &&
            fu_people_apply_calls(&P, calls_dir, 0, NULL, d) &&
            fu_ledger_load(ledger, FU_CALLS_HEADER, &L, d);
  tg_targets *t = ok ? tg_targets_open(outcomes_csv, NULL, d) : NULL;
  int ckey = -1, cdt = -1, cnurse = -1, ccode = -1, cnotes = -1;
  if (t) {
    ckey = need_column(t, "key", d);
    cdt = need_column(t, "datetime", d);
    cnurse = need_column(t, "nurse", d);
    ccode = need_column(t, "code", d);
    cnotes = tg_targets_find_column(t, "notes");
  }
  ok = t && ckey >= 0 && cdt >= 0 && cnurse >= 0 && ccode >= 0;
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; L.entries && i < L.entries->len; i++) {
    char **f = g_ptr_array_index(L.entries, i);
    if (g_strv_length(f) >= 10)
      g_hash_table_add(seen, g_strjoin("\x1f", f[3], f[5], f[8], f[9], NULL));
  }
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  char *source = g_path_get_basename(outcomes_csv);
  tg_row row;
  int rc = 0;
  bool warned_codes = false;
  while (ok && (rc = tg_targets_next(t, &row, d)) == 1) {
    const char *path = outcomes_csv;
    fu_person *x = fu_people_find(&P, cell(&row, ckey));
    tg_call_outcome code;
    tg_call_slot slot;
    uint32_t day = 0;
    int minute = 0;
    bool good = true;
    if (row.rejected) {
      good = false; /* already reported by the reader */
    }
    if (good && !x) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "calls.unknown-person", path, row.number, "key",
                  "nobody of the plan has this key (KDB個人番号, letter id or 被保険者番号)");
      good = false;
    }
    if (good && !tg_call_outcome_parse(cell(&row, ccode), &code)) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "calls.unknown-code", path, row.number, "code",
                  "not an outcome code");
      if (!warned_codes)
        tg_diag_hint(d,
                     "the codes are 受診済 予約済 受診予定 受診しない 不在 番号違い 拒否 問合せ");
      warned_codes = true;
      good = false;
    }
    if (good && !tg_call_slot_parse(cell(&row, cdt), &slot, &day, &minute)) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "calls.bad-datetime", path, row.number, "datetime",
                  "not a date and time like 2026-10-08 10:30");
      good = false;
    }
    if (good && day < fu_julian(x->letter_date)) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "calls.before-letter", path, row.number, "datetime",
                  "the call is dated before the letter went out");
      good = false;
    }
    char *nurse = g_strstrip(g_strdup(cell(&row, cnurse)));
    if (good && !*nurse) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "calls.no-nurse", path, row.number, "nurse",
                  "who made or took the call is missing");
      good = false;
    }
    if (!good) {
      r->rejected++;
      g_free(nurse);
      continue;
    }
    char *dt = normal_datetime(day, minute);
    char *id = g_strjoin("\x1f", x->letter_id, dt, nurse, tg_call_outcome_name(code), NULL);
    if (g_hash_table_contains(seen, id)) {
      r->skipped++;
      g_free(id);
      g_free(dt);
      g_free(nurse);
      continue;
    }
    g_hash_table_add(seen, id);
    if (code != TG_CALL_INQUIRY) {
      const fu_call *prev = previous_call(x, dt);
      if (prev && !tg_call_slots_differ(prev->slot, slot))
        tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "calls.same-slot", path, row.number, "datetime",
                    prev->slot.weekday == slot.weekday && prev->slot.band == slot.band
                        ? N_("this attempt repeats the weekday and time band of the one before: "
                             "recorded, but a retry should change both")
                        : N_("this attempt repeats the weekday or the time band of the one before: "
                             "recorded, but a retry should change both"));
      fu_call c = {g_strdup(dt), g_strdup(nurse), NULL, code, slot, day};
      g_array_append_val(x->calls, c);
    }
    char rowno[24];
    g_snprintf(rowno, sizeof rowno, "%" G_GUINT64_FORMAT, row.number);
    const char *v[] = {x->key,
                       x->letter_id,
                       x->muni,
                       dt,
                       tg_weekday_name(slot.weekday),
                       tg_call_band_name(slot.band),
                       nurse,
                       tg_call_outcome_name(code),
                       cell(&row, cnotes),
                       source,
                       rowno};
    g_ptr_array_add(rows, strv_of(v, G_N_ELEMENTS(v)));
    g_free(dt);
    g_free(nurse);
  }
  return finish_recording(ok && rc >= 0, ledger, FU_CALLS_HEADER, rows, seen, source, t, &L, &P, r,
                          d);
}

tg_exit tg_returns_record(const char *run_dir, const char *returns_csv, tg_followup_result *r,
                          tg_diag *d) {
  memset(r, 0, sizeof *r);
  fu_people P;
  fu_people_init(&P);
  char *ledger = g_build_filename(run_dir, "staff", "returns.csv", NULL);
  fu_ledger L = {0};
  bool ok = fu_people_load_run(&P, run_dir, d) && fu_ledger_load(ledger, FU_RETURNS_HEADER, &L, d);
  tg_targets *t = ok ? tg_targets_open(returns_csv, NULL, d) : NULL;
  int cid = -1, creason = -1, cdate = -1;
  if (t) {
    cid = need_column(t, "letter_id", d);
    creason = need_column(t, "reason", d);
    cdate = tg_targets_find_column(t, "date");
  }
  ok = t && cid >= 0 && creason >= 0;
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; L.entries && i < L.entries->len; i++) {
    char **f = g_ptr_array_index(L.entries, i);
    if (f[0] && f[1] && f[2]) g_hash_table_add(seen, g_strdup(f[2]));
  }
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  char *source = g_path_get_basename(returns_csv);
  tg_row row;
  int rc = 0;
  while (ok && (rc = tg_targets_next(t, &row, d)) == 1) {
    char *id = g_strstrip(g_strdup(cell(&row, cid)));
    char *space = strchr(id, ' '); /* as the control number prints it: "14999-1-000002 1/2" */
    if (space) *space = 0;
    fu_person *x = g_hash_table_lookup(P.by_letter, id);
    char *reason = g_strstrip(g_strdup(cell(&row, creason)));
    const char *date = cell(&row, cdate);
    bool good = !row.rejected, known_reason = false;
    for (size_t i = 0; i < G_N_ELEMENTS(REASONS); i++)
      known_reason = known_reason || strcmp(reason, REASONS[i]) == 0;
    if (good && !x) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "returns.unknown-letter", returns_csv, row.number,
                  "letter_id", "no letter of this run has this id (see manifest.csv)");
      good = false;
    }
    if (good && !known_reason) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "returns.unknown-reason", returns_csv, row.number,
                  "reason", "not a reason for returned mail");
      tg_diag_hint(d, "the reasons are 宛所不明 転居先不明 受取拒否");
      good = false;
    }
    if (good && *date && (!fu_julian(date) || fu_julian(date) < fu_julian(x->letter_date))) {
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "returns.bad-date", returns_csv, row.number, "date",
                  "not a date like 2026-10-20, or before the letter went out");
      good = false;
    }
    if (!good) {
      r->rejected++;
    } else if (g_hash_table_contains(seen, x->letter_id)) {
      r->skipped++;
    } else {
      g_hash_table_add(seen, g_strdup(x->letter_id));
      char rowno[24];
      g_snprintf(rowno, sizeof rowno, "%" G_GUINT64_FORMAT, row.number);
      const char *v[] = {x->letter_id, x->key, x->muni, reason, date, source, rowno};
      g_ptr_array_add(rows, strv_of(v, G_N_ELEMENTS(v)));
    }
    g_free(id);
    g_free(reason);
  }
  return finish_recording(ok && rc >= 0, ledger, FU_RETURNS_HEADER, rows, seen, source, t, &L, &P,
                          r, d);
}
