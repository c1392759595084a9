/* run.c — driving a job through the pipeline, and accounting for every row.
 *
 * tg_run() works in four phases:
 *
 *   check   load fonts and designs, open every list, compile templates
 *           against the columns, lay out static content.  Any error stops the
 *           run before the output folder is touched.
 *   scan    stream every list once; each row that can be read becomes a small
 *           letter record (list, byte offset, row number, sort fields) — rows
 *           themselves are not kept, so memory grows by a few dozen bytes per
 *           letter, not per field.  Rows that cannot be read are rejected here.
 *   plan    order the records and cut them into batches (each batch is one
 *           output PDF).
 *   render  batch by batch: seek back to each row, merge, lay out, draw.  A
 *           letter that cannot be laid out (overflow, a missing glyph) is
 *           rejected.  Everything a batch needs is per-batch state, so batches
 *           can later be rendered by worker threads and still give the same
 *           bytes.
 *
 * Every rejection (with its first diagnostic) is collected and written to
 * rejected.csv sorted by list and row; outputs are written under temporary
 * names and renamed into place only when the run succeeded.
 */
#include "output/output_private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One target list of one municipality, ready to merge. */
typedef struct {
  const tg_municipality *muni;
  const tg_list_spec *list;
  const tg_design *design;
  tg_targets *targets;
  tg_values *constants;
  tg_merge *merge;
  tg_layout *layout;
  int key_col;
} plan;

/* One letter to render: where its row is, what orders it, and the variant
 * and segment chosen for it in the scan phase (segment -1: the design has
 * none) — what the manifest and the A/B stratification read. */
typedef struct {
  uint32_t plan;
  uint32_t batch;
  uint64_t offset, row, line;
  int8_t variant, segment;
} letter_rec;

/* One rejected row, for rejected.csv. */
typedef struct {
  uint32_t plan;
  uint64_t row;
  char *key, *column, *code, *message;
} rejection;

/* One output PDF: a contiguous range of the ordered letter records. */
typedef struct {
  size_t first, count;
  char *name; /* file name inside the output folder */
} batch;

typedef struct {
  const tg_job *job;
  const tg_run_options *opt;
  tg_summary *sum;
  tg_diag *d;
  tg_fonts *fonts;
  GHashTable *designs; /* path -> tg_design* */
  GArray *plans;       /* plan */
  GArray *letters;     /* letter_rec */
  GArray *rejections;  /* rejection */
  GArray *batches;     /* batch */
  const char *out_dir;
} run;

const char *tg_data_dir(void) {
  const char *env = g_getenv("TEGAMI_DATA_DIR");
  return env && *env ? env : TG_DATA_DIR;
}

static void rejection_clear(gpointer p) {
  rejection *r = p;
  g_free(r->key);
  g_free(r->column);
  g_free(r->code);
  g_free(r->message);
}

static void batch_clear(gpointer p) { g_free(((batch *)p)->name); }

static void run_release(run *R) {
  for (guint i = 0; i < R->plans->len; i++) {
    plan *p = &g_array_index(R->plans, plan, i);
    tg_layout_free(p->layout);
    tg_merge_free(p->merge);
    tg_values_free(p->constants);
    tg_targets_free(p->targets);
  }
  g_array_free(R->plans, TRUE);
  g_array_free(R->letters, TRUE);
  g_array_free(R->rejections, TRUE);
  g_array_free(R->batches, TRUE);
  g_hash_table_destroy(R->designs);
  tg_fonts_free(R->fonts);
}

/* ---- check ----------------------------------------------------------------------- */

static const tg_design *design_for(run *R, const char *path) {
  if (g_hash_table_contains(R->designs, path)) return g_hash_table_lookup(R->designs, path);
  tg_design *ds = tg_design_load(path, R->d);
  g_hash_table_insert(R->designs, g_strdup(path), ds); /* NULL remembered too */
  return ds;
}

static tg_values *constants_for(const tg_job *job, const tg_municipality *mu,
                                const tg_list_spec *ls) {
  tg_values *v = tg_values_new();
  for (size_t i = 0; i < tg_values_get_count(mu->values); i++) {
    const char *k = tg_values_get_key(mu->values, i);
    tg_values_set(v, k, tg_values_get(mu->values, k));
  }
  tg_values_set(v, "job.id", job->id);
  tg_values_set(v, "job.title", job->title);
  tg_values_set(v, "job.date", job->date);
  tg_values_set(v, "list.type", ls->type);
  return v;
}

