/* pdf_own.c — the PDF sink of tegami's own writer: letter batches, fast.
 *
 * Each page becomes one content stream, written (deflated once) as soon as
 * the page is done; its dictionary waits for an object stream (pdfw.c).
 * The page's coordinate system is the display list's — points from the top
 * left, y downwards — set once by the page's first `cm`; text undoes the
 * flip in its text matrix.  A static layer is a form XObject written the
 * first time a page uses it and referenced (`/x<n> Do`) from every other.
 * All pages and forms share one resource dictionary, written at the end
 * with every font, form, image and transparency state the file used.
 *
 * What a page says, item by item:
 *  - glyph runs: one `TJ` per baseline, glyph ids as CIDs of a subset CID
 *    font (pdfw_font.c); the spacing the layout added (justification, the
 *    letter-spacing of a line) is one `Tc` per run when it is even, with
 *    `TJ` adjustments only where a glyph sits elsewhere.  Runs whose
 *    glyphs cannot carry their text in ToUnicode (a glyph already standing
 *    for other characters) are wrapped in ActualText;
 *  - colours: a grey (r = g = b) is DeviceGray, so black is K only with no
 *    rewriting pass; other colours are RGB, or CMYK through Little CMS when
 *    the job asks (color_cmyk.c); alpha through ExtGState, and only then
 *    does a page get a transparency group, blending in DeviceCMYK;
 *  - QR symbols as strokes in module units (one per run of dark modules),
 *    customer barcodes as a Type 3 font of four bars, PNG images as image
 *    XObjects (with a soft mask for alpha), written once per file.
 *
 * The catalog declares the output intent when the options ask for it (the
 * CMYK profile, deflated once per process).  Cairo still writes PDF/X and
 * any design with SVG images: pdf.c.
 */
#include "render/pdfw.h"
#include "render/render_private.h"

#include <math.h>
#include <string.h>

typedef struct {
  uint32_t fill, stroke; /* 0xRRGGBB00 | 1: unset */
  int alpha;             /* 0–255, -1: unset */
  double line_w;         /* -1: unset */
  bool dashed;
  unsigned font;       /* resource index, 0: none */
  double font_size_pt; /* for `font` */
  double tc;           /* character spacing */
} gstate;

typedef struct {
  tg_sink base;
  pdfw *w;
  pdfw_fonts *fonts;
  GPtrArray *used_fonts; /* pdfw_font*, in index order */
  char *path;
  tg_pdf_options opt; /* strings not kept: title, subject, date copied below */
  char *title, *subject, *date;
  double bleed_pt, margin_pt;
  uint32_t pages_obj, res_obj;
  GArray *page_objs;  /* uint32_t */
  GHashTable *forms;  /* layer id -> object number (+ alpha flag in bit 31) */
  GHashTable *images; /* surface -> object number */
  GArray *xobjects;   /* uint32_t: forms and images, for the resources */
  bool alphas[256];   /* the ExtGStates used */
  uint32_t bar_font;  /* the Type 3 font, 0 until a barcode is drawn */
  GString *c;         /* the content stream being built */
  gstate g;           /* its graphics state */
  bool used_alpha;    /* in the content being built */
  render_color color; /* the CMYK profile and conversion, when asked */
} own_sink;

/* ---- graphics state --------------------------------------------------------------- */

static void state_reset(gstate *g) {
  g->fill = g->stroke = 1;
  g->alpha = -1;
  g->line_w = -1;
  g->dashed = false;
  g->font = 0;
  g->font_size_pt = 0;
  g->tc = 0;
}

static void put_sp(GString *c, double v) {
  pdfw_put_num(c, v);
  g_string_append_c(c, ' ');
}

static void put_color(own_sink *o, uint32_t rgba, bool stroke) {
  GString *c = o->c;
  double r = ((rgba >> 24) & 0xFF) / 255.0, g = ((rgba >> 16) & 0xFF) / 255.0,
         b = ((rgba >> 8) & 0xFF) / 255.0;
  if (((rgba >> 24) & 0xFF) == ((rgba >> 16) & 0xFF) &&
      ((rgba >> 16) & 0xFF) == ((rgba >> 8) & 0xFF)) {
    /* a grey: K only */
    put_sp(c, r);
    g_string_append(c, stroke ? "G\n" : "g\n");
    return;
  }
  const double rgb[3] = {r, g, b};
  if (o->color.transform && render_color_convert(&o->color, rgb, stroke, c)) {
    g_string_append_c(c, '\n');
    return;
  }
  put_sp(c, r), put_sp(c, g), put_sp(c, b);
  g_string_append(c, stroke ? "RG\n" : "rg\n");
}

static void set_alpha(own_sink *o, int a) {
  if (o->g.alpha == a || (o->g.alpha == -1 && a == 255)) return;
  o->g.alpha = a;
  o->alphas[a] = true;
  if (a != 255) o->used_alpha = true;
  g_string_append(o->c, "/a");
  pdfw_put_int(o->c, a);
  g_string_append(o->c, " gs\n");
}

