/* job.c — job files: which design, which municipalities, which lists.
 *
 * A job file is YAML checked like a design: every key is validated, paths are
 * resolved relative to the job file, and all mistakes are reported in one
 * pass with file:line:col.  Municipality profiles become the constants that
 * templates reach as {{municipality.name}}, {{sender.phone}} and so on.
 */
#include "job/job_private.h"

#include <string.h>

#define MAX_JOB_BYTES (1u << 20)
#define N(a)          (sizeof(a) / sizeof((a)[0]))

static const char *const TOP_KEYS[] = {
    "kind",          "id",     "title",      "date",    "design",         "key",
    "postal",        "output", "experiment", "mailing", "municipalities", "postal-dictionary",
    "reference-date"};
static const char *const EXPERIMENT_KEYS[] = {"name", "salt-file", "salt-env", "arms",
                                              "block-multiple"};
static const char *const OUTPUT_KEYS[] = {
    "sort",    "batch-size",   "duplex",  "control-number", "postal-column",
    "labels",  "address-list", "encrypt", "bleed",          "crop-marks",
    "compact", "color",        "pdfx",    "icc-profile"};
static const char *const ENCRYPT_KEYS[] = {"password-file", "password-env"};
static const char *const CONTROL_KEYS[] = {"x", "y", "size", "pages"};
static const char *const MUNI_KEYS[] = {"id",
                                        "name",
                                        "sender",
                                        "values",
                                        "exclude",
                                        "variant",
                                        "lists",
                                        "unprintable-names",
                                        "postal-overrides",
                                        "exclusions"};
static const char *const LIST_KEYS[] = {"file",           "type",          "design",    "profile",
                                        "encoding",       "columns",       "era_codes", "variant",
                                        "variant-column", "reference-date"};

typedef struct {
  tg_job pub;
  tg_source *src;
  tg_ydoc *doc;
  GStringChunk *strings;
} job_impl;

static const char *keep(job_impl *J, const char *s) {
  return s ? g_string_chunk_insert(J->strings, s) : NULL;
}

/* YYYY-MM-DD and a real calendar day (also for proofs' personas files). */
bool tg_job_date_valid(const char *s) {
  int y, m, d;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit(s[i])) return false;
  y = (int)g_ascii_strtoll(s, NULL, 10);
  m = (int)g_ascii_strtoll(s + 5, NULL, 10);
  d = (int)g_ascii_strtoll(s + 8, NULL, 10);
  return g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* Copy a map of scalar values into constants named prefix.key. */
void tg_job_load_values(struct tg_ynode *map, const char *prefix, tg_values *v, tg_diag *d) {
  if (!map) return;
  for (size_t i = 0; i < map->n; i++) {
    const char *val;
    if (!tg_ynode_string(map->vals[i], map->keys[i]->value, &val, d)) continue;
    char *key = g_strdup_printf("%s.%s", prefix, map->keys[i]->value);
    tg_values_set(v, key, val);
    g_free(key);
  }
}

static const char *const PROFILES[] = {"kdb-highrisk", "kdb-dropout", "none"};
static const char *const ENCODINGS[] = {"auto", "utf-8", "cp932", "shift_jis", "windows-31j"};

/* `reference-date:` of a job or a list: YYYY-MM-DD, or NULL. */
static const char *job_reference_date(job_impl *J, tg_ynode *map, tg_diag *d) {
  const char *s = NULL;
  if (!tg_yget_string(map, "reference-date", false, &s, d)) return NULL;
  if (!tg_job_date_valid(s)) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.date",
               tg_ynode_span(tg_ymap_get(map, "reference-date")),
               "'reference-date' must be a calendar date written YYYY-MM-DD");
    return NULL;
  }
  return keep(J, s);
}

