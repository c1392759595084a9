/* pdf.c — the PDF sink: print output through Cairo.
 *
 * Static layers are recorded once into a Cairo recording surface and painted
 * on every page that uses them; Cairo's PDF backend then writes the layer as
 * one form XObject referenced from every page, which keeps files small and
 * rendering fast.  Fonts are embedded as subsets.  The creation date comes
 * from the options (job date or SOURCE_DATE_EPOCH), never from the clock.
 *
 * For print production a page can be set on a larger sheet with bleed and
 * crop marks (トンボ); Cairo cannot write TrimBox and BleedBox, so the
 * finished file then goes once through libqpdf, which adds them — and which,
 * asked to compact, also packs the objects into object streams.
 *
 * A PDF is built in memory and touches the disk once, finished: Cairo writes
 * into a byte array, the finishing pass reads it from there and writes into
 * memory, and the final bytes go either to the file (a private temporary,
 * renamed) or to the caller's write_out function — which the run uses to
 * encrypt them first, so no unencrypted PDF of an encrypted job is ever on
 * disk, not even for a moment before a kill.  One batch is in memory at a
 * time per worker.
 *
 * That pass always runs: it also rewrites Cairo's RGB black as K only
 * (color.c).
 */
#include "render/render_private.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  tg_sink base;
  cairo_surface_t *surface;
  cairo_t *cr;
  font_cache *fonts;
  GHashTable *recordings;     /* layer id -> cairo_surface_t* */
  double w_pt, h_pt;          /* the current trim size */
  double bleed_pt, margin_pt; /* around the trim: bleed, and bleed + marks */
  bool marks, compact;
  tg_pdf_print print; /* colour for print (color.c); icc_profile owned */
  GArray *trims;      /* double[2] per page: its trim size, for TrimBox */
  char *path;
  GByteArray *bytes; /* what Cairo writes (pdf_write): the whole PDF, in memory */
  tg_pdf_write_fn write_out;
  void *write_out_data;
} pdf_sink;

/* Cairo's output: into memory; the file is written once, finished. */
static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length) {
  pdf_sink *p = closure;
  g_byte_array_append(p->bytes, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The finished bytes to their place: the caller's function, else the file
 * (0600, a temporary renamed).  A failed write (disk full, a file size
 * limit) is reported with its reason and leaves no file. */
bool render_pdf_deliver(const char *path, tg_pdf_write_fn write_out, void *write_out_data,
                        const uint8_t *pdf, size_t len, tg_diag *d) {
  if (write_out) return write_out(pdf, len, path, write_out_data, d);
  tg_atomic *a = tg_atomic_open(path, d);
  if (!a) return false;
  if (fwrite(pdf, 1, len, tg_atomic_get_file(a)) != len) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "io.write", "cannot write %s: %s", path,
                g_strerror(errno ? errno : EIO));
    tg_atomic_abort(a);
    return false;
  }
  return tg_atomic_commit(a, d);
}

static void pdf_begin_letter(tg_sink *s, const tg_letter_info *info) { (void)s, (void)info; }

static cairo_surface_t *recording_for(pdf_sink *p, const tg_page *page) {
  const tg_layer *layer = page->static_layer;
  cairo_surface_t *rec = g_hash_table_lookup(p->recordings, GUINT_TO_POINTER(layer->id));
  if (rec) return rec;
  double b = p->bleed_pt;
  cairo_rectangle_t ext = {-b, -b, page->width_pt + 2 * b, page->height_pt + 2 * b};
  rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  cairo_t *cr = cairo_create(rec);
  paint_bleed pb = {page->width_pt, page->height_pt, b};
  render_paint_items(cr, p->fonts, layer->items, layer->nitems, b > 0 ? &pb : NULL);
  cairo_destroy(cr);
  g_hash_table_insert(p->recordings, GUINT_TO_POINTER(layer->id), rec);
  return rec;
}

/* Japanese crop marks (トンボ) around a trim of w × h at the origin: at each
 * corner the trim line and the bleed line, at the middle of each side a
 * cross; hairlines outside the bleed. */
