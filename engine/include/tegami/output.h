/* tegami/output.h — jobs and runs: from a job file to finished output files.
 *
 * A job file names the letter design, the municipalities taking part (each
 * with its sender profile and its target lists) and the letter date.  tg_run()
 * drives the whole pipeline:
 *
 *   1. check: load every design, open every list, compile every template
 *      against the list's columns, load the fonts, lay out static content.
 *      Any error here stops the run before the output folder is touched
 *      (exit 3): nothing is rendered, nothing is left behind.
 *   2. render: stream each list; every row ends up rendered, or rejected with
 *      a reason (rejected.csv names list, row, key, column and reason code —
 *      never a name, address or health value).
 *   3. finish: outputs are written under temporary names and renamed into
 *      place only when complete; summary.txt and summary.json give the counts
 *      per list and municipality, and they reconcile:
 *        rows read = rendered + excluded + rejected.
 */
#ifndef TEGAMI_OUTPUT_H
#define TEGAMI_OUTPUT_H

#include <stdio.h>

#include "tegami/diag.h"
#include "tegami/merge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_list_spec {
  const char *file;   /* resolved relative to the job file */
  const char *type;   /* "highrisk", "dropout" or a free word */
  const char *design; /* resolved path; the job's design if not given */
  const char *variant;        /* the design variant for this list (NULL: the municipality's) */
  const char *variant_column; /* a column naming the variant per row (NULL: none) */
  tg_span variant_span;       /* where the variant was chosen, for messages */
  tg_span span;
} tg_list_spec;

typedef struct tg_municipality {
  const char *id;
  const char *name;
  const char *variant; /* the design variant of its letters (NULL: the design's first) */
  tg_values *values; /* municipality.*, sender.* constants */
  size_t nlists;
  tg_list_spec *lists;
  tg_span span;
} tg_municipality;

typedef struct tg_job {
  const char *path;
  const char *id;
  const char *title;
  const char *date; /* YYYY-MM-DD: the letter date and the PDF date */
  const char *key_column; /* identifies a person in reports, e.g. KDB個人番号 */
  size_t nmunis;
  tg_municipality *munis;
} tg_job;

tg_job *tg_job_load(const char *path, tg_diag *d);
void tg_job_free(tg_job *job);

typedef struct tg_run_options {
  const char *out_dir;   /* default "out" */
  bool force;            /* replace the outputs of an earlier run */
  bool check_only;       /* validate everything, render nothing */
  bool pdf;              /* write letters.pdf (default on in the CLI) */
  bool png;              /* also write PNG proofs of every page */
  double png_dpi;
  FILE *trace;           /* also write a trace here (NULL: none) */
  const char *fontset;   /* font set listing; NULL: <data dir>/fonts/fontset.txt */
} tg_run_options;

typedef struct tg_list_summary {
  char *file, *type, *municipality;
  uint64_t read, rendered, excluded, rejected, blank;
} tg_list_summary;

typedef struct tg_summary {
  uint64_t read, rendered, excluded, rejected, blank, pages;
  size_t nlists;
  tg_list_summary *lists;
  size_t noutputs;
  char **outputs; /* paths written, in order */
} tg_summary;

/* Run (or check) a job.  Fills `summary` (release with tg_summary_clear) and
 * returns the exit code for the CLI. */
tg_exit tg_run(const tg_job *job, const tg_run_options *opt, tg_summary *summary, tg_diag *d);
void tg_summary_clear(tg_summary *s);
/* The human summary printed at the end of a run (newly allocated). */
char *tg_summary_format(const tg_summary *s, bool check_only);

/* What a tegami YAML file is: "job", "design", or NULL (reported) when it
 * cannot be read or declares no known kind. */
const char *tg_detect_kind(const char *path, tg_diag *d);

/* Check a design on its own, without data: schema, templates (placeholders
 * are accepted unchecked), fonts of every style and the static layout. */
tg_exit tg_check_design(const char *path, const char *fontset, tg_diag *d);

/* The directory holding fonts/, locales/ and layouts/: $TEGAMI_DATA_DIR or
 * the one compiled in. */
const char *tg_data_dir(void);

#ifdef __cplusplus
}
#endif
#endif
