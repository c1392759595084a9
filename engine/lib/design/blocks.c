/* blocks.c — reading design blocks: one YAML mapping → one or more tg_block.
 *
 * A block entry may `use:` a named block (from the design's `blocks:` or an
 * included file) and override some of its keys.  It may be limited to some
 * variants, segments or experiment arms (`variants:`, `segments:`, `arms:`), shown only when a rule
 * holds (`when:`), and contain values that differ per variant or segment;
 * then it is read once per variant/segment (select.c) and each copy carries
 * the masks of the letters it belongs to.  Copies report shared mistakes
 * once.  Every block type has its reader here; geometry that cannot work
 * (a frame off the page, a flow child wider than its flow) is reported at
 * the key that causes it.
 */
#include "design/design_private.h"

#include <stdio.h>
#include <string.h>

static const char *const BLOCK_TYPES[] = {"text", "box",   "rule",    "qr",    "table",  "address",
                                          "flow", "image", "barcode", "chart", "sender", "indicia"};
static const char *const ALIGN_NAMES[] = {"left", "center", "right", "justify"};
static const char *const ECC_NAMES[] = {"L", "M", "Q", "H"};
static const char *const OVERFLOW_NAMES[] = {"fail", "shrink"};

/* Keys every block has, then the keys of each type (position keys apart). */
static const char *const COMMON_KEYS[] = {"type",     "name", "when",         "variants",
                                          "segments", "arms", "easy-japanese"};
static const char *const TEXT_KEYS[] = {"width",    "height",   "style", "text",
                                        "overflow", "min-size", "ruby"};
static const char *const BOX_KEYS[] = {"width",        "height", "stroke",
                                       "stroke-color", "fill",   "radius"};
static const char *const RULE_KEYS[] = {"width", "height", "stroke", "color", "dashed"};
static const char *const QR_KEYS[] = {"size", "data", "ecc"};
static const char *const TABLE_KEYS[] = {"style",        "columns",     "header",   "rows",
                                         "header-style", "header-fill", "stroke",   "padding",
                                         "height",       "overflow",    "min-size", "ruby"};
static const char *const COLUMN_KEYS[] = {"width", "align"};
static const char *const ROW_KEYS[] = {"cells", "when"};
static const char *const ADDRESS_KEYS[] = {
    "width",     "style",     "name-style",        "postal",   "address",
    "recipient", "honorific", "max-address-lines", "min-size", "barcode"};
static const char *const FLOW_KEYS[] = {"width",    "height",   "style",  "gap",
                                        "overflow", "min-size", "blocks", "ruby"};
static const char *const IMAGE_KEYS[] = {"file", "width", "height"};
static const char *const BARCODE_KEYS[] = {"size", "postal", "address"};
static const char *const CHART_KEYS[] = {"chart", "width", "height", "values"};
static const char *const INDICIA_KEYS[] = {"payment", "shape", "size",
                                           "office",  "style", "delay-accepted"};

typedef struct {
  const char *const *keys;
  size_t n;
} keyset;

static const keyset TYPE_KEYS[] = {
    {TEXT_KEYS, N(TEXT_KEYS)},   {BOX_KEYS, N(BOX_KEYS)},     {RULE_KEYS, N(RULE_KEYS)},
    {QR_KEYS, N(QR_KEYS)},       {TABLE_KEYS, N(TABLE_KEYS)}, {ADDRESS_KEYS, N(ADDRESS_KEYS)},
    {FLOW_KEYS, N(FLOW_KEYS)},   {IMAGE_KEYS, N(IMAGE_KEYS)}, {BARCODE_KEYS, N(BARCODE_KEYS)},
    {CHART_KEYS, N(CHART_KEYS)}, {TEXT_KEYS, N(TEXT_KEYS)},   {INDICIA_KEYS, N(INDICIA_KEYS)},
};

bool design_block_key_known(const char *key) {
  static const char *const MORE[] = {"x", "y", "space-before", "use", "align"};
  for (size_t i = 0; i < N(COMMON_KEYS); i++)
    if (strcmp(COMMON_KEYS[i], key) == 0) return true;
  for (size_t i = 0; i < N(MORE); i++)
    if (strcmp(MORE[i], key) == 0) return true;
  for (size_t t = 0; t < N(TYPE_KEYS); t++)
    for (size_t i = 0; i < TYPE_KEYS[t].n; i++)
      if (strcmp(TYPE_KEYS[t].keys[i], key) == 0) return true;
  return false;
}

const char *tg_block_type_name(tg_block_type t) {
  if ((unsigned)t < N(BLOCK_TYPES)) return BLOCK_TYPES[t];
  return "block";
}

static void check_keys(loader *L, tg_block *b, tg_ynode *m, bool in_flow) {
  const keyset *ks = &TYPE_KEYS[b->type];
  const char *keys[32];
  size_t n = 0;
  for (size_t i = 0; i < N(COMMON_KEYS); i++)
    keys[n++] = COMMON_KEYS[i];
  keys[n++] = "x";
  keys[n++] = "y"; /* in a flow, reported apart */
  if (in_flow) keys[n++] = "space-before";
  for (size_t i = 0; i < ks->n; i++)
    keys[n++] = ks->keys[i];
  char what[64];
  g_snprintf(what, sizeof what, _("%s block"), BLOCK_TYPES[b->type]);
  tg_ycheck_keys(m, what, keys, n, L->d);
}