/* How to read a list: profile, encoding, column mapping, era codes. */
static void load_list_reading(job_impl *J, tg_ynode *l, tg_list_spec *ls, tg_diag *d) {
  int i;
  if (tg_yget_enum(l, "profile", false, PROFILES, G_N_ELEMENTS(PROFILES), &i, d) &&
      strcmp(PROFILES[i], "none") != 0)
    ls->profile = keep(J, PROFILES[i]);
  ls->encoding = TG_ENC_AUTO;
  if (tg_yget_enum(l, "encoding", false, ENCODINGS, G_N_ELEMENTS(ENCODINGS), &i, d))
    tg_encoding_parse(ENCODINGS[i], &ls->encoding);
  tg_ynode *cols = tg_yget_map(l, "columns", false, d);
  if (cols && cols->n) {
    ls->columns = g_new0(tg_column_map, cols->n);
    for (size_t k = 0; k < cols->n; k++) {
      const char *header;
      if (!tg_ynode_string(cols->vals[k], cols->keys[k]->value, &header, d)) continue;
      ls->columns[ls->ncolumns].name = keep(J, cols->keys[k]->value);
      ls->columns[ls->ncolumns].header = keep(J, header);
      ls->ncolumns++;
    }
  }
  const char *era = NULL;
  if (tg_yget_string(l, "era_codes", false, &era, d)) {
    tg_era_codes codes;
    if (!tg_era_codes_parse(&codes, era))
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.era-codes",
                 tg_ynode_span(tg_ymap_get(l, "era_codes")),
                 "'era_codes' must map digits to eras, e.g. \"1=M,2=T,3=S,4=H,5=R\"");
    else
      ls->era_codes = keep(J, era);
  }
  ls->reference_date = job_reference_date(J, l, d);
}

/* Municipality ids and list types name the batch files
 * (<municipality>_<type>_<variant>_NNN.pdf): refuse what would put a file
 * outside the output folder ("../x", "a/b"), hide it (".x") or cannot be a
 * file name on the vendor's Windows machine (\\ : * ? " < > |, control
 * characters). */
static bool file_name_part(const char *s) {
  if (!*s || *s == '.' || strlen(s) > 64) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F || strchr("/\\:*?\"<>|", *p)) return false;
  return true;
}

static void check_file_name_part(tg_span span, const char *value, const char *what, tg_diag *d) {
  if (file_name_part(value)) return;
  tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.file-name", span,
             "the %s becomes part of the output file names: it must be 1 to 64 bytes, not "
             "start with '.', and hold no / \\ : * ? \" < > | or control characters",
             what);
}

