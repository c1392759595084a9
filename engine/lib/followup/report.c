/* report.c — `tegami report`: the 第1号様式 事業実施報告書 and report.json.
 *
 * The figures come from the runs' own records and nothing else:
 *   通知物発送    letters in OUT/manifest.csv, less those returned
 *                 undelivered (OUT/staff/returns.csv), per municipality
 *   受診勧奨電話  outbound attempts in CALLS/ledger.csv, with the people
 *                 called, the people reached and the inbound questions
 * Before anything is written they are reconciled: manifest.csv and the
 * staff record still match the checksums the run wrote, every municipality's
 * letters in the manifest are the letters of the staff record (same ids),
 * every returned letter and every call names a letter of these runs, and
 * both ledgers' hash chains hold.  The report states that it reconciled;
 * when it does not, nothing is written (report.reconcile).
 *
 * The page follows the spec's 第1号様式: 様式 number, date (和暦), 神奈川県知事
 * 殿, 事業者名 and 代表者職氏名 (from the issuer file), the title, the
 * sentence, and the tables 事業実績, 通知物発送 市町村別実績 and 受診勧奨電話
 * 市町村別実績 (業務/市町村, 件数, 備考). */
#include "followup/followup_private.h"

#include <string.h>

#define PAGE_W        595.2755905511812 /* A4 portrait */
#define PAGE_H        841.8897637795276
#define LEFT          62.0
#define RIGHT         (PAGE_W - 62.0)
#define DEFAULT_TITLE "令和8年度循環器病CKD健診ハイリスク者及び治療中断者受診勧奨支援業務委託"

typedef struct {
  char *id, *name;
  uint64_t sent, returned, by_reason[3], calls, called, reached, positive, inquiries, no_phone;
  uint64_t staff; /* letters of the staff record, to reconcile with `sent` */
} muni;

typedef struct {
  GPtrArray *munis; /* muni*, first-seen order */
  muni total;
  uint64_t ledger_entries, returns_entries, unmatched;
  bool reconciled;
  char *contractor, *representative, *title, *date;
} figures;

static const char *const REASONS[] = {"宛所不明", "転居先不明", "受取拒否"};

static void muni_free(gpointer p) {
  muni *m = p;
  g_free(m->id);
  g_free(m->name);
  g_free(m);
}

static muni *muni_get(figures *F, const char *id) {
  for (guint i = 0; i < F->munis->len; i++) {
    muni *m = g_ptr_array_index(F->munis, i);
    if (strcmp(m->id, id) == 0) return m;
  }
  muni *m = g_new0(muni, 1);
  m->id = g_strdup(id);
  m->name = g_strdup(id);
  g_ptr_array_add(F->munis, m);
  return m;
}

/* The manifest's letters: ids into `ids`, counts per municipality. */
static bool read_manifest(figures *F, const char *run_dir, GHashTable *ids, tg_diag *d) {
  char *path = g_build_filename(run_dir, "manifest.csv", NULL);
  tg_targets *t = tg_targets_open(path, NULL, d);
  bool ok = t != NULL;
  int cid = t ? tg_targets_find_column(t, "letter_id") : -1;
  int cm = t ? tg_targets_find_column(t, "municipality") : -1;
  if (t && (cid < 0 || cm < 0)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "followup.column",
                "%s has no letter_id or municipality column: is it a tegami manifest?", path);
    ok = false;
  }
  tg_row row;
  int r = 0;
  while (ok && (r = tg_targets_next(t, &row, d)) == 1) {
    if ((size_t)cid >= row.nfields || (size_t)cm >= row.nfields) continue;
    muni *m = muni_get(F, row.fields[cm]);
    m->sent++;
    if (!g_hash_table_replace(ids, g_strdup(row.fields[cid]), m)) F->unmatched++; /* twice */
  }
  if (r < 0) ok = false;
  if (t) tg_targets_free(t);
  g_free(path);
  return ok;
}

