/* evaluation_chart.c — the evaluation chart: visit rate per arm with its interval, as PDF and PNG.
 *
 * Part of the experiment stage, drawn for `tegami evaluate` from a finished
 * tg_evaluation (aggregate counts only).  One A4 landscape page: a bar per
 * arm, overall and (when there are several) per stratum up to MAX_GROUPS,
 * each with its confidence interval as a whisker, the value above it and the
 * arm below it, and the differences from the reference arm as a footnote.
 * Bars are told apart by grey level and by their label, so the chart reads
 * the same printed in black and white.  Text is set with Cairo's simple text
 * calls in the faces of the private font set (tg_fonts): each character goes
 * to the first face that has it, so Japanese labels never fall back to a
 * font outside the set.  The PDF's date is SOURCE_DATE_EPOCH or the latest
 * letter date, so the same inputs give the same bytes.
 */
#include "experiment/experiment_private.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <string.h>

#define PAGE_W     841.8897637795276 /* A4 landscape */
#define PAGE_H     595.2755905511812
#define MAX_GROUPS 9 /* overall + 8 strata */
#define PNG_DPI    150.0

typedef struct {
  const tg_fonts *fonts;
  const tg_face *main; /* the labels' face */
} typeset;

/* The face that draws cp: the main face, then every face of the set in order. */
static const tg_face *face_for(const typeset *ts, uint32_t cp) {
  if (tg_face_has_char(ts->main, cp, 0)) return ts->main;
  for (size_t i = 0; i < tg_fonts_get_count(ts->fonts); i++)
    if (tg_face_has_char(tg_fonts_get(ts->fonts, i), cp, 0)) return tg_fonts_get(ts->fonts, i);
  return ts->main;
}

/* Draw (or only measure, when draw is false) text at the current point. */
static double text_run(cairo_t *cr, const typeset *ts, const char *s, double size_pt, bool draw) {
  double width = 0;
  const char *p = s, *end = s + strlen(s);
  while (p < end) {
    uint32_t cp;
    int n = tg_utf8_decode(p, (size_t)(end - p), &cp);
    const tg_face *f = face_for(ts, cp);
    const char *q = p + n;
    while (q < end) { /* extend the run while the same face applies */
      int m = tg_utf8_decode(q, (size_t)(end - q), &cp);
      if (face_for(ts, cp) != f) break;
      q += m;
    }
    char *run = g_strndup(p, (gsize)(q - p));
    cairo_set_font_face(cr, tg_face_get_cairo_face(f));
    cairo_set_font_size(cr, size_pt);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, run, &ext);
    if (draw) cairo_show_text(cr, run); /* advances the current point */
    width += ext.x_advance;
    g_free(run);
    p = q;
  }
  return width;
}

typedef enum { LEFT, CENTRE, RIGHT } align;

