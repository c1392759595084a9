/* chart.c — the reader's own results as vector charts: values against the
 * 特定健診 判定値, the CKD G categories, and visit history by year.
 *
 * Part of the layout stage: a design's `chart` block (a slot, TG_BLOCK_CHART)
 * names a kind and maps value names to merged texts; this module turns them
 * into ordinary items — rectangles, lines and glyph runs set by the text
 * engine (so font fallback, kinsoku and ruby apply to every label) — placed
 * inside the block's box.  Nothing is drawn as pixels and nothing depends on
 * the clock or the locale, so the same row gives the same items.
 *
 * Kinds (docs/letters.md lists every value name):
 *   results         one row per measure given: systolic, diastolic, hba1c,
 *                   glucose, ldl, egfr (in the order the design lists them)
 *   blood-pressure  systolic and diastolic
 *   hba1c, glucose, ldl
 *                   one measure
 *   egfr            eGFR on the six CKD G categories, each described
 *   visits          a grid of years × conditions: visited or not, and a
 *                   column for "now" that asks to start again
 * A measure row shows its label and the reader's value on the left, and on
 * the right a scale in three zones — below the 保健指導判定値, up to the
 * 受診勧奨判定値, beyond it — with the threshold numbers, and a needle with
 * the value at the reader's place.  eGFR runs the other way (lower is worse)
 * on equal-width G1…G5 bands, so "further right" always means "more reason to
 * see a doctor".  Zones differ in grey level, the referral zone is hatched,
 * and every zone is named in a legend, so the chart reads the same printed
 * in black and white.
 *
 * The trace shows a chart as its slot line (kind and merged values) followed
 * by its items, each named "<block>/<part>" (results/egfr.bar.g3a,
 * history/row1.col2), in drawing order — stable and readable in golden diffs.
 */
#include "layout/layout_private.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* ---- reference values --------------------------------------------------------------- */

/* 特定健診 判定値 (標準的な健診・保健指導プログラム 令和6年度版) and the axis
 * each is drawn on.  eGFR: lower is worse; its axis is the G categories. */
static const tg_chart_measure MEASURES[] = {
    {"systolic", "収縮期血圧（上）", "mmHg", 90, 200, 130, 140, false, 0},
    {"diastolic", "拡張期血圧（下）", "mmHg", 50, 120, 85, 90, false, 0},
    {"hba1c", "HbA1c", "%", 4.5, 9.5, 5.6, 6.5, false, 1},
    {"glucose", "空腹時血糖", "mg/dL", 70, 200, 100, 126, false, 0},
    {"ldl", "LDLコレステロール", "mg/dL", 60, 220, 120, 140, false, 0},
    {"egfr", "eGFR（腎臓の働き）", "mL/分/1.73m²", 0, 120, 60, 45, true, 1},
};

/* CKD GFR categories (KDIGO 2012 / 日本腎臓学会): lower edges, best first. */
static const struct {
  const char *name, *part, *label;
  double lower;
} G_BANDS[] = {
    {"G1", "g1", "正常\nまたは高値", 90},
    {"G2", "g2", "正常または\n軽度低下", 60},
    {"G3a", "g3a", "軽度～\n中等度低下", 45},
    {"G3b", "g3b", "中等度～\n高度低下", 30},
    {"G4", "g4", "高度低下", 15},
    {"G5", "g5", "末期腎不全", 0},
};
#define NBANDS      6
#define EGFR_TOP    120.0 /* the left end of the G1 band on the axis */
#define MIN_BAND_MM 15.0  /* narrower G bands carry their name only */

const tg_chart_measure *tg_chart_find_measure(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(MEASURES); i++)
    if (strcmp(MEASURES[i].name, name) == 0) return &MEASURES[i];
  return NULL;
}

static int g_band(double egfr) {
  for (int i = 0; i < NBANDS; i++)
    if (egfr >= G_BANDS[i].lower) return i;
  return NBANDS - 1;
}

const char *tg_ckd_g_category(double egfr) { return G_BANDS[g_band(egfr)].name; }

tg_chart_zone tg_chart_classify(const tg_chart_measure *m, double v) {
  if (m->lower_is_worse)
    return v < m->refer ? TG_CHART_REFER : v < m->guide ? TG_CHART_GUIDE : TG_CHART_NORMAL;
  return v >= m->refer ? TG_CHART_REFER : v >= m->guide ? TG_CHART_GUIDE : TG_CHART_NORMAL;
}

/* Where v sits on the measure's axis, 0 (left) … 1 (right), clamped.  eGFR:
 * six bands of equal width, G1 at the left, linear within each band. */
