/* tegami/targets.h — target lists: CSV/TSV files of people, read as a stream,
 * and everything that decides whether a row may become a letter.
 *
 * A list is opened (its header — or the grouped multi-row header and title
 * lines of a KDB list — read, mapped to canonical columns and checked), then
 * rows are pulled one at a time (tg_targets_next); memory does not grow with
 * the list.  Each row knows its byte offset, so a later pass can come back to
 * it (tg_targets_seek).  UTF-8 or CP932, detected per file.  Row numbers are
 * spreadsheet row numbers (line 1 is row 1); problems name file, row and
 * column — never the value.  Around the reader: normalisation (kana, digits,
 * marks; dates are calendar.h's), postal codes from addresses (the dictionary
 * is postal.h's), exclusion lists, and the validator's verdict per row: ok,
 * excluded by a stated rule, or rejected with a code.  docs/targets.md.
 */
#ifndef TEGAMI_TARGETS_H
#define TEGAMI_TARGETS_H

#include <stdio.h>

#include "tegami/calendar.h"
#include "tegami/diag.h"
#include "tegami/postal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- reading ------------------------------------------------------------ */

/* One entry of a job's column mapping: the list's header `header` is the
 * column the designs know as `name`.  `header` is matched ignoring spaces and
 * the width of ASCII characters; a grouped header is written with '/', e.g.
 * "当年度特定健診結果/収縮期血圧". */
typedef struct tg_column_map {
  const char *name;   /* canonical name, e.g. 氏名 */
  const char *header; /* header text in the file, e.g. 対象者氏名 */
} tg_column_map;

/* The municipality's postal codes for people whose address does not decide
 * one (below, "postal codes from addresses"). */
typedef struct tg_postal_overrides tg_postal_overrides;

typedef struct tg_targets_options {
  tg_encoding encoding;   /* AUTO: detect (BOM, then the first 256 KiB) */
  char delimiter;         /* 0: ',' — or tab for .tsv files and tab-only headers */
  size_t max_field_bytes; /* 0: 64 KiB */
  size_t max_row_bytes;   /* 0: 1 MiB */
  /* NULL/"": the first row is the header, names as written; "kdb-highrisk",
   * "kdb-dropout": title lines, grouped headers, canonical names, required. */
  const char *profile;
  const tg_column_map *columns; /* the job's mapping, applied after the profile */
  size_t ncolumns;
  /* Further canonical columns the list must have (load-time error if not). */
  const char *const *required_columns;
  size_t nrequired_columns;
  /* Header rows: 0 = automatic (1; with a profile, the anchor column's row
   * and the rows below it whose anchor cell is empty). */
  unsigned header_rows;
  /* The read buffer and encoding sample: 0 = 256 KiB (smaller in tests). */
  size_t buffer_bytes;
  /* With a dictionary, 郵便番号 is derived from 住所 where the list has no
   * such column (added last) or an empty value; overrides (by key_column,
   * default KDB個人番号) win.  NULL: read as it is.  docs/targets.md */
  const tg_postal *derive_postal;
  const tg_postal_overrides *postal_overrides;
  const char *key_column;
  tg_postal_hint postal_hint; /* what addresses leave out (prefecture, city) */
} tg_targets_options;

/* The most fields a row may hold (a spreadsheet's column limit): a header
 * with more is refused (targets.too-many-columns), a row with more is
 * rejected (data.field-count), and fields beyond it are never stored. */
#define TG_TARGETS_MAX_FIELDS 16384

typedef struct tg_row {
  uint64_t number; /* spreadsheet row number (first line = 1) */
  uint64_t line;   /* physical line where the row starts */
  uint64_t offset; /* byte offset of the row start */
  size_t nfields;
  const char *const *fields; /* UTF-8, NUL-terminated; valid until the next call */
  const size_t *lengths;
  bool rejected;             /* the row could not be read faithfully */
  const char *reject_code;   /* e.g. "data.field-count" (reported to the diag) */
  const char *reject_column; /* canonical column concerned, or NULL */
  /* Where 郵便番号 came from; UNDECIDED: empty, the address fits several
   * codes or none (outcome, candidates): the row must be held. */
  int postal_source; /* tg_postal_source */
  tg_postal_outcome postal_outcome;
  size_t postal_candidates;
} tg_row;

