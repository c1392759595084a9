/* load.c — design YAML → checked tg_design.
 *
 * The loader walks the YAML tree once, reading every key through the typed
 * getters of base/schema.c, so all mistakes of a file (unknown keys with a
 * suggestion, missing keys, wrong units, unknown styles, blocks off the page)
 * are reported in one pass with file:line:col.  The tree and the source stay
 * alive with the design: tg_text values point into them, which is how the merge
 * stage can later report a bad placeholder at its exact column.
 */
#include "design/design_private.h"

#include <string.h>

#define MAX_DESIGN_BYTES (4u << 20)

static const char *const TOP_KEYS[] = {"kind", "name", "page", "styles", "pages"};
static const char *const PAGE_KEYS[] = {"size", "width", "height"};
static const char *const STYLE_KEYS[] = {"inherit",     "font",  "weight", "size",
                                         "line-height", "align", "color",  "hanging-punctuation",
                                         "ruby-size",   "line-break"};
static const char *const PAGE_ITEM_KEYS[] = {"blocks"};
static const char *const BLOCK_TYPES[] = {"text", "box", "rule", "qr", "table", "address"};
static const char *const ALIGN_NAMES[] = {"left", "center", "right", "justify"};
static const char *const WEIGHT_NAMES[] = {"regular", "bold"};
static const char *const ECC_NAMES[] = {"L", "M", "Q", "H"};
static const char *const OVERFLOW_NAMES[] = {"fail", "shrink"};

static const char *const TEXT_KEYS[] = {"type", "name", "x", "y", "width", "height", "style",
                                        "text", "overflow", "min-size"};
static const char *const BOX_KEYS[] = {"type", "name",  "x",    "y",     "width",
                                       "height", "stroke", "stroke-color", "fill", "radius"};
static const char *const RULE_KEYS[] = {"type", "name", "x",     "y",     "width",
                                        "height", "stroke", "color", "dashed"};
static const char *const QR_KEYS[] = {"type", "name", "x", "y", "size", "data", "ecc"};
static const char *const TABLE_KEYS[] = {"type",   "name",        "x",           "y",
                                         "style",  "columns",     "header",      "rows",
                                         "header-style", "header-fill", "stroke", "padding"};
static const char *const COLUMN_KEYS[] = {"width", "align"};
static const char *const ADDRESS_KEYS[] = {"type",  "name",      "x",          "y",
                                           "width", "style",     "name-style", "postal",
                                           "address", "recipient", "honorific", "max-address-lines",
                                           "min-size"};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_LEN_PT (2000.0) /* no page dimension beyond ~70 cm */

typedef struct {
  tg_design *design;
  tg_arena *arena;
  GPtrArray *texts;
  tg_diag *d;
  int page_no;
} loader;

static void *alloc(loader *L, size_t size) { return tg_arena_alloc(L->arena, size); }

/* ---- styles ------------------------------------------------------------- */

static const tg_style DEFAULT_STYLE = {
    .name = "default", .font = "BIZ UDPGothic", .weight = 400, .size_pt = 10.5,
    .line_height = 1.6, .align = TG_ALIGN_LEFT, .color = 0x000000FF,
};

