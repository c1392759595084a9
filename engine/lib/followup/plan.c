/* plan.c — `tegami calls plan`: who to call next, and the nurses' call sheets.
 *
 * The people of a run (OUT/staff/people.csv) are joined with the municipal
 * phone list, returned mail (OUT/staff/returns.csv) and the calls so far
 * (CALLS/ledger.csv).  A person is open until a call reached them, a call
 * closed the case (番号違い …) or the attempts ran out.  Open people are
 * listed most urgent first: lowest eGFR first, people without an eGFR (the
 * dropout letters) after them, ties by letter id; people with no number on
 * file come last, marked as such — never left out.  Each person's next
 * attempts are planned across weekday × time band (vocab.c), each differing
 * from the one before in both.
 *
 * Per municipality and round N: CALLS/<muni>_calls_rN.pdf (A4 landscape, a
 * row per person with attempt slots, outcome boxes and a notes area) and
 * .csv; CALLS/people.csv (keys, letter ids, numbers: no names or results)
 * and CALLS/summary.json.  Files are 0600 in a 0700 folder; the PDFs are
 * encrypted when the job encrypted its letters (or a password is given). */
#include "followup/followup_private.h"

#include <string.h>

#define PAGE_W   841.8897637795276 /* A4 landscape */
#define PAGE_H   595.2755905511812
#define MARGIN   28.0
#define TABLE_Y  66.0
#define HEAD_H   16.0
#define ROW_H    58.0
#define PER_PAGE 8

static const double COL_W[] = {20, 116, 84, 104, 96, 96, 96, 84, 0}; /* the last: the rest */
static const char *const COL_HEAD[] = {"順",
                                       "氏名・性別・年齢",
                                       "電話番号",
                                       "通知",
                                       "通知で示した結果",
                                       "これまでの架電",
                                       "架電予定（曜日・時間帯）",
                                       "結果（○をつける）",
                                       "メモ"};
#define NCOLS G_N_ELEMENTS(COL_W)

static gint urgency_cmp(gconstpointer a, gconstpointer b) {
  const fu_person *x = *(fu_person *const *)a, *y = *(fu_person *const *)b;
  bool px = x->phone != NULL, py = y->phone != NULL;
  if (px != py) return px ? -1 : 1;
  if (x->has_egfr != y->has_egfr) return x->has_egfr ? -1 : 1;
  if (x->has_egfr && x->egfr != y->egfr) return x->egfr < y->egfr ? -1 : 1;
  return strcmp(x->letter_id, y->letter_id);
}

/* The attempts still to make for x, as slots (at most `n`). */
static size_t plan_slots(const fu_person *x, unsigned attempts, unsigned spread, tg_call_slot *out,
                         size_t n) {
  size_t done = x->calls->len, k = 0;
  if (!x->phone) return 0;
  tg_call_slot s = done ? tg_call_next_slot(g_array_index(x->calls, fu_call, done - 1).slot, spread)
                        : tg_call_first_slot(spread);
  for (size_t i = done; i < attempts && k < n; i++) {
    out[k++] = s;
    s = tg_call_next_slot(s, spread);
  }
  return k;
}

/* "10/06(火) 平日午前 不在" per attempt (the time of day is in the CSV). */
static char *history_text(const fu_person *x, const char *sep, bool full) {
  GString *h = g_string_new(NULL);
  for (guint i = 0; i < x->calls->len; i++) {
    const fu_call *c = &g_array_index(x->calls, fu_call, i);
    if (full)
      g_string_append_printf(h, "%s%.16s(%s)%s %s", i ? sep : "", c->datetime,
                             tg_weekday_name(c->slot.weekday), tg_call_band_name(c->slot.band),
                             tg_call_outcome_name(c->outcome));
    else
      g_string_append_printf(h, "%s%.2s/%.2s(%s) %s %s", i ? sep : "", c->datetime + 5,
                             c->datetime + 8, tg_weekday_name(c->slot.weekday),
                             tg_call_band_name(c->slot.band), tg_call_outcome_name(c->outcome));
  }
  if (x->inquiries) g_string_append_printf(h, "%s問合せ %u件", h->len ? sep : "", x->inquiries);
  return g_string_free(h, FALSE);
}

