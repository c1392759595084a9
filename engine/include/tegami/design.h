/* tegami/design.h — letter designs: YAML in, a checked design model out.
 *
 * A design is the pages of one letter: page size, colours, text styles and
 * positioned blocks.  Every string that will be merged is a tg_text that keeps
 * its source location (errors point at file:line:col).  tg_design_load()
 * checks a file and its includes in one pass; variants and segments become
 * copies of blocks with masks, arms a mask checked per letter
 * (docs/architecture.md, "design").  Lengths are points from the top-left
 * corner, y downwards; the YAML always states its unit.
 */
#ifndef TEGAMI_DESIGN_H
#define TEGAMI_DESIGN_H

#include "tegami/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of the selection dimensions (masks are bit sets). */
#define TG_MAX_VARIANTS 8
#define TG_MAX_SEGMENTS 64
#define TG_MAX_ARMS     16
#define TG_ALL_VARIANTS ((uint32_t)0xFF)
#define TG_ALL_SEGMENTS (~(uint64_t)0)
#define TG_ALL_ARMS     ((uint32_t)0xFFFF)

/* How the merge stage reads a text. */
typedef enum {
  TG_TEXT_RICH,      /* placeholders, {{#if}}, [b]…[/b] spans and {base|reading} ruby */
  TG_TEXT_PLAIN,     /* placeholders and {{#if}} only (QR data, barcode, chart values) */
  TG_TEXT_CONDITION, /* a rule such as `eGFR < 45`; its value is "1" or "" */
} tg_text_kind;

/* Where the ruby (furigana) of a text set as text comes from (`ruby:` of a
 * block or style; docs/furigana.md):
 *   manual  explicit markup {腎臓|じんぞう} and names' ruby from their カナ column
 *   auto    that, plus readings for the other kanji of the design's literal
 *           text from locales/ja/readings.tsv and MeCab (never of merged values)
 *   off     no ruby: markup is read and its readings dropped */
typedef enum { TG_RUBY_MANUAL, TG_RUBY_AUTO, TG_RUBY_OFF } tg_ruby_mode;

/* A text that may contain {{placeholders}}; `slot` numbers it within the
 * design so that the merge stage can hand back one value per slot. */
typedef struct tg_text {
  const char *text;
  const struct tg_ynode *node; /* where it came from (opaque; base/base.h) */
  int slot;
  tg_text_kind kind;
  int page;          /* 1-based page of its block (0: not on a page) */
  int guard;         /* slot of the rule that must hold for it to show, or -1 */
  uint32_t variants; /* letters it can appear in (masks of its block) */
  uint64_t segments;
  tg_ruby_mode ruby;   /* rich texts: where their ruby comes from */
  bool not_for_reader; /* its block says `easy-japanese: false`: no easy-Japanese checks */
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
  uint32_t color;           /* 0xRRGGBBAA */
  bool hanging_punctuation; /* let 、。 hang past the right edge */
  double ruby_size_pt;      /* furigana size; 0 = half the text size */
  tg_line_break line_break;
  tg_ruby_mode ruby; /* ruby of the texts set in this style (a block may override) */
  tg_span span;
} tg_style;

typedef enum {
  TG_BLOCK_TEXT,
  TG_BLOCK_BOX,
  TG_BLOCK_RULE,
  TG_BLOCK_QR,
  TG_BLOCK_TABLE,
  TG_BLOCK_ADDRESS,
  TG_BLOCK_FLOW,    /* children stacked downwards */
  TG_BLOCK_IMAGE,   /* PNG or SVG from the design's folder */
  TG_BLOCK_BARCODE, /* slot: Japan Post customer barcode (drawn by the barcode module) */
  TG_BLOCK_CHART,   /* slot: a result chart (drawn by the chart module) */
  TG_BLOCK_SENDER,  /* a text block whose text defaults to the municipality's sender lines */
  TG_BLOCK_INDICIA, /* 料金後納 / 料金別納 mark */
} tg_block_type;

