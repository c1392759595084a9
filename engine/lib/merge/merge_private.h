/* merge/merge_private.h — what the files of the merge stage share.
 *
 * The files, each calling only those above it (and the ruby stage, whose
 * ruby markup, furigana and names' ruby the texts use):
 *   values.c     named constants (tg_values)
 *   filters.c    formatting one value (`{{郵便番号 | postal}}` → "252-0028"):
 *                pure functions that never quote the value in their reasons
 *   operand.c    what a placeholder or a rule names, and its value per row
 *   cond.c       rules (`eGFR < 45 and 年齢 in 40..64`): {{#if}}, block and
 *                table-row `when:`, segments
 *   parse.c      a design text → its tree (literal text, values, spans,
 *                ruby, conditionals)
 *   eval.c       a tree → bytes and attributes for one row
 *   template.c   tg_merge: compiling every text of a design, static slots
 *   choose.c     a row's variant and segment
 *   letter.c     tg_letter: merging one row
 *   easyja.c     the easy-Japanese checks, over texts and over a whole design
 */
#ifndef TG_MERGE_PRIVATE_H
#define TG_MERGE_PRIVATE_H

#include "base/base.h"
#include "tegami/merge.h"

/* ---- filters (filters.c) ----------------------------------------------------- */

typedef bool (*tg_filter_fn)(const char *in, size_t len, const char *const *args, int nargs,
                             GString *out, const char **why);

typedef struct tg_filter_def {
  const char *name;
  int min_args, max_args;
  tg_filter_fn fn;
  const char *doc; /* one line for docs and --help */
  /* allowed values of the first argument (NULL: free text or number) */
  const char *const *arg_words;
} tg_filter_def;

const tg_filter_def *tg_filter_find(const char *name);
/* All filters, sorted by name. */
const tg_filter_def *tg_filter_list(size_t *n);

/* A decimal number written with ASCII or full-width digits, optional sign,
 * spaces ignored.  False for anything else (and for an empty value). */
bool merge_parse_decimal(const char *in, size_t len, double *v);
/* The value without ASCII and ideographic spaces at both ends. */
void merge_trim(const char **s, size_t *len);
/* A date in any form the lists use: 2026-10-01, 2026/10/1, 20261001,
 * S31.05.02, Ｈ1/1/8, 昭和31年5月2日, 元年, or the 7-digit era code 3310502
 * (1 明治 … 5 令和).  Era dates are checked against their era. */
bool merge_parse_date(const char *in, size_t len, int *y, int *m, int *d, const char **why);

/* ---- operands (operand.c) ---------------------------------------------------- */

#define MERGE_MAX_FILTERS 8
#define MERGE_MAX_ARGS    4

typedef struct {
  const tg_filter_def *def;
  char *args[MERGE_MAX_ARGS];
  int nargs;
} filter_call;

typedef enum {
  OPD_FIELD,  /* a column of the row */
  OPD_TEXT,   /* known when compiling: a job constant, "quoted text", page.number */
  OPD_NUMBER, /* a number written in a rule: 45, 59.5 */
  OPD_LETTER, /* letter.id, letter.seq, letter.variant, letter.segment */
} opd_kind;

/* LV_AGE: the age on the letter date (job.date) from 生年月日 — not the
 * list's 年齢, which is as of the extraction (docs/targets.md). */
typedef enum {
  LV_ID,
  LV_SEQ,
  LV_VARIANT,
  LV_SEGMENT,
  LV_NAME_IN_KANA,
  LV_ARM,
  LV_AGE
} letter_value;

typedef struct {
  opd_kind kind;
  char *text; /* column name, or the text of OPD_TEXT */
  size_t len;
  int col;
  letter_value lv;
  double num;
  size_t off, olen; /* where it is written in the design text */
  filter_call filters[MERGE_MAX_FILTERS];
  int nfilters;
  /* `ruby: カナ列`: the filter's index and the column holding the kana (-1:
   * none, or unchecked when no list is known) */
  int ruby_filter, ruby_col;
  char *ruby_kana; /* the kana column's name */
} operand;

/* Compiling one design text. */
typedef struct {
  const tg_merge *m;
  const tg_text *t;
  const char *s;
  size_t len;
  const tg_values *constants;
  tg_diag *d;
  bool ok;
  bool uses_name_in_kana; /* the text reads letter.name-in-kana */
} mparser;