/* Resolve style i (recursively through inherit:), detecting cycles. */
static bool resolve_style(loader *L, tg_ynode *styles, size_t i, int *state) {
  tg_design *ds = L->design;
  if (state[i] == 2) return true;
  if (state[i] == 1) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.style-cycle",
               tg_ynode_span(styles->keys[i]), "style '%s' inherits from itself",
               styles->keys[i]->value);
    return false;
  }
  state[i] = 1;
  tg_ynode *m = styles->vals[i];
  tg_style *st = &ds->styles[i];
  *st = DEFAULT_STYLE;
  st->name = styles->keys[i]->value;
  st->span = tg_ynode_span(styles->keys[i]);
  bool ok = true;
  const char *parent = NULL;
  if (tg_yget_string(m, "inherit", false, &parent, L->d)) {
    size_t j;
    for (j = 0; j < styles->n; j++)
      if (strcmp(styles->keys[j]->value, parent) == 0) break;
    if (j == styles->n) {
      tg_ynode *pn = tg_ymap_get(m, "inherit");
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-style", tg_ynode_span(pn),
                 "style '%s' inherits from unknown style '%s'", st->name, parent);
      ok = false;
    } else if (resolve_style(L, styles, j, state)) {
      *st = ds->styles[j];
      st->name = styles->keys[i]->value;
      st->span = tg_ynode_span(styles->keys[i]);
    } else {
      ok = false;
    }
  }
  tg_yget_string(m, "font", false, &st->font, L->d);
  int w;
  if (tg_yget_enum(m, "weight", false, WEIGHT_NAMES, N(WEIGHT_NAMES), &w, L->d))
    st->weight = w ? 700 : 400;
  tg_yget_length(m, "size", false, 4.0, 144.0, &st->size_pt, L->d);
  tg_yget_number(m, "line-height", false, 0.8, 4.0, &st->line_height, L->d);
  int a;
  if (tg_yget_enum(m, "align", false, ALIGN_NAMES, N(ALIGN_NAMES), &a, L->d)) st->align = a;
  tg_yget_color(m, "color", false, &st->color, L->d);
  tg_yget_bool(m, "hanging-punctuation", false, &st->hanging_punctuation, L->d);
  tg_yget_length(m, "ruby-size", false, 3.0, 72.0, &st->ruby_size_pt, L->d);
  static const char *const BREAKS[] = {"normal", "spaces"};
  int lb;
  if (tg_yget_enum(m, "line-break", false, BREAKS, N(BREAKS), &lb, L->d)) st->line_break = lb;
  char what[160];
  g_snprintf(what, sizeof what, "style '%s'", st->name);
  tg_ycheck_keys(m, what, STYLE_KEYS, N(STYLE_KEYS), L->d);
  state[i] = 2;
  return ok;
}

static void load_styles(loader *L, tg_ynode *root) {
  tg_ynode *styles = tg_yget_map(root, "styles", false, L->d);
  if (!styles) return;
  tg_design *ds = L->design;
  ds->nstyles = styles->n;
  ds->styles = alloc(L, (styles->n + 1) * sizeof *ds->styles);
  int *state = g_new0(int, styles->n + 1);
  for (size_t i = 0; i < styles->n; i++) {
    if (!tg_yexpect_map(styles->vals[i], "a style", L->d)) {
      ds->styles[i] = DEFAULT_STYLE;
      ds->styles[i].name = styles->keys[i]->value;
      state[i] = 2;
      continue;
    }
    resolve_style(L, styles, i, state);
  }
  g_free(state);
}

const tg_style *tg_design_find_style(const tg_design *ds, const char *name) {
  for (size_t i = 0; i < ds->nstyles; i++)
    if (strcmp(ds->styles[i].name, name) == 0) return &ds->styles[i];
  return NULL;
}

/* The style named under `key`, or the design's "body" style, or the default. */
static const tg_style *get_style(loader *L, tg_ynode *m, const char *key) {
  const char *name = NULL;
  if (!tg_yget_string(m, key, false, &name, L->d)) {
    const tg_style *body = tg_design_find_style(L->design, "body");
    return body ? body : &DEFAULT_STYLE;
  }
  const tg_style *st = tg_design_find_style(L->design, name);
  if (st) return st;
  tg_ynode *n = tg_ymap_get(m, key);
  tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-style", tg_ynode_span(n),
             "unknown style '%s'", name);
  const char **names = g_new(const char *, L->design->nstyles + 1);
  for (size_t i = 0; i < L->design->nstyles; i++) names[i] = L->design->styles[i].name;
  const char *s = tg_suggest(name, names, L->design->nstyles);
  if (s) tg_diag_hint(L->d, "did you mean '%s'?", s);
  g_free(names);
  return &DEFAULT_STYLE;
}

/* ---- texts ---------------------------------------------------------------- */

static void text_from_node(loader *L, tg_ynode *n, tg_text *t) {
  t->text = n->value;
  t->node = n;
  t->slot = (int)L->texts->len;
  g_ptr_array_add(L->texts, t);
}

static bool get_text(loader *L, tg_ynode *m, const char *key, bool required, tg_text *t) {
  tg_ynode *n = tg_ymap_get(m, key);
  const char *dummy;
  if (!tg_yget_string(m, key, required, &dummy, L->d)) {
    t->text = NULL;
    t->slot = -1;
    return false;
  }
  text_from_node(L, n, t);
  return true;
}