/* ---- geometry ------------------------------------------------------------------------- */

static void check_inside_page(loader *L, tg_block *b, tg_ynode *m) {
  tg_design *ds = L->design;
  double w = b->width_pt, h = b->height_pt;
  const double eps = 1e-6;
  if (b->x_pt + w > ds->page_width_pt + eps || b->y_pt + h > ds->page_height_pt + eps) {
    bool wide = b->x_pt + w > ds->page_width_pt + eps;
    tg_ynode *at = tg_ymap_get(m, wide ? "x" : "y");
    if (!at) at = tg_ymap_get(m, wide ? "width" : "height");
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.off-page", tg_ynode_span(at ? at : m),
               "%s '%s' extends beyond the page (%.1fmm x %.1fmm)", tg_block_type_name(b->type),
               b->name, tg_pt_to_mm(ds->page_width_pt), tg_pt_to_mm(ds->page_height_pt));
  }
}

/* x/y on the page, or in a flow: an indent and no y (the flow places it). */
static void load_position(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  tg_design *ds = L->design;
  if (flow) {
    tg_yget_length(m, "x", false, 0, flow->width_pt, &b->x_pt, L->d);
    tg_yget_length(m, "space-before", false, 0, MAX_LEN_PT, &b->space_before_pt, L->d);
    if (tg_ymap_get(m, "y")) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.flow-position",
                 tg_ynode_span(tg_ymap_get_key(m, "y")),
                 "a block in a flow has no 'y': the flow places its blocks one after another");
      tg_diag_hint(L->d, "use 'space-before' for extra room above it");
    }
    return;
  }
  tg_yget_length(m, "x", true, 0, ds->page_width_pt, &b->x_pt, L->d);
  tg_yget_length(m, "y", true, 0, ds->page_height_pt, &b->y_pt, L->d);
}

/* The width of a block: required on the page, the rest of the flow in one. */
static void load_width(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow, double min_pt) {
  if (flow) {
    b->width_pt = flow->width_pt - b->x_pt;
    if (tg_yget_length(m, "width", false, min_pt, MAX_LEN_PT, &b->width_pt, L->d) &&
        b->x_pt + b->width_pt > flow->width_pt + 1e-6)
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.flow-width",
                 tg_ynode_span(tg_ymap_get(m, "width")),
                 "%s '%s' is wider than its flow '%s' (%.1fmm)", tg_block_type_name(b->type),
                 b->name, flow->name, tg_pt_to_mm(flow->width_pt));
    return;
  }
  tg_yget_length(m, "width", true, min_pt, MAX_LEN_PT, &b->width_pt, L->d);
}

static void load_overflow(loader *L, tg_ynode *m, double height_pt, double size_pt,
                          tg_overflow *policy, double *min_size) {
  int ov;
  *policy = TG_OVERFLOW_FAIL;
  if (tg_yget_enum(m, "overflow", false, OVERFLOW_NAMES, N(OVERFLOW_NAMES), &ov, L->d))
    *policy = ov;
  *min_size = size_pt;
  if (tg_yget_length(m, "min-size", false, 4.0, 144.0, min_size, L->d)) {
    if (*policy != TG_OVERFLOW_SHRINK)
      tg_diag_at(L->d, TG_WARNING, TG_KIND_SCHEMA, "design.min-size-unused",
                 tg_ynode_span(tg_ymap_get_key(m, "min-size")),
                 "min-size has no effect unless overflow is 'shrink'");
    else if (*min_size > size_pt + 1e-9)
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.min-size",
                 tg_ynode_span(tg_ymap_get(m, "min-size")),
                 "min-size is larger than the style's size (%gpt)", size_pt);
  }
  if (*policy == TG_OVERFLOW_SHRINK && height_pt <= 0)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.shrink-needs-height",
               tg_ynode_span(tg_ymap_get(m, "overflow")),
               "overflow 'shrink' needs a frame height to shrink into");
}

/* Where the ruby of a block's texts comes from: its own `ruby:`, else the
 * enclosing flow's, else its style's. */
static tg_ruby_mode ruby_mode(loader *L, tg_ynode *m, const tg_style *st) {
  tg_ruby_mode mode = L->flow_ruby >= 0 ? (tg_ruby_mode)L->flow_ruby : st->ruby;
  design_get_ruby_mode(L, m, &mode);
  return mode;
}

/* ---- block types ---------------------------------------------------------------------- */

static void load_text_block(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  load_width(L, b, m, flow, 1);
  tg_yget_length(m, "height", false, 1, MAX_LEN_PT, &b->height_pt, L->d);
  b->style = design_get_style(L, m, "style");
  design_get_text(L, m, "text", true, TG_TEXT_RICH, &b->u.text.text);
  b->u.text.text.ruby = ruby_mode(L, m, b->style);
  load_overflow(L, m, b->height_pt, b->style->size_pt, &b->u.text.overflow, &b->u.text.min_size_pt);
}

