/* png.c — the PNG sink: one image per page, for proofs and pixel goldens.
 *
 * Pages are painted on a white background at the requested resolution and
 * written atomically and privately (a 0600 temporary, then rename) as
 * <prefix>-<n>.png — through a stream, since Cairo's own PNG writer opens
 * the file with the umask's permissions.
 * Static layers are simply painted again: proofs are few and speed does not
 * matter here, exactness does.
 */
#include "render/render_private.h"

#include <math.h>

typedef struct {
  tg_sink base;
  char *dir, *prefix;
  double dpi;
  font_cache *fonts;
} png_sink;

static void png_begin_letter(tg_sink *s, const tg_letter_info *info) { (void)s, (void)info; }

static cairo_status_t write_png_bytes(void *closure, const unsigned char *data, unsigned int len) {
  return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static bool png_page(tg_sink *s, const tg_page *page, tg_diag *d) {
  png_sink *p = (png_sink *)s;
  double scale = p->dpi / 72.0;
  int w = (int)ceil(page->width_pt * scale), h = (int)ceil(page->height_pt * scale);
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create(img);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  if (page->static_layer)
    render_paint_items(cr, p->fonts, page->static_layer->items, page->static_layer->nitems, NULL);
  render_paint_items(cr, p->fonts, page->items, page->nitems, NULL);
  cairo_destroy(cr);
  s->pages++;
  char name[64];
  g_snprintf(name, sizeof name, "%s-%04" G_GUINT64_FORMAT ".png", p->prefix, s->pages);
  char *final_path = g_build_filename(p->dir, name, NULL);
  tg_atomic *a = tg_atomic_open(final_path, d);
  bool ok = a != NULL;
  if (ok) {
    cairo_status_t st =
        cairo_surface_write_to_png_stream(img, write_png_bytes, tg_atomic_get_file(a));
    if (st != CAIRO_STATUS_SUCCESS) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.png", "cannot write %s: %s", final_path,
                  cairo_status_to_string(st));
      tg_atomic_abort(a);
      ok = false;
    } else {
      ok = tg_atomic_commit(a, d);
    }
  }
  cairo_surface_destroy(img);
  g_free(final_path);
  return ok;
}

static bool png_close(tg_sink *s, tg_diag *d) { return true; }

static void png_free(tg_sink *s) {
  png_sink *p = (png_sink *)s;
  render_font_cache_free(p->fonts);
  g_free(p->dir);
  g_free(p->prefix);
  g_free(p);
}

static const sink_vtable PNG_VT = {png_begin_letter, png_page, png_close, png_free};

tg_sink *tg_sink_png_new(const char *dir, const char *prefix, double dpi, tg_diag *d) {
  if (!tg_mkdir_private(dir, d)) return NULL;
  png_sink *p = g_new0(png_sink, 1);
  p->base.vt = &PNG_VT;
  p->dir = g_strdup(dir);
  p->prefix = g_strdup(prefix);
  p->dpi = dpi > 0 ? dpi : 150;
  p->fonts = render_font_cache_new();
  return &p->base;
}
