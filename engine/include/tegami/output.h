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

#include <signal.h>
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
  const char *date; /* YYYY-MM-DD: the letter date and the PDF date */
  const char *key_column; /* identifies a person in reports, e.g. KDB個人番号 */
  const char *postal;     /* KEN_ALL-format dictionary; NULL: the one in locales/ja/postal */
  tg_output_spec output;
  tg_experiment_spec experiment;
  size_t nmunis;
  tg_municipality *munis;
} tg_job;

tg_job *tg_job_load(const char *path, tg_diag *d);
void tg_job_free(tg_job *job);

typedef struct tg_run_options {
  const char *out_dir;   /* default "out" */
  bool force;            /* replace the outputs of an earlier run */
  bool check_only;       /* validate everything, render nothing */
  bool pdf;              /* write the batch PDFs (default on in the CLI) */
  bool png;              /* also write PNG proofs of every page */
  double png_dpi;
  FILE *trace;           /* also write a trace here (NULL: none) */
  const char *fontset;   /* font set listing; NULL: <data dir>/fonts/fontset.txt */
  unsigned jobs;         /* worker threads; 0 = one per core.  Output bytes do not depend on it */
  unsigned shard_index;  /* 1..shard_count: render only this part of the job (0 = all) */
  unsigned shard_count;
  /* Called from the thread that called tg_run, about ten times a second
   * while letters are drawn (done of total), and once at the end. */
  void (*progress)(uint64_t done, uint64_t total, void *data);
  void *progress_data;
  /* The password the PDFs are encrypted with, instead of the job's
   * output.encrypt (the CLI's --password-file / --password-env). */
  const char *password_file, *password_env;
  /* Set (to the signal's number) by a signal handler to stop the run: the
   * workers stop at the next letter, the staging folder is removed and
   * nothing is written (run.interrupted).  NULL: not interruptible. */
  const volatile sig_atomic_t *interrupt;
} tg_run_options;

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

/* Run (or check) a job.  Fills `summary` (release with tg_summary_clear) and
 * returns the exit code for the CLI. */
tg_exit tg_run(const tg_job *job, const tg_run_options *opt, tg_summary *summary, tg_diag *d);
void tg_summary_clear(tg_summary *s);
/* The human summary printed at the end of a run (newly allocated). */
char *tg_summary_format(const tg_summary *s, bool check_only);

/* Join the output folders of a sharded run (tegami run --shard K/N on N
 * machines) into out_dir, after checking that together they are exactly the
 * whole job: same job, shards 1..N each once, checksums intact, no letter or
 * rejected row twice, every list's rows all read.  Nothing is written unless
 * all checks pass. */
tg_exit tg_merge_outputs(const char *const *dirs, size_t n, const char *out_dir, bool force,
                         tg_summary *summary, tg_diag *d);

/* ---- preflight ------------------------------------------------------------------ */

typedef struct tg_preflight_options {
  double page_w_pt, page_h_pt; /* expected trim size; 0: all pages the same */
  double min_image_ppi;        /* default 300 */
  const char *password;        /* for encrypted PDFs, or NULL */
} tg_preflight_options;

typedef struct tg_preflight_report {
  size_t pages, bad_page_sizes;
  double page_w_pt, page_h_pt; /* of the first page */
  size_t fonts, fonts_embedded;
  size_t notdef_glyphs; /* glyphs drawn as .notdef (missing characters) */
  size_t images;
  double min_image_ppi; /* 0: no image */
} tg_preflight_report;

/* Check a PDF as a print vendor would: page sizes, embedded fonts, .notdef
 * glyphs, image resolution.  Errors (exit 3) are what a vendor would reject. */
tg_exit tg_preflight(const char *pdf_path, const tg_preflight_options *opt,
                     tg_preflight_report *report, tg_diag *d);

/* What a tegami YAML file is: "job", "design", or NULL (reported) when it
 * cannot be read or declares no known kind. */
const char *tg_detect_kind(const char *path, tg_diag *d);

