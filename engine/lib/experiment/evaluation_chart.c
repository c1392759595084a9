/* evaluation_chart.c — the evaluation chart: visit rate per arm with its interval, as PDF and PNG.
 *
 * Part of the experiment stage, drawn for `tegami evaluate` from a finished
 * tg_evaluation (aggregate counts only).  One A4 landscape page: a bar per
 * arm, overall and (when there are several) per stratum up to MAX_GROUPS,
 * each with its confidence interval as a whisker, the value above it and the
 * arm below it, and the differences from the reference arm as a footnote.
 * Bars are told apart by grey level and by their label, so the chart reads
 * the same printed in black and white.
 *
 * The chart is a page of placed items like a letter's: rectangles and lines
 * made here, texts set by the layout stage's text engine (tg_layout_frame:
 * the private font set with its fallback faces, kinsoku, and an error rather
 * than a missing glyph), drawn by the render stage's PDF and PNG sinks and,
 * for golden tests, written by its trace sink.  Items are named
 * "evaluation/<part>".  The PDF's date is SOURCE_DATE_EPOCH or the latest
 * letter date, so the same inputs give the same bytes.
 */
#include "experiment/experiment_private.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define PAGE_W     841.8897637795276 /* A4 landscape */
#define PAGE_H     595.2755905511812
#define MAX_GROUPS 9 /* overall + 8 strata */
#define PNG_DPI    150.0
#define MIN_TEXT   5.0 /* labels shrink down to this size to fit */
#define FAMILY     "BIZ UDPGothic"

/* The chart being placed: items in page order, texts set in ctx. */
typedef struct {
  tg_layout_ctx *ctx;
  GArray *items; /* tg_item */
  tg_diag *d;
  bool ok;
} drawing;

typedef enum { LEFT = TG_ALIGN_LEFT, CENTRE = TG_ALIGN_CENTER, RIGHT = TG_ALIGN_RIGHT } align;

static uint32_t grey_rgba(double grey) {
  uint32_t g = (uint32_t)lround(grey * 255);
  return g << 24 | g << 16 | g << 8 | 0xFF;
}

static void rect(drawing *D, const char *part, double x, double y, double w, double h,
                 double stroke_pt, uint32_t stroke, uint32_t fill) {
  tg_item it = {.type = TG_ITEM_RECT, .block = part, .x_pt = x, .y_pt = y};
  it.u.rect.w_pt = w;
  it.u.rect.h_pt = h;
  it.u.rect.stroke_pt = stroke_pt;
  it.u.rect.stroke = stroke;
  it.u.rect.fill = fill;
  g_array_append_val(D->items, it);
}

static void line(drawing *D, const char *part, double x1, double y1, double x2, double y2,
                 double width_pt, uint32_t color, bool dashed) {
  tg_item it = {.type = TG_ITEM_LINE, .block = part, .x_pt = x1, .y_pt = y1, .color = color};
  it.u.line.x2_pt = x2;
  it.u.line.y2_pt = y2;
  it.u.line.width_pt = width_pt;
  it.u.line.dashed = dashed;
  g_array_append_val(D->items, it);
}

/* Set `frame`: on one line, shrinking to fit its width; a text too long
 * even at MIN_TEXT is set at that size on one line, wider than asked. */
static bool set_line(drawing *D, tg_frame_spec *fs, const char *s, const char *part,
                     const tg_item **items, size_t *n) {
  tg_diag *tried = tg_diag_new();
  bool ok = tg_layout_frame(D->ctx, fs, s, part, items, n, NULL, tried);
  bool overflow_only = !ok && tg_diag_count(tried) > 0;
  for (size_t i = 0; overflow_only && i < tg_diag_count(tried); i++)
    overflow_only = strcmp(tg_diag_get(tried, i)->code, "layout.overflow") == 0;
  if (overflow_only) {
    tg_diag_clear(tried);
    fs->width_pt = 0;
    fs->size_pt = MIN_TEXT;
    fs->min_size_pt = 0;
    ok = tg_layout_frame(D->ctx, fs, s, part, items, n, NULL, tried);
  }
  tg_diag_take(D->d, tried);
  tg_diag_free(tried);
  return ok;
}

/* Text with its baseline at y, aligned at x; shrunk (down to MIN_TEXT) to
 * fit max_w when given. */