static double axis_pos(const tg_chart_measure *m, double v) {
  if (m->lower_is_worse) {
    if (v >= EGFR_TOP) return 0;
    int b = g_band(v);
    double upper = b == 0 ? EGFR_TOP : G_BANDS[b - 1].lower, lower = G_BANDS[b].lower;
    double frac = v <= lower ? 1 : (upper - v) / (upper - lower);
    return (b + frac) / NBANDS;
  }
  double t = (v - m->axis_min) / (m->axis_max - m->axis_min);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/* ---- kinds and their values -------------------------------------------------------------- */

typedef enum { K_RESULTS, K_BP, K_HBA1C, K_GLUCOSE, K_LDL, K_EGFR, K_VISITS } kind_id;

static const char *const KINDS[] = {"results", "blood-pressure", "hba1c", "glucose",
                                    "ldl",     "egfr",           "visits"};
#define MAX_VISIT_ROWS 8
#define MAX_VISIT_COLS 12

static int find_kind(const char *kind) {
  for (size_t i = 0; i < G_N_ELEMENTS(KINDS); i++)
    if (strcmp(KINDS[i], kind) == 0) return (int)i;
  return -1;
}

/* Is `name` a measure this kind draws? */
static bool kind_has_measure(kind_id k, const char *name) {
  switch (k) {
  case K_RESULTS: return tg_chart_find_measure(name) != NULL;
  case K_BP: return strcmp(name, "systolic") == 0 || strcmp(name, "diastolic") == 0;
  case K_HBA1C: return strcmp(name, "hba1c") == 0;
  case K_GLUCOSE: return strcmp(name, "glucose") == 0;
  case K_LDL: return strcmp(name, "ldl") == 0;
  case K_EGFR: return strcmp(name, "egfr") == 0;
  case K_VISITS: return false;
  }
  return false;
}

/* Does this kind take a value called `name`? */
static bool kind_takes(kind_id k, const char *name) {
  if (k == K_VISITS) {
    static const char *const V[] = {"columns", "now", "now-text", "visited", "not-visited"};
    for (size_t i = 0; i < G_N_ELEMENTS(V); i++)
      if (strcmp(V[i], name) == 0) return true;
    for (int r = 1; r <= MAX_VISIT_ROWS; r++) {
      char a[16], b[16];
      g_snprintf(a, sizeof a, "row-%d", r);
      g_snprintf(b, sizeof b, "label-%d", r);
      if (strcmp(a, name) == 0 || strcmp(b, name) == 0) return true;
    }
    return false;
  }
  if (kind_has_measure(k, name)) return true;
  if (g_str_has_prefix(name, "label-") && kind_has_measure(k, name + 6)) return true;
  static const char *const M[] = {"legend", "legend-normal", "legend-guide", "legend-refer"};
  for (size_t i = 0; i < G_N_ELEMENTS(M); i++)
    if (strcmp(M[i], name) == 0) return true;
  if (k == K_EGFR || (k == K_RESULTS))
    for (int b = 0; b < NBANDS; b++) {
      char n[16];
      g_snprintf(n, sizeof n, "band-%s", G_BANDS[b].part);
      if (strcmp(n, name) == 0) return true;
    }
  return false;
}

/* The names a kind takes, for a suggestion. */
static size_t kind_names(kind_id k, const char **out, size_t max) {
  static const char *const ALL[] = {
      "systolic",     "diastolic",      "hba1c",           "glucose",       "ldl",
      "egfr",         "label-systolic", "label-diastolic", "label-hba1c",   "label-glucose",
      "label-ldl",    "label-egfr",     "legend",          "legend-normal", "legend-guide",
      "legend-refer", "band-g1",        "band-g2",         "band-g3a",      "band-g3b",
      "band-g4",      "band-g5",        "columns",         "now",           "now-text",
      "visited",      "not-visited",    "row-1",           "label-1",       "row-2",
      "label-2",      "row-3",          "label-3"};
  size_t n = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(ALL) && n < max; i++)
    if (kind_takes(k, ALL[i])) out[n++] = ALL[i];
  return n;
}

/* ---- what a chart is drawn from ------------------------------------------------------------ */

typedef struct {
  tg_layout_ctx *ctx;
  tg_arena *arena;
  GArray *items;
  const char *block;    /* item names start with it */
  const text_style *st; /* labels */
  kind_id kind;
  double x, y, w, h;
  size_t nvalues;
  const char *const *names;
  const char *const *values;
  /* where problems are reported: a row of a list, or the design */
  const char *file;
  uint64_t row;
  tg_span span;
  tg_diag *d;
} chart;