/* Check a design on its own, without data: schema, templates (placeholders
 * are accepted unchecked), fonts of every style, the static layout, and the
 * easy-Japanese checks of its easy variants (warnings). */
tg_exit tg_check_design(const char *path, const char *fontset, tg_diag *d);

/* The automatic-furigana object of a run: MeCab and the reading dictionaries
 * of <data dir>/locales/ja (readings.tsv, counters.tsv).  For whoever merges a
 * design with `ruby: auto` (tg_design_uses_auto_ruby); one per run, shared by
 * every merge and thread.  NULL (reported) when it cannot be loaded. */
tg_furigana *tg_furigana_new_from_data_dir(tg_diag *d);

/* ==== Experiments: randomised assignment of people to arms ====================
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

/* ==== Proofs: every variant × segment × arm of a design, for sample personas ====
 *
 * `tegami proof DESIGN.yaml --personas FILE -o DIR` (proof.c).  A personas
 * file (kind: personas) holds a letter date, a municipality profile (id,
 * name, sender:, values: — as in a job) and synthetic rows per list type:
 *
 *   personas:
 *     highrisk:
 *       - id: g3b-woman-66        (names the files; lower-case, digits, '-')
 *         note: eGFR 38.5, 66歳     (shown on the page)
 *         row: {氏名: 見本　八重, eGFR: "38.5", …}
 *
 * Every persona of the list types the design has segments for (or
 * `type`) is merged and laid out in every variant and every arm; its row
 * decides its segment as in a run.  Writes DIR/pages/<type>-<persona>-
 * <variant>[-<arm>].pdf and -NNNN.png, and DIR/index.html: the letters side
 * by side, the text differences between arms and between variants marked,
 * which persona reaches which segment; self-contained (no server, no
 * network).  A segment no persona reaches is a warning (proof.uncovered). */
typedef struct tg_proof_options {
  const char *personas; /* the personas file */
  const char *out_dir;
  bool force;          /* replace proofs already in out_dir */
  bool pdf, png;       /* write PDFs / PNGs (index.html needs the PNGs) */
  double dpi;          /* PNG resolution (0: 100) */
  const char *type;    /* only the personas of this list type (NULL: the design's types) */
  const char *persona; /* only this persona (NULL: all) */
  const char *fontset; /* NULL: <data dir>/fonts/fontset.txt */
  FILE *trace;         /* also trace every letter here (NULL: none) */
} tg_proof_options;

typedef struct tg_proof_summary {
  size_t personas, letters, pages;
  size_t uncovered_segments; /* segments of the proofed types that no persona reaches */
} tg_proof_summary;

/* False (reported) when the design, the personas file or a persona's letter
 * is wrong, or an output cannot be written. */
bool tg_proof(const char *design_path, const tg_proof_options *opt, tg_proof_summary *sum,
              tg_diag *d);

/* ==== Evaluation: visit rates per arm and stratum ==================================
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
  char **arms;     /* arm names, byte order */
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
  char *last_letter_date; /* latest letter date in assignment.csv (YYYY-MM-DD) */
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
 * (at most 8 strata are drawn); PDF and/or PNG (either path may be NULL).
 * Labels are set in the private font set (NULL: the default listing). */
bool tg_evaluation_write_chart(const tg_evaluation *e, const char *pdf_path, const char *png_path,
                               const char *fontset, tg_diag *d);
/* All of the above into folder `dir` (created 0700): evaluation.txt (the
 * report), evaluation.csv, evaluation.pdf and evaluation.png.  Refuses
 * (output.exists) to replace an earlier evaluation unless `force`. */
bool tg_evaluation_write_outputs(const tg_evaluation *e, const char *dir, bool force,
                                 const char *fontset, tg_diag *d);
void tg_evaluation_free(tg_evaluation *e);