static void read_issuer(figures *F, const char *path, tg_diag *d) {
  if (!path) return;
  tg_source *src = tg_source_load(path, 65536, d);
  tg_ydoc *doc = src ? tg_ydoc_parse(src, d) : NULL;
  tg_ynode *root = doc ? tg_ydoc_get_root(doc) : NULL;
  if (root && tg_yexpect_map(root, "the report file", d)) {
    const char *v;
    if (tg_yget_string(root, "contractor", false, &v, d) && v) F->contractor = g_strdup(v);
    if (tg_yget_string(root, "representative", false, &v, d) && v) F->representative = g_strdup(v);
    if (tg_yget_string(root, "title", false, &v, d) && v) F->title = g_strdup(v);
    if (tg_yget_string(root, "date", false, &v, d) && v) F->date = g_strdup(v);
    static const char *const known[] = {"kind", "contractor", "representative", "title", "date"};
    tg_ycheck_keys(root, "the report file", known, G_N_ELEMENTS(known), d);
  }
  if (doc) tg_ydoc_free(doc);
  if (src) tg_source_free(src);
}

/* Check the files of dir's SHA256SUMS named in `only` (NULL: all of them)
 * against their checksums: the figures must come from the files the run
 * wrote. */
static bool verify_sums(const char *dir, const char *only, tg_diag *d) {
  char *path = g_build_filename(dir, "SHA256SUMS", NULL);
  gchar *text = NULL;
  bool ok = g_file_get_contents(path, &text, NULL, NULL), seen = false;
  if (!ok)
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "report.reconcile",
                "%s is missing: the run's records cannot be checked", path);
  char **lines = ok ? g_strsplit(text, "\n", -1) : NULL;
  for (size_t i = 0; lines && lines[i] && ok; i++) {
    char *sp = strstr(lines[i], "  ");
    if (!sp) continue;
    *sp = 0;
    if (only && strcmp(sp + 2, only) != 0) continue;
    seen = true;
    char *file = g_build_filename(dir, sp + 2, NULL);
    char *hex = tg_sha256_file(file, d);
    if (hex && strcmp(hex, lines[i]) != 0) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "report.reconcile",
                  "%s does not match its checksum in SHA256SUMS: it changed after the run", file);
      ok = false;
    }
    ok = ok && hex;
    g_free(hex);
    g_free(file);
  }
  if (ok && only && !seen) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "report.reconcile", "%s does not list %s", path, only);
    ok = false;
  }
  g_strfreev(lines);
  g_free(text);
  g_free(path);
  return ok;
}

/* The job id a calls folder was planned for (CALLS/summary.json), or NULL. */
static char *calls_job(const char *calls_dir) {
  char *path = g_build_filename(calls_dir, "summary.json", NULL);
  gchar *text = NULL;
  char *job = NULL;
  static const char head[] = "{\n  \"job\": \"";
  if (g_file_get_contents(path, &text, NULL, NULL) && g_str_has_prefix(text, head)) {
    const char *s = text + strlen(head), *e = strchr(s, '"');
    if (e) job = g_strndup(s, (gsize)(e - s));
  }
  g_free(text);
  g_free(path);
  return job;
}

/* Count one run's people into the municipalities (letter ids are unique
 * within a run only: each run is read on its own). */
static void count_people(figures *F, const fu_people *P, GHashTable *ids, char latest[11]) {
  for (guint k = 0; k < P->people->len; k++) {
    fu_person *x = g_ptr_array_index(P->people, k);
    muni *m = g_hash_table_lookup(ids, x->letter_id);
    if (!m || strcmp(m->id, x->muni) != 0) {
      F->unmatched++;
      continue;
    }
    m->staff++;
    if (*x->muni_name) {
      g_free(m->name);
      m->name = g_strdup(x->muni_name);
    }
    if (strcmp(x->letter_date, latest) > 0) g_strlcpy(latest, x->letter_date, 11);
    if (x->returned) {
      m->returned++;
      for (size_t r = 0; r < 3; r++)
        if (strcmp(x->returned, REASONS[r]) == 0) m->by_reason[r]++;
    }
    m->calls += x->calls->len;
    m->called += x->calls->len > 0;
    m->reached += x->reached;
    m->inquiries += x->inquiries;
    for (guint c = 0; c < x->calls->len; c++) {
      tg_call_outcome o = g_array_index(x->calls, fu_call, c).outcome;
      if (o == TG_CALL_VISITED || o == TG_CALL_BOOKED || o == TG_CALL_WILL_VISIT) {
        m->positive++;
        break;
      }
    }
  }
}

/* The calls folder belongs to the first run of its job: every entry of its
 * ledger must name a letter of that run. */