typedef struct tg_targets tg_targets;

/* Open a list and read its header.  NULL (with diagnostics) when the file
 * cannot be read, its header is unusable (empty, duplicate names), its
 * profile is unknown or a required column is missing (each one named). */
tg_targets *tg_targets_open(const char *path, const tg_targets_options *opt, tg_diag *d);
const char *tg_targets_get_path(const tg_targets *t);
/* Empty lines (and rows of empty fields) skipped so far: not people. */
uint64_t tg_targets_get_blank_count(const tg_targets *t);
/* The encoding in use (UTF8 or CP932 once known; a file whose bytes so far
 * are all ASCII reports UTF8). */
tg_encoding tg_targets_get_encoding(const tg_targets *t);
char tg_targets_get_delimiter(const tg_targets *t);
const char *tg_targets_get_profile(const tg_targets *t);
/* The date the list was made, from its title lines (令和07年09月作成: the whole month). */
bool tg_targets_get_list_date(const tg_targets *t, tg_date *first, tg_date *last);
/* Lines before the first person: preamble (titles) and header rows. */
uint64_t tg_targets_get_header_row_count(const tg_targets *t);
size_t tg_targets_get_column_count(const tg_targets *t);
const char *tg_targets_get_column_name(const tg_targets *t, size_t i);
/* The header as written in the file; grouped headers joined with " / ". */
const char *tg_targets_get_column_header(const tg_targets *t, size_t i);
int tg_targets_find_column(const tg_targets *t, const char *name);
/* All canonical column names (borrowed array of get_column_count entries). */
const char *const *tg_targets_get_column_names(const tg_targets *t);

/* Next row: 1 with a row, 0 at the end, -1 on an I/O error or broken quoting
 * (targets.broken-quote: later rows cannot be told apart), reported.  Rows
 * not read faithfully (field count, an open quote on the last line, invalid
 * bytes, 外字) come back rejected = true, with a diagnostic. */
int tg_targets_next(tg_targets *t, tg_row *row, tg_diag *d);
/* Lines of the file, counted apart from the reader (every LF, CRLF or lone
 * CR, plus a last line without one), once tg_targets_next() returned 0 on a
 * list read from the start; 0 before.  The run checks
 *   lines = header lines + rows + blank + field breaks (else rows were lost). */
uint64_t tg_targets_get_line_count(const tg_targets *t);
/* Lines before the first row (title lines, header rows, blank lines among them). */
uint64_t tg_targets_get_header_line_count(const tg_targets *t);
/* Line breaks inside quoted fields of the rows returned so far. */
uint64_t tg_targets_get_field_break_count(const tg_targets *t);
/* Go back to a row seen earlier (offset/number/line from its tg_row). */
bool tg_targets_seek(tg_targets *t, uint64_t offset, uint64_t number, uint64_t line, tg_diag *d);
void tg_targets_free(tg_targets *t);

const char *tg_encoding_name(tg_encoding e);
/* "auto", "utf-8"/"utf8", "cp932"/"windows-31j"/"shift_jis"/"sjis" (case
 * ignored).  False for anything else. */
bool tg_encoding_parse(const char *s, tg_encoding *out);
/* The built-in profile names ("kdb-highrisk", "kdb-dropout"), NULL-terminated. */
const char *const *tg_targets_profile_names(void);
/* The list type of a profile's lists ("highrisk" for kdb-highrisk, the
 * design's segment type), and the canonical columns it knows
 * (NULL-terminated); NULL for an unknown profile. */
const char *tg_targets_profile_type(const char *profile);
const char *const *tg_targets_profile_columns(const char *profile);