/* The sender lines of the municipality (docs/design-format.md): optional
 * lines are left out when the job does not give them. */
static const char SENDER_TEXT[] = "{{municipality.name}}　{{sender.department}}\n"
                                  "{{#if sender.section}}\n{{sender.section}}\n{{/if}}\n"
                                  "{{#if sender.address}}\n"
                                  "{{#if sender.postal}}〒{{sender.postal | postal}}　{{/if}}"
                                  "{{sender.address}}\n{{/if}}\n"
                                  "{{#if sender.phone}}\n電話 {{sender.phone}}"
                                  "{{#if sender.hours}}（{{sender.hours}}）{{/if}}\n{{/if}}\n";

static void load_sender(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  load_width(L, b, m, flow, 1);
  tg_yget_length(m, "height", false, 1, MAX_LEN_PT, &b->height_pt, L->d);
  b->style = design_get_style(L, m, "style");
  if (!design_get_text(L, m, "text", false, TG_TEXT_RICH, &b->u.text.text) &&
      !tg_ymap_get(m, "text"))
    design_text_default(L, m, SENDER_TEXT, TG_TEXT_RICH, &b->u.text.text);
  b->u.text.text.ruby = ruby_mode(L, m, b->style);
  load_overflow(L, m, b->height_pt, b->style->size_pt, &b->u.text.overflow, &b->u.text.min_size_pt);
}

/* 料金後納 / 料金別納 [domain.md B.3]: a circle or square of 20–30 mm, the
 * office name in its upper part, the payment words below. */
static void load_indicia(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  static const char *const PAYMENTS[] = {"後納", "別納"};
  static const char *const SHAPES[] = {"circle", "square"};
  int pay = 0, shape = 0;
  tg_yget_enum(m, "payment", false, PAYMENTS, N(PAYMENTS), &pay, L->d);
  tg_yget_enum(m, "shape", false, SHAPES, N(SHAPES), &shape, L->d);
  b->u.indicia.separate = pay == 1;
  b->u.indicia.square = shape == 1;
  b->width_pt = tg_mm_to_pt(22);
  tg_yget_length(m, "size", false, tg_mm_to_pt(20), tg_mm_to_pt(30), &b->width_pt, L->d);
  b->height_pt = b->width_pt;
  b->style = design_get_style(L, m, "style");
  if (!design_get_text(L, m, "office", false, TG_TEXT_PLAIN, &b->u.indicia.office) &&
      !tg_ymap_get(m, "office"))
    design_text_default(L, m, "", TG_TEXT_PLAIN, &b->u.indicia.office);
  tg_yget_bool(m, "delay-accepted", false, &b->u.indicia.delay, L->d);
  if (b->u.indicia.delay && !tg_ymap_get(m, "office"))
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.indicia-office",
               tg_ynode_span(tg_ymap_get_key(m, "delay-accepted")),
               "the double line of 'delay-accepted' goes under the office name: give 'office'");
}

static void load_box(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  load_width(L, b, m, flow, 0.1);
  tg_yget_length(m, "height", true, 0.1, MAX_LEN_PT, &b->height_pt, L->d);
  b->u.box.stroke_pt = 0.5;
  b->u.box.stroke = 0x000000FF;
  b->u.box.fill = 0;
  tg_yget_length(m, "stroke", false, 0, 20, &b->u.box.stroke_pt, L->d);
  design_get_color(L, m, "stroke-color", &b->u.box.stroke);
  design_get_color(L, m, "fill", &b->u.box.fill);
  tg_yget_length(m, "radius", false, 0, 100, &b->u.box.radius_pt, L->d);
}

static void load_rule(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  bool has_w, has_h;
  if (flow) {
    load_width(L, b, m, flow, 0.1);
    has_w = true;
    has_h = tg_ymap_get(m, "height") != NULL;
    if (has_h)
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.rule-direction",
                 tg_ynode_span(tg_ymap_get_key(m, "height")),
                 "a rule in a flow is horizontal: it takes a 'width', not a 'height'");
  } else {
    has_w = tg_yget_length(m, "width", false, 0.1, MAX_LEN_PT, &b->width_pt, L->d);
    has_h = tg_yget_length(m, "height", false, 0.1, MAX_LEN_PT, &b->height_pt, L->d);
    if (has_w == has_h)
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.rule-direction", tg_ynode_span(m),
                 "a rule needs exactly one of 'width' (horizontal) or 'height' (vertical)");
  }
  b->u.rule.x2_pt = b->x_pt + (has_w ? b->width_pt : 0);
  b->u.rule.y2_pt = b->y_pt + (has_h && !flow ? b->height_pt : 0);
  b->u.rule.stroke_pt = 0.5;
  b->u.rule.color = 0x000000FF;
  tg_yget_length(m, "stroke", false, 0.05, 20, &b->u.rule.stroke_pt, L->d);
  design_get_color(L, m, "color", &b->u.rule.color);
  tg_yget_bool(m, "dashed", false, &b->u.rule.dashed, L->d);
  if (flow) b->height_pt = b->u.rule.stroke_pt;
}

