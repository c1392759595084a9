/* layout.c — static layers once per run, row-dependent blocks per letter.
 *
 * "Record once, replay many" starts here: tg_layout_new() sorts each page's
 * blocks into those whose texts (and `when:` rules) are all static and the
 * rest.  Static blocks are laid out now, once per page and per (variant,
 * segment) the list can have — and only once for all the combinations whose
 * static blocks are the same, which is the usual case — into layers with
 * run-unique ids; render sinks record a layer the first time they see it and
 * replay the recording on every page (a single shared form object in the
 * PDF).  Per letter, only the row-dependent blocks of its variant and
 * segment are laid out, into the context's arena, which is reset for each
 * letter so memory stays flat.
 *
 * Checks that need the fonts happen here too, when the layout is made: every
 * style's face, and every face a [font=…] or [b] span of the design asks for,
 * so a missing face is a design error and never a letter's.
 */
#include "layout/layout_private.h"

#include <string.h>

struct tg_layout {
  layout_env env;
  tg_arena *arena; /* static layers */
  size_t npages;
  size_t nsel;       /* selections per page: variants × segment choices */
  int *sel_segment;  /* segment of each segment choice (-1: none) */
  size_t nsegs;      /* segment choices (1 when the design has none) */
  tg_layer **layers; /* [page * nsel + v * nsegs + k]: shared layer, or NULL */
  GPtrArray *unique; /* tg_layer* owned */
  bool **is_static;  /* per page, per block */
  /* per slot: the style a text set as text is drawn in, and its block (NULL:
   * not set as text) — for the glyph preflight */
  const text_style **slot_style;
  const char **slot_block;
};

/* ---- static-ness ------------------------------------------------------------------ */

typedef struct {
  const tg_merge *m;
  bool is_static;
} static_probe;

static void probe_text(const tg_block *owner, const tg_text *t, const tg_style *st, void *data) {
  static_probe *p = data;
  if (t->slot >= 0 && !tg_merge_slot_is_static(p->m, t->slot)) p->is_static = false;
}

/* Limited to some experiment arms (itself or a child of a flow): laid out
 * per letter, because static layers are shared by every arm. */
static bool arm_limited(const tg_block *b) {
  if (b->arms != TG_ALL_ARMS) return true;
  if (b->type == TG_BLOCK_FLOW)
    for (size_t i = 0; i < b->u.flow.nchildren; i++)
      if (arm_limited(&b->u.flow.children[i])) return true;
  return false;
}

static bool block_is_static(const tg_merge *m, const tg_block *b) {
  if (arm_limited(b)) return false;
  static_probe p = {m, true};
  tg_block_foreach_text(b, probe_text, &p);
  return p.is_static;
}

/* ---- which style sets each text ------------------------------------------------------ */

static void note_slot_style(const tg_block *owner, const tg_text *t, const tg_style *st,
                            void *data) {
  tg_layout *L = data;
  if (!st || t->slot < 0 || t->kind == TG_TEXT_CONDITION) return;
  L->slot_style[t->slot] = layout_style(&L->env, st);
  L->slot_block[t->slot] = owner->name;
}

/* ---- font checks of spans ------------------------------------------------------------ */

typedef struct {
  const layout_env *env;
  tg_diag *d;
} face_check;

static void check_faces(const tg_block *owner, const tg_text *t, const tg_style *st, void *data) {
  face_check *fc = data;
  if (!st || t->slot < 0) return;
  size_t n;
  const tg_face_request *req = tg_merge_get_face_requests(fc->env->merge, t->slot, &n);
  for (size_t i = 0; i < n; i++) {
    const char *family = req[i].family ? req[i].family : st->font;
    int weight = req[i].weight ? req[i].weight : st->weight;
    if (tg_fonts_find(fc->env->fonts, family, weight)) continue;
    tg_diag_at(fc->d, TG_ERROR, TG_KIND_SCHEMA, "layout.font-missing", req[i].span,
               "this span asks for %s %s (in style '%s'), which is not in the font set", family,
               weight >= 600 ? "bold" : "regular", st->name);
    GString *have = g_string_new(NULL);
    for (size_t k = 0; k < tg_fonts_get_count(fc->env->fonts); k++) {
      const tg_face *f = tg_fonts_get(fc->env->fonts, k);
      if (tg_face_is_fallback(f)) continue;
      g_string_append_printf(have, "%s%s %s", have->len ? ", " : "", tg_face_get_family(f),
                             tg_face_get_weight(f) == 700 ? "bold" : "regular");
    }
    tg_diag_hint(fc->d, "the font set has: %s (fonts/fontset.txt)", have->str);
    g_string_free(have, TRUE);
  }
}

/* Load the images of blocks (children of flows included) and check that
 * a picture placed by one side only stays on the page. */