static bool apply_calls(figures *F, fu_people *P, const char *calls_dir, char latest[11],
                        tg_diag *d) {
  bool ok = fu_people_apply_calls(P, calls_dir, 0, &F->ledger_entries, d);
  char *path = g_build_filename(calls_dir, "ledger.csv", NULL);
  fu_ledger L = {0};
  ok = ok && fu_ledger_load(path, FU_CALLS_HEADER, &L, d);
  for (guint i = 0; ok && i < L.entries->len; i++) {
    char **f = g_ptr_array_index(L.entries, i);
    if (g_strv_length(f) < 6 || !g_hash_table_contains(P->by_letter, f[3]))
      F->unmatched++;
    else if (strncmp(f[5], latest, 10) > 0)
      g_strlcpy(latest, f[5], 11);
  }
  fu_ledger_clear(&L);
  g_free(path);
  return ok;
}

static bool gather(figures *F, const char *const *runs, size_t nruns, const char *calls_dir,
                   tg_diag *d) {
  bool ok = true, calls_applied = false;
  char latest[11] = "";
  char *cjob = calls_dir ? calls_job(calls_dir) : NULL;
  if (calls_dir && !cjob) {
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "calls.not-a-plan",
                "%s has no summary.json of tegami: is it a calls folder?", calls_dir);
    ok = false;
  }
  for (size_t i = 0; i < nruns && ok; i++) {
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    fu_people P;
    fu_people_init(&P);
    uint64_t n = 0;
    char *staff = g_build_filename(runs[i], "staff", NULL);
    ok = verify_sums(runs[i], "manifest.csv", d) && verify_sums(staff, NULL, d) &&
         read_manifest(F, runs[i], ids, d) && fu_people_load_run(&P, runs[i], d) &&
         fu_people_apply_returns(&P, runs[i], &n, d);
    g_free(staff);
    F->returns_entries += n;
    if (ok && cjob && !calls_applied && P.job && strcmp(P.job, cjob) == 0) {
      ok = apply_calls(F, &P, calls_dir, latest, d);
      calls_applied = true;
    }
    if (ok) count_people(F, &P, ids, latest);
    fu_people_clear(&P);
    g_hash_table_destroy(ids);
  }
  if (ok && cjob && !calls_applied) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "report.reconcile",
                "the calls folder %s belongs to job %s, which is not among the runs given: "
                "nothing was written",
                calls_dir, cjob);
    ok = false;
  }
  g_free(cjob);
  F->reconciled = ok && F->unmatched == 0;
  for (guint i = 0; ok && i < F->munis->len; i++) {
    muni *m = g_ptr_array_index(F->munis, i);
    if (m->staff != m->sent) F->reconciled = false;
    F->total.sent += m->sent;
    F->total.staff += m->staff;
    F->total.returned += m->returned;
    for (size_t r = 0; r < 3; r++)
      F->total.by_reason[r] += m->by_reason[r];
    F->total.calls += m->calls;
    F->total.called += m->called;
    F->total.reached += m->reached;
    F->total.positive += m->positive;
    F->total.inquiries += m->inquiries;
  }
  if (ok && !F->reconciled)
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "report.reconcile",
                "the manifests, staff records and ledgers do not agree (%" PRIu64
                " letters in manifests, %" PRIu64 " in staff records, %" PRIu64
                " entries naming no letter of their run): nothing was written",
                F->total.sent, F->total.staff, F->unmatched);
  if (!F->date) F->date = g_strdup(latest);
  return ok && F->reconciled;
}

/* ---- the page -------------------------------------------------------------------------------- */

static char *wareki_of(const char *iso) {
  tg_date dt;
  char buf[64];
  if (iso && tg_date_parse(iso, strlen(iso), NULL, &dt) == TG_DATE_OK &&
      tg_date_format_wareki(dt, buf, sizeof buf))
    return g_strdup(buf);
  return g_strdup("令和　年　月　日");
}

static char *letters_note(const muni *m) {
  return g_strdup_printf("発送 %" G_GUINT64_FORMAT " 通から返戻 %" G_GUINT64_FORMAT
                         " 通を除く\n（宛所不明 %" G_GUINT64_FORMAT
                         "、転居先不明 %" G_GUINT64_FORMAT "、受取拒否 %" G_GUINT64_FORMAT "）",
                         m->sent, m->returned, m->by_reason[0], m->by_reason[1], m->by_reason[2]);
}

static char *calls_note(const muni *m) {
  return g_strdup_printf("架電した人 %" G_GUINT64_FORMAT " 人、通話できた人 %" G_GUINT64_FORMAT
                         " 人\n（うち受診済・予約済・受診予定 %" G_GUINT64_FORMAT
                         " 人）、問合せ対応 %" G_GUINT64_FORMAT " 件",
                         m->called, m->reached, m->positive, m->inquiries);
}

