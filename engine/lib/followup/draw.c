/* draw.c — pages of placed items for call sheets and the report.
 *
 * Like the evaluation chart (experiment/evaluation_chart.c): rectangles and
 * lines made here, texts set by the layout stage's text engine (the private
 * font set, kinsoku, an error rather than a missing glyph), drawn by the
 * render stage's PDF sink, and for golden tests by its trace sink.  The PDF
 * is written under a private temporary name and renamed when complete, and
 * encrypted in place first when a password is given. */
#include "followup/followup_private.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define FAMILY   "BIZ UDPGothic"
#define MIN_TEXT 5.0

bool fu_doc_init(fu_doc *D, const char *fontset, double page_w, double page_h, tg_diag *d) {
  memset(D, 0, sizeof *D);
  char *listing =
      fontset ? g_strdup(fontset) : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  D->fonts = tg_fonts_load(listing, d);
  g_free(listing);
  if (!D->fonts) return false;
  D->ctx = tg_layout_ctx_new(D->fonts);
  D->pages = g_ptr_array_new();
  D->page_w = page_w;
  D->page_h = page_h;
  D->d = d;
  D->ok = true;
  fu_doc_new_page(D);
  return true;
}

void fu_doc_clear(fu_doc *D) {
  if (D->pages) {
    for (guint i = 0; i < D->pages->len; i++)
      g_array_free(g_ptr_array_index(D->pages, i), TRUE);
    g_ptr_array_free(D->pages, TRUE);
  }
  if (D->ctx) tg_layout_ctx_free(D->ctx);
  if (D->fonts) tg_fonts_free(D->fonts);
  memset(D, 0, sizeof *D);
}

void fu_doc_new_page(fu_doc *D) {
  D->items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  g_ptr_array_add(D->pages, D->items);
}

void fu_rect(fu_doc *D, const char *part, double x, double y, double w, double h, double stroke_pt,
             uint32_t fill) {
  tg_item it = {.type = TG_ITEM_RECT, .block = part, .x_pt = x, .y_pt = y};
  it.u.rect.w_pt = w;
  it.u.rect.h_pt = h;
  it.u.rect.stroke_pt = stroke_pt;
  it.u.rect.stroke = stroke_pt > 0 ? 0x000000FF : 0;
  it.u.rect.fill = fill;
  g_array_append_val(D->items, it);
}

void fu_line(fu_doc *D, const char *part, double x1, double y1, double x2, double y2, double w_pt) {
  tg_item it = {.type = TG_ITEM_LINE, .block = part, .x_pt = x1, .y_pt = y1, .color = 0x000000FF};
  it.u.line.x2_pt = x2;
  it.u.line.y2_pt = y2;
  it.u.line.width_pt = w_pt;
  g_array_append_val(D->items, it);
}

/* Set a frame, retrying on one line at MIN_TEXT when it overflows. */
static bool set_frame(fu_doc *D, tg_frame_spec *fs, const char *s, const char *part,
                      const tg_item **items, size_t *n) {
  tg_diag *tried = tg_diag_new();
  bool ok = tg_layout_frame(D->ctx, fs, s, part, items, n, NULL, tried);
  bool overflow_only = !ok && tg_diag_count(tried) > 0;
  for (size_t i = 0; overflow_only && i < tg_diag_count(tried); i++)
    overflow_only = strcmp(tg_diag_get(tried, i)->code, "layout.overflow") == 0;
  if (overflow_only) {
    tg_diag_clear(tried);
    fs->size_pt = MIN_TEXT;
    fs->min_size_pt = 0;
    fs->max_lines = 0;
    ok = tg_layout_frame(D->ctx, fs, s, part, items, n, NULL, tried);
  }
  tg_diag_take(D->d, tried);
  tg_diag_free(tried);
  return ok;
}

void fu_text(fu_doc *D, const char *part, const char *s, double x, double y, double size_pt,
             fu_align al, double max_w, bool bold) {
  if (!D->ok || !s || !*s) return;
  tg_frame_spec fs = {.family = FAMILY,
                      .weight = bold ? 700 : 400,
                      .size_pt = size_pt,
                      .line_height = 1.0,
                      .width_pt = max_w,
                      .max_lines = 1,
                      .min_size_pt = max_w > 0 ? fmin(MIN_TEXT, size_pt) : 0};
  const tg_item *it;
  size_t n;
  if (!set_frame(D, &fs, s, part, &it, &n)) {
    D->ok = false;
    return;
  }
  double dx, dy;
  if (!tg_layout_place_line(it, n, (tg_align)al, x, y, &dx, &dy)) return;
  for (size_t i = 0; i < n; i++) {
    tg_item moved = it[i];
    moved.x_pt += dx;
    moved.y_pt += dy;
    g_array_append_val(D->items, moved);
  }
}

void fu_text_box(fu_doc *D, const char *part, const char *s, double x, double y, double w,
                 double size_pt, size_t max_lines) {
  if (!D->ok || !s || !*s) return;
  tg_frame_spec fs = {.family = FAMILY,
                      .weight = 400,
                      .size_pt = size_pt,
                      .line_height = 1.25,
                      .x_pt = x,
                      .y_pt = y,
                      .width_pt = w,
                      .max_lines = max_lines,
                      .min_size_pt = fmin(MIN_TEXT, size_pt)};
  const tg_item *it;
  size_t n;
  if (!set_frame(D, &fs, s, part, &it, &n)) {
    D->ok = false;
    return;
  }
  for (size_t i = 0; i < n; i++)
    g_array_append_val(D->items, it[i]);
}

static bool draw_all(fu_doc *D, tg_sink *s) {
  bool ok = s != NULL;
  for (guint i = 0; ok && i < D->pages->len; i++) {
    GArray *items = g_ptr_array_index(D->pages, i);
    tg_page page = {D->page_w, D->page_h, NULL, items->len, (const tg_item *)items->data};
    ok = tg_sink_page(s, &page, D->d);
  }
  if (s) {
    ok = tg_sink_close(s, D->d) && ok;
    tg_sink_free(s);
  }
  return ok;
}

bool fu_doc_write(fu_doc *D, const char *pdf_path, const char *title, const char *date,
                  const tg_secret *password, FILE *trace) {
  if (!D->ok) return false;
  bool ok = true;
  if (pdf_path) {
    char *tmp = tg_temp_path_for(pdf_path);
    char pdf_date[32];
    tg_pdf_date(date && *date ? date : "2000-01-01", pdf_date, sizeof pdf_date);
    tg_pdf_options po = {.title = title, .date = pdf_date};
    tg_sink *s = tg_create_private(tmp, D->d) ? tg_sink_pdf_new(tmp, &po, D->d) : NULL;
    ok = draw_all(D, s) && (!password || tg_pdf_encrypt(tmp, password, D->d)) &&
         tg_commit_rename(tmp, pdf_path, D->d);
    if (!ok) g_unlink(tmp);
    g_free(tmp);
  }
  if (ok && trace) ok = draw_all(D, tg_sink_trace_new(trace));
  return ok;
}
