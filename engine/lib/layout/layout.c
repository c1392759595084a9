/* layout.c — static layers once per run, row-dependent blocks per letter.
 *
 * "Record once, replay many" starts here: tg_layout_new() sorts each page's
 * blocks into those whose texts are all static (they use no column) and the
 * rest.  The static ones are laid out now, once, into a layer with a run-unique
 * id; render sinks record a layer the first time they see it and replay the
 * recording on every page (a single shared form object in the PDF).  Per
 * letter, only the row-dependent blocks are laid out, into the context's
 * arena, which is reset for each letter so memory stays flat.
 */
#include "layout/layout_private.h"

#include <string.h>

struct tg_layout {
  layout_env env;
  tg_arena *arena; /* static layers */
  tg_layer *layers; /* one per page (nitems may be 0) */
  bool **is_static; /* per page, per block */
  size_t npages;
};

static bool block_is_static(const tg_merge *m, const tg_block *b) {
  switch (b->type) {
  case TG_BLOCK_TEXT: return tg_merge_slot_is_static(m, b->u.text.text.slot);
  case TG_BLOCK_QR: return tg_merge_slot_is_static(m, b->u.qr.data.slot);
  case TG_BLOCK_TABLE:
    for (size_t i = 0; i < b->u.table.nrows * b->u.table.ncols; i++)
      if (!tg_merge_slot_is_static(m, b->u.table.cells[i].slot)) return false;
    return true;
  case TG_BLOCK_ADDRESS:
    return tg_merge_slot_is_static(m, b->u.address.postal.slot) &&
           tg_merge_slot_is_static(m, b->u.address.address.slot) &&
           tg_merge_slot_is_static(m, b->u.address.name.slot);
  case TG_BLOCK_BOX:
  case TG_BLOCK_RULE: return true;
  }
  return false;
}

tg_layout *tg_layout_new(const tg_design *ds, const tg_merge *merge, const tg_fonts *fonts,
                         uint32_t layer_id_base, tg_diag *d) {
  tg_layout *L = g_new0(tg_layout, 1);
  L->env.design = ds;
  L->env.merge = merge;
  L->env.fonts = fonts;
  L->arena = tg_arena_new(64 * 1024);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);

  /* styles → faces: every style is checked, used or not */
  L->env.styles = g_new0(text_style, ds->nstyles + 1);
  for (size_t i = 0; i < ds->nstyles; i++)
    layout_resolve_style(&L->env, &ds->styles[i], &L->env.styles[i], d);
  tg_style dflt = {.name = "default", .font = "BIZ UDPGothic", .weight = 400, .size_pt = 10.5,
                   .line_height = 1.6, .color = 0x000000FF};
  layout_resolve_style(&L->env, &dflt, &L->env.default_style, d);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_layout_free(L);
    return NULL;
  }

  /* the static values and their attributes, one per slot */
  const char **values = g_new0(const char *, ds->ntexts + 1);
  const tg_attrs **attrs = g_new0(const tg_attrs *, ds->ntexts + 1);
  for (size_t i = 0; i < ds->ntexts; i++) {
    values[i] = tg_merge_get_static(merge, (int)i);
    attrs[i] = tg_merge_get_static_attrs(merge, (int)i);
  }

  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  L->npages = ds->npages;
  L->layers = g_new0(tg_layer, ds->npages);
  L->is_static = g_new0(bool *, ds->npages);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  for (size_t p = 0; p < ds->npages; p++) {
    const tg_design_page *pg = &ds->pages[p];
    L->is_static[p] = g_new0(bool, pg->nblocks + 1);
    g_array_set_size(items, 0);
    for (size_t i = 0; i < pg->nblocks; i++) {
      const tg_block *b = &pg->blocks[i];
      if (!block_is_static(merge, b)) continue;
      L->is_static[p][i] = true;
      err_where w = {.span = b->span};
      layout_block(&L->env, ctx, L->arena, items, b, values, attrs, &w, d);
    }
    tg_item *copy = tg_arena_alloc(L->arena, (items->len + 1) * sizeof(tg_item));
    memcpy(copy, items->data, items->len * sizeof(tg_item));
    L->layers[p] = (tg_layer){layer_id_base + (uint32_t)p + 1, items->len, copy};
  }
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
  g_free(values);
  g_free(attrs);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_layout_free(L);
    return NULL;
  }
  return L;
}

void tg_layout_free(tg_layout *L) {
  if (!L) return;
  if (L->is_static)
    for (size_t p = 0; p < L->npages; p++) g_free(L->is_static[p]);
  g_free(L->is_static);
  g_free(L->layers);
  g_free(L->env.styles);
  tg_arena_free(L->arena);
  g_free(L);
}

size_t tg_layout_get_layer_count(const tg_layout *L) { return L->npages; }

tg_layout_ctx *tg_layout_ctx_new(const tg_fonts *fonts) {
  tg_layout_ctx *ctx = g_new0(tg_layout_ctx, 1);
  ctx->fonts = fonts;
  ctx->arena = tg_arena_new(256 * 1024);
  ctx->items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  ctx->scratch_text = g_string_new(NULL);
  layout_text_ctx_init(ctx);
  return ctx;
}

void tg_layout_ctx_free(tg_layout_ctx *ctx) {
  if (!ctx) return;
  tg_arena_free(ctx->arena);
  layout_shape_cache_free(ctx->cache);
  g_array_free(ctx->items, TRUE);
  g_array_free(ctx->scratch_units, TRUE);
  g_array_free(ctx->scratch_glyphs, TRUE);
  g_array_free(ctx->scratch_styles, TRUE);
  g_array_free(ctx->scratch_ruby, TRUE);
  g_string_free(ctx->scratch_text, TRUE);
  g_free(ctx);
}

bool tg_layout_letter(const tg_layout *L, tg_layout_ctx *ctx, const tg_letter *letter,
                      tg_pages *out, tg_diag *d) {
  const tg_design *ds = L->env.design;
  tg_arena_reset(ctx->arena);
  out->npages = ds->npages;
  out->pages = tg_arena_alloc(ctx->arena, ds->npages * sizeof(tg_page));
  err_where w = {.file = letter->list_path, .row = letter->row ? letter->row->number : 0};
  bool ok = true;
  for (size_t p = 0; p < ds->npages && ok; p++) {
    const tg_design_page *pg = &ds->pages[p];
    g_array_set_size(ctx->items, 0);
    for (size_t i = 0; i < pg->nblocks && ok; i++) {
      if (L->is_static[p][i]) continue;
      ok = layout_block(&L->env, ctx, ctx->arena, ctx->items, &pg->blocks[i], letter->values,
                        letter->attrs, &w, d);
    }
    tg_page *page = &out->pages[p];
    page->width_pt = ds->page_width_pt;
    page->height_pt = ds->page_height_pt;
    page->static_layer = L->layers[p].nitems ? &L->layers[p] : NULL;
    page->nitems = ctx->items->len;
    tg_item *copy = tg_arena_alloc(ctx->arena, (ctx->items->len + 1) * sizeof(tg_item));
    memcpy(copy, ctx->items->data, ctx->items->len * sizeof(tg_item));
    page->items = copy;
  }
  return ok;
}
