/* output/output_private.h — the state of a run, shared by run.c (the phases)
 * and reports.c (the files written at the end). */
#ifndef TG_OUTPUT_PRIVATE_H
#define TG_OUTPUT_PRIVATE_H

#include "base/base.h"
#include "tegami/design.h"
#include "tegami/layout.h"
#include "tegami/merge.h"
#include "tegami/output.h"
#include "tegami/render.h"
#include "tegami/targets.h"

/* A label sheet's grid (labels.c), and one address for it. */
typedef struct {
  char *name;
  int columns, rows;
  double page_w_pt, page_h_pt, w_pt, h_pt, left_pt, top_pt, gap_x_pt, gap_y_pt, padding_pt;
} output_label_sheet;

typedef struct {
  char *letter_id, *address, *name;
  char postal[8];
} output_address;

/* One letter to render: where its row is, and what orders and groups it.
 * Kept small: a run holds one per letter. */
typedef struct {
  uint64_t offset;  /* byte offset of the row in its list */
  uint32_t row;     /* its spreadsheet row */
  uint32_t line;    /* its first physical line */
  uint32_t batch;
  uint32_t postal;  /* the 7 digits as a number, plus one; 0: none (output_postal_text) */
  uint16_t plan;    /* the list (index into the run's plans) */
  uint16_t variant, segment, arm; /* indexes into the run's names; 0 = "-" */
} output_letter; /* 32 bytes */

/* The postal code of a letter as 7 digits, or "" when it has none. */
void output_postal_text(uint32_t postal, char out[8]);

/* One rejected row, for rejected.csv. */
typedef struct {
  uint32_t plan;
  uint64_t row;
  char *key, *column, *code, *message;
} output_rejection;

/* One output PDF: a range of the ordered letters. */
typedef struct {
  size_t first, count;
  char *name; /* file name in the output folder */
} output_batch;

/* One rendered letter, for manifest.csv; its sequence number is its place
 * in the run's manifest.  16 bytes: a run holds one per letter. */
typedef struct {
  uint32_t letter; /* index into letters */
  uint32_t batch;
  uint32_t first_page;
  uint16_t page_count;
  uint8_t blank_pages;
  int8_t barcode; /* customer barcode: 1 printed, 0 omitted, -1 the design has none */
} output_manifest_entry;

/* The header of manifest.csv (docs/vendor-handoff.md), shared by runs and merges. */
#define OUTPUT_MANIFEST_HEADER                                                                     \
  "sequence,letter_id,municipality,target_type,segment,variant,arm,batch_file,first_page,"         \
  "page_count,blank_pages,postal_code,customer_barcode\r\n"

typedef struct {
  const tg_job *job;
  const tg_run_options *opt;
  tg_summary *sum;
  tg_diag *d;
  tg_fonts *fonts;
  GHashTable *designs; /* path -> tg_design* */
  GArray *plans;       /* plan (run.c) */
  GArray *letters;     /* output_letter */
  GArray *rejections;  /* output_rejection */
  GArray *batches;     /* output_batch */
  GArray *manifest;    /* output_manifest_entry, in print order */
  GPtrArray *names;    /* variant, segment and arm names; [0] = "-" */
  GPtrArray *outputs;  /* file names written into the staging folder */
  const char *out_dir;
  char *stage_dir;     /* where outputs are written until the run succeeds */
  tg_assign *assign;   /* the experiment, when the job has one */
  tg_secret *password; /* the PDFs are encrypted with it, when the job asks */
  tg_postal *postal;   /* postal-code dictionary */
  tg_validator *validator;
  tg_exclusions **exclusions; /* per municipality (NULL entries: none) */
  output_label_sheet labels;  /* label sheet, when the job asks for labels */
  GPtrArray *assign_keys; /* experiment: the person's key of manifest entry i */
  GPtrArray *key_chunks;  /* GStringChunk*: the keys' storage */
  tg_furigana *furigana; /* loaded once, when a design asks for `ruby: auto` */
  bool furigana_failed;
} output_run;

/* run.c: the date written into a PDF (ISO 8601): SOURCE_DATE_EPOCH when
 * set, else the given YYYY-MM-DD at midnight — never the clock. */
void output_pdf_date(const char *day, char *date, size_t n);

/* job.c, shared with the personas file of proofs: a YYYY-MM-DD calendar
 * date; a map of scalars copied into values named prefix.key. */
bool output_valid_date(const char *s);
void output_load_values(tg_ynode *map, const char *prefix, tg_values *v, tg_diag *d);

const char *output_plan_list_file(const output_run *R, uint32_t plan_no);
const char *output_plan_list_type(const output_run *R, uint32_t plan_no);
const char *output_plan_municipality(const output_run *R, uint32_t plan_no);
/* "<municipality>-<list>-<row, 6 digits>": stable, and leads staff to the row. */
void output_letter_id(const output_run *R, const output_letter *l, char *buf, size_t size);

/* labels.c: address label sheets and the mailing list. */
bool output_label_sheet_load(const char *path, output_label_sheet *out, tg_diag *d);
void output_label_sheet_clear(output_label_sheet *s);
void output_address_clear(gpointer p);
bool output_write_labels(const output_label_sheet *s, const tg_fonts *fonts, GArray *addresses,
                         const char *pdf_path, const tg_pdf_options *po, FILE *trace, tg_diag *d);
bool output_write_address_list(GArray *addresses, const tg_fonts *fonts, const char *csv_path,
                               const char *pdf_path, const tg_pdf_options *po, tg_diag *d);

/* reports.c: rejected.csv, manifest.csv, summary.{json,txt}, SHA256SUMS. */
bool output_write_reports(output_run *R);

/* summary.c */
void output_summary_add_output(tg_summary *s, const char *path);
/* A list's lines are all accounted for (or not known); and the whole
 * summary: read = rendered + excluded + rejected and every list's lines. */
bool output_lines_reconciled(const tg_list_summary *l);
bool output_summary_reconciled(const tg_summary *s);

/* stats.c: proportions and their differences (docs/evaluation.md) */
double output_normal_quantile(double p);
/* Two-sided p-value of a standard normal statistic. */
double output_two_sided_p(double z);
/* Wilson score interval of x/n at quantile z (NaN when n = 0). */
void output_wilson(uint64_t x, uint64_t n, double z, double *lo, double *hi);
/* Newcombe's hybrid score interval of x1/n1 − x2/n2. */
void output_newcombe(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z, double *lo,
                     double *hi);
/* Two-proportion z-test (pooled), two-sided. */
double output_z_test_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
/* Fisher's exact test, two-sided. */
double output_fisher_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
/* True when an expected count of the 2×2 table is below 5 (use Fisher). */
bool output_needs_exact(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
typedef struct {
  bool valid; /* some stratum had people in both arms */
  double diff, lo, hi, p;
} output_mh;
/* Mantel–Haenszel risk difference over k strata (Sato variance, CMH test). */
void output_mantel_haenszel(const uint64_t *x1, const uint64_t *n1, const uint64_t *x2,
                            const uint64_t *n2, size_t k, double z, output_mh *out);

#endif
