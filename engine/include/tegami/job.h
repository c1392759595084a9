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
} tg_list_spec;

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

typedef struct tg_job {
  const char *path;
  const char *id;
  const char *title;
  const char *date;       /* YYYY-MM-DD: the letter date and the PDF date */
  const char *key_column; /* identifies a person in reports, e.g. KDB個人番号 */
  const char *postal;     /* KEN_ALL-format dictionary; NULL: the one in locales/ja/postal */
  tg_output_spec output;
  tg_experiment_spec experiment;
  size_t nmunis;
  tg_municipality *munis;
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

/* What a tegami YAML file is: "job", "design", or NULL (reported) when it
 * cannot be read or declares no known kind. */
const char *tg_detect_kind(const char *path, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
