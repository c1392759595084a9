/* reports.c — the files that account for a run, written into the staging
 * folder after the letters:
 *
 *   rejected.csv  every rejected row: list, row, key, column, reason code,
 *                 message — no names, addresses or health values
 *   excluded.csv  every excluded row (when there is one): list, row, key and
 *                 the rule that took it
 *   manifest.csv  every letter in print order: sequence, letter id,
 *                 municipality, target type, segment, variant, arm, batch
 *                 file, first page, page count, blank pages, postal code — no
 *                 names; the vendor reconciles the PDFs against it
 *   summary.json  counts per list and per municipality × type × segment ×
 *   summary.txt   variant × arm, and the reconciliation (the figures the
 *                 事業実施報告書 needs)
 *   mailing-plan  the Japan Post postings (run/mailing.c), with `mailing:`
 *   SHA256SUMS    the hash of every other file of the vendor's folder
 *                 (`sha256sum -c SHA256SUMS`); the staff/ folder (staff.c:
 *                 the staff record, assignment.csv) has SHA256SUMS of its own
 *
 * Every CSV value goes through tg_csv_append_field, which neutralises spreadsheet
 * formulas.  SHA256SUMS is written last.
 */
#include "run/run_private.h"

#include <string.h>

/* Reports are written as they are built, a few kilobytes at a time, so that
 * a run of a million letters holds no copy of its manifest in memory. */
typedef struct {
  run_state *R;
  const char *name;
  tg_atomic *a; /* NULL after a failure to open */
  GString *buf;
} report;

static report report_open(run_state *R, const char *name, const char *header) {
  char *path = g_build_filename(R->stage_dir, name, NULL);
  report r = {R, name, tg_atomic_open(path, R->d), g_string_new(header)};
  g_free(path);
  return r;
}

/* Pass what is buffered on to the file once it is big enough (or `all`). */
static void report_flush(report *r, bool all) {
  if (r->buf->len < 65536 && !all) return;
  if (r->a) fwrite(r->buf->str, 1, r->buf->len, tg_atomic_get_file(r->a));
  g_string_truncate(r->buf, 0);
}

static bool report_close(report *r) {
  report_flush(r, true);
  g_string_free(r->buf, TRUE);
  if (!r->a || !tg_atomic_commit(r->a, r->R->d)) return false;
  g_ptr_array_add(r->R->outputs, g_strdup(r->name));
  return true;
}

static bool write_file(run_state *R, const char *name, const GString *content) {
  report r = report_open(R, name, content->str);
  return report_close(&r);
}

static int rejection_cmp(gconstpointer a, gconstpointer b) {
  const run_rejection *x = a, *y = b;
  if (x->plan != y->plan) return x->plan < y->plan ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* The first three columns of rejected.csv and excluded.csv: list, row, key. */
static void append_list_row_key(GString *o, const run_state *R, const run_rejection *r) {
  tg_csv_append_field(o, run_plan_list_file(R, r->plan));
  g_string_append_printf(o, ",%" G_GUINT64_FORMAT ",", r->row);
  tg_csv_append_field(o, r->key);
}

static bool write_rejected(run_state *R) {
  g_array_sort(R->rejections, rejection_cmp);
  report rep = report_open(R, "rejected.csv", "list,row,key,column,code,message\r\n");
  GString *o = rep.buf;
  for (guint i = 0; i < R->rejections->len; i++) {
    report_flush(&rep, false);
    const run_rejection *r = &g_array_index(R->rejections, run_rejection, i);
    append_list_row_key(o, R, r);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, r->column);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, r->code);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, r->message);
    g_string_append(o, "\r\n");
  }
  return report_close(&rep);
}