/* ---- the sheet ---------------------------------------------------------------------------- */

static void sheet_head(fu_doc *D, const char *muni, unsigned round, const char *date, int page,
                       int pages) {
  char *title = g_strdup_printf("受診勧奨電話 架電リスト　%s　第%u回", muni, round);
  fu_text(D, "calls/title", title, MARGIN, 34, 14, FU_LEFT, 520, true);
  g_free(title);
  char *right = g_strdup_printf("通知日 %s　　%d / %d ページ", date, page, pages);
  fu_text(D, "calls/page", right, PAGE_W - MARGIN, 34, 9, FU_RIGHT, 0, false);
  g_free(right);
  fu_text(D, "calls/rule",
          "順番：eGFR の低い人から（eGFR のない人はその後、同じなら通知 ID 順）。"
          "不在のときは、曜日と時間帯の両方を変えてかけ直す（予定欄の順に）。"
          "電話番号のない人は最後に載せる。",
          MARGIN, 50, 7.5, FU_LEFT, PAGE_W - 2 * MARGIN, false);
  fu_text(D, "calls/care", "個人情報を含む：取扱注意。用が済んだら tegami purge で消去する。",
          MARGIN, PAGE_H - 18, 7, FU_LEFT, 0, false);
  double x = MARGIN, w_all = PAGE_W - 2 * MARGIN;
  fu_rect(D, "calls/head", MARGIN, TABLE_Y, w_all, HEAD_H, 0.6, 0xE6E6E6FF);
  for (size_t c = 0; c < NCOLS; c++) {
    double w = COL_W[c] ? COL_W[c] : MARGIN + w_all - x;
    fu_text(D, "calls/head", COL_HEAD[c], x + 3, TABLE_Y + 11, 7.5, FU_LEFT, w - 6, true);
    if (c) fu_line(D, "calls/grid", x, TABLE_Y, x, TABLE_Y + HEAD_H, 0.6);
    x += w;
  }
}

