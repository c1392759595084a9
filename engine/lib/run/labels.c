/* labels.c — address sheets for the vendor: label sheets and the mailing list.
 *
 * For every batch PDF, in the same order as its letters:
 *
 *   <batch>_labels.pdf     A4 sheets of address labels.  The grid (columns,
 *                          rows, label size, margins, gaps) comes from a
 *                          label-sheet YAML file: presets in layouts/labels/
 *                          (a-one-12, a-one-18, a-one-24) or the job's own.
 *   <batch>_addresses.csv  the mailing list (発送リスト): sequence in the
 *   <batch>_addresses.pdf  batch, letter id, postal code, address, name —
 *                          printed as a table for checking envelopes by hand.
 *
 * Texts are set with the same engine as letters (font fallback, no missing
 * glyph ever drawn); a long address shrinks to fit its label.
 */
#include "run/run_private.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const SHEET_KEYS[] = {
    "kind", "name",  "columns", "rows",    "label-width", "label-height", "left",
    "top",  "gap-x", "gap-y",   "padding", "page-width",  "page-height"};

bool run_label_sheet_load(const char *path, run_label_sheet *out, tg_diag *d) {
  memset(out, 0, sizeof *out);
  tg_source *src = tg_source_load(path, 1 << 16, d);
  if (!src) return false;
  tg_ydoc *doc = tg_ydoc_parse(src, d);
  size_t errors_before = tg_diag_count_at_least(d, TG_ERROR);
  if (doc) {
    tg_ynode *m = tg_ydoc_get_root(doc);
    if (tg_yexpect_map(m, "a label sheet", d)) {
      const char *kind = NULL, *name = NULL;
      if (tg_yget_string(m, "kind", true, &kind, d) && strcmp(kind, "label-sheet") != 0)
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "labels.kind",
                   tg_ynode_span(tg_ymap_get(m, "kind")),
                   "this file is a '%s', not a label sheet (expected kind: label-sheet)", kind);
      out->name = g_strdup(tg_yget_string(m, "name", false, &name, d) ? name : path);
      long cols = 2, rows = 6;
      tg_yget_int(m, "columns", true, 1, 10, &cols, d);
      tg_yget_int(m, "rows", true, 1, 20, &rows, d);
      out->columns = (int)cols;
      out->rows = (int)rows;
      double big = tg_mm_to_pt(500);
      out->page_w_pt = tg_mm_to_pt(210);
      out->page_h_pt = tg_mm_to_pt(297);
      tg_yget_length(m, "page-width", false, tg_mm_to_pt(50), big, &out->page_w_pt, d);
      tg_yget_length(m, "page-height", false, tg_mm_to_pt(50), big, &out->page_h_pt, d);
      tg_yget_length(m, "label-width", true, tg_mm_to_pt(20), big, &out->w_pt, d);
      tg_yget_length(m, "label-height", true, tg_mm_to_pt(10), big, &out->h_pt, d);
      tg_yget_length(m, "left", true, 0, big, &out->left_pt, d);
      tg_yget_length(m, "top", true, 0, big, &out->top_pt, d);
      tg_yget_length(m, "gap-x", false, 0, big, &out->gap_x_pt, d);
      tg_yget_length(m, "gap-y", false, 0, big, &out->gap_y_pt, d);
      out->padding_pt = tg_mm_to_pt(4);
      tg_yget_length(m, "padding", false, 0, tg_mm_to_pt(20), &out->padding_pt, d);
      tg_ycheck_keys(m, "label sheet", SHEET_KEYS, N(SHEET_KEYS), d);
      double right = out->left_pt + out->columns * out->w_pt + (out->columns - 1) * out->gap_x_pt;
      double bottom = out->top_pt + out->rows * out->h_pt + (out->rows - 1) * out->gap_y_pt;
      if (tg_diag_count_at_least(d, TG_ERROR) == errors_before &&
          (right > out->page_w_pt + 0.01 || bottom > out->page_h_pt + 0.01))
        tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "labels.off-page", tg_ynode_span(m),
                   "the label grid is %.1f x %.1f mm from the corner: it does not fit the %.1f x "
                   "%.1f mm sheet",
                   tg_pt_to_mm(right), tg_pt_to_mm(bottom), tg_pt_to_mm(out->page_w_pt),
                   tg_pt_to_mm(out->page_h_pt));
    }
  }
  tg_ydoc_free(doc);
  tg_source_free(src);
  return doc && tg_diag_count_at_least(d, TG_ERROR) == errors_before;
}