void run_rejection_reasons(run_rejection *r, const tg_diag *rd) {
  GString *col = g_string_new(NULL), *code = g_string_new(NULL), *msg = g_string_new(NULL);
  size_t n = 0;
  for (size_t i = 0; i < tg_diag_count(rd); i++) {
    const tg_diag_entry *e = tg_diag_get(rd, i);
    if (e->severity != TG_ERROR) continue;
    const char *sep = n ? "; " : "";
    g_string_append_printf(col, "%s%s", sep, e->column && *e->column ? e->column : "-");
    g_string_append_printf(code, "%s%s", sep, e->code);
    g_string_append_printf(msg, "%s%s", sep, e->message);
    n++;
  }
  if (n == 1 && strcmp(col->str, "-") == 0) g_string_truncate(col, 0);
  if (n == 0) g_string_assign(code, "unknown");
  r->column = g_string_free(col, FALSE);
  r->code = g_string_free(code, FALSE);
  r->message = g_string_free(msg, FALSE);
}

static void excluded_clear(gpointer p) {
  run_rejection *r = p;
  g_free(r->key);
  g_free(r->code);
}

void run_note_excluded(run_state *R, uint32_t plan_no, const tg_row *row, int key_col,
                       const char *rule) {
  if (!R->excluded) {
    R->excluded = g_array_new(FALSE, TRUE, sizeof(run_rejection));
    g_array_set_clear_func(R->excluded, excluded_clear);
  }
  bool key = key_col >= 0 && (size_t)key_col < row->nfields;
  run_rejection r = {.plan = plan_no,
                     .row = row->number,
                     .key = g_strdup(key ? row->fields[key_col] : ""),
                     .code = g_strdup(rule ? rule : "")};
  g_array_append_val(R->excluded, r);
}

/* excluded.csv: every excluded row with the rule that took it — keys and
 * rules only (the reason column of an exclusion list may be personal: its
 * rows show as "exclusion-list"). */
static bool write_excluded(run_state *R) {
  report rep = report_open(R, "excluded.csv", "list,row,key,rule\r\n");
  GString *o = rep.buf;
  for (guint i = 0; R->excluded && i < R->excluded->len; i++) {
    report_flush(&rep, false);
    const run_rejection *r = &g_array_index(R->excluded, run_rejection, i);
    append_list_row_key(o, R, r);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, r->code);
    g_string_append(o, "\r\n");
  }
  return report_close(&rep);
}

/* A variant, segment or arm name; "" for none (index 0) in files. */
static const char *name_of(const run_state *R, uint16_t i) {
  return i ? g_ptr_array_index(R->names, i) : "";
}

static bool write_manifest(run_state *R) {
  report rep = report_open(R, "manifest.csv", RUN_MANIFEST_HEADER);
  GString *o = rep.buf;
  for (guint i = 0; i < R->manifest->len; i++) {
    report_flush(&rep, false);
    const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
    const run_letter *l = &g_array_index(R->letters, run_letter, e->letter);
    const run_batch *b = &g_array_index(R->batches, run_batch, e->batch);
    char id[64];
    run_letter_id(R, l, id, sizeof id);
    g_string_append_printf(o, "%u,", i + 1);
    const char *fields[] = {id,
                            run_plan_municipality(R, l->plan),
                            run_plan_list_type(R, l->plan),
                            name_of(R, l->segment),
                            name_of(R, l->variant),
                            name_of(R, l->arm),
                            b->name};
    for (size_t k = 0; k < G_N_ELEMENTS(fields); k++) {
      tg_csv_append_field(o, fields[k]);
      g_string_append_c(o, ',');
    }
    g_string_append_printf(o, "%u,%u,%u,", e->first_page, e->page_count, e->blank_pages);
    char pc[8];
    run_postal_text(l->postal, pc);
    if (pc[0]) g_string_append_printf(o, "%.3s-%.4s", pc, pc + 3);
    g_string_append(o, e->barcode > 0 ? ",yes," : e->barcode == 0 ? ",no," : ",,");
    g_string_append(o, tg_postal_source_name((tg_postal_source)l->postal_source));
    g_string_append(o, "\r\n");
  }
  return report_close(&rep);
}

