/* frame.c — text frames outside designs, for what the later stages draw
 * itself: control numbers printed where the vendor asks, address-label cells,
 * mailing lists, the lines of charts and follow-up sheets (placed by
 * tg_layout_place_line).  Same text engine, same font fallback and kinsoku as letters;
 * only the style comes from a tg_frame_spec instead of a design.
 */
#include "layout/layout_private.h"

#include <math.h>
#include <string.h>

void tg_layout_ctx_reset(tg_layout_ctx *ctx) {
  tg_arena_reset(ctx->arena);
  g_array_set_size(ctx->items, 0);
}

bool tg_layout_frame(tg_layout_ctx *ctx, const tg_frame_spec *spec, const char *text,
                     const char *name, const tg_item **items, size_t *nitems, double *height_pt,
                     tg_diag *d) {
  const tg_face *face = tg_fonts_find(ctx->fonts, spec->family, spec->weight);
  if (!face) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "layout.font-missing",
                "%s asks for %s %s, which is not in the font set", name, spec->family,
                spec->weight >= 600 ? "bold" : "regular");
    return false;
  }
  text_style st = {.face = face,
                   .family = spec->family,
                   .weight = spec->weight,
                   .size_pt = spec->size_pt,
                   .line_height = spec->line_height > 0 ? spec->line_height : 1.4,
                   .align = spec->align,
                   .color = spec->color ? spec->color : 0x000000FF,
                   .ruby_scale = 0.5};
  double width = spec->width_pt > 0 ? spec->width_pt : 1e6;
  /* the name is kept with the items: copy it into the arena */
  const char *block = tg_arena_strndup(ctx->arena, name, strlen(name));
  guint mark = ctx->items->len;
  if (spec->address) text = layout_address_text(ctx, ctx->arena, &st, text, width);
  text_result res;
  for (;;) {
    g_array_set_size(ctx->items, mark);
    if (!layout_text(ctx, ctx->arena, ctx->items, block, text, strlen(text), NULL, &st, spec->x_pt,
                     spec->y_pt, width, 0, spec->max_lines, &res)) {
      g_array_set_size(ctx->items, mark);
      if (res.missing_cp)
        tg_diag_add(d, TG_ERROR, TG_KIND_LAYOUT, "layout.glyph-missing",
                    "no font in the font set can draw U+%04X (in %s)", res.missing_cp, name);
      return false;
    }
    if (!res.overflow) break;
    if (spec->min_size_pt > 0 && st.size_pt - 0.25 >= spec->min_size_pt - 1e-9) {
      st.size_pt -= 0.25;
      continue;
    }
    g_array_set_size(ctx->items, mark);
    tg_diag_add(d, TG_ERROR, TG_KIND_LAYOUT, "layout.overflow",
                "the text of %s needs %zu lines; at most %zu fit", name, res.nlines,
                spec->max_lines);
    return false;
  }
  *items = &g_array_index(ctx->items, tg_item, mark);
  *nitems = ctx->items->len - mark;
  if (height_pt) *height_pt = res.height_pt;
  return true;
}

bool tg_layout_place_line(const tg_item *items, size_t n, tg_align align, double x_pt, double y_pt,
                          double *dx_pt, double *dy_pt) {
  /* the line's extent and baseline, then placed as asked */
  double left = INFINITY, right = -INFINITY, base = 0;
  for (size_t i = 0; i < n; i++)
    if (items[i].type == TG_ITEM_GLYPHS) {
      left = fmin(left, items[i].x_pt);
      right = fmax(right, items[i].x_pt + items[i].u.glyphs.width_pt);
      base = items[i].y_pt;
    }
  if (!(right >= left)) return false;
  double w = right - left;
  double x0 = align == TG_ALIGN_LEFT ? x_pt : align == TG_ALIGN_CENTER ? x_pt - w / 2 : x_pt - w;
  *dx_pt = x0 - left;
  *dy_pt = y_pt - base;
  return true;
}