static void load_qr(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  tg_yget_length(m, "size", true, tg_mm_to_pt(5), tg_mm_to_pt(150), &b->u.qr.size_pt, L->d);
  b->width_pt = b->height_pt = b->u.qr.size_pt;
  design_get_text(L, m, "data", true, TG_TEXT_PLAIN, &b->u.qr.data);
  int ecc = TG_QR_ECC_M;
  tg_yget_enum(m, "ecc", false, ECC_NAMES, N(ECC_NAMES), &ecc, L->d);
  b->u.qr.ecc = ecc;
  if (flow && b->x_pt + b->width_pt > flow->width_pt + 1e-6)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.flow-width",
               tg_ynode_span(tg_ymap_get(m, "size")), "qr '%s' is wider than its flow '%s'",
               b->name, flow->name);
}

static void load_table(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  b->style = design_get_style(L, m, "style");
  b->u.table.header_style =
      tg_ymap_get(m, "header-style") ? design_get_style(L, m, "header-style") : b->style;
  b->u.table.header_fill = 0xEBEBEBFF;
  b->u.table.stroke_pt = 0.5;
  b->u.table.padding_pt = tg_mm_to_pt(1.5);
  design_get_color(L, m, "header-fill", &b->u.table.header_fill);
  tg_yget_length(m, "stroke", false, 0, 10, &b->u.table.stroke_pt, L->d);
  tg_yget_length(m, "padding", false, 0, 50, &b->u.table.padding_pt, L->d);
  tg_yget_length(m, "height", false, 1, MAX_LEN_PT, &b->height_pt, L->d);
  load_overflow(L, m, b->height_pt, b->style->size_pt, &b->u.table.overflow,
                &b->u.table.min_size_pt);

  tg_ynode *cols = tg_yget_seq(m, "columns", true, L->d);
  tg_ynode *header = tg_yget_seq(m, "header", false, L->d);
  tg_ynode *rows = tg_yget_seq(m, "rows", true, L->d);
  if (!cols || !rows) return;
  if (cols->n == 0) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.table-empty", tg_ynode_span(cols),
               "a table needs at least one column");
    return;
  }
  size_t nc = cols->n;
  b->u.table.ncols = nc;
  b->u.table.cols = design_alloc(L, nc * sizeof *b->u.table.cols);
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
  if (flow && b->x_pt + total > flow->width_pt + 1e-6)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.flow-width", tg_ynode_span(cols),
               "table '%s' is wider than its flow '%s': its columns add up to %.1fmm, the flow "
               "has %.1fmm",
               b->name, flow->name, tg_pt_to_mm(b->x_pt + total), tg_pt_to_mm(flow->width_pt));
  b->u.table.header = header != NULL;
  size_t nr = rows->n + (header ? 1 : 0);
  b->u.table.nrows = nr;
  b->u.table.cells = design_alloc(L, (nr * nc + 1) * sizeof *b->u.table.cells);
  b->u.table.row_when = design_alloc(L, (nr + 1) * sizeof *b->u.table.row_when);
  int block_guard = L->guard;
  tg_ruby_mode cell_ruby = ruby_mode(L, m, b->style);
  for (size_t r = 0; r < nr; r++) {
    tg_ynode *row = header ? (r == 0 ? header : rows->vals[r - 1]) : rows->vals[r];
    b->u.table.row_when[r].slot = -1;
    for (size_t c = 0; c < nc; c++)
      b->u.table.cells[r * nc + c].slot = -1;
    tg_ynode *cells = row;
    L->guard = block_guard;
    if (row->type == TG_Y_MAP && !(header && r == 0)) {
      /* a row shown only when its rule holds: {cells: […], when: …} */
      if (design_get_text(L, row, "when", false, TG_TEXT_CONDITION, &b->u.table.row_when[r]))
        L->guard = b->u.table.row_when[r].slot;
      cells = tg_yget_seq(row, "cells", true, L->d);
      tg_ycheck_keys(row, "table row", ROW_KEYS, N(ROW_KEYS), L->d);
      if (!cells) continue;
    }
    if (cells->type != TG_Y_SEQ) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "schema.type", tg_ynode_span(cells),
                 "a table row must be a list of cells, or {cells: […], when: …}");
      continue;
    }
    if (cells->n != nc) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.table-cells", tg_ynode_span(cells),
                 "this row has %zu cells but the table has %zu columns", cells->n, nc);
      continue;
    }
    for (size_t c = 0; c < nc; c++) {
      tg_text *cell = &b->u.table.cells[r * nc + c];
      design_text_from_node(L, cells->vals[c], "table cell", TG_TEXT_RICH, cell);
      cell->ruby = cell_ruby;
    }
  }
  L->guard = block_guard;
}

