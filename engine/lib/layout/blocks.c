/* blocks.c — placing design blocks: text frames, boxes, rules, QR codes,
 * tables and the address block.
 *
 * Each block is placed from its merged texts.  A frame reports whether its
 * text fitted; overflow is a result, never a silent clip: the frame shrinks
 * within its limits when the design allows, otherwise the letter fails with an
 * error that names the block (and, for row data, the row).  QR symbols are
 * encoded with libqrencode in 8-bit mode (UTF-8 payloads; its Kanji mode would
 * expect Shift_JIS) and drawn later as vector squares.
 */
#include "layout/layout_private.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

bool layout_resolve_style(layout_env *env, const tg_style *st, text_style *out, tg_diag *d) {
  const tg_face *face = tg_fonts_find(env->fonts, st->font, st->weight);
  memset(out, 0, sizeof *out);
  if (!face) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "layout.font-missing", st->span,
               "style '%s' asks for %s %s, which is not in the font set", st->name, st->font,
               st->weight == 700 ? "bold" : "regular");
    GString *have = g_string_new(NULL);
    for (size_t i = 0; i < tg_fonts_get_count(env->fonts); i++) {
      const tg_face *f = tg_fonts_get(env->fonts, i);
      if (tg_face_is_fallback(f)) continue;
      g_string_append_printf(have, "%s%s %s", have->len ? ", " : "", tg_face_get_family(f),
                             tg_face_get_weight(f) == 700 ? "bold" : "regular");
    }
    tg_diag_hint(d, "the font set has: %s (fonts/fontset.txt)", have->str);
    g_string_free(have, TRUE);
    return false;
  }
  out->face = face;
  out->family = st->font;
  out->weight = st->weight;
  out->ruby_scale = st->ruby_size_pt > 0 ? st->ruby_size_pt / st->size_pt : 0.5;
  out->size_pt = st->size_pt;
  out->line_height = st->line_height;
  out->align = st->align;
  out->color = st->color;
  out->hanging = st->hanging_punctuation;
  out->break_at_spaces = st->line_break == TG_LINE_BREAK_SPACES;
  return true;
}

const text_style *layout_style(const layout_env *env, const tg_style *st) {
  const tg_design *ds = env->design;
  if (st >= ds->styles && st < ds->styles + ds->nstyles) return &env->styles[st - ds->styles];
  return &env->default_style;
}

/* Report a problem with a letter: row-named for row data, located for static
 * content (then it is a design error). */
static void report(tg_diag *d, const err_where *w, tg_diag_kind kind, const char *code,
                   const char *msg) {
  if (w->file)
    tg_diag_row(d, TG_ERROR, kind, code, w->file, w->row, NULL, "%s", msg);
  else
    tg_diag_at(d, TG_ERROR, kind, code, w->span, "%s", msg);
}

static void report_missing(tg_diag *d, const err_where *w, const tg_block *b,
                           const text_result *r) {
  char msg[256];
  if (r->missing_family) {
    g_snprintf(msg, sizeof msg, "the text of %s '%s' asks for %s %s, which is not in the font set",
               tg_block_type_name(b->type), b->name, r->missing_family,
               r->missing_weight >= 600 ? "bold" : "regular");
    if (w->file)
      tg_diag_row(d, TG_ERROR, TG_KIND_LAYOUT, "layout.font-missing", w->file, w->row, NULL, "%s", msg);
    else
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "layout.font-missing", w->span, "%s", msg);
    return;
  }
  if (r->missing_cp < 0x20 || (r->missing_cp >= 0x7F && r->missing_cp < 0xA0))
    g_snprintf(msg, sizeof msg, "control character U+%04X in the text of %s '%s'", r->missing_cp,
               tg_block_type_name(b->type), b->name);
  else if (r->missing_vs)
    g_snprintf(msg, sizeof msg,
               "no font in the font set can draw U+%04X with variation selector U+%04X (in %s '%s')",
               r->missing_cp, r->missing_vs, tg_block_type_name(b->type), b->name);
  else
    g_snprintf(msg, sizeof msg, "no font in the font set can draw U+%04X (in %s '%s')",
               r->missing_cp, tg_block_type_name(b->type), b->name);
  report(d, w, TG_KIND_LAYOUT, "layout.glyph-missing", msg);
}

/* Set a text frame, applying the overflow policy. */
static bool place_text(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const tg_block *b,
                       const text_style *base, const char *text, const tg_attrs *attrs, double x,
                       double y, double w,
                       double max_h, size_t max_lines, tg_overflow policy, double min_size,
                       const err_where *where, tg_diag *d, text_result *res) {
  text_style st = *base;
  guint mark = items->len;
  for (;;) {
    if (!layout_text(ctx, arena, items, b->name, text, strlen(text), attrs, &st, x, y, w, max_h,
                     max_lines, res)) {
      g_array_set_size(items, mark);
      report_missing(d, where, b, res);
      return false;
    }
    if (!res->overflow) return true;
    g_array_set_size(items, mark);
    if (policy == TG_OVERFLOW_SHRINK && st.size_pt - 0.25 >= min_size - 1e-9) {
      st.size_pt -= 0.25;
      continue;
    }
    char msg[256];
    if (max_lines && res->nlines > max_lines)
      g_snprintf(msg, sizeof msg, "the text of %s '%s' needs %zu lines; at most %zu fit",
                 tg_block_type_name(b->type), b->name, res->nlines, max_lines);
    else
      g_snprintf(msg, sizeof msg,
                 "the text of %s '%s' does not fit: it needs %.1fmm of height, the frame has %.1fmm",
                 tg_block_type_name(b->type), b->name, tg_pt_to_mm(res->height_pt),
                 tg_pt_to_mm(max_h));
    report(d, where, TG_KIND_LAYOUT, "layout.overflow", msg);
    return false;
  }
}