static void load_muni(job_impl *J, tg_ynode *m, tg_municipality *mu, const char *default_design,
                      tg_diag *d) {
  mu->span = tg_ynode_span(m);
  mu->values = tg_values_new();
  const char *s = "";
  if (tg_yget_string(m, "id", true, &s, d)) {
    mu->id = keep(J, s);
    check_file_name_part(tg_ynode_span(tg_ymap_get(m, "id")), s, "municipality id", d);
  } else {
    mu->id = keep(J, "");
  }
  s = "";
  if (tg_yget_string(m, "name", true, &s, d))
    mu->name = keep(J, s);
  else
    mu->name = keep(J, "");
  tg_values_set(mu->values, "municipality.id", mu->id);
  tg_values_set(mu->values, "municipality.name", mu->name);
  /* the optional lines of a sender block: defined (empty) unless given, so
   * that designs can test them with {{#if sender.address}} */
  static const char *const SENDER_OPTIONAL[] = {"sender.section", "sender.postal", "sender.address",
                                                "sender.phone",   "sender.hours",  "sender.email",
                                                "sender.fax"};
  for (size_t i = 0; i < G_N_ELEMENTS(SENDER_OPTIONAL); i++)
    tg_values_set(mu->values, SENDER_OPTIONAL[i], "");
  tg_job_load_values(tg_yget_map(m, "sender", false, d), "sender", mu->values, d);
  tg_job_load_values(tg_yget_map(m, "values", false, d), "municipality", mu->values, d);
  const char *po = NULL;
  if (tg_yget_string(m, "postal-overrides", false, &po, d)) {
    char *p = tg_path_relative_to(J->pub.path, po);
    mu->postal_overrides = keep(J, p);
    g_free(p);
  }
  const char *ex = NULL;
  if (tg_yget_string(m, "exclude", false, &ex, d)) {
    char *p = tg_path_relative_to(J->pub.path, ex);
    mu->exclude = keep(J, p);
    g_free(p);
  }
  job_load_rules(m, J->pub.path, J->strings, mu, d);
  /* the design variant of this municipality's letters (checked against the
   * design when the run is checked) */
  const char *variant = NULL;
  tg_span variant_span = mu->span;
  if (tg_yget_string(m, "variant", false, &variant, d)) {
    mu->variant = keep(J, variant);
    variant_span = tg_ynode_span(tg_ymap_get(m, "variant"));
  }
  /* a name no font can draw: reject the row (default) or print its kana */
  static const char *const UNPRINTABLE[] = {"reject", "kana"};
  int un = 0;
  if (tg_yget_enum(m, "unprintable-names", false, UNPRINTABLE, N(UNPRINTABLE), &un, d)) {
    mu->names_in_kana = un == 1;
    mu->names_span = tg_ynode_span(tg_ymap_get(m, "unprintable-names"));
  }
  tg_ynode *lists = tg_yget_seq(m, "lists", true, d);
  tg_ycheck_keys(m, "municipality", MUNI_KEYS, N(MUNI_KEYS), d);
  if (!lists) return;
  mu->nlists = lists->n;
  mu->lists = g_new0(tg_list_spec, lists->n + 1);
  for (size_t i = 0; i < lists->n; i++) {
    tg_ynode *l = lists->vals[i];
    tg_list_spec *ls = &mu->lists[i];
    ls->span = tg_ynode_span(l);
    if (!tg_yexpect_map(l, "a target list", d)) continue;
    const char *file = NULL, *type = "letters", *design = NULL;
    if (tg_yget_string(l, "file", true, &file, d)) {
      char *p = tg_path_relative_to(J->pub.path, file);
      ls->file = keep(J, p);
      g_free(p);
    }
    if (tg_yget_string(l, "type", false, &type, d))
      check_file_name_part(tg_ynode_span(tg_ymap_get(l, "type")), type, "list type", d);
    ls->type = keep(J, type);
    const char *lv = NULL, *col = NULL;
    ls->variant_span = variant_span;
    if (tg_yget_string(l, "variant", false, &lv, d)) {
      ls->variant = keep(J, lv);
      ls->variant_span = tg_ynode_span(tg_ymap_get(l, "variant"));
    }
    if (tg_yget_string(l, "variant-column", false, &col, d)) {
      ls->variant_column = keep(J, col);
      ls->variant_span = tg_ynode_span(tg_ymap_get(l, "variant-column"));
    }
    if (tg_yget_string(l, "design", false, &design, d)) {
      char *p = tg_path_relative_to(J->pub.path, design);
      ls->design = keep(J, p);
      g_free(p);
    } else {
      ls->design = default_design;
      if (!default_design)
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.no-design", ls->span,
                   "this list has no design: give 'design' here or at the top of the job");
    }
    load_list_reading(J, l, ls, d);
    tg_ycheck_keys(l, "target list", LIST_KEYS, N(LIST_KEYS), d);
  }
}

/* Colour for print: `color: rgb|cmyk`, `pdfx: x-4`, `icc-profile: FILE`
 * (docs/job-format.md).  The output intent is always declared. */