static void set_fill(own_sink *o, uint32_t rgba) {
  set_alpha(o, (int)(rgba & 0xFF));
  uint32_t k = rgba & 0xFFFFFF00u;
  if (o->g.fill == k) return;
  o->g.fill = k;
  put_color(o, rgba, false);
}

static void set_stroke(own_sink *o, uint32_t rgba, double width_pt) {
  set_alpha(o, (int)(rgba & 0xFF));
  uint32_t k = rgba & 0xFFFFFF00u;
  if (o->g.stroke != k) {
    o->g.stroke = k;
    put_color(o, rgba, true);
  }
  if (o->g.line_w != width_pt) {
    o->g.line_w = width_pt;
    put_sp(o->c, width_pt);
    g_string_append(o->c, "w\n");
  }
}

/* q … Q around a part that changes the matrix or the clip: the tracked
 * state is the one outside again afterwards. */
static gstate save(own_sink *o) {
  g_string_append(o->c, "q\n");
  return o->g;
}
static void restore(own_sink *o, gstate was) {
  g_string_append(o->c, "Q\n");
  o->g = was;
}

/* ---- glyph runs --------------------------------------------------------------------- */

/* Note the run's glyphs with their text; false if ToUnicode cannot carry it. */
static bool note_glyphs(pdfw_font *f, const tg_item *it) {
  const tg_glyph *gl = it->u.glyphs.glyphs;
  size_t n = it->u.glyphs.nglyphs;
  if (!it->u.glyphs.text || it->u.glyphs.nclusters == 0) {
    bool ok = true;
    for (size_t i = 0; i < n; i++)
      ok = pdfw_font_use_glyph(f, gl[i].id, NULL, 0) && ok;
    return ok;
  }
  bool ok = true;
  size_t gi = 0, ti = 0;
  for (size_t k = 0; k < it->u.glyphs.nclusters; k++) {
    const tg_cluster *cl = &it->u.glyphs.clusters[k];
    for (int j = 0; j < cl->num_glyphs && gi < n; j++, gi++) {
      size_t len = j == 0 ? (size_t)cl->num_bytes : 0;
      if (ti + len > it->u.glyphs.text_len) len = 0;
      ok = pdfw_font_use_glyph(f, gl[gi].id, it->u.glyphs.text + ti, len) && ok;
    }
    if (cl->num_glyphs == 0 && cl->num_bytes > 0) ok = false; /* characters with no glyph */
    ti += (size_t)cl->num_bytes;
  }
  for (; gi < n; gi++)
    ok = pdfw_font_use_glyph(f, gl[gi].id, NULL, 0) && ok;
  return ok;
}

/* The even spacing of a run: the gap after the first glyph when at least
 * half the gaps are that wide, else 0. */
static double run_spacing(const tg_glyph *gl, const double *adv_pt, size_t n) {
  if (n < 3) return 0;
  double first = gl[1].x_pt - gl[0].x_pt - adv_pt[0];
  size_t same = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    double d = gl[i + 1].x_pt - gl[i].x_pt - adv_pt[i];
    if (fabs(d - first) < 0.001) same++;
  }
  return 2 * same >= n - 1 && fabs(first) >= 0.001 ? first : 0;
}

/* Glyphs [from, to) on one baseline: Tm, then one TJ.  code_bytes 2: CIDs,
 * 1: the barcode font's one-byte codes. */
static void put_line(own_sink *o, double x0, double y0, const tg_glyph *gl, const double *adv_pt,
                     const unsigned *codes, size_t from, size_t to, double size_pt,
                     int code_bytes) {
  GString *c = o->c;
  g_string_append(c, "1 0 0 -1 ");
  put_sp(c, x0 + gl[from].x_pt);
  put_sp(c, y0 + gl[from].y_pt);
  g_string_append(c, "Tm\n[<");
  double pen = gl[from].x_pt;
  for (size_t i = from; i < to; i++) {
    double adj = (gl[i].x_pt - pen) * 1000.0 / size_pt;
    if (i > from && fabs(adj) >= 0.05) {
      g_string_append(c, ">");
      pdfw_put_num(c, -adj);
      g_string_append(c, "<");
    }
    if (code_bytes == 2) {
      pdfw_put_hex4(c, codes[i]);
    } else {
      static const char hex[] = "0123456789ABCDEF";
      g_string_append_c(c, hex[(codes[i] >> 4) & 15]);
      g_string_append_c(c, hex[codes[i] & 15]);
    }
    pen = gl[i].x_pt + adv_pt[i] + o->g.tc;
  }
  g_string_append(c, ">] TJ\n");
}

