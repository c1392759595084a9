/* run/run_private.h — the state of a run, shared by run.c (the phases),
 * reports.c (the files written at the end), labels.c (address sheets),
 * mailing.c (the Japan Post mailing plan) and join.c (joining the folders of
 * a sharded run). */
#ifndef TG_RUN_PRIVATE_H
#define TG_RUN_PRIVATE_H

#include "base/base.h"
#include "tegami/design.h"
#include "tegami/experiment.h"
#include "tegami/job.h"
#include "tegami/layout.h"
#include "tegami/merge.h"
#include "tegami/render.h"
#include "tegami/run.h"
#include "tegami/security.h"
#include "tegami/targets.h"

/* A label sheet's grid (labels.c), and one address for it. */
typedef struct {
  char *name;
  int columns, rows;
  double page_w_pt, page_h_pt, w_pt, h_pt, left_pt, top_pt, gap_x_pt, gap_y_pt, padding_pt;
} run_label_sheet;

typedef struct {
  char *letter_id, *address, *name;
  char postal[8];
} run_address;

/* One letter to render: where its row is, and what orders and groups it.
 * Kept small: a run holds one per letter. */
typedef struct {
  uint64_t offset; /* byte offset of the row in its list */
  uint32_t row;    /* its spreadsheet row */
  uint32_t line;   /* its first physical line */
  uint32_t batch;
  uint32_t postal : 24;       /* the 7 digits as a number, plus one; 0: none (run_postal_text) */
  uint32_t postal_source : 8; /* tg_postal_source: given, derived, overridden */
  uint16_t plan;              /* the list (index into the run's plans) */
  uint16_t variant, segment, arm; /* indexes into the run's names; 0 = "-" */
} run_letter;                     /* 32 bytes */

/* The postal code of a letter as 7 digits, or "" when it has none. */
void run_postal_text(uint32_t postal, char out[8]);

/* One rejected row, for rejected.csv. */
typedef struct {
  uint32_t plan;
  uint64_t row;
  char *key, *column, *code, *message;
} run_rejection;

/* Every error of a row's diagnostics into r's column, code and message
 * (reports.c): one problem as it is; several joined with "; " in the order
 * they were found, a problem without a column shown as "-" among columns. */
void run_rejection_reasons(run_rejection *r, const tg_diag *rd);

/* One output PDF: a range of the ordered letters. */
typedef struct {
  size_t first, count;
  char *name; /* file name in the output folder */
} run_batch;

/* One rendered letter, for manifest.csv; its sequence number is its place
 * in the run's manifest.  16 bytes: a run holds one per letter. */
typedef struct {
  uint32_t letter; /* index into letters */
  uint32_t batch;
  uint32_t first_page;
  uint16_t page_count;
  uint8_t blank_pages;
  int8_t barcode; /* customer barcode: 1 printed, 0 omitted, -1 the design has none */
} run_manifest_entry;

/* The header of manifest.csv (docs/vendor-handoff.md), shared by runs and merges. */
#define RUN_MANIFEST_HEADER                                                                        \
  "sequence,letter_id,municipality,target_type,segment,variant,arm,batch_file,first_page,"         \
  "page_count,blank_pages,postal_code,customer_barcode,postal_source\r\n"