static void load_print(job_impl *J, tg_ynode *m, tg_output_spec *o, tg_diag *d) {
  static const char *const COLORS[] = {"rgb", "cmyk"};
  static const char *const PDFX[] = {"none", "x-4"};
  int v = 0;
  if (tg_yget_enum(m, "color", false, COLORS, N(COLORS), &v, d)) o->print.cmyk = v == 1;
  if (tg_yget_enum(m, "pdfx", false, PDFX, N(PDFX), &v, d))
    o->print.pdfx = v == 1 ? TG_PDFX_4 : TG_PDFX_NONE;
  const char *icc = NULL;
  if (tg_yget_string(m, "icc-profile", false, &icc, d)) {
    char *p = tg_path_relative_to(J->pub.path, icc);
    o->print.icc_profile = keep(J, p);
    g_free(p);
  }
  if (o->print.pdfx && tg_ymap_get(m, "encrypt"))
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.pdfx-encrypt",
               tg_ynode_span(tg_ymap_get(m, "pdfx")),
               "PDF/X files cannot be encrypted: drop 'encrypt' or 'pdfx'");
}

/* The `output:` section: how batches are cut and marked for the vendor. */
static void load_output(job_impl *J, tg_ynode *root, tg_diag *d) {
  tg_output_spec *o = &J->pub.output;
  o->sort = TG_SORT_POSTAL;
  o->batch_size = 1000;
  o->postal_column = keep(J, "郵便番号");
  o->compact = true;
  o->print.output_intent = true;
  tg_ynode *m = tg_yget_map(root, "output", false, d);
  if (!m) return;
  tg_yget_length(m, "bleed", false, 0, tg_mm_to_pt(5), &o->bleed_pt, d);
  tg_yget_bool(m, "crop-marks", false, &o->crop_marks, d);
  tg_yget_bool(m, "compact", false, &o->compact, d);
  static const char *const SORTS[] = {"postal", "input"};
  int srt;
  if (tg_yget_enum(m, "sort", false, SORTS, N(SORTS), &srt, d)) o->sort = srt;
  long bs = 0;
  if (tg_yget_int(m, "batch-size", false, 1, 1000000, &bs, d)) o->batch_size = (size_t)bs;
  tg_yget_bool(m, "duplex", false, &o->duplex, d);
  const char *pc = NULL;
  if (tg_yget_string(m, "postal-column", false, &pc, d)) o->postal_column = keep(J, pc);
  const char *lb = NULL;
  if (tg_yget_string(m, "labels", false, &lb, d)) {
    /* a preset name (a-one-12) or a label-sheet file relative to the job */
    char *p = strchr(lb, '/') || g_str_has_suffix(lb, ".yaml")
                  ? tg_path_relative_to(J->pub.path, lb)
                  : g_strdup(lb);
    o->labels = keep(J, p);
    g_free(p);
  }
  tg_yget_bool(m, "address-list", false, &o->address_list, d);
  /* AES-256 for the PDFs; the password from a private file or the
   * environment, never from the job file itself */
  tg_ynode *enc = tg_yget_map(m, "encrypt", false, d);
  if (enc) {
    const char *f = NULL, *v = NULL;
    if (tg_yget_string(enc, "password-file", false, &f, d)) {
      char *p = tg_path_relative_to(J->pub.path, f);
      o->encrypt_password_file = keep(J, p);
      g_free(p);
    }
    if (tg_yget_string(enc, "password-env", false, &v, d)) o->encrypt_password_env = keep(J, v);
    if ((f != NULL) == (v != NULL))
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.encrypt", tg_ynode_span(enc),
                 "'encrypt' takes one of 'password-file' and 'password-env'");
    tg_ycheck_keys(enc, "encrypt", ENCRYPT_KEYS, N(ENCRYPT_KEYS), d);
  }
  load_print(J, m, o, d);
  tg_ynode *c = tg_yget_map(m, "control-number", false, d);
  if (c) {
    tg_control_number *cn = &o->control;
    cn->enabled = true;
    cn->size_pt = 6;
    tg_yget_length(c, "x", true, 0, tg_mm_to_pt(1000), &cn->x_pt, d);
    tg_yget_length(c, "y", true, 0, tg_mm_to_pt(1000), &cn->y_pt, d);
    tg_yget_length(c, "size", false, 4, 14, &cn->size_pt, d);
    static const char *const PAGES[] = {"all", "first"};
    int pg;
    if (tg_yget_enum(c, "pages", false, PAGES, N(PAGES), &pg, d)) cn->first_page_only = pg == 1;
    tg_ycheck_keys(c, "control-number", CONTROL_KEYS, N(CONTROL_KEYS), d);
  }
  tg_ycheck_keys(m, "output", OUTPUT_KEYS, N(OUTPUT_KEYS), d);
}