/* A run of glyphs of one font at one size, in lines of equal baseline. */
static void put_glyphs(own_sink *o, unsigned font, double size_pt, uint32_t color, double x0,
                       double y0, const tg_glyph *gl, const double *adv_pt, const unsigned *codes,
                       size_t n, int code_bytes) {
  GString *c = o->c;
  set_fill(o, color);
  g_string_append(c, "BT\n");
  if (o->g.font != font || o->g.font_size_pt != size_pt) {
    o->g.font = font, o->g.font_size_pt = size_pt;
    if (font == UINT32_MAX)
      g_string_append(c, "/B ");
    else
      g_string_append(c, "/F"), pdfw_put_int(c, font), g_string_append_c(c, ' ');
    put_sp(c, size_pt);
    g_string_append(c, "Tf\n");
  }
  double tc = run_spacing(gl, adv_pt, n);
  if (tc != o->g.tc) {
    o->g.tc = tc;
    put_sp(c, tc);
    g_string_append(c, "Tc\n");
  }
  size_t from = 0;
  for (size_t i = 1; i <= n; i++)
    if (i == n || gl[i].y_pt != gl[from].y_pt) {
      put_line(o, x0, y0, gl, adv_pt, codes, from, i, size_pt, code_bytes);
      from = i;
    }
  g_string_append(c, "ET\n");
}

static void paint_glyphs(own_sink *o, const tg_item *it) {
  size_t n = it->u.glyphs.nglyphs;
  if (n == 0) return;
  pdfw_font *f = pdfw_fonts_get(o->fonts, o->w, it->u.glyphs.face);
  unsigned idx = pdfw_font_get_index(f);
  if (idx > o->used_fonts->len) g_ptr_array_add(o->used_fonts, f);
  bool plain = note_glyphs(f, it);
  double size = it->u.glyphs.size_pt;
  double adv_stack[256];
  unsigned code_stack[256];
  double *adv = n <= 256 ? adv_stack : g_new(double, n);
  unsigned *codes = n <= 256 ? code_stack : g_new(unsigned, n);
  for (size_t i = 0; i < n; i++) {
    codes[i] = it->u.glyphs.glyphs[i].id;
    adv[i] = pdfw_font_advance(f, codes[i]) * size / 1000.0;
  }
  if (!plain) {
    g_string_append(o->c, "/Span << /ActualText ");
    pdfw_put_text_string(o->c, it->u.glyphs.text ? it->u.glyphs.text : "",
                         it->u.glyphs.text ? it->u.glyphs.text_len : 0);
    g_string_append(o->c, " >> BDC\n");
  }
  put_glyphs(o, idx, size, it->color, it->x_pt, it->y_pt, it->u.glyphs.glyphs, adv, codes, n, 2);
  if (!plain) g_string_append(o->c, "EMC\n");
  if (adv != adv_stack) g_free(adv);
  if (codes != code_stack) g_free(codes);
}

/* The customer barcode: glyphs of the Type 3 font /B, an em = a/10 mm. */
static void paint_bars(own_sink *o, const tg_item *it) {
  const render_bar_shape *shape = render_bar_shape_get();
  size_t n = it->u.bars.nbars < TG_CUSTBAR_BARS ? it->u.bars.nbars : TG_CUSTBAR_BARS;
  if (n == 0) return;
  if (!o->bar_font) o->bar_font = pdfw_reserve(o->w);
  double size = tg_mm_to_pt(it->u.bars.size_pt / 10);
  tg_glyph gl[TG_CUSTBAR_BARS];
  double adv[TG_CUSTBAR_BARS];
  unsigned codes[TG_CUSTBAR_BARS];
  for (size_t b = 0; b < n; b++) {
    gl[b].id = codes[b] = render_bar_glyph(it->u.bars.pattern[b]);
    gl[b].x_pt = (float)it->u.bars.bars[b].x_pt;
    gl[b].y_pt = 0;
    adv[b] = shape->pitch * size;
  }
  put_glyphs(o, UINT32_MAX, size, it->color, it->x_pt, it->y_pt, gl, adv, codes, n, 1);
}

/* ---- shapes ---------------------------------------------------------------------------- */

static void put_rect_path(GString *c, double x, double y, double w, double h, double r) {
  if (r <= 0) {
    put_sp(c, x), put_sp(c, y), put_sp(c, w), put_sp(c, h);
    g_string_append(c, "re\n");
    return;
  }
  if (r > w / 2) r = w / 2;
  if (r > h / 2) r = h / 2;
  const double k = r * 0.5522847498; /* a quarter circle as one Bézier curve */
  double x1 = x + w, y1 = y + h;
  put_sp(c, x + r), put_sp(c, y), g_string_append(c, "m\n");
  put_sp(c, x1 - r), put_sp(c, y), g_string_append(c, "l\n");
  put_sp(c, x1 - r + k), put_sp(c, y), put_sp(c, x1), put_sp(c, y + r - k), put_sp(c, x1),
      put_sp(c, y + r), g_string_append(c, "c\n");
  put_sp(c, x1), put_sp(c, y1 - r), g_string_append(c, "l\n");
  put_sp(c, x1), put_sp(c, y1 - r + k), put_sp(c, x1 - r + k), put_sp(c, y1), put_sp(c, x1 - r),
      put_sp(c, y1), g_string_append(c, "c\n");
  put_sp(c, x + r), put_sp(c, y1), g_string_append(c, "l\n");
  put_sp(c, x + r - k), put_sp(c, y1), put_sp(c, x), put_sp(c, y1 - r + k), put_sp(c, x),
      put_sp(c, y1 - r), g_string_append(c, "c\n");
  put_sp(c, x), put_sp(c, y + r), g_string_append(c, "l\n");
  put_sp(c, x), put_sp(c, y + r - k), put_sp(c, x + r - k), put_sp(c, y), put_sp(c, x + r),
      put_sp(c, y), g_string_append(c, "c\nh\n");
}