static void sheet_row(fu_doc *D, const fu_person *x, unsigned no, double y, const tg_call_slot *s,
                      size_t ns) {
  double w_all = PAGE_W - 2 * MARGIN, cx[NCOLS + 1];
  cx[0] = MARGIN;
  for (size_t c = 0; c < NCOLS; c++)
    cx[c + 1] = cx[c] + (COL_W[c] ? COL_W[c] : MARGIN + w_all - cx[c]);
  fu_rect(D, "calls/row", MARGIN, y, w_all, ROW_H, 0.6, 0);
  for (size_t c = 1; c < NCOLS; c++)
    fu_line(D, "calls/grid", cx[c], y, cx[c], y + ROW_H, 0.4);
  char buf[64];
  g_snprintf(buf, sizeof buf, "%u", no);
  fu_text(D, "calls/no", buf, cx[0] + COL_W[0] / 2, y + 14, 9, FU_CENTRE, 0, true);
  /* name, kana, sex and age, key */
  char *kana = tg_kana_to_fullwidth(x->kana, strlen(x->kana));
  fu_text(D, "calls/kana", kana, cx[1] + 3, y + 10, 6.5, FU_LEFT, COL_W[1] - 6, false);
  g_free(kana);
  fu_text(D, "calls/name", x->name, cx[1] + 3, y + 24, 11, FU_LEFT, COL_W[1] - 6, true);
  char *who = g_strdup_printf("%s　%s歳", x->sex, x->age);
  fu_text(D, "calls/sex-age", who, cx[1] + 3, y + 37, 8, FU_LEFT, COL_W[1] - 6, false);
  g_free(who);
  char *ids = g_strdup_printf("%s　%s", x->key, x->letter_id);
  fu_text(D, "calls/ids", ids, cx[1] + 3, y + 50, 6, FU_LEFT, COL_W[1] - 6, false);
  g_free(ids);
  /* numbers, returned mail */
  if (x->phone) {
    fu_text(D, "calls/phone", x->phone, cx[2] + 3, y + 14, 9.5, FU_LEFT, COL_W[2] - 6, true);
    if (x->phone2)
      fu_text(D, "calls/phone", x->phone2, cx[2] + 3, y + 27, 8, FU_LEFT, COL_W[2] - 6, false);
  } else {
    fu_text(D, "calls/phone", "電話番号なし", cx[2] + 3, y + 14, 9, FU_LEFT, COL_W[2] - 6, true);
  }
  if (x->returned) {
    char *r = g_strdup_printf("■返戻：%s", x->returned);
    fu_text(D, "calls/returned", r, cx[2] + 3, y + 50, 7.5, FU_LEFT, COL_W[2] - 6, true);
    g_free(r);
  }
  /* the letter: type / segment, variant / arm, its date, the deadline */
  char *l1 = g_strdup_printf("%s%s%s", x->type, *x->segment ? " / " : "", x->segment);
  char *l2 = g_strdup_printf("%s%s%s", x->variant, *x->arm ? " / 群 " : "", x->arm);
  fu_text(D, "calls/letter", l1, cx[3] + 3, y + 10, 7, FU_LEFT, COL_W[3] - 6, false);
  fu_text(D, "calls/letter", l2, cx[3] + 3, y + 20, 7, FU_LEFT, COL_W[3] - 6, false);
  g_free(l1);
  g_free(l2);
  char *sent = g_strdup_printf("通知日 %s", x->letter_date);
  fu_text(D, "calls/letter-date", sent, cx[3] + 3, y + 35, 7.5, FU_LEFT, COL_W[3] - 6, false);
  g_free(sent);
  if (*x->deadline) {
    char *dl = g_strdup_printf("受診の目安 %s まで", x->deadline);
    fu_text(D, "calls/deadline", dl, cx[3] + 3, y + 48, 7.5, FU_LEFT, COL_W[3] - 6, false);
    g_free(dl);
  }
  /* results, history */
  /* one result a line ("血圧 154/88", "eGFR 25.2" …) */
  char **parts = g_strsplit(x->results, "  ", -1);
  char *results = g_strjoinv("\n", parts);
  g_strfreev(parts);
  fu_text_box(D, "calls/results", results, cx[4] + 3, y + 4, COL_W[4] - 6, 7, 6);
  g_free(results);
  char *hist = history_text(x, "\n", false);
  if (*hist)
    fu_text_box(D, "calls/history", hist, cx[5] + 3, y + 4, COL_W[5] - 6, 6.5, 5);
  else
    fu_text(D, "calls/history", "（まだなし）", cx[5] + 3, y + 12, 7, FU_LEFT, 0, false);
  g_free(hist);
  /* planned attempts: weekday and band, with room for the date and time */
  static const char *const NUM[] = {"①", "②", "③", "④", "⑤"};
  for (size_t i = 0; i < ns && i < 3; i++) {
    char *t = g_strdup_printf("%s %s・%s　__/__ __:__", NUM[i < 5 ? i : 4],
                              tg_weekday_name(s[i].weekday), tg_call_band_name(s[i].band));
    fu_text(D, "calls/slot", t, cx[6] + 3, y + 14 + 15 * (double)i, 7.5, FU_LEFT, COL_W[6] - 6,
            false);
    g_free(t);
  }
  if (!x->phone)
    fu_text(D, "calls/slot", "電話なし：問合せ時に記録", cx[6] + 3, y + 14, 7.5, FU_LEFT,
            COL_W[6] - 6, false);
  /* outcome boxes, two columns */
  for (int i = 0; i < TG_CALL_NOUTCOMES - 1; i++) {
    double bx = cx[7] + 4 + (i % 2) * 40, by = y + 6 + (i / 2) * 12.5;
    fu_rect(D, "calls/box", bx, by, 6, 6, 0.5, 0);
    fu_text(D, "calls/code", tg_call_outcome_name((tg_call_outcome)i), bx + 8, by + 6, 6.5, FU_LEFT,
            30, false);
  }
}

