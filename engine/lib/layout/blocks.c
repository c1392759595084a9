/* blocks.c — placing design blocks: text frames, flows, boxes, rules, QR
 * codes, tables, images, the address block, the sender block and the
 * 料金後納/別納 mark.
 *
 * Each block is placed from its merged texts.  A frame reports whether its
 * text fitted; overflow is a result, never a silent clip: the frame (or a
 * flow, or a table with a height) shrinks within its limits when the design
 * allows, otherwise the letter fails with an error that names the block
 * (and, for row data, the row).  Shrinking scales every size of the content
 * together — the style's size and the sizes of [size=…] spans — in steps of
 * 0.25pt of the base size, so a span keeps its proportion to its text.
 * A flow stacks its shown children downwards; a child hidden by `when:` or
 * whose merged text is empty takes no room and no gap.  QR symbols are
 * encoded with libqrencode in 8-bit mode (UTF-8 payloads; its Kanji mode
 * would expect Shift_JIS) and drawn later as vector squares.  The customer
 * barcode is placed by custbar_place.c (under the name, or as its own
 * block), charts are drawn by chart.c.
 */
#include "layout/layout_private.h"

#include <errno.h>
#include <math.h>
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
  size_t n = ds->nstyles * ds->nvariants;
  if (st && st >= ds->styles && st < ds->styles + n) return &env->styles[st - ds->styles];
  return &env->default_style;
}

bool layout_block_shown(const tg_block *b, const layout_sel *sel) {
  if (!((b->variants >> sel->variant) & 1)) return false;
  if (sel->segment >= 0 && !((b->segments >> sel->segment) & 1)) return false;
  if (sel->arm >= 0 && !((b->arms >> sel->arm) & 1)) return false;
  if (b->when.slot >= 0) {
    const char *v = sel->values[b->when.slot];
    if (!v || !v[0]) return false;
  }
  return true;
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
    g_snprintf(msg, sizeof msg,
               _("the text of %s '%s' asks for %s %s, which is not in the font set"),
               tg_block_type_name(b->type), b->name, r->missing_family,
               r->missing_weight >= 600 ? "bold" : "regular");
    if (w->file)
      tg_diag_row(d, TG_ERROR, TG_KIND_LAYOUT, "layout.font-missing", w->file, w->row, NULL, "%s",
                  msg);
    else
      tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "layout.font-missing", w->span, "%s", msg);
    return;
  }
  if (r->missing_cp < 0x20 || (r->missing_cp >= 0x7F && r->missing_cp < 0xA0))
    g_snprintf(msg, sizeof msg, _("control character U+%04X in the text of %s '%s'"), r->missing_cp,
               tg_block_type_name(b->type), b->name);
  else if (r->missing_vs)
    g_snprintf(
        msg, sizeof msg,
        "no font in the font set can draw U+%04X with variation selector U+%04X (in %s '%s')",
        r->missing_cp, r->missing_vs, tg_block_type_name(b->type), b->name);
  else
    g_snprintf(msg, sizeof msg, _("no font in the font set can draw U+%04X (in %s '%s')"),
               r->missing_cp, tg_block_type_name(b->type), b->name);
  report(d, w, TG_KIND_LAYOUT, "layout.glyph-missing", msg);
}

static void report_overflow(tg_diag *d, const err_where *w, const tg_block *b, double need_pt,
                            double have_pt) {
  char msg[256];
  g_snprintf(msg, sizeof msg,
             _("the content of %s '%s' does not fit: it needs %.1fmm of height, the frame has "
               "%.1fmm"),
             tg_block_type_name(b->type), b->name, tg_pt_to_mm(need_pt), tg_pt_to_mm(have_pt));
  report(d, w, TG_KIND_LAYOUT, "layout.overflow", msg);
}

/* Attributes with every [size=…] scaled by f (for shrinking). */
static const tg_attrs *scale_attrs(tg_arena *arena, const tg_attrs *a, double f) {
  if (!a || f == 1.0) return a;
  bool any = false;
  for (size_t i = 0; i < a->n && !any; i++)
    any = a->v[i].type == TG_ATTR_SIZE;
  if (!any) return a;
  tg_attrs *out = tg_arena_alloc(arena, sizeof *out);
  tg_attr *v = tg_arena_alloc(arena, (a->n + 1) * sizeof *v);
  memcpy(v, a->v, a->n * sizeof *v);
  for (size_t i = 0; i < a->n; i++)
    if (v[i].type == TG_ATTR_SIZE) v[i].u.size_pt *= f;
  out->n = a->n;
  out->v = v;
  return out;
}

