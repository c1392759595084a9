/* tegami/job.h — the job file, and the summary of what a run of it made.
 *
 * A job file names the letter design, the municipalities taking part (each
 * with its sender profile, its target lists and its exclusion list), the
 * letter date, how the vendor wants the output cut (`output:`) and, for an
 * A/B experiment, its arms and where the secret salt is (`experiment:`).
 * tg_job_load() checks it in one pass, like a design.
 *
 * The job is the contract between the stages that come after the pipeline:
 * the run renders it (run.h), the audit log records it and its summary
 * (security.h), a sharded run's folders are joined by it, and the personas
 * file of proofs (qa.h) describes its municipality the same way.  A summary
 * is what a run (or a join) reports: counts per list that reconcile —
 *   rows read = rendered + excluded + rejected —
 * and the paths of every output written.
 */
#ifndef TEGAMI_JOB_H
#define TEGAMI_JOB_H

#include "tegami/diag.h"
#include "tegami/merge.h"
#include "tegami/render.h"
#include "tegami/targets.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_list_spec {
  const char *file;           /* resolved relative to the job file */
  const char *type;           /* "highrisk", "dropout" or a free word */
  const char *design;         /* resolved path; the job's design if not given */
  const char *variant;        /* the design variant for this list (NULL: the municipality's) */
  const char *variant_column; /* a column naming the variant per row (NULL: none) */
  tg_span variant_span;       /* where the variant was chosen, for messages */
  tg_span span;
  /* How to read the list (docs/targets.md): pass to tg_targets_open(). */
  const char *profile;    /* "kdb-highrisk", "kdb-dropout", or NULL (none) */
  tg_encoding encoding;   /* TG_ENC_AUTO unless the job says */
  tg_column_map *columns; /* the job's mapping, canonical name → header */
  size_t ncolumns;
  /* Era-code map for 7-digit dates ("1=M,2=T,3=S,4=H,5=R"), NULL: default;
   * parse with tg_era_codes_parse() into tg_list_rules.era_codes. */
  const char *era_codes;
  const char *reference_date; /* YYYY-MM-DD: the date 年齢 is as of; NULL: the job's */
} tg_list_spec;

/* One exclusion rule of a municipality (spec 6(4): the municipality sets
 * who is not written to), from the job's `exclusions:`: a rule over the
 * list's columns (`when: 年齢_通知日 >= 75`, `when: 国保喪失年月日`), or a
 * key list (`list: 入院.csv`, keyed by `key:`, KDB個人番号 by default or
 * 被保険者番号).  A row a rule takes is excluded and counted by `reason`. */
typedef struct tg_exclusion_rule {
  const char *reason;               /* the label counted in summaries: 入院中, 75歳到達 … */
  const char *when;                 /* a rule of the design language, or NULL */
  const struct tg_ynode *when_node; /* where `when` is written (messages) */
  const char *list;                 /* a key list (resolved path), or NULL */
  const char *key;                  /* the column keying `list` and the rows */
  tg_span span;
} tg_exclusion_rule;

typedef struct tg_municipality {
  const char *id;
  const char *name;
  const char *exclude; /* the municipality's exclusion list (CSV of keys), or NULL */
  const char *variant; /* the design variant of its letters (NULL: the design's first) */
  /* `unprintable-names: kana`: a 氏名 no font can draw is printed from 氏名カナ
   * (tg_merge_set_kana_fallback); false: such a row is rejected */
  bool names_in_kana;
  tg_span names_span;
  tg_values *values; /* municipality.*, sender.* constants */
  size_t nlists;
  tg_list_spec *lists;
  tg_span span;
  const char *postal_overrides; /* CSV: KDB個人番号 → 郵便番号 for addresses that decide none */
  size_t nrules; /* exclusion rules, tried in order: the first that holds names the reason */
  tg_exclusion_rule *rules;
} tg_municipality;

/* How the vendor wants the output cut and marked (the job's `output:`). */
typedef enum { TG_SORT_POSTAL, TG_SORT_INPUT } tg_sort;

typedef struct tg_control_number {
  bool enabled;
  double x_pt, y_pt; /* baseline start of the text on the page */
  double size_pt;
  bool first_page_only;
} tg_control_number;

typedef struct tg_output_spec {
  tg_sort sort;              /* postal (default): by postal code within each batch group */
  size_t batch_size;         /* letters per PDF (default 1000) */
  bool duplex;               /* pad with a blank page so every letter starts on a front side */
  tg_control_number control; /* the letter id printed on its pages, where the vendor asks */
  const char *postal_column; /* default 郵便番号 */
  const char *labels;        /* label sheet: a preset of layouts/labels or a file; NULL = none */
  bool address_list;         /* the mailing list (発送リスト) as CSV and PDF per batch */
  double bleed_pt;           /* print production: bleed around the trim (0–5 mm) */
  bool crop_marks;           /* トンボ outside the bleed; TrimBox/BleedBox in the PDF */
  bool compact;              /* object streams (default on): smaller PDFs */
  const char *encrypt_password_file; /* encrypt the PDFs (AES-256) with the password of this */
  const char *encrypt_password_env;  /* file, or of this environment variable; NULL: not */
  tg_pdf_print print; /* color: rgb|cmyk, pdfx: x-4, icc-profile (output intent on) */
} tg_output_spec;

/* An A/B experiment (the job's `experiment:`): arms and their ratio, and
 * where the secret salt comes from — a file or an environment variable,
 * never the job file itself.  Strata are municipality × target type ×
 * segment. */
typedef struct tg_experiment_spec {
  bool enabled;
  const char *name;
  const char *salt_file; /* resolved relative to the job file */
  const char *salt_env;
  size_t narms;
  struct {
    const char *name;
    unsigned ratio;
  } arms[16];
  unsigned block_multiple;
} tg_experiment_spec;

