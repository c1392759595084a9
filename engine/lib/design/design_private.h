/* design/design_private.h — what the design stage keeps behind tg_design, and
 * the loader state shared by its files.
 *
 * The public tg_design is the first member, so a tg_design* is a
 * design_impl*.  The source texts and YAML trees (the design's and those of
 * the files it includes) live as long as the design: tg_text strings point
 * into them.  load.c reads the top level (includes, colours, variants,
 * segments, styles, pages); blocks.c reads blocks; select.c expands values
 * that differ per variant or segment.
 */
#ifndef TG_DESIGN_PRIVATE_H
#define TG_DESIGN_PRIVATE_H

#include "base/base.h"
#include "tegami/design.h"

typedef struct design_impl {
  tg_design pub;
  tg_source *src;
  tg_ydoc *doc;
  tg_arena *arena;
  GPtrArray *sources; /* tg_source* of included files */
  GPtrArray *docs;    /* tg_ydoc* of included files */
} design_impl;

typedef struct loader {
  tg_design *design;
  design_impl *impl;
  tg_arena *arena;
  GPtrArray *texts;
  tg_diag *d; /* where diagnostics go now (a scratch one for copies) */
  tg_diag *main_d;
  int page_no;    /* 1-based page being read (0: not on a page) */
  char *root_dir; /* real path of the design's folder: files must stay inside */
  /* styles, from the design and its includes */
  GPtrArray *style_keys, *style_vals; /* tg_ynode* */
  bool styles_vary;                   /* some style differs between variants */
  /* named blocks: name -> tg_ynode* (mapping) */
  GHashTable *named;
  /* the copy being read: its variant/segment (-1: not split) and masks */
  int cur_variant, cur_segment;
  uint32_t cur_vmask;
  uint64_t cur_smask;
  int guard;     /* slot of the rule guarding texts read now, or -1 */
  int flow_ruby; /* `ruby:` of the enclosing flow (a tg_ruby_mode), or -1 */
  int use_depth;
  int selector_errors;     /* counted by design_project: the copy is not read */
  tg_ynode *envelope_node; /* the design's `envelope:` value, for messages */
} loader;

#define N(a)       (sizeof(a) / sizeof((a)[0]))
#define MAX_LEN_PT (2000.0) /* no page dimension beyond ~70 cm */

void *design_alloc(loader *L, size_t size);
char *design_strdup(loader *L, const char *s);

/* ---- select.c: values per variant and segment ---------------------------------- */

/* What a block's tree asks for: variant maps, segment maps (and the types of
 * the segments they name), child filters. */
typedef struct {
  bool by_variant;
  bool by_segment;
  uint64_t segment_types; /* every segment of the types named in segment maps */
} selectors;

void design_scan_selectors(loader *L, tg_ynode *n, selectors *out);
/* The tree as seen by variant v and segment s (-1: none): selector maps are
 * replaced by their entry.  A missing entry is reported and the key dropped
 * (NULL for the node itself). */
tg_ynode *design_project(loader *L, tg_ynode *n, int v, int s);
/* Names of variants and segments may not be keys of the schema. */
bool design_is_schema_word(const char *name);

/* ---- envelope.c: the window envelope ------------------------------------------------ */

/* Read `envelope:` (a preset, a file or a mapping) into design->envelope. */
void design_load_envelope(loader *L, tg_ynode *root);
/* After the pages: the window is on the page, the first page's address
 * block and barcode are where the window always shows them. */
void design_check_envelope(loader *L);

/* ---- load.c: shared readers --------------------------------------------------------- */

const tg_style *design_get_style(loader *L, tg_ynode *m, const char *key);
bool design_get_color(loader *L, tg_ynode *m, const char *key, uint32_t *out);
/* A text of `kind` under `key`; required reports a missing key. */
bool design_get_text(loader *L, tg_ynode *m, const char *key, bool required, tg_text_kind kind,
                     tg_text *t);
/* A text from a scalar node. */
bool design_text_from_node(loader *L, tg_ynode *n, const char *what, tg_text_kind kind, tg_text *t);
/* A text that is not written in the file (the address block's defaults). */
void design_text_default(loader *L, tg_ynode *at, const char *text, tg_text_kind kind, tg_text *t);
/* Resolve a file named in `at` (relative to the file it is written in); it
 * must stay inside the design's folder.  Returns the real path (arena). */
const char *design_resolve_file(loader *L, tg_ynode *at, const char *what);
/* `ruby: manual | auto | off` under m, if given. */
bool design_get_ruby_mode(loader *L, tg_ynode *m, tg_ruby_mode *out);
/* The masks named by `variants:` / `segments:` under m (all when absent). */
uint32_t design_get_variant_filter(loader *L, tg_ynode *m);
uint64_t design_get_segment_filter(loader *L, tg_ynode *m);
/* The mask named by `arms:` under m (TG_ALL_ARMS when absent). */
uint32_t design_get_arm_filter(loader *L, tg_ynode *m);

/* ---- blocks.c ---------------------------------------------------------------------- */

/* Read one entry of a `blocks:` list (or a flow's children) into `out`: one
 * tg_block per variant/segment copy.  in_flow: a child of a flow. */
void design_load_block_entry(loader *L, GArray *out, tg_ynode *raw, size_t index,
                             const tg_block *flow);
/* Blocks are read into temporary arrays and then copied into the design:
 * point texts[slot] at the copies. */
void design_relink(loader *L, tg_block *blocks, size_t n);
/* All schema keys of blocks (for design_is_schema_word). */
bool design_block_key_known(const char *key);

#endif