static bool write_sheet_pdf(const char *path, const char *muni, unsigned round, const char *date,
                            GPtrArray *list, unsigned attempts, const char *fontset,
                            const tg_secret *password, FILE *trace, tg_diag *d) {
  fu_doc D;
  if (!fu_doc_init(&D, fontset, PAGE_W, PAGE_H, d)) return false;
  int pages = list->len ? (int)((list->len + PER_PAGE - 1) / PER_PAGE) : 1;
  sheet_head(&D, muni, round, date, 1, pages);
  if (!list->len)
    fu_text(&D, "calls/empty", "この回にかける人はいません（全員が完了）。", MARGIN,
            TABLE_Y + HEAD_H + 20, 10, FU_LEFT, 0, false);
  for (guint i = 0; i < list->len; i++) {
    if (i && i % PER_PAGE == 0) {
      fu_doc_new_page(&D);
      sheet_head(&D, muni, round, date, (int)(i / PER_PAGE) + 1, pages);
    }
    const fu_person *x = g_ptr_array_index(list, i);
    tg_call_slot s[5];
    size_t ns = plan_slots(x, attempts, i, s, 5);
    sheet_row(&D, x, i + 1, TABLE_Y + HEAD_H + (i % PER_PAGE) * ROW_H, s, ns);
  }
  char *title = g_strdup_printf("受診勧奨電話 架電リスト %s 第%u回", muni, round);
  bool ok = fu_doc_write(&D, path, title, date, password, trace);
  g_free(title);
  fu_doc_clear(&D);
  return ok;
}

static void csv_row(GString *o, const char *const *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i) g_string_append_c(o, ',');
    tg_csv_append_field(o, v[i] ? v[i] : "");
  }
  g_string_append(o, "\r\n");
}

static bool write_file(const char *path, const GString *s, tg_diag *d) {
  tg_atomic *a = tg_atomic_open(path, d);
  if (!a) return false;
  fwrite(s->str, 1, s->len, tg_atomic_get_file(a));
  return tg_atomic_commit(a, d);
}

static bool write_sheet_csv(const char *path, GPtrArray *list, unsigned attempts, tg_diag *d) {
  GString *o = g_string_new("order,letter_id,key,被保険者番号,氏名,氏名カナ,性別,年齢,電話番号,"
                            "電話番号2,target_type,segment,variant,arm,results,eGFR,deadline,"
                            "letter_date,returned,attempts_made,history,next_1,next_2,next_3\r\n");
  for (guint i = 0; i < list->len; i++) {
    const fu_person *x = g_ptr_array_index(list, i);
    tg_call_slot s[3];
    size_t ns = plan_slots(x, attempts, i, s, 3);
    char no[16], made[16], *next[3] = {NULL, NULL, NULL};
    g_snprintf(no, sizeof no, "%u", i + 1);
    g_snprintf(made, sizeof made, "%u", x->calls->len);
    for (size_t k = 0; k < ns; k++)
      next[k] =
          g_strdup_printf("%s %s", tg_weekday_name(s[k].weekday), tg_call_band_name(s[k].band));
    char *hist = history_text(x, " / ", true);
    const char *v[] = {no,           x->letter_id, x->key,
                       x->insured,   x->name,      x->kana,
                       x->sex,       x->age,       x->phone ? x->phone : "電話番号なし",
                       x->phone2,    x->type,      x->segment,
                       x->variant,   x->arm,       x->results,
                       x->egfr_text, x->deadline,  x->letter_date,
                       x->returned,  made,         hist,
                       next[0],      next[1],      next[2]};
    csv_row(o, v, G_N_ELEMENTS(v));
    g_free(hist);
    for (size_t k = 0; k < 3; k++)
      g_free(next[k]);
  }
  bool ok = write_file(path, o, d);
  g_string_free(o, TRUE);
  return ok;
}

/* ---- the plan ------------------------------------------------------------------------------ */

