/* tegami/design.h — letter designs: YAML in, a checked design model out.
 *
 * A design describes the pages of one letter: page size, named text styles and
 * positioned blocks (text frames, boxes, rules, QR codes, tables, the address
 * block).  Every string that will be merged with data is a tg_text: it keeps
 * its source location so that the merge stage can point at a bad placeholder
 * with file:line:col.  tg_design_load() checks the whole file in one pass and
 * reports every problem; it returns NULL if there was any error.
 *
 * Lengths are stored in points (1/72 inch) with the unit in the field name;
 * the YAML always states its unit ("20mm", "10.5pt").  The origin is the top
 * left corner of the page, y grows downwards.
 */
#ifndef TEGAMI_DESIGN_H
#define TEGAMI_DESIGN_H

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tg_ynode;

/* A text that may contain {{placeholders}}; `slot` numbers it within the
 * design so that the merge stage can hand back one value per slot. */
typedef struct tg_text {
  const char *text;
  const struct tg_ynode *node; /* where it came from (opaque) */
  int slot;
} tg_text;

/* Source span of the bytes text[off, off+len) of a design text. */
tg_span tg_text_span(const tg_text *t, size_t off, size_t len);

typedef enum { TG_ALIGN_LEFT, TG_ALIGN_CENTER, TG_ALIGN_RIGHT, TG_ALIGN_JUSTIFY } tg_align;

/* Where lines may break: anywhere Japanese allows (kinsoku applied), or only
 * at spaces and after 、。 — for easy-Japanese text written with 分かち書き. */
typedef enum { TG_LINE_BREAK_NORMAL, TG_LINE_BREAK_SPACES } tg_line_break;

typedef struct tg_style {
  const char *name;
  const char *font; /* family in the font set, e.g. "BIZ UDPGothic" */
  int weight;       /* 400 regular, 700 bold */
  double size_pt;
  double line_height; /* multiple of the size (1.0 = solid) */
  tg_align align;
  uint32_t color; /* 0xRRGGBBAA */
  bool hanging_punctuation; /* let 、。 hang past the right edge */
  double ruby_size_pt;      /* furigana size; 0 = half the text size */
  tg_line_break line_break;
  tg_span span;
} tg_style;

typedef enum {
  TG_BLOCK_TEXT,
  TG_BLOCK_BOX,
  TG_BLOCK_RULE,
  TG_BLOCK_QR,
  TG_BLOCK_TABLE,
  TG_BLOCK_ADDRESS,
} tg_block_type;

typedef enum { TG_QR_ECC_L, TG_QR_ECC_M, TG_QR_ECC_Q, TG_QR_ECC_H } tg_qr_ecc;

/* What a frame does when its text does not fit its height. */
typedef enum {
  TG_OVERFLOW_FAIL,   /* reject the letter with a row-named error (default) */
  TG_OVERFLOW_SHRINK, /* reduce the size in 0.25pt steps down to min_size_pt */
} tg_overflow;

typedef struct tg_table_column {
  double width_pt;
  tg_align align;
} tg_table_column;

typedef struct tg_block {
  tg_block_type type;
  const char *name; /* "greeting", or "text#3" when unnamed */
  tg_span span;
  double x_pt, y_pt;
  double width_pt, height_pt; /* height 0 = as tall as the content */
  const tg_style *style;
  union {
    struct {
      tg_text text;
      tg_overflow overflow;
      double min_size_pt;
    } text;
    struct {
      double stroke_pt; /* 0 = no outline */
      uint32_t stroke, fill; /* fill alpha 0 = none */
      double radius_pt;
    } box;
    struct {
      double x2_pt, y2_pt;
      double stroke_pt;
      uint32_t color;
      bool dashed;
    } rule;
    struct {
      tg_text data;
      double size_pt; /* symbol size without the quiet zone */
      tg_qr_ecc ecc;
    } qr;
    struct {
      size_t ncols, nrows; /* nrows includes the header row if any */
      tg_table_column *cols;
      tg_text *cells; /* nrows * ncols, row-major */
      bool header;    /* first row is a header */
      const tg_style *header_style;
      uint32_t header_fill;
      double stroke_pt;
      double padding_pt;
    } table;
    struct {
      tg_text postal, address, name;
      const char *honorific; /* "様" */
      const tg_style *name_style;
      size_t max_address_lines;
      double min_size_pt; /* a long address shrinks down to this size */
    } address;
  } u;
} tg_block;

typedef struct tg_design_page {
  size_t nblocks;
  tg_block *blocks;
} tg_design_page;

typedef struct tg_design {
  const char *path;
  const char *name;
  double page_width_pt, page_height_pt;
  size_t nstyles;
  tg_style *styles;
  size_t npages;
  tg_design_page *pages;
  size_t ntexts;  /* number of slots */
  tg_text **texts; /* texts[slot] */
} tg_design;

/* Load and check a design file.  Returns NULL if any error was reported. */
tg_design *tg_design_load(const char *path, tg_diag *d);
/* Same, from text already in memory (tests, fuzzing). */
tg_design *tg_design_load_text(const char *name, const char *text, size_t len, tg_diag *d);
void tg_design_free(tg_design *design);

const tg_style *tg_design_find_style(const tg_design *design, const char *name);
const char *tg_block_type_name(tg_block_type t);

#ifdef __cplusplus
}
#endif
#endif