/* A text with a default used when the key is absent (the address block). */
static void get_text_or(loader *L, tg_ynode *m, const char *key, const char *dflt, tg_text *t) {
  if (tg_ymap_get(m, key)) {
    get_text(L, m, key, false, t);
    return;
  }
  /* the default points at the block itself for error locations */
  t->text = dflt;
  t->node = m;
  t->slot = (int)L->texts->len;
  g_ptr_array_add(L->texts, t);
}

tg_span tg_text_span(const tg_text *t, size_t off, size_t len) {
  const tg_ynode *n = t->node;
  if (!n) return TG_SPAN_NONE;
  if (n->type != TG_Y_SCALAR || n->value != t->text) return tg_ynode_span(n);
  return tg_ynode_value_span(n, off, len);
}

/* ---- blocks ----------------------------------------------------------------- */

static void check_inside_page(loader *L, tg_block *b, tg_ynode *m) {
  tg_design *ds = L->design;
  double w = b->width_pt, h = b->height_pt;
  const double eps = 1e-6;
  if (b->x_pt + w > ds->page_width_pt + eps || b->y_pt + h > ds->page_height_pt + eps) {
    tg_ynode *at = tg_ymap_get(m, b->x_pt + w > ds->page_width_pt + eps ? "x" : "y");
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.off-page", tg_ynode_span(at ? at : m),
               "%s '%s' extends beyond the page (%.1fmm x %.1fmm)", tg_block_type_name(b->type),
               b->name, tg_pt_to_mm(ds->page_width_pt), tg_pt_to_mm(ds->page_height_pt));
  }
}

static void load_position(loader *L, tg_block *b, tg_ynode *m) {
  tg_design *ds = L->design;
  tg_yget_length(m, "x", true, 0, ds->page_width_pt, &b->x_pt, L->d);
  tg_yget_length(m, "y", true, 0, ds->page_height_pt, &b->y_pt, L->d);
}

static void load_text_block(loader *L, tg_block *b, tg_ynode *m) {
  load_position(L, b, m);
  tg_yget_length(m, "width", true, 1, MAX_LEN_PT, &b->width_pt, L->d);
  tg_yget_length(m, "height", false, 1, MAX_LEN_PT, &b->height_pt, L->d);
  b->style = get_style(L, m, "style");
  get_text(L, m, "text", true, &b->u.text.text);
  int ov;
  b->u.text.overflow = TG_OVERFLOW_FAIL;
  if (tg_yget_enum(m, "overflow", false, OVERFLOW_NAMES, N(OVERFLOW_NAMES), &ov, L->d))
    b->u.text.overflow = ov;
  b->u.text.min_size_pt = b->style->size_pt;
  if (tg_yget_length(m, "min-size", false, 4.0, 144.0, &b->u.text.min_size_pt, L->d) &&
      b->u.text.overflow != TG_OVERFLOW_SHRINK) {
    tg_diag_at(L->d, TG_WARNING, TG_KIND_SCHEMA, "design.min-size-unused",
               tg_ynode_span(tg_ymap_get_key(m, "min-size")),
               "min-size has no effect unless overflow is 'shrink'");
  }
  if (b->u.text.overflow == TG_OVERFLOW_SHRINK && b->height_pt <= 0) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.shrink-needs-height",
               tg_ynode_span(tg_ymap_get(m, "overflow")),
               "overflow 'shrink' needs a frame height to shrink into");
  }
  tg_ycheck_keys(m, "text block", TEXT_KEYS, N(TEXT_KEYS), L->d);
}

static void load_box(loader *L, tg_block *b, tg_ynode *m) {
  load_position(L, b, m);
  tg_yget_length(m, "width", true, 0.1, MAX_LEN_PT, &b->width_pt, L->d);
  tg_yget_length(m, "height", true, 0.1, MAX_LEN_PT, &b->height_pt, L->d);
  b->u.box.stroke_pt = 0.5;
  b->u.box.stroke = 0x000000FF;
  b->u.box.fill = 0;
  tg_yget_length(m, "stroke", false, 0, 20, &b->u.box.stroke_pt, L->d);
  tg_yget_color(m, "stroke-color", false, &b->u.box.stroke, L->d);
  tg_yget_color(m, "fill", false, &b->u.box.fill, L->d);
  tg_yget_length(m, "radius", false, 0, 100, &b->u.box.radius_pt, L->d);
  tg_ycheck_keys(m, "box", BOX_KEYS, N(BOX_KEYS), L->d);
}

