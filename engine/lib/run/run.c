/* run.c — driving a job through the pipeline, and accounting for every row.
 *
 * tg_run() works in four phases:
 *
 *   check   load fonts and designs, open every list, compile templates
 *           against the columns, lay out static content.  Any error stops the
 *           run before anything is written.
 *   scan    stream every list once; each row that can be read becomes a small
 *           letter record (list, byte offset, row number, postal code, variant,
 *           segment, arm) — rows themselves are not kept, so memory grows by a
 *           few dozen bytes per letter.  Rows that cannot be read are rejected.
 *   plan    order the records (by batch group, then postal code) and cut each
 *           group — municipality × list × variant × arm — into batches of at
 *           most batch-size letters; each batch is one PDF.
 *   render  batch by batch: seek back to each row, merge, lay out, draw, pad
 *           for duplex printing and print the control number.  A letter that
 *           cannot be laid out is rejected.  Everything a batch needs is
 *           per-batch state (see `worker`), so batches can be rendered by
 *           worker threads and still give the same bytes.
 *
 * Outputs are written into a staging folder beside the output folder and
 * moved into place only when the whole run succeeded, so an interrupted run
 * leaves nothing that looks complete; summary.json and SHA256SUMS are written
 * last.  The run holds a lock on its output folder, and --force replaces only
 * an earlier output of tegami (base/outlock.c); what dead runs left is
 * removed at the next run, their own files only.
 */
#include "run/run_private.h"

#include <malloc.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One target list of one municipality, ready to merge. */
typedef struct {
  const tg_municipality *muni;
  const tg_list_spec *list;
  uint32_t list_no; /* 1-based within its municipality, for letter ids */
  const tg_design *design;
  tg_targets *targets;
  tg_values *constants;
  tg_merge *merge;
  tg_layout *layout;
  int key_col, postal_col, address_col, name_col;
  tg_targets_options read_opt; /* how to read the list (again, in the render phase) */
  tg_era_codes era_codes;
  int vlist;          /* the list's index in the validator */
  tg_rule_set *rules; /* the municipality's exclusion rules for this list, or NULL */
} plan;

static void rejection_clear(gpointer p) {
  run_rejection *r = p;
  g_free(r->key);
  g_free(r->column);
  g_free(r->code);
  g_free(r->message);
}

static void batch_clear(gpointer p) { g_free(((run_batch *)p)->name); }

/* Intern a name (variant, segment, arm) and return its index; 0 is "-". */
static uint16_t intern(run_state *R, const char *name) {
  for (guint i = 0; i < R->names->len; i++)
    if (strcmp(g_ptr_array_index(R->names, i), name) == 0) return (uint16_t)i;
  g_ptr_array_add(R->names, g_strdup(name));
  return (uint16_t)(R->names->len - 1);
}

static void run_release(run_state *R) {
  for (guint i = 0; i < R->plans->len; i++) {
    plan *p = &g_array_index(R->plans, plan, i);
    tg_layout_free(p->layout);
    tg_merge_free(p->merge);
    tg_values_free(p->constants);
    tg_targets_free(p->targets);
    tg_rule_set_free(p->rules);
  }
  g_array_free(R->plans, TRUE);
  g_array_free(R->letters, TRUE);
  g_array_free(R->rejections, TRUE);
  if (R->excluded) g_array_free(R->excluded, TRUE);
  g_array_free(R->batches, TRUE);
  g_array_free(R->manifest, TRUE);
  g_ptr_array_free(R->names, TRUE);
  g_ptr_array_free(R->outputs, TRUE);
  g_ptr_array_free(R->assign_keys, TRUE);
  g_ptr_array_free(R->key_chunks, TRUE);
  tg_assign_free(R->assign);
  tg_validator_free(R->validator);
  if (R->exclusions)
    for (size_t m = 0; m < R->job->nmunis; m++)
      tg_exclusions_free(R->exclusions[m]);
  g_free(R->exclusions);
  run_lists_release(R);
  tg_postal_free(R->postal);
  tg_secret_free(R->password);
  run_label_sheet_clear(&R->labels);
  g_hash_table_destroy(R->designs);
  tg_furigana_free(R->furigana);
  tg_fonts_free(R->fonts);
  g_free(R->stage_dir);
}

/* ---- check ----------------------------------------------------------------------- */

