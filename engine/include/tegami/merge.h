/* tegami/merge.h — templates: design texts + a row + constants → letter texts.
 *
 * Every tg_text of a design is compiled once, against the columns of the list
 * it will be merged with and the constants of the job (municipality profile:
 * {{sender.name}}, {{municipality.name}}, {{job.date}} …).  An unknown field
 * is an error at load time with file:line:col, never at letter 7,000.
 *
 * Grammar (docs/design-format.md has the full reference):
 *   text     := ( literal | "{{" value "}}" | if | span | ruby )*
 *   value    := operand ( "|" filter ( ":" arg ( "," arg )* )? )*
 *   operand  := column | dotted.constant | letter.id | page.number | "quoted text"
 *   if       := "{{#if" rule "}}" text ( "{{#elif" rule "}}" text )*
 *               ( "{{#else}}" text )? "{{/if}}"
 *   rule     := rule "or" rule | rule "and" rule | "not" rule | "(" rule ")"
 *             | operand ( ("=="|"!="|"<"|"<="|">"|">=") operand
 *                       | "in" number ".." number | "in" number "..<" number
 *                       | "in" "[" item ( "," item )* "]" )?
 *   span     := "[b]" text "[/b]" | "[u]" … | "[color=#C00000]" … "[/color]"
 *             | "[size=12pt]" … | "[font=BIZ UDPMincho]" …      (rich texts only)
 *   ruby     := "{" base "|" reading ( "|" reading )* "}"     (rich texts only; \{ \} \| \\
 *                                                               are literal characters)
 * Merged values are always plain text: a name containing "<b>", "[b]" or "&"
 * prints exactly as written, because values are never parsed as markup;
 * spans and ruby come only from the design's own literal text.
 *
 * A slot whose text refers to no column and no letter value is static: its
 * value is computed once (tg_merge_get_static) and the layout stage lays it
 * out once per run.
 */
#ifndef TEGAMI_MERGE_H
#define TEGAMI_MERGE_H

#include "tegami/design.h"
#include "tegami/diag.h"
#include "tegami/ruby.h"
#include "tegami/targets.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named constant values: "sender.name" → "架空市 健康づくり課". */
typedef struct tg_values tg_values;
tg_values *tg_values_new(void);
void tg_values_set(tg_values *v, const char *key, const char *value);
const char *tg_values_get(const tg_values *v, const char *key);
size_t tg_values_get_count(const tg_values *v);
const char *tg_values_get_key(const tg_values *v, size_t i);
void tg_values_free(tg_values *v);

typedef struct tg_merge tg_merge;

typedef struct tg_merge_options {
  /* For texts with `ruby: auto`: readings for the kanji of their literal
   * text are found once, when compiling (tg_design_uses_auto_ruby() tells
   * whether one is needed).  NULL: such texts are an error
   * (furigana.not-loaded). */
  const tg_furigana *furigana;
  /* No job known (`tegami check DESIGN --profile`): names with a dot that
   * are not columns (municipality.*, sender.*, job.*) are accepted unchecked,
   * while column names are checked against `columns`. */
  bool values_unchecked;
} tg_merge_options;

/* Compile every text of `design`.  `columns` may be NULL (no list known yet:
 * placeholders naming a column are then accepted unchecked).  The constant
 * "list.type" picks the design's segments for this list; texts that only
 * letters of other list types can show are not compiled.  Returns NULL if
 * any template is invalid. The merge borrows design and constants. */
tg_merge *tg_merge_new(const tg_design *design, const char *const *columns, size_t ncols,
                       const tg_values *constants, tg_diag *d);
/* The same, with options (opt may be NULL). */
tg_merge *tg_merge_new_full(const tg_design *design, const char *const *columns, size_t ncols,
                            const tg_values *constants, const tg_merge_options *opt, tg_diag *d);
void tg_merge_free(tg_merge *m);

bool tg_merge_slot_is_static(const tg_merge *m, int slot);
/* Value of a static slot (NULL for a row-dependent one), and its attributes
 * (never NULL; n may be 0). */