/* The Japan Post mailing plan (the job's `mailing:`; docs/job-format.md): the
 * envelope and what a piece weighs and measures, for mailing-plan.csv/.pdf. */
typedef struct tg_mailing_spec {
  bool enabled;                        /* the job has a `mailing:` section */
  const char *envelope;                /* naga3 (default), naga4, naga40, kaku2, or custom */
  double envelope_w_mm, envelope_l_mm; /* short and long side */
  double envelope_g, envelope_mm;      /* the empty envelope: weight and thickness */
  double paper_gsm;                    /* g/m² of the letter paper (sheet = page area) */
  double sheet_g;                      /* g per sheet, when given (else from paper_gsm) */
  double paper_mm;                     /* thickness of one sheet */
  unsigned panels;                     /* a sheet folded into this many panels (三つ折り: 3) */
  double insert_g, insert_mm;          /* other enclosures per piece (返信用封筒 …) */
} tg_mailing_spec;

typedef struct tg_job {
  const char *path;
  const char *id;
  const char *title;
  const char *date;       /* YYYY-MM-DD: the letter date and the PDF date */
  const char *key_column; /* identifies a person in reports, e.g. KDB個人番号 */
  const char *postal; /* postal-dictionary: KEN_ALL-format; NULL: the one in locales/ja/postal */
  tg_output_spec output;
  tg_experiment_spec experiment;
  tg_mailing_spec mailing;
  size_t nmunis;
  tg_municipality *munis;
  /* YYYY-MM-DD: the date the lists' 年齢 are as of (NULL: each list's title
   * date, else the letter date with a year's tolerance) */
  const char *reference_date;
} tg_job;

tg_job *tg_job_load(const char *path, tg_diag *d);
void tg_job_free(tg_job *job);

/* Shared with the other files that describe a municipality as a job does
 * (the personas file of proofs): is s a calendar date written YYYY-MM-DD;
 * copy a YAML mapping of scalars (`sender:`, `values:`) into constants named
 * prefix.key, reporting values that are not scalars. */
bool tg_job_date_valid(const char *s);
void tg_job_load_values(struct tg_ynode *map, const char *prefix, tg_values *v, tg_diag *d);

typedef struct tg_list_summary {
  char *file, *type, *municipality;
  uint64_t read, rendered, excluded, rejected, blank;
  uint64_t file_rows; /* rows of the whole file (with --shard, read counts only this shard's) */
  uint64_t excluded_duplicate, excluded_list; /* excluded, by rule */
  /* excluded by the municipality's exclusion rules: one count per rule, in
   * the municipality's order, with its reason label */
  size_t nrules;
  char **rule_reasons;
  uint64_t *excluded_rule;
  /* The file's lines, counted apart from the reader (0: not known), and what
   * they are besides rows: lines = header_lines + file_rows + blank +
   * field_breaks, or rows went missing (tg_targets_get_line_count). */
  uint64_t lines, header_lines, field_breaks;
} tg_list_summary;

typedef struct tg_summary {
  uint64_t read, rendered, excluded, rejected, blank, pages;
  uint64_t barcodes, barcodes_omitted; /* customer barcodes printed, and letters without one */
  size_t nlists;
  tg_list_summary *lists;
  size_t noutputs;
  char **outputs; /* paths written, in order */
} tg_summary;

/* Release what a summary holds (the summary itself is the caller's). */
void tg_summary_clear(tg_summary *s);
/* The human summary printed at the end of a run (newly allocated), in the
 * language of the messages (docs/i18n.md). */
char *tg_summary_format(const tg_summary *s, bool check_only);
/* The same for summary.txt: English whatever the locale, so that an output
 * folder does not depend on who ran the job. */
char *tg_summary_format_file(const tg_summary *s);
/* Add a path to the outputs a summary names (copied). */
void tg_summary_add_output(tg_summary *s, const char *path);
/* A list's lines are all accounted for (or not known); and the whole
 * summary: read = rendered + excluded + rejected and every list's lines. */
bool tg_summary_lines_reconciled(const tg_list_summary *l);
bool tg_summary_reconciled(const tg_summary *s);

/* A municipality's exclusion rules made ready for one list (exclusions.c):
 * rules compiled against its columns and the derived column 年齢_通知日
 * (age at the letter date, from 生年月日), key lists loaded.  NULL when the
 * municipality has none, or after reporting a problem (*ok false). */
typedef struct tg_rule_set tg_rule_set;
tg_rule_set *tg_rule_set_new(const tg_job *job, const tg_municipality *mu, const tg_targets *t,
                             const tg_era_codes *codes, bool *ok, tg_diag *d);
/* The index of the first rule that takes the row, -1 for none, -2 when a
 * rule cannot be decided for it (reported, row-named: reject the row). */
int tg_rule_set_match(tg_rule_set *s, const tg_row *row, const char *list_path, tg_diag *d);
void tg_rule_set_free(tg_rule_set *s);
/* Count an exclusion by rule `rule` of the list's municipality. */
void tg_list_summary_count_rule(tg_list_summary *l, const tg_municipality *mu, int rule);
/* Exclusions by rule summed per municipality and reason, in job order
 * (every rule of a list that has rules, zero counts included); free with
 * g_free (the strings are the summary's). */
typedef struct tg_rule_count {
  const char *municipality, *reason;
  uint64_t count;
} tg_rule_count;
size_t tg_summary_rule_counts(const tg_summary *s, tg_rule_count **out);

/* What a tegami YAML file is: "job", "design", or NULL (reported) when it
 * cannot be read or declares no known kind. */
const char *tg_detect_kind(const char *path, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