static text_style scaled(const text_style *st, double f) {
  text_style s = *st;
  s.size_pt *= f;
  return s;
}

/* The factor of shrink step k for a base size: (size - 0.25k) / size. */
static double shrink_factor(double size_pt, int k) { return (size_pt - 0.25 * k) / size_pt; }

/* Set a text frame, applying the overflow policy.  `scale` is the factor
 * of an enclosing shrink (a flow); the frame's own shrink goes further. */
static bool place_text(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const tg_block *b,
                       const text_style *base, const char *text, const tg_attrs *attrs, double x,
                       double y, double w, double max_h, size_t max_lines, tg_overflow policy,
                       double min_size, double scale, const err_where *where, tg_diag *d,
                       text_result *res) {
  guint mark = items ? items->len : 0;
  double size0 = base->size_pt * scale;
  for (int k = 0;; k++) {
    double f = shrink_factor(size0, k) * scale;
    text_style st = scaled(base, f);
    if (!layout_text(ctx, arena, items, b->name, text, strlen(text), scale_attrs(arena, attrs, f),
                     &st, x, y, w, max_h, max_lines, res)) {
      if (items) g_array_set_size(items, mark);
      report_missing(d, where, b, res);
      return false;
    }
    if (!res->overflow) return true;
    if (items) g_array_set_size(items, mark);
    if (policy == TG_OVERFLOW_SHRINK && size0 - 0.25 * (k + 1) >= min_size * scale - 1e-9) continue;
    char msg[256];
    if (max_lines && res->nlines > max_lines)
      g_snprintf(msg, sizeof msg, _("the text of %s '%s' needs %zu lines; at most %zu fit"),
                 tg_block_type_name(b->type), b->name, res->nlines, max_lines);
    else
      g_snprintf(
          msg, sizeof msg,
          _("the text of %s '%s' does not fit: it needs %.1fmm of height, the frame has %.1fmm"),
          tg_block_type_name(b->type), b->name, tg_pt_to_mm(res->height_pt), tg_pt_to_mm(max_h));
    report(d, where, TG_KIND_LAYOUT, "layout.overflow", msg);
    return false;
  }
}