typedef enum { TG_QR_ECC_L, TG_QR_ECC_M, TG_QR_ECC_Q, TG_QR_ECC_H } tg_qr_ecc;
/* What a frame does when its content does not fit its height. */
typedef enum {
  TG_OVERFLOW_FAIL,   /* reject the letter with a row-named error (default) */
  TG_OVERFLOW_SHRINK, /* reduce the size in 0.25pt steps down to min_size_pt */
} tg_overflow;

typedef struct tg_table_column {
  double width_pt;
  tg_align align;
} tg_table_column;
typedef enum { TG_IMAGE_PNG, TG_IMAGE_SVG } tg_image_format;
typedef struct tg_block tg_block;
struct tg_block {
  tg_block_type type;
  const char *name; /* "greeting", or "text#3" when unnamed */
  tg_span span;
  double x_pt, y_pt;          /* in a flow: relative to the flow (x = indent) */
  double width_pt, height_pt; /* height 0 = as tall as the content */
  const tg_style *style;
  /* which letters show the block: variant/segment masks and an optional
   * rule (when.slot < 0: always) */
  uint32_t variants;
  uint64_t segments;
  uint32_t arms; /* experiment arms it appears in (TG_ALL_ARMS: every letter) */
  tg_text when;
  double space_before_pt; /* in a flow: extra room above the block */
  bool not_for_reader;    /* `easy-japanese: false`: a form for the doctor, a postal
                             mark, the address — not held to easy-Japanese rules */
  union {
    struct {
      tg_text text;
      tg_overflow overflow;
      double min_size_pt;
    } text;
    struct {
      double stroke_pt;      /* 0 = no outline */
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
      tg_text *cells;    /* nrows * ncols, row-major */
      tg_text *row_when; /* per row: shown only when the rule holds (slot -1: always) */
      bool header;       /* first row is a header */
      const tg_style *header_style;
      uint32_t header_fill;
      double stroke_pt;
      double padding_pt;
      tg_overflow overflow; /* with height_pt > 0: the table's maximum height */
      double min_size_pt;
    } table;
    struct {
      tg_text postal, address, name;
      const char *honorific; /* "様" */
      const tg_style *name_style;
      size_t max_address_lines;
      double min_size_pt; /* a long address shrinks down to this size */
      double barcode_pt;  /* customer barcode under the name at this size (8–11.5pt); 0 = none */
    } address;
    struct {
      size_t nchildren;
      tg_block *children; /* placed top to bottom; x/y relative to the flow */
      double gap_pt;      /* between children that are shown */
      tg_overflow overflow;
      double min_size_pt; /* shrink: the smallest size of the flow's style */
    } flow;
    struct {
      const char *file; /* as written in the design */
      const char *path; /* resolved, inside the design's folder */
      tg_image_format format;
    } image;
    struct {
      tg_text office;   /* 差出事業所名 (「座間局」), or an empty text */
      bool separate;    /* 料金別納 (paid in cash) rather than 料金後納 */
      bool square;      /* a square instead of a circle */
      bool delay;       /* 送達余裕承諾: a double line under the office name */
    } indicia;          /* its size is width_pt = height_pt (20–30 mm) */
    struct {            /* slots, filled by the layout stage */
      const char *kind; /* "customer-barcode", or the chart's kind */
      size_t nvalues;
      const char *const *names; /* value names ("postal", "address", …) */
      tg_text *values;
      double size_pt; /* barcode: the point size (8–11.5pt) */
    } slot;
  } u;
};

/* The window envelope the letter is mailed in (`envelope:`, presets in
 * layouts/envelopes/): its address window on the first page with the insert at
 * rest, and how far the insert can move either way.  Address text stays inside
 * the window less the play, the barcode 2 mm further in; nothing else shows. */
typedef struct tg_envelope {
  const char *name;
  double window_x_pt, window_y_pt, window_w_pt, window_h_pt;
  double play_x_pt, play_y_pt;
} tg_envelope;

typedef struct tg_box { /* a rectangle on the page */
  double x0_pt, y0_pt, x1_pt, y1_pt;
} tg_box;

