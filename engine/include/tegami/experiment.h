/* tegami/experiment.h — A/B experiments: who gets which letter, and what
 * came of it.
 *
 * An experiment sends different letters (arms) to comparable people and
 * measures the difference afterwards (docs/evaluation.md).  Two halves:
 *
 *   - before the letters go out: tg_assign gives every person an arm,
 *     deterministically and balanced within strata, and assignment.csv
 *     records who got which (the run calls both, run.h);
 *   - afterwards: tg_evaluate() joins assignment.csv with later clinic visits
 *     and reports rates, differences and their intervals, as text, CSV and a
 *     chart drawn through the layout and render stages like any letter.
 *
 * Nothing here reads a job or depends on the run loop.
 */
#ifndef TEGAMI_EXPERIMENT_H
#define TEGAMI_EXPERIMENT_H

#include <stdio.h>

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- randomised assignment of people to arms ------------------------------------
 *
 * An A/B experiment sends different letters (arms) to comparable people.  The
 * assignment is deterministic and balanced (docs/evaluation.md):
 *
 *   - every person is a unit identified by a key (the KDB個人番号) and belongs
 *     to one stratum (a string such as municipality | target type | segment,
 *     see tg_stratum_key);
 *   - within a stratum, people are ordered by HMAC-SHA256(salt, key), a keyed
 *     hash that nobody without the secret salt can predict or steer;
 *   - in that order they fill permuted blocks of `block_multiple` × Σ ratio
 *     places; each block holds every arm exactly ratio × block_multiple times,
 *     in an order drawn from the HMAC stream of (salt, stratum, block index).
 *
 * Guarantees: the result does not depend on the order in which people are
 * added; the same salt, arms and people give the same assignment in every
 * run; for every stratum of n people and every arm i of weight
 * w = ratio_i × block_multiple in blocks of B places,
 *     ⌊n/B⌋·w ≤ count_i ≤ (⌊n/B⌋ + 1)·w,   so  |count_i − n·w/B| ≤ w(B − w)/B;
 * adding or removing a person changes nothing outside that person's stratum.
 * Within the stratum it may move others (blocks shift), so an assignment is
 * made once, written to assignment.csv, and never recomputed from a changed
 * list.  The salt is copied, never printed and never written anywhere.
 *
 * Use: tg_assign_new → tg_assign_add for every person (in any order) →
 * tg_assign_run → tg_assign_get_arm per person → tg_assign_free.  Memory is
 * about 75 bytes per person; keys themselves are not kept. */

typedef struct tg_arm {
  const char *name; /* as printed on letters and in assignment.csv: "A", "B", "control" */
  unsigned ratio;   /* allocation weight, 1..100 (A:B:control = 2:2:1) */
} tg_arm;

typedef struct tg_assign_options {
  const uint8_t *salt; /* secret bytes, at least 16 (e.g. 32 random bytes) */
  size_t salt_len;
  const tg_arm *arms; /* 2..16 arms, names unique and non-empty; order matters */
  size_t narms;
  unsigned block_multiple; /* blocks of block_multiple × Σ ratio places (0 → 1, max 10) */
} tg_assign_options;

typedef struct tg_assign tg_assign;

/* No arm: the person could not be assigned (empty key, or the same key in
 * two strata); the reason was reported when tg_assign_run() ran. */
#define TG_ARM_NONE ((size_t)-1)

/* NULL (reported: assign.salt, assign.arms) when the options are unusable. */
tg_assign *tg_assign_new(const tg_assign_options *opt, tg_diag *d);
/* Add a person; returns the person's index (0, 1, 2 … in call order).  `file`
 * and `row` only locate diagnostics (names are copied).  An empty key is
 * reported here (assign.key-empty) and that person gets TG_ARM_NONE.  The
 * same key added twice is one unit with one arm for both entries (a warning,
 * assign.duplicate); in two different strata, neither is assigned
 * (assign.stratum-conflict). */