static void report(const chart *c, tg_diag_kind kind, const char *code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void report(const chart *c, tg_diag_kind kind, const char *code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(_(fmt), ap);
  va_end(ap);
  if (c->file)
    tg_diag_row(c->d, TG_ERROR, kind, code, c->file, c->row, NULL, "%s", msg);
  else
    tg_diag_at(c->d, TG_ERROR, kind == TG_KIND_DATA ? TG_KIND_SCHEMA : kind, code, c->span, "%s",
               msg);
  g_free(msg);
}

/* The merged value called `name`, or NULL when the design gives none. */
static const char *value_of(const chart *c, const char *name) {
  for (size_t i = 0; i < c->nvalues; i++)
    if (strcmp(c->names[i], name) == 0) return c->values[i];
  return NULL;
}

/* The value called `name`, or `dflt` when it is missing or empty. */
static const char *text_of(const chart *c, const char *name, const char *dflt) {
  const char *v = value_of(c, name);
  return v && v[0] ? v : dflt;
}

static const char *part_name(const chart *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static const char *part_name(const chart *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *part = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *full = g_strdup_printf("%s/%s", c->block, part);
  const char *s = tg_arena_strndup(c->arena, full, strlen(full));
  g_free(part);
  g_free(full);
  return s;
}

/* A number as the list writes it: ASCII or full-width digits, '.', '．',
 * spaces around.  False for anything else. */
static bool parse_number(const char *s, double *out) {
  GString *a = g_string_new(NULL);
  const char *p = s, *end = s + strlen(s);
  while (p < end) {
    uint32_t cp;
    p += tg_utf8_decode(p, (size_t)(end - p), &cp);
    cp = tg_number_char(cp);
    if (cp == ' ' || cp == 0x3000) continue;
    if (cp > 0x7F) {
      g_string_free(a, TRUE);
      return false;
    }
    g_string_append_c(a, (char)cp);
  }
  char *e = NULL;
  double v = a->len ? g_ascii_strtod(a->str, &e) : 0;
  bool ok = a->len > 0 && e && *e == '\0' && isfinite(v);
  g_string_free(a, TRUE);
  if (ok) *out = v;
  return ok;
}

static char *format_number(double v, int decimals) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double r = decimals ? v : round(v);
  return g_strdup(g_ascii_formatd(buf, sizeof buf, decimals ? "%.1f" : "%.0f", r));
}

/* ---- colours: told apart in grey by lightness, and by hatching and labels ----------------------
 */

#define INK         0x1A1A1AFF
#define GREY_TEXT   0x4D4D4DFF
#define OUTLINE     0x404040FF
#define FILL_OK     0xFFFFFFFF
#define FILL_GUIDE  0xFBE5A6FF /* light amber: about 88% grey */
#define FILL_REFER  0xEDA48FFF /* salmon: about 72% grey, and hatched */
#define HATCH       0x8C3B2AFF
#define VISITED     0x35608CFF /* dark blue: about 38% grey, white text */
#define NOT_VISITED 0xEEEEEEFF
#define ACCENT      0xB3261EFF

/* ---- drawing primitives ------------------------------------------------------------------ */

static void rect(const chart *c, const char *part, double x, double y, double w, double h,
                 double stroke_pt, uint32_t stroke, uint32_t fill, double radius) {
  layout_add_rect(c->items, part, x, y, w, h, stroke_pt, stroke, fill, radius);
}

static void line(const chart *c, const char *part, double x1, double y1, double x2, double y2,
                 double width, uint32_t color, bool dashed) {
  layout_add_line(c->items, part, x1, y1, x2, y2, width, color, dashed);
}

/* A rectangle hatched diagonally (the referral zone): one item, clipped by
 * the painter, so the trace and the PDF stay small. */
static void hatched(const chart *c, const char *part, double x, double y, double w, double h,
                    uint32_t fill) {
  rect(c, part, x, y, w, h, 0, 0, fill, 0);
  tg_item *it = &g_array_index(c->items, tg_item, c->items->len - 1);
  it->u.rect.hatch_pt = tg_mm_to_pt(1.6);
  it->u.rect.hatch = HATCH;
}

/* Text with optional ruby markup ({腎臓|じんぞう}) and attributes for the
 * whole of it (weight, size, colour: 0 = the style's).  Set in a frame at
 * (x, y) of width w with alignment `al`; max_lines 0 = any.  The style's size
 * is `size`; the text shrinks in 0.25pt steps down to 5pt to stay within
 * max_lines.  measure_only: nothing is emitted.  *res gets the result. */
typedef struct {
  double size;
  int weight;
  uint32_t color;
  tg_align align;
  size_t max_lines;
  double line_height;   /* 0: the chart style's */
  const tg_attr *extra; /* more attributes over the text (plain-text offsets) */
  size_t nextra;
} tspec;

/* The attributes of a text at `f` times its size: the ruby of its markup,
 * then the spec's weight, colour and extra attributes ([size] scaled). */
static const tg_attrs *text_attrs(tg_attr_list *al, const tg_ruby_text *rt, const chart *c,
                                  const tspec *ts, size_t len, double f) {
  tg_attr_list_clear(al);
  if (rt) tg_attr_list_append(al, tg_ruby_text_get_attrs(rt), 0);
  if (ts->weight && ts->weight != c->st->weight && len)
    tg_attr_list_add(al, &(tg_attr){0, (uint32_t)len, TG_ATTR_WEIGHT, {.weight = ts->weight}});
  if (ts->color && len)
    tg_attr_list_add(al, &(tg_attr){0, (uint32_t)len, TG_ATTR_COLOR, {.color = ts->color}});
  for (size_t i = 0; i < ts->nextra; i++) {
    tg_attr a = ts->extra[i];
    if (a.type == TG_ATTR_SIZE) a.u.size_pt *= f;
    tg_attr_list_add(al, &a);
  }
  return tg_attr_list_get(al);
}

static bool text(const chart *c, const char *part, const char *s, const tspec *ts, double x,
                 double y, double w, bool measure_only, text_result *res) {
  tg_ruby_text *rt = tg_ruby_markup_parse(s, strlen(s), NULL, NULL, NULL);
  const char *plain = rt ? tg_ruby_text_get_text(rt, NULL) : s;
  size_t len = strlen(plain);
  tg_attr_list *al = tg_attr_list_new();
  const tg_attrs *attrs = NULL;
  text_style st = *c->st;
  st.align = ts->align;
  if (ts->line_height > 0) st.line_height = ts->line_height;
  st.hanging = false;
  bool ok = true;
  /* too long for its lines: smaller in 0.25pt steps, down to 5pt */
  for (double size = ts->size;; size -= 0.25) {
    st.size_pt = size;
    attrs = text_attrs(al, rt, c, ts, len, size / ts->size);
    if (!layout_text(c->ctx, c->arena, NULL, part, plain, len, attrs, &st, x, y, w, 0,
                     ts->max_lines, res)) {
      ok = false;
      break;
    }
    if (!res->overflow || size - 0.25 < 5 - 1e-9) break;
  }
  if (ok && res->overflow) {
    report(c, TG_KIND_LAYOUT, "layout.overflow",
           "the text '%s' of chart '%s' does not fit in %zu line%s of %.1fmm", part, c->block,
           ts->max_lines, ts->max_lines == 1 ? "" : "s", tg_pt_to_mm(w));
    ok = false;
  } else if (!ok) {
    if (res->missing_cp)
      report(c, TG_KIND_LAYOUT, "layout.glyph-missing",
             "no font in the font set can draw U+%04X (in chart '%s')", res->missing_cp, c->block);
    else
      report(c, TG_KIND_LAYOUT, "layout.font-missing",
             "chart '%s' asks for %s %s, which is not in the font set", c->block,
             res->missing_family ? res->missing_family : c->st->family,
             res->missing_weight >= 600 ? "bold" : "regular");
  } else if (!measure_only) {
    layout_text(c->ctx, c->arena, c->items, part, plain, len, attrs, &st, x, y, w, 0, ts->max_lines,
                res);
  }
  tg_attr_list_free(al);
  tg_ruby_text_free(rt);
  return ok;
}

/* Width of a one-line text (for centring and legends). */
static bool text_width(const chart *c, const char *s, const tspec *ts, double *w) {
  text_result r;
  tspec one = *ts;
  one.max_lines = 0;
  if (!text(c, c->block, s, &one, 0, 0, 1e6, true, &r)) return false;
  *w = r.width_pt;
  return true;
}

/* One line of text centred on cx, kept inside [lo, hi]. */
static bool text_centred(const chart *c, const char *part, const char *s, const tspec *ts,
                         double cx, double y, double lo, double hi) {
  double w;
  if (!text_width(c, s, ts, &w)) return false;
  w += 0.5;
  double x = cx - w / 2;
  if (x + w > hi) x = hi - w;
  if (x < lo) x = lo;
  tspec t = *ts;
  t.align = TG_ALIGN_LEFT;
  t.max_lines = 1;
  text_result r;
  return text(c, part, s, &t, x, y, w, false, &r);
}

static uint32_t zone_fill(tg_chart_zone z) {
  return z == TG_CHART_REFER ? FILL_REFER : z == TG_CHART_GUIDE ? FILL_GUIDE : FILL_OK;
}

static const char *zone_part(tg_chart_zone z) {
  return z == TG_CHART_REFER ? "refer" : z == TG_CHART_GUIDE ? "guide" : "normal";
}

/* ---- measure rows ------------------------------------------------------------------------ */

typedef struct {
  const tg_chart_measure *m;
  const char *label;
  const char *raw; /* merged value ("" when not measured) */
  double v;
} mrow;

/* The band descriptions of the eGFR chart (values band-g1 … band-g5). */
static const char *band_label(const chart *c, int b) {
  char n[16];
  g_snprintf(n, sizeof n, "band-%s", G_BANDS[b].part);
  return text_of(c, n, G_BANDS[b].label);
}

static bool draw_measure(const chart *c, const mrow *r, double ry, double row_h, bool detailed) {
  const tg_chart_measure *m = r->m;
  double s = c->st->size_pt;
  double lw = fmin(c->w * (detailed ? 0.24 : 0.30), tg_mm_to_pt(48));
  double sx0 = c->x + lw + tg_mm_to_pt(3), sx1 = c->x + c->w - tg_mm_to_pt(2);
  double sw = sx1 - sx0;
  tg_chart_zone z = tg_chart_classify(m, r->v);
  int band = g_band(r->v);
  bool egfr = m->lower_is_worse;

  /* vertical budget: value caption, bar, threshold ticks (and band labels) */
  double cap_h = s * 1.25, bar_h = egfr ? s * 1.5 : fmax(s * 0.9, tg_mm_to_pt(3)),
         tick_h = s * 0.8 * 1.3, desc_h = detailed ? s * 0.72 * 1.25 * 2 + 2 : 0;
  double total = cap_h + bar_h + tick_h + desc_h;
  double top = ry + (row_h - total) / 2;
  double bar_y = top + cap_h;

  /* left: label, then the value with its unit (and G category) */
  tspec lab = {.size = s, .align = TG_ALIGN_LEFT, .max_lines = 2, .line_height = 1.25};
  text_result lr;
  if (!text(c, part_name(c, "%s.label", m->name), r->label, &lab, c->x, 0, lw, true, &lr))
    return false;
  char *num = format_number(r->v, m->decimals);
  /* the number bold, the unit smaller, eGFR's category after the number;
   * the unit goes to a second line when the column is too narrow for one */
  const char *cat = egfr ? G_BANDS[band].name : NULL;
  char *val = cat ? g_strdup_printf("%s %s（%s）", num, m->unit, cat)
                  : g_strdup_printf("%s %s", num, m->unit);
  uint32_t nlen = (uint32_t)strlen(num), ulen = (uint32_t)strlen(m->unit) + 1;
  tg_attr va[3] = {{0, nlen, TG_ATTR_WEIGHT, {.weight = 700}},
                   {nlen, nlen + ulen, TG_ATTR_SIZE, {.size_pt = s * 0.85}},
                   {nlen + ulen, (uint32_t)strlen(val), TG_ATTR_WEIGHT, {.weight = 700}}};
  tspec vs = {.size = s * 1.2,
              .align = TG_ALIGN_LEFT,
              .max_lines = 2,
              .line_height = 1.25,
              .extra = va,
              .nextra = cat ? 3 : 2};
  double one_w;
  if (!text_width(c, val, &vs, &one_w)) {
    g_free(val);
    g_free(num);
    return false;
  }
  if (one_w > lw) {
    g_free(val);
    val = cat ? g_strdup_printf("%s（%s）\n%s", num, cat, m->unit)
              : g_strdup_printf("%s\n%s", num, m->unit);
    uint32_t clen = cat ? (uint32_t)strlen("（）") + (uint32_t)strlen(cat) : 0;
    va[0] = (tg_attr){0, nlen + clen, TG_ATTR_WEIGHT, {.weight = 700}};
    va[1] = (tg_attr){nlen + clen + 1, (uint32_t)strlen(val), TG_ATTR_SIZE, {.size_pt = s * 0.85}};
    vs.nextra = 2;
  }
  text_result vr;
  if (!text(c, part_name(c, "%s.value", m->name), val, &vs, c->x, 0, lw, true, &vr)) {
    g_free(val);
    g_free(num);
    return false;
  }
  double ly = ry + (row_h - lr.height_pt - vr.height_pt) / 2;
  bool ok =
      text(c, part_name(c, "%s.label", m->name), r->label, &lab, c->x, ly, lw, false, &lr) &&
      text(c, part_name(c, "%s.value", m->name), val, &vs, c->x, ly + lr.height_pt, lw, false, &lr);
  g_free(val);
  if (!ok) {
    g_free(num);
    return false;
  }

  /* the bar: zones (eGFR: the six G bands), hatching beyond the referral value */
  if (egfr) {
    for (int b = 0; b < NBANDS; b++) {
      double bx = sx0 + sw * b / NBANDS, bw = sw / NBANDS;
      double mid = b == 0 ? 100 : (G_BANDS[b].lower + G_BANDS[b - 1].lower) / 2;
      tg_chart_zone bz = tg_chart_classify(m, mid);
      const char *p = part_name(c, "%s.bar.%s", m->name, G_BANDS[b].part);
      if (bz == TG_CHART_REFER)
        hatched(c, p, bx, bar_y, bw, bar_h, zone_fill(bz));
      else
        rect(c, p, bx, bar_y, bw, bar_h, 0, 0, zone_fill(bz), 0);
    }
  } else {
    double edges[4] = {0, axis_pos(m, m->guide), axis_pos(m, m->refer), 1};
    for (int k = 0; k < 3; k++) {
      double bx = sx0 + sw * edges[k], bw = sw * (edges[k + 1] - edges[k]);
      const char *p = part_name(c, "%s.bar.%s", m->name, zone_part((tg_chart_zone)k));
      if (k == TG_CHART_REFER)
        hatched(c, p, bx, bar_y, bw, bar_h, zone_fill((tg_chart_zone)k));
      else
        rect(c, p, bx, bar_y, bw, bar_h, 0, 0, zone_fill((tg_chart_zone)k), 0);
    }
  }
  rect(c, part_name(c, "%s.bar", m->name), sx0, bar_y, sw, bar_h, 0.5, OUTLINE, 0, 0);

  /* band separators and names inside the eGFR bar; the reader's band outlined */
  if (egfr) {
    tspec bs = {.size = s * 0.8, .align = TG_ALIGN_CENTER, .max_lines = 1, .line_height = 1.2};
    for (int b = 0; b < NBANDS; b++) {
      double bx = sx0 + sw * b / NBANDS, bw = sw / NBANDS;
      if (b > 0)
        line(c, part_name(c, "%s.bar.%s", m->name, G_BANDS[b].part), bx, bar_y, bx, bar_y + bar_h,
             0.5, OUTLINE, false);
      tspec t = bs;
      double lx = bx + 1, lw2 = bw - 2;
      if (b == band) {
        /* the reader's band: bold, and clear of the needle */
        t.weight = 700;
        double nx = sx0 + sw * axis_pos(m, r->v), half = bw / 2;
        if (nx < bx + half)
          lx = nx + 2, lw2 = bx + bw - 1 - lx;
        else
          lw2 = nx - 2 - lx;
        double need = 0;
        if (!text_width(c, G_BANDS[b].name, &t, &need)) {
          g_free(num);
          return false;
        }
        if (lw2 < need + 0.5) lx = bx + 1, lw2 = bw - 2; /* too narrow: centred after all */
      }
      text_result br;
      if (!text(c, part_name(c, "%s.band.%s", m->name, G_BANDS[b].part), G_BANDS[b].name, &t, lx,
                bar_y + (bar_h - s * 0.8 * 1.2) / 2, lw2, false, &br)) {
        g_free(num);
        return false;
      }
    }
    rect(c, part_name(c, "%s.you.%s", m->name, G_BANDS[band].part), sx0 + sw * band / NBANDS, bar_y,
         sw / NBANDS, bar_h, 1.6, INK, 0, 0);
  }

  /* threshold ticks and their numbers under the bar */
  tspec ts = {.size = s * 0.8,
              .align = TG_ALIGN_CENTER,
              .max_lines = 1,
              .line_height = 1.3,
              .color = GREY_TEXT};
  if (egfr) {
    for (int b = 1; b < NBANDS; b++) {
      double tx = sx0 + sw * b / NBANDS;
      char *n = format_number(G_BANDS[b - 1].lower, 0);
      line(c, part_name(c, "%s.tick.%s", m->name, n), tx, bar_y + bar_h, tx, bar_y + bar_h + 2, 0.5,
           OUTLINE, false);
      ok = text_centred(c, part_name(c, "%s.tick.%s", m->name, n), n, &ts, tx, bar_y + bar_h + 1.5,
                        sx0, sx1);
      g_free(n);
      if (!ok) break;
    }
    if (ok && detailed) {
      tspec ds = {.size = s * 0.72,
                  .align = TG_ALIGN_CENTER,
                  .max_lines = 2,
                  .line_height = 1.25,
                  .color = GREY_TEXT};
      for (int b = 0; b < NBANDS && ok; b++) {
        tspec t = ds;
        if (b == band) t.weight = 700, t.color = INK;
        text_result dr;
        ok = text(c, part_name(c, "%s.band.%s", m->name, G_BANDS[b].part), band_label(c, b), &t,
                  sx0 + sw * b / NBANDS + 1, bar_y + bar_h + tick_h + 1, sw / NBANDS - 2, false,
                  &dr);
      }
    }
  } else {
    double th[2] = {m->guide, m->refer};
    for (int k = 0; k < 2 && ok; k++) {
      double tx = sx0 + sw * axis_pos(m, th[k]);
      char *n = format_number(th[k], m->decimals);
      line(c, part_name(c, "%s.tick.%s", m->name, n), tx, bar_y + bar_h, tx, bar_y + bar_h + 2, 0.5,
           OUTLINE, false);
      ok = text_centred(c, part_name(c, "%s.tick.%s", m->name, n), n, &ts, tx, bar_y + bar_h + 1.5,
                        sx0, sx1);
      g_free(n);
    }
  }
  if (!ok) {
    g_free(num);
    return false;
  }

  /* the needle: the reader's place, with the value above it */
  double nx = sx0 + sw * axis_pos(m, r->v);
  const char *np = part_name(c, "%s.you", m->name);
  line(c, np, nx, top + cap_h - 1, nx, bar_y + bar_h + 1, 1.4, INK, false);
  double dot = fmin(bar_h * 0.55, tg_mm_to_pt(2.4));
  rect(c, np, nx - dot / 2, bar_y + (bar_h - dot) / 2, dot, dot, 0.8, 0xFFFFFFFF, INK, dot / 2);
  tspec cs = {.size = s * 0.95,
              .weight = 700,
              .align = TG_ALIGN_CENTER,
              .max_lines = 1,
              .line_height = 1.2};
  (void)z;
  ok = text_centred(c, np, num, &cs, nx, top, c->x + lw, c->x + c->w);
  g_free(num);
  return ok;
}

/* Three swatches and their names, centred under the chart. */
static bool draw_legend(const chart *c, double ly, double lh) {
  const char *names[3] = {text_of(c, "legend-normal", "基準の範囲"),
                          text_of(c, "legend-guide", "保健指導判定値の範囲"),
                          text_of(c, "legend-refer", "受診勧奨判定値の範囲")};
  double s = c->st->size_pt * 0.85;
  tspec ts = {.size = s, .align = TG_ALIGN_LEFT, .max_lines = 1, .line_height = 1.3};
  double sw = tg_mm_to_pt(6), gap = tg_mm_to_pt(1.5), sep = tg_mm_to_pt(5);
  double widths[3], total = 0;
  for (;;) {
    total = 0;
    for (int k = 0; k < 3; k++) {
      if (!text_width(c, names[k], &ts, &widths[k])) return false;
      total += sw + gap + widths[k] + (k < 2 ? sep : 0);
    }
    if (total <= c->w || ts.size <= 5) break;
    ts.size -= 0.25;
  }
  double x = c->x + (c->w - total) / 2, sh = fmin(lh * 0.6, tg_mm_to_pt(3.2));
  for (int k = 0; k < 3; k++) {
    const char *p = part_name(c, "legend.%s", zone_part((tg_chart_zone)k));
    double sy = ly + (lh - sh) / 2;
    if (k == TG_CHART_REFER)
      hatched(c, p, x, sy, sw, sh, zone_fill((tg_chart_zone)k));
    else
      rect(c, p, x, sy, sw, sh, 0, 0, zone_fill((tg_chart_zone)k), 0);
    rect(c, p, x, sy, sw, sh, 0.5, OUTLINE, 0, 0);
    text_result r;
    if (!text(c, p, names[k], &ts, x + sw + gap, ly + (lh - ts.size * 1.3) / 2, widths[k] + 1,
              false, &r))
      return false;
    x += sw + gap + widths[k] + sep;
  }
  return true;
}

static bool draw_measures(chart *c) {
  mrow rows[G_N_ELEMENTS(MEASURES) + 1];
  size_t n = 0, declared = 0;
  for (size_t i = 0; i < c->nvalues && n < G_N_ELEMENTS(MEASURES); i++) {
    if (!kind_has_measure(c->kind, c->names[i])) continue;
    declared++;
    const char *raw = c->values[i];
    bool blank = true;
    for (const char *p = raw; *p; p++)
      if (*p != ' ') blank = false;
    if (blank) continue; /* not measured: no row */
    mrow r = {.m = tg_chart_find_measure(c->names[i]), .raw = raw};
    if (!parse_number(raw, &r.v)) {
      report(c, TG_KIND_DATA, "chart.number", "the value '%s' of chart '%s' is not a number",
             c->names[i], c->block);
      return false;
    }
    char ln[32];
    g_snprintf(ln, sizeof ln, "label-%s", c->names[i]);
    r.label = text_of(c, ln, r.m->label);
    rows[n++] = r;
  }
  if (!declared) {
    report(c, TG_KIND_SCHEMA, "chart.value", "chart '%s' (%s) has no value to draw: give %s",
           c->block, KINDS[c->kind],
           c->kind == K_BP        ? "systolic and diastolic"
           : c->kind == K_RESULTS ? "egfr, systolic …"
                                  : KINDS[c->kind]);
    return false;
  }
  const char *lg = text_of(c, "legend", "on");
  bool legend = strcmp(lg, "off") != 0;
  double lh = legend ? c->st->size_pt * 1.9 : 0;
  /* rows share the height, up to a comfortable pitch; the legend follows them */
  /* the egfr kind describes each G band when the bands are wide enough */
  bool detailed = c->kind == K_EGFR;
  double lw = fmin(c->w * 0.24, tg_mm_to_pt(48));
  if (detailed && (c->w - lw - tg_mm_to_pt(5)) / NBANDS < tg_mm_to_pt(MIN_BAND_MM))
    detailed = false;
  double row_h = (c->h - lh) / (double)(n ? n : 1);
  double most = c->st->size_pt * (detailed ? 7.5 : 5.5);
  if (row_h > most) row_h = most;
  for (size_t i = 0; i < n; i++)
    if (!draw_measure(c, &rows[i], c->y + row_h * (double)i, row_h, detailed)) return false;
  if (legend && n && !draw_legend(c, c->y + row_h * (double)n, lh)) return false;
  return true;
}

/* ---- visits ------------------------------------------------------------------------------- */

/* Split at ',' and '、' (keeping empty parts) into at most max trimmed parts. */
static size_t split_list(const char *s, char **out, size_t max) {
  size_t n = 0;
  const char *p = s;
  for (;;) {
    const char *q = p;
    size_t sep = 0;
    while (*q) {
      if (*q == ',') {
        sep = 1;
        break;
      }
      if (strncmp(q, "、", 3) == 0) {
        sep = 3;
        break;
      }
      q++;
    }
    if (n < max) out[n] = g_strstrip(g_strndup(p, (gsize)(q - p)));
    n++;
    if (!sep) break;
    p = q + sep;
  }
  return n;
}

static void free_list(char **v, size_t n, size_t max) {
  for (size_t i = 0; i < n && i < max; i++)
    g_free(v[i]);
}

static bool draw_visits(chart *c) {
  char *cols[MAX_VISIT_COLS];
  const char *cs = text_of(c, "columns", "");
  size_t nc = cs[0] ? split_list(cs, cols, MAX_VISIT_COLS) : 0;
  if (nc == 0 || nc > MAX_VISIT_COLS) {
    free_list(cols, nc, MAX_VISIT_COLS);
    report(c, TG_KIND_SCHEMA, "chart.value",
           "chart '%s' (visits) needs 'columns': 1 to %d labels separated by commas", c->block,
           MAX_VISIT_COLS);
    return false;
  }
  const char *now = text_of(c, "now", NULL);
  size_t ncells = nc + (now ? 1 : 0);
  double s = c->st->size_pt;
  double lw = c->w * 0.34, cw = (c->w - lw) / (double)ncells;
  double hh = s * 2.0;
  /* rows with at least one visit: a condition never treated is left out */
  int rows[MAX_VISIT_ROWS];
  size_t nr = 0, declared = 0;
  for (int r = 1; r <= MAX_VISIT_ROWS; r++) {
    char n[16];
    g_snprintf(n, sizeof n, "row-%d", r);
    const char *v = value_of(c, n);
    if (!v) continue;
    declared++;
    char *marks[MAX_VISIT_COLS];
    size_t nm = split_list(v, marks, MAX_VISIT_COLS);
    bool any = false;
    for (size_t k = 0; k < nm && k < MAX_VISIT_COLS; k++)
      any = any || marks[k][0];
    free_list(marks, nm, MAX_VISIT_COLS);
    if (any || nm != nc) rows[nr++] = r; /* a count that does not match is reported below */
  }
  if (!declared) {
    free_list(cols, nc, MAX_VISIT_COLS);
    report(c, TG_KIND_SCHEMA, "chart.value", "chart '%s' (visits) needs rows: row-1, row-2 …",
           c->block);
    return false;
  }
  double row_h = (c->h - hh) / (double)(nr ? nr : 1), pad = tg_mm_to_pt(0.8);
  if (row_h > s * 3.4) row_h = s * 3.4;
  /* a grid shorter than its box sits in the middle of it */
  double top = c->y + fmax(0, (c->h - hh - row_h * (double)nr) / 2);
  bool ok = true;
  tspec head = {
      .size = s, .weight = 700, .align = TG_ALIGN_CENTER, .max_lines = 2, .line_height = 1.2};
  for (size_t k = 0; k < ncells && ok; k++) {
    bool is_now = k == nc;
    const char *p = is_now ? part_name(c, "%s.now", "head") : part_name(c, "head.col%zu", k + 1);
    double cx = c->x + lw + cw * (double)k;
    tspec t = head;
    if (is_now) t.color = ACCENT;
    text_result r;
    ok = text(c, p, is_now ? now : cols[k], &t, cx, 0, cw, true, &r) &&
         text(c, p, is_now ? now : cols[k], &t, cx, top + (hh - r.height_pt) / 2, cw, false, &r);
  }
  line(c, part_name(c, "head"), c->x, top + hh, c->x + c->w, top + hh, 0.8, OUTLINE, false);
  const char *yes = text_of(c, "visited", "受診あり"), *no = text_of(c, "not-visited", "受診なし");
  const char *again = text_of(c, "now-text", "再開しましょう");
  for (size_t i = 0; i < nr && ok; i++) {
    char n[16];
    g_snprintf(n, sizeof n, "row-%d", rows[i]);
    char *marks[MAX_VISIT_COLS];
    size_t nm = split_list(value_of(c, n), marks, MAX_VISIT_COLS);
    if (nm != nc) {
      free_list(marks, nm, MAX_VISIT_COLS);
      report(c, TG_KIND_SCHEMA, "chart.value",
             "'%s' of chart '%s' has %zu marks; the chart has %zu columns", n, c->block, nm, nc);
      ok = false;
      break;
    }
    double ry = top + hh + row_h * (double)i;
    g_snprintf(n, sizeof n, "label-%d", rows[i]);
    const char *label = text_of(c, n, "");
    tspec lt = {.size = s, .align = TG_ALIGN_LEFT, .max_lines = 2, .line_height = 1.25};
    text_result r;
    const char *lp = part_name(c, "row%d.label", rows[i]);
    ok = text(c, lp, label, &lt, c->x, 0, lw - 2, true, &r) &&
         text(c, lp, label, &lt, c->x, ry + (row_h - r.height_pt) / 2, lw - 2, false, &r);
    bool any = false;
    for (size_t k = 0; k < ncells && ok; k++) {
      bool is_now = k == nc;
      bool visited = !is_now && marks[k][0];
      any = any || visited;
      const char *p = part_name(c, is_now ? "row%d.now" : "row%d.col%zu", rows[i], k + 1);
      double cx = c->x + lw + cw * (double)k + pad, cy = ry + pad;
      double w = cw - 2 * pad, h = row_h - 2 * pad;
      tspec t = {.size = s * 0.9, .align = TG_ALIGN_CENTER, .max_lines = 2, .line_height = 1.2};
      const char *word;
      if (is_now) {
        if (!any) continue;
        rect(c, p, cx, cy, w, h, 1.2, ACCENT, 0xFFFFFFFF, tg_mm_to_pt(1));
        t.weight = 700;
        t.color = ACCENT;
        word = again;
      } else if (visited) {
        rect(c, p, cx, cy, w, h, 0, 0, VISITED, tg_mm_to_pt(1));
        t.weight = 700;
        t.color = 0xFFFFFFFF;
        word = yes;
      } else {
        rect(c, p, cx, cy, w, h, 0.5, 0xB3B3B3FF, NOT_VISITED, tg_mm_to_pt(1));
        t.color = GREY_TEXT;
        word = no;
      }
      ok = text(c, p, word, &t, cx, 0, w, true, &r) &&
           text(c, p, word, &t, cx, cy + (h - r.height_pt) / 2, w, false, &r);
    }
    free_list(marks, nm, MAX_VISIT_COLS);
    if (ok && i + 1 < nr)
      line(c, part_name(c, "row%d", rows[i]), c->x, ry + row_h, c->x + c->w, ry + row_h, 0.4,
           0xB3B3B3FF, false);
  }
  free_list(cols, nc, MAX_VISIT_COLS);
  return ok;
}

/* ---- entry points ------------------------------------------------------------------------------
 */

/* The slot line of the trace: the chart's kind and merged values. */
static void slot_item(const chart *c) {
  tg_item it = {.type = TG_ITEM_SLOT, .block = c->block, .x_pt = c->x, .y_pt = c->y};
  it.u.slot.kind = KINDS[c->kind];
  it.u.slot.w_pt = c->w;
  it.u.slot.h_pt = c->h;
  const char **vals = tg_arena_alloc(c->arena, (c->nvalues + 1) * sizeof *vals);
  const char **names = tg_arena_alloc(c->arena, (c->nvalues + 1) * sizeof *names);
  for (size_t i = 0; i < c->nvalues; i++) {
    vals[i] = tg_arena_strndup(c->arena, c->values[i], strlen(c->values[i]));
    names[i] = tg_arena_strndup(c->arena, c->names[i], strlen(c->names[i]));
  }
  it.u.slot.nvalues = c->nvalues;
  it.u.slot.names = names;
  it.u.slot.values = vals;
  g_array_append_val(c->items, it);
}

static bool draw(chart *c) {
  guint mark = c->items->len;
  slot_item(c);
  bool ok = c->kind == K_VISITS ? draw_visits(c) : draw_measures(c);
  if (!ok) g_array_set_size(c->items, mark);
  return ok;
}

bool layout_chart_check(const layout_env *env, const tg_block *b, tg_diag *d) {
  (void)env;
  if (b->type == TG_BLOCK_FLOW) {
    bool ok = true;
    for (size_t i = 0; i < b->u.flow.nchildren; i++)
      ok = layout_chart_check(env, &b->u.flow.children[i], d) && ok;
    return ok;
  }
  if (b->type != TG_BLOCK_CHART) return true;
  int k = find_kind(b->u.slot.kind);
  if (k < 0) {
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "chart.kind", b->span,
               "chart '%s' has an unknown kind '%s'", b->name, b->u.slot.kind);
    const char *s = tg_suggest(b->u.slot.kind, KINDS, G_N_ELEMENTS(KINDS));
    if (s)
      tg_diag_hint(d, "did you mean '%s'?", s);
    else
      tg_diag_hint(d,
                   "the kinds are results, blood-pressure, hba1c, glucose, ldl, egfr and visits");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < b->u.slot.nvalues; i++) {
    const char *n = b->u.slot.names[i];
    if (kind_takes((kind_id)k, n)) continue;
    const tg_text *t = &b->u.slot.values[i];
    tg_diag_at(d, TG_ERROR, TG_KIND_SCHEMA, "chart.value",
               t->node ? tg_text_span(t, 0, 0) : b->span, "chart '%s' (%s) takes no value '%s'",
               b->name, KINDS[k], n);
    const char *names[40];
    size_t nn = kind_names((kind_id)k, names, G_N_ELEMENTS(names));
    const char *s = tg_suggest(n, names, nn);
    if (s) tg_diag_hint(d, "did you mean '%s'?", s);
    ok = false;
  }
  return ok;
}