/* A table of (label, count, note) rows; y advances past it. */
static void table(fu_doc *D, const char *part, const char *first, GPtrArray *labels,
                  const uint64_t *counts, GPtrArray *notes, double *y) {
  const double w1 = 120, w2 = 62, row_h = 34, head_h = 20;
  double x1 = LEFT + w1, x2 = x1 + w2, w = RIGHT - LEFT;
  fu_rect(D, part, LEFT, *y, w, head_h, 0.7, 0xEEEEEEFF);
  fu_text(D, part, first, LEFT + w1 / 2, *y + 14, 10, FU_CENTRE, 0, true);
  fu_text(D, part, "件数", x1 + w2 / 2, *y + 14, 10, FU_CENTRE, 0, true);
  fu_text(D, part, "備考", x2 + (RIGHT - x2) / 2, *y + 14, 10, FU_CENTRE, 0, true);
  fu_line(D, part, x1, *y, x1, *y + head_h, 0.7);
  fu_line(D, part, x2, *y, x2, *y + head_h, 0.7);
  *y += head_h;
  for (guint i = 0; i < labels->len; i++) {
    fu_rect(D, part, LEFT, *y, w, row_h, 0.7, 0);
    fu_line(D, part, x1, *y, x1, *y + row_h, 0.7);
    fu_line(D, part, x2, *y, x2, *y + row_h, 0.7);
    fu_text(D, part, g_ptr_array_index(labels, i), LEFT + 6, *y + 21, 10.5, FU_LEFT, w1 - 12,
            false);
    char n[32];
    g_snprintf(n, sizeof n, "%" G_GUINT64_FORMAT, counts[i]);
    fu_text(D, part, n, x2 - 8, *y + 21, 11, FU_RIGHT, 0, false);
    fu_text_box(D, part, g_ptr_array_index(notes, i), x2 + 6, *y + 5, RIGHT - x2 - 12, 8.5, 2);
    *y += row_h;
  }
}

static void draw_report(fu_doc *D, const figures *F, const char *const *runs, size_t nruns,
                        bool with_calls) {
  fu_text(D, "report/form", "(第1号様式)", LEFT, 64, 10.5, FU_LEFT, 0, false);
  char *day = wareki_of(F->date);
  fu_text(D, "report/date", day, RIGHT, 100, 11, FU_RIGHT, 0, false);
  g_free(day);
  fu_text(D, "report/addressee", "神奈川県知事　殿", LEFT, 136, 12, FU_LEFT, 0, false);
  char *c = g_strdup_printf("事業者名　%s", F->contractor ? F->contractor : "");
  char *r = g_strdup_printf("代表者職氏名　%s", F->representative ? F->representative : "");
  fu_text(D, "report/contractor", c, 300, 176, 10.5, FU_LEFT, RIGHT - 300, false);
  fu_text(D, "report/representative", r, 300, 198, 10.5, FU_LEFT, RIGHT - 300, false);
  g_free(c);
  g_free(r);
  fu_text(D, "report/title", F->title ? F->title : DEFAULT_TITLE, PAGE_W / 2, 246, 11.5, FU_CENTRE,
          RIGHT - LEFT, false);
  fu_text(D, "report/title", "事業実施報告書", PAGE_W / 2, 272, 15, FU_CENTRE, 0, true);
  fu_text(D, "report/sentence", "標記について、事業が完了したので、別紙書類を添えて、報告します。",
          LEFT + 12, 312, 10.5, FU_LEFT, RIGHT - LEFT - 12, false);

  double y = 346;
  fu_text(D, "report/heading", "事業実績", LEFT, y, 12, FU_LEFT, 0, true);
  y += 8;
  GPtrArray *labels = g_ptr_array_new_with_free_func(g_free),
            *notes = g_ptr_array_new_with_free_func(g_free);
  uint64_t counts[2] = {F->total.sent - F->total.returned, F->total.calls};
  g_ptr_array_add(labels, g_strdup("通知物発送"));
  g_ptr_array_add(notes, letters_note(&F->total));
  g_ptr_array_add(labels, g_strdup("受診勧奨電話"));
  g_ptr_array_add(notes, with_calls ? calls_note(&F->total) : g_strdup("架電記録なし"));
  table(D, "report/results", "業務", labels, counts, notes, &y);

  for (int part = 0; part < 2; part++) {
    if (y > PAGE_H - 160) {
      fu_doc_new_page(D);
      y = 60;
    }
    y += 26;
    fu_text(D, "report/heading", part ? "受診勧奨電話 市町村別実績" : "通知物発送 市町村別実績",
            LEFT, y, 12, FU_LEFT, 0, true);
    y += 8;
    g_ptr_array_set_size(labels, 0);
    g_ptr_array_set_size(notes, 0);
    uint64_t *n = g_new0(uint64_t, F->munis->len + 1);
    for (guint i = 0; i < F->munis->len; i++) {
      const muni *m = g_ptr_array_index(F->munis, i);
      g_ptr_array_add(labels, g_strdup(m->name));
      n[i] = part ? m->calls : m->sent - m->returned;
      g_ptr_array_add(notes, part ? (with_calls ? calls_note(m) : g_strdup("架電記録なし"))
                                  : letters_note(m));
    }
    table(D, part ? "report/calls-by-municipality" : "report/letters-by-municipality", "市町村",
          labels, n, notes, &y);
    g_free(n);
  }
  g_ptr_array_free(labels, TRUE);
  g_ptr_array_free(notes, TRUE);

  GString *rec = g_string_new(NULL);
  g_string_append_printf(
      rec,
      "照合：この報告の件数は、実行記録 %zu 件の manifest.csv の通知 %" G_GUINT64_FORMAT
      " 通、スタッフ記録 %" G_GUINT64_FORMAT " 通、返戻記録 %" G_GUINT64_FORMAT " 件",
      nruns, F->total.sent, F->total.staff, F->returns_entries);
  if (with_calls)
    g_string_append_printf(
        rec, "、架電記録 %" G_GUINT64_FORMAT " 件（問合せ %" G_GUINT64_FORMAT " 件を含む）",
        F->ledger_entries, F->total.inquiries);
  g_string_append(rec, "と突き合わせ、一致を確認しました。記録のハッシュ連鎖も検証済みです。");
  (void)runs;
  if (y > PAGE_H - 90) {
    fu_doc_new_page(D);
    y = 40;
  }
  fu_text_box(D, "report/reconciled", rec->str, LEFT, y + 18, RIGHT - LEFT, 8.5, 3);
  g_string_free(rec, TRUE);
}