/* The `experiment:` section: arms with ratios and the salt's source. */
static void load_experiment(job_impl *J, tg_ynode *root, tg_diag *d) {
  tg_experiment_spec *e = &J->pub.experiment;
  tg_ynode *m = tg_yget_map(root, "experiment", false, d);
  if (!m) return;
  e->enabled = true;
  const char *s = NULL;
  e->name = keep(J, tg_yget_string(m, "name", false, &s, d) ? s : "experiment");
  if (tg_yget_string(m, "salt-file", false, &s, d)) {
    char *p = tg_path_relative_to(J->pub.path, s);
    e->salt_file = keep(J, p);
    g_free(p);
  }
  if (tg_yget_string(m, "salt-env", false, &s, d)) e->salt_env = keep(J, s);
  if (!e->salt_file == !e->salt_env)
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.salt", tg_ynode_span(m),
               "an experiment needs exactly one of 'salt-file' or 'salt-env' (the secret salt is "
               "never written in the job)");
  long bm = 1;
  tg_yget_int(m, "block-multiple", false, 1, 10, &bm, d);
  e->block_multiple = (unsigned)bm;
  tg_ynode *arms = tg_yget_map(m, "arms", true, d);
  if (arms) {
    if (arms->n < 2 || arms->n > 16)
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.arms", tg_ynode_span(arms),
                 "an experiment has 2 to 16 arms, written as name: ratio (A: 1, B: 1)");
    for (size_t i = 0; i < arms->n && i < 16; i++) {
      long ratio = 0;
      tg_yget_int(arms, arms->keys[i]->value, true, 1, 100, &ratio, d);
      check_file_name_part(tg_ynode_span(arms->keys[i]), arms->keys[i]->value, "arm name", d);
      e->arms[i].name = keep(J, arms->keys[i]->value);
      e->arms[i].ratio = (unsigned)ratio;
      e->narms = i + 1;
    }
  }
  tg_ycheck_keys(m, "experiment", EXPERIMENT_KEYS, N(EXPERIMENT_KEYS), d);
}