static void load_rule(loader *L, tg_block *b, tg_ynode *m) {
  load_position(L, b, m);
  bool has_w = tg_yget_length(m, "width", false, 0.1, MAX_LEN_PT, &b->width_pt, L->d);
  bool has_h = tg_yget_length(m, "height", false, 0.1, MAX_LEN_PT, &b->height_pt, L->d);
  if (has_w == has_h) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.rule-direction", tg_ynode_span(m),
               "a rule needs exactly one of 'width' (horizontal) or 'height' (vertical)");
  }
  b->u.rule.x2_pt = b->x_pt + (has_w ? b->width_pt : 0);
  b->u.rule.y2_pt = b->y_pt + (has_h ? b->height_pt : 0);
  b->u.rule.stroke_pt = 0.5;
  b->u.rule.color = 0x000000FF;
  tg_yget_length(m, "stroke", false, 0.05, 20, &b->u.rule.stroke_pt, L->d);
  tg_yget_color(m, "color", false, &b->u.rule.color, L->d);
  tg_yget_bool(m, "dashed", false, &b->u.rule.dashed, L->d);
  tg_ycheck_keys(m, "rule", RULE_KEYS, N(RULE_KEYS), L->d);
}

static void load_qr(loader *L, tg_block *b, tg_ynode *m) {
  load_position(L, b, m);
  tg_yget_length(m, "size", true, tg_mm_to_pt(5), tg_mm_to_pt(150), &b->u.qr.size_pt, L->d);
  b->width_pt = b->height_pt = b->u.qr.size_pt;
  get_text(L, m, "data", true, &b->u.qr.data);
  int ecc = TG_QR_ECC_M;
  tg_yget_enum(m, "ecc", false, ECC_NAMES, N(ECC_NAMES), &ecc, L->d);
  b->u.qr.ecc = ecc;
  tg_ycheck_keys(m, "qr block", QR_KEYS, N(QR_KEYS), L->d);
}

static void load_table(loader *L, tg_block *b, tg_ynode *m) {
  load_position(L, b, m);
  b->style = get_style(L, m, "style");
  b->u.table.header_style = tg_ymap_get(m, "header-style") ? get_style(L, m, "header-style")
                                                           : b->style;
  b->u.table.header_fill = 0xEBEBEBFF;
  b->u.table.stroke_pt = 0.5;
  b->u.table.padding_pt = tg_mm_to_pt(1.5);
  tg_yget_color(m, "header-fill", false, &b->u.table.header_fill, L->d);
  tg_yget_length(m, "stroke", false, 0, 10, &b->u.table.stroke_pt, L->d);
  tg_yget_length(m, "padding", false, 0, 50, &b->u.table.padding_pt, L->d);

  tg_ynode *cols = tg_yget_seq(m, "columns", true, L->d);
  tg_ynode *header = tg_yget_seq(m, "header", false, L->d);
  tg_ynode *rows = tg_yget_seq(m, "rows", true, L->d);
  tg_ycheck_keys(m, "table", TABLE_KEYS, N(TABLE_KEYS), L->d);
  if (!cols || !rows) return;
  if (cols->n == 0) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.table-empty", tg_ynode_span(cols),
               "a table needs at least one column");
    return;
  }
  size_t nc = cols->n;
  b->u.table.ncols = nc;
  b->u.table.cols = alloc(L, nc * sizeof *b->u.table.cols);
  double total = 0;
  for (size_t i = 0; i < nc; i++) {
    tg_ynode *c = cols->vals[i];
    tg_table_column *col = &b->u.table.cols[i];
    col->width_pt = tg_mm_to_pt(30);
    col->align = b->style->align == TG_ALIGN_JUSTIFY ? TG_ALIGN_LEFT : b->style->align;
    if (!tg_yexpect_map(c, "a table column", L->d)) continue;
    tg_yget_length(c, "width", true, 1, MAX_LEN_PT, &col->width_pt, L->d);
    int a;
    if (tg_yget_enum(c, "align", false, ALIGN_NAMES, N(ALIGN_NAMES), &a, L->d)) col->align = a;
    tg_ycheck_keys(c, "table column", COLUMN_KEYS, N(COLUMN_KEYS), L->d);
    total += col->width_pt;
  }
  b->width_pt = total;
  b->u.table.header = header != NULL;
  size_t nr = rows->n + (header ? 1 : 0);
  b->u.table.nrows = nr;
  b->u.table.cells = alloc(L, nr * nc * sizeof *b->u.table.cells);
  for (size_t r = 0; r < nr; r++) {
    tg_ynode *row = header ? (r == 0 ? header : rows->vals[r - 1]) : rows->vals[r];
    if (row->type != TG_Y_SEQ) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(row),
                 "a table row must be a list of cells");
      continue;
    }
    if (row->n != nc) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.table-cells", tg_ynode_span(row),
                 "this row has %zu cells but the table has %zu columns", row->n, nc);
      continue;
    }
    for (size_t c = 0; c < nc; c++) {
      const char *dummy;
      if (tg_ynode_string(row->vals[c], "table cell", &dummy, L->d))
        text_from_node(L, row->vals[c], &b->u.table.cells[r * nc + c]);
    }
  }
}