static void load_images(tg_layout *L, const tg_block *b, bool top, tg_diag *d) {
  if (b->type == TG_BLOCK_FLOW)
    for (size_t i = 0; i < b->u.flow.nchildren; i++)
      load_images(L, &b->u.flow.children[i], false, d);
  if (b->type != TG_BLOCK_IMAGE) return;
  const layout_image *im = layout_images_load(L->env.images, b, d);
  if (!im || !top || (b->width_pt > 0 && b->height_pt > 0)) return;
  const tg_design *ds = L->env.design;
  double w = b->width_pt > 0 ? b->width_pt : b->height_pt * im->width / im->height;
  double h = b->height_pt > 0 ? b->height_pt : b->width_pt * im->height / im->width;
  if (b->x_pt + w > ds->page_width_pt + 1e-6 || b->y_pt + h > ds->page_height_pt + 1e-6)
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "design.off-page", b->span,
               "image '%s' (%.1fmm x %.1fmm at its proportions) extends beyond the page", b->name,
               tg_pt_to_mm(w), tg_pt_to_mm(h));
}

/* ---- the layout ------------------------------------------------------------------------ */

tg_layout *tg_layout_new(const tg_design *ds, const tg_merge *merge, const tg_fonts *fonts,
                         uint32_t layer_id_base, tg_diag *d) {
  tg_layout *L = g_new0(tg_layout, 1);
  L->env.design = ds;
  L->env.merge = merge;
  L->env.fonts = fonts;
  L->env.images = layout_images_new();
  L->arena = tg_arena_new(64 * 1024);
  L->unique = g_ptr_array_new_with_free_func(g_free);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  /* copies of a block (per variant or segment) report a problem once */
  tg_diag *scratch = tg_diag_new();
  tg_diag_set_repeat_limit(scratch, 0);

  /* styles → faces: every style of every variant is checked, used or not */
  size_t nst = ds->nstyles * ds->nvariants;
  L->env.styles = g_new0(text_style, nst + 1);
  for (size_t i = 0; i < nst; i++)
    layout_resolve_style(&L->env, &ds->styles[i], &L->env.styles[i], scratch);
  tg_style dflt = {.name = "default",
                   .font = "BIZ UDPGothic",
                   .weight = 400,
                   .size_pt = 10.5,
                   .line_height = 1.6,
                   .color = 0x000000FF};
  layout_resolve_style(&L->env, &dflt, &L->env.default_style, scratch);
  face_check fc = {&L->env, scratch};
  L->slot_style = g_new0(const text_style *, ds->ntexts + 1);
  L->slot_block = g_new0(const char *, ds->ntexts + 1);
  for (size_t p = 0; p < ds->npages; p++)
    for (size_t i = 0; i < ds->pages[p].nblocks; i++) {
      const tg_block *b = &ds->pages[p].blocks[i];
      tg_block_foreach_text(b, check_faces, &fc);
      tg_block_foreach_text(b, note_slot_style, L);
      load_images(L, b, true, scratch);
      layout_chart_check(&L->env, b, scratch);
    }
  tg_diag_take_unique(d, scratch);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_diag_free(scratch);
    tg_layout_free(L);
    return NULL;
  }

  /* the selections a letter of this list can have */
  uint64_t segmask = tg_merge_get_segment_mask(merge);
  L->sel_segment = g_new0(int, ds->nsegments + 1);
  L->nsegs = 0;
  for (size_t s = 0; s < ds->nsegments; s++)
    if ((segmask >> s) & 1) L->sel_segment[L->nsegs++] = (int)s;
  if (!ds->nsegments) L->sel_segment[L->nsegs++] = -1;
  L->nsel = ds->nvariants * L->nsegs;

  /* the static values and their attributes, one per slot */
  const char **values = g_new0(const char *, ds->ntexts + 1);
  const tg_attrs **attrs = g_new0(const tg_attrs *, ds->ntexts + 1);
  for (size_t i = 0; i < ds->ntexts; i++) {
    values[i] = tg_merge_slot_is_static(merge, (int)i) ? tg_merge_get_static(merge, (int)i) : "";
    attrs[i] = tg_merge_get_static_attrs(merge, (int)i);
  }

  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  L->npages = ds->npages;
  L->layers = g_new0(tg_layer *, ds->npages * L->nsel + 1);
  L->is_static = g_new0(bool *, ds->npages);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  GHashTable *by_sig = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GString *sig = g_string_new(NULL);
  for (size_t p = 0; p < ds->npages; p++) {
    const tg_design_page *pg = &ds->pages[p];
    L->is_static[p] = g_new0(bool, pg->nblocks + 1);
    for (size_t i = 0; i < pg->nblocks; i++)
      L->is_static[p][i] = block_is_static(merge, &pg->blocks[i]);
    for (size_t v = 0; v < ds->nvariants; v++)
      for (size_t k = 0; k < L->nsegs; k++) {
        layout_sel sel = {(int)v, L->sel_segment[k], values, attrs, -1};
        /* which static blocks this selection shows decides its layer */
        g_string_printf(sig, "%zu:", p);
        for (size_t i = 0; i < pg->nblocks; i++)
          if (L->is_static[p][i] && layout_block_shown(&pg->blocks[i], &sel))
            g_string_append_printf(sig, "%zu,", i);
        tg_layer *layer = g_hash_table_lookup(by_sig, sig->str);
        if (!layer && !g_hash_table_contains(by_sig, sig->str)) {
          g_array_set_size(items, 0);
          for (size_t i = 0; i < pg->nblocks; i++) {
            const tg_block *b = &pg->blocks[i];
            if (!L->is_static[p][i] || !layout_block_shown(b, &sel)) continue;
            err_where w = {.span = b->span};
            guint mark = items->len;
            ctx->page = p;
            if (layout_block(&L->env, ctx, L->arena, items, b, &sel, &w, scratch) && p == 0)
              layout_window_check(&L->env, b, &g_array_index(items, tg_item, mark),
                                  items->len - mark, &w, scratch);
          }
          if (items->len) {
            tg_item *copy = tg_arena_alloc(L->arena, (items->len + 1) * sizeof(tg_item));
            memcpy(copy, items->data, items->len * sizeof(tg_item));
            layer = g_new0(tg_layer, 1);
            layer->id = layer_id_base + L->unique->len + 1;
            layer->nitems = items->len;
            layer->items = copy;
            g_ptr_array_add(L->unique, layer);
          }
          g_hash_table_insert(by_sig, g_strdup(sig->str), layer);
        }
        L->layers[p * L->nsel + v * L->nsegs + k] = layer;
      }
  }
  g_string_free(sig, TRUE);
  g_hash_table_destroy(by_sig);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
  g_free(values);
  g_free(attrs);
  tg_diag_take_unique(d, scratch);
  tg_diag_free(scratch);
  if (tg_diag_count_at_least(d, TG_ERROR) > errors_before) {
    tg_layout_free(L);
    return NULL;
  }
  return L;
}