tg_job *tg_job_load(const char *path, tg_diag *d) {
  tg_source *src = tg_source_load(path, MAX_JOB_BYTES, d);
  if (!src) return NULL;
  tg_ydoc *doc = tg_ydoc_parse(src, d);
  if (!doc) {
    tg_source_free(src);
    return NULL;
  }
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  job_impl *J = g_new0(job_impl, 1);
  J->src = src;
  J->doc = doc;
  J->strings = g_string_chunk_new(1024);
  tg_job *job = &J->pub;
  job->path = keep(J, path);
  tg_ynode *root = tg_ydoc_get_root(doc);
  if (tg_yexpect_map(root, "a job", d)) {
    const char *kind = NULL, *s = NULL;
    if (tg_yget_string(root, "kind", true, &kind, d) && strcmp(kind, "job") != 0)
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.kind", tg_ynode_span(tg_ymap_get(root, "kind")),
                 "this file is a '%s', not a job (expected kind: job)", kind);
    job->id = keep(J, tg_yget_string(root, "id", true, &s, d) ? s : "");
    s = NULL;
    job->title = keep(J, tg_yget_string(root, "title", false, &s, d) ? s : job->id);
    s = NULL;
    if (tg_yget_string(root, "date", true, &s, d)) {
      if (!tg_job_date_valid(s))
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.date",
                   tg_ynode_span(tg_ymap_get(root, "date")),
                   "'date' must be a calendar date written YYYY-MM-DD");
      job->date = keep(J, s);
    } else {
      job->date = keep(J, "2000-01-01");
    }
    s = NULL;
    job->key_column = keep(J, tg_yget_string(root, "key", false, &s, d) ? s : "KDB個人番号");
    s = NULL;
    if (tg_yget_string(root, "postal", false, &s, d) ||
        tg_yget_string(root, "postal-dictionary", false, &s, d)) {
      char *p = tg_path_relative_to(path, s);
      job->postal = keep(J, p);
      g_free(p);
    }
    job->reference_date = job_reference_date(J, root, d);
    const char *design = NULL, *dflt = NULL;
    if (tg_yget_string(root, "design", false, &design, d)) {
      char *p = tg_path_relative_to(path, design);
      dflt = keep(J, p);
      g_free(p);
    }
    load_output(J, root, d);
    load_experiment(J, root, d);
    job_load_mailing(root, &job->mailing, d);
    tg_ynode *munis = tg_yget_seq(root, "municipalities", true, d);
    tg_ycheck_keys(root, "the job", TOP_KEYS, N(TOP_KEYS), d);
    if (munis) {
      if (munis->n == 0)
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.no-municipality", tg_ynode_span(munis),
                   "a job needs at least one municipality");
      job->nmunis = munis->n;
      job->munis = g_new0(tg_municipality, munis->n + 1);
      for (size_t i = 0; i < munis->n; i++) {
        if (!tg_yexpect_map(munis->vals[i], "a municipality", d)) {
          job->munis[i].values = tg_values_new();
          continue;
        }
        load_muni(J, munis->vals[i], &job->munis[i], dflt, d);
        for (size_t k = 0; k < i; k++)
          if (job->munis[k].id && job->munis[i].id && *job->munis[i].id &&
              strcmp(job->munis[k].id, job->munis[i].id) == 0)
            tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "job.duplicate-municipality",
                       job->munis[i].span, "municipality id '%s' appears twice", job->munis[i].id);
      }
    }
  }
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_job_free(job);
    return NULL;
  }
  return job;
}

void tg_job_free(tg_job *job) {
  if (!job) return;
  job_impl *J = (job_impl *)job;
  for (size_t i = 0; i < job->nmunis; i++) {
    tg_values_free(job->munis[i].values);
    for (size_t l = 0; l < job->munis[i].nlists; l++)
      g_free(job->munis[i].lists[l].columns);
    g_free(job->munis[i].lists);
    g_free(job->munis[i].rules);
  }
  g_free(job->munis);
  tg_ydoc_free(J->doc);
  tg_source_free(J->src);
  g_string_chunk_free(J->strings);
  g_free(J);
}

/* The first character of a file (a function, not a compound literal in the
 * call: xgettext would miscount the arguments of tg_diag_at). */
static tg_span file_start(const tg_source *src) { return (tg_span){src, 1, 1, 1}; }

const char *tg_detect_kind(const char *path, tg_diag *d) {
  tg_source *src = tg_source_load(path, MAX_JOB_BYTES * 4, d);
  if (!src) return NULL;
  tg_ydoc *doc = tg_ydoc_parse(src, d);
  const char *kind = NULL;
  if (doc) {
    tg_ynode *k = tg_ymap_get(tg_ydoc_get_root(doc), "kind");
    if (tg_yscalar_is(k, "job"))
      kind = "job";
    else if (tg_yscalar_is(k, "design"))
      kind = "design";
    else
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "file.kind", k ? tg_ynode_span(k) : file_start(src),
                 "a tegami file starts with 'kind: job' or 'kind: design'");
  }
  tg_ydoc_free(doc);
  tg_source_free(src);
  return kind;
}