static void put_segment(GString *c, double x1, double y1, double x2, double y2) {
  put_sp(c, x1), put_sp(c, y1), g_string_append(c, "m "), put_sp(c, x2), put_sp(c, y2);
  g_string_append(c, "l\n");
}

static void paint_hatch(own_sink *o, const tg_item *it) {
  double x = it->x_pt, y = it->y_pt, w = it->u.rect.w_pt, h = it->u.rect.h_pt;
  double gap = it->u.rect.hatch_pt;
  gstate was = save(o);
  put_rect_path(o->c, x, y, w, h, it->u.rect.radius_pt);
  g_string_append(o->c, "W n\n");
  for (double u = x - h + gap / 2; u < x + w; u += gap)
    put_segment(o->c, u, y + h, u + h, y);
  set_stroke(o, it->u.rect.hatch, 0.35);
  g_string_append(o->c, "S\n");
  restore(o, was);
}

static void paint_rect(own_sink *o, const tg_item *it, const paint_bleed *bleed) {
  tg_item grown = render_into_bleed(it, bleed);
  if (it->u.rect.fill & 0xFF) {
    set_fill(o, it->u.rect.fill);
    put_rect_path(o->c, grown.x_pt, grown.y_pt, grown.u.rect.w_pt, grown.u.rect.h_pt,
                  it->u.rect.radius_pt);
    g_string_append(o->c, "f\n");
  }
  if (it->u.rect.hatch_pt > 0) paint_hatch(o, it);
  if (it->u.rect.stroke_pt > 0 && (it->u.rect.stroke & 0xFF)) {
    set_stroke(o, it->u.rect.stroke, it->u.rect.stroke_pt);
    put_rect_path(o->c, it->x_pt, it->y_pt, it->u.rect.w_pt, it->u.rect.h_pt, it->u.rect.radius_pt);
    g_string_append(o->c, "S\n");
  }
}

static void paint_line(own_sink *o, const tg_item *it) {
  set_stroke(o, it->color, it->u.line.width_pt);
  if (it->u.line.dashed != o->g.dashed) {
    o->g.dashed = it->u.line.dashed;
    if (it->u.line.dashed) {
      double wd = it->u.line.width_pt;
      g_string_append_c(o->c, '[');
      put_sp(o->c, 3 * wd + 1);
      pdfw_put_num(o->c, 2 * wd + 1);
      g_string_append(o->c, "] 0 d\n");
    } else {
      g_string_append(o->c, "[] 0 d\n");
    }
  }
  put_segment(o->c, it->x_pt, it->y_pt, it->u.line.x2_pt, it->u.line.y2_pt);
  g_string_append(o->c, "S\n");
}

/* A QR symbol in module units: one stroke a module wide per run of dark
 * modules, so no seams appear between modules. */
static void paint_qr(own_sink *o, const tg_item *it) {
  int m = it->u.qr.modules;
  gstate was = save(o);
  GString *c = o->c;
  put_sp(c, it->u.qr.module_pt), g_string_append(c, "0 0 "), put_sp(c, it->u.qr.module_pt);
  put_sp(c, it->x_pt), put_sp(c, it->y_pt), g_string_append(c, "cm\n");
  o->g.line_w = -1;
  set_stroke(o, it->color, 1);
  for (int y = 0; y < m; y++) {
    const uint8_t *row = it->u.qr.dark + (size_t)y * (size_t)m;
    int x = 0;
    while (x < m) {
      if (!row[x]) {
        x++;
        continue;
      }
      int x0 = x;
      while (x < m && row[x])
        x++;
      pdfw_put_int(c, x0), g_string_append_c(c, ' '), pdfw_put_int(c, y);
      g_string_append(c, ".5 m "), pdfw_put_int(c, x), g_string_append_c(c, ' ');
      pdfw_put_int(c, y), g_string_append(c, ".5 l\n");
    }
  }
  g_string_append(c, "S\n");
  restore(o, was);
}

/* ---- images ------------------------------------------------------------------------------- */

/* A PNG's pixels (a Cairo image surface, premultiplied) as an image XObject
 * with a soft mask when any pixel is not opaque; once per file. */