/* ---- summary ----------------------------------------------------------------------- */

typedef struct {
  char *municipality, *type, *segment, *variant, *arm;
  uint64_t letters, pages;
} cell;

static void cell_free(gpointer p) {
  cell *c = p;
  g_free(c->municipality);
  g_free(c->type);
  g_free(c->segment);
  g_free(c->variant);
  g_free(c->arm);
  g_free(c);
}

/* Letters per municipality × type × segment × variant × arm, in first-seen
 * (print) order. */
static GPtrArray *breakdown(const run_state *R) {
  GPtrArray *cells = g_ptr_array_new_with_free_func(cell_free);
  GHashTable *index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < R->manifest->len; i++) {
    const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
    const run_letter *l = &g_array_index(R->letters, run_letter, e->letter);
    const char *m = run_plan_municipality(R, l->plan), *t = run_plan_list_type(R, l->plan);
    char *key = g_strdup_printf("%s\x1f%s\x1f%u\x1f%u\x1f%u", m, t, l->segment, l->variant, l->arm);
    cell *c = g_hash_table_lookup(index, key);
    if (!c) {
      c = g_new0(cell, 1);
      c->municipality = g_strdup(m);
      c->type = g_strdup(t);
      c->segment = g_strdup(l->segment ? name_of(R, l->segment) : "-");
      c->variant = g_strdup(l->variant ? name_of(R, l->variant) : "-");
      c->arm = g_strdup(l->arm ? name_of(R, l->arm) : "-");
      g_ptr_array_add(cells, c);
      g_hash_table_insert(index, key, c);
    } else {
      g_free(key);
    }
    c->letters++;
    c->pages += e->page_count;
  }
  g_hash_table_destroy(index);
  return cells;
}