/* ==== security: audit log, encryption, purge ===================================
 *
 * Separate from the run loop so that every command can use them; see
 * docs/security.md for what each answers in the customer's requirements.
 *
 * ---- audit log -----------------------------------------------------------------
 *
 * An append-only record of every operation on personal data, one JSON object
 * per line: when (local time with its UTC offset), who (login name, uid,
 * host), what (command, exit code, job id, the SHA-256 and size of the job
 * file and of every input, the counts, the SHA-256 of every output) — never a
 * name, address or health value.  Each line ends with "prev", the SHA-256 of
 * the line before it (the first line chains to 64 zeros), and starts with
 * "seq", its line number: editing, removing, inserting or reordering lines
 * breaks the chain at a line tg_audit_verify() names.  Rewriting the whole
 * chain consistently is only caught against an anchor (an entry number and
 * hash recorded elsewhere, e.g. in the monthly report): keep one.
 * Lines are appended under an exclusive lock (flock) with O_APPEND, written
 * in one write() and fsync'ed; the file is created 0600 and never rotated or
 * shortened by tegami.
 *
 * Typical use, at the end of a command:
 *   tg_audit_entry *e = tg_audit_entry_new("run");
 *   tg_audit_entry_add_job(e, job, d);         // job file, designs, lists
 *   tg_audit_entry_add_summary(e, &sum, d);    // counts, outputs hashed
 *   tg_audit_entry_set_exit(e, code);
 *   tg_audit_append(log, e, &written, d);      // log: tg_audit_default_path()
 *   tg_audit_entry_free(e);
 */
typedef struct tg_audit_entry tg_audit_entry;

/* The entry of one command ("run", "check", "purge", "encrypt"). */
tg_audit_entry *tg_audit_entry_new(const char *command);
void tg_audit_entry_free(tg_audit_entry *e);
void tg_audit_entry_set_exit(tg_audit_entry *e, int exit_code);
/* A named text value (key: [a-z_]+, e.g. "job_id", "out_dir"). No personal data. */
void tg_audit_entry_set_string(tg_audit_entry *e, const char *key, const char *value);
/* A named count (key: [a-z_]+), listed under "counts". */
void tg_audit_entry_set_count(tg_audit_entry *e, const char *key, uint64_t n);
/* Hash a file now and list it with its role ("job", "design", "list",
 * "output", "removed", "encrypted"...), absolute path, size and SHA-256.  A
 * directory is listed with its file count and the SHA-256 of its manifest
 * (one "sha256  relative/path" line per file, sorted).  False (reported) when
 * it cannot be read; the entry is still usable. */
bool tg_audit_entry_add_file(tg_audit_entry *e, const char *role, const char *path, tg_diag *d);
/* The job: its id ("job_id"), the job file, every design and every list. */
bool tg_audit_entry_add_job(tg_audit_entry *e, const tg_job *job, tg_diag *d);
/* A run's counts (totals and per list: municipality, type, file, counts) and
 * every output it names, hashed. */
bool tg_audit_entry_add_summary(tg_audit_entry *e, const tg_summary *s, tg_diag *d);

/* What tg_audit_append() wrote: the entry's line number and SHA-256 (the new
 * head of the chain — worth printing, so operators can record anchors). */
typedef struct tg_audit_written {
  uint64_t seq;
  char sha256[65];
} tg_audit_written;

/* Append the entry to the log at `log_path` (parent folders are created
 * 0700).  Refuses a log that is a symbolic link, not a regular file, or whose
 * last line is incomplete or malformed (reported; nothing written).
 * `written` may be NULL. */
bool tg_audit_append(const char *log_path, const tg_audit_entry *e, tg_audit_written *written,
                     tg_diag *d);
/* Check, before doing any work, that an entry could be appended to the log
 * (same checks as tg_audit_append, nothing written). */
bool tg_audit_probe(const char *log_path, tg_diag *d);
/* The log to use: $TEGAMI_AUDIT_LOG, else $XDG_STATE_HOME/tegami/audit.log,
 * else ~/.local/state/tegami/audit.log.  Newly allocated (free with free()). */
char *tg_audit_default_path(void);