const char *tg_merge_get_static(const tg_merge *m, int slot);
const tg_attrs *tg_merge_get_static_attrs(const tg_merge *m, int slot);
/* Index of each column the design uses (for validation), -1 terminated. */
const int *tg_merge_get_used_columns(const tg_merge *m);

/* A face that a span of a rich text asks for: [font=…] and [b] spans, with
 * their enclosing spans applied.  family NULL / weight 0 mean "the style's".
 * The layout stage checks every request against the font set when it loads,
 * so a span asking for a face the set lacks is a design error. */
typedef struct tg_face_request {
  const char *family;
  int weight;
  tg_span span; /* the span's opening tag */
} tg_face_request;
const tg_face_request *tg_merge_get_face_requests(const tg_merge *m, int slot, size_t *n);

/* ---- variants and segments ------------------------------------------------------ */

/* Which variant the letters of this merge get: `variant` names one of the
 * design's variants (NULL: the design's first); `column` (NULL: none) names a
 * column whose value chooses the variant per row (an empty value keeps
 * `variant`).  Reports an unknown variant or column at `at` (the job). */
bool tg_merge_set_variant(tg_merge *m, const char *variant, const char *column, tg_span at,
                          tg_diag *d);
/* Can the fonts draw s[0, len)?  If not, the first character that cannot be
 * drawn (and its variation selector, or 0).  tg_fonts_can_draw() of the
 * layout stage, with the fonts as `user`. */
typedef bool (*tg_can_draw_fn)(void *user, const char *s, size_t len, uint32_t *cp, uint32_t *vs);

/* Unprintable names (the job's `unprintable-names: kana`, domain §F.3): when
 * a row's `name_column` holds a character no font can draw, every placeholder
 * of that column prints the row's `kana_column` instead, as full-width
 * katakana, {{letter.name-in-kana}} is "1" so the design can say so
 * (「※お名前の一部を表示できない文字があります」), and a row warning
 * (data.name-in-kana) names the code point.  Without usable kana the row is
 * rejected as without the fallback.  Reports at `at` (the job) when a column
 * is missing, or when the design never reads letter.name-in-kana: a letter
 * must not change its reader's name without saying so. */
bool tg_merge_set_kana_fallback(tg_merge *m, const char *name_column, const char *kana_column,
                                tg_can_draw_fn can_draw, void *user, tg_span at, tg_diag *d);

/* The segments a letter of this list can get (see tg_design_segment_mask). */
uint64_t tg_merge_get_segment_mask(const tg_merge *m);

/* Decide a row's variant (index into design->variants) and segment (index
 * into design->segments, -1 when the design has none).  Returns false, with a
 * row-named diagnostic, when the row cannot have a letter: its variant column
 * names no variant (data.variant), its values cannot be compared (e.g.
 * data.not-a-number), it matches no segment (segment.none) or several that
 * have no priority (segment.overlap).  The run loop calls this in its scan
 * phase, so such rows are rejected before anything is drawn. */
bool tg_merge_choose(const tg_merge *m, const tg_row *row, const char *list_path, int *variant,
                     int *segment, tg_diag *d);

/* Prove that every row a list can hold gets a segment: the segment rules of
 * the merge's list type are evaluated over every combination of the values
 * of the columns they read, each column's value space given by
 * tg_targets_column_domain(profile, …) (profile NULL: the catalogue's) and
 * cut at the numbers and words the rules compare with.  Reports, at the
 * design's segments, the first combination no segment takes
 * (segment.uncovered; unless an `otherwise` segment exists) and the first
 * two segments without priorities take (segment.may-overlap).  True when
 * every row gets exactly one segment (or the design has none). */
bool tg_merge_check_coverage(const tg_merge *m, const char *profile, tg_diag *d);

/* One rule of the design language on its own (a job's exclusion rules):
 * compiled against `columns` (borrowed) and `constants`, with messages
 * located in `node`, the YAML scalar holding `text` (its value).  NULL
 * after reporting.  tg_rule_eval: 1 holds, 0 does not, -1 a value cannot be
 * compared (reported, row-named). */
typedef struct tg_rule tg_rule;
tg_rule *tg_rule_new(const char *text, const struct tg_ynode *node, const char *const *columns,
                     size_t ncols, const tg_values *constants, tg_diag *d);