static void load_address(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  tg_yget_length(m, "width", true, 10, MAX_LEN_PT, &b->width_pt, L->d);
  b->style = design_get_style(L, m, "style");
  b->u.address.name_style =
      tg_ymap_get(m, "name-style") ? design_get_style(L, m, "name-style") : b->style;
  if (!design_get_text(L, m, "postal", false, TG_TEXT_PLAIN, &b->u.address.postal) &&
      !tg_ymap_get(m, "postal"))
    design_text_default(L, m, "{{郵便番号 | postal}}", TG_TEXT_PLAIN, &b->u.address.postal);
  if (!design_get_text(L, m, "address", false, TG_TEXT_RICH, &b->u.address.address) &&
      !tg_ymap_get(m, "address"))
    design_text_default(L, m, "{{住所}}", TG_TEXT_RICH, &b->u.address.address);
  if (!design_get_text(L, m, "recipient", false, TG_TEXT_RICH, &b->u.address.name) &&
      !tg_ymap_get(m, "recipient"))
    design_text_default(L, m, "{{氏名}}", TG_TEXT_RICH, &b->u.address.name);
  b->u.address.honorific = "様";
  tg_yget_string(m, "honorific", false, &b->u.address.honorific, L->d);
  long lines = 3;
  tg_yget_int(m, "max-address-lines", false, 1, 6, &lines, L->d);
  b->u.address.max_address_lines = (size_t)lines;
  b->u.address.min_size_pt = b->style->size_pt < 8 ? b->style->size_pt : 8;
  tg_yget_length(m, "min-size", false, 4.0, b->style->size_pt, &b->u.address.min_size_pt, L->d);
  /* the Japan Post customer barcode on its own line under the name, indented
   * like the address lines: the block (the window's printable area) must
   * hold it */
  if (tg_yget_length(m, "barcode", false, 8.0, 11.5, &b->u.address.barcode_pt, L->d) &&
      b->u.address.barcode_pt > 0) {
    double need_pt = b->style->size_pt + tg_mm_to_pt(79.85 * b->u.address.barcode_pt / 10);
    if (need_pt > b->width_pt + 1e-6) {
      tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.barcode-width",
                 tg_ynode_span(tg_ymap_get(m, "barcode")),
                 "the customer barcode at %gpt needs the address block to be %.1fmm wide, "
                 "not %.1fmm",
                 b->u.address.barcode_pt, tg_pt_to_mm(need_pt), tg_pt_to_mm(b->width_pt));
      tg_diag_hint(L->d, "widen the block, or choose a smaller barcode size (8pt–11.5pt)");
    }
  }
}

static void load_flow(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  load_width(L, b, m, flow, 10);
  tg_yget_length(m, "height", false, 1, MAX_LEN_PT, &b->height_pt, L->d);
  if (b->height_pt <= 0) b->height_pt = L->design->page_height_pt - b->y_pt; /* to the page end */
  b->style = design_get_style(L, m, "style");
  tg_yget_length(m, "gap", false, 0, MAX_LEN_PT, &b->u.flow.gap_pt, L->d);
  load_overflow(L, m, b->height_pt, b->style->size_pt, &b->u.flow.overflow, &b->u.flow.min_size_pt);
  tg_ynode *kids = tg_yget_seq(m, "blocks", true, L->d);
  if (!kids) return;
  int saved_ruby = L->flow_ruby;
  tg_ruby_mode mode;
  if (design_get_ruby_mode(L, m, &mode)) L->flow_ruby = (int)mode; /* for its children */
  GArray *out = g_array_new(FALSE, TRUE, sizeof(tg_block));
  for (size_t i = 0; i < kids->n; i++) {
    if (!tg_yexpect_map(kids->vals[i], "a block", L->d)) continue;
    design_load_block_entry(L, out, kids->vals[i], i, b);
  }
  L->flow_ruby = saved_ruby;
  b->u.flow.nchildren = out->len;
  b->u.flow.children = design_alloc(L, (out->len + 1) * sizeof(tg_block));
  if (out->len) memcpy(b->u.flow.children, out->data, out->len * sizeof(tg_block));
  g_array_free(out, TRUE);
  design_relink(L, b->u.flow.children, b->u.flow.nchildren);
}

/* PNG by its signature, SVG by an <svg element near the start. */
static bool sniff_image(const char *path, tg_image_format *fmt) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  if (n >= 8 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0) {
    *fmt = TG_IMAGE_PNG;
    return true;
  }
  for (size_t i = 0; i + 4 <= n; i++)
    if (memcmp(buf + i, "<svg", 4) == 0) {
      *fmt = TG_IMAGE_SVG;
      return true;
    }
  return false;
}

static void load_image(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  bool has_w = tg_yget_length(m, "width", false, 1, MAX_LEN_PT, &b->width_pt, L->d);
  bool has_h = tg_yget_length(m, "height", false, 1, MAX_LEN_PT, &b->height_pt, L->d);
  if (!has_w && !has_h && !tg_ymap_get(m, "width") && !tg_ymap_get(m, "height"))
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.image-size", tg_ynode_span(m),
               "an image needs a 'width', a 'height' or both (the other follows its proportions)");
  if (flow && has_w && b->x_pt + b->width_pt > flow->width_pt + 1e-6)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.flow-width",
               tg_ynode_span(tg_ymap_get(m, "width")), "image '%s' is wider than its flow '%s'",
               b->name, flow->name);
  const char *file;
  if (!tg_yget_string(m, "file", true, &file, L->d)) return;
  b->u.image.file = file;
  const char *path = design_resolve_file(L, tg_ymap_get(m, "file"), "image");
  if (!path) return;
  if (!sniff_image(path, &b->u.image.format)) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.image-format",
               tg_ynode_span(tg_ymap_get(m, "file")), "image '%s' is neither a PNG nor an SVG file",
               file);
    return;
  }
  b->u.image.path = path;
}