static void json_muni(GString *j, const muni *m, bool with_ids) {
  if (with_ids) {
    g_string_append(j, "{\"id\": ");
    tg_json_string(j, m->id);
    g_string_append(j, ", \"name\": ");
    tg_json_string(j, m->name);
    g_string_append(j, ", ");
  } else {
    g_string_append(j, "{");
  }
  g_string_append_printf(
      j,
      "\"letters_sent\": %" G_GUINT64_FORMAT ", \"letters_returned\": %" G_GUINT64_FORMAT
      ", \"letters_net\": %" G_GUINT64_FORMAT
      ", \"returned_by_reason\": {\"宛所不明\": %" G_GUINT64_FORMAT
      ", \"転居先不明\": %" G_GUINT64_FORMAT ", \"受取拒否\": %" G_GUINT64_FORMAT "}"
      ", \"calls_made\": %" G_GUINT64_FORMAT ", \"people_called\": %" G_GUINT64_FORMAT
      ", \"people_reached\": %" G_GUINT64_FORMAT ", \"people_visiting\": %" G_GUINT64_FORMAT
      ", \"inquiries\": %" G_GUINT64_FORMAT "}",
      m->sent, m->returned, m->sent - m->returned, m->by_reason[0], m->by_reason[1],
      m->by_reason[2], m->calls, m->called, m->reached, m->positive, m->inquiries);
}