/* What of the page can show through the window at some position of the
 * insert (the window grown by the play), and what shows at every position,
 * `inset_pt` further in (the window shrunk by the play and the inset). */
tg_box tg_envelope_visible(const tg_envelope *e);
tg_box tg_envelope_safe(const tg_envelope *e, double inset_pt);

typedef struct tg_design_page {
  size_t nblocks;
  tg_block *blocks; /* furniture first, then the page's own blocks */
} tg_design_page;

/* A message segment: letters of one list type whose row satisfies `when`. */
typedef struct tg_segment {
  const char *name;
  const char *type; /* list type, e.g. "highrisk" */
  tg_text when;     /* a condition; slot -1 for `when: otherwise` */
  bool otherwise;   /* matches when no other segment of its type does */
  int priority;     /* 0: none; 1 is chosen first among overlapping ones */
  tg_span span;
} tg_segment;

typedef struct tg_color {
  const char *name;
  uint32_t rgba;
} tg_color;

/* The easy-Japanese (やさしい日本語) rules `tegami check` applies to some variants
 * (`easy-japanese:`; by default the variant `easy`, limits of docs/furigana.md). */
typedef struct tg_easy_rules {
  uint32_t variants; /* mask of the easy variants (0: none) */
  uint32_t max_sentence_chars;
  double min_text_pt, min_ruby_pt;
  tg_span span; /* the `easy-japanese:` key, or none */
} tg_easy_rules;

typedef struct tg_design {
  const char *path;
  const char *name;
  double page_width_pt, page_height_pt;
  size_t nstyles;   /* named styles per variant */
  tg_style *styles; /* nvariants * nstyles: the table of variant v starts at v * nstyles */
  size_t ncolors;
  tg_color *colors;
  size_t nvariants; /* at least 1 ("standard" when none are declared) */
  const char *const *variants;
  size_t nsegments; /* 0 when the design declares none */
  tg_segment *segments;
  tg_span segments_span;
  size_t narms; /* 0 when the design declares no experiment arms */
  const char *const *arms;
  size_t npages;
  tg_design_page *pages;
  size_t ntexts;               /* number of slots */
  tg_text **texts;             /* texts[slot] */
  const tg_envelope *envelope; /* the window envelope, or NULL */
  tg_easy_rules easy;
} tg_design;

/* Load and check a design file.  Returns NULL if any error was reported. */
tg_design *tg_design_load(const char *path, tg_diag *d);
/* Same, from text already in memory (tests, fuzzing); included files and
 * images are resolved relative to `name`. */
tg_design *tg_design_load_text(const char *name, const char *text, size_t len, tg_diag *d);
void tg_design_free(tg_design *design);

/* The style `name` of variant 0. */
const tg_style *tg_design_find_style(const tg_design *design, const char *name);
/* A named colour of the design's `colors:`, or NULL. */
const tg_color *tg_design_find_color(const tg_design *design, const char *name);
/* Does some text of the design ask for `ruby: auto` (automatic furigana)?
 * Then whoever merges it loads a tg_furigana (ruby.h) first. */
bool tg_design_uses_auto_ruby(const tg_design *design);
/* Index of a variant / segment by name, or -1. */
int tg_design_find_variant(const tg_design *design, const char *name);
int tg_design_find_segment(const tg_design *design, const char *name);
int tg_design_find_arm(const tg_design *design, const char *name);
/* Mask of the segments of a list type (0 when the design has none for it;
 * TG_ALL_SEGMENTS when the design declares no segments). */
uint64_t tg_design_segment_mask(const tg_design *design, const char *list_type);
const char *tg_block_type_name(tg_block_type t);
/* Call fn for every text of a block, its children's included, with the
 * style it is set in (NULL for texts that are not set: QR data, rules). */
void tg_block_foreach_text(const tg_block *b,
                           void (*fn)(const tg_block *owner, const tg_text *t,
                                      const tg_style *style, void *data),
                           void *data);

#ifdef __cplusplus
}
#endif
#endif