static bool load_phones(fu_people *P, const char *path, tg_diag *d) {
  tg_targets *t = tg_targets_open(path, NULL, d);
  if (!t) return false;
  int ckdb = tg_targets_find_column(t, "KDB個人番号"),
      cins = tg_targets_find_column(t, "被保険者番号");
  int c1 = tg_targets_find_column(t, "電話番号"), c2 = tg_targets_find_column(t, "電話番号2");
  if ((ckdb < 0 && cins < 0) || c1 < 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "calls.phone-columns",
                "%s needs the columns KDB個人番号 or 被保険者番号, and 電話番号", path);
    tg_targets_free(t);
    return false;
  }
  tg_row row;
  int r;
  while ((r = tg_targets_next(t, &row, d)) == 1) {
    const char *kdb = ckdb >= 0 && (size_t)ckdb < row.nfields ? row.fields[ckdb] : "";
    const char *ins = cins >= 0 && (size_t)cins < row.nfields ? row.fields[cins] : "";
    fu_person *x = *kdb ? g_hash_table_lookup(P->by_key, kdb) : NULL;
    if (!x && *ins) x = g_hash_table_lookup(P->by_insured, ins);
    if (!x) {
      tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "calls.phone-unknown", path, row.number,
                  *kdb ? "KDB個人番号" : "被保険者番号",
                  "nobody of the run has this number: the line is not used");
      continue;
    }
    if (x->phone) {
      tg_diag_row(d, TG_WARNING, TG_KIND_DATA, "calls.phone-twice", path, row.number, NULL,
                  "a second line for the same person: the first one is used");
      continue;
    }
    const char *p1 = (size_t)c1 < row.nfields ? row.fields[c1] : "";
    const char *p2 = c2 >= 0 && (size_t)c2 < row.nfields ? row.fields[c2] : "";
    if (*p1 || *p2) {
      x->phone = g_strdup(*p1 ? p1 : p2);
      if (*p1 && *p2) x->phone2 = g_strdup(p2);
    }
  }
  tg_targets_free(t);
  return r == 0;
}

/* The highest round already planned in dir (0: none). */
static unsigned last_round(const char *dir) {
  unsigned round = 0;
  GDir *g = g_dir_open(dir, 0, NULL);
  const char *name;
  while (g && (name = g_dir_read_name(g))) {
    const char *r = strstr(name, "_calls_r");
    if (!r || !g_str_has_suffix(name, ".csv")) continue;
    unsigned n = (unsigned)g_ascii_strtoull(r + 8, NULL, 10);
    if (n > round) round = n;
  }
  if (g) g_dir_close(g);
  return round;
}

static bool prepare_calls_dir(const char *dir, const char *job, tg_diag *d) {
  char *summary = g_build_filename(dir, "summary.json", NULL);
  bool ok = true;
  if (g_file_test(dir, G_FILE_TEST_EXISTS)) {
    gchar *text = NULL;
    char *want = g_strdup_printf("{\n  \"job\": \"%s\"", job ? job : "");
    if (!g_file_get_contents(summary, &text, NULL, NULL) ||
        !g_str_has_prefix(text, "{\n  \"job\": \"")) {
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "calls.not-a-plan",
                  "%s exists and is not a calls folder of tegami: choose another -o", dir);
      ok = false;
    } else if (!g_str_has_prefix(text, want)) {
      tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "calls.other-job",
                  "%s holds the calls of another job: choose another -o", dir);
      ok = false;
    }
    g_free(want);
    g_free(text);
  } else {
    ok = tg_mkdir_private(dir, d);
  }
  g_free(summary);
  return ok;
}

