/* run.c — driving a job through the pipeline, and accounting for every row.
 *
 * tg_run() first checks everything that can be checked without rendering
 * (designs, lists' headers, templates against columns, fonts, static layout);
 * any error stops it before the output folder is touched.  It then streams the
 * lists, and for each row merges, lays out and draws the letter, or records
 * why the row was rejected.  Each row's diagnostics are collected separately so
 * that the first one can be written to rejected.csv; all are then passed on to
 * the caller's collector (which summarises repeats).  Output files are written
 * under temporary names and renamed into place only when the run succeeded.
 */
#include "output/output_private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const tg_municipality *muni;
  const tg_list_spec *list;
  const tg_design *design;
  tg_targets *targets;
  tg_values *constants;
  tg_merge *merge;
  tg_layout *layout;
  size_t summary_index;
} plan;

typedef struct {
  const tg_job *job;
  const tg_run_options *opt;
  tg_summary *sum;
  tg_diag *d;
  tg_fonts *fonts;
  GHashTable *designs; /* path -> tg_design* */
  GArray *plans;       /* plan */
  /* outputs */
  char *pdf_final, *pdf_temp;
  tg_sink *pdf, *png, *trace;
  tg_atomic *rejected;
} run;

const char *tg_data_dir(void) {
  const char *env = g_getenv("TEGAMI_DATA_DIR");
  return env && *env ? env : TG_DATA_DIR;
}

static void plan_clear(plan *p) {
  tg_layout_free(p->layout);
  tg_merge_free(p->merge);
  tg_values_free(p->constants);
  tg_targets_free(p->targets);
}

static void run_release(run *R) {
  for (guint i = 0; i < R->plans->len; i++) plan_clear(&g_array_index(R->plans, plan, i));
  g_array_free(R->plans, TRUE);
  g_hash_table_destroy(R->designs);
  tg_fonts_free(R->fonts);
  tg_sink_free(R->pdf);
  tg_sink_free(R->png);
  tg_sink_free(R->trace);
  if (R->pdf_temp) g_unlink(R->pdf_temp);
  g_free(R->pdf_temp);
  g_free(R->pdf_final);
  if (R->rejected) tg_atomic_abort(R->rejected);
}

/* ---- phase 1: check ------------------------------------------------------------ */

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
      plan p = {.muni = mu, .list = ls};
      p.design = design_for(R, ls->design);
      p.targets = tg_targets_open(ls->file, NULL, R->d);
      p.constants = constants_for(job, mu, ls);
      if (p.design && p.targets)
        p.merge = tg_merge_new(p.design, tg_targets_get_column_names(p.targets),
                               tg_targets_get_column_count(p.targets), p.constants, R->d);
      if (p.merge && R->fonts) {
        p.layout = tg_layout_new(p.design, p.merge, R->fonts, layer_base, R->d);
        layer_base += (uint32_t)p.design->npages;
      }
      p.summary_index = R->plans->len;
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

/* ---- outputs ------------------------------------------------------------------- */

