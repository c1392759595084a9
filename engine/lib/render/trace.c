/* trace.c — the trace sink: every placed item as a stable line of text.
 *
 * Golden tests compare traces, not pixels: a change in layout shows up as a
 * readable diff ("x=20.00 → x=21.50").  Lengths are millimetres with two
 * decimals, font sizes points with two decimals, written without the locale
 * (g_ascii_formatd).  A static layer is listed once, where it is first used;
 * pages then name it.  Text is quoted with \" \\ and \n escaped.
 */
#include "render/render_private.h"

#include <string.h>

typedef struct {
  tg_sink base;
  FILE *out;
  GHashTable *seen_layers;
  GString *line;
} trace_sink;

static void num(GString *s, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v > -0.005 && v < 0.005) v = 0; /* no "-0.00" */
  g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.2f", v));
}

static void mm(GString *s, const char *key, double pt) {
  g_string_append_printf(s, " %s=", key);
  num(s, tg_pt_to_mm(pt));
}

static void quoted(GString *s, const char *text, size_t len) {
  g_string_append_c(s, '"');
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == '"' || c == '\\')
      g_string_append_c(s, '\\'), g_string_append_c(s, c);
    else if (c == '\n')
      g_string_append(s, "\\n");
    else
      g_string_append_c(s, c);
  }
  g_string_append_c(s, '"');
}

static void color(GString *s, const char *key, uint32_t c) {
  if ((c & 0xFF) == 0)
    g_string_append_printf(s, " %s=none", key);
  else if ((c & 0xFF) == 0xFF)
    g_string_append_printf(s, " %s=#%06X", key, c >> 8);
  else
    g_string_append_printf(s, " %s=#%08X", key, c);
}

static void item_line(trace_sink *t, const tg_item *it) {
  GString *s = t->line;
  g_string_truncate(s, 0);
  static const char *const NAMES[] = {"text", "rect", "line", "qr", "image", "slot", "bars"};
  g_string_append_printf(s, "  %s block=%s", NAMES[it->type], it->block ? it->block : "-");
  mm(s, "x", it->x_pt);
  mm(s, "y", it->y_pt);
  switch (it->type) {
  case TG_ITEM_GLYPHS:
    mm(s, "w", it->u.glyphs.width_pt);
    g_string_append_printf(s, " font=%s size=", tg_face_get_postscript_name(it->u.glyphs.face));
    num(s, it->u.glyphs.size_pt);
    if (it->color != 0x000000FF) color(s, "color", it->color);
    g_string_append_c(s, ' ');
    quoted(s, it->u.glyphs.text, it->u.glyphs.text_len);
    break;
  case TG_ITEM_RECT:
    mm(s, "w", it->u.rect.w_pt);
    mm(s, "h", it->u.rect.h_pt);
    if (it->u.rect.stroke_pt > 0) {
      g_string_append(s, " stroke=");
      num(s, it->u.rect.stroke_pt);
      g_string_append(s, "pt");
      color(s, "stroke-color", it->u.rect.stroke);
    }
    color(s, "fill", it->u.rect.fill);
    if (it->u.rect.radius_pt > 0) mm(s, "radius", it->u.rect.radius_pt);
    if (it->u.rect.hatch_pt > 0) {
      mm(s, "hatch", it->u.rect.hatch_pt);
      color(s, "hatch-color", it->u.rect.hatch);
    }
    break;
  case TG_ITEM_LINE:
    mm(s, "x2", it->u.line.x2_pt);
    mm(s, "y2", it->u.line.y2_pt);
    g_string_append(s, " stroke=");
    num(s, it->u.line.width_pt);
    g_string_append(s, "pt");
    if (it->color != 0x000000FF) color(s, "color", it->color);
    if (it->u.line.dashed) g_string_append(s, " dashed");
    break;
  case TG_ITEM_QR: {
    static const char ECC[] = "LMQH";
    mm(s, "size", it->u.qr.module_pt * it->u.qr.modules);
    g_string_append_printf(s, " version=%d modules=%d ecc=%c data=", it->u.qr.version,
                           it->u.qr.modules, ECC[it->u.qr.ecc]);
    quoted(s, it->u.qr.data, strlen(it->u.qr.data));
    break;
  }
  case TG_ITEM_IMAGE:
    mm(s, "w", it->u.image.w_pt);
    mm(s, "h", it->u.image.h_pt);
    g_string_append(s, " file=");
    quoted(s, it->u.image.file, strlen(it->u.image.file));
    break;
  case TG_ITEM_BARS:
    mm(s, "w", it->u.bars.w_pt);
    mm(s, "h", it->u.bars.h_pt);
    g_string_append(s, " size=");
    num(s, it->u.bars.size_pt);
    g_string_append_printf(s, "pt data=%s cd=%s bars=%s", it->u.bars.data, it->u.bars.check_digit,
                           it->u.bars.pattern);
    break;
  case TG_ITEM_SLOT:
    mm(s, "w", it->u.slot.w_pt);
    mm(s, "h", it->u.slot.h_pt);
    g_string_append_printf(s, " kind=%s", it->u.slot.kind);
    for (size_t i = 0; i < it->u.slot.nvalues; i++) {
      g_string_append_printf(s, " %s=", it->u.slot.names[i]);
      quoted(s, it->u.slot.values[i], strlen(it->u.slot.values[i]));
    }
    break;
  }
  g_string_append_c(s, '\n');
  fwrite(s->str, 1, s->len, t->out);
}

