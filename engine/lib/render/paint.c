/* paint.c — painting display-list items with Cairo (shared by PDF and PNG).
 *
 * Glyph runs are drawn with cairo_show_text_glyphs(), passing the original
 * text and the cluster map, so a PDF keeps the characters behind the glyphs
 * (copy-paste gives the source text, variation selectors included).  QR codes
 * are one path of module rectangles (horizontal runs merged), filled once, so
 * no seams appear between modules.  Barcodes and rules are always vectors;
 * SVG images too (replayed from a recording surface).
 *
 * The customer barcode is set as text in a font of our own: four glyphs, one
 * per bar (long, ascender, descender, tracker), defined once as a Cairo
 * user font, which a PDF keeps as a Type 3 font.  A barcode is then a run of
 * 67 glyphs (some 70 bytes in the page) instead of 67 rectangles (over a
 * kilobyte), and every bar of every letter has exactly the same shape.
 */
#include "render/render_private.h"

#include <math.h>
#include <string.h>

typedef struct {
  const void *face;
  double size_pt;
} font_key;

struct font_cache {
  GHashTable *table; /* font_key* -> cairo_scaled_font_t* */
  cairo_font_options_t *options;
};

static guint key_hash(gconstpointer p) {
  const font_key *k = p;
  return g_direct_hash(k->face) ^ g_double_hash(&k->size_pt);
}
static gboolean key_equal(gconstpointer a, gconstpointer b) {
  const font_key *x = a, *y = b;
  return x->face == y->face && x->size_pt == y->size_pt;
}