typedef struct tg_audit_report {
  uint64_t entries;    /* lines read */
  uint64_t breaks;     /* lines that do not follow their predecessor */
  uint64_t first_bad;  /* line number of the first problem (0 = none) */
  char head[65];       /* SHA-256 of the last line ("" for an empty log) */
} tg_audit_report;

/* Verify the whole chain of a log.  Every line that does not follow its
 * predecessor (edited, removed, inserted, moved), every malformed or
 * incomplete line is reported with its line number (codes audit.*).
 * `anchor` ("N:SHA256", or NULL) also requires entry N to have that hash, so
 * that lines removed from the end or a rewritten chain are caught.  Returns
 * TG_EXIT_OK, TG_EXIT_INVALID (tampered or malformed) or TG_EXIT_SYSTEM. */
tg_exit tg_audit_verify(const char *log_path, const char *anchor, tg_audit_report *report,
                        tg_diag *d);

/* ---- encryption of finished PDFs ---------------------------------------------------
 *
 * PDF 2.0 standard security handler, revision 6 (AESV3): AES-256-CBC for
 * every string and stream, the file key derived from the password with the
 * SHA-256/384/512 hash of ISO 32000-2 — all ciphers of the CRYPTREC list —
 * through libqpdf.  The password never comes from the command line: it is
 * read from a file that only its owner can read, or from an environment
 * variable, and held in memory that is locked (best effort) and wiped when
 * freed.
 */
typedef struct tg_secret tg_secret;

/* The first line of `path` (a trailing line end is not part of it).  The
 * file must be a regular file that no other user can read (mode 0600 or
 * 0400).  A password is UTF-8 text of at least 12 characters and at most 127
 * bytes, without control characters. */
tg_secret *tg_secret_from_file(const char *path, tg_diag *d);
/* The value of environment variable `name` (same rules). */
tg_secret *tg_secret_from_env(const char *name, tg_diag *d);
/* Wipe and release. */
void tg_secret_free(tg_secret *s);

/* Encrypt the finished PDF at `path` in place: the encrypted file is written
 * to a private temporary beside it, checked (it must open with the password
 * and have the same page count), fsync'ed and renamed over the original, so
 * the path holds either the old file or the complete encrypted one.  Refuses
 * symbolic links and files that are already encrypted. */
bool tg_pdf_encrypt(const char *path, const tg_secret *password, tg_diag *d);

/* ---- purge ---------------------------------------------------------------------------
 *
 * Removing a job's outputs at the end of the work.  A folder is purged only
 * when it is recognisably a tegami output folder:
 *   - it is a real directory (not a symbolic link) owned by the caller, and
 *   - it holds a summary.json written by tegami, or (an interrupted run) at
 *     least one tegami temporary ".NAME.tmp-PID-N", and
 *   - everything in it is something tegami writes: regular files named
 *     *.pdf, *.csv, *.tsv, *.json, *.txt, *.png or tegami temporaries, and
 *     sub-folders (proofs/) holding only such files.
 * Anything else — a symbolic link, a device, a file of another kind — stops
 * the purge before anything is removed, and is named.  Files are unlinked
 * (not overwritten: see docs/security.md), then the folders, then DIR
 * itself.  Every removed file is hashed first and listed in `audit` (role
 * "removed") when an entry is given, so the log shows what was destroyed.
 */
typedef struct tg_purge_options {
  bool dry_run; /* decide and list, remove nothing */
} tg_purge_options;

typedef struct tg_purge_result {
  size_t nfiles;   /* files removed (or that would be) */
  size_t ndirs;    /* folders removed, DIR included */
  uint64_t bytes;  /* their total size */
  char **paths;    /* NULL-terminated: each file, in removal order */
} tg_purge_result;

bool tg_purge(const char *dir, const tg_purge_options *opt, tg_purge_result *result,
              tg_audit_entry *audit, tg_diag *d);
void tg_purge_result_clear(tg_purge_result *r);

#ifdef __cplusplus
}
#endif
#endif