static bool open_outputs(run *R) {
  const char *dir = R->opt->out_dir ? R->opt->out_dir : "out";
  char *pdf = g_build_filename(dir, "letters.pdf", NULL);
  char *summary = g_build_filename(dir, "summary.json", NULL);
  bool exists = g_file_test(pdf, G_FILE_TEST_EXISTS) || g_file_test(summary, G_FILE_TEST_EXISTS);
  g_free(summary);
  if (exists && !R->opt->force) {
    tg_diag_add(R->d, TG_ERROR, TG_KIND_USAGE, "output.exists",
                "%s already holds the output of a run; nothing was changed", dir);
    tg_diag_hint(R->d, "choose another folder with -o, or replace it with --force");
    g_free(pdf);
    return false;
  }
  if (!tg_mkdir_private(dir, R->d)) {
    g_free(pdf);
    return false;
  }
  if (R->opt->pdf) {
    R->pdf_final = pdf;
    R->pdf_temp = tg_temp_path_for(pdf);
    tg_pdf_options po = {.title = R->job->title, .subject = R->job->id};
    char date[32];
    const char *sde = g_getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
      GDateTime *dt = g_date_time_new_from_unix_utc(g_ascii_strtoll(sde, NULL, 10));
      char *s = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S") : NULL;
      g_strlcpy(date, s ? s : "2000-01-01T00:00:00", sizeof date);
      g_free(s);
      if (dt) g_date_time_unref(dt);
    } else {
      g_snprintf(date, sizeof date, "%sT00:00:00", R->job->date);
    }
    po.date = date;
    /* create the temporary privately before Cairo opens it */
    int fd = g_open(R->pdf_temp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      tg_diag_add(R->d, TG_ERROR, TG_KIND_SYSTEM, "io.create", "cannot create %s: %s",
                  R->pdf_final, g_strerror(errno));
      return false;
    }
    close(fd);
    R->pdf = tg_sink_pdf_new(R->pdf_temp, &po, R->d);
    if (!R->pdf) return false;
  } else {
    g_free(pdf);
  }
  if (R->opt->png) {
    char *pdir = g_build_filename(dir, "proofs", NULL);
    R->png = tg_sink_png_new(pdir, "page", R->opt->png_dpi, R->d);
    g_free(pdir);
    if (!R->png) return false;
  }
  char *rej = g_build_filename(dir, "rejected.csv", NULL);
  R->rejected = tg_atomic_open(rej, R->d);
  g_free(rej);
  if (!R->rejected) return false;
  fputs("list,row,key,column,code,message\r\n", tg_atomic_get_file(R->rejected));
  return true;
}

/* CSV field: quoted when needed; a leading = + - @ is neutralised so that a
 * spreadsheet never runs it as a formula. */
static void csv_field(FILE *f, const char *s) {
  bool quote = strpbrk(s, ",\"\r\n") != NULL;
  bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
  if (quote || formula) fputc('"', f);
  if (formula) fputc('\'', f);
  for (const char *p = s; *p; p++) {
    if (*p == '"') fputc('"', f);
    fputc(*p, f);
  }
  if (quote || formula) fputc('"', f);
}

static void write_rejected(run *R, const plan *p, const tg_row *row, int key_col,
                           const tg_diag *rd) {
  if (!R->rejected) return;
  const tg_diag_entry *e = NULL;
  for (size_t i = 0; i < tg_diag_count(rd) && !e; i++)
    if (tg_diag_get(rd, i)->severity == TG_ERROR) e = tg_diag_get(rd, i);
  FILE *f = tg_atomic_get_file(R->rejected);
  char num[32];
  csv_field(f, p->list->file);
  fputc(',', f);
  g_snprintf(num, sizeof num, "%" G_GUINT64_FORMAT, row->number);
  fputs(num, f);
  fputc(',', f);
  csv_field(f, key_col >= 0 && (size_t)key_col < row->nfields && !row->rejected
                   ? row->fields[key_col] : "");
  fputc(',', f);
  csv_field(f, e && e->column ? e->column : "");
  fputc(',', f);
  csv_field(f, e ? e->code : "unknown");
  fputc(',', f);
  csv_field(f, e ? e->message : "");
  fputs("\r\n", f);
}

/* ---- phase 2: rows ---------------------------------------------------------------- */

static bool render_plan(run *R, plan *p, tg_layout_ctx *ctx, uint64_t *seq) {
  tg_list_summary *ls = &R->sum->lists[p->summary_index];
  tg_letter *letter = tg_letter_new(p->merge);
  tg_diag *rd = tg_diag_new();
  tg_diag_set_repeat_limit(rd, 0);
  int key_col = tg_targets_find_column(p->targets, R->job->key_column);
  bool ok = true;
  tg_row row;
  int st;
  while ((st = tg_targets_next(p->targets, &row, rd)) == 1) {
    ls->read++;
    bool good = !row.rejected && tg_merge_row(p->merge, &row, p->list->file, letter, rd);
    tg_pages pages = {0};
    if (good) good = tg_layout_letter(p->layout, ctx, letter, &pages, rd);
    if (!good) {
      ls->rejected++;
      write_rejected(R, p, &row, key_col, rd);
    } else {
      (*seq)++;
      letter->seq = *seq;
      g_snprintf(letter->id, sizeof letter->id, "%s-%06" G_GUINT64_FORMAT, p->muni->id, *seq);
      tg_letter_info info = {*seq, letter->id, p->list->file, row.number};
      tg_sink *sinks[] = {R->pdf, R->png, R->trace};
      for (size_t s = 0; s < G_N_ELEMENTS(sinks); s++) {
        if (!sinks[s]) continue;
        tg_sink_begin_letter(sinks[s], &info);
        for (size_t pg = 0; pg < pages.npages && ok; pg++)
          ok = tg_sink_page(sinks[s], &pages.pages[pg], rd);
      }
      ls->rendered++;
      R->sum->pages += pages.npages;
    }
    tg_diag_take(R->d, rd);
    if (!ok) break;
  }
  if (st < 0) ok = false;
  ls->blank = tg_targets_get_blank_count(p->targets);
  tg_diag_take(R->d, rd);
  tg_diag_free(rd);
  tg_letter_free(letter);
  return ok;
}