static void load_barcode(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  b->u.slot.kind = "customer-barcode";
  b->u.slot.size_pt = 10;
  tg_yget_length(m, "size", false, 8, 11.5, &b->u.slot.size_pt, L->d);
  /* Japan Post: 66 pitches + one bar of 1.2mm × a/10, long bars 3.6mm × a/10 */
  double a = b->u.slot.size_pt / 10;
  b->width_pt = tg_mm_to_pt(79.8 * a);
  b->height_pt = tg_mm_to_pt(3.6 * a);
  static const char *const NAMES[] = {"postal", "address"};
  b->u.slot.nvalues = 2;
  b->u.slot.names = NAMES;
  b->u.slot.values = design_alloc(L, 2 * sizeof(tg_text));
  if (!design_get_text(L, m, "postal", false, TG_TEXT_PLAIN, &b->u.slot.values[0]) &&
      !tg_ymap_get(m, "postal"))
    design_text_default(L, m, "{{郵便番号}}", TG_TEXT_PLAIN, &b->u.slot.values[0]);
  if (!design_get_text(L, m, "address", false, TG_TEXT_PLAIN, &b->u.slot.values[1]) &&
      !tg_ymap_get(m, "address"))
    design_text_default(L, m, "{{住所}}", TG_TEXT_PLAIN, &b->u.slot.values[1]);
  /* the 2mm quiet zone must be on the paper */
  const double q = tg_mm_to_pt(2);
  tg_design *ds = L->design;
  if (b->x_pt < q || b->y_pt < q || b->x_pt + b->width_pt + q > ds->page_width_pt + 1e-6 ||
      b->y_pt + b->height_pt + q > ds->page_height_pt + 1e-6)
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.barcode-quiet-zone",
               tg_ynode_span(tg_ymap_get(m, "x") ? tg_ymap_get(m, "x") : m),
               "barcode '%s' (%.1fmm x %.1fmm) needs 2mm of blank paper on every side", b->name,
               tg_pt_to_mm(b->width_pt), tg_pt_to_mm(b->height_pt));
}

static void load_chart(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow) {
  load_position(L, b, m, flow);
  load_width(L, b, m, flow, 5);
  tg_yget_length(m, "height", true, 5, MAX_LEN_PT, &b->height_pt, L->d);
  const char *kind = "";
  if (tg_yget_string(m, "chart", true, &kind, L->d) && !kind[0])
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.chart",
               tg_ynode_span(tg_ymap_get(m, "chart")),
               "'chart' names the kind of chart, such as egfr or visits");
  b->u.slot.kind = kind;
  tg_ynode *vals = tg_yget_map(m, "values", false, L->d);
  if (!vals) return;
  b->u.slot.nvalues = vals->n;
  const char **names = design_alloc(L, (vals->n + 1) * sizeof(char *));
  b->u.slot.names = names;
  b->u.slot.values = design_alloc(L, (vals->n + 1) * sizeof(tg_text));
  for (size_t i = 0; i < vals->n; i++) {
    names[i] = vals->keys[i]->value;
    design_text_from_node(L, vals->vals[i], vals->keys[i]->value, TG_TEXT_PLAIN,
                          &b->u.slot.values[i]);
  }
}

typedef void (*block_reader)(loader *L, tg_block *b, tg_ynode *m, const tg_block *flow);
static const block_reader READERS[] = {load_text_block, load_box,     load_rule,   load_qr,
                                       load_table,      load_address, load_flow,   load_image,
                                       load_barcode,    load_chart,   load_sender, load_indicia};

static bool allowed_in_flow(tg_block_type t) {
  return t != TG_BLOCK_ADDRESS && t != TG_BLOCK_FLOW && t != TG_BLOCK_BARCODE;
}

static void mark_not_for_reader(const tg_block *owner, const tg_text *t, const tg_style *st,
                                void *data) {
  (void)st, (void)data;
  ((tg_text *)t)->not_for_reader = true; /* the loader owns its texts */
  ((tg_block *)owner)->not_for_reader = true;
}