void tg_layout_free(tg_layout *L) {
  if (!L) return;
  if (L->is_static)
    for (size_t p = 0; p < L->npages; p++)
      g_free(L->is_static[p]);
  g_free(L->is_static);
  g_free(L->layers);
  g_free(L->sel_segment);
  g_free(L->slot_style);
  g_free(L->slot_block);
  g_ptr_array_free(L->unique, TRUE);
  g_free(L->env.styles);
  layout_images_free(L->env.images);
  tg_arena_free(L->arena);
  g_free(L);
}

size_t tg_layout_get_layer_count(const tg_layout *L) { return L->unique->len; }

bool tg_layout_has_svg(const tg_layout *L) { return layout_images_have_svg(L->env.images); }

void tg_layout_set_postal(tg_layout *L, const struct tg_postal *postal) { L->env.postal = postal; }

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
  ctx->barcodes = ctx->barcodes_omitted = 0;
  out->npages = ds->npages;
  out->pages = tg_arena_alloc(ctx->arena, ds->npages * sizeof(tg_page));
  err_where w = {.file = letter->list_path, .row = letter->row ? letter->row->number : 0};
  int v = letter->variant >= 0 && (size_t)letter->variant < ds->nvariants ? letter->variant : 0;
  size_t k = 0;
  for (size_t i = 0; i < L->nsegs; i++)
    if (L->sel_segment[i] == letter->segment) k = i;
  /* the letter's experiment arm: the design's first without an experiment */
  int arm = -1;
  if (ds->narms) {
    arm = letter->arm_name ? tg_design_find_arm(ds, letter->arm_name) : 0;
    if (arm < 0) {
      tg_diag_row(d, TG_ERROR, TG_KIND_SCHEMA, "layout.unknown-arm", w.file, w.row, NULL,
                  "the letter's experiment arm '%s' is not an arm of design %s", letter->arm_name,
                  ds->path);
      out->npages = 0;
      return false;
    }
  }
  layout_sel sel = {v, L->sel_segment[k], letter->values, letter->attrs, arm};
  if (!layout_preflight_letter(&L->env, L->slot_style, L->slot_block, letter, d)) {
    out->npages = 0;
    return false;
  }
  bool ok = true;
  for (size_t p = 0; p < ds->npages && ok; p++) {
    const tg_design_page *pg = &ds->pages[p];
    g_array_set_size(ctx->items, 0);
    ctx->page = p;
    for (size_t i = 0; i < pg->nblocks && ok; i++) {
      if (L->is_static[p][i] || !layout_block_shown(&pg->blocks[i], &sel)) continue;
      guint mark = ctx->items->len;
      ok = layout_block(&L->env, ctx, ctx->arena, ctx->items, &pg->blocks[i], &sel, &w, d);
      if (ok && p == 0 && ds->envelope)
        ok = layout_window_check(&L->env, &pg->blocks[i], &g_array_index(ctx->items, tg_item, mark),
                                 ctx->items->len - mark, &w, d);
    }
    tg_page *page = &out->pages[p];
    page->width_pt = ds->page_width_pt;
    page->height_pt = ds->page_height_pt;
    page->static_layer = L->layers[p * L->nsel + (size_t)v * L->nsegs + k];
    page->nitems = ctx->items->len;
    tg_item *copy = tg_arena_alloc(ctx->arena, (ctx->items->len + 1) * sizeof(tg_item));
    if (ctx->items->len) memcpy(copy, ctx->items->data, ctx->items->len * sizeof(tg_item));
    page->items = copy;
  }
  out->barcodes = ctx->barcodes;
  out->barcodes_omitted = ctx->barcodes_omitted;
  return ok;
}