static uint32_t image_object(own_sink *o, cairo_surface_t *s) {
  gpointer known = g_hash_table_lookup(o->images, s);
  if (known) return GPOINTER_TO_UINT(known);
  cairo_surface_flush(s);
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  int stride = cairo_image_surface_get_stride(s);
  cairo_format_t fmt = cairo_image_surface_get_format(s);
  const unsigned char *px = cairo_image_surface_get_data(s);
  size_t npx = (size_t)w * (size_t)h;
  guint8 *rgb = g_malloc(npx * 3 + 1), *alpha = g_malloc(npx + 1);
  bool any_alpha = false;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      uint32_t v;
      memcpy(&v, px + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
      unsigned a = fmt == CAIRO_FORMAT_ARGB32 ? v >> 24 : 255;
      unsigned r = (v >> 16) & 0xFF, g = (v >> 8) & 0xFF, b = v & 0xFF;
      if (a && a < 255) r = r * 255 / a, g = g * 255 / a, b = b * 255 / a;
      size_t i = (size_t)y * (size_t)w + (size_t)x;
      rgb[3 * i] = (guint8)r, rgb[3 * i + 1] = (guint8)g, rgb[3 * i + 2] = (guint8)b;
      alpha[i] = (guint8)a;
      any_alpha = any_alpha || a < 255;
    }
  GString *dict = g_string_new("/Type /XObject /Subtype /Image /Width ");
  pdfw_put_int(dict, w);
  g_string_append(dict, " /Height ");
  pdfw_put_int(dict, h);
  g_string_append(dict, " /BitsPerComponent 8");
  uint32_t num = pdfw_reserve(o->w);
  size_t common = dict->len;
  if (any_alpha) {
    uint32_t mask = pdfw_reserve(o->w);
    g_string_append(dict, " /ColorSpace /DeviceGray");
    pdfw_stream(o->w, mask, dict->str, alpha, npx, true);
    g_string_truncate(dict, common);
    g_string_append(dict, " /SMask ");
    pdfw_put_int(dict, mask);
    g_string_append(dict, " 0 R");
  }
  g_string_append(dict,
                  " /ColorSpace /DeviceRGB /Interpolate true"); /* as Cairo: smooth when enlarged */
  pdfw_stream(o->w, num, dict->str, rgb, npx * 3, true);
  g_string_free(dict, TRUE);
  g_free(rgb);
  g_free(alpha);
  g_hash_table_insert(o->images, s, GUINT_TO_POINTER(num));
  g_array_append_val(o->xobjects, num);
  return num;
}

static void paint_image(own_sink *o, const tg_item *it, tg_diag *d) {
  cairo_surface_t *s = it->u.image.surface;
  if (cairo_surface_get_type(s) != CAIRO_SURFACE_TYPE_IMAGE) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "render.pdf",
                "%s: an SVG image needs the Cairo PDF writer", it->u.image.file);
    return;
  }
  uint32_t num = image_object(o, s);
  gstate was = save(o);
  GString *c = o->c;
  put_sp(c, it->u.image.w_pt), g_string_append(c, "0 0 "), put_sp(c, -it->u.image.h_pt);
  put_sp(c, it->x_pt), put_sp(c, it->y_pt + it->u.image.h_pt), g_string_append(c, "cm /x");
  pdfw_put_int(c, num);
  g_string_append(c, " Do\n");
  restore(o, was);
}

/* ---- pages and forms --------------------------------------------------------------------- */

static void paint_items(own_sink *o, const tg_item *items, size_t n, const paint_bleed *bleed,
                        tg_diag *d) {
  for (size_t i = 0; i < n; i++) {
    const tg_item *it = &items[i];
    switch (it->type) {
    case TG_ITEM_GLYPHS: paint_glyphs(o, it); break;
    case TG_ITEM_RECT: paint_rect(o, it, bleed); break;
    case TG_ITEM_LINE: paint_line(o, it); break;
    case TG_ITEM_QR: paint_qr(o, it); break;
    case TG_ITEM_IMAGE: paint_image(o, it, d); break;
    case TG_ITEM_BARS: paint_bars(o, it); break;
    case TG_ITEM_SLOT: break; /* a declaration: charts follow it with their own items */
    }
  }
}

static void begin_content(own_sink *o) {
  g_string_truncate(o->c, 0);
  state_reset(&o->g);
  o->used_alpha = false;
}

static void put_ref(GString *s, const char *key, uint32_t num) {
  g_string_append(s, key);
  pdfw_put_ref(s, num);
}

static void put_box(GString *s, const char *key, double x0, double y0, double x1, double y1) {
  g_string_append(s, key);
  g_string_append_c(s, '[');
  put_sp(s, x0), put_sp(s, y0), put_sp(s, x1), pdfw_put_num(s, y1);
  g_string_append_c(s, ']');
}

#define FORM_ALPHA 0x80000000u /* in the forms table: the form uses transparency */