/* Read one copy of a block (the tree already seen by its variant/segment). */
static void load_block(loader *L, tg_block *b, tg_ynode *m, size_t index, const tg_block *flow,
                       int type) {
  b->span = tg_ynode_span(m);
  b->type = (tg_block_type)type;
  b->variants = L->cur_vmask;
  b->segments = L->cur_smask;
  b->arms = design_get_arm_filter(L, m);
  b->when.slot = -1;
  if (!tg_yget_string(m, "name", false, &b->name, L->d) || !*b->name) {
    char buf[64];
    if (flow)
      g_snprintf(buf, sizeof buf, "%s.%s#%zu", flow->name, BLOCK_TYPES[type], index + 1);
    else
      g_snprintf(buf, sizeof buf, "%s#%d.%zu", BLOCK_TYPES[type], L->page_no, index + 1);
    b->name = design_strdup(L, buf);
  }
  if (flow && !allowed_in_flow(b->type)) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.flow-child",
               tg_ynode_span(tg_ymap_get(m, "type")), "'%s' blocks cannot be placed in a flow",
               BLOCK_TYPES[type]);
    return;
  }
  int outer_guard = L->guard;
  if (design_get_text(L, m, "when", false, TG_TEXT_CONDITION, &b->when)) L->guard = b->when.slot;
  READERS[type](L, b, m, flow);
  L->guard = outer_guard;
  /* texts not read by the letter's reader are not held to easy-Japanese rules */
  bool easy = true;
  if (tg_yget_bool(m, "easy-japanese", false, &easy, L->d) && !easy) {
    b->not_for_reader = true;
    tg_block_foreach_text(b, mark_not_for_reader, NULL);
  }
  check_keys(L, b, m, flow != NULL);
  if (!flow && b->type != TG_BLOCK_IMAGE && b->type != TG_BLOCK_BARCODE)
    check_inside_page(L, b, m); /* the barcode checks its quiet zone, which includes this */
  if (!flow && b->type == TG_BLOCK_IMAGE && b->width_pt > 0 && b->height_pt > 0)
    check_inside_page(L, b, m);
}

/* ---- use: named blocks ------------------------------------------------------------------ */

/* The mapping of a block entry with `use:` resolved: the named block's keys,
 * overridden by the entry's own. NULL after reporting. */
static tg_ynode *resolve_use(loader *L, tg_ynode *raw) {
  tg_ynode *u = tg_ymap_get(raw, "use");
  if (!u) return raw;
  tg_ymap_get_key(raw, "use")->used = true;
  const char *name;
  if (!tg_ynode_string(u, "use", &name, L->d)) return NULL;
  tg_ynode *base = g_hash_table_lookup(L->named, name);
  if (!base) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.unknown-block", tg_ynode_span(u),
               "unknown block '%s'", name);
    guint n = 0;
    const char **names = (const char **)g_hash_table_get_keys_as_array(L->named, &n);
    const char *s = tg_suggest(name, names, n);
    if (s)
      tg_diag_hint(L->d, "did you mean '%s'?", s);
    else if (!n)
      tg_diag_hint(L->d, "named blocks are defined under 'blocks:' or in an included file");
    g_free(names);
    return NULL;
  }
  if (L->use_depth >= 8) {
    tg_diag_at(L->d, TG_ERROR, TG_KIND_SCHEMA, "design.use-cycle", tg_ynode_span(u),
               "block '%s' uses itself (or more than 8 blocks in a chain)", name);
    return NULL;
  }
  L->use_depth++;
  tg_ynode *resolved = resolve_use(L, base);
  L->use_depth--;
  if (!resolved) return NULL;
  tg_ynode *c = design_alloc(L, sizeof *c);
  *c = *raw;
  c->keys = design_alloc(L, (resolved->n + raw->n + 1) * sizeof(tg_ynode *));
  c->vals = design_alloc(L, (resolved->n + raw->n + 1) * sizeof(tg_ynode *));
  size_t k = 0;
  for (size_t i = 0; i < resolved->n; i++) {
    if (tg_ymap_get(raw, resolved->keys[i]->value)) continue; /* overridden */
    c->keys[k] = resolved->keys[i];
    c->vals[k++] = resolved->vals[i];
  }
  if (!tg_ymap_get(raw, "name") && !tg_ymap_get(resolved, "name")) {
    /* the block is called by its name */
    tg_ynode *key = design_alloc(L, sizeof *key), *val = design_alloc(L, sizeof *val);
    *key = *u;
    key->value = (char *)"name";
    key->value_len = 4;
    *val = *u;
    c->keys[k] = key;
    c->vals[k++] = val;
  }
  for (size_t i = 0; i < raw->n; i++) {
    if (strcmp(raw->keys[i]->value, "use") == 0) continue;
    c->keys[k] = raw->keys[i];
    c->vals[k++] = raw->vals[i];
  }
  c->n = k;
  return c;
}

/* ---- entries ------------------------------------------------------------------------------ */

static bool uses_styles(int type) {
  return type == TG_BLOCK_TEXT || type == TG_BLOCK_TABLE || type == TG_BLOCK_ADDRESS ||
         type == TG_BLOCK_FLOW || type == TG_BLOCK_SENDER || type == TG_BLOCK_INDICIA;
}