/* The labels' style: the design's `chart` style, else `body`, in the
 * letter's variant. */
static const text_style *chart_style(const layout_env *env, int variant) {
  const tg_design *ds = env->design;
  const tg_style *st = tg_design_find_style(ds, "chart");
  if (!st) st = tg_design_find_style(ds, "body");
  if (!st) return &env->default_style;
  size_t v = variant >= 0 && (size_t)variant < ds->nvariants ? (size_t)variant : 0;
  return layout_style(env, &ds->styles[(size_t)(st - ds->styles) + v * ds->nstyles]);
}

bool layout_chart(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                  const tg_block *b, const layout_sel *sel, const char *file, uint64_t row,
                  tg_diag *d) {
  int k = find_kind(b->u.slot.kind);
  if (k < 0) return false; /* reported when the layout was made */
  size_t n = b->u.slot.nvalues;
  const char **vals = tg_arena_alloc(arena, (n + 1) * sizeof *vals);
  for (size_t i = 0; i < n; i++) {
    int slot = b->u.slot.values[i].slot;
    vals[i] = slot >= 0 && sel->values[slot] ? sel->values[slot] : "";
  }
  chart c = {.ctx = ctx,
             .arena = arena,
             .items = items,
             .block = b->name,
             .st = chart_style(env, sel->variant),
             .kind = (kind_id)k,
             .x = b->x_pt,
             .y = b->y_pt,
             .w = b->width_pt,
             .h = b->height_pt,
             .nvalues = n,
             .names = b->u.slot.names,
             .values = vals,
             .file = file,
             .row = row,
             .span = b->span,
             .d = d};
  return draw(&c);
}