static bool finish_outputs(run *R) {
  bool ok = true;
  const char *dir = R->opt->out_dir ? R->opt->out_dir : "out";
  if (R->pdf) {
    ok = tg_sink_close(R->pdf, R->d);
    tg_sink_free(R->pdf);
    R->pdf = NULL;
    if (ok) {
      ok = tg_commit_rename(R->pdf_temp, R->pdf_final, R->d);
      if (ok) output_summary_add_output(R->sum, R->pdf_final);
    }
    if (!ok) g_unlink(R->pdf_temp);
    g_free(R->pdf_temp);
    R->pdf_temp = NULL;
  }
  if (R->png) {
    ok = tg_sink_close(R->png, R->d) && ok;
    char *pdir = g_build_filename(dir, "proofs", NULL);
    if (ok) output_summary_add_output(R->sum, pdir);
    g_free(pdir);
  }
  if (R->trace) ok = tg_sink_close(R->trace, R->d) && ok;
  if (R->rejected) {
    char *rej = g_build_filename(dir, "rejected.csv", NULL);
    bool rok = ok && tg_atomic_commit(R->rejected, R->d);
    if (!ok) tg_atomic_abort(R->rejected);
    R->rejected = NULL;
    if (rok) output_summary_add_output(R->sum, rej);
    ok = ok && rok;
    g_free(rej);
  }
  if (ok) ok = output_write_summary(dir, R->job, R->sum, R->d);
  return ok;
}

tg_exit tg_run(const tg_job *job, const tg_run_options *opt, tg_summary *sum, tg_diag *d) {
  memset(sum, 0, sizeof *sum);
  run R = {.job = job, .opt = opt, .sum = sum, .d = d};
  R.designs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify)tg_design_free);
  R.plans = g_array_new(FALSE, TRUE, sizeof(plan));
  if (!check_phase(&R)) {
    run_release(&R);
    tg_exit e = tg_diag_exit_code(d);
    return e == TG_EXIT_OK ? TG_EXIT_INVALID : e;
  }
  bool ok = true;
  if (!opt->check_only) ok = open_outputs(&R);
  if (ok && opt->trace) R.trace = tg_sink_trace_new(opt->trace);
  tg_layout_ctx *ctx = ok ? tg_layout_ctx_new(R.fonts) : NULL;
  uint64_t seq = 0;
  for (guint i = 0; ok && i < R.plans->len; i++)
    ok = render_plan(&R, &g_array_index(R.plans, plan, i), ctx, &seq);
  tg_layout_ctx_free(ctx);
  for (size_t i = 0; i < sum->nlists; i++) {
    sum->read += sum->lists[i].read;
    sum->rendered += sum->lists[i].rendered;
    sum->excluded += sum->lists[i].excluded;
    sum->rejected += sum->lists[i].rejected;
    sum->blank += sum->lists[i].blank;
  }
  if (ok && !opt->check_only) ok = finish_outputs(&R);
  else if (ok && R.trace) ok = tg_sink_close(R.trace, d);
  run_release(&R);
  if (!ok) {
    tg_exit e = tg_diag_exit_code(d);
    return e == TG_EXIT_OK || e == TG_EXIT_REJECTED ? TG_EXIT_SYSTEM : e;
  }
  return sum->rejected ? TG_EXIT_REJECTED : TG_EXIT_OK;
}