static bool write_json(const figures *F, const char *path, tg_diag *d) {
  GString *j = g_string_new("{\n  \"form\": \"第1号様式 事業実施報告書\",\n  \"date\": ");
  tg_json_string(j, F->date ? F->date : "");
  g_string_append(j, ",\n  \"contractor\": ");
  tg_json_string(j, F->contractor ? F->contractor : "");
  g_string_append(j, ",\n  \"representative\": ");
  tg_json_string(j, F->representative ? F->representative : "");
  g_string_append(j, ",\n  \"title\": ");
  tg_json_string(j, F->title ? F->title : DEFAULT_TITLE);
  g_string_append(j, ",\n  \"total\": ");
  json_muni(j, &F->total, false);
  g_string_append(j, ",\n  \"municipalities\": [");
  for (guint i = 0; i < F->munis->len; i++) {
    g_string_append(j, i ? ",\n    " : "\n    ");
    json_muni(j, g_ptr_array_index(F->munis, i), true);
  }
  g_string_append_printf(j,
                         "\n  ],\n  \"sources\": {\"manifest_letters\": %" G_GUINT64_FORMAT
                         ", \"staff_letters\": %" G_GUINT64_FORMAT
                         ", \"returns_entries\": %" G_GUINT64_FORMAT
                         ", \"ledger_entries\": %" G_GUINT64_FORMAT "},\n  \"reconciled\": %s\n}\n",
                         F->total.sent, F->total.staff, F->returns_entries, F->ledger_entries,
                         F->reconciled ? "true" : "false");
  tg_atomic *a = tg_atomic_open(path, d);
  bool ok = a != NULL;
  if (a) {
    fwrite(j->str, 1, j->len, tg_atomic_get_file(a));
    ok = tg_atomic_commit(a, d);
  }
  g_string_free(j, TRUE);
  return ok;
}

tg_exit tg_followup_report(const char *const *run_dirs, size_t nruns, const tg_report_options *o,
                           tg_followup_result *r, tg_diag *d) {
  memset(r, 0, sizeof *r);
  figures F = {.munis = g_ptr_array_new_with_free_func(muni_free)};
  read_issuer(&F, o->issuer, d);
  if (o->date) {
    g_free(F.date);
    F.date = g_strdup(o->date);
  }
  bool ok = !tg_diag_has_errors(d) && gather(&F, run_dirs, nruns, o->calls_dir, d);
  fu_doc D = {0};
  if (ok) ok = fu_doc_init(&D, o->fontset, PAGE_W, PAGE_H, d);
  if (ok) {
    draw_report(&D, &F, run_dirs, nruns, o->calls_dir != NULL);
    ok = fu_doc_write(&D, o->pdf_path, "事業実施報告書", F.date, NULL, o->trace);
    if (ok && o->pdf_path) fu_result_add(r, o->pdf_path);
  }
  if (ok && o->json_path) {
    ok = write_json(&F, o->json_path, d);
    if (ok) fu_result_add(r, o->json_path);
  }
  r->people = F.total.sent;
  r->returned = F.total.returned;
  r->recorded = F.total.calls;
  fu_doc_clear(&D);
  g_ptr_array_free(F.munis, TRUE);
  g_free(F.contractor);
  g_free(F.representative);
  g_free(F.title);
  g_free(F.date);
  if (!ok) return tg_diag_exit_code(d) ? tg_diag_exit_code(d) : TG_EXIT_INVALID;
  return TG_EXIT_OK;
}

/* The keys gathered as a NULL-terminated list, or NULL (all released) when
 * reading the ledgers failed. */
static char **keys_end(GPtrArray *keys, bool ok) {
  g_ptr_array_add(keys, NULL);
  char **out = (char **)g_ptr_array_free(keys, FALSE);
  if (!ok) {
    g_strfreev(out);
    return NULL;
  }
  return out;
}

char **tg_followup_returned_keys(const char *const *run_dirs, size_t nruns, tg_diag *d) {
  GPtrArray *keys = g_ptr_array_new();
  bool ok = true;
  for (size_t i = 0; i < nruns && ok; i++) {
    fu_people P;
    fu_people_init(&P);
    ok =
        fu_people_load_run(&P, run_dirs[i], d) && fu_people_apply_returns(&P, run_dirs[i], NULL, d);
    for (guint k = 0; ok && k < P.people->len; k++) {
      const fu_person *x = g_ptr_array_index(P.people, k);
      if (x->returned) g_ptr_array_add(keys, g_strdup(x->key));
    }
    fu_people_clear(&P);
  }
  return keys_end(keys, ok);
}

char **tg_followup_reached_keys(const char *calls_dir, tg_diag *d) {
  fu_people P;
  fu_people_init(&P);
  bool ok =
      fu_people_load_calls(&P, calls_dir, d) && fu_people_apply_calls(&P, calls_dir, 0, NULL, d);
  GPtrArray *keys = g_ptr_array_new();
  for (guint k = 0; ok && k < P.people->len; k++) {
    const fu_person *x = g_ptr_array_index(P.people, k);
    if (x->reached) g_ptr_array_add(keys, g_strdup(x->key));
  }
  fu_people_clear(&P);
  return keys_end(keys, ok);
}