/* The values a column can hold in a validated row, for `check`'s segment
 * coverage proof: numbers between bounds (narrowed by the profile's
 * selection, e.g. eGFR < 60), whole numbers, a closed set of words (marks,
 * 性別), or free text.  `filled`: never empty (else data.required). */
typedef enum {
  TG_DOMAIN_TEXT,
  TG_DOMAIN_NUMBER,
  TG_DOMAIN_INTEGER,
  TG_DOMAIN_WORDS
} tg_domain_kind;
typedef struct tg_column_domain {
  tg_domain_kind kind;
  double min, max;
  bool max_open;            /* max itself is not a value */
  const char *const *words; /* WORDS: NULL-terminated; "" is not among them */
  bool filled;
} tg_column_domain;
/* profile may be NULL (the catalogue's domain only). */
void tg_targets_column_domain(const char *profile, const char *column, tg_column_domain *out);

/* ---- normalisation --------------------------------------------------------- */
/* These never touch the list itself: validation and formatting work on
 * normalised copies.  Names are never Unicode-normalised (髙, 﨑 and IVS
 * sequences reach the letter as delivered).  Strings returned are newly
 * allocated: release them with free(). */

/* Half-width katakana (U+FF61-U+FF9F) → full-width, joining ﾞ/ﾟ with the
 * kana before them (ｶﾞ → ガ, ﾊﾟ → パ, ｳﾞ → ヴ).  Everything else unchanged. */
char *tg_kana_to_fullwidth(const char *s, size_t len);
/* Katakana (half- or full-width) → hiragana, for furigana: ヤマダ → やまだ.
 * ー, ・ and characters without a hiragana form (ヷ–ヺ) are kept. */
char *tg_kana_to_hiragana(const char *s, size_t len);
/* Full-width ASCII (U+FF01-U+FF5E) → ASCII and ideographic space → space. */
char *tg_ascii_from_fullwidth(const char *s, size_t len);

/* A number as written in a list: ASCII or full-width digits, an optional sign
 * and decimal point (． too), spaces around.  Thousands separators, units and
 * exponents are refused.  False when the text is not such a number. */
bool tg_parse_decimal(const char *s, size_t len, double *value);

/* Postal code: 7 digits, with or without the hyphen, ASCII or full-width, an
 * optional 〒.  Writes the 7 ASCII digits and a NUL to out. */
bool tg_postal_code_normalize(const char *s, size_t len, char out[8]);

/* ○/● marks of KDB lists: empty → NONE, ○ (also ◯ 〇) → CIRCLE ("受診"),
 * ● → FILLED ("受診かつ特定保健指導利用"), anything else → INVALID. */
typedef enum { TG_MARK_INVALID = -1, TG_MARK_NONE, TG_MARK_CIRCLE, TG_MARK_FILLED } tg_mark;
tg_mark tg_mark_parse(const char *s, size_t len);

/* ---- postal codes from addresses ------------------------------------------- */

typedef enum {
  TG_POSTAL_SOURCE_NONE = 0,   /* no postal code, and none derived */
  TG_POSTAL_SOURCE_GIVEN,      /* as the list gives it */
  TG_POSTAL_SOURCE_DERIVED,    /* derived from 住所 through the dictionary */
  TG_POSTAL_SOURCE_OVERRIDDEN, /* from the municipality's overrides file */
  TG_POSTAL_SOURCE_UNDECIDED,  /* the address decides no single code: held */
} tg_postal_source;

const char *tg_postal_source_name(tg_postal_source s);

/* CSV/TSV with a header: the key (KDB個人番号 by default) and 郵便番号. */
tg_postal_overrides *tg_postal_overrides_load(const char *path, const char *key_column, tg_diag *d);
void tg_postal_overrides_free(tg_postal_overrides *o);
size_t tg_postal_overrides_get_count(const tg_postal_overrides *o);

/* ---- exclusion list (spec 6(4)) ------------------------------------------ */