font_cache *render_font_cache_new(void) {
  font_cache *c = g_new0(font_cache, 1);
  c->table =
      g_hash_table_new_full(key_hash, key_equal, g_free, (GDestroyNotify)cairo_scaled_font_destroy);
  c->options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(c->options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(c->options, CAIRO_HINT_STYLE_NONE);
  return c;
}

void render_font_cache_free(font_cache *c) {
  if (!c) return;
  g_hash_table_destroy(c->table);
  cairo_font_options_destroy(c->options);
  g_free(c);
}

static cairo_scaled_font_t *scaled_font(font_cache *c, const tg_face *face, double size_pt) {
  font_key probe = {face, size_pt};
  cairo_scaled_font_t *sf = g_hash_table_lookup(c->table, &probe);
  if (sf) return sf;
  cairo_matrix_t fm, ctm;
  cairo_matrix_init_scale(&fm, size_pt, size_pt);
  cairo_matrix_init_identity(&ctm);
  sf = cairo_scaled_font_create(tg_face_get_cairo_face(face), &fm, &ctm, c->options);
  font_key *k = g_new(font_key, 1);
  *k = probe;
  g_hash_table_insert(c->table, k, sf);
  return sf;
}

static void set_rgba(cairo_t *cr, uint32_t c) {
  cairo_set_source_rgba(cr, ((c >> 24) & 0xFF) / 255.0, ((c >> 16) & 0xFF) / 255.0,
                        ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r) {
  if (r <= 0) {
    cairo_rectangle(cr, x, y, w, h);
    return;
  }
  if (r > w / 2) r = w / 2;
  if (r > h / 2) r = h / 2;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

static void paint_glyphs(cairo_t *cr, font_cache *fc, const tg_item *it) {
  size_t n = it->u.glyphs.nglyphs;
  if (n == 0) return;
  cairo_glyph_t stackbuf[256];
  cairo_glyph_t *g = n <= 256 ? stackbuf : g_new(cairo_glyph_t, n);
  for (size_t i = 0; i < n; i++) {
    g[i].index = it->u.glyphs.glyphs[i].id;
    g[i].x = it->x_pt + it->u.glyphs.glyphs[i].x_pt;
    g[i].y = it->y_pt + it->u.glyphs.glyphs[i].y_pt;
  }
  cairo_set_scaled_font(cr, scaled_font(fc, it->u.glyphs.face, it->u.glyphs.size_pt));
  set_rgba(cr, it->color);
  cairo_show_text_glyphs(cr, it->u.glyphs.text, (int)it->u.glyphs.text_len, g, (int)n,
                         (const cairo_text_cluster_t *)it->u.glyphs.clusters,
                         (int)it->u.glyphs.nclusters, 0);
  if (g != stackbuf) g_free(g);
}

/* A QR symbol: each run of dark modules in a row is one stroke of width one
 * module with butt caps — exactly the run's rectangle.  The symbol is drawn
 * in module units into a recording surface that is then painted scaled onto
 * the page: Cairo writes it as a small form XObject whose coordinates are
 * whole module numbers ("3 5.5 m 8 5.5 l"), a fraction of the bytes of page
 * coordinates.  The whole symbol is one stroke, so no seams appear between
 * modules; it stays vector at any size. */
static void paint_qr(cairo_t *cr, const tg_item *it) {
  int m = it->u.qr.modules;
  cairo_rectangle_t ext = {0, 0, m, m};
  cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  cairo_t *q = cairo_create(rec);
  for (int y = 0; y < m; y++) {
    int x = 0;
    while (x < m) {
      if (!it->u.qr.dark[y * m + x]) {
        x++;
        continue;
      }
      int x0 = x;
      while (x < m && it->u.qr.dark[y * m + x])
        x++;
      cairo_move_to(q, x0, y + 0.5);
      cairo_line_to(q, x, y + 0.5);
    }
  }
  set_rgba(q, it->color);
  cairo_set_line_width(q, 1.0);
  cairo_set_line_cap(q, CAIRO_LINE_CAP_BUTT);
  cairo_stroke(q);
  cairo_destroy(q);
  cairo_save(cr);
  cairo_translate(cr, it->x_pt, it->y_pt);
  cairo_scale(cr, it->u.qr.module_pt, it->u.qr.module_pt);
  cairo_set_source_surface(cr, rec, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(rec);
}

/* Diagonal hatching (bottom-left to top-right, 0.35pt) clipped to the
 * rectangle: patterns that tell zones of a chart apart in black and white. */
static void paint_hatch(cairo_t *cr, const tg_item *it) {
  double x = it->x_pt, y = it->y_pt, w = it->u.rect.w_pt, h = it->u.rect.h_pt;
  double gap = it->u.rect.hatch_pt;
  cairo_save(cr);
  rounded_rect(cr, x, y, w, h, it->u.rect.radius_pt);
  cairo_clip(cr);
  for (double u = x - h + gap / 2; u < x + w; u += gap) {
    cairo_move_to(cr, u, y + h);
    cairo_line_to(cr, u + h, y);
  }
  set_rgba(cr, it->u.rect.hatch);
  cairo_set_line_width(cr, 0.35);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  cairo_stroke(cr);
  cairo_restore(cr);
}

tg_item render_into_bleed(const tg_item *it, const paint_bleed *b) {
  tg_item r = *it;
  const double near = 0.5; /* pt */
  if (!b || b->bleed_pt <= 0 || !(it->u.rect.fill & 0xFF) || it->u.rect.radius_pt > 0) return r;
  if (it->x_pt <= near) r.x_pt -= b->bleed_pt, r.u.rect.w_pt += b->bleed_pt;
  if (it->y_pt <= near) r.y_pt -= b->bleed_pt, r.u.rect.h_pt += b->bleed_pt;
  if (it->x_pt + it->u.rect.w_pt >= b->w_pt - near) r.u.rect.w_pt += b->bleed_pt;
  if (it->y_pt + it->u.rect.h_pt >= b->h_pt - near) r.u.rect.h_pt += b->bleed_pt;
  return r;
}

/* ---- the customer barcode font ----------------------------------------------- */

static render_bar_shape bar_em;

static cairo_status_t bar_glyph(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                cairo_text_extents_t *ext) {
  (void)sf;
  double top = 0, h = 0;
  switch (glyph) {
  case 1: top = 0, h = bar_em.lng; break;             /* F: long bar */
  case 2: top = 0, h = bar_em.semi; break;            /* A: ascender */
  case 3: top = bar_em.ext, h = bar_em.semi; break;   /* D: descender */
  case 4: top = bar_em.ext, h = bar_em.timing; break; /* T: tracker */
  default: break;
  }
  if (h > 0) {
    cairo_rectangle(cr, 0, top, bar_em.bar, h);
    cairo_fill(cr);
  }
  ext->x_bearing = 0, ext->y_bearing = top, ext->width = bar_em.bar, ext->height = h;
  ext->x_advance = bar_em.pitch, ext->y_advance = 0;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t bar_font_init(cairo_scaled_font_t *sf, cairo_t *cr,
                                    cairo_font_extents_t *ext) {
  (void)sf, (void)cr;
  ext->ascent = 0, ext->descent = bar_em.lng, ext->height = bar_em.lng;
  ext->max_x_advance = bar_em.pitch, ext->max_y_advance = 0;
  return CAIRO_STATUS_SUCCESS;
}

const render_bar_shape *render_bar_shape_get(void) {
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    tg_custbar bc;
    tg_custbar_geom g;
    tg_custbar_encode_b(&bc, "2630023", "", NULL, 0); /* any valid symbol: the shapes */
    if (!tg_custbar_geometry(&bc, 10, 0, &g, NULL)) g_error("customer barcode geometry");
    double mm = tg_mm_to_pt(1);
    bar_em.bar = g.bar_pt / mm, bar_em.pitch = g.pitch_pt / mm, bar_em.lng = g.long_pt / mm;
    bar_em.semi = g.semi_pt / mm, bar_em.timing = g.timing_pt / mm;
    bar_em.ext = (g.long_pt - g.timing_pt) / 2 / mm;
    g_once_init_leave(&once, 1);
  }
  return &bar_em;
}

unsigned render_bar_glyph(char letter) {
  const char *k = strchr("FADT", letter);
  return k && letter ? (unsigned)(k - "FADT") + 1 : 4;
}

static cairo_font_face_t *bar_font(void) {
  static gsize once = 0;
  static cairo_font_face_t *face;
  if (g_once_init_enter(&once)) {
    render_bar_shape_get();
    face = cairo_user_font_face_create();
    cairo_user_font_face_set_init_func(face, bar_font_init);
    cairo_user_font_face_set_render_glyph_func(face, bar_glyph);
    g_once_init_leave(&once, 1);
  }
  return face;
}

static void paint_bars(cairo_t *cr, const tg_item *it) {
  cairo_glyph_t glyphs[TG_CUSTBAR_BARS];
  size_t n = it->u.bars.nbars < TG_CUSTBAR_BARS ? it->u.bars.nbars : TG_CUSTBAR_BARS;
  for (size_t b = 0; b < n; b++) {
    glyphs[b].index = render_bar_glyph(it->u.bars.pattern[b]);
    glyphs[b].x = it->x_pt + it->u.bars.bars[b].x_pt;
    glyphs[b].y = it->y_pt; /* the glyphs hang from the top of the bars' box */
  }
  cairo_save(cr);
  cairo_set_font_face(cr, bar_font());
  cairo_set_font_size(cr, tg_mm_to_pt(it->u.bars.size_pt / 10));
  set_rgba(cr, it->color);
  /* no text behind the bars: copying the page or pdftotext gives none */
  cairo_text_cluster_t none = {0, (int)n};
  cairo_show_text_glyphs(cr, "", 0, glyphs, (int)n, &none, 1, 0);
  cairo_restore(cr);
}

void render_paint_items(cairo_t *cr, font_cache *fc, const tg_item *items, size_t n,
                        const paint_bleed *bleed) {
  for (size_t i = 0; i < n; i++) {
    const tg_item *it = &items[i];
    tg_item grown;
    switch (it->type) {
    case TG_ITEM_GLYPHS: paint_glyphs(cr, fc, it); break;
    case TG_ITEM_RECT:
      grown = render_into_bleed(it, bleed);
      if (it->u.rect.fill & 0xFF) {
        rounded_rect(cr, grown.x_pt, grown.y_pt, grown.u.rect.w_pt, grown.u.rect.h_pt,
                     it->u.rect.radius_pt);
        set_rgba(cr, it->u.rect.fill);
        cairo_fill(cr);
      }
      if (it->u.rect.hatch_pt > 0) paint_hatch(cr, it);
      if (it->u.rect.stroke_pt > 0 && (it->u.rect.stroke & 0xFF)) {
        rounded_rect(cr, it->x_pt, it->y_pt, it->u.rect.w_pt, it->u.rect.h_pt,
                     it->u.rect.radius_pt);
        set_rgba(cr, it->u.rect.stroke);
        cairo_set_line_width(cr, it->u.rect.stroke_pt);
        cairo_stroke(cr);
      }
      break;
    case TG_ITEM_LINE:
      cairo_move_to(cr, it->x_pt, it->y_pt);
      cairo_line_to(cr, it->u.line.x2_pt, it->u.line.y2_pt);
      cairo_set_line_width(cr, it->u.line.width_pt);
      cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
      if (it->u.line.dashed) {
        double dash[2] = {3 * it->u.line.width_pt + 1, 2 * it->u.line.width_pt + 1};
        cairo_set_dash(cr, dash, 2, 0);
      }
      set_rgba(cr, it->color);
      cairo_stroke(cr);
      cairo_set_dash(cr, NULL, 0, 0);
      break;
    case TG_ITEM_QR: paint_qr(cr, it); break;
    case TG_ITEM_IMAGE:
      /* PNG pixels or an SVG recorded as vectors, scaled into its box */
      cairo_save(cr);
      cairo_translate(cr, it->x_pt, it->y_pt);
      cairo_scale(cr, it->u.image.w_pt / it->u.image.src_w, it->u.image.h_pt / it->u.image.src_h);
      cairo_set_source_surface(cr, (cairo_surface_t *)it->u.image.surface, 0, 0);
      cairo_paint(cr);
      cairo_restore(cr);
      break;
    case TG_ITEM_BARS: paint_bars(cr, it); break;
    case TG_ITEM_SLOT: break; /* a declaration: charts follow it with their own items */
    }
  }
}