static bool write_summaries(run_state *R, GPtrArray *cells) {
  const tg_summary *s = R->sum;
  GString *j = g_string_new("{\n  \"job\": ");
  tg_json_string(j, R->job->id);
  g_string_append(j, ",\n  \"date\": ");
  tg_json_string(j, R->job->date);
  g_string_append_printf(j, ",\n  \"shard\": {\"index\": %u, \"count\": %u}",
                         R->opt->shard_index ? R->opt->shard_index : 1,
                         R->opt->shard_count ? R->opt->shard_count : 1);
  g_string_append_printf(j,
                         ",\n  \"totals\": {\"read\": %" G_GUINT64_FORMAT
                         ", \"rendered\": %" G_GUINT64_FORMAT ", \"excluded\": %" G_GUINT64_FORMAT
                         ", \"rejected\": %" G_GUINT64_FORMAT ", \"blank\": %" G_GUINT64_FORMAT
                         ", \"pages\": %" G_GUINT64_FORMAT ", \"batches\": %u"
                         ", \"barcodes\": %" G_GUINT64_FORMAT
                         ", \"barcodes_omitted\": %" G_GUINT64_FORMAT "},\n  \"lists\": [",
                         s->read, s->rendered, s->excluded, s->rejected, s->blank, s->pages,
                         R->batches->len, s->barcodes, s->barcodes_omitted);
  for (size_t i = 0; i < s->nlists; i++) {
    const tg_list_summary *l = &s->lists[i];
    g_string_append(j, i ? ",\n    {" : "\n    {");
    g_string_append(j, "\"municipality\": ");
    tg_json_string(j, l->municipality);
    g_string_append(j, ", \"type\": ");
    tg_json_string(j, l->type);
    g_string_append(j, ", \"file\": ");
    tg_json_string(j, l->file);
    g_string_append_printf(j,
                           ", \"read\": %" G_GUINT64_FORMAT ", \"rendered\": %" G_GUINT64_FORMAT
                           ", \"excluded\": %" G_GUINT64_FORMAT ", \"rejected\": %" G_GUINT64_FORMAT
                           ", \"blank\": %" G_GUINT64_FORMAT ", \"file_rows\": %" G_GUINT64_FORMAT
                           ", \"excluded_by_rule\": {\"duplicate\": %" G_GUINT64_FORMAT
                           ", \"exclusion-list\": %" G_GUINT64_FORMAT,
                           l->read, l->rendered, l->excluded, l->rejected, l->blank, l->file_rows,
                           l->excluded_duplicate, l->excluded_list);
    for (size_t r = 0; r < l->nrules; r++) { /* the municipality's rules, by reason */
      g_string_append(j, ", ");
      tg_json_string(j, l->rule_reasons[r]);
      g_string_append_printf(j, ": %" G_GUINT64_FORMAT, l->excluded_rule[r]);
    }
    g_string_append_printf(j,
                           "}, \"lines\": %" G_GUINT64_FORMAT
                           ", \"header_lines\": %" G_GUINT64_FORMAT
                           ", \"field_breaks\": %" G_GUINT64_FORMAT "}",
                           l->lines, l->header_lines, l->field_breaks);
  }
  /* exclusions by the municipalities' rules, per municipality and reason */
  g_string_append(j, "\n  ],\n  \"excluded_by_reason\": [");
  tg_rule_count *rc;
  size_t nrc = tg_summary_rule_counts(s, &rc);
  for (size_t i = 0; i < nrc; i++) {
    g_string_append(j, i ? ",\n    {\"municipality\": " : "\n    {\"municipality\": ");
    tg_json_string(j, rc[i].municipality);
    g_string_append(j, ", \"reason\": ");
    tg_json_string(j, rc[i].reason);
    g_string_append_printf(j, ", \"excluded\": %" G_GUINT64_FORMAT "}", rc[i].count);
  }
  g_free(rc);
  g_string_append(j, "\n  ],\n  \"letters\": [");
  for (guint i = 0; i < cells->len; i++) {
    const cell *c = g_ptr_array_index(cells, i);
    g_string_append(j, i ? ",\n    {" : "\n    {");
    const char *keys[] = {"municipality", "type", "segment", "variant", "arm"};
    const char *vals[] = {c->municipality, c->type, c->segment, c->variant, c->arm};
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
      g_string_append_printf(j, "%s\"%s\": ", k ? ", " : "", keys[k]);
      tg_json_string(j, vals[k]);
    }
    g_string_append_printf(
        j, ", \"letters\": %" G_GUINT64_FORMAT ", \"pages\": %" G_GUINT64_FORMAT "}", c->letters,
        c->pages);
  }
  g_string_append(j, "\n  ],\n  \"reconciled\": ");
  g_string_append(j, tg_summary_reconciled(s) ? "true" : "false");
  g_string_append(j, "\n}\n");
  bool ok = write_file(R, "summary.json", j);
  g_string_free(j, TRUE);

  char *txt = tg_summary_format_file(s);
  GString *t = g_string_new(txt);
  g_free(txt);
  g_string_append(t, "letters per municipality, type, segment, variant and arm:\n");
  for (guint i = 0; i < cells->len; i++) {
    const cell *c = g_ptr_array_index(cells, i);
    g_string_append_printf(
        t, "  %s %s %s %s %s: %" G_GUINT64_FORMAT " letters, %" G_GUINT64_FORMAT " pages\n",
        c->municipality, c->type, c->segment, c->variant, c->arm, c->letters, c->pages);
  }
  ok = ok && write_file(R, "summary.txt", t);
  g_string_free(t, TRUE);
  return ok;
}

/* SHA256SUMS over every file written so far (folders such as proofs/ are
 * listed file by file), in the order they were written. */