int tg_rule_eval(const tg_rule *r, const tg_row *row, const char *list_path, tg_diag *d);
void tg_rule_free(tg_rule *r);

/* One merged letter: a value per slot.  Owns its strings; reusable across
 * rows (tg_merge_row resets it). One letter per worker thread.  seq and id
 * are set by the caller before tg_merge_row ({{letter.id}} prints them);
 * variant and segment are set by tg_merge_row (as tg_merge_choose decides). */
typedef struct tg_letter {
  const tg_row *row;
  const char *list_path;    /* for messages */
  uint64_t seq;             /* 1-based position in the run */
  char id[48];              /* letter id, e.g. "14999-000012" */
  int variant;              /* index into design->variants */
  int segment;              /* index into design->segments, or -1 */
  const char *variant_name; /* borrowed from the design */
  const char *segment_name; /* NULL when the design has no segments */
  bool name_in_kana;        /* the name is printed in kana (tg_merge_set_kana_fallback) */
  const char *arm_name;     /* set by the caller before tg_layout_letter: the letter's
                               experiment arm (NULL: none; the design's first arm) */
  size_t nvalues;
  const char **values;    /* values[slot] */
  const tg_attrs **attrs; /* attrs[slot], never NULL (n may be 0) */
} tg_letter;

/* Which bytes of a merged value came from which column of the row: one
 * range per placeholder naming a column (its filters' output included).  The
 * glyph preflight uses it to name the column of a character no font can
 * draw. */
typedef struct tg_value_source {
  uint32_t start, end;
  const char *column; /* the column's name (borrowed from the merge) */
} tg_value_source;

/* The sources of slot `slot` of the last row merged into `letter` (none for
 * static slots).  Valid until the next tg_merge_row on the letter. */
const tg_value_source *tg_letter_get_sources(const tg_letter *letter, int slot, size_t *n);

tg_letter *tg_letter_new(const tg_merge *m);
void tg_letter_free(tg_letter *l);

/* Merge one row into `letter`: choose its variant and segment, then
 * evaluate every row-dependent slot.  Returns false (with a row-named
 * diagnostic) when the row cannot be chosen for (see tg_merge_choose) or a
 * filter cannot format a value; the row is then rejected. */
bool tg_merge_row(const tg_merge *m, const tg_row *row, const char *list_path, tg_letter *letter,
                  tg_diag *d);

/* ---- easy-Japanese (やさしい日本語) checks for `tegami check` -------------- */

typedef struct tg_easyja_rules {
  uint32_t max_sentence_chars; /* default 30 (spaces not counted) */
  double min_text_pt;          /* default 12 */
  double min_ruby_pt;          /* default 6 */
} tg_easyja_rules;

void tg_easyja_rules_init(tg_easyja_rules *r);
/* In both checks, r may be NULL for the defaults. */
/* Warn (easyja.sentence-too-long, easyja.kanji-without-ruby,
 * easyja.text-too-small for TG_ATTR_SIZE below the minimum) about text[0,
 * len) with its attributes; locate may be NULL.  Returns the number of
 * warnings.  Nothing is changed: 分かち書き spaces stay as written. */
size_t tg_easyja_check_text(const tg_easyja_rules *r, const char *text, size_t len,
                            const tg_attrs *attrs, tg_span_fn locate, void *user, tg_diag *d);
/* Warn (easyja.text-too-small, easyja.ruby-too-small) when a style's text or
 * ruby size is below the minimum; ruby_pt <= 0 skips the ruby check. */
size_t tg_easyja_check_size(const tg_easyja_rules *r, double text_pt, double ruby_pt, tg_span span,
                            tg_diag *d);
/* Run the easy-Japanese checks over every text of the design's easy
 * variants (design->easy) as compiled by `m`: the literal text with its ruby
 * (explicit, automatic, names' ruby filter) and its spans' sizes, and the
 * sizes of the styles they are set in.  Placeholders count as no characters;
 * each branch of a conditional is checked on its own.  Warnings point at the
 * design file.  Returns the number of warnings. */
size_t tg_merge_check_easy(const tg_merge *m, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