size_t tg_assign_add(tg_assign *a, const char *key, const char *stratum, const char *file,
                     uint64_t row, tg_diag *d);
/* Assign every person added so far.  False when a person could not be
 * assigned (the others are assigned all the same). */
bool tg_assign_run(tg_assign *a, tg_diag *d);
/* The arm index of person `person` (after tg_assign_run), or TG_ARM_NONE. */
size_t tg_assign_get_arm(const tg_assign *a, size_t person);
const char *tg_assign_get_arm_name(const tg_assign *a, size_t arm);
size_t tg_assign_get_arm_count(const tg_assign *a);
size_t tg_assign_get_person_count(const tg_assign *a);
/* Block size in places (block_multiple × Σ ratio). */
unsigned tg_assign_get_block_size(const tg_assign *a);
void tg_assign_free(tg_assign *a);

/* The stratum key of municipality × target type × segment (newly allocated):
 * the parts joined with '|', a '|' or '\' inside a part escaped with '\',
 * so that different parts never give the same key.  NULL parts are empty. */
char *tg_stratum_key(const char *municipality, const char *target_type, const char *segment);

/* A public fingerprint of the salt for pre-registration: lower-case hex
 * SHA-256 of "tegami salt fingerprint v1" keyed with the salt (HMAC).  It
 * lets the salt be committed to before letters go out and checked afterwards,
 * without revealing it. */
char *tg_salt_fingerprint(const uint8_t *salt, size_t salt_len);

/* ---- assignment.csv ------------------------------------------------------------
 * One line per letter, for the evaluator:
 *   letter_id,<key column>,municipality,target_type,segment,variant,arm,date,stratum
 * Written under a temporary name (0600) and renamed into place by
 * tg_assignment_writer_close(); text fields are CSV-quoted and a leading
 * = + - @ is neutralised.  date is the letter date, YYYY-MM-DD. */
typedef struct tg_assignment_row {
  const char *letter_id;
  const char *key; /* KDB個人番号 */
  const char *municipality, *target_type, *segment, *variant, *arm, *date, *stratum;
} tg_assignment_row;

typedef struct tg_assignment_writer tg_assignment_writer;
/* key_column names the key's header (NULL: "KDB個人番号"). */
tg_assignment_writer *tg_assignment_writer_open(const char *path, const char *key_column,
                                                tg_diag *d);
void tg_assignment_writer_add(tg_assignment_writer *w, const tg_assignment_row *row);
/* Finish and rename into place; false (reported) on an I/O error. */
bool tg_assignment_writer_close(tg_assignment_writer *w, tg_diag *d);
/* Release; removes the temporary file if the writer was not closed. */
void tg_assignment_writer_free(tg_assignment_writer *w);

/* ---- evaluation: visit rates per arm and stratum ----------------------------------
 *
 * tg_evaluate() joins assignment.csv with a later list of clinic visits
 * (outcomes.csv: at least the key column and a visit date, one row per visit,
 * extra columns ignored) and computes, overall and per stratum, each arm's
 * visit rate with a Wilson score interval and each arm's difference from the
 * reference arm with a Newcombe hybrid score interval and a two-sided p-value
 * (two-proportion z-test; Fisher's exact test when an expected count is below
 * 5); across strata, the Mantel–Haenszel risk difference (Sato variance) with
 * the Cochran–Mantel–Haenszel test.  Formulas: docs/evaluation.md. */

typedef struct tg_eval_options {
  const char *key_column;  /* both files; NULL: "KDB個人番号" */
  const char *date_column; /* outcomes; NULL: "visit_date", else "受診日" */
  const char *reference;   /* reference arm; NULL: "control" if present, else the first by name */
  int window_days;         /* count visits up to this many days after the letter date; 0: no end */
  double alpha;            /* 0 → 0.05; intervals are (1 − alpha) */
  /* The follow-up (docs/followup.md), NULL-terminated keys or NULL:
   * people whose letter came back undelivered are left out of the delivered
   * population; people a call reached are compared with the rest as a
   * secondary, non-randomised analysis. */
  const char *const *returned_keys;
  const char *const *reached_keys;
} tg_eval_options;