static bool write_checksums(run_state *R) {
  GString *o = g_string_new(NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < R->outputs->len; i++) {
    const char *name = g_ptr_array_index(R->outputs, i);
    if (g_str_has_prefix(name, "staff/")) continue; /* not the vendor's: staff/SHA256SUMS */
    char *path = g_build_filename(R->stage_dir, name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      GDir *dir = g_dir_open(path, 0, NULL);
      GPtrArray *inner = g_ptr_array_new_with_free_func(g_free);
      const char *f;
      while (dir && (f = g_dir_read_name(dir)))
        if (f[0] != '.') g_ptr_array_add(inner, g_build_filename(name, f, NULL));
      if (dir) g_dir_close(dir);
      for (guint k = 1; k < inner->len; k++) /* sort names: readdir order is not stable */
        for (guint m = k; m > 0 && strcmp(inner->pdata[m - 1], inner->pdata[m]) > 0; m--) {
          gpointer tmp = inner->pdata[m];
          inner->pdata[m] = inner->pdata[m - 1];
          inner->pdata[m - 1] = tmp;
        }
      for (guint k = 0; k < inner->len; k++)
        g_ptr_array_add(files, g_strdup(inner->pdata[k]));
      g_ptr_array_free(inner, TRUE);
    } else {
      g_ptr_array_add(files, g_strdup(name));
    }
    g_free(path);
  }
  bool ok = true;
  for (guint i = 0; i < files->len && ok; i++) {
    const char *name = g_ptr_array_index(files, i);
    char *path = g_build_filename(R->stage_dir, name, NULL);
    char *hex = tg_sha256_file(path, R->d);
    if (hex)
      g_string_append_printf(o, "%s  %s\n", hex, name);
    else
      ok = false;
    g_free(hex);
    g_free(path);
  }
  g_ptr_array_free(files, TRUE);
  ok = ok && write_file(R, "SHA256SUMS", o);
  g_string_free(o, TRUE);
  return ok;
}

/* staff/assignment.csv: the experiment's arm of every letter, for the
 * evaluator (listed in staff/SHA256SUMS by run_write_staff). */
static bool write_assignment(run_state *R) {
  if (!R->assign) return true;
  char *dir = g_build_filename(R->stage_dir, "staff", NULL);
  bool made = tg_mkdir_private(dir, R->d);
  g_free(dir);
  if (!made) return false;
  char *path = g_build_filename(R->stage_dir, "staff", "assignment.csv", NULL);
  tg_assignment_writer *w = tg_assignment_writer_open(path, R->job->key_column, R->d);
  g_free(path);
  if (!w) return false;
  /* one line per manifest entry (every printed letter is assigned); only
   * the key is kept per letter, the rest follows from the letter record */
  for (guint i = 0; i < R->manifest->len && i < R->assign_keys->len; i++) {
    const run_manifest_entry *e = &g_array_index(R->manifest, run_manifest_entry, i);
    const run_letter *l = &g_array_index(R->letters, run_letter, e->letter);
    char id[64];
    run_letter_id(R, l, id, sizeof id);
    const char *muni = run_plan_municipality(R, l->plan);
    const char *type = run_plan_list_type(R, l->plan);
    const char *segment = name_of(R, l->segment);
    char *stratum = tg_stratum_key(muni, type, segment);
    tg_assignment_row row = {id,
                             g_ptr_array_index(R->assign_keys, i),
                             muni,
                             type,
                             segment,
                             g_ptr_array_index(R->names, l->variant),
                             g_ptr_array_index(R->names, l->arm),
                             R->job->date,
                             stratum};
    tg_assignment_writer_add(w, &row);
    g_free(stratum);
  }
  bool ok = tg_assignment_writer_close(w, R->d);
  tg_assignment_writer_free(w);
  return ok;
}

bool run_write_reports(run_state *R) {
  GPtrArray *cells = breakdown(R);
  bool ok = write_rejected(R) && (!R->excluded || write_excluded(R)) && write_manifest(R) &&
            write_assignment(R) && run_write_mailing_plan(R) &&
            run_write_staff(R, R->assign != NULL) && write_summaries(R, cells) &&
            write_checksums(R);
  g_ptr_array_free(cells, TRUE);
  return ok;
}