/* Text with its baseline at y; shrunk (down to 5 pt) to fit max_w when given. */
static void text_at(cairo_t *cr, const typeset *ts, const char *s, double x, double y,
                    double size_pt, align al, double max_w) {
  double w = text_run(cr, ts, s, size_pt, false);
  if (max_w > 0 && w > max_w && w > 0) {
    size_pt = fmax(5, size_pt * max_w / w);
    w = text_run(cr, ts, s, size_pt, false);
  }
  double x0 = al == LEFT ? x : al == CENTRE ? x - w / 2 : x - w;
  cairo_move_to(cr, x0, y);
  text_run(cr, ts, s, size_pt, true);
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

static void draw_chart(cairo_t *cr, const tg_evaluation *e, const typeset *ts) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);

  char *level = fmt("%g", (1 - e->alpha) * 100);
  char *title = g_strdup_printf("受診率と%s%%信頼区間（群別）", level);
  text_at(cr, ts, title, 56, 50, 18, LEFT, PAGE_W - 112);
  g_free(title);
  char *outcome = e->window_days > 0
                      ? g_strdup_printf("受診：通知日から%d日以内の医療機関受診", e->window_days)
                      : g_strdup("受診：通知日以降の医療機関受診");
  char *sub = g_strdup_printf("%s ／ 対象 %" G_GUINT64_FORMAT " 人 ／ 基準群 %s ／ 区間: Wilson法",
                              outcome, e->people, e->arms[e->reference]);
  text_at(cr, ts, sub, 56, 72, 10, LEFT, PAGE_W - 112);
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
  /* grid and axis */
  cairo_set_line_width(cr, 0.5);
  for (int i = 0; i * step <= ymax + 1e-9; i++) {
    double v = i * step, y = y1 - v * sy;
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    if (i) {
      double dash[] = {2, 2};
      cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    char *t = fmt("%.0f", v * 100);
    char *lab = g_strdup_printf("%s%%", t);
    text_at(cr, ts, lab, x0 - 6, y + 3.5, 9, RIGHT, 0);
    g_free(lab);
    g_free(t);
  }
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, x0, y0 - 5);
  cairo_line_to(cr, x0, y1);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
  text_at(cr, ts, "受診率", x0, y0 - 14, 10, CENTRE, 0);

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
        cairo_rectangle(cr, gx, y1 - h, bw, h);
        double grey = grey_of(a);
        cairo_set_source_rgb(cr, grey, grey, grey);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        /* the interval */
        double ylo = y1 - m->rate_lo * sy, yhi = y1 - m->rate_hi * sy, cap = fmin(6, bw / 4);
        cairo_set_line_width(cr, 1.2);
        cairo_move_to(cr, mid, ylo);
        cairo_line_to(cr, mid, yhi);
        cairo_move_to(cr, mid - cap, ylo);
        cairo_line_to(cr, mid + cap, ylo);
        cairo_move_to(cr, mid - cap, yhi);
        cairo_line_to(cr, mid + cap, yhi);
        cairo_stroke(cr);
        char *v = fmt("%.1f", m->rate * 100);
        char *lab = g_strdup_printf("%s%%", v);
        text_at(cr, ts, lab, mid, yhi - 4, fmin(9, bar * 0.3), CENTRE, bar);
        g_free(lab);
        g_free(v);
      }
      text_at(cr, ts, m->arm, mid, y1 + 13, 9, CENTRE, bar);
      char *n = g_strdup_printf("n=%" G_GUINT64_FORMAT, m->n);
      text_at(cr, ts, n, mid, y1 + 24, 7, CENTRE, bar);
      g_free(n);
    }
    if (grp->stratum) {
      char **lines = stratum_lines(grp->stratum);
      for (int i = 0; lines[i] && i < 3; i++)
        text_at(cr, ts, lines[i], cx, y1 + 40 + 11 * i, 9, CENTRE, slot - 6);
      g_strfreev(lines);
    } else {
      text_at(cr, ts, "全体", cx, y1 + 40, 10, CENTRE, slot - 6);
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
    char *line = g_strdup_printf(
        "全体の差 %s − %s：%s ポイント（%s%%信頼区間 %s 〜 %s）、%s%s", m->arm, ref, d, level, lo,
        hi, p, m->test && strcmp(m->test, "fisher") == 0 ? "（Fisher正確検定）" : "");
    text_at(cr, ts, line, 56, fy, 10, LEFT, PAGE_W - 112);
    fy += 15;
    g_free(line);
    g_free(p);
    g_free(d);
    g_free(lo);
    g_free(hi);
    const tg_eval_arm *s = &e->stratified.arms[a];
    if (e->nstrata > 1 && s->has_diff) {
      d = signed_pt(s->diff), lo = signed_pt(s->diff_lo), hi = signed_pt(s->diff_hi);
      p = p_text(s->p_value);
      line = g_strdup_printf("層別（Mantel-Haenszel）%s − %s：%s ポイント（%s 〜 %s）、%s", m->arm,
                             ref, d, lo, hi, p);
      text_at(cr, ts, line, 56, fy, 10, LEFT, PAGE_W - 112);
      fy += 15;
      g_free(line);
      g_free(p);
      g_free(d);
      g_free(lo);
      g_free(hi);
    }
  }
  if (left_out) {
    char *note = g_strdup_printf("ほか %zu 層は evaluation.csv を参照", left_out);
    text_at(cr, ts, note, 56, PAGE_H - 20, 8, LEFT, 0);
    g_free(note);
  }
  g_free(level);
}