static void load_address(loader *L, tg_block *b, tg_ynode *m) {
  load_position(L, b, m);
  tg_yget_length(m, "width", true, 10, MAX_LEN_PT, &b->width_pt, L->d);
  b->style = get_style(L, m, "style");
  b->u.address.name_style = tg_ymap_get(m, "name-style") ? get_style(L, m, "name-style")
                                                         : b->style;
  get_text_or(L, m, "postal", "{{郵便番号}}", &b->u.address.postal);
  get_text_or(L, m, "address", "{{住所}}", &b->u.address.address);
  get_text_or(L, m, "recipient", "{{氏名}}", &b->u.address.name);
  b->u.address.honorific = "様";
  tg_yget_string(m, "honorific", false, &b->u.address.honorific, L->d);
  long lines = 3;
  tg_yget_int(m, "max-address-lines", false, 1, 6, &lines, L->d);
  b->u.address.max_address_lines = (size_t)lines;
  b->u.address.min_size_pt = b->style->size_pt < 8 ? b->style->size_pt : 8;
  tg_yget_length(m, "min-size", false, 4.0, b->style->size_pt, &b->u.address.min_size_pt, L->d);
  tg_ycheck_keys(m, "address block", ADDRESS_KEYS, N(ADDRESS_KEYS), L->d);
}

static void load_block(loader *L, tg_block *b, tg_ynode *m, size_t index) {
  b->span = tg_ynode_span(m);
  int t;
  if (!tg_yget_enum(m, "type", true, BLOCK_TYPES, N(BLOCK_TYPES), &t, L->d)) {
    b->type = (tg_block_type)-1;
    return;
  }
  b->type = t;
  if (!tg_yget_string(m, "name", false, &b->name, L->d))
    b->name = tg_arena_strndup(L->arena, "", 0);
  if (!*b->name) {
    char buf[64];
    g_snprintf(buf, sizeof buf, "%s#%d.%zu", BLOCK_TYPES[t], L->page_no, index + 1);
    b->name = tg_arena_strndup(L->arena, buf, strlen(buf));
  }
  switch (b->type) {
  case TG_BLOCK_TEXT: load_text_block(L, b, m); break;
  case TG_BLOCK_BOX: load_box(L, b, m); break;
  case TG_BLOCK_RULE: load_rule(L, b, m); break;
  case TG_BLOCK_QR: load_qr(L, b, m); break;
  case TG_BLOCK_TABLE: load_table(L, b, m); break;
  case TG_BLOCK_ADDRESS: load_address(L, b, m); break;
  }
  check_inside_page(L, b, m);
}

/* ---- top level ------------------------------------------------------------------ */

static void load_page_size(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  ds->page_width_pt = tg_mm_to_pt(210);
  ds->page_height_pt = tg_mm_to_pt(297);
  tg_ynode *page = tg_yget_map(root, "page", false, L->d);
  if (!page) return;
  static const char *const SIZES[] = {"A4", "A5", "B5", "A3"};
  static const double DIMS[][2] = {{210, 297}, {148, 210}, {182, 257}, {297, 420}};
  int s;
  if (tg_yget_enum(page, "size", false, SIZES, N(SIZES), &s, L->d)) {
    ds->page_width_pt = tg_mm_to_pt(DIMS[s][0]);
    ds->page_height_pt = tg_mm_to_pt(DIMS[s][1]);
  }
  tg_yget_length(page, "width", false, tg_mm_to_pt(50), tg_mm_to_pt(1000), &ds->page_width_pt,
                 L->d);
  tg_yget_length(page, "height", false, tg_mm_to_pt(50), tg_mm_to_pt(1000), &ds->page_height_pt,
                 L->d);
  tg_ycheck_keys(page, "page", PAGE_KEYS, N(PAGE_KEYS), L->d);
}