static bool check_phase(run *R) {
  const tg_job *job = R->job;
  size_t errors_before = tg_diag_count_at_least(R->d, TG_ERROR);
  char *fontset = R->opt->fontset ? g_strdup(R->opt->fontset)
                                  : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  R->fonts = tg_fonts_load(fontset, R->d);
  g_free(fontset);
  uint32_t layer_base = 0;
  for (size_t m = 0; m < job->nmunis; m++) {
    const tg_municipality *mu = &job->munis[m];
    for (size_t l = 0; l < mu->nlists; l++) {
      const tg_list_spec *ls = &mu->lists[l];
      plan p = {.muni = mu, .list = ls, .key_col = -1};
      p.design = design_for(R, ls->design);
      p.targets = tg_targets_open(ls->file, NULL, R->d);
      p.constants = constants_for(job, mu, ls);
      if (p.design && p.targets) {
        p.merge = tg_merge_new(p.design, tg_targets_get_column_names(p.targets),
                               tg_targets_get_column_count(p.targets), p.constants, R->d);
        p.key_col = tg_targets_find_column(p.targets, job->key_column);
      }
      if (p.merge &&
          !tg_merge_set_variant(p.merge, ls->variant ? ls->variant : mu->variant,
                                ls->variant_column, ls->variant_span, R->d)) {
        tg_merge_free(p.merge);
        p.merge = NULL;
      }
      if (p.merge && R->fonts) {
        p.layout = tg_layout_new(p.design, p.merge, R->fonts, layer_base, R->d);
        if (p.layout) layer_base += (uint32_t)tg_layout_get_layer_count(p.layout);
      }
      g_array_append_val(R->plans, p);
    }
  }
  /* one summary line per list, in job order */
  R->sum->nlists = R->plans->len;
  R->sum->lists = g_new0(tg_list_summary, R->plans->len + 1);
  for (guint i = 0; i < R->plans->len; i++) {
    plan *p = &g_array_index(R->plans, plan, i);
    R->sum->lists[i].file = g_strdup(p->list->file);
    R->sum->lists[i].type = g_strdup(p->list->type);
    R->sum->lists[i].municipality = g_strdup(p->muni->id);
  }
  return tg_diag_count_at_least(R->d, TG_ERROR) == errors_before;
}

/* ---- rejections --------------------------------------------------------------------- */

/* Record a rejected row with the first error of its diagnostics. */
static void reject(run *R, uint32_t plan_no, const tg_row *row, const tg_diag *rd) {
  const plan *p = &g_array_index(R->plans, plan, plan_no);
  const tg_diag_entry *e = NULL;
  for (size_t i = 0; i < tg_diag_count(rd) && !e; i++)
    if (tg_diag_get(rd, i)->severity == TG_ERROR) e = tg_diag_get(rd, i);
  bool key_ok = p->key_col >= 0 && (size_t)p->key_col < row->nfields && !row->rejected;
  rejection r = {plan_no, row->number, g_strdup(key_ok ? row->fields[p->key_col] : ""),
                 g_strdup(e && e->column ? e->column : ""), g_strdup(e ? e->code : "unknown"),
                 g_strdup(e ? e->message : "")};
  g_array_append_val(R->rejections, r);
  R->sum->lists[plan_no].rejected++;
}