bool tg_layout_chart(tg_layout_ctx *ctx, const tg_chart_spec *spec, const tg_item **items,
                     size_t *nitems, tg_diag *d) {
  const char *family = spec->family ? spec->family : "BIZ UDPGothic";
  const tg_face *face = tg_fonts_find(ctx->fonts, family, spec->weight ? spec->weight : 400);
  const char *name = spec->name ? spec->name : "chart";
  int k = spec->kind ? find_kind(spec->kind) : -1;
  if (!face || k < 0) {
    if (!face)
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "layout.font-missing",
                  "chart %s asks for %s, which is not in the font set", name, family);
    else
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "chart.kind", "chart %s has an unknown kind '%s'",
                  name, spec->kind ? spec->kind : "");
    return false;
  }
  text_style st = {.face = face,
                   .family = family,
                   .weight = spec->weight ? spec->weight : 400,
                   .size_pt = spec->size_pt > 0 ? spec->size_pt : 9,
                   .line_height = 1.3,
                   .align = TG_ALIGN_LEFT,
                   .color = 0x000000FF,
                   .ruby_scale = 0.5};
  guint mark = ctx->items->len;
  chart c = {.ctx = ctx,
             .arena = ctx->arena,
             .items = ctx->items,
             .block = tg_arena_strndup(ctx->arena, name, strlen(name)),
             .st = &st,
             .kind = (kind_id)k,
             .x = spec->x_pt,
             .y = spec->y_pt,
             .w = spec->width_pt,
             .h = spec->height_pt,
             .nvalues = spec->nvalues,
             .names = spec->names,
             .values = spec->values,
             .span = TG_SPAN_NONE,
             .d = d};
  for (size_t i = 0; i < spec->nvalues; i++)
    if (!kind_takes(c.kind, spec->names[i])) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SCHEMA, "chart.value", "chart %s (%s) takes no value '%s'",
                  name, KINDS[k], spec->names[i]);
      return false;
    }
  if (!draw(&c)) return false;
  *items = &g_array_index(ctx->items, tg_item, mark);
  *nitems = ctx->items->len - mark;
  return true;
}