/* Report a compile error at text bytes [off, off+len). */
void merge_error(mparser *P, size_t off, size_t len, tg_diag_kind kind, const char *code,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Resolve a name (column, constant, letter.*, page.*) into an operand; reports
 * an unknown name with a suggestion.  name_off/name_len locate it. */
bool merge_resolve_name(mparser *P, const char *name, size_t name_off, size_t name_len, operand *o);
void merge_operand_clear(operand *o);
/* Parse the value of a placeholder, text bytes [pos, end): an operand and
 * its filters, checked against the filters' arguments.  False after
 * reporting. */
bool merge_parse_value(mparser *P, size_t pos, size_t end, operand *o);

/* What evaluating a text or rule for one letter needs. */
typedef struct {
  const tg_merge *m;
  const tg_row *row;       /* NULL when compiling (only static operands) */
  const tg_letter *letter; /* NULL when compiling or choosing a segment */
  const char *list_path;
  const tg_text *t; /* the text being evaluated, for rule locations */
  tg_diag *d;
  /* per letter: storage for ruby made from the row (names), and a scratch
   * attribute list; NULL when compiling */
  GStringChunk *strings;
  tg_attr_list *scratch;
  /* the row's name printed in kana (unprintable names): column and value */
  int subst_col;
  const char *subst;
  size_t subst_len;
} merge_env;

/* The value of an operand with its filters applied, appended to out.
 * at_ruby (may be NULL) receives the value as it was where a `ruby:` filter
 * stands.  Returns false after reporting (row-named for row data). */
bool merge_operand_value(const operand *o, const merge_env *E, GString *out, GString *at_ruby);
bool merge_operand_is_static(const operand *o);

/* ---- rules (cond.c) -------------------------------------------------------------- */

typedef struct merge_cond merge_cond;

/* Parse a rule written in text bytes [start, end).  NULL after reporting. */
merge_cond *merge_cond_parse(mparser *P, size_t start, size_t end);
void merge_cond_free(merge_cond *c);
/* Does the rule use the row or the letter? */
bool merge_cond_is_static(const merge_cond *c);
bool merge_cond_uses_letter(const merge_cond *c);
/* Mark the columns a rule reads (used[col] = true). */
void merge_cond_columns(const merge_cond *c, bool *used, size_t ncols);
/* 1 true, 0 false, -1 error (reported). */
int merge_cond_eval(const merge_cond *c, const merge_env *E);
/* What a rule compares a column with, for proofs over every row
 * (coverage.c): a number (`eGFR < 45`, a range's ends), a text (`性別 ==
 * "男"`, list items), or nothing (a bare column; text NULL). */
typedef struct {
  int col;
  bool numeric;
  double num;
  const char *text; /* borrowed from the rule */
} merge_cond_literal;
void merge_cond_literals(const merge_cond *c, GArray *out);

/* ---- compiled texts (template.c, parse.c, eval.c) ------------------------------- */

/* Ruby over the text of a node: bytes of the text and the reading (owned). */
typedef struct {
  uint32_t start, end;
  char *reading;
} merge_ruby_span;

typedef enum { N_TEXT, N_VALUE, N_SPAN, N_RUBY, N_IF } node_kind;

typedef struct tnode tnode;
typedef struct {
  tnode *v;
  size_t n;
} tseq;

typedef struct {
  merge_cond *cond; /* NULL: {{#else}} */
  tseq body;
} branch;

struct tnode {
  node_kind kind;
  char *text; /* N_TEXT; N_RUBY: the base */
  size_t len;
  uint32_t *src; /* N_TEXT, N_RUBY: offset in the design text of each byte of text */
  /* N_TEXT, N_RUBY: merge_ruby_span over text — the markup's (N_RUBY) or
   * automatic furigana (N_TEXT, `ruby: auto`); NULL: none.  Automatic ruby
   * may run past the end of its node into the literal text that follows it
   * in the output (a word cut by a span tag). */
  GArray *ruby;
  uint32_t group_start, group_end; /* N_RUBY: the whole markup {…} in the design text */
  operand val;                     /* N_VALUE */
  tg_attr attr;                    /* N_SPAN: type and value */
  tseq kids;                       /* N_SPAN */
  branch *br;                      /* N_IF */
  size_t nbr;
};

typedef struct {
  bool compiled; /* false: a text no letter of this list can show */
  bool segment_rule;
  tseq tree;
  merge_cond *cond; /* TG_TEXT_CONDITION */
  bool is_static;
  char *static_value;
  tg_attrs static_attrs;
  GArray *faces; /* tg_face_request */
} slot;

struct tg_merge {
  const tg_design *design;
  const char *const *columns;
  size_t ncols;
  slot *slots;
  size_t nslots;
  int *used_columns;
  uint64_t segment_mask;
  const char *list_type;
  bool values_unchecked; /* tg_merge_options.values_unchecked */
  int fixed_variant;
  int variant_col;
  const tg_furigana *furigana;  /* for `ruby: auto` (borrowed) */
  GStringChunk *static_strings; /* ruby made while evaluating static slots */
  tg_attr_list *static_scratch;
  bool uses_name_in_kana; /* some text reads letter.name-in-kana */
  /* unprintable names: print the kana column instead (-1: reject the row) */
  int kana_name_col, kana_kana_col;
  tg_can_draw_fn can_draw;
  void *can_draw_user;
  /* letter.age: the 生年月日 column (-1: none) and the letter date */
  int birth_col;
  bool have_letter_date;
  tg_date letter_date;
};

/* A span or ruby as evaluation finds it, before flattening: its attribute
 * and how deeply it is nested. */
typedef struct {
  tg_attr a;
  int depth;
} raw_span;

/* parse.c: a design text (P->s) parsed into its tree; errors are reported
 * and clear P->ok.  Faces that rich spans ask for are added to `faces`. */
tseq merge_parse_text(mparser *P, bool rich, GArray *faces);
void merge_seq_free(tseq *s);
void merge_ruby_spans_free(GArray *a);

/* eval.c: does a tree use no column and no letter value; mark the columns it
 * reads (used[col] = true); evaluate a slot for one row (or, when compiling,
 * a static slot) into out, its raw spans and, if not NULL, the byte ranges
 * each column gave (tg_value_source). */
bool merge_seq_is_static(const tseq *s);
void merge_seq_columns(const tseq *s, bool *used, size_t ncols);
bool merge_eval_slot(const slot *sl, const merge_env *E, GString *out, GArray *spans,
                     GArray *sources);

/* Append the raw spans as attributes (eval.c): sorted by start, nested
 * spans of one kind flattened so that ranges of a type never overlap. */
void merge_flatten_spans(const GArray *spans, GArray *out);

/* The attributes of a slot that has none. */
extern const tg_attrs MERGE_NO_ATTRS;

/* The compiled rule of a condition slot (NULL for other slots). */
const merge_cond *merge_get_slot_cond(const tg_merge *m, int slot);
const tg_design *merge_get_design(const tg_merge *m);
const char *const *merge_get_columns(const tg_merge *m, size_t *n);

#endif
