/* targets/targets_private.h — shared internals of the targets stage.
 *
 * The stage is split by concern: csv.c reads records (encodings, grouped
 * headers; Windows-31J is decoded by base/cp932.c), profiles.c knows
 * the canonical columns and the KDB list profiles, normalize.c holds
 * the public normalisation functions (dates are the calendar stage's), validate.c the exclusion
 * list and the validator (the KEN_ALL dictionary is the postal stage's).  This header is what they
 * share; nothing here is visible outside the stage.
 */
#ifndef TG_TARGETS_PRIVATE_H
#define TG_TARGETS_PRIVATE_H

#include "base/base.h"
#include "tegami/targets.h"

/* ---- reading internals ----------------------------------------------------- */

/* Open a headerless file (KEN_ALL): every record is a row, no field count. */
tg_targets *targets_open_headerless(const char *path, tg_encoding enc, tg_diag *d);

/* ---- text folding ---------------------------------------------------------- */

/* Fold a code point for loose comparisons of headers, addresses and keys:
 * full-width ASCII → ASCII, ヶ/ｹ/ヵ → ケ/カ.  Returns 0 for characters to
 * skip (ASCII and ideographic spaces, tabs, line breaks). */
uint32_t targets_fold_cp(uint32_t cp);
/* The folded text (spaces dropped) appended to out. */
void targets_fold(GString *out, const char *s, size_t len);
/* True if the text is empty or only spaces (ASCII or ideographic). */
bool targets_is_blank(const char *s, size_t len);

/* ---- the column catalogue and profiles ----------------------------------------- */

typedef enum {
  TARGETS_COL_TEXT,
  TARGETS_COL_KEY,
  TARGETS_COL_NAME,
  TARGETS_COL_KANA,
  TARGETS_COL_SEX,
  TARGETS_COL_AGE,
  TARGETS_COL_DATE,
  TARGETS_COL_POSTAL,
  TARGETS_COL_ADDRESS,
  TARGETS_COL_NUMBER,
  TARGETS_COL_MARK,
} targets_col_kind;

typedef struct {
  const char *name; /* canonical name */
  targets_col_kind kind;
  double min, max;             /* NUMBER, AGE: sensible bounds */
  const char *unit;            /* for messages */
  const char *const *patterns; /* header paths that mean this column ("a/b"), NULL-terminated */
} targets_column_def;

typedef struct {
  const char *name;            /* "kdb-highrisk" */
  const char *title;           /* 健診ハイリスク者 */
  const char *anchor;          /* canonical column that finds the header row */
  const char *const *columns;  /* canonical columns the profile knows, NULL-terminated */
  const char *const *required; /* of those, the ones that must exist */
} targets_profile;

/* The catalogue entry of a canonical name, or NULL (composite names of the
 * ○/● groups, such as 特定健診受診歴_R06, get a MARK entry). */
const targets_column_def *targets_column_lookup(const char *name);
const targets_profile *targets_profile_lookup(const char *name);
/* Does the profile's selection promise a value in every row of this column
 * (eGFR in kdb-highrisk)?  Then the validator requires it. */
bool targets_profile_filled(const char *profile, const char *column);
/* Does a header path (labels, folded, legends removed) match a pattern
 * ("a/b", folded)? */
bool targets_path_matches(const char *const *labels, size_t nlabels, const char *pattern);
/* A header cell that explains marks (「○」受診 …) rather than naming a column. */
bool targets_label_is_legend(const char *label);

/* ---- the title lines of a KDB list (profiles.c) ------------------------------ */

typedef struct {
  bool have_date; /* 令和07年09月作成: the whole month */
  tg_date first, last;
  bool count_next; /* 該当者 seen, its number not yet */
  bool have_count; /* 該当者 N人 */
  uint64_t count;
} targets_title;

/* Read one cell of a line above the header. */
void targets_title_cell(targets_title *tt, const char *s, size_t len);

/* ---- postal codes from addresses (derive.c) ---------------------------------- */

typedef struct {
  const tg_postal *postal; /* NULL: nothing derived */
  const tg_postal_overrides *overrides;
  tg_postal_hint hint;
  int postal_col; /* 郵便番号: the list's own or the added one; -1: off */
  int address_col, key_col;
  bool added; /* the list has no 郵便番号: the column was added after its own */
  GString *value, *key;
} targets_postal_state;

/* Fill the row's 郵便番号 (derived, overridden or given) once its fields are
 * read; `file_cols` is the number of the list's own columns. */
void targets_postal_apply(targets_postal_state *s, size_t file_cols, GPtrArray *fields,
                          GArray *lengths, tg_row *row);
void targets_postal_clear(targets_postal_state *s);
/* A key as compared everywhere (derive.c): spaces dropped, full-width digits
 * folded, leading zeros of all-digit keys dropped (Excel drops them from
 * exclusion lists). */
void targets_normalize_key(GString *out, const char *s, size_t len);

#endif