void run_label_sheet_clear(run_label_sheet *s) {
  g_free(s->name);
  memset(s, 0, sizeof *s);
}

void run_address_clear(gpointer p) {
  run_address *a = p;
  g_free(a->letter_id);
  g_free(a->address);
  g_free(a->name);
}

/* Lay out one frame and append copies of its items (they stay in ctx's arena
 * until the context is reset). */
static bool frame(tg_layout_ctx *ctx, const tg_frame_spec *fs, const char *text, const char *what,
                  GArray *items, double *height, tg_diag *d) {
  const tg_item *it;
  size_t n;
  if (!tg_layout_frame(ctx, fs, text, what, &it, &n, height, d)) return false;
  g_array_append_vals(items, it, (guint)n);
  return true;
}

static void postal_text(const char postal[8], char *out, size_t n) {
  if (postal[0])
    g_snprintf(out, n, "〒%.3s-%.4s", postal, postal + 3);
  else
    g_strlcpy(out, "", n);
}

/* One label's texts at (x, y). */
static bool label_items(const run_label_sheet *s, tg_layout_ctx *ctx, const run_address *a,
                        double x, double y, GArray *items, tg_diag *d) {
  double pad = s->padding_pt, w = s->w_pt - 2 * pad, h;
  double small = s->h_pt < tg_mm_to_pt(36) ? 8.5 : 9.5;
  char pline[32];
  postal_text(a->postal, pline, sizeof pline);
  tg_frame_spec fs = {.family = "BIZ UDPGothic",
                      .weight = 400,
                      .size_pt = small,
                      .line_height = 1.3,
                      .x_pt = x + pad,
                      .y_pt = y + pad,
                      .width_pt = w,
                      .max_lines = 1,
                      .min_size_pt = 6};
  if (!frame(ctx, &fs, pline, "label postal code", items, &h, d)) return false;
  fs.y_pt += h;
  fs.x_pt = x + pad + small;
  fs.width_pt = w - small;
  fs.max_lines = 3;
  fs.address = true;
  if (!frame(ctx, &fs, a->address, "label address", items, &h, d)) return false;
  fs.address = false;
  char *name = g_strdup_printf("%s　様", a->name);
  fs.y_pt += h + small * 0.4;
  fs.size_pt = small + 2.5;
  fs.max_lines = 2;
  fs.min_size_pt = 7;
  bool ok = frame(ctx, &fs, name, "label name", items, &h, d);
  g_free(name);
  return ok;
}

bool run_write_labels(const run_label_sheet *s, const tg_fonts *fonts, GArray *addresses,
                      const char *pdf_path, const tg_pdf_options *po, FILE *trace, tg_diag *d) {
  tg_sink *pdf = tg_sink_pdf_new(pdf_path, po, d);
  if (!pdf) return false;
  tg_sink *tr = trace ? tg_sink_trace_new(trace) : NULL;
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  int per = s->columns * s->rows;
  bool ok = true;
  for (guint i = 0; i < addresses->len && ok; i += (guint)per) {
    tg_layout_ctx_reset(ctx);
    g_array_set_size(items, 0);
    for (int k = 0; k < per && i + (guint)k < addresses->len && ok; k++) {
      int col = k % s->columns, row = k / s->columns;
      double x = s->left_pt + col * (s->w_pt + s->gap_x_pt);
      double y = s->top_pt + row * (s->h_pt + s->gap_y_pt);
      ok =
          label_items(s, ctx, &g_array_index(addresses, run_address, i + (guint)k), x, y, items, d);
    }
    tg_page page = {s->page_w_pt, s->page_h_pt, NULL, items->len, (const tg_item *)items->data};
    if (ok) ok = tg_sink_page(pdf, &page, d);
    if (ok && tr) ok = tg_sink_page(tr, &page, d);
  }
  ok = tg_sink_close(pdf, d) && ok;
  if (tr) ok = tg_sink_close(tr, d) && ok;
  tg_sink_free(pdf);
  tg_sink_free(tr);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
  return ok;
}

