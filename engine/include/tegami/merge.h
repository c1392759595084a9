/* tegami/merge.h — templates: design texts + a row + constants → letter texts.
 *
 * Every tg_text of a design is compiled once, against the columns of the list
 * it will be merged with and the constants of the job (municipality profile:
 * {{sender.name}}, {{municipality.name}}, {{job.date}} …).  An unknown field
 * is an error at load time with file:line:col, never at letter 7,000.
 *
 * Grammar (see docs/design-format.md):
 *   text        := ( literal | "{{" expr "}}" )*
 *   expr        := operand ( "|" filter )*
 *   operand     := field-name | dotted.constant | "quoted text"
 *   filter      := name ( ":" argument ( "," argument )* )?
 * Merged values are always plain text: a name containing "<b>" or "&" prints
 * exactly as written, because values are never parsed as markup.
 *
 * A slot whose text refers to no column is static: its value is computed once
 * (tg_merge_get_static) and the layout stage lays it out once per run.
 */
#ifndef TEGAMI_MERGE_H
#define TEGAMI_MERGE_H

#include "tegami/design.h"
#include "tegami/diag.h"
#include "tegami/targets.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Attributes over byte ranges [start, end) of a merged text, the way Pango
 * attributes work: rich-text spans from the design's markup (bold, colour,
 * size, underline, font) and ruby (furigana) over a base text.  They are
 * made only from the design's literal text and from filters such as the ruby
 * of a name taken from its カナ column — never by parsing a merged value.
 * Attributes are sorted by start; ranges of one type do not overlap. */
typedef enum {
  TG_ATTR_WEIGHT,    /* u.weight: 400 or 700 */
  TG_ATTR_COLOR,     /* u.color: 0xRRGGBBAA */
  TG_ATTR_SIZE,      /* u.size_pt */
  TG_ATTR_UNDERLINE, /* no value */
  TG_ATTR_FONT,      /* u.font: a family of the font set */
  TG_ATTR_RUBY,      /* u.ruby: UTF-8 reading drawn above [start, end) */
} tg_attr_type;

typedef struct tg_attr {
  uint32_t start, end;
  tg_attr_type type;
  union {
    int weight;
    uint32_t color;
    double size_pt;
    const char *font;
    const char *ruby;
  } u;
} tg_attr;

typedef struct tg_attrs {
  size_t n;
  const tg_attr *v;
} tg_attrs;

/* Named constant values: "sender.name" → "架空市 健康づくり課". */
typedef struct tg_values tg_values;
tg_values *tg_values_new(void);
void tg_values_set(tg_values *v, const char *key, const char *value);
const char *tg_values_get(const tg_values *v, const char *key);
size_t tg_values_get_count(const tg_values *v);
const char *tg_values_get_key(const tg_values *v, size_t i);
void tg_values_free(tg_values *v);

typedef struct tg_merge tg_merge;

/* Compile every text of `design`.  `columns` may be NULL (no list known yet:
 * placeholders naming a column are then accepted unchecked).  Returns NULL if
 * any template is invalid. The merge borrows design and constants. */
tg_merge *tg_merge_new(const tg_design *design, const char *const *columns, size_t ncols,
                       const tg_values *constants, tg_diag *d);
void tg_merge_free(tg_merge *m);

bool tg_merge_slot_is_static(const tg_merge *m, int slot);
/* Value of a static slot (NULL for a row-dependent one), and its attributes
 * (never NULL; n may be 0). */
const char *tg_merge_get_static(const tg_merge *m, int slot);
const tg_attrs *tg_merge_get_static_attrs(const tg_merge *m, int slot);
/* Index of each column the design uses (for validation), -1 terminated. */
const int *tg_merge_get_used_columns(const tg_merge *m);

/* One merged letter: a value per slot.  Owns its strings; reusable across
 * rows (tg_merge_row resets it). One letter per worker thread. */
typedef struct tg_letter {
  const tg_row *row;
  const char *list_path; /* for messages */
  uint64_t seq;          /* 1-based position in the run */
  char id[48];           /* letter id, e.g. "14999-000012" */
  size_t nvalues;
  const char **values;     /* values[slot] */
  const tg_attrs **attrs;  /* attrs[slot], never NULL (n may be 0) */
} tg_letter;

tg_letter *tg_letter_new(const tg_merge *m);
void tg_letter_free(tg_letter *l);

/* Merge one row into `letter`.  Returns false (with a row-named diagnostic)
 * when a filter cannot format a value; the row is then rejected. */
bool tg_merge_row(const tg_merge *m, const tg_row *row, const char *list_path, tg_letter *letter,
                  tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