void layout_add_rect(GArray *items, const char *block, double x, double y, double w, double h,
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

void layout_add_line(GArray *items, const char *block, double x1, double y1, double x2, double y2,
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
  for (int i = 0; i < m * m; i++)
    dark[i] = qr->data[i] & 1;
  tg_item it = {
      .type = TG_ITEM_QR, .block = b->name, .x_pt = b->x_pt, .y_pt = b->y_pt, .color = 0x000000FF};
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

/* ---- tables ---------------------------------------------------------------------------- */

static bool row_shown(const tg_block *b, size_t r, const layout_sel *sel) {
  const tg_text *w = &b->u.table.row_when[r];
  if (!b->u.table.row_when || w->slot < 0) return true;
  const char *v = sel->values[w->slot];
  return v && v[0];
}

/* Measure (items NULL) or draw the table at scale f; *h_out its height. */
static bool table_pass(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                       const tg_block *b, const layout_sel *sel, double f, const err_where *where,
                       tg_diag *d, double *h_out) {
  text_style body = scaled(layout_style(env, b->style), f);
  text_style head = scaled(layout_style(env, b->u.table.header_style), f);
  size_t nc = b->u.table.ncols, nr = b->u.table.nrows;
  double pad = b->u.table.padding_pt, stroke = b->u.table.stroke_pt;
  double y = b->y_pt, total_w = b->width_pt;
  double *row_y = g_new(double, nr + 1);
  size_t shown = 0;
  bool ok = true;
  for (size_t r = 0; r < nr && ok; r++) {
    if (!row_shown(b, r, sel)) continue;
    bool is_head = b->u.table.header && r == 0;
    const text_style *base = is_head ? &head : &body;
    /* measure the row: the tallest cell decides */
    double row_h = 0;
    for (size_t c = 0; c < nc; c++) {
      const tg_text *t = &b->u.table.cells[r * nc + c];
      const char *v = t->slot >= 0 ? sel->values[t->slot] : "";
      text_result res;
      if (!layout_text(ctx, arena, NULL, b->name, v, strlen(v),
                       scale_attrs(arena, t->slot >= 0 ? sel->attrs[t->slot] : NULL, f), base, 0, 0,
                       b->u.table.cols[c].width_pt - 2 * pad, 0, 0, &res)) {
        report_missing(d, where, b, &res);
        ok = false;
        break;
      }
      if (res.height_pt > row_h) row_h = res.height_pt;
    }
    if (!ok) break;
    row_h += 2 * pad;
    row_y[shown++] = y;
    if (items) {
      if (is_head && (b->u.table.header_fill & 0xFF))
        layout_add_rect(items, b->name, b->x_pt, y, total_w, row_h, 0, 0, b->u.table.header_fill,
                        0);
      double x = b->x_pt;
      for (size_t c = 0; c < nc; c++) {
        const tg_text *t = &b->u.table.cells[r * nc + c];
        const char *v = t->slot >= 0 ? sel->values[t->slot] : "";
        text_style cs = *base;
        cs.align = is_head ? TG_ALIGN_CENTER : b->u.table.cols[c].align;
        text_result res;
        layout_text(ctx, arena, items, b->name, v, strlen(v),
                    scale_attrs(arena, t->slot >= 0 ? sel->attrs[t->slot] : NULL, f), &cs, x + pad,
                    y + pad, b->u.table.cols[c].width_pt - 2 * pad, 0, 0, &res);
        x += b->u.table.cols[c].width_pt;
      }
    }
    y += row_h;
  }
  row_y[shown] = y;
  if (ok && items && stroke > 0 && shown > 0) {
    for (size_t r = 0; r <= shown; r++)
      layout_add_line(items, b->name, b->x_pt, row_y[r], b->x_pt + total_w, row_y[r], stroke,
                      0x000000FF, false);
    double x = b->x_pt;
    for (size_t c = 0; c <= nc; c++) {
      layout_add_line(items, b->name, x, row_y[0], x, row_y[shown], stroke, 0x000000FF, false);
      if (c < nc) x += b->u.table.cols[c].width_pt;
    }
  }
  g_free(row_y);
  *h_out = y - b->y_pt;
  return ok;
}

static bool place_table(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                        const tg_block *b, const layout_sel *sel, double scale,
                        const err_where *where, tg_diag *d, double *used) {
  double size0 = layout_style(env, b->style)->size_pt * scale;
  double h = 0;
  int k = 0;
  if (b->height_pt > 0) {
    for (;; k++) {
      double f = shrink_factor(size0, k) * scale;
      if (!table_pass(env, ctx, arena, NULL, b, sel, f, where, d, &h)) return false;
      if (h <= b->height_pt + 1e-6) break;
      if (b->u.table.overflow == TG_OVERFLOW_SHRINK &&
          size0 - 0.25 * (k + 1) >= b->u.table.min_size_pt * scale - 1e-9)
        continue;
      report_overflow(d, where, b, h, b->height_pt);
      return false;
    }
  }
  double f = shrink_factor(size0, k) * scale;
  if (!table_pass(env, ctx, arena, items, b, sel, f, where, d, &h)) return false;
  *used = b->height_pt > 0 ? b->height_pt : h;
  return true;
}

/* ---- address, images, slots ------------------------------------------------------------- */

/* The address with a line break before its building (建物名), when it has
 * one and the whole does not fit on one line: 「…２丁目３番４号」 /
 * 「コーポ入谷201号」 instead of a break inside the building's name.  The
 * building starts after the first space (full- or half-width) that follows
 * a digit or a number word; without one, the address is returned as is. */
const char *layout_address_text(tg_layout_ctx *ctx, tg_arena *arena, const text_style *st,
                                const char *addr, double w_pt) {
  const char *cut = NULL;
  size_t cut_len = 0;
  for (const char *p = addr; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c != ' ' && c != 0x3000) continue;
    if (p == addr) continue;
    gunichar prev = g_utf8_get_char(g_utf8_prev_char(p));
    if (!(g_unichar_isdigit(prev) || prev == 0x53F7 /* 号 */ || prev == 0x5730 /* 地 */ ||
          prev == 0x756A /* 番 */))
      continue;
    const char *next = g_utf8_next_char(p);
    if (*next && *next != ' ' && g_utf8_get_char(next) != 0x3000) {
      cut = p;
      cut_len = (size_t)(next - p);
    }
    break;
  }
  if (!cut) return addr;
  text_result r;
  if (!layout_text(ctx, arena, NULL, NULL, addr, strlen(addr), NULL, st, 0, 0, w_pt, 0, 0, &r) ||
      r.nlines <= 1)
    return addr;
  size_t head = (size_t)(cut - addr), len = strlen(addr);
  char *out = tg_arena_alloc(arena, len + 1);
  memcpy(out, addr, head);
  out[head] = '\n';
  memcpy(out + head + 1, cut + cut_len, len - head - cut_len + 1);
  return out;
}

/* The postal code, address and name lines of an address block at `scale`;
 * *h: their height. */
static bool address_text(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const tg_block *b,
                         const text_style *st, const text_style *ns, const char *postal,
                         const char *atext, const tg_attrs *aat, const char *name,
                         const layout_sel *sel, double scale, const err_where *where, tg_diag *d,
                         double *h) {
  double y = b->y_pt, indent = st->size_pt * scale;
  text_result res;
  char *pline = g_strdup_printf("〒%s", postal);
  bool ok = place_text(ctx, arena, items, b, st, pline, NULL, b->x_pt, y, b->width_pt, 0, 1,
                       TG_OVERFLOW_FAIL, 0, scale, where, d, &res);
  g_free(pline);
  if (!ok) return false;
  y += res.height_pt;
  /* a long address shrinks (down to min-size) before the letter fails */
  if (!place_text(ctx, arena, items, b, st, atext, aat, b->x_pt + indent, y, b->width_pt - indent,
                  0, b->u.address.max_address_lines, TG_OVERFLOW_SHRINK, b->u.address.min_size_pt,
                  scale, where, d, &res))
    return false;
  y += res.height_pt + indent * 0.5;
  char *nline = g_strdup_printf("%s　%s", name, b->u.address.honorific);
  /* the name's attributes (its ruby) still apply: the name starts the line */
  ok = place_text(ctx, arena, items, b, ns, nline, sel->attrs[b->u.address.name.slot],
                  b->x_pt + indent, y, b->width_pt - indent, 0, 2, TG_OVERFLOW_FAIL, 0, scale,
                  where, d, &res);
  g_free(nline);
  *h = y + res.height_pt - b->y_pt;
  return ok;
}

static bool place_address(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                          const tg_block *b, const layout_sel *sel, const err_where *where,
                          tg_diag *d, double *used) {
  const text_style *st = layout_style(env, b->style);
  const text_style *ns = layout_style(env, b->u.address.name_style);
  const char *postal = sel->values[b->u.address.postal.slot];
  const char *addr = sel->values[b->u.address.address.slot];
  const char *name = sel->values[b->u.address.name.slot];
  struct {
    const char *what, *value;
  } req[] = {{"postal code", postal}, {"address", addr}, {"recipient name", name}};
  for (size_t i = 0; i < G_N_ELEMENTS(req); i++) {
    const char *v = req[i].value;
    while (*v == ' ')
      v++;
    if (!*v) {
      char msg[160];
      g_snprintf(msg, sizeof msg, "the %s of address block '%s' is empty", req[i].what, b->name);
      report(d, where, TG_KIND_DATA, "data.address-empty", msg);
      return false;
    }
  }
  /* one that does not fit on a line puts its building on a line of its own */
  const tg_attrs *aat = sel->attrs[b->u.address.address.slot];
  const char *atext =
      aat && aat->n ? addr : layout_address_text(ctx, arena, st, addr, b->width_pt - st->size_pt);
  /* in a window envelope the block may only reach down to what the window
   * always shows: the whole block shrinks (down to min-size) to stay in it */
  double room = 0;
  const tg_envelope *e = env->design->envelope;
  if (e && ctx->page == 0) {
    double a = b->u.address.barcode_pt; /* the bars keep 2 mm of window below them too */
    room = a > 0 ? tg_envelope_safe(e, tg_mm_to_pt(2)).y1_pt - tg_mm_to_pt(2 + 0.35 * a)
                 : tg_envelope_safe(e, 0).y1_pt;
    room -= b->y_pt;
  }
  guint mark = items ? items->len : 0;
  double h = 0, size0 = st->size_pt, f = 1;
  bool ok;
  for (int k = 0;; k++) {
    f = shrink_factor(size0, k);
    ok = address_text(ctx, arena, items, b, st, ns, postal, atext, aat, name, sel, f, where, d, &h);
    if (!ok || room <= 0 || h <= room + 1e-6 ||
        size0 - 0.25 * (k + 1) < b->u.address.min_size_pt - 1e-9)
      break; /* what still does not fit is reported by the window check */
    if (items) g_array_set_size(items, mark);
  }
  double y = b->y_pt + h;
  if (ok && b->u.address.barcode_pt > 0) {
    /* on its own line directly below the name, after the 2 mm quiet zone */
    double bars_h;
    y += tg_mm_to_pt(2);
    layout_place_custbar(env, arena, items, b->name, postal, addr, b->u.address.barcode_pt,
                         b->x_pt + st->size_pt * f, y, where->file, where->row, d, &ctx->barcodes,
                         &ctx->barcodes_omitted, &bars_h);
    y += bars_h;
  }
  *used = y - b->y_pt;
  return ok;
}

/* The box an image is drawn into: width and/or height from the design, the
 * other from the picture's proportions; with both, the picture is fitted
 * inside and centred. */
static void image_box(const tg_block *b, const layout_image *im, double *x, double *y, double *w,
                      double *h) {
  double ar = im->height / im->width;
  *x = b->x_pt;
  *y = b->y_pt;
  if (b->width_pt > 0 && b->height_pt > 0) {
    *w = b->width_pt;
    *h = b->width_pt * ar;
    if (*h > b->height_pt) {
      *h = b->height_pt;
      *w = b->height_pt / ar;
    }
    *x += (b->width_pt - *w) / 2;
    *y += (b->height_pt - *h) / 2;
  } else if (b->width_pt > 0) {
    *w = b->width_pt;
    *h = b->width_pt * ar;
  } else {
    *h = b->height_pt;
    *w = b->height_pt / ar;
  }
}

static bool place_image(const layout_env *env, GArray *items, const tg_block *b, double *used) {
  const layout_image *im = layout_images_get(env->images, b);
  if (!im) return false; /* reported when the layout was made */
  double x, y, w, h;
  image_box(b, im, &x, &y, &w, &h);
  tg_item it = {.type = TG_ITEM_IMAGE, .block = b->name, .x_pt = x, .y_pt = y};
  it.u.image.w_pt = w;
  it.u.image.h_pt = h;
  it.u.image.surface = im->surface;
  it.u.image.src_w = im->width;
  it.u.image.src_h = im->height;
  it.u.image.file = b->u.image.file;
  g_array_append_val(items, it);
  *used = b->height_pt > 0 ? b->height_pt : h;
  return true;
}

/* ---- indicia ---------------------------------------------------------------------------- */

/* The half width of the mark at height y from its top (a circle's chord). */
static double indicia_half_width(const tg_block *b, double y) {
  double r = b->width_pt / 2;
  if (b->u.indicia.square) return r;
  double dy = y - r;
  return dy * dy < r * r ? sqrt(r * r - dy * dy) : 0;
}

/* One centred line of the mark, `size` (a fraction of the side) high, its
 * top `top` (a fraction of the side) from the mark's top. */
static bool indicia_line(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const tg_block *b,
                         const text_style *base, const char *text, double top, double size,
                         const err_where *where, tg_diag *d) {
  const double s = b->width_pt;
  text_style st = *base;
  st.size_pt = s * size;
  st.align = TG_ALIGN_CENTER;
  st.line_height = 1.2;
  /* as wide as the circle's chord at the line's upper or lower edge, whichever is shorter */
  double hw = MIN(indicia_half_width(b, s * top), indicia_half_width(b, s * (top + size * 1.2)));
  double w = 2 * hw * 0.9;
  text_result res;
  /* the office name may be long: it shrinks to one line */
  return place_text(ctx, arena, items, b, &st, text, NULL, b->x_pt + (s - w) / 2, b->y_pt + s * top,
                    w, 0, 1, TG_OVERFLOW_SHRINK, 4, 1, where, d, &res);
}

static bool place_indicia(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                          const tg_block *b, const layout_sel *sel, const err_where *where,
                          tg_diag *d) {
  const double s = b->width_pt, stroke = 0.75;
  const text_style *st = layout_style(env, b->style);
  layout_add_rect(items, b->name, b->x_pt, b->y_pt, s, s, stroke, 0x000000FF, 0,
                  b->u.indicia.square ? 0 : s / 2);
  const char *office = b->u.indicia.office.slot >= 0 ? sel->values[b->u.indicia.office.slot] : "";
  const char *words = b->u.indicia.separate ? "料金別納" : "料金後納";
  double y = b->y_pt;
  if (office && *office) {
    /* the office in the upper part, a line (two with 送達余裕承諾) under it */
    if (!indicia_line(ctx, arena, items, b, st, office, 0.19, 0.12, where, d)) return false;
    double ry = s * 0.38, hw = indicia_half_width(b, ry) - stroke;
    layout_add_line(items, b->name, b->x_pt + s / 2 - hw, y + ry, b->x_pt + s / 2 + hw, y + ry, 0.5,
                    0x000000FF, false);
    if (b->u.indicia.delay) {
      double ry2 = ry + tg_mm_to_pt(1.5), hw2 = indicia_half_width(b, ry2) - stroke;
      layout_add_line(items, b->name, b->x_pt + s / 2 - hw2, y + ry2, b->x_pt + s / 2 + hw2,
                      y + ry2, 0.5, 0x000000FF, false);
    }
    return indicia_line(ctx, arena, items, b, st, words, 0.46, 0.14, where, d) &&
           indicia_line(ctx, arena, items, b, st, "郵便", 0.65, 0.14, where, d);
  }
  return indicia_line(ctx, arena, items, b, st, words, 0.28, 0.16, where, d) &&
         indicia_line(ctx, arena, items, b, st, "郵便", 0.52, 0.16, where, d);
}

/* ---- blocks and flows ------------------------------------------------------------------------ */

static bool place_block(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                        const tg_block *b, const layout_sel *sel, double scale,
                        const err_where *where, tg_diag *d, double *used);

/* Is a child of a flow shown?  An empty text takes no room. */
static bool child_shown(const tg_block *c, const layout_sel *sel) {
  if (!layout_block_shown(c, sel)) return false;
  if ((c->type == TG_BLOCK_TEXT || c->type == TG_BLOCK_SENDER) && c->u.text.text.slot >= 0) {
    const char *v = sel->values[c->u.text.text.slot];
    for (; v && *v; v++)
      if (!strchr(" \t\r\n", *v)) return true;
    return false;
  }
  return true;
}

/* Stack the shown children at scale f; returns the height used (or -1
 * after reporting a problem other than overflow). */
static double flow_pass(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                        const tg_block *b, const layout_sel *sel, double f, const err_where *where,
                        tg_diag *d) {
  double y = b->y_pt;
  bool first = true;
  for (size_t i = 0; i < b->u.flow.nchildren; i++) {
    const tg_block *c = &b->u.flow.children[i];
    if (!child_shown(c, sel)) continue;
    if (!first) y += b->u.flow.gap_pt;
    y += c->space_before_pt;
    first = false;
    tg_block at = *c; /* the child at its place on the page */
    at.x_pt = b->x_pt + c->x_pt;
    at.y_pt = y;
    if (c->type == TG_BLOCK_RULE) {
      at.u.rule.x2_pt = at.x_pt + c->width_pt;
      at.u.rule.y2_pt = y + c->u.rule.stroke_pt / 2;
      at.y_pt = y + c->u.rule.stroke_pt / 2;
    }
    double used = 0;
    if (!place_block(env, ctx, arena, items, &at, sel, f, where, d, &used)) return -1;
    y += used;
  }
  return y - b->y_pt;
}

static bool place_flow(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                       const tg_block *b, const layout_sel *sel, const err_where *where, tg_diag *d,
                       double *used) {
  double size0 = layout_style(env, b->style)->size_pt;
  guint mark = items->len;
  /* children report their own problems; overflow of the whole is the flow's */
  for (int k = 0;; k++) {
    double f = shrink_factor(size0, k);
    double h = flow_pass(env, ctx, arena, items, b, sel, f, where, d);
    if (h < 0) {
      g_array_set_size(items, mark);
      return false;
    }
    if (h <= b->height_pt + 1e-6) {
      *used = h;
      return true;
    }
    g_array_set_size(items, mark);
    if (b->u.flow.overflow == TG_OVERFLOW_SHRINK &&
        size0 - 0.25 * (k + 1) >= b->u.flow.min_size_pt - 1e-9)
      continue;
    report_overflow(d, where, b, h, b->height_pt);
    return false;
  }
}

static bool place_block(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                        const tg_block *b, const layout_sel *sel, double scale,
                        const err_where *where, tg_diag *d, double *used) {
  err_where w = *where;
  if (!w.file) w.span = b->span;
  *used = b->height_pt;
  switch (b->type) {
  case TG_BLOCK_TEXT:
  case TG_BLOCK_SENDER: {
    text_result res;
    bool ok = place_text(ctx, arena, items, b, layout_style(env, b->style),
                         sel->values[b->u.text.text.slot], sel->attrs[b->u.text.text.slot], b->x_pt,
                         b->y_pt, b->width_pt, b->height_pt, 0, b->u.text.overflow,
                         b->u.text.min_size_pt, scale, &w, d, &res);
    *used = b->height_pt > 0 ? b->height_pt : res.height_pt;
    return ok;
  }
  case TG_BLOCK_BOX:
    layout_add_rect(items, b->name, b->x_pt, b->y_pt, b->width_pt, b->height_pt, b->u.box.stroke_pt,
                    b->u.box.stroke, b->u.box.fill, b->u.box.radius_pt);
    return true;
  case TG_BLOCK_RULE:
    layout_add_line(items, b->name, b->x_pt, b->y_pt, b->u.rule.x2_pt, b->u.rule.y2_pt,
                    b->u.rule.stroke_pt, b->u.rule.color, b->u.rule.dashed);
    return true;
  case TG_BLOCK_QR: return place_qr(arena, items, b, sel->values[b->u.qr.data.slot], &w, d);
  case TG_BLOCK_TABLE: return place_table(env, ctx, arena, items, b, sel, scale, &w, d, used);
  case TG_BLOCK_ADDRESS: return place_address(env, ctx, arena, items, b, sel, &w, d, used);
  case TG_BLOCK_FLOW: return place_flow(env, ctx, arena, items, b, sel, &w, d, used);
  case TG_BLOCK_IMAGE: return place_image(env, items, b, used);
  case TG_BLOCK_BARCODE: {
    /* values: postal code, then address (docs/design-format.md) */
    const char *v[2] = {"", ""};
    for (size_t i = 0; i < b->u.slot.nvalues && i < 2; i++)
      if (b->u.slot.values[i].slot >= 0) v[i] = sel->values[b->u.slot.values[i].slot];
    double h;
    layout_place_custbar(env, arena, items, b->name, v[0], v[1],
                         b->u.slot.size_pt > 0 ? b->u.slot.size_pt : 10, b->x_pt, b->y_pt,
                         where->file, where->row, d, &ctx->barcodes, &ctx->barcodes_omitted, &h);
    *used = h;
    return true;
  }
  case TG_BLOCK_CHART: /* drawn by chart.c */
    return layout_chart(env, ctx, arena, items, b, sel, w.file, w.row, d);
  case TG_BLOCK_INDICIA: return place_indicia(env, ctx, arena, items, b, sel, &w, d);
  }
  return false;
}

bool layout_block(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                  const tg_block *b, const layout_sel *sel, const err_where *where, tg_diag *d) {
  double used;
  return place_block(env, ctx, arena, items, b, sel, 1.0, where, d, &used);
}