bool run_write_address_list(GArray *addresses, const tg_fonts *fonts, const char *csv_path,
                            const char *pdf_path, const tg_pdf_options *po, tg_diag *d) {
  /* the CSV */
  GString *o = g_string_new("sequence,letter_id,postal_code,address,name\r\n");
  for (guint i = 0; i < addresses->len; i++) {
    const run_address *a = &g_array_index(addresses, run_address, i);
    char pc[16] = "";
    if (a->postal[0]) g_snprintf(pc, sizeof pc, "%.3s-%.4s", a->postal, a->postal + 3);
    g_string_append_printf(o, "%u,", i + 1);
    tg_csv_append_field(o, a->letter_id);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, pc);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, a->address);
    g_string_append_c(o, ',');
    tg_csv_append_field(o, a->name);
    g_string_append(o, "\r\n");
  }
  tg_atomic *f = tg_atomic_open(csv_path, d);
  bool ok = f != NULL;
  if (ok) {
    fwrite(o->str, 1, o->len, tg_atomic_get_file(f));
    ok = tg_atomic_commit(f, d);
  }
  g_string_free(o, TRUE);
  if (!ok) return false;

  /* the same as a printed table: sequence, letter id, postal code, address, name */
  tg_sink *pdf = tg_sink_pdf_new(pdf_path, po, d);
  if (!pdf) return false;
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  const double page_w = tg_mm_to_pt(210), page_h = tg_mm_to_pt(297), left = tg_mm_to_pt(15);
  const double cols[] = {tg_mm_to_pt(10), tg_mm_to_pt(30), tg_mm_to_pt(20), tg_mm_to_pt(85),
                         tg_mm_to_pt(35)};
  const double row_h = tg_mm_to_pt(9.5), top = tg_mm_to_pt(20);
  const int per_page = (int)((page_h - 2 * top) / row_h) - 1;
  const char *heads[] = {"No.", "通知番号", "郵便番号", "住所", "氏名"};
  for (guint i = 0; (i < addresses->len || i == 0) && ok; i += (guint)per_page) {
    tg_layout_ctx_reset(ctx);
    g_array_set_size(items, 0);
    for (int r = -1; r < per_page && ok; r++) {
      guint idx = i + (guint)(r < 0 ? 0 : r);
      if (r >= 0 && idx >= addresses->len) break;
      const run_address *a = r >= 0 ? &g_array_index(addresses, run_address, idx) : NULL;
      char seq[16], pc[16] = "";
      g_snprintf(seq, sizeof seq, "%u", idx + 1);
      if (a && a->postal[0]) g_snprintf(pc, sizeof pc, "%.3s-%.4s", a->postal, a->postal + 3);
      const char *cells[] = {seq, a ? a->letter_id : "", pc, a ? a->address : "", a ? a->name : ""};
      double x = left, y = top + (r + 1) * row_h;
      for (size_t c = 0; c < N(cols) && ok; c++) {
        tg_frame_spec fs = {.family = "BIZ UDPGothic",
                            .weight = r < 0 ? 700 : 400,
                            .size_pt = 8,
                            .line_height = 1.2,
                            .x_pt = x + 2,
                            .y_pt = y + 2,
                            .width_pt = cols[c] - 4,
                            .max_lines = 2,
                            .min_size_pt = 5};
        ok = frame(ctx, &fs, r < 0 ? heads[c] : cells[c], "address list", items, NULL, d);
        x += cols[c];
      }
      tg_item line = {.type = TG_ITEM_LINE,
                      .block = "address list",
                      .x_pt = left,
                      .y_pt = y + row_h,
                      .color = 0x808080FF};
      line.u.line.x2_pt = page_w - left;
      line.u.line.y2_pt = y + row_h;
      line.u.line.width_pt = r < 0 ? 0.8 : 0.3;
      g_array_append_val(items, line);
    }
    tg_page page = {page_w, page_h, NULL, items->len, (const tg_item *)items->data};
    if (ok) ok = tg_sink_page(pdf, &page, d);
  }
  ok = tg_sink_close(pdf, d) && ok;
  tg_sink_free(pdf);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
  return ok;
}