/* A municipality's list of people not to write to: a CSV/TSV with a header,
 * the key column (KDB個人番号 by default) and optionally a reason column
 * (理由, 除外理由 or reason).  Keys are compared ignoring spaces, the width
 * of digits and leading zeros of all-digit keys (Excel drops them). */
typedef struct tg_exclusions tg_exclusions;

tg_exclusions *tg_exclusions_load(const char *path, const char *key_column, tg_diag *d);
void tg_exclusions_free(tg_exclusions *x);
const char *tg_exclusions_get_path(const tg_exclusions *x);
size_t tg_exclusions_get_count(const tg_exclusions *x);
/* Entries that no row has matched so far. */
size_t tg_exclusions_get_unmatched_count(const tg_exclusions *x);
/* Is this key (compared as above) in the list?  A match is remembered. */
bool tg_exclusions_contains(tg_exclusions *x, const char *key, size_t len);

/* ---- validation ---------------------------------------------------------- */

typedef enum { TG_VERDICT_OK, TG_VERDICT_EXCLUDED, TG_VERDICT_REJECTED } tg_verdict_kind;

typedef struct tg_verdict {
  tg_verdict_kind kind;
  /* EXCLUDED: the rule, "duplicate" or "exclusion-list".  NULL otherwise. */
  const char *rule;
  /* REJECTED: the first problem's code ("data.range"); EXCLUDED: the note's
   * ("exclude.duplicate").  Every problem of the row went to the diag. */
  const char *code;
  /* the first problem's column, or NULL (valid while the validator lives) */
  const char *column;
  /* duplicate: where the person was first seen (list index, row number). */
  int first_list;
  uint64_t first_row;
  /* exclusion-list: the entry's row in the exclusion file, and its reason
   * text (may be personal, e.g. 入院中: count by it, never print it per row). */
  uint64_t exclusion_row;
  const char *exclusion_reason;
} tg_verdict;

typedef struct tg_validator_options {
  const char *key_column; /* identifies a person; NULL: KDB個人番号 */
  /* YYYY-MM-DD (the job date): ages, dates in the future; NULL: not checked */
  const char *reference_date;
  const tg_postal *postal; /* NULL: postal codes checked for their format only */
  bool allow_duplicates;   /* false (default): one letter per person */
} tg_validator_options;

typedef struct tg_validator tg_validator;

/* Per-list settings. */
typedef struct tg_list_rules {
  tg_exclusions *exclusions;     /* the municipality's exclusion list (marks matches), or NULL */
  const tg_era_codes *era_codes; /* NULL: default */
  /* Further canonical columns that must not be empty in any row. */
  const char *const *required_values;
  size_t nrequired_values;
  /* The date 年齢 is as of (YYYY-MM-DD, reference-date:); NULL: the list's
   * title date, else the validator's reference date ± a year. */
  const char *list_date;
} tg_list_rules;

typedef struct tg_validator_counts {
  uint64_t checked, ok, rejected, excluded;
  uint64_t excluded_duplicate, excluded_list;
} tg_validator_counts;

/* NULL (reported) when reference_date is malformed. */
tg_validator *tg_validator_new(const tg_validator_options *opt, tg_diag *d);
void tg_validator_free(tg_validator *v);
/* Register a list (an opened tg_targets) and get its index.  The checks that
 * apply follow from its canonical columns (docs/targets.md).  Returns -1
 * (reported) when a required-value column does not exist. */
int tg_validator_add_list(tg_validator *v, const tg_targets *t, const tg_list_rules *rules,
                          tg_diag *d);
/* Check one row of list `list`, in job order (a person's first row gets the
 * letter).  Problems go to `d` (file, row, column, code; never a value). */
tg_verdict tg_validator_check(tg_validator *v, int list, const tg_row *row, tg_diag *d);
void tg_validator_get_counts(const tg_validator *v, int list, tg_validator_counts *out);
/* After the last row: notes for exclusion entries that matched no one; the
 * keys seen are released (counts stay; no more rows can be checked). */
void tg_validator_finish(tg_validator *v, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