/* The static layer's form XObject, written the first time it is used. */
static uint32_t form_for(own_sink *o, const tg_page *page, bool *alpha, tg_diag *d) {
  const tg_layer *layer = page->static_layer;
  gpointer known = g_hash_table_lookup(o->forms, GUINT_TO_POINTER(layer->id));
  if (known) {
    *alpha = GPOINTER_TO_UINT(known) & FORM_ALPHA;
    return GPOINTER_TO_UINT(known) & ~FORM_ALPHA;
  }
  begin_content(o);
  double b = o->bleed_pt;
  paint_bleed pb = {page->width_pt, page->height_pt, b};
  paint_items(o, layer->items, layer->nitems, b > 0 ? &pb : NULL, d);
  uint32_t num = pdfw_reserve(o->w);
  GString *dict = g_string_new("/Type /XObject /Subtype /Form");
  put_box(dict, " /BBox ", -b, -b, page->width_pt + b, page->height_pt + b);
  put_ref(dict, " /Resources ", o->res_obj);
  if (o->used_alpha) g_string_append(dict, " /Group << /S /Transparency /CS /DeviceCMYK >>");
  pdfw_stream(o->w, num, dict->str, o->c->str, o->c->len, true);
  g_string_free(dict, TRUE);
  *alpha = o->used_alpha;
  g_hash_table_insert(o->forms, GUINT_TO_POINTER(layer->id),
                      GUINT_TO_POINTER(num | (o->used_alpha ? FORM_ALPHA : 0)));
  g_array_append_val(o->xobjects, num);
  return num;
}

/* Japanese crop marks (トンボ): the geometry pdf.c draws with Cairo. */
static void put_crop_marks(own_sink *o, double w, double h) {
  double seg[RENDER_CROP_SEGMENTS][4];
  render_crop_marks(w, h, o->bleed_pt, o->margin_pt, seg);
  set_stroke(o, 0x000000FFu, 0.25);
  for (size_t i = 0; i < RENDER_CROP_SEGMENTS; i++)
    put_segment(o->c, seg[i][0], seg[i][1], seg[i][2], seg[i][3]);
  g_string_append(o->c, "S\n");
}

static void own_begin_letter(tg_sink *s, const tg_letter_info *info) { (void)s, (void)info; }

static bool own_page(tg_sink *s, const tg_page *page, tg_diag *d) {
  own_sink *o = (own_sink *)s;
  size_t errors = tg_diag_count_at_least(d, TG_ERROR);
  bool form_alpha = false;
  uint32_t form = page->static_layer ? form_for(o, page, &form_alpha, d) : 0;
  const double m = o->margin_pt, w = page->width_pt, h = page->height_pt;
  begin_content(o);
  GString *c = o->c;
  /* the display list's coordinates: points from the trim's top left, y down */
  g_string_append(c, "1 0 0 -1 ");
  put_sp(c, m), put_sp(c, h + m);
  g_string_append(c, "cm\n");
  if (form) {
    g_string_append(c, "/x");
    pdfw_put_int(c, form);
    g_string_append(c, " Do\n");
  }
  paint_bleed pb = {w, h, o->bleed_pt};
  paint_items(o, page->items, page->nitems, o->bleed_pt > 0 ? &pb : NULL, d);
  if (o->opt.crop_marks) put_crop_marks(o, w, h);
  uint32_t contents = pdfw_reserve(o->w);
  pdfw_stream(o->w, contents, "", c->str, c->len, true);

  uint32_t num = pdfw_reserve(o->w);
  GString *dict = g_string_new("<< /Type /Page");
  put_ref(dict, " /Parent ", o->pages_obj);
  put_box(dict, " /MediaBox ", 0, 0, w + 2 * m, h + 2 * m);
  if (m > 0) {
    const double b = o->bleed_pt;
    put_box(dict, " /TrimBox ", m, m, m + w, m + h);
    put_box(dict, " /BleedBox ", m - b, m - b, m + w + b, m + h + b);
  }
  put_ref(dict, " /Contents ", contents);
  put_ref(dict, " /Resources ", o->res_obj);
  if (o->used_alpha || form_alpha)
    g_string_append(dict, " /Group << /Type /Group /S /Transparency /I true /CS /DeviceCMYK >>");
  g_string_append(dict, " >>");
  pdfw_object(o->w, num, dict->str, dict->len);
  g_string_free(dict, TRUE);
  g_array_append_val(o->page_objs, num);
  s->pages++;
  return tg_diag_count_at_least(d, TG_ERROR) == errors;
}

/* ---- the end of the file --------------------------------------------------------------------- */

/* The Type 3 font of the customer barcode's four bars, in thousandths of an
 * em, hanging from the baseline (the text matrix turns y up again). */