static void trace_begin_letter(tg_sink *s, const tg_letter_info *info) {
  trace_sink *t = (trace_sink *)s;
  fprintf(t->out,
          "letter %" G_GUINT64_FORMAT " id=%s list=%s row=%" G_GUINT64_FORMAT "%s%s%s%s%s%s\n",
          info->seq, info->id ? info->id : "-", info->list ? info->list : "-", info->row,
          info->variant ? " variant=" : "", info->variant ? info->variant : "",
          info->segment ? " segment=" : "", info->segment ? info->segment : "",
          info->arm ? " arm=" : "", info->arm ? info->arm : "");
}

static bool trace_page(tg_sink *s, const tg_page *page, tg_diag *d) {
  trace_sink *t = (trace_sink *)s;
  s->pages++;
  const tg_layer *L = page->static_layer;
  if (L && !g_hash_table_contains(t->seen_layers, GUINT_TO_POINTER(L->id))) {
    g_hash_table_add(t->seen_layers, GUINT_TO_POINTER(L->id));
    fprintf(t->out, "layer L%u items=%zu\n", L->id, L->nitems);
    for (size_t i = 0; i < L->nitems; i++)
      item_line(t, &L->items[i]);
  }
  GString *h = t->line;
  g_string_truncate(h, 0);
  g_string_append_printf(h, "page %" G_GUINT64_FORMAT " size=", s->pages);
  num(h, tg_pt_to_mm(page->width_pt));
  g_string_append_c(h, 'x');
  num(h, tg_pt_to_mm(page->height_pt));
  if (L) g_string_append_printf(h, " layer=L%u", L->id);
  g_string_append_c(h, '\n');
  fwrite(h->str, 1, h->len, t->out);
  for (size_t i = 0; i < page->nitems; i++)
    item_line(t, &page->items[i]);
  if (ferror(t->out)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.trace", "cannot write the trace");
    return false;
  }
  return true;
}

static bool trace_close(tg_sink *s, tg_diag *d) {
  trace_sink *t = (trace_sink *)s;
  if (fflush(t->out) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.trace", "cannot write the trace");
    return false;
  }
  return true;
}

static void trace_free(tg_sink *s) {
  trace_sink *t = (trace_sink *)s;
  g_hash_table_destroy(t->seen_layers);
  g_string_free(t->line, TRUE);
  g_free(t);
}

static const sink_vtable TRACE_VT = {trace_begin_letter, trace_page, trace_close, trace_free};

tg_sink *tg_sink_trace_new(FILE *out) {
  trace_sink *t = g_new0(trace_sink, 1);
  t->base.vt = &TRACE_VT;
  t->out = out;
  t->seen_layers = g_hash_table_new(g_direct_hash, g_direct_equal);
  t->line = g_string_sized_new(256);
  return &t->base;
}