static cairo_status_t write_to_file(void *closure, const unsigned char *data, unsigned int len) {
  return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static bool cairo_ok(cairo_surface_t *s, const char *path, tg_diag *d) {
  cairo_status_t st = cairo_surface_status(s);
  if (st == CAIRO_STATUS_SUCCESS) return true;
  tg_diag_add(d, TG_ERROR, st == CAIRO_STATUS_WRITE_ERROR ? TG_KIND_SYSTEM : TG_KIND_LIBRARY,
              "render.cairo", "cannot draw %s: %s", path, cairo_status_to_string(st));
  return false;
}

static bool write_pdf(const tg_evaluation *e, const typeset *ts, const char *path, tg_diag *d) {
  tg_atomic *a = tg_atomic_open(path, d);
  if (!a) return false;
  cairo_surface_t *s =
      cairo_pdf_surface_create_for_stream(write_to_file, tg_atomic_get_file(a), PAGE_W, PAGE_H);
  cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
  char date[32];
  tg_pdf_date(e->last_letter_date ? e->last_letter_date : "2000-01-01", date, sizeof date);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "受診率の評価");
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "tegami " TG_VERSION);
  cairo_t *cr = cairo_create(s);
  draw_chart(cr, e, ts);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  bool ok = cairo_ok(s, path, d);
  cairo_surface_destroy(s);
  if (!ok) {
    tg_atomic_abort(a);
    return false;
  }
  return tg_atomic_commit(a, d);
}

static bool write_png(const tg_evaluation *e, const typeset *ts, const char *path, tg_diag *d) {
  double scale = PNG_DPI / 72.0;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)lround(PAGE_W * scale),
                                                  (int)lround(PAGE_H * scale));
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, scale, scale);
  draw_chart(cr, e, ts);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  bool ok = cairo_ok(s, path, d);
  tg_atomic *a = ok ? tg_atomic_open(path, d) : NULL;
  if (a) {
    cairo_status_t st = cairo_surface_write_to_png_stream(s, write_to_file, tg_atomic_get_file(a));
    if (st != CAIRO_STATUS_SUCCESS) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.png", "cannot write %s: %s", path,
                  cairo_status_to_string(st));
      tg_atomic_abort(a);
      ok = false;
    } else {
      ok = tg_atomic_commit(a, d);
    }
  } else {
    ok = false;
  }
  cairo_surface_destroy(s);
  return ok;
}

bool tg_evaluation_write_chart(const tg_evaluation *e, const char *pdf_path, const char *png_path,
                               const char *fontset, tg_diag *d) {
  char *listing =
      fontset ? g_strdup(fontset) : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  tg_fonts *fonts = tg_fonts_load(listing, d);
  g_free(listing);
  if (!fonts) return false;
  typeset ts = {fonts, tg_fonts_find(fonts, "BIZ UDPGothic", 400)};
  for (size_t i = 0; !ts.main && i < tg_fonts_get_count(fonts); i++)
    if (!tg_face_is_fallback(tg_fonts_get(fonts, i))) ts.main = tg_fonts_get(fonts, i);
  if (!ts.main) ts.main = tg_fonts_get_count(fonts) ? tg_fonts_get(fonts, 0) : NULL;
  bool ok = ts.main != NULL;
  if (!ok) tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.missing", "the font set holds no font");
  if (ok && pdf_path) ok = write_pdf(e, &ts, pdf_path, d);
  if (ok && png_path) ok = write_png(e, &ts, png_path, d);
  tg_fonts_free(fonts);
  return ok;
}