static void write_bar_font(own_sink *o) {
  const render_bar_shape *sh = render_bar_shape_get();
  const double top[4] = {0, 0, sh->ext, sh->ext}, ht[4] = {sh->lng, sh->semi, sh->semi, sh->timing};
  uint32_t procs[4];
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 4; i++) {
    procs[i] = pdfw_reserve(o->w);
    g_string_truncate(s, 0);
    double x1 = sh->bar * 1000, y0 = -(top[i] + ht[i]) * 1000, y1 = -top[i] * 1000;
    put_sp(s, sh->pitch * 1000), g_string_append(s, "0 0 "), put_sp(s, y0), put_sp(s, x1);
    put_sp(s, y1), g_string_append(s, "d1\n0 "), put_sp(s, y0), put_sp(s, x1);
    put_sp(s, ht[i] * 1000), g_string_append(s, "re f\n");
    pdfw_stream(o->w, procs[i], "", s->str, s->len, false);
  }
  g_string_assign(s, "<< /Type /Font /Subtype /Type3 /FontBBox [0 ");
  put_sp(s, -sh->lng * 1000), put_sp(s, sh->bar * 1000);
  g_string_append(s, "0] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs <<");
  for (int i = 0; i < 4; i++) {
    g_string_append(s, " /b");
    pdfw_put_int(s, i + 1);
    put_ref(s, " ", procs[i]);
  }
  g_string_append(s, " >> /Encoding << /Type /Encoding /Differences [1 /b1 /b2 /b3 /b4] >> "
                     "/FirstChar 1 /LastChar 4 /Widths [");
  for (int i = 0; i < 4; i++)
    put_sp(s, sh->pitch * 1000);
  g_string_append(s, "] /Resources << >> >>");
  pdfw_object(o->w, o->bar_font, s->str, s->len);
  g_string_free(s, TRUE);
}

static void write_resources(own_sink *o) {
  GString *s = g_string_new("<< /Font <<");
  for (guint i = 0; i < o->used_fonts->len; i++) {
    const pdfw_font *f = g_ptr_array_index(o->used_fonts, i);
    g_string_append(s, " /F");
    pdfw_put_int(s, pdfw_font_get_index(f));
    put_ref(s, " ", pdfw_font_get_object(f));
  }
  if (o->bar_font) put_ref(s, " /B ", o->bar_font);
  g_string_append(s, " >> /XObject <<");
  for (guint i = 0; i < o->xobjects->len; i++) {
    uint32_t num = g_array_index(o->xobjects, uint32_t, i);
    g_string_append(s, " /x");
    pdfw_put_int(s, num);
    put_ref(s, " ", num);
  }
  g_string_append(s, " >> /ExtGState <<");
  for (int a = 0; a < 256; a++)
    if (o->alphas[a]) {
      g_string_append(s, " /a");
      pdfw_put_int(s, a);
      g_string_append(s, " << /ca ");
      put_sp(s, a / 255.0);
      g_string_append(s, "/CA ");
      put_sp(s, a / 255.0);
      g_string_append(s, ">>");
    }
  g_string_append(s, " >> >>");
  pdfw_object(o->w, o->res_obj, s->str, s->len);
  g_string_free(s, TRUE);
}

/* The CMYK profile deflated, once per process and profile. */
static GBytes *deflated_profile(own_sink *o) {
  static GMutex lock;
  static GHashTable *cache; /* profile name+length -> GBytes */
  g_mutex_lock(&lock);
  if (!cache)
    cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  char *key = g_strdup_printf("%zu:%s", o->color.icc_len, o->color.icc_name);
  GBytes *z = g_hash_table_lookup(cache, key);
  if (!z) {
    GByteArray *out = g_byte_array_new();
    pdfw_deflate(o->w, o->color.icc, o->color.icc_len, out);
    z = g_byte_array_free_to_bytes(out);
    g_hash_table_insert(cache, g_strdup(key), z);
  }
  g_bytes_ref(z);
  g_free(key);
  g_mutex_unlock(&lock);
  return z;
}

static uint32_t write_output_intent(own_sink *o) {
  if (!o->color.icc) return 0;
  uint32_t profile = pdfw_reserve(o->w), intent = pdfw_reserve(o->w);
  GBytes *z = deflated_profile(o);
  gsize zlen = 0;
  const void *zdata = g_bytes_get_data(z, &zlen);
  pdfw_stream_deflated(o->w, profile, "/N 4", zdata, zlen);
  g_bytes_unref(z);
  GString *s = g_string_new("<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier "
                            "(Custom) /RegistryName (http://www.color.org) /Info ");
  size_t n = strlen(o->color.icc_name);
  pdfw_put_text_string(s, o->color.icc_name, n);
  g_string_append(s, " /OutputCondition ");
  pdfw_put_text_string(s, o->color.icc_name, n);
  put_ref(s, " /DestOutputProfile ", profile);
  g_string_append(s, " >>");
  pdfw_object(o->w, intent, s->str, s->len);
  g_string_free(s, TRUE);
  return intent;
}