typedef struct tg_eval_arm {
  char *arm;
  uint64_t n, visits;
  double rate, rate_lo, rate_hi;
  /* against the reference arm (has_diff false for the reference itself, or
   * when either arm is empty) */
  bool has_diff;
  double diff, diff_lo, diff_hi, p_value;
  const char *test; /* "z", "fisher" or "cmh" */
} tg_eval_arm;

typedef struct tg_eval_group {
  char *stratum; /* NULL for the overall and stratified groups */
  size_t narms;
  tg_eval_arm *arms; /* in the order of tg_evaluation.arms */
} tg_eval_group;

typedef struct tg_evaluation {
  double alpha;
  int window_days; /* 0: no window end */
  size_t narms;
  char **arms;      /* arm names, byte order */
  size_t reference; /* index into arms */
  tg_eval_group overall;
  size_t nstrata;
  tg_eval_group *strata; /* stratum names in byte order */
  /* Mantel–Haenszel across strata: n/visits are totals, rate fields unused;
   * has_diff only for arms compared with the reference in some stratum */
  tg_eval_group stratified;
  /* accounting (no personal data) */
  uint64_t assignment_rows, people, duplicate_rows, conflicting_people, unassigned_rows;
  uint64_t outcome_rows, outcome_matched, outcome_unknown, outcome_before, outcome_after,
      outcome_bad;
  char *last_letter_date;     /* latest letter date in assignment.csv (YYYY-MM-DD) */
  uint64_t returned_excluded; /* people left out: their letter came back undelivered */
  bool has_calls;             /* reached/not_reached hold the secondary analysis */
  tg_eval_group reached, not_reached;
} tg_evaluation;

/* NULL (reported) when a file cannot be read or lacks a required column.
 * Unreadable rows are reported (data kind: exit 1) and left out. */
tg_evaluation *tg_evaluate(const char *assignment_csv, const char *outcomes_csv,
                           const tg_eval_options *opt, tg_diag *d);
/* The report printed by `tegami evaluate` (newly allocated). */
char *tg_evaluation_format(const tg_evaluation *e);
/* evaluation.csv: one line per group and arm (newly written, atomically). */
bool tg_evaluation_write_csv(const tg_evaluation *e, const char *path, tg_diag *d);
/* The chart: visit rate per arm with its interval, overall and per stratum
 * (at most 8 strata are drawn), one A4 landscape page placed like a letter's
 * and drawn by the render stage's sinks: PDF, PNG and/or a trace of its items
 * (each may be NULL).  Labels are set by the text engine in the private font
 * set (NULL: the default listing); a character no font can draw is an error
 * (layout.glyph-missing), never a missing glyph. */
bool tg_evaluation_write_chart(const tg_evaluation *e, const char *pdf_path, const char *png_path,
                               FILE *trace, const char *fontset, tg_diag *d);

typedef struct tg_eval_chart_options {
  const char *fontset; /* the labels' font set listing (NULL: the default) */
  bool no_chart_files; /* no evaluation.pdf and evaluation.png */
  FILE *trace;         /* also trace the chart's items here (NULL: none) */
} tg_eval_chart_options;

/* All of the above into folder `dir` (created 0700): evaluation.txt (the
 * report), evaluation.csv, evaluation.pdf and evaluation.png (chart may be
 * NULL: both, in the default font set).  Refuses (output.exists) to replace
 * an earlier evaluation unless `force`. */
bool tg_evaluation_write_outputs(const tg_evaluation *e, const char *dir, bool force,
                                 const tg_eval_chart_options *chart, tg_diag *d);
void tg_evaluation_free(tg_evaluation *e);

#ifdef __cplusplus
}
#endif
#endif