static const tg_design *design_for(run_state *R, const char *path, bool *first) {
  *first = false;
  if (g_hash_table_contains(R->designs, path)) return g_hash_table_lookup(R->designs, path);
  tg_design *ds = tg_design_load(path, R->d);
  g_hash_table_insert(R->designs, g_strdup(path), ds); /* NULL remembered too */
  *first = ds != NULL;
  /* automatic furigana: MeCab and the dictionaries, once per run */
  if (ds && !R->furigana && !R->furigana_failed && tg_design_uses_auto_ruby(ds)) {
    R->furigana = tg_furigana_new_from_data_dir(R->d);
    R->furigana_failed = !R->furigana;
  }
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

static bool can_draw(void *fonts, const char *s, size_t len, uint32_t *cp, uint32_t *vs) {
  return tg_fonts_can_draw(fonts, s, len, cp, vs);
}

/* Read the experiment's secret salt from its file or environment variable
 * and create the assignment.  The salt is never printed or written. */
static void open_experiment(run_state *R) {
  const tg_experiment_spec *e = &R->job->experiment;
  if (!e->enabled) return;
  gchar *salt = NULL;
  gsize len = 0;
  if (e->salt_file) {
    GError *err = NULL;
    if (!tg_input_is_file(e->salt_file, "the experiment's salt file ", R->d)) return;
    if (!g_file_get_contents(e->salt_file, &salt, &len, &err)) {
      tg_diag_add(R->d, TG_ERROR, err->code == G_FILE_ERROR_NOENT ? TG_KIND_SCHEMA : TG_KIND_SYSTEM,
                  "assign.salt", "cannot read the experiment's salt file %s: %s", e->salt_file,
                  err->message);
      g_error_free(err);
      return;
    }
  } else {
    const char *v = g_getenv(e->salt_env);
    if (!v || !*v) {
      tg_diag_add(R->d, TG_ERROR, TG_KIND_SCHEMA, "assign.salt",
                  "the environment variable %s (the experiment's salt) is not set", e->salt_env);
      return;
    }
    salt = g_strdup(v);
    len = strlen(v);
  }
  tg_arm arms[16];
  for (size_t i = 0; i < e->narms; i++)
    arms[i] = (tg_arm){e->arms[i].name, e->arms[i].ratio};
  tg_assign_options ao = {(const uint8_t *)salt, len, arms, e->narms, e->block_multiple};
  R->assign = tg_assign_new(&ao, R->d);
  memset(salt, 0, len);
  g_free(salt);
}

/* The password of the PDFs: the command line's, else the job's. */
static void open_password(run_state *R) {
  const tg_run_options *o = R->opt;
  const tg_output_spec *s = &R->job->output;
  if (o->password_file || o->password_env)
    R->password = o->password_file ? tg_secret_from_file(o->password_file, R->d)
                                   : tg_secret_from_env(o->password_env, R->d);
  else if (s->encrypt_password_file || s->encrypt_password_env)
    R->password = s->encrypt_password_file ? tg_secret_from_file(s->encrypt_password_file, R->d)
                                           : tg_secret_from_env(s->encrypt_password_env, R->d);
  if (R->password && o->png && !o->check_only)
    tg_diag_add(R->d, TG_WARNING, TG_KIND_USAGE, "run.proofs-not-encrypted",
                "the PDFs are encrypted but PNG proofs cannot be: proofs/ holds the letters "
                "unencrypted");
  if (R->password && s->address_list && !o->check_only)
    tg_diag_add(R->d, TG_WARNING, TG_KIND_USAGE, "run.list-not-encrypted",
                "the mailing lists (*_addresses.csv) cannot be encrypted: their PDFs are, the "
                "CSV files are not");
}

static bool check_phase(run_state *R) {
  const tg_job *job = R->job;
  size_t errors_before = tg_diag_count_at_least(R->d, TG_ERROR);
  open_experiment(R);
  open_password(R);
  char *fontset = R->opt->fontset ? g_strdup(R->opt->fontset)
                                  : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  R->fonts = tg_fonts_load(fontset, R->d);
  g_free(fontset);
  char *postal = job->postal ? g_strdup(job->postal) : tg_postal_default_path(tg_data_dir());
  R->postal = tg_postal_load(postal, TG_ENC_AUTO, R->d);
  g_free(postal);
  tg_validator_options vo = {
      .key_column = job->key_column, .reference_date = job->date, .postal = R->postal};
  R->validator = tg_validator_new(&vo, R->d);
  R->exclusions = g_new0(tg_exclusions *, job->nmunis + 1);
  if (job->output.labels) {
    const char *l = job->output.labels;
    char *sheet = g_str_has_suffix(l, ".yaml")
                      ? g_strdup(l)
                      : g_strdup_printf("%s/layouts/labels/%s.yaml", tg_data_dir(), l);
    run_label_sheet_load(sheet, &R->labels, R->d);
    g_free(sheet);
  }
  uint32_t layer_base = 0;
  for (size_t m = 0; m < job->nmunis; m++) {
    const tg_municipality *mu = &job->munis[m];
    if (mu->exclude) R->exclusions[m] = tg_exclusions_load(mu->exclude, job->key_column, R->d);
    for (size_t l = 0; l < mu->nlists; l++) {
      const tg_list_spec *ls = &mu->lists[l];
      tg_diag *run_d = R->d; /* a shared design's mistakes are told once */
      R->d = tg_diag_new();
      plan p = {.muni = mu,
                .list = ls,
                .list_no = (uint32_t)l + 1,
                .key_col = -1,
                .postal_col = -1,
                .address_col = -1,
                .name_col = -1,
                .vlist = -1};
      p.read_opt = (tg_targets_options){.encoding = ls->encoding,
                                        .profile = ls->profile,
                                        .columns = ls->columns,
                                        .ncolumns = ls->ncolumns};
      run_list_read_options(R, m, &p.read_opt);
      tg_era_codes_default(&p.era_codes);
      if (ls->era_codes) tg_era_codes_parse(&p.era_codes, ls->era_codes);
      bool first_use;
      p.design = design_for(R, ls->design, &first_use);
      /* a design that declares arms must have a letter for every arm of the experiment */
      for (size_t a = 0; p.design && p.design->narms && a < job->experiment.narms; a++) {
        const char *arm = job->experiment.arms[a].name;
        if (job->experiment.enabled && tg_design_find_arm(p.design, arm) < 0)
          tg_diag_at(R->d, TG_ERROR, TG_KIND_SCHEMA, "job.arm", ls->span,
                     "the experiment's arm '%s' is not an arm of design %s", arm, ls->design);
      }
      p.targets = tg_targets_open(ls->file, &p.read_opt, R->d);
      if (p.targets && R->validator) {
        tg_list_rules rules = {.exclusions = R->exclusions[m],
                               .era_codes = &p.era_codes,
                               .list_date = run_list_date(R, ls)};
        p.vlist = tg_validator_add_list(R->validator, p.targets, &rules, R->d);
      }
      bool rules_ok = true; /* reported when not */
      if (p.targets) p.rules = tg_rule_set_new(job, mu, p.targets, &p.era_codes, &rules_ok, R->d);
      p.constants = constants_for(job, mu, ls);
      if (p.design && p.targets) {
        tg_merge_options mo = {.furigana = R->furigana};
        p.merge = tg_merge_new_full(p.design, tg_targets_get_column_names(p.targets),
                                    tg_targets_get_column_count(p.targets), p.constants, &mo, R->d);
        /* `tegami check JOB`: the easy-Japanese checks, once per design */
        if (p.merge && first_use && R->opt->check_only) tg_merge_check_easy(p.merge, R->d);
        p.key_col = tg_targets_find_column(p.targets, job->key_column);
        p.postal_col = tg_targets_find_column(p.targets, job->output.postal_column);
        p.address_col = tg_targets_find_column(p.targets, "住所");
        p.name_col = tg_targets_find_column(p.targets, "氏名");
        if ((job->output.labels || job->output.address_list) &&
            (p.address_col < 0 || p.name_col < 0))
          tg_diag_at(R->d, TG_ERROR, TG_KIND_SCHEMA, "job.no-address-columns", ls->span,
                     "%s needs columns 住所 and 氏名 for address labels and the mailing list",
                     ls->file);
        if (p.postal_col < 0 && job->output.sort == TG_SORT_POSTAL)
          tg_diag_at(R->d, TG_WARNING, TG_KIND_SCHEMA, "job.no-postal-column", ls->span,
                     "%s has no column '%s': its letters keep the order of the list", ls->file,
                     job->output.postal_column);
      }
      if (p.merge && !tg_merge_set_variant(p.merge, ls->variant ? ls->variant : mu->variant,
                                           ls->variant_column, ls->variant_span, R->d)) {
        tg_merge_free(p.merge);
        p.merge = NULL;
      }
      if (p.merge && mu->names_in_kana &&
          !tg_merge_set_kana_fallback(p.merge, "氏名", "氏名カナ", can_draw, R->fonts,
                                      mu->names_span, R->d)) {
        tg_merge_free(p.merge);
        p.merge = NULL;
      }
      if (p.merge && R->fonts) {
        p.layout = tg_layout_new(p.design, p.merge, R->fonts, layer_base, R->d);
        if (p.layout) {
          layer_base += (uint32_t)tg_layout_get_layer_count(p.layout);
          R->any_svg = R->any_svg || tg_layout_has_svg(p.layout);
          tg_layout_set_postal(p.layout, R->postal);
        }
      }
      g_array_append_val(R->plans, p);
      tg_diag_take_unique(run_d, R->d);
      tg_diag_free(R->d);
      R->d = run_d;
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

/* Record a rejected row with every error of its diagnostics into `into`,
 * counting it in rejected[plan]. */
static void reject(const run_state *R, uint32_t plan_no, const tg_row *row, const tg_diag *rd,
                   GArray *into, uint64_t *rejected) {
  const plan *p = &g_array_index(R->plans, plan, plan_no);
  /* The key names the person in rejected.csv, so that staff can find them.
   * A row the reader refused still has a trustworthy key when its fields
   * line up with the header and the bad field is another one (a NUL byte,
   * an overlong address); when the fields are shifted, no key is better
   * than somebody else's. */
  bool key_ok = p->key_col >= 0 && (size_t)p->key_col < row->nfields;
  if (key_ok && row->rejected) {
    const char *key_name = tg_targets_get_column_name(p->targets, (size_t)p->key_col);
    key_ok = row->nfields == tg_targets_get_column_count(p->targets) && row->reject_column &&
             strcmp(row->reject_column, key_name) != 0 &&
             g_utf8_validate(row->fields[p->key_col], (gssize)row->lengths[p->key_col], NULL);
  }
  run_rejection r = {
      .plan = plan_no, .row = row->number, .key = g_strdup(key_ok ? row->fields[p->key_col] : "")};
  run_rejection_reasons(&r, rd);
  g_array_append_val(into, r);
  rejected[plan_no]++;
}

/* ---- scan ------------------------------------------------------------------------ */

/* The digits of a postal code ("252-0028", full-width digits too) as a
 * number plus one (0: not 7 digits). */
static uint32_t postal_number(const char *s) {
  int n = 0;
  uint32_t v = 0;
  const char *end = s + strlen(s);
  for (const char *p = s; p < end && n < 8;) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    cp = tg_number_char(cp);
    if (cp >= '0' && cp <= '9') v = v * 10 + (cp - '0'), n++;
  }
  return n == 7 ? v + 1 : 0;
}

void run_postal_text(uint32_t postal, char out[8]) {
  if (postal)
    g_snprintf(out, 8, "%07u", postal - 1);
  else
    out[0] = '\0';
}

/* Is this row part of this shard?  People are spread over shards by a hash
 * of their key (KDB個人番号) keyed with the job id, so every machine of a
 * sharded run agrees without talking to the others; a row without a usable
 * key goes by its list and row number. */
static bool in_shard(const run_state *R, const plan *p, const tg_row *row) {
  unsigned n = R->opt->shard_count;
  if (n <= 1 || R->opt->shard_index == 0) return true;
  GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)R->job->id, strlen(R->job->id));
  if (!row->rejected && p->key_col >= 0 && (size_t)p->key_col < row->nfields &&
      row->lengths[p->key_col] > 0) {
    g_hmac_update(h, (const guchar *)row->fields[p->key_col], (gssize)row->lengths[p->key_col]);
  } else {
    char buf[64];
    g_snprintf(buf, sizeof buf, "%s\x1f%" G_GUINT64_FORMAT, p->list->file, row->number);
    g_hmac_update(h, (const guchar *)buf, (gssize)strlen(buf));
  }
  guint8 digest[32];
  gsize len = sizeof digest;
  g_hmac_get_digest(h, digest, &len);
  g_hmac_unref(h);
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | digest[i];
  return v % n == R->opt->shard_index - 1;
}

/* The stratum of a letter: municipality × target type × segment. */
static char *stratum_of(const run_state *R, const plan *p, const run_letter *rec) {
  const char *seg = rec->segment ? g_ptr_array_index(R->names, rec->segment) : "";
  return tg_stratum_key(p->muni->id, p->list->type, seg);
}

/* Has a signal asked the run to stop? */
static bool interrupted(const run_state *R) { return R->opt->interrupt && *R->opt->interrupt; }

/* Read every row of every list once.  Rows that cannot be read are rejected;
 * the others become letter records. */
static bool scan_phase(run_state *R) {
  tg_diag *rd = tg_diag_new();
  tg_diag_set_repeat_limit(rd, 0);
  bool ok = true;
  uint64_t *rejected = g_new0(uint64_t, R->plans->len + 1);
  for (guint pi = 0; pi < R->plans->len && ok; pi++) {
    plan *p = &g_array_index(R->plans, plan, pi);
    tg_list_summary *ls = &R->sum->lists[pi];
    tg_row row;
    int st;
    while ((st = tg_targets_next(p->targets, &row, rd)) == 1) {
      if (interrupted(R)) {
        ok = false;
        break;
      }
      ls->file_rows++;
      /* every shard checks every row, in job order, so that the duplicate
       * rule (one letter per person, first row wins) agrees on all machines */
      tg_verdict vd = tg_validator_check(R->validator, p->vlist, &row, rd);
      if (!in_shard(R, p, &row)) {
        tg_diag_clear(rd); /* another machine reports this row */
        continue;
      }
      ls->read++;
      int variant = 0, segment = -1, rule = -1;
      if (p->rules && vd.kind != TG_VERDICT_EXCLUDED && !row.rejected)
        rule = tg_rule_set_match(p->rules, &row, p->list->file, rd);
      if (rule >= 0) { /* the municipality's rule: the row's other problems do not matter */
        tg_diag_clear(rd);
        ls->excluded++;
        tg_list_summary_count_rule(ls, p->muni, rule);
        run_note_excluded(R, pi, &row, p->key_col, p->muni->rules[rule].reason);
      } else if (rule == -2 || vd.kind == TG_VERDICT_REJECTED || row.rejected ||
                 (vd.kind == TG_VERDICT_OK &&
                  !tg_merge_choose(p->merge, &row, p->list->file, &variant, &segment, rd))) {
        reject(R, pi, &row, rd, R->rejections, rejected);
      } else if (vd.kind == TG_VERDICT_EXCLUDED) {
        ls->excluded++;
        run_note_excluded(R, pi, &row, p->key_col, vd.rule);
        if (vd.rule && strcmp(vd.rule, "duplicate") == 0)
          ls->excluded_duplicate++;
        else
          ls->excluded_list++;
      } else {
        run_letter rec = {.plan = (uint16_t)pi,
                          .offset = row.offset,
                          .row = (uint32_t)row.number,
                          .line = (uint32_t)row.line};
        rec.variant = intern(R, p->design->variants[variant]);
        rec.segment = segment >= 0 ? intern(R, p->design->segments[segment].name) : 0;
        if (p->postal_col >= 0) rec.postal = postal_number(row.fields[p->postal_col]) & 0xFFFFFF;
        rec.postal_source = (uint32_t)row.postal_source;
        if (R->assign) {
          /* person i of the assignment is letter i of the scan */
          char *stratum = stratum_of(R, p, &rec);
          tg_assign_add(R->assign, p->key_col >= 0 ? row.fields[p->key_col] : "", stratum,
                        p->list->file, row.number, rd);
          g_free(stratum);
        }
        g_array_append_val(R->letters, rec);
      }
      tg_diag_take(R->d, rd);
    }
    if (st < 0) ok = false;
    ls->blank = tg_targets_get_blank_count(p->targets);
    if (st == 0) {
      /* every line of the file is accounted for: counted apart from the
       * reader, the lines must be the header's, the rows', blank ones or
       * line breaks inside fields — or people went missing unseen */
      ls->lines = tg_targets_get_line_count(p->targets);
      ls->header_lines = tg_targets_get_header_line_count(p->targets);
      ls->field_breaks = tg_targets_get_field_break_count(p->targets);
      if (!tg_summary_lines_reconciled(ls)) {
        tg_diag_add(rd, TG_ERROR, TG_KIND_SCHEMA, "run.lines-unaccounted",
                    "%s has %" PRIu64 " lines but its header, rows, blank lines and "
                    "line breaks inside fields account for %" PRIu64
                    ": rows may be missing, nothing is written",
                    ls->file, ls->lines,
                    ls->header_lines + ls->file_rows + ls->blank + ls->field_breaks);
        ok = false;
      }
    }
  }
  for (guint pi = 0; pi < R->plans->len; pi++)
    R->sum->lists[pi].rejected += rejected[pi];
  g_free(rejected);
  if (ok) tg_validator_finish(R->validator, rd);
  tg_diag_take(R->d, rd);
  tg_diag_free(rd);
  /* the letters stay for the rest of the run: keep them in exactly their room */
  GArray *exact = g_array_sized_new(FALSE, FALSE, sizeof(run_letter), R->letters->len);
  g_array_append_vals(exact, R->letters->data, R->letters->len);
  g_array_free(R->letters, TRUE);
  R->letters = exact;
  return ok;
}

/* ---- assign ---------------------------------------------------------------------- */

/* Randomise the scanned letters to the experiment's arms.  A letter whose
 * person cannot be assigned (no key, or one key in two strata) is rejected;
 * the assignment module has reported why. */
static bool assign_phase(run_state *R) {
  if (!R->assign) return true;
  tg_diag *ad = tg_diag_new();
  tg_diag_set_repeat_limit(ad, 0);
  tg_assign_run(R->assign, ad);
  uint64_t *rejected = g_new0(uint64_t, R->plans->len + 1);
  guint kept = 0;
  bool ok = true;
  for (guint i = 0; i < R->letters->len; i++) {
    run_letter rec = g_array_index(R->letters, run_letter, i);
    size_t arm = tg_assign_get_arm(R->assign, i);
    if (arm != TG_ARM_NONE) {
      rec.arm = intern(R, tg_assign_get_arm_name(R->assign, arm));
      g_array_index(R->letters, run_letter, kept++) = rec;
      continue;
    }
    /* read the row again for its key, and reject it with the module's reason */
    plan *p = &g_array_index(R->plans, plan, rec.plan);
    tg_row row;
    tg_diag *rd = tg_diag_new();
    if (!tg_targets_seek(p->targets, rec.offset, rec.row, rec.line, rd) ||
        tg_targets_next(p->targets, &row, rd) != 1) {
      ok = false;
    } else {
      tg_diag_row(rd, TG_ERROR, TG_KIND_DATA, "assign.unassigned", p->list->file, rec.row,
                  R->job->key_column, "no experiment arm could be assigned to this person");
      reject(R, rec.plan, &row, rd, R->rejections, rejected);
    }
    tg_diag_take(R->d, rd);
    tg_diag_free(rd);
  }
  g_array_set_size(R->letters, kept);
  for (guint pi = 0; pi < R->plans->len; pi++)
    R->sum->lists[pi].rejected += rejected[pi];
  g_free(rejected);
  tg_diag_take(R->d, ad);
  tg_diag_free(ad);
  return ok;
}

/* ---- plan ------------------------------------------------------------------------- */

static int group_cmp(const run_letter *x, const run_letter *y) {
  if (x->plan != y->plan) return x->plan < y->plan ? -1 : 1; /* municipality, then list */
  if (x->variant != y->variant) return x->variant < y->variant ? -1 : 1;
  if (x->arm != y->arm) return x->arm < y->arm ? -1 : 1;
  return 0;
}

static int letter_cmp_postal(gconstpointer a, gconstpointer b) {
  const run_letter *x = a, *y = b;
  int g = group_cmp(x, y);
  if (g) return g;
  if (x->postal != y->postal) return x->postal < y->postal ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

static int letter_cmp_input(gconstpointer a, gconstpointer b) {
  const run_letter *x = a, *y = b;
  int g = group_cmp(x, y);
  if (g) return g;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* Order the letters and cut every group into batches of at most batch-size
 * letters.  Batch files are named <municipality>_<list type>_<variant>[_<arm>]_<nnn>.pdf. */
static void plan_phase(run_state *R) {
  const tg_output_spec *o = &R->job->output;
  if (o->sort != TG_SORT_POSTAL || !run_sort_by_kubun(R, group_cmp)) /* 郵便区 first: mailing.c */
    g_array_sort(R->letters, o->sort == TG_SORT_POSTAL ? letter_cmp_postal : letter_cmp_input);
  size_t n = R->letters->len, i = 0;
  while (i < n) {
    const run_letter *first = &g_array_index(R->letters, run_letter, i);
    size_t end = i;
    while (end < n && group_cmp(first, &g_array_index(R->letters, run_letter, end)) == 0)
      end++;
    const plan *p = &g_array_index(R->plans, plan, first->plan);
    size_t per = o->batch_size ? o->batch_size : end - i;
    for (size_t s = i, k = 1; s < end; s += per, k++) {
      GString *name = g_string_new(NULL);
      g_string_append_printf(name, "%s_%s_%s", p->muni->id, p->list->type,
                             (const char *)g_ptr_array_index(R->names, first->variant));
      if (first->arm)
        g_string_append_printf(name, "_%s", (const char *)g_ptr_array_index(R->names, first->arm));
      if (R->opt->shard_count > 1 && R->opt->shard_index)
        g_string_append_printf(name, "_s%uof%u", R->opt->shard_index, R->opt->shard_count);
      g_string_append_printf(name, "_%03zu.pdf", k);
      run_batch b = {s, MIN(per, end - s), g_string_free(name, FALSE)};
      for (size_t q = s; q < s + b.count; q++)
        g_array_index(R->letters, run_letter, q).batch = R->batches->len;
      g_array_append_val(R->batches, b);
    }
    i = end;
  }
}

/* ---- render ----------------------------------------------------------------------- */

/* What rendering one batch needs of its own (one per worker thread). */
typedef struct {
  tg_layout_ctx *ctx;
  tg_targets **readers; /* one reader per plan, opened lazily */
  tg_letter **letters;  /* one merged letter per plan */
  tg_diag *rd;          /* diagnostics of the current row */
} worker;

static worker *worker_new(const run_state *R) {
  worker *w = g_new0(worker, 1);
  w->ctx = tg_layout_ctx_new(R->fonts);
  w->readers = g_new0(tg_targets *, R->plans->len + 1);
  w->letters = g_new0(tg_letter *, R->plans->len + 1);
  w->rd = tg_diag_new();
  tg_diag_set_repeat_limit(w->rd, 0);
  return w;
}

static void worker_free(const run_state *R, worker *w) {
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
static bool reread(const run_state *R, worker *w, const run_letter *rec, tg_row *row) {
  const plan *p = &g_array_index(R->plans, plan, rec->plan);
  if (!w->readers[rec->plan]) {
    w->readers[rec->plan] = tg_targets_open(p->list->file, &p->read_opt, w->rd);
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

/* The page with the control number added ("14999-1-000002 1/2"). */
static bool with_control_number(const run_state *R, worker *w, const tg_page *page, const char *id,
                                size_t pg, size_t npages, tg_page *out) {
  *out = *page;
  const tg_control_number *cn = &R->job->output.control;
  if (!cn->enabled || (cn->first_page_only && pg > 0)) return true;
  char text[96];
  g_snprintf(text, sizeof text, "%s %zu/%zu", id, pg + 1, npages);
  tg_frame_spec fs = {.family = "BIZ UDPGothic",
                      .weight = 400,
                      .size_pt = cn->size_pt,
                      .line_height = 1.0,
                      .x_pt = cn->x_pt,
                      .y_pt = cn->y_pt - cn->size_pt};
  const tg_item *items;
  size_t n;
  if (!tg_layout_frame(w->ctx, &fs, text, "control-number", &items, &n, NULL, w->rd)) return false;
  /* the frame's items and the page's live in the context's arena until the
   * next letter: a joined copy of the item list is enough */
  tg_item *joined = g_new(tg_item, page->nitems + n);
  memcpy(joined, page->items, page->nitems * sizeof *joined);
  memcpy(joined + page->nitems, items, n * sizeof *joined);
  out->items = joined;
  out->nitems = page->nitems + n;
  return true;
}

/* A batch PDF: built in memory, written once finished (encrypted first when
 * the job asks: nothing unencrypted touches the disk). */
static tg_sink *open_batch_pdf(const run_state *R, const char *path, tg_diag *d) {
  char date[32];
  tg_pdf_date(R->job->date, date, sizeof date);
  const tg_output_spec *o = &R->job->output;
  tg_pdf_options po = {.title = R->job->title,
                       .subject = R->job->id,
                       .date = date,
                       .bleed_pt = o->bleed_pt,
                       .crop_marks = o->crop_marks,
                       .compact = o->compact,
                       .write_out = R->password ? tg_pdf_write_encrypted : NULL,
                       .write_out_data = R->password,
                       .print = o->print,
                       .own_writer = !R->any_svg};
  return tg_sink_pdf_new(path, &po, d);
}

/* The batch's label sheets and mailing list, after its letters. */
static bool write_address_sheets(const run_state *R, const run_batch *b, GArray *addresses,
                                 FILE *trace, GPtrArray *files, tg_diag *d) {
  const tg_output_spec *o = &R->job->output;
  char date[32];
  tg_pdf_date(R->job->date, date, sizeof date);
  tg_pdf_options po = {.title = R->job->title,
                       .subject = R->job->id,
                       .date = date,
                       .write_out = R->password ? tg_pdf_write_encrypted : NULL,
                       .write_out_data = R->password,
                       .print = o->print};
  char *stem = g_strndup(b->name, strlen(b->name) - 4);
  bool ok = true;
  if (o->labels) {
    char *name = g_strdup_printf("%s_labels.pdf", stem);
    char *path = g_build_filename(R->stage_dir, name, NULL);
    if (trace) fprintf(trace, "labels %s sheet=%s\n", name, R->labels.name);
    ok = run_write_labels(&R->labels, R->fonts, addresses, path, &po, trace, d);
    if (ok) g_ptr_array_add(files, g_strdup(name));
    g_free(path);
    g_free(name);
  }
  if (ok && o->address_list) {
    char *csv = g_strdup_printf("%s_addresses.csv", stem),
         *pdf = g_strdup_printf("%s_addresses.pdf", stem);
    char *csv_path = g_build_filename(R->stage_dir, csv, NULL),
         *pdf_path = g_build_filename(R->stage_dir, pdf, NULL);
    ok = run_write_address_list(addresses, R->fonts, csv_path, pdf_path, &po, d);
    if (ok) {
      g_ptr_array_add(files, g_strdup(csv));
      g_ptr_array_add(files, g_strdup(pdf));
    }
    g_free(csv);
    g_free(pdf);
    g_free(csv_path);
    g_free(pdf_path);
  }
  g_free(stem);
  return ok;
}

/* What one batch produced; merged into the run in batch order, so the result
 * does not depend on which thread rendered which batch. */
typedef struct {
  GArray *manifest;              /* run_manifest_entry */
  GArray *rejections;            /* run_rejection */
  GPtrArray *assign_keys;        /* the key of each manifest entry (experiment) */
  GStringChunk *keys;            /* holds them */
  GPtrArray *files;              /* address sheets written (file names) */
  uint64_t *rendered, *rejected; /* per plan */
  uint64_t pages, barcodes, barcodes_omitted;
  tg_diag *diag;
  char *trace;
  size_t trace_len;
  bool ok;
} batch_result;

static void batch_result_clear(batch_result *r) {
  if (r->manifest) g_array_free(r->manifest, TRUE);
  if (r->rejections) g_array_free(r->rejections, TRUE);
  if (r->assign_keys) g_ptr_array_free(r->assign_keys, TRUE);
  if (r->keys) g_string_chunk_free(r->keys);
  if (r->files) g_ptr_array_free(r->files, TRUE);
  g_free(r->rendered);
  g_free(r->rejected);
  tg_diag_free(r->diag);
  free(r->trace);
}

/* Render the letters of one batch into its own sinks. */
static void render_batch(const run_state *R, worker *w, uint32_t batch_no, batch_result *res,
                         gint *letters_done) {
  const run_batch *b = &g_array_index(R->batches, run_batch, batch_no);
  res->manifest = g_array_sized_new(FALSE, TRUE, sizeof(run_manifest_entry), (guint)b->count);
  res->rejections = g_array_new(FALSE, TRUE, sizeof(run_rejection));
  g_array_set_clear_func(res->rejections, rejection_clear);
  res->assign_keys = g_ptr_array_new();
  res->keys = g_string_chunk_new(R->assign ? 4096 : 1);
  res->files = g_ptr_array_new_with_free_func(g_free);
  bool sheets = !R->opt->check_only && (R->job->output.labels || R->job->output.address_list);
  GArray *addresses = g_array_new(FALSE, TRUE, sizeof(run_address));
  g_array_set_clear_func(addresses, run_address_clear);
  res->rendered = g_new0(uint64_t, R->plans->len + 1);
  res->rejected = g_new0(uint64_t, R->plans->len + 1);
  res->diag = tg_diag_new();
  tg_diag_set_repeat_limit(res->diag, 0);
  res->ok = true;

  /* this batch's sinks: its PDF, its PNG proofs, its part of the trace */
  bool render = !R->opt->check_only;
  tg_sink *sinks[3];
  size_t nsinks = 0;
  tg_sink *pdf = NULL, *png = NULL, *trace = NULL;
  FILE *trace_mem = NULL;
  if (render && R->opt->pdf) {
    char *path = g_build_filename(R->stage_dir, b->name, NULL);
    pdf = open_batch_pdf(R, path, res->diag);
    g_free(path);
    if (!pdf)
      res->ok = false;
    else
      sinks[nsinks++] = pdf;
  }
  if (res->ok && render && R->opt->png) {
    char *pdir = g_build_filename(R->stage_dir, "proofs", NULL);
    char *prefix = g_strndup(b->name, strlen(b->name) - 4); /* without .pdf */
    png = tg_sink_png_new(pdir, prefix, R->opt->png_dpi, res->diag);
    g_free(prefix);
    g_free(pdir);
    if (!png)
      res->ok = false;
    else
      sinks[nsinks++] = png;
  }
  if (res->ok && R->opt->trace) {
    trace_mem = open_memstream(&res->trace, &res->trace_len);
    fprintf(trace_mem, "batch %s\n", b->name);
    trace = tg_sink_trace_new(trace_mem);
    sinks[nsinks++] = trace;
  }

  uint32_t page_in_batch = 0;
  for (size_t i = b->first; i < b->first + b->count && res->ok; i++) {
    if (interrupted(R)) {
      res->ok = false;
      break;
    }
    const run_letter *rec = &g_array_index(R->letters, run_letter, i);
    const plan *p = &g_array_index(R->plans, plan, rec->plan);
    tg_row row;
    if (!reread(R, w, rec, &row)) {
      res->ok = false;
      break;
    }
    if (!w->letters[rec->plan]) w->letters[rec->plan] = tg_letter_new(p->merge);
    tg_letter *letter = w->letters[rec->plan];
    run_letter_id(R, rec, letter->id, sizeof letter->id);
    letter->arm_name = rec->arm ? g_ptr_array_index(R->names, rec->arm) : NULL;
    tg_pages pages = {0};
    bool good = tg_merge_row(p->merge, &row, p->list->file, letter, w->rd) &&
                tg_layout_letter(p->layout, w->ctx, letter, &pages, w->rd);
    /* the control numbers are laid out before anything is drawn, so that a
     * failure rejects the letter instead of leaving half of it in the PDF */
    tg_page *marked = good ? g_new0(tg_page, pages.npages + 1) : NULL;
    for (size_t pg = 0; good && pg < pages.npages; pg++)
      good = with_control_number(R, w, &pages.pages[pg], letter->id, pg, pages.npages, &marked[pg]);
    if (!good) {
      reject(R, rec->plan, &row, w->rd, res->rejections, res->rejected);
    } else {
      run_manifest_entry me = {(uint32_t)i,
                               batch_no,
                               page_in_batch + 1,
                               (uint16_t)pages.npages,
                               0,
                               pages.barcodes           ? 1
                               : pages.barcodes_omitted ? 0
                                                        : -1};
      tg_letter_info info = {res->manifest->len + 1,
                             letter->id,
                             p->list->file,
                             row.number,
                             p->design->nvariants > 1 ? letter->variant_name : NULL,
                             letter->segment_name,
                             letter->arm_name};
      bool pad = R->job->output.duplex && pages.npages % 2 == 1;
      tg_page blank = {pages.pages[0].width_pt, pages.pages[0].height_pt, NULL, 0, NULL};
      for (size_t s = 0; s < nsinks && res->ok; s++) {
        tg_sink_begin_letter(sinks[s], &info);
        for (size_t pg = 0; pg < pages.npages && res->ok; pg++)
          res->ok = tg_sink_page(sinks[s], &marked[pg], w->rd);
        if (pad && res->ok) res->ok = tg_sink_page(sinks[s], &blank, w->rd);
      }
      me.blank_pages = pad ? 1 : 0;
      page_in_batch += me.page_count + me.blank_pages;
      g_array_append_val(res->manifest, me);
      if (sheets) {
        run_address ad = {g_strdup(letter->id),
                          g_strdup(p->address_col >= 0 ? row.fields[p->address_col] : ""),
                          g_strdup(p->name_col >= 0 ? row.fields[p->name_col] : ""), ""};
        run_postal_text(rec->postal, ad.postal);
        g_array_append_val(addresses, ad);
      }
      if (R->assign) { /* the rest of its assignment.csv line follows from the letter */
        const char *key = p->key_col >= 0 ? row.fields[p->key_col] : "";
        g_ptr_array_add(res->assign_keys, g_string_chunk_insert(res->keys, key));
      }
      res->rendered[rec->plan]++;
      res->pages += pages.npages;
      res->barcodes += pages.barcodes;
      res->barcodes_omitted += pages.barcodes_omitted;
    }
    if (marked)
      for (size_t pg = 0; pg < pages.npages; pg++)
        if (marked[pg].items != pages.pages[pg].items) g_free((gpointer)marked[pg].items);
    g_free(marked);
    tg_diag_take(res->diag, w->rd);
    g_atomic_int_inc(letters_done);
  }
  tg_diag_take(res->diag, w->rd);
  if (pdf) {
    res->ok = tg_sink_close(pdf, res->diag) && res->ok;
    tg_sink_free(pdf);
  }
  if (res->ok && sheets && addresses->len)
    res->ok = write_address_sheets(R, b, addresses, trace_mem, res->files, res->diag);
  g_array_free(addresses, TRUE);
  if (png) {
    res->ok = tg_sink_close(png, res->diag) && res->ok;
    tg_sink_free(png);
  }
  if (trace) {
    res->ok = tg_sink_close(trace, res->diag) && res->ok;
    tg_sink_free(trace);
    fclose(trace_mem);
  }
}

/* The worker threads take batches in turn from a shared counter. */
typedef struct {
  const run_state *R;
  batch_result *results;
  gint next_batch;   /* atomic */
  gint letters_done; /* atomic */
  gint failed;       /* atomic: stop taking batches after a system error */
  gint running;      /* atomic: threads still working */
} pool;

static gpointer pool_thread(gpointer data) {
  pool *P = data;
  worker *w = worker_new(P->R);
  for (;;) {
    if (g_atomic_int_get(&P->failed) || interrupted(P->R)) break;
    gint b = g_atomic_int_add(&P->next_batch, 1);
    if ((guint)b >= P->R->batches->len) break;
    render_batch(P->R, w, (uint32_t)b, &P->results[b], &P->letters_done);
#ifndef __SANITIZE_ADDRESS__
    /* a batch frees most of what it allocated (the PDF's objects, the
     * letters' arenas): hand it back, so that resident memory does not
     * creep up with the length of the list through malloc's free lists.
     * (Not under AddressSanitizer, whose allocator glibc's trim must not
     * touch: it aborts at thread exit.) */
    malloc_trim(0);
#endif
    if (!P->results[b].ok) g_atomic_int_set(&P->failed, 1);
  }
  worker_free(P->R, w);
  g_atomic_int_dec_and_test(&P->running);
  return NULL;
}

static bool render_phase(run_state *R) {
  /* one entry per letter: reserved once, not doubled as it grows */
  g_array_free(R->manifest, TRUE);
  R->manifest = g_array_sized_new(FALSE, TRUE, sizeof(run_manifest_entry), R->letters->len);
  if (!R->opt->check_only && R->opt->png) {
    char *pdir = g_build_filename(R->stage_dir, "proofs", NULL);
    bool ok = tg_mkdir_private(pdir, R->d);
    g_free(pdir);
    if (!ok) return false;
  }
  guint nb = R->batches->len;
  unsigned jobs = R->opt->jobs ? R->opt->jobs : (unsigned)g_get_num_processors();
  if (jobs > nb) jobs = nb ? nb : 1;
  pool P = {.R = R, .results = g_new0(batch_result, nb + 1), .running = (gint)jobs};
  GThread **threads = g_new0(GThread *, jobs);
  for (unsigned t = 0; t < jobs; t++)
    threads[t] = g_thread_new("tegami-render", pool_thread, &P);
  uint64_t total = R->letters->len;
  while (g_atomic_int_get(&P.running) > 0) {
    if (R->opt->progress)
      R->opt->progress((uint64_t)g_atomic_int_get(&P.letters_done), total, R->opt->progress_data);
    g_usleep(100000);
  }
  for (unsigned t = 0; t < jobs; t++)
    g_thread_join(threads[t]);
  g_free(threads);
  if (R->opt->progress)
    R->opt->progress((uint64_t)g_atomic_int_get(&P.letters_done), total, R->opt->progress_data);

  /* merge the batches' results in batch order */
  bool ok = true;
  for (guint bi = 0; bi < nb; bi++) {
    batch_result *r = &P.results[bi];
    if (!r->manifest) continue; /* not started after a failure */
    tg_diag_take(R->d, r->diag);
    ok = ok && r->ok;
    g_array_append_vals(R->manifest, r->manifest->data, r->manifest->len);
    for (guint i = 0; i < r->rejections->len; i++)
      g_array_append_val(R->rejections, g_array_index(r->rejections, run_rejection, i));
    g_array_set_clear_func(r->rejections, NULL); /* moved, not copied */
    for (guint i = 0; i < r->assign_keys->len; i++)
      g_ptr_array_add(R->assign_keys, g_ptr_array_index(r->assign_keys, i));
    g_ptr_array_add(R->key_chunks, r->keys); /* the keys move with their chunk */
    r->keys = NULL;
    for (guint pi = 0; pi < R->plans->len; pi++) {
      R->sum->lists[pi].rendered += r->rendered[pi];
      R->sum->lists[pi].rejected += r->rejected[pi];
    }
    R->sum->pages += r->pages;
    R->sum->barcodes += r->barcodes;
    R->sum->barcodes_omitted += r->barcodes_omitted;
    if (R->opt->trace && r->trace_len) fwrite(r->trace, 1, r->trace_len, R->opt->trace);
    if (r->ok && !R->opt->check_only && R->opt->pdf)
      g_ptr_array_add(R->outputs, g_strdup(g_array_index(R->batches, run_batch, bi).name));
    for (guint i = 0; r->ok && i < r->files->len; i++)
      g_ptr_array_add(R->outputs, g_strdup(g_ptr_array_index(r->files, i)));
    batch_result_clear(r); /* merged: free it now, not with the last batch */
    memset(r, 0, sizeof *r);
  }
  if (R->opt->trace && fflush(R->opt->trace) != 0) {
    tg_diag_add(R->d, TG_ERROR, TG_KIND_SYSTEM, "render.trace", "cannot write the trace");
    ok = false;
  }
  if (!R->opt->check_only && R->opt->png) g_ptr_array_add(R->outputs, g_strdup("proofs"));
  for (guint bi = 0; bi < nb; bi++)
    batch_result_clear(&P.results[bi]);
  g_free(P.results);
  return ok;
}

/* ---- the output folder --------------------------------------------------------------- */

/* Lock the output folder, check it may be written, create the marked
 * staging folder (base/outlock.c). */
static bool prepare_output(run_state *R) {
  R->outdir = tg_outdir_open(R->out_dir, R->job->id, R->opt->force, R->d);
  if (R->outdir) R->stage_dir = g_strdup(tg_outdir_get_stage(R->outdir));
  return R->outdir != NULL;
}

/* ---- the run ------------------------------------------------------------------------ */

tg_exit tg_run(const tg_job *job, const tg_run_options *opt, tg_summary *sum, tg_diag *d) {
  memset(sum, 0, sizeof *sum);
  run_state R = {.job = job, .opt = opt, .sum = sum, .d = d};
  R.out_dir = opt->out_dir ? opt->out_dir : "out";
  R.designs =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)tg_design_free);
  R.plans = g_array_new(FALSE, TRUE, sizeof(plan));
  R.letters = g_array_new(FALSE, TRUE, sizeof(run_letter));
  R.rejections = g_array_new(FALSE, TRUE, sizeof(run_rejection));
  g_array_set_clear_func(R.rejections, rejection_clear);
  R.batches = g_array_new(FALSE, TRUE, sizeof(run_batch));
  g_array_set_clear_func(R.batches, batch_clear);
  R.manifest = g_array_new(FALSE, TRUE, sizeof(run_manifest_entry));
  R.names = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(R.names, g_strdup("-"));
  R.outputs = g_ptr_array_new_with_free_func(g_free);
  R.assign_keys = g_ptr_array_new();
  R.key_chunks = g_ptr_array_new_with_free_func((GDestroyNotify)g_string_chunk_free);

  if (!check_phase(&R)) {
    run_release(&R);
    tg_exit e = tg_diag_exit_code(d);
    return e == TG_EXIT_OK ? TG_EXIT_INVALID : e;
  }
  bool ok = opt->check_only || prepare_output(&R);
  ok = ok && scan_phase(&R) && assign_phase(&R);
  if (ok) plan_phase(&R);
  ok = ok && render_phase(&R);
  for (size_t i = 0; i < sum->nlists; i++) {
    sum->read += sum->lists[i].read;
    sum->rendered += sum->lists[i].rendered;
    sum->excluded += sum->lists[i].excluded;
    sum->rejected += sum->lists[i].rejected;
    sum->blank += sum->lists[i].blank;
  }
  if (interrupted(&R)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "run.interrupted", "interrupted by signal %d: %s",
                (int)*opt->interrupt,
                opt->check_only ? "the check did not finish" : "nothing was written");
    ok = false;
  }
  if (ok && !opt->check_only) ok = run_write_reports(&R) && tg_outdir_commit(R.outdir, d);
  if (ok && !opt->check_only)
    for (guint i = 0; i < R.outputs->len; i++) {
      char *path = g_build_filename(R.out_dir, (const char *)g_ptr_array_index(R.outputs, i), NULL);
      tg_summary_add_output(sum, path);
      g_free(path);
    }
  tg_outdir_close(R.outdir, d); /* a failed run leaves nothing of its own behind */
  run_release(&R);
  if (!ok) {
    tg_exit e = tg_diag_exit_code(d);
    return e == TG_EXIT_OK || e == TG_EXIT_REJECTED ? TG_EXIT_SYSTEM : e;
  }
  return sum->rejected ? TG_EXIT_REJECTED : TG_EXIT_OK;
}

/* Accessors for the report writers (reports.c). */
const char *run_plan_list_file(const run_state *R, uint32_t plan_no) {
  return g_array_index(R->plans, plan, plan_no).list->file;
}
const char *run_plan_list_type(const run_state *R, uint32_t plan_no) {
  return g_array_index(R->plans, plan, plan_no).list->type;
}
void run_letter_id(const run_state *R, const run_letter *l, char *buf, size_t size) {
  const plan *p = &g_array_index(R->plans, plan, l->plan);
  g_snprintf(buf, size, "%s-%u-%06u", p->muni->id, p->list_no, l->row);
}

const char *run_plan_municipality(const run_state *R, uint32_t plan_no) {
  return g_array_index(R->plans, plan, plan_no).muni->id;
}
const tg_municipality *run_plan_muni(const run_state *R, uint32_t plan_no) {
  return g_array_index(R->plans, plan, plan_no).muni;
}
const tg_targets_options *run_plan_read_options(const run_state *R, uint32_t plan_no) {
  return &g_array_index(R->plans, plan, plan_no).read_opt;
}