void design_load_block_entry(loader *L, GArray *out, tg_ynode *raw, size_t index,
                             const tg_block *flow) {
  tg_ynode *m = resolve_use(L, raw);
  if (!m) return;
  int type = -1;
  {
    tg_ynode *tn = tg_ymap_get(m, "type");
    if (tn && tn->type == TG_Y_SCALAR)
      for (size_t i = 0; i < N(BLOCK_TYPES); i++)
        if (strcmp(tn->value, BLOCK_TYPES[i]) == 0) type = (int)i;
    if (type < 0) {
      int t;
      tg_yget_enum(m, "type", true, BLOCK_TYPES, N(BLOCK_TYPES), &t, L->d); /* reports */
      return;
    }
    tg_ymap_get_key(m, "type")->used = true;
  }
  uint32_t vmask = design_get_variant_filter(L, m) & L->cur_vmask;
  uint64_t smask = design_get_segment_filter(L, m) & L->cur_smask;
  if (!vmask || !smask) return; /* a flow child of other variants/segments */
  selectors sel = {0};
  design_scan_selectors(L, m, &sel);
  bool by_variant = L->cur_variant < 0 && L->design->nvariants > 1 &&
                    (sel.by_variant || (L->styles_vary && uses_styles(type)));
  bool by_segment = L->cur_segment < 0 && L->design->nsegments && sel.by_segment;
  if (by_segment && !tg_ymap_get(m, "segments")) smask &= sel.segment_types;

  int saved_v = L->cur_variant, saved_s = L->cur_segment;
  uint32_t saved_vm = L->cur_vmask;
  uint64_t saved_sm = L->cur_smask;
  tg_diag *saved_d = L->d;
  tg_diag *scratch = tg_diag_new();
  tg_diag_set_repeat_limit(scratch, 0);
  bool first = true;
  for (int v = 0; v < (int)L->design->nvariants; v++) {
    if (by_variant && !((vmask >> v) & 1)) continue;
    if (!by_variant && v > 0) break;
    for (int s = 0; s < (int)(by_segment ? L->design->nsegments : 1); s++) {
      if (by_segment && !((smask >> s) & 1)) continue;
      L->cur_variant = by_variant ? v : saved_v;
      L->cur_segment = by_segment ? s : saved_s;
      L->cur_vmask = by_variant ? 1u << v : vmask;
      L->cur_smask = by_segment ? (uint64_t)1 << s : smask;
      L->d = first ? saved_d : scratch;
      first = false;
      int errors = L->selector_errors;
      tg_ynode *p = design_project(L, m, L->cur_variant, L->cur_segment);
      if (!p || L->selector_errors > errors) continue; /* reported; reading it would only echo */
      tg_block b = {0};
      load_block(L, &b, p, index, flow, type);
      g_array_append_val(out, b);
    }
  }
  L->cur_variant = saved_v;
  L->cur_segment = saved_s;
  L->cur_vmask = saved_vm;
  L->cur_smask = saved_sm;
  L->d = saved_d;
  tg_diag_take_unique(L->d, scratch);
  tg_diag_free(scratch);
}

static void relink_one(const tg_block *owner, const tg_text *t, const tg_style *st, void *data) {
  loader *L = data;
  if (t->slot >= 0 && (guint)t->slot < L->texts->len) L->texts->pdata[t->slot] = (gpointer)t;
}

void design_relink(loader *L, tg_block *blocks, size_t n) {
  for (size_t i = 0; i < n; i++)
    tg_block_foreach_text(&blocks[i], relink_one, L);
}

/* ---- walking texts ----------------------------------------------------------------------- */

void tg_block_foreach_text(const tg_block *b,
                           void (*fn)(const tg_block *owner, const tg_text *t,
                                      const tg_style *style, void *data),
                           void *data) {
  if (b->when.slot >= 0) fn(b, &b->when, NULL, data);
  switch (b->type) {
  case TG_BLOCK_TEXT:
  case TG_BLOCK_SENDER: fn(b, &b->u.text.text, b->style, data); break;
  case TG_BLOCK_INDICIA:
    if (b->u.indicia.office.slot >= 0) fn(b, &b->u.indicia.office, b->style, data);
    break;
  case TG_BLOCK_QR: fn(b, &b->u.qr.data, NULL, data); break;
  case TG_BLOCK_TABLE:
    for (size_t r = 0; r < b->u.table.nrows; r++) {
      if (b->u.table.row_when && b->u.table.row_when[r].slot >= 0)
        fn(b, &b->u.table.row_when[r], NULL, data);
      bool head = b->u.table.header && r == 0;
      for (size_t c = 0; c < b->u.table.ncols; c++)
        if (b->u.table.cells[r * b->u.table.ncols + c].slot >= 0)
          fn(b, &b->u.table.cells[r * b->u.table.ncols + c],
             head ? b->u.table.header_style : b->style, data);
    }
    break;
  case TG_BLOCK_ADDRESS:
    fn(b, &b->u.address.postal, b->style, data);
    fn(b, &b->u.address.address, b->style, data);
    fn(b, &b->u.address.name, b->u.address.name_style, data);
    break;
  case TG_BLOCK_FLOW:
    for (size_t i = 0; i < b->u.flow.nchildren; i++)
      tg_block_foreach_text(&b->u.flow.children[i], fn, data);
    break;
  case TG_BLOCK_BARCODE:
  case TG_BLOCK_CHART:
    for (size_t i = 0; i < b->u.slot.nvalues; i++)
      if (b->u.slot.values[i].slot >= 0) fn(b, &b->u.slot.values[i], NULL, data);
    break;
  case TG_BLOCK_BOX:
  case TG_BLOCK_RULE:
  case TG_BLOCK_IMAGE: break;
  }
}