static void load_pages(loader *L, tg_ynode *root) {
  tg_design *ds = L->design;
  tg_ynode *pages = tg_yget_seq(root, "pages", true, L->d);
  if (!pages) return;
  if (pages->n == 0) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.no-pages", tg_ynode_span(pages),
               "a design needs at least one page");
    return;
  }
  ds->npages = pages->n;
  ds->pages = alloc(L, pages->n * sizeof *ds->pages);
  for (size_t p = 0; p < pages->n; p++) {
    L->page_no = (int)p + 1;
    tg_ynode *pm = pages->vals[p];
    if (!tg_yexpect_map(pm, "a page", L->d)) continue;
    tg_ynode *blocks = tg_yget_seq(pm, "blocks", true, L->d);
    tg_ycheck_keys(pm, "page", PAGE_ITEM_KEYS, N(PAGE_ITEM_KEYS), L->d);
    if (!blocks) continue;
    ds->pages[p].nblocks = blocks->n;
    ds->pages[p].blocks = alloc(L, (blocks->n + 1) * sizeof(tg_block));
    for (size_t i = 0; i < blocks->n; i++) {
      if (!tg_yexpect_map(blocks->vals[i], "a block", L->d)) {
        ds->pages[p].blocks[i].type = (tg_block_type)-1;
        continue;
      }
      load_block(L, &ds->pages[p].blocks[i], blocks->vals[i], i);
    }
  }
}

tg_design *tg_design_load_text(const char *name, const char *text, size_t len, tg_diag *d) {
  tg_source *src = tg_source_new(name, text, len);
  tg_ydoc *doc = tg_ydoc_parse(src, d);
  if (!doc) {
    tg_source_free(src);
    return NULL;
  }
  tg_ynode *root = tg_ydoc_get_root(doc);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  design_impl *impl = g_new0(design_impl, 1);
  impl->src = src;
  impl->doc = doc;
  impl->arena = tg_arena_new(16 * 1024);
  loader L = {.design = &impl->pub, .arena = impl->arena, .texts = g_ptr_array_new(), .d = d};
  tg_design *ds = &impl->pub;
  ds->path = tg_source_get_name(src);
  if (tg_yexpect_map(root, "a design", d)) {
    const char *kind = NULL;
    if (tg_yget_string(root, "kind", true, &kind, d) && strcmp(kind, "design") != 0) {
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "design.kind",
                 tg_ynode_span(tg_ymap_get(root, "kind")),
                 "this file is a '%s', not a design (expected kind: design)", kind);
    }
    ds->name = "";
    tg_yget_string(root, "name", false, &ds->name, d);
    load_page_size(&L, root);
    load_styles(&L, root);
    load_pages(&L, root);
    tg_ycheck_keys(root, "the design", TOP_KEYS, N(TOP_KEYS), d);
  }
  ds->ntexts = L.texts->len;
  ds->texts = alloc(&L, (L.texts->len + 1) * sizeof *ds->texts);
  if (L.texts->len) memcpy(ds->texts, L.texts->pdata, L.texts->len * sizeof *ds->texts);
  g_ptr_array_free(L.texts, TRUE);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_design_free(ds);
    return NULL;
  }
  return ds;
}

tg_design *tg_design_load(const char *path, tg_diag *d) {
  tg_source *src = tg_source_load(path, MAX_DESIGN_BYTES, d);
  if (!src) return NULL;
  tg_design *ds = tg_design_load_text(path, tg_source_get_text(src), tg_source_get_length(src), d);
  tg_source_free(src);
  return ds;
}

void tg_design_free(tg_design *ds) {
  if (!ds) return;
  design_impl *impl = (design_impl *)ds;
  tg_ydoc_free(impl->doc);
  tg_source_free(impl->src);
  tg_arena_free(impl->arena);
  g_free(impl);
}

const char *tg_block_type_name(tg_block_type t) {
  if ((unsigned)t < N(BLOCK_TYPES)) return BLOCK_TYPES[t];
  return "block";
}