void render_crop_marks(double w, double h, double bleed, double margin,
                       double seg[RENDER_CROP_SEGMENTS][4]) {
  const double far = -margin + tg_mm_to_pt(1), len = tg_mm_to_pt(RENDER_MARK_AREA_MM - 1);
  size_t n = 0;
  for (int cx = 0; cx < 2; cx++)
    for (int cy = 0; cy < 2; cy++) {
      /* mirror the top-left corner into the others */
      double sx = cx ? -1 : 1, sy = cy ? -1 : 1, ox = cx ? w : 0, oy = cy ? h : 0;
      const double lines[][4] = {
          {far, 0, -bleed, 0},      /* trim line, horizontal */
          {far, -bleed, 0, -bleed}, /* bleed line, horizontal, to the trim corner */
          {0, far, 0, -bleed},      /* trim line, vertical */
          {-bleed, far, -bleed, 0}, /* bleed line, vertical */
      };
      for (size_t i = 0; i < G_N_ELEMENTS(lines); i++, n++) {
        seg[n][0] = ox + sx * lines[i][0], seg[n][1] = oy + sy * lines[i][1];
        seg[n][2] = ox + sx * lines[i][2], seg[n][3] = oy + sy * lines[i][3];
      }
    }
  /* centre marks: a line from the sheet edge to the bleed, crossed */
  double mid = -bleed - len / 2, half = len / 2;
  const double centre[][4] = {
      {w / 2, far, w / 2, -bleed},        {w / 2 - half, mid, w / 2 + half, mid},
      {w / 2, h - far, w / 2, h + bleed}, {w / 2 - half, h - mid, w / 2 + half, h - mid},
      {far, h / 2, -bleed, h / 2},        {mid, h / 2 - half, mid, h / 2 + half},
      {w - far, h / 2, w + bleed, h / 2}, {w - mid, h / 2 - half, w - mid, h / 2 + half},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(centre); i++, n++)
    memcpy(seg[n], centre[i], sizeof centre[i]);
}

static void draw_crop_marks(cairo_t *cr, double w, double h, double bleed, double margin) {
  double seg[RENDER_CROP_SEGMENTS][4];
  render_crop_marks(w, h, bleed, margin, seg);
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.25);
  for (size_t i = 0; i < RENDER_CROP_SEGMENTS; i++) {
    cairo_move_to(cr, seg[i][0], seg[i][1]);
    cairo_line_to(cr, seg[i][2], seg[i][3]);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

static bool pdf_page(tg_sink *s, const tg_page *page, tg_diag *d) {
  pdf_sink *p = (pdf_sink *)s;
  if (page->width_pt != p->w_pt || page->height_pt != p->h_pt || s->pages == 0) {
    cairo_pdf_surface_set_size(p->surface, page->width_pt + 2 * p->margin_pt,
                               page->height_pt + 2 * p->margin_pt);
    p->w_pt = page->width_pt;
    p->h_pt = page->height_pt;
  }
  double trim[2] = {page->width_pt, page->height_pt};
  g_array_append_vals(p->trims, trim, 2);
  cairo_save(p->cr);
  cairo_translate(p->cr, p->margin_pt, p->margin_pt);
  if (page->static_layer) {
    cairo_set_source_surface(p->cr, recording_for(p, page), 0, 0);
    cairo_paint(p->cr);
  }
  paint_bleed pb = {page->width_pt, page->height_pt, p->bleed_pt};
  render_paint_items(p->cr, p->fonts, page->items, page->nitems, p->bleed_pt > 0 ? &pb : NULL);
  if (p->marks) draw_crop_marks(p->cr, page->width_pt, page->height_pt, p->bleed_pt, p->margin_pt);
  cairo_restore(p->cr);
  cairo_show_page(p->cr);
  s->pages++;
  cairo_status_t st = cairo_status(p->cr);
  if (st != CAIRO_STATUS_SUCCESS) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "render.cairo", "Cairo failed writing %s: %s",
                p->path, cairo_status_to_string(st));
    return false;
  }
  return true;
}

/* "[x0 y0 x1 y1]" in points, whatever the locale. */
static char *pdf_box(double x0, double y0, double x1, double y1) {
  const double v[4] = {x0, y0, x1, y1};
  GString *s = g_string_new("[");
  for (int i = 0; i < 4; i++) {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(s, "%s%s", i ? " " : "", g_ascii_formatd(buf, sizeof buf, "%.4f", v[i]));
  }
  g_string_append_c(s, ']');
  return g_string_free(s, FALSE);
}

/* TrimBox and BleedBox on every page set on a larger sheet. */
static void pdf_set_boxes(pdf_sink *p, qpdf_data q) {
  size_t n = (size_t)qpdf_get_num_pages(q);
  for (size_t i = 0; p->margin_pt > 0 && i < n && 2 * i + 1 < p->trims->len; i++) {
    double w = g_array_index(p->trims, double, 2 * i),
           h = g_array_index(p->trims, double, 2 * i + 1);
    double m = p->margin_pt, b = p->bleed_pt;
    qpdf_oh page = qpdf_get_page_n(q, i);
    char *box = pdf_box(m, m, m + w, m + h);
    qpdf_oh_replace_key(q, page, "/TrimBox", qpdf_oh_parse(q, box));
    g_free(box);
    box = pdf_box(m - b, m - b, m + w + b, m + h + b);
    qpdf_oh_replace_key(q, page, "/BleedBox", qpdf_oh_parse(q, box));
    g_free(box);
  }
}

/* The finishing pass: Cairo's bytes once through libqpdf, memory to memory
 * (no file to read back), then delivered.  Its steps work on the parsed
 * document `q` in turn; a step that changes the document goes between the
 * boxes and the write. */