typedef struct {
  const tg_job *job;
  const tg_run_options *opt;
  tg_summary *sum;
  tg_diag *d;
  tg_fonts *fonts;
  GHashTable *designs; /* path -> tg_design* */
  GArray *plans;       /* plan (run.c) */
  GArray *letters;     /* run_letter */
  GArray *rejections;  /* run_rejection */
  GArray *excluded;    /* run_rejection: code = the rule; NULL until a row is excluded */
  GArray *batches;     /* run_batch */
  GArray *manifest;    /* run_manifest_entry, in print order */
  GPtrArray *names;    /* variant, segment and arm names; [0] = "-" */
  GPtrArray *outputs;  /* file names written into the staging folder */
  const char *out_dir;
  char *stage_dir;     /* where outputs are written until the run succeeds */
  tg_outdir *outdir;   /* the lock and the marked staging folder */
  tg_assign *assign;   /* the experiment, when the job has one */
  tg_secret *password; /* the PDFs are encrypted with it, when the job asks */
  tg_postal *postal;   /* postal-code dictionary */
  tg_validator *validator;
  tg_exclusions **exclusions; /* per municipality (NULL entries: none) */
  run_label_sheet labels;     /* label sheet, when the job asks for labels */
  GPtrArray *assign_keys;     /* experiment: the person's key of manifest entry i */
  GPtrArray *key_chunks;      /* GStringChunk*: the keys' storage */
  tg_furigana *furigana;      /* loaded once, when a design asks for `ruby: auto` */
  bool furigana_failed;
  tg_postal_overrides **postal_overrides; /* per municipality (lists.c) */
  bool any_svg; /* a design draws an SVG: batch PDFs through Cairo, not pdfw */
} run_state;

/* Note an excluded row for excluded.csv (reports.c): its key (key_col of
 * the row, -1: none) and the rule ("duplicate", "exclusion-list" or the
 * reason label of the municipality's rule). */
void run_note_excluded(run_state *R, uint32_t plan_no, const tg_row *row, int key_col,
                       const char *rule);
const char *run_plan_list_file(const run_state *R, uint32_t plan_no);
const char *run_plan_list_type(const run_state *R, uint32_t plan_no);
const char *run_plan_municipality(const run_state *R, uint32_t plan_no);
/* "<municipality>-<list>-<row, 6 digits>": stable, and leads staff to the row. */
void run_letter_id(const run_state *R, const run_letter *l, char *buf, size_t size);

/* lists.c: how to read the lists of municipality m — postal codes derived
 * from addresses (the municipality's overrides loaded once) — and the date
 * their 年齢 are as of. */
void run_list_read_options(run_state *R, size_t m, tg_targets_options *o);
const char *run_list_date(const run_state *R, const tg_list_spec *ls);
void run_lists_release(run_state *R);

/* labels.c: address label sheets and the mailing list. */
bool run_label_sheet_load(const char *path, run_label_sheet *out, tg_diag *d);
void run_label_sheet_clear(run_label_sheet *s);
void run_address_clear(gpointer p);
bool run_write_labels(const run_label_sheet *s, const tg_fonts *fonts, GArray *addresses,
                      const char *pdf_path, const tg_pdf_options *po, FILE *trace, tg_diag *d);
bool run_write_address_list(GArray *addresses, const tg_fonts *fonts, const char *csv_path,
                            const char *pdf_path, const tg_pdf_options *po, tg_diag *d);

/* mailing.c: mailing-plan.csv and .pdf, when the job has `mailing:`. */
bool run_write_mailing_plan(run_state *R);
/* Sort the letters by group (group_cmp), then 郵便区番号, postal code and
 * row — the order 区分郵便物 asks for.  False (nothing done) when no letter
 * has a 5-digit 郵便区: then postal-code order is that order already. */
bool run_sort_by_kubun(run_state *R, int (*group_cmp)(const run_letter *, const run_letter *));

/* The municipality of a list, and how the list is read (staff.c reads the
 * rows of printed letters again for the staff record). */
const tg_municipality *run_plan_muni(const run_state *R, uint32_t plan_no);
const tg_targets_options *run_plan_read_options(const run_state *R, uint32_t plan_no);

/* staff.c: the staff folder (people.csv, followup.json, SHA256SUMS; the
 * experiment's assignment.csv is written there by reports.c). */
bool run_write_staff(run_state *R, bool with_assignment);
/* The staff folders of shards joined into stage/staff (join.c), after
 * checking each against its SHA256SUMS with `verify`. */
bool run_join_staff(const char *const *dirs, size_t n, const char *stage,
                    bool (*verify)(const char *dir, tg_diag *d), tg_diag *d);

/* reports.c: rejected.csv, manifest.csv, summary.{json,txt}, SHA256SUMS. */
bool run_write_reports(run_state *R);

#endif