/* "YYYY-MM-DDThh:mm:ss" as a PDF date, D:YYYYMMDDhhmmss. */
static void put_date(GString *s, const char *key, const char *iso) {
  g_string_append(s, key);
  g_string_append(s, "(D:");
  for (const char *p = iso; *p; p++)
    if (g_ascii_isdigit(*p)) g_string_append_c(s, *p);
  g_string_append_c(s, ')');
}

static uint32_t write_info(own_sink *o) {
  uint32_t num = pdfw_reserve(o->w);
  GString *s = g_string_new("<<");
  if (o->title) {
    g_string_append(s, " /Title ");
    pdfw_put_text_string(s, o->title, strlen(o->title));
  }
  if (o->subject) {
    g_string_append(s, " /Subject ");
    pdfw_put_text_string(s, o->subject, strlen(o->subject));
  }
  g_string_append(s, " /Creator (tegami " TG_VERSION ") /Producer (tegami " TG_VERSION ")");
  if (o->date) {
    put_date(s, " /CreationDate ", o->date);
    put_date(s, " /ModDate ", o->date);
  }
  g_string_append(s, " >>");
  pdfw_object(o->w, num, s->str, s->len);
  g_string_free(s, TRUE);
  return num;
}

static bool own_close(tg_sink *s, tg_diag *d) {
  own_sink *o = (own_sink *)s;
  if (!pdfw_fonts_write(o->fonts, o->w, d)) return false;
  if (o->bar_font) write_bar_font(o);
  write_resources(o);
  GString *t = g_string_new("<< /Type /Pages /Kids [");
  for (guint i = 0; i < o->page_objs->len; i++) {
    if (i) g_string_append_c(t, ' ');
    pdfw_put_int(t, g_array_index(o->page_objs, uint32_t, i));
    g_string_append(t, " 0 R");
  }
  g_string_append(t, "] /Count ");
  pdfw_put_int(t, o->page_objs->len);
  g_string_append(t, " >>");
  pdfw_object(o->w, o->pages_obj, t->str, t->len);
  uint32_t intent = write_output_intent(o);
  uint32_t root = pdfw_reserve(o->w);
  g_string_assign(t, "<< /Type /Catalog");
  put_ref(t, " /Pages ", o->pages_obj);
  if (intent) put_ref(t, " /OutputIntents [", intent), g_string_append_c(t, ']');
  g_string_append(t, " >>");
  pdfw_object(o->w, root, t->str, t->len);
  g_string_free(t, TRUE);
  uint32_t info = write_info(o);
  GByteArray *bytes = pdfw_finish(o->w, root, info);
  pdfw_free(o->w);
  o->w = NULL;
  bool ok = render_pdf_deliver(o->path, o->opt.write_out, o->opt.write_out_data, bytes->data,
                               bytes->len, d);
  g_byte_array_free(bytes, TRUE);
  return ok;
}

static void own_free(tg_sink *s) {
  own_sink *o = (own_sink *)s;
  pdfw_free(o->w);
  pdfw_fonts_free(o->fonts);
  g_ptr_array_free(o->used_fonts, TRUE);
  g_array_free(o->page_objs, TRUE);
  g_array_free(o->xobjects, TRUE);
  g_hash_table_destroy(o->forms);
  g_hash_table_destroy(o->images);
  g_string_free(o->c, TRUE);
  render_color_clear(&o->color);
  g_free(o->title), g_free(o->subject), g_free(o->date), g_free(o->path);
  g_free(o);
}

static const sink_vtable OWN_VT = {own_begin_letter, own_page, own_close, own_free};

tg_sink *render_pdf_own_new(const char *path, const tg_pdf_options *opt, tg_diag *d) {
  own_sink *o = g_new0(own_sink, 1);
  o->base.vt = &OWN_VT;
  o->path = g_strdup(path);
  o->opt = *opt;
  o->title = g_strdup(opt->title), o->subject = g_strdup(opt->subject);
  o->date = g_strdup(opt->date);
  o->opt.title = o->opt.subject = o->opt.date = NULL;
  o->bleed_pt = opt->bleed_pt;
  o->margin_pt = opt->bleed_pt + (opt->crop_marks ? tg_mm_to_pt(RENDER_MARK_AREA_MM) : 0);
  o->w = pdfw_new(opt->compact);
  o->fonts = pdfw_fonts_new();
  o->used_fonts = g_ptr_array_new();
  o->page_objs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  o->xobjects = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  o->forms = g_hash_table_new(g_direct_hash, g_direct_equal);
  o->images = g_hash_table_new(g_direct_hash, g_direct_equal);
  o->c = g_string_sized_new(64 * 1024);
  o->pages_obj = pdfw_reserve(o->w);
  o->res_obj = pdfw_reserve(o->w);
  render_color_init(&o->color, NULL);
  if (!render_color_start(&o->color, &opt->print, d)) {
    own_free(&o->base);
    return NULL;
  }
  return &o->base;
}
