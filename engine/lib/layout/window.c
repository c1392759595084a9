/* window.c — what shows through the envelope window, letter by letter.
 *
 * The design stage checks where the address block starts; how far it
 * reaches depends on the letter (a three-line address, a two-line name, the
 * barcode line).  Here every item a block of the first page placed is
 * measured against the design's envelope (tg_design.envelope):
 *   - the address block's text stays inside the window less the play, and
 *     its barcode (and a barcode block) 2 mm further in;
 *   - nothing else reaches into what the window can show at any position of
 *     the insert: a health value in the window would be read by everyone
 *     who handles the envelope.
 * A static block that breaks a rule is a design error (reported once, at
 * the block); a block that breaks it for one letter rejects that letter, by
 * row — never a misprinted envelope.
 */
#include "layout/layout_private.h"

#define TOLERANCE_PT 0.01

static tg_box item_box(const tg_item *it) {
  double x = it->x_pt, y = it->y_pt;
  switch (it->type) {
  case TG_ITEM_GLYPHS: {
    const tg_face *f = it->u.glyphs.face;
    double s = it->u.glyphs.size_pt;
    return (tg_box){x, y - f->ascent_em * s, x + it->u.glyphs.width_pt, y + f->descent_em * s};
  }
  case TG_ITEM_RECT: {
    double h = it->u.rect.stroke_pt / 2;
    return (tg_box){x - h, y - h, x + it->u.rect.w_pt + h, y + it->u.rect.h_pt + h};
  }
  case TG_ITEM_LINE: {
    double h = it->u.line.width_pt / 2;
    return (tg_box){MIN(x, it->u.line.x2_pt) - h, MIN(y, it->u.line.y2_pt) - h,
                    MAX(x, it->u.line.x2_pt) + h, MAX(y, it->u.line.y2_pt) + h};
  }
  case TG_ITEM_QR: {
    double s = it->u.qr.module_pt * it->u.qr.modules;
    return (tg_box){x, y, x + s, y + s};
  }
  case TG_ITEM_IMAGE: return (tg_box){x, y, x + it->u.image.w_pt, y + it->u.image.h_pt};
  case TG_ITEM_SLOT: return (tg_box){x, y, x + it->u.slot.w_pt, y + it->u.slot.h_pt};
  case TG_ITEM_BARS: return (tg_box){x, y, x + it->u.bars.w_pt, y + it->u.bars.h_pt};
  }
  return (tg_box){x, y, x, y};
}

static bool box_inside(tg_box in, tg_box out) {
  return in.x0_pt >= out.x0_pt - TOLERANCE_PT && in.y0_pt >= out.y0_pt - TOLERANCE_PT &&
         in.x1_pt <= out.x1_pt + TOLERANCE_PT && in.y1_pt <= out.y1_pt + TOLERANCE_PT;
}

static bool box_overlaps(tg_box a, tg_box b) {
  return a.x0_pt < b.x1_pt - TOLERANCE_PT && b.x0_pt < a.x1_pt - TOLERANCE_PT &&
         a.y0_pt < b.y1_pt - TOLERANCE_PT && b.y0_pt < a.y1_pt - TOLERANCE_PT;
}

/* "<what> (x a–b mm, y c–d mm)", at the block (static) or the row. */
static void report(tg_diag *d, const err_where *w, const char *code, const char *what, tg_box box) {
  char msg[384];
  g_snprintf(msg, sizeof msg, "%s (x %.1f–%.1f mm, y %.1f–%.1f mm)", what, tg_pt_to_mm(box.x0_pt),
             tg_pt_to_mm(box.x1_pt), tg_pt_to_mm(box.y0_pt), tg_pt_to_mm(box.y1_pt));
  if (w->file)
    tg_diag_row(d, TG_ERROR, TG_KIND_LAYOUT, code, w->file, w->row, NULL, "%s", msg);
  else
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, code, w->span, "%s", msg);
}

bool layout_window_check(const layout_env *env, const tg_block *b, const tg_item *items, size_t n,
                         const err_where *where, tg_diag *d) {
  const tg_envelope *e = env->design->envelope;
  if (!e || n == 0) return true;
  bool addressing = b->type == TG_BLOCK_ADDRESS || b->type == TG_BLOCK_BARCODE;
  tg_box text_area = tg_envelope_safe(e, 0), bars_area = tg_envelope_safe(e, tg_mm_to_pt(2));
  tg_box visible = tg_envelope_visible(e);
  for (size_t i = 0; i < n; i++) {
    const tg_item *it = &items[i];
    tg_box box = item_box(it);
    char what[256];
    const char *type = tg_block_type_name(b->type);
    if (!addressing) {
      if (!box_overlaps(box, visible)) continue;
      g_snprintf(
          what, sizeof what,
          _("%s block '%s' shows through the window of '%s', which can show this part of the page"),
          type, b->name, e->name);
      report(d, where, "layout.window-shows", what, visible);
      tg_diag_hint(d, "only the address belongs in the window; move the block out of it");
      return false;
    }
    bool bars = it->type == TG_ITEM_BARS;
    if (box_inside(box, bars ? bars_area : text_area)) continue;
    if (bars)
      g_snprintf(
          what, sizeof what,
          _("the customer barcode of %s block '%s' is not where the window of '%s' always shows "
            "it with 2 mm around"),
          type, b->name, e->name);
    else
      g_snprintf(
          what, sizeof what,
          _("the address of %s block '%s' reaches out of what the window of '%s' always shows"),
          type, b->name, e->name);
    report(d, where, bars ? "layout.window-barcode" : "layout.window-address", what,
           bars ? bars_area : text_area);
    if (where->file)
      tg_diag_hint(d, "the letter is not printed: an address the window hides is not delivered; "
                      "a lower min-size, fewer address lines or a deeper window would fit it");
    return false;
  }
  return true;
}