static bool pdf_finish(pdf_sink *p, tg_diag *d) {
  qpdf_data q = qpdf_init();
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  bool ok = !(qpdf_read_memory(q, p->path, (const char *)p->bytes->data, p->bytes->len, NULL) &
              QPDF_ERRORS);
  render_color color;
  render_color_init(&color, q);
  ok = ok && render_color_start(&color, &p->print, d) && render_color_rewrite(&color, d) &&
       render_color_declare(&color, &p->print, d);
  if (ok) pdf_set_boxes(p, q);
  ok = ok && !(qpdf_init_write_memory(q) & QPDF_ERRORS);
  if (ok) {
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    qpdf_set_stream_data_mode(q, qpdf_s_preserve);
    qpdf_set_compress_streams(q, QPDF_TRUE); /* the rewritten content streams */
    if (p->compact) qpdf_set_object_stream_mode(q, qpdf_o_generate);
    if (p->print.pdfx) qpdf_set_minimum_pdf_version(q, "1.6"); /* PDF/X-4 */
    ok = !(qpdf_write(q) & QPDF_ERRORS);
  }
  if (!ok) {
    const char *why = qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q))
                                        : "libqpdf reported an error";
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "render.pdf", "cannot finish %s: %s", p->path, why);
  } else {
    g_byte_array_free(p->bytes, TRUE); /* Cairo's bytes are no longer needed */
    p->bytes = g_byte_array_new();
    ok = render_pdf_deliver(p->path, p->write_out, p->write_out_data, qpdf_get_buffer(q),
                            qpdf_get_buffer_length(q), d);
  }
  render_color_clear(&color);
  qpdf_cleanup(&q);
  return ok;
}

static bool pdf_close(tg_sink *s, tg_diag *d) {
  pdf_sink *p = (pdf_sink *)s;
  cairo_destroy(p->cr);
  p->cr = NULL;
  cairo_surface_finish(p->surface);
  cairo_status_t st = cairo_surface_status(p->surface);
  if (st != CAIRO_STATUS_SUCCESS) {
    tg_diag_add(d, TG_ERROR, st == CAIRO_STATUS_WRITE_ERROR ? TG_KIND_SYSTEM : TG_KIND_LIBRARY,
                "render.pdf", "cannot finish %s: %s", p->path, cairo_status_to_string(st));
    return false;
  }
  /* always: black is rewritten to K only (color.c) */
  return pdf_finish(p, d);
}

static void pdf_free(tg_sink *s) {
  pdf_sink *p = (pdf_sink *)s;
  if (p->cr) cairo_destroy(p->cr);
  g_hash_table_destroy(p->recordings);
  g_array_free(p->trims, TRUE);
  if (p->surface) cairo_surface_destroy(p->surface);
  g_byte_array_free(p->bytes, TRUE);
  render_font_cache_free(p->fonts);
  g_free((char *)p->print.icc_profile);
  g_free(p->path);
  g_free(p);
}

static const sink_vtable PDF_VT = {pdf_begin_letter, pdf_page, pdf_close, pdf_free};

tg_sink *tg_sink_pdf_new(const char *path, const tg_pdf_options *opt, tg_diag *d) {
  if (opt && opt->own_writer && opt->print.pdfx == TG_PDFX_NONE)
    return render_pdf_own_new(path, opt, d);
  pdf_sink *p = g_new0(pdf_sink, 1);
  p->base.vt = &PDF_VT;
  p->path = g_strdup(path);
  p->w_pt = 595.2755905511812; /* A4; changed per page when needed */
  p->h_pt = 841.8897637795276;
  p->trims = g_array_new(FALSE, FALSE, sizeof(double));
  if (opt) {
    p->bleed_pt = opt->bleed_pt;
    p->marks = opt->crop_marks;
    p->compact = opt->compact;
    p->print = opt->print;
    p->print.icc_profile = g_strdup(opt->print.icc_profile);
    p->margin_pt = p->bleed_pt + (p->marks ? tg_mm_to_pt(RENDER_MARK_AREA_MM) : 0);
  }
  p->recordings = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify)cairo_surface_destroy);
  p->fonts = render_font_cache_new();
  p->bytes = g_byte_array_new();
  if (opt) {
    p->write_out = opt->write_out;
    p->write_out_data = opt->write_out_data;
  }
  p->surface = cairo_pdf_surface_create_for_stream(pdf_write, p, p->w_pt + 2 * p->margin_pt,
                                                   p->h_pt + 2 * p->margin_pt);
  cairo_status_t st = cairo_surface_status(p->surface);
  if (st != CAIRO_STATUS_SUCCESS) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.pdf", "cannot create %s: %s", path,
                cairo_status_to_string(st));
    pdf_free(&p->base);
    return NULL;
  }
  cairo_pdf_surface_restrict_to_version(p->surface, CAIRO_PDF_VERSION_1_5);
  if (opt) {
    if (opt->title)
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, opt->title);
    if (opt->subject)
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_SUBJECT, opt->subject);
    if (opt->date) {
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, opt->date);
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_MOD_DATE, opt->date);
    }
  }
  cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "tegami " TG_VERSION);
  p->cr = cairo_create(p->surface);
  return &p->base;
}