static void text_at(drawing *D, const char *part, const char *s, double x, double y, double size_pt,
                    align al, double max_w) {
  if (!D->ok || !*s) return;
  tg_frame_spec fs = {.family = FAMILY,
                      .weight = 400,
                      .size_pt = size_pt,
                      .line_height = 1.0,
                      .width_pt = max_w,
                      .max_lines = 1,
                      .min_size_pt = max_w > 0 ? fmin(MIN_TEXT, size_pt) : 0};
  const tg_item *it;
  size_t n;
  if (!set_line(D, &fs, s, part, &it, &n)) {
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

static char *fmt(const char *format, double v) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup(g_ascii_formatd(buf, sizeof buf, format, v));
}

static char *signed_pt(double v) {
  double r = v * 100;
  if (fabs(r) < 0.05) r = 0;
  char *n = fmt("%.1f", fabs(r));
  char *s = g_strdup_printf("%s%s", r >= 0 ? "+" : "−", n); /* a true minus sign in print */
  g_free(n);
  return s;
}

static char *p_text(double p) {
  if (p < 0.0001) return g_strdup("p < 0.0001");
  char *n = fmt("%.4f", p);
  char *s = g_strdup_printf("p = %s", n);
  g_free(n);
  return s;
}

/* Grey fills that stay apart in print: dark, light, mid, white … */
static double grey_of(size_t arm) {
  static const double greys[] = {0.30, 0.78, 0.55, 1.00, 0.15, 0.90};
  return greys[arm % G_N_ELEMENTS(greys)];
}

/* The stratum key's parts (split at unescaped '|'), newly allocated. */
static char **stratum_lines(const char *key) {
  GPtrArray *parts = g_ptr_array_new();
  GString *cur = g_string_new(NULL);
  for (const char *p = key; *p; p++) {
    if (*p == '\\' && p[1]) {
      g_string_append_c(cur, *++p);
    } else if (*p == '|') {
      g_ptr_array_add(parts, g_string_free(cur, FALSE));
      cur = g_string_new(NULL);
    } else {
      g_string_append_c(cur, *p);
    }
  }
  g_ptr_array_add(parts, g_string_free(cur, FALSE));
  g_ptr_array_add(parts, NULL);
  return (char **)g_ptr_array_free(parts, FALSE);
}

/* Every item of the chart, in drawing order. */
static void chart_items(drawing *D, const tg_evaluation *e) {
  const uint32_t black = 0x000000FF;
  char *level = fmt("%g", (1 - e->alpha) * 100);
  char *title = g_strdup_printf("受診率と%s%%信頼区間（群別）", level);
  text_at(D, "evaluation/title", title, 56, 50, 18, LEFT, PAGE_W - 112);
  g_free(title);
  char *outcome = e->window_days > 0
                      ? g_strdup_printf("受診：通知日から%d日以内の医療機関受診", e->window_days)
                      : g_strdup("受診：通知日以降の医療機関受診");
  char *sub = g_strdup_printf("%s ／ 対象 %" G_GUINT64_FORMAT " 人 ／ 基準群 %s ／ 区間: Wilson法",
                              outcome, e->people, e->arms[e->reference]);
  text_at(D, "evaluation/subtitle", sub, 56, 72, 10, LEFT, PAGE_W - 112);
  g_free(sub);
  g_free(outcome);

  /* which groups: overall, then strata while they fit */
  const tg_eval_group *groups[MAX_GROUPS];
  size_t ng = 0;
  groups[ng++] = &e->overall;
  if (e->nstrata > 1)
    for (size_t s = 0; s < e->nstrata && ng < MAX_GROUPS; s++)
      groups[ng++] = &e->strata[s];
  size_t left_out = e->nstrata > 1 ? e->nstrata - (ng - 1) : 0;

  /* the scale: a round step, the top just above the highest interval */
  double top = 0.05;
  for (size_t g = 0; g < ng; g++)
    for (size_t a = 0; a < groups[g]->narms; a++)
      if (isfinite(groups[g]->arms[a].rate_hi)) top = fmax(top, groups[g]->arms[a].rate_hi);
  static const double steps[] = {0.01, 0.02, 0.05, 0.1, 0.2};
  double step = 0.2;
  for (size_t i = 0; i < G_N_ELEMENTS(steps); i++)
    if (top * 1.1 / steps[i] <= 8) {
      step = steps[i];
      break;
    }
  double ymax = fmin(1, ceil(top * 1.1 / step - 1e-9) * step);

  const double x0 = 80, x1 = PAGE_W - 40, y0 = 112, y1 = PAGE_H - 175;
  double sy = (y1 - y0) / ymax;
  /* grid, scale and axes */
  for (int i = 0; i * step <= ymax + 1e-9; i++) {
    double v = i * step, y = y1 - v * sy;
    line(D, "evaluation/grid", x0, y, x1, y, 0.5, grey_rgba(0.8), i > 0);
    char *t = fmt("%.0f", v * 100);
    char *lab = g_strdup_printf("%s%%", t);
    text_at(D, "evaluation/scale", lab, x0 - 6, y + 3.5, 9, RIGHT, 0);
    g_free(lab);
    g_free(t);
  }
  line(D, "evaluation/axis", x0, y0 - 5, x0, y1, 0.8, black, false);
  line(D, "evaluation/axis", x0, y1, x1, y1, 0.8, black, false);
  text_at(D, "evaluation/axis-label", "受診率", x0, y0 - 14, 10, CENTRE, 0);

  /* bars */
  double slot = (x1 - x0) / (double)ng;
  size_t na = e->narms;
  double bar = fmin(56, slot * 0.75 / (double)na);
  for (size_t g = 0; g < ng; g++) {
    const tg_eval_group *grp = groups[g];
    double cx = x0 + slot * ((double)g + 0.5), left = cx - bar * (double)na / 2;
    for (size_t a = 0; a < na; a++) {
      const tg_eval_arm *m = &grp->arms[a];
      double bx = left + bar * (double)a, bw = bar * 0.82, mid = bx + bar / 2;
      double gx = bx + (bar - bw) / 2;
      if (m->n) {
        double h = m->rate * sy;
        rect(D, "evaluation/bar", gx, y1 - h, bw, h, 0.6, black, grey_rgba(grey_of(a)));
        /* the interval */
        double ylo = y1 - m->rate_lo * sy, yhi = y1 - m->rate_hi * sy, cap = fmin(6, bw / 4);
        line(D, "evaluation/interval", mid, ylo, mid, yhi, 1.2, black, false);
        line(D, "evaluation/interval", mid - cap, ylo, mid + cap, ylo, 1.2, black, false);
        line(D, "evaluation/interval", mid - cap, yhi, mid + cap, yhi, 1.2, black, false);
        char *v = fmt("%.1f", m->rate * 100);
        char *lab = g_strdup_printf("%s%%", v);
        text_at(D, "evaluation/rate", lab, mid, yhi - 4, fmin(9, bar * 0.3), CENTRE, bar);
        g_free(lab);
        g_free(v);
      }
      text_at(D, "evaluation/arm", m->arm, mid, y1 + 13, 9, CENTRE, bar);
      char *n = g_strdup_printf("n=%" G_GUINT64_FORMAT, m->n);
      text_at(D, "evaluation/n", n, mid, y1 + 24, 7, CENTRE, bar);
      g_free(n);
    }
    if (grp->stratum) {
      char **lines = stratum_lines(grp->stratum);
      for (int i = 0; lines[i] && i < 3; i++)
        text_at(D, "evaluation/group", lines[i], cx, y1 + 40 + 11 * i, 9, CENTRE, slot - 6);
      g_strfreev(lines);
    } else {
      text_at(D, "evaluation/group", "全体", cx, y1 + 40, 10, CENTRE, slot - 6);
    }
  }

  /* differences from the reference: overall (Newcombe), stratified (MH) */
  double fy = y1 + 85;
  const char *ref = e->arms[e->reference];
  for (size_t a = 0; a < na && fy < PAGE_H - 20; a++) {
    const tg_eval_arm *m = &e->overall.arms[a];
    if (!m->has_diff) continue;
    char *d = signed_pt(m->diff), *lo = signed_pt(m->diff_lo), *hi = signed_pt(m->diff_hi);
    char *p = p_text(m->p_value);
    char *line_text = g_strdup_printf(
        "全体の差 %s − %s：%s ポイント（%s%%信頼区間 %s 〜 %s）、%s%s", m->arm, ref, d, level, lo,
        hi, p, m->test && strcmp(m->test, "fisher") == 0 ? "（Fisher正確検定）" : "");
    text_at(D, "evaluation/difference", line_text, 56, fy, 10, LEFT, PAGE_W - 112);
    fy += 15;
    g_free(line_text);
    g_free(p);
    g_free(d);
    g_free(lo);
    g_free(hi);
    const tg_eval_arm *s = &e->stratified.arms[a];
    if (e->nstrata > 1 && s->has_diff) {
      d = signed_pt(s->diff), lo = signed_pt(s->diff_lo), hi = signed_pt(s->diff_hi);
      p = p_text(s->p_value);
      line_text = g_strdup_printf("層別（Mantel-Haenszel）%s − %s：%s ポイント（%s 〜 %s）、%s",
                                  m->arm, ref, d, lo, hi, p);
      text_at(D, "evaluation/difference", line_text, 56, fy, 10, LEFT, PAGE_W - 112);
      fy += 15;
      g_free(line_text);
      g_free(p);
      g_free(d);
      g_free(lo);
      g_free(hi);
    }
  }
  if (left_out) {
    char *note = g_strdup_printf("ほか %zu 層は evaluation.csv を参照", left_out);
    text_at(D, "evaluation/note", note, 56, PAGE_H - 20, 8, LEFT, 0);
    g_free(note);
  }
  g_free(level);
}

/* Draw the page into one sink and finish it. */
static bool draw(tg_sink *s, const tg_page *page, tg_diag *d) {
  bool ok = tg_sink_page(s, page, d);
  ok = tg_sink_close(s, d) && ok;
  tg_sink_free(s);
  return ok;
}

/* The PDF: written under a private temporary name, renamed when complete. */
static bool write_pdf(const tg_evaluation *e, const tg_page *page, const char *path, tg_diag *d) {
  char *tmp = tg_temp_path_for(path);
  char date[32];
  tg_pdf_date(e->last_letter_date ? e->last_letter_date : "2000-01-01", date, sizeof date);
  tg_pdf_options po = {.title = "受診率の評価", .date = date};
  tg_sink *s = tg_create_private(tmp, d) ? tg_sink_pdf_new(tmp, &po, d) : NULL;
  bool ok = s && draw(s, page, d) && tg_commit_rename(tmp, path, d);
  if (!ok) g_unlink(tmp);
  g_free(tmp);
  return ok;
}

/* The PNG: the sink writes <prefix>-0001.png beside the final path (under a
 * temporary name, private), which is then renamed into place. */
static bool write_png(const tg_page *page, const char *path, tg_diag *d) {
  char *tmp = tg_temp_path_for(path), *dir = g_path_get_dirname(path);
  char *prefix = g_path_get_basename(tmp);
  char *name = g_strdup_printf("%s-0001.png", prefix);
  char *drawn = g_build_filename(dir, name, NULL);
  tg_sink *s = tg_sink_png_new(dir, prefix, PNG_DPI, d);
  bool ok = s && draw(s, page, d) && tg_commit_rename(drawn, path, d);
  if (!ok) g_unlink(drawn);
  g_free(drawn);
  g_free(name);
  g_free(prefix);
  g_free(dir);
  g_free(tmp);
  return ok;
}

bool tg_evaluation_write_chart(const tg_evaluation *e, const char *pdf_path, const char *png_path,
                               FILE *trace, const char *fontset, tg_diag *d) {
  char *listing =
      fontset ? g_strdup(fontset) : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  tg_fonts *fonts = tg_fonts_load(listing, d);
  g_free(listing);
  if (!fonts) return false;
  drawing D = {tg_layout_ctx_new(fonts), g_array_new(FALSE, TRUE, sizeof(tg_item)), d, true};
  chart_items(&D, e);
  tg_page page = {PAGE_W, PAGE_H, NULL, D.items->len, (const tg_item *)D.items->data};
  bool ok = D.ok;
  if (ok && pdf_path) ok = write_pdf(e, &page, pdf_path, d);
  if (ok && png_path) ok = write_png(&page, png_path, d);
  if (ok && trace) ok = draw(tg_sink_trace_new(trace), &page, d);
  g_array_free(D.items, TRUE);
  tg_layout_ctx_free(D.ctx);
  tg_fonts_free(fonts);
  return ok;
}