static void add_rect(GArray *items, const char *block, double x, double y, double w, double h,
                     double stroke_pt, uint32_t stroke, uint32_t fill, double radius) {
  tg_item it = {.type = TG_ITEM_RECT, .block = block, .x_pt = x, .y_pt = y};
  it.u.rect.w_pt = w;
  it.u.rect.h_pt = h;
  it.u.rect.stroke_pt = stroke_pt;
  it.u.rect.stroke = stroke;
  it.u.rect.fill = fill;
  it.u.rect.radius_pt = radius;
  g_array_append_val(items, it);
}

static void add_line(GArray *items, const char *block, double x1, double y1, double x2, double y2,
                     double width, uint32_t color, bool dashed) {
  tg_item it = {.type = TG_ITEM_LINE, .block = block, .x_pt = x1, .y_pt = y1, .color = color};
  it.u.line.x2_pt = x2;
  it.u.line.y2_pt = y2;
  it.u.line.width_pt = width;
  it.u.line.dashed = dashed;
  g_array_append_val(items, it);
}

static bool place_qr(tg_arena *arena, GArray *items, const tg_block *b, const char *data,
                     const err_where *where, tg_diag *d) {
  static const QRecLevel LEVELS[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
  size_t len = strlen(data);
  if (len == 0) {
    char msg[160];
    g_snprintf(msg, sizeof msg, "the data of qr block '%s' is empty", b->name);
    report(d, where, TG_KIND_DATA, "layout.qr-empty", msg);
    return false;
  }
  QRcode *qr = QRcode_encodeData((int)len, (const unsigned char *)data, 0, LEVELS[b->u.qr.ecc]);
  if (!qr) {
    char msg[200];
    g_snprintf(msg, sizeof msg, "the data of qr block '%s' (%zu bytes) %s", b->name, len,
               errno == ERANGE ? "is too long for a QR code" : "cannot be encoded");
    report(d, where, TG_KIND_LIMIT, "layout.qr-encode", msg);
    return false;
  }
  int m = qr->width;
  uint8_t *dark = tg_arena_alloc(arena, (size_t)m * (size_t)m);
  for (int i = 0; i < m * m; i++) dark[i] = qr->data[i] & 1;
  tg_item it = {.type = TG_ITEM_QR, .block = b->name, .x_pt = b->x_pt, .y_pt = b->y_pt,
                .color = 0x000000FF};
  it.u.qr.modules = m;
  it.u.qr.dark = dark;
  it.u.qr.module_pt = b->u.qr.size_pt / m;
  it.u.qr.data = tg_arena_strndup(arena, data, len);
  it.u.qr.ecc = b->u.qr.ecc;
  it.u.qr.version = qr->version;
  QRcode_free(qr);
  g_array_append_val(items, it);
  return true;
}

static bool place_table(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                        const tg_block *b, const char *const *values,
                        const tg_attrs *const *attrs, const err_where *where, tg_diag *d) {
  const text_style *body = layout_style(env, b->style);
  const text_style *head = layout_style(env, b->u.table.header_style);
  size_t nc = b->u.table.ncols, nr = b->u.table.nrows;
  double pad = b->u.table.padding_pt, stroke = b->u.table.stroke_pt;
  double y = b->y_pt;
  double total_w = b->width_pt;
  double *row_y = g_new(double, nr + 1);
  bool ok = true;
  for (size_t r = 0; r < nr && ok; r++) {
    bool is_head = b->u.table.header && r == 0;
    const text_style *base = is_head ? head : body;
    /* measure the row: the tallest cell decides */
    double row_h = 0;
    for (size_t c = 0; c < nc; c++) {
      const tg_text *t = &b->u.table.cells[r * nc + c];
      text_result res;
      if (!layout_text(ctx, arena, NULL, b->name, values[t->slot], strlen(values[t->slot]),
                       attrs[t->slot], base, 0, 0, b->u.table.cols[c].width_pt - 2 * pad, 0, 0,
                       &res)) {
        report_missing(d, where, b, &res);
        ok = false;
        break;
      }
      if (res.height_pt > row_h) row_h = res.height_pt;
    }
    if (!ok) break;
    row_h += 2 * pad;
    row_y[r] = y;
    if (is_head && (b->u.table.header_fill & 0xFF))
      add_rect(items, b->name, b->x_pt, y, total_w, row_h, 0, 0, b->u.table.header_fill, 0);
    double x = b->x_pt;
    for (size_t c = 0; c < nc; c++) {
      const tg_text *t = &b->u.table.cells[r * nc + c];
      text_style cs = *base;
      cs.align = b->u.table.cols[c].align;
      if (is_head) cs.align = TG_ALIGN_CENTER;
      text_result res;
      layout_text(ctx, arena, items, b->name, values[t->slot], strlen(values[t->slot]),
                  attrs[t->slot], &cs, x + pad, y + pad, b->u.table.cols[c].width_pt - 2 * pad, 0,
                  0, &res);
      x += b->u.table.cols[c].width_pt;
    }
    y += row_h;
  }
  row_y[nr] = y;
  if (ok && stroke > 0) {
    for (size_t r = 0; r <= nr; r++)
      add_line(items, b->name, b->x_pt, row_y[r], b->x_pt + total_w, row_y[r], stroke, 0x000000FF,
               false);
    double x = b->x_pt;
    for (size_t c = 0; c <= nc; c++) {
      add_line(items, b->name, x, row_y[0], x, row_y[nr], stroke, 0x000000FF, false);
      if (c < nc) x += b->u.table.cols[c].width_pt;
    }
  }
  g_free(row_y);
  return ok;
}

static bool place_address(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena,
                          GArray *items, const tg_block *b, const char *const *values,
                          const tg_attrs *const *attrs, const err_where *where, tg_diag *d) {
  const text_style *st = layout_style(env, b->style);
  const text_style *ns = layout_style(env, b->u.address.name_style);
  const char *postal = values[b->u.address.postal.slot];
  const char *addr = values[b->u.address.address.slot];
  const char *name = values[b->u.address.name.slot];
  struct {
    const char *what, *value;
  } req[] = {{"postal code", postal}, {"address", addr}, {"recipient name", name}};
  for (size_t i = 0; i < G_N_ELEMENTS(req); i++) {
    const char *v = req[i].value;
    while (*v == ' ') v++;
    if (!*v) {
      char msg[160];
      g_snprintf(msg, sizeof msg, "the %s of address block '%s' is empty", req[i].what, b->name);
      report(d, where, TG_KIND_DATA, "data.address-empty", msg);
      return false;
    }
  }
  double y = b->y_pt;
  text_result res;
  char *pline = g_strdup_printf("〒%s", postal);
  bool ok = place_text(ctx, arena, items, b, st, pline, NULL, b->x_pt, y, b->width_pt, 0, 1,
                       TG_OVERFLOW_FAIL, 0, where, d, &res);
  g_free(pline);
  if (!ok) return false;
  y += res.height_pt;
  /* a long address shrinks (down to min-size) before the letter fails */
  if (!place_text(ctx, arena, items, b, st, addr, attrs[b->u.address.address.slot],
                  b->x_pt + st->size_pt, y, b->width_pt - st->size_pt, 0,
                  b->u.address.max_address_lines, TG_OVERFLOW_SHRINK, b->u.address.min_size_pt,
                  where, d, &res))
    return false;
  y += res.height_pt + st->size_pt * 0.5;
  char *nline = g_strdup_printf("%s　%s", name, b->u.address.honorific);
  /* the name's attributes (its ruby) still apply: the name starts the line */
  ok = place_text(ctx, arena, items, b, ns, nline, attrs[b->u.address.name.slot],
                  b->x_pt + st->size_pt, y,
                  b->width_pt - st->size_pt, 0, 2, TG_OVERFLOW_FAIL, 0, where, d, &res);
  g_free(nline);
  return ok;
}

bool layout_block(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                  const tg_block *b, const char *const *values, const tg_attrs *const *attrs,
                  const err_where *where, tg_diag *d) {
  err_where w = *where;
  if (!w.file) w.span = b->span;
  switch (b->type) {
  case TG_BLOCK_TEXT: {
    text_result res;
    return place_text(ctx, arena, items, b, layout_style(env, b->style),
                      values[b->u.text.text.slot], attrs[b->u.text.text.slot], b->x_pt, b->y_pt,
                      b->width_pt, b->height_pt, 0,
                      b->u.text.overflow, b->u.text.min_size_pt, &w, d, &res);
  }
  case TG_BLOCK_BOX:
    add_rect(items, b->name, b->x_pt, b->y_pt, b->width_pt, b->height_pt, b->u.box.stroke_pt,
             b->u.box.stroke, b->u.box.fill, b->u.box.radius_pt);
    return true;
  case TG_BLOCK_RULE:
    add_line(items, b->name, b->x_pt, b->y_pt, b->u.rule.x2_pt, b->u.rule.y2_pt,
             b->u.rule.stroke_pt, b->u.rule.color, b->u.rule.dashed);
    return true;
  case TG_BLOCK_QR: return place_qr(arena, items, b, values[b->u.qr.data.slot], &w, d);
  case TG_BLOCK_TABLE: return place_table(env, ctx, arena, items, b, values, attrs, &w, d);
  case TG_BLOCK_ADDRESS: return place_address(env, ctx, arena, items, b, values, attrs, &w, d);
  }
  return false;
}