static int rejection_cmp(gconstpointer a, gconstpointer b) {
  const rejection *x = a, *y = b;
  if (x->plan != y->plan) return x->plan < y->plan ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* CSV field: quoted when needed; a leading = + - @ is neutralised so that a
 * spreadsheet never runs it as a formula. */
static void csv_field(GString *o, const char *s) {
  bool quote = strpbrk(s, ",\"\r\n") != NULL;
  bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
  if (quote || formula) g_string_append_c(o, '"');
  if (formula) g_string_append_c(o, '\'');
  for (const char *p = s; *p; p++) {
    if (*p == '"') g_string_append_c(o, '"');
    g_string_append_c(o, *p);
  }
  if (quote || formula) g_string_append_c(o, '"');
}

static bool write_rejected(run *R) {
  g_array_sort(R->rejections, rejection_cmp);
  char *path = g_build_filename(R->out_dir, "rejected.csv", NULL);
  tg_atomic *a = tg_atomic_open(path, R->d);
  if (!a) {
    g_free(path);
    return false;
  }
  GString *o = g_string_new("list,row,key,column,code,message\r\n");
  for (guint i = 0; i < R->rejections->len; i++) {
    const rejection *r = &g_array_index(R->rejections, rejection, i);
    const plan *p = &g_array_index(R->plans, plan, r->plan);
    csv_field(o, p->list->file);
    g_string_append_printf(o, ",%" G_GUINT64_FORMAT ",", r->row);
    csv_field(o, r->key);
    g_string_append_c(o, ',');
    csv_field(o, r->column);
    g_string_append_c(o, ',');
    csv_field(o, r->code);
    g_string_append_c(o, ',');
    csv_field(o, r->message);
    g_string_append(o, "\r\n");
  }
  fwrite(o->str, 1, o->len, tg_atomic_get_file(a));
  g_string_free(o, TRUE);
  bool ok = tg_atomic_commit(a, R->d);
  if (ok) output_summary_add_output(R->sum, path);
  g_free(path);
  return ok;
}

/* ---- scan ------------------------------------------------------------------------ */

/* Read every row of every list once.  Rows that cannot be read are rejected;
 * the others become letter records. */
static bool scan_phase(run *R) {
  tg_diag *rd = tg_diag_new();
  tg_diag_set_repeat_limit(rd, 0);
  bool ok = true;
  for (guint pi = 0; pi < R->plans->len && ok; pi++) {
    plan *p = &g_array_index(R->plans, plan, pi);
    tg_list_summary *ls = &R->sum->lists[pi];
    tg_row row;
    int st;
    while ((st = tg_targets_next(p->targets, &row, rd)) == 1) {
      ls->read++;
      int variant = 0, segment = -1;
      if (row.rejected ||
          !tg_merge_choose(p->merge, &row, p->list->file, &variant, &segment, rd)) {
        reject(R, pi, &row, rd);
      } else {
        letter_rec rec = {.plan = pi, .offset = row.offset, .row = row.number, .line = row.line,
                          .variant = (int8_t)variant, .segment = (int8_t)segment};
        g_array_append_val(R->letters, rec);
      }
      tg_diag_take(R->d, rd);
    }
    if (st < 0) ok = false;
    ls->blank = tg_targets_get_blank_count(p->targets);
  }
  tg_diag_take(R->d, rd);
  tg_diag_free(rd);
  return ok;
}

/* ---- plan ------------------------------------------------------------------------- */

static int letter_cmp(gconstpointer a, gconstpointer b) {
  const letter_rec *x = a, *y = b;
  if (x->plan != y->plan) return x->plan < y->plan ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* Order the letters (job order: list by list, row by row) and cut batches:
 * for now the whole run is one batch, letters.pdf. */
static void plan_phase(run *R) {
  g_array_sort(R->letters, letter_cmp);
  batch b = {0, R->letters->len, g_strdup("letters.pdf")};
  g_array_append_val(R->batches, b);
  for (guint i = 0; i < R->letters->len; i++) g_array_index(R->letters, letter_rec, i).batch = 0;
}

/* ---- render ----------------------------------------------------------------------- */

/* What rendering one batch needs of its own (one per worker). */
typedef struct {
  tg_layout_ctx *ctx;
  tg_targets **readers; /* one reader per plan, opened lazily */
  tg_letter **letters;  /* one merged letter per plan */
  tg_diag *rd;          /* diagnostics of the current row */
} worker;

static worker *worker_new(run *R) {
  worker *w = g_new0(worker, 1);
  w->ctx = tg_layout_ctx_new(R->fonts);
  w->readers = g_new0(tg_targets *, R->plans->len + 1);
  w->letters = g_new0(tg_letter *, R->plans->len + 1);
  w->rd = tg_diag_new();
  tg_diag_set_repeat_limit(w->rd, 0);
  return w;
}

static void worker_free(run *R, worker *w) {
  for (guint i = 0; i < R->plans->len; i++) {
    tg_targets_free(w->readers[i]);
    tg_letter_free(w->letters[i]);
  }
  g_free(w->readers);
  g_free(w->letters);
  tg_layout_ctx_free(w->ctx);
  tg_diag_free(w->rd);
  g_free(w);
}

/* Read the row of a letter record again (seeking back to it). */
static bool reread(run *R, worker *w, const letter_rec *rec, tg_row *row) {
  const plan *p = &g_array_index(R->plans, plan, rec->plan);
  if (!w->readers[rec->plan]) {
    w->readers[rec->plan] = tg_targets_open(p->list->file, NULL, w->rd);
    if (!w->readers[rec->plan]) return false;
  }
  tg_targets *t = w->readers[rec->plan];
  if (!tg_targets_seek(t, rec->offset, rec->row, rec->line, w->rd)) return false;
  if (tg_targets_next(t, row, w->rd) != 1 || row->number != rec->row) {
    tg_diag_row(w->rd, TG_ERROR, TG_KIND_SYSTEM, "io.changed", p->list->file, rec->row, NULL,
                "the list changed while the run was reading it");
    return false;
  }
  return true;
}

/* Render one batch into its sinks.  Returns false on a system error. */
static bool render_batch(run *R, worker *w, const batch *b, tg_sink *const *sinks, size_t nsinks,
                         uint64_t *seq) {
  bool ok = true;
  for (size_t i = b->first; i < b->first + b->count && ok; i++) {
    const letter_rec *rec = &g_array_index(R->letters, letter_rec, i);
    const plan *p = &g_array_index(R->plans, plan, rec->plan);
    tg_list_summary *ls = &R->sum->lists[rec->plan];
    tg_row row;
    if (!reread(R, w, rec, &row)) {
      ok = false;
      break;
    }
    if (!w->letters[rec->plan]) w->letters[rec->plan] = tg_letter_new(p->merge);
    tg_letter *letter = w->letters[rec->plan];
    tg_pages pages = {0};
    /* the id the letter gets if it renders ({{letter.id}} prints it) */
    letter->seq = *seq + 1;
    g_snprintf(letter->id, sizeof letter->id, "%s-%06" G_GUINT64_FORMAT, p->muni->id,
               letter->seq);
    bool good = tg_merge_row(p->merge, &row, p->list->file, letter, w->rd) &&
                tg_layout_letter(p->layout, w->ctx, letter, &pages, w->rd);
    if (!good) {
      reject(R, rec->plan, &row, w->rd);
    } else {
      (*seq)++;
      tg_letter_info info = {*seq, letter->id, p->list->file, row.number,
                             p->design->nvariants > 1 ? letter->variant_name : NULL,
                             letter->segment_name};
      for (size_t s = 0; s < nsinks && ok; s++) {
        tg_sink_begin_letter(sinks[s], &info);
        for (size_t pg = 0; pg < pages.npages && ok; pg++)
          ok = tg_sink_page(sinks[s], &pages.pages[pg], w->rd);
      }
      ls->rendered++;
      R->sum->pages += pages.npages;
    }
    tg_diag_take(R->d, w->rd);
  }
  tg_diag_take(R->d, w->rd);
  return ok;
}

static void pdf_date(const tg_job *job, char *date, size_t n) {
  const char *sde = g_getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    GDateTime *dt = g_date_time_new_from_unix_utc(g_ascii_strtoll(sde, NULL, 10));
    char *s = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S") : NULL;
    g_strlcpy(date, s ? s : "2000-01-01T00:00:00", n);
    g_free(s);
    if (dt) g_date_time_unref(dt);
  } else {
    g_snprintf(date, n, "%sT00:00:00", job->date);
  }
}

/* Open the PDF of a batch under a private temporary name. */
static tg_sink *open_batch_pdf(run *R, const char *temp) {
  int fd = g_open(temp, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    tg_diag_add(R->d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s: %s", temp,
                g_strerror(errno));
    return NULL;
  }
  close(fd);
  char date[32];
  pdf_date(R->job, date, sizeof date);
  tg_pdf_options po = {.title = R->job->title, .subject = R->job->id, .date = date};
  return tg_sink_pdf_new(temp, &po, R->d);
}

static bool render_phase(run *R) {
  bool render = !R->opt->check_only;
  tg_sink *png = NULL;
  if (render && R->opt->png) {
    char *pdir = g_build_filename(R->out_dir, "proofs", NULL);
    png = tg_sink_png_new(pdir, "page", R->opt->png_dpi, R->d);
    if (png) output_summary_add_output(R->sum, pdir);
    g_free(pdir);
    if (!png) return false;
  }
  tg_sink *trace = R->opt->trace ? tg_sink_trace_new(R->opt->trace) : NULL;
  worker *w = worker_new(R);
  uint64_t seq = 0;
  bool ok = true;
  for (guint bi = 0; bi < R->batches->len && ok; bi++) {
    const batch *b = &g_array_index(R->batches, batch, bi);
    char *final = NULL, *temp = NULL;
    tg_sink *sinks[3];
    size_t n = 0;
    tg_sink *pdf = NULL;
    if (render && R->opt->pdf) {
      final = g_build_filename(R->out_dir, b->name, NULL);
      temp = tg_temp_path_for(final);
      pdf = open_batch_pdf(R, temp);
      if (!pdf) ok = false;
      else sinks[n++] = pdf;
    }
    if (png) sinks[n++] = png;
    if (trace) sinks[n++] = trace;
    if (ok) ok = render_batch(R, w, b, sinks, n, &seq);
    if (pdf) {
      ok = tg_sink_close(pdf, R->d) && ok;
      tg_sink_free(pdf);
      if (ok) ok = tg_commit_rename(temp, final, R->d);
      if (ok) output_summary_add_output(R->sum, final);
      else g_unlink(temp);
    }
    g_free(final);
    g_free(temp);
  }
  worker_free(R, w);
  if (png) {
    ok = tg_sink_close(png, R->d) && ok;
    tg_sink_free(png);
  }
  if (trace) {
    ok = tg_sink_close(trace, R->d) && ok;
    tg_sink_free(trace);
  }
  return ok;
}

/* ---- the run ------------------------------------------------------------------------ */

static bool prepare_output_dir(run *R) {
  char *pdf = g_build_filename(R->out_dir, "letters.pdf", NULL);
  char *summary = g_build_filename(R->out_dir, "summary.json", NULL);
  bool exists = g_file_test(pdf, G_FILE_TEST_EXISTS) || g_file_test(summary, G_FILE_TEST_EXISTS);
  g_free(pdf);
  g_free(summary);
  if (exists && !R->opt->force) {
    tg_diag_add(R->d, TG_ERROR, TG_KIND_USAGE, "output.exists",
                "%s already holds the output of a run; nothing was changed", R->out_dir);
    tg_diag_hint(R->d, "choose another folder with -o, or replace it with --force");
    return false;
  }
  return tg_mkdir_private(R->out_dir, R->d);
}

tg_exit tg_run(const tg_job *job, const tg_run_options *opt, tg_summary *sum, tg_diag *d) {
  memset(sum, 0, sizeof *sum);
  run R = {.job = job, .opt = opt, .sum = sum, .d = d};
  R.out_dir = opt->out_dir ? opt->out_dir : "out";
  R.designs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify)tg_design_free);
  R.plans = g_array_new(FALSE, TRUE, sizeof(plan));
  R.letters = g_array_new(FALSE, TRUE, sizeof(letter_rec));
  R.rejections = g_array_new(FALSE, TRUE, sizeof(rejection));
  g_array_set_clear_func(R.rejections, rejection_clear);
  R.batches = g_array_new(FALSE, TRUE, sizeof(batch));
  g_array_set_clear_func(R.batches, batch_clear);

  if (!check_phase(&R)) {
    run_release(&R);
    tg_exit e = tg_diag_exit_code(d);
    return e == TG_EXIT_OK ? TG_EXIT_INVALID : e;
  }
  bool ok = opt->check_only || prepare_output_dir(&R);
  ok = ok && scan_phase(&R);
  if (ok) plan_phase(&R);
  ok = ok && render_phase(&R);
  for (size_t i = 0; i < sum->nlists; i++) {
    sum->read += sum->lists[i].read;
    sum->rendered += sum->lists[i].rendered;
    sum->excluded += sum->lists[i].excluded;
    sum->rejected += sum->lists[i].rejected;
    sum->blank += sum->lists[i].blank;
  }
  if (ok && !opt->check_only) ok = write_rejected(&R) && output_write_summary(R.out_dir, job, sum, d);
  run_release(&R);
  if (!ok) {
    tg_exit e = tg_diag_exit_code(d);
    return e == TG_EXIT_OK || e == TG_EXIT_REJECTED ? TG_EXIT_SYSTEM : e;
  }
  return sum->rejected ? TG_EXIT_REJECTED : TG_EXIT_OK;
}