tg_exit tg_calls_plan(const char *run_dir, const tg_calls_plan_options *o, tg_followup_result *r,
                      tg_diag *d) {
  memset(r, 0, sizeof *r);
  unsigned attempts = o->attempts ? o->attempts : 3;
  fu_people P;
  fu_people_init(&P);
  bool ok = fu_people_load_run(&P, run_dir, d) && load_phones(&P, o->phones, d) &&
            prepare_calls_dir(o->calls_dir, P.job, d) &&
            fu_people_apply_returns(&P, run_dir, &r->returned, d) &&
            fu_people_apply_calls(&P, o->calls_dir, attempts, NULL, d);
  tg_secret *password = NULL;
  if (ok && (o->password_file || o->password_env || P.password_file || P.password_env)) {
    const char *pf = o->password_file ? o->password_file : o->password_env ? NULL : P.password_file;
    const char *pe = o->password_env ? o->password_env : o->password_file ? NULL : P.password_env;
    password = pf ? tg_secret_from_file(pf, d) : tg_secret_from_env(pe, d);
    ok = password != NULL;
  }
  if (!ok) {
    fu_people_clear(&P);
    return tg_diag_exit_code(d) ? tg_diag_exit_code(d) : TG_EXIT_INVALID;
  }
  r->round = last_round(o->calls_dir) + 1;
  r->people = P.people->len;

  /* CALLS/people.csv: what `calls record` and `report` need, without names */
  GString *pc =
      g_string_new("letter_id,key,被保険者番号,municipality,municipality_name,letter_date,"
                   "電話番号,電話番号2\r\n");
  GPtrArray *munis = g_ptr_array_new(); /* municipality ids in first-seen order */
  for (guint i = 0; i < P.people->len; i++) {
    const fu_person *x = g_ptr_array_index(P.people, i);
    const char *v[] = {x->letter_id, x->key,         x->insured, x->muni,
                       x->muni_name, x->letter_date, x->phone,   x->phone2};
    csv_row(pc, v, G_N_ELEMENTS(v));
    bool seen = false;
    for (guint k = 0; k < munis->len && !seen; k++)
      seen = strcmp(g_ptr_array_index(munis, k), x->muni) == 0;
    if (!seen) g_ptr_array_add(munis, x->muni);
  }
  char *pc_path = g_build_filename(o->calls_dir, "people.csv", NULL);
  ok = write_file(pc_path, pc, d);
  if (ok) fu_result_add(r, pc_path);
  g_free(pc_path);
  g_string_free(pc, TRUE);

  for (guint m = 0; m < munis->len && ok; m++) {
    const char *muni = g_ptr_array_index(munis, m);
    GPtrArray *list = g_ptr_array_new();
    const char *muni_name = muni, *date = P.date ? P.date : "";
    for (guint i = 0; i < P.people->len; i++) {
      fu_person *x = g_ptr_array_index(P.people, i);
      if (strcmp(x->muni, muni) != 0) continue;
      if (*x->muni_name) muni_name = x->muni_name;
      date = x->letter_date;
      if (x->closed) continue;
      g_ptr_array_add(list, x);
      r->open++;
      if (!x->phone) r->no_phone++;
    }
    g_ptr_array_sort(list, urgency_cmp);
    char *label = g_strdup_printf("%s（%s）", muni_name, muni);
    char *base = g_strdup_printf("%s_calls_r%" G_GUINT64_FORMAT, muni, r->round);
    char *csv = g_strdup_printf("%s/%s.csv", o->calls_dir, base);
    char *pdf = g_strdup_printf("%s/%s.pdf", o->calls_dir, base);
    ok = write_sheet_csv(csv, list, attempts, d) &&
         write_sheet_pdf(pdf, label, (unsigned)r->round, date, list, attempts, o->fontset, password,
                         o->trace, d);
    if (ok) {
      fu_result_add(r, csv);
      fu_result_add(r, pdf);
    }
    g_free(label);
    g_free(base);
    g_free(csv);
    g_free(pdf);
    g_ptr_array_free(list, TRUE);
  }
  g_ptr_array_free(munis, TRUE);

  if (ok) {
    GString *j = g_string_new("{\n  \"job\": ");
    tg_json_string(j, P.job ? P.job : "");
    g_string_append(j, ",\n  \"date\": ");
    tg_json_string(j, P.date ? P.date : "");
    g_string_append_printf(j,
                           ",\n  \"round\": %" G_GUINT64_FORMAT ",\n  \"attempts\": %u,\n"
                           "  \"people\": %" G_GUINT64_FORMAT ",\n  \"open\": %" G_GUINT64_FORMAT
                           ",\n  \"no_phone\": %" G_GUINT64_FORMAT
                           ",\n  \"returned\": %" G_GUINT64_FORMAT "\n}\n",
                           r->round, attempts, r->people, r->open, r->no_phone, r->returned);
    char *path = g_build_filename(o->calls_dir, "summary.json", NULL);
    ok = write_file(path, j, d);
    if (ok) fu_result_add(r, path);
    g_free(path);
    g_string_free(j, TRUE);
  }
  tg_secret_free(password);
  fu_people_clear(&P);
  if (!ok) return tg_diag_exit_code(d) ? tg_diag_exit_code(d) : TG_EXIT_SYSTEM;
  return TG_EXIT_OK;
}
