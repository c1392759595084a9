/* images.c — the design's pictures, loaded once per layout.
 *
 * A PNG becomes a Cairo image surface; an SVG is drawn once by librsvg into a
 * Cairo recording surface, so it stays vectors in the PDF and is replayed,
 * not re-parsed, wherever it appears.  Paths were resolved and confined to
 * the design's folder by the design stage; here the files are decoded, and a
 * file that cannot be decoded is a design error at the block.  Surfaces are
 * immutable after loading and shared by every letter.
 */
#include "layout/layout_private.h"

#include <librsvg/rsvg.h>
#include <string.h>

struct layout_images {
  GHashTable *by_path; /* path -> layout_image* (NULL value: failed) */
};

static void image_free(gpointer p) {
  layout_image *im = p;
  if (!im) return;
  cairo_surface_destroy(im->surface);
  g_free(im);
}

layout_images *layout_images_new(void) {
  layout_images *im = g_new0(layout_images, 1);
  im->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, image_free);
  return im;
}

void layout_images_free(layout_images *im) {
  if (!im) return;
  g_hash_table_destroy(im->by_path);
  g_free(im);
}

static layout_image *load_png(const char *path) {
  cairo_surface_t *s = cairo_image_surface_create_from_png(path);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return NULL;
  }
  layout_image *im = g_new0(layout_image, 1);
  im->surface = s;
  im->width = cairo_image_surface_get_width(s);
  im->height = cairo_image_surface_get_height(s);
  return im;
}

static layout_image *load_svg(const char *path, const char **why) {
  GError *err = NULL;
  RsvgHandle *h = rsvg_handle_new_from_file(path, &err);
  if (!h) {
    *why = N_("it is not a readable SVG");
    g_clear_error(&err);
    return NULL;
  }
  double w = 0, h_px = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &h_px)) {
    /* no width/height: take the viewBox */
    gboolean has_w, has_h, has_vb;
    RsvgLength lw, lh;
    RsvgRectangle vb;
    rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
    if (has_vb) {
      w = vb.width;
      h_px = vb.height;
    }
  }
  if (!(w > 0) || !(h_px > 0)) {
    *why = N_("it has no size: give the <svg> a width and height or a viewBox");
    g_object_unref(h);
    return NULL;
  }
  cairo_rectangle_t ext = {0, 0, w, h_px};
  cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  cairo_t *cr = cairo_create(rec);
  RsvgRectangle viewport = {0, 0, w, h_px};
  gboolean ok = rsvg_handle_render_document(h, cr, &viewport, &err);
  cairo_destroy(cr);
  g_object_unref(h);
  if (!ok || cairo_surface_status(rec) != CAIRO_STATUS_SUCCESS) {
    *why = N_("librsvg cannot draw it");
    g_clear_error(&err);
    cairo_surface_destroy(rec);
    return NULL;
  }
  layout_image *im = g_new0(layout_image, 1);
  im->surface = rec;
  im->width = w;
  im->height = h_px;
  return im;
}

const layout_image *layout_images_load(layout_images *im, const tg_block *b, tg_diag *d) {
  const char *path = b->u.image.path;
  if (!path) return NULL;
  if (g_hash_table_contains(im->by_path, path)) return g_hash_table_lookup(im->by_path, path);
  const char *why = N_("it is not a readable PNG");
  layout_image *img = b->u.image.format == TG_IMAGE_PNG ? load_png(path) : load_svg(path, &why);
  if (!img)
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "layout.image", b->span,
               "image '%s' cannot be used: %s", b->u.image.file, _(why));
  g_hash_table_insert(im->by_path, g_strdup(path), img);
  return img;
}

const layout_image *layout_images_get(const layout_images *im, const tg_block *b) {
  if (!b->u.image.path) return NULL;
  return g_hash_table_lookup(im->by_path, b->u.image.path);
}

bool layout_images_have_svg(const layout_images *im) {
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, im->by_path);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    const layout_image *img = value;
    if (img && cairo_surface_get_type(img->surface) == CAIRO_SURFACE_TYPE_RECORDING) return true;
  }
  return false;
}
