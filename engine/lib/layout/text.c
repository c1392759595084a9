/* text.c — setting text into lines: font choice, shaping, kinsoku, alignment.
 *
 * A paragraph goes through four steps:
 *  1. graphemes: a base character with its combining marks and variation
 *     selector; each gets the first face that can draw it exactly (the style's
 *     font, then the fallback fonts).  If none can, setting stops with the code
 *     point: the caller turns it into an error.  A .notdef box is never drawn.
 *  2. shaping: runs of one face are cut into chunks after 、。 and spaces and
 *     shaped with HarfBuzz at em scale.  Chunks are cached per context, so text
 *     that repeats from letter to letter (everything but the merged values) is
 *     shaped once per run.
 *  3. line breaking: greedy filling with the break rules of linebreak.c
 *     (kinsoku), optional hanging punctuation, trailing spaces dropped.
 *  4. placing: alignment or justification, baselines from the line pitch, one
 *     glyph item per line and face, carrying its text and cluster map so the
 *     PDF keeps the original characters (copy-paste gives the source text,
 *     variation selectors included).
 */
#include "layout/layout_private.h"

#include <math.h>
#include <string.h>

#define MAX_FALLBACKS 8
#define CACHE_MAX_ENTRIES 65536
#define CACHE_MAX_BYTES (32u << 20)

/* ---- shaping cache ------------------------------------------------------------ */

typedef struct {
  uint32_t id;
  int32_t x_adv, x_off, y_off; /* font units */
  uint32_t cluster;            /* byte offset within the chunk */
} sglyph;

typedef struct {
  const tg_face *face;
  size_t len;
  char text[];
} ckey;

typedef struct {
  size_t n;
  sglyph g[];
} cval;

struct layout_ctx_shape_cache {
  GHashTable *table; /* ckey* -> cval* */
  size_t bytes;
  hb_buffer_t *buf;
};

static guint ckey_hash(gconstpointer p) {
  const ckey *k = p;
  guint h = 2166136261u ^ (guint)(uintptr_t)k->face;
  for (size_t i = 0; i < k->len; i++) h = (h ^ (unsigned char)k->text[i]) * 16777619u;
  return h;
}

static gboolean ckey_equal(gconstpointer a, gconstpointer b) {
  const ckey *x = a, *y = b;
  return x->face == y->face && x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

shape_cache *layout_shape_cache_new(void) {
  shape_cache *c = g_new0(shape_cache, 1);
  c->table = g_hash_table_new_full(ckey_hash, ckey_equal, g_free, g_free);
  c->buf = hb_buffer_create();
  return c;
}

void layout_shape_cache_free(shape_cache *c) {
  if (!c) return;
  g_hash_table_destroy(c->table);
  hb_buffer_destroy(c->buf);
  g_free(c);
}

static const cval *shape_chunk(shape_cache *c, const tg_face *face, const char *text, size_t len) {
  ckey *probe = g_malloc(sizeof(ckey) + len);
  probe->face = face;
  probe->len = len;
  memcpy(probe->text, text, len);
  const cval *hit = g_hash_table_lookup(c->table, probe);
  if (hit) {
    g_free(probe);
    return hit;
  }
  hb_buffer_t *buf = c->buf;
  hb_buffer_clear_contents(buf);
  hb_buffer_add_utf8(buf, text, (int)len, 0, (int)len);
  hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
  hb_buffer_set_language(buf, hb_language_from_string("ja", 2));
  hb_buffer_guess_segment_properties(buf);
  /* a variation selector becomes part of its base glyph, not an invisible
   * glyph of its own */
  hb_buffer_set_flags(buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
  hb_shape(face->hb, buf, NULL, 0);
  unsigned n;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
  cval *v = g_malloc(sizeof(cval) + n * sizeof(sglyph));
  v->n = n;
  for (unsigned i = 0; i < n; i++) {
    v->g[i] = (sglyph){info[i].codepoint, pos[i].x_advance, pos[i].x_offset, pos[i].y_offset,
                       info[i].cluster};
  }
  size_t cost = sizeof(ckey) + len + sizeof(cval) + n * sizeof(sglyph) + 64;
  if (g_hash_table_size(c->table) >= CACHE_MAX_ENTRIES || c->bytes + cost > CACHE_MAX_BYTES) {
    g_hash_table_remove_all(c->table); /* flat memory: start over */
    c->bytes = 0;
  }
  g_hash_table_insert(c->table, probe, v);
  c->bytes += cost;
  return v;
}

/* ---- units ----------------------------------------------------------------------- */

/* A unit is one HarfBuzz cluster: the smallest piece a line may break around. */
typedef struct {
  uint32_t start, end;       /* bytes in the paragraph */
  uint32_t gstart, ng;       /* glyphs in ctx->scratch_glyphs */
  double adv_pt;
  uint32_t first_cp, last_cp;
  uint8_t lb_first, lb_last;
  const tg_face *face;
} unit;

typedef struct {
  uint32_t id;
  double x_off_pt, y_off_pt, adv_pt;
} pglyph;

static bool is_extender(uint32_t cp) {
  return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x200D ||
         (cp >= 0xE0020 && cp <= 0xE007F) || g_unichar_ismark(cp);
}

static bool is_vs(uint32_t cp) {
  return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Choose the face for a grapheme: base cp with optional variation selector. */
static const tg_face *pick_face(const text_style *st, const tg_face *const *fb, size_t nfb,
                                uint32_t cp, uint32_t vs) {
  if (tg_face_has_char(st->face, cp, vs)) return st->face;
  for (size_t i = 0; i < nfb; i++)
    if (tg_face_has_char(fb[i], cp, vs)) return fb[i];
  return NULL;
}

/* Shape p[a, b) with `face` and append its units. */
static void flush_chunk(tg_layout_ctx *ctx, const char *p, size_t a, size_t b,
                        const tg_face *face, double size_pt) {
  GArray *units = ctx->scratch_units, *glyphs = ctx->scratch_glyphs;
  const cval *v = shape_chunk(ctx->cache, face, p + a, b - a);
  double k = size_pt / face->upem;
  size_t g = 0;
  while (g < v->n) {
    size_t h = g;
    uint32_t cl = v->g[g].cluster;
    unit u = {0};
    u.gstart = glyphs->len;
    while (h < v->n && v->g[h].cluster == cl) {
      pglyph pg = {v->g[h].id, v->g[h].x_off * k, -v->g[h].y_off * k, v->g[h].x_adv * k};
      u.adv_pt += pg.adv_pt;
      g_array_append_val(glyphs, pg);
      h++;
    }
    u.ng = glyphs->len - u.gstart;
    u.start = (uint32_t)(a + cl);
    u.end = (uint32_t)(h < v->n ? a + v->g[h].cluster : b);
    u.face = face;
    tg_utf8_decode(p + u.start, u.end - u.start, &u.first_cp);
    u.last_cp = u.first_cp;
    for (const char *q = p + u.start, *end = p + u.end; q < end;) {
      uint32_t c2;
      q += tg_utf8_decode(q, (size_t)(end - q), &c2);
      if (!is_extender(c2)) u.last_cp = c2;
    }
    if (u.first_cp == '\t') u.first_cp = u.last_cp = ' ';
    u.lb_first = (uint8_t)layout_lb_class(u.first_cp);
    u.lb_last = (uint8_t)layout_lb_class(u.last_cp);
    g_array_append_val(units, u);
    g = h;
  }
}

/* Build the units of one paragraph.  Returns false with res->missing_cp set
 * when a character cannot be drawn by any face. */
static bool build_units(tg_layout_ctx *ctx, const char *p, size_t n, const text_style *st,
                        text_result *res) {
  g_array_set_size(ctx->scratch_units, 0);
  g_array_set_size(ctx->scratch_glyphs, 0);
  const tg_face *fb[MAX_FALLBACKS];
  size_t nfb = layout_fonts_fallbacks(ctx->fonts, fb, MAX_FALLBACKS);
  size_t run_start = 0;
  const tg_face *run_face = NULL;
  size_t i = 0;
  while (i < n) {
    uint32_t cp, vs = 0;
    size_t j = i + (size_t)tg_utf8_decode(p + i, n - i, &cp);
    while (j < n) {
      uint32_t nx;
      int k = tg_utf8_decode(p + j, n - j, &nx);
      if (!is_extender(nx)) break;
      if (is_vs(nx) && !vs) vs = nx;
      j += (size_t)k;
      if (nx == 0x200D && j < n) j += (size_t)tg_utf8_decode(p + j, n - j, &nx);
    }
    if (cp == '\t') cp = ' ';
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFD) {
      res->missing_cp = cp;
      return false;
    }
    const tg_face *face = pick_face(st, fb, nfb, cp, vs);
    if (!face) {
      res->missing_cp = cp;
      res->missing_vs = vs;
      return false;
    }
    if (run_face && face != run_face) {
      flush_chunk(ctx, p, run_start, i, run_face, st->size_pt);
      run_face = NULL;
    }
    if (!run_face) {
      run_face = face;
      run_start = i;
    }
    i = j;
    lb_class c = layout_lb_class(cp);
    if ((c == LB_SP || c == LB_CL) && i < n) {
      /* end of a phrase: cache sentences independently of their neighbours */
      flush_chunk(ctx, p, run_start, i, run_face, st->size_pt);
      run_face = NULL;
    }
  }
  if (run_face) flush_chunk(ctx, p, run_start, n, run_face, st->size_pt);
  return true;
}

void layout_text_ctx_init(tg_layout_ctx *ctx) {
  ctx->cache = layout_shape_cache_new();
  ctx->scratch_units = g_array_new(FALSE, TRUE, sizeof(unit));
  ctx->scratch_glyphs = g_array_new(FALSE, TRUE, sizeof(pglyph));
}

/* ---- line breaking --------------------------------------------------------------- */

typedef struct {
  size_t start, end; /* units [start, end) drawn on the line (trailing spaces excluded) */
  double width_pt;
  bool last; /* last line of its paragraph (not justified) */
} line;

static bool unit_is_space(const unit *u) { return u->lb_first == LB_SP; }

static bool break_allowed(const unit *a, const unit *b) {
  return layout_lb_allowed(a->lb_last, a->last_cp, b->lb_first, b->first_cp);
}

/* Break units into lines of at most width_pt. */
static void break_lines(const unit *u, size_t n, double width_pt, bool hanging, GArray *lines) {
  const double eps = 1e-6;
  size_t s = 0;
  if (n == 0) {
    line ln = {0, 0, 0, true};
    g_array_append_val(lines, ln);
    return;
  }
  while (s < n) {
    double w = 0;
    size_t j = s, last_break = 0;
    size_t end = n;
    bool hung = false;
    for (; j < n; j++) {
      if (j > s && break_allowed(&u[j - 1], &u[j])) last_break = j;
      if (j > s && !unit_is_space(&u[j]) && w + u[j].adv_pt > width_pt + eps) {
        if (hanging && layout_lb_hangable(u[j].first_cp) && w <= width_pt + eps) {
          hung = true; /* the comma hangs past the edge: the line ends after it */
          j++;
        }
        break;
      }
      w += u[j].adv_pt;
    }
    if (j >= n && !hung) {
      end = n;
    } else if (hung) {
      end = j;
    } else if (last_break > s) {
      end = last_break;
    } else {
      /* one unbreakable piece wider than the line: break by character, still
       * keeping closing punctuation off the line start where possible */
      end = j;
      while (end > s + 1 && (layout_kinsoku_no_start(u[end].first_cp) || u[end].lb_first == LB_CM ||
                             layout_kinsoku_no_end(u[end - 1].last_cp)))
        end--;
      if (end <= s) end = j > s ? j : s + 1;
    }
    /* drop trailing spaces from the drawn part */
    size_t draw_end = end;
    while (draw_end > s && unit_is_space(&u[draw_end - 1])) draw_end--;
    double lw = 0;
    for (size_t k = s; k < draw_end; k++) lw += u[k].adv_pt;
    line ln = {s, draw_end, lw, end >= n};
    g_array_append_val(lines, ln);
    s = end;
    while (s < n && unit_is_space(&u[s])) s++; /* spaces do not start a line */
    if (s >= n) g_array_index(lines, line, lines->len - 1).last = true;
  }
}

/* ---- placing ----------------------------------------------------------------------- */

static void emit_line(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const char *block,
                      const char *p, const unit *u, const line *ln, const text_style *st,
                      double x_pt, double baseline_pt, double width_pt) {
  if (ln->end <= ln->start) return;
  const pglyph *pg = (const pglyph *)ctx->scratch_glyphs->data;
  double extra = width_pt - ln->width_pt;
  double gap = 0, x = x_pt;
  size_t count = ln->end - ln->start;
  switch (st->align) {
  case TG_ALIGN_LEFT: break;
  case TG_ALIGN_CENTER: x += extra / 2; break;
  case TG_ALIGN_RIGHT: x += extra; break;
  case TG_ALIGN_JUSTIFY:
    if (!ln->last && count > 1 && extra > 0) gap = extra / (double)(count - 1);
    break;
  }
  if (st->align != TG_ALIGN_JUSTIFY && extra < 0 && st->align != TG_ALIGN_LEFT) x = x_pt;
  size_t k = ln->start;
  while (k < ln->end) {
    size_t e = k;
    size_t ng = 0;
    while (e < ln->end && u[e].face == u[k].face) ng += u[e++].ng;
    tg_item it = {0};
    it.type = TG_ITEM_GLYPHS;
    it.block = block;
    it.x_pt = x;
    it.y_pt = baseline_pt;
    it.color = st->color;
    it.u.glyphs.face = u[k].face;
    it.u.glyphs.size_pt = st->size_pt;
    tg_glyph *gl = tg_arena_alloc(arena, ng * sizeof *gl);
    tg_cluster *cl = tg_arena_alloc(arena, (e - k) * sizeof *cl);
    double gx = 0;
    size_t gi = 0;
    for (size_t m = k; m < e; m++) {
      for (size_t q = 0; q < u[m].ng; q++) {
        const pglyph *g = &pg[u[m].gstart + q];
        gl[gi++] = (tg_glyph){g->id, (float)(gx + g->x_off_pt), (float)g->y_off_pt};
        gx += g->adv_pt;
      }
      cl[m - k] = (tg_cluster){(int)(u[m].end - u[m].start), (int)u[m].ng};
      if (m + 1 < ln->end) gx += gap;
    }
    it.u.glyphs.width_pt = gx;
    it.u.glyphs.nglyphs = ng;
    it.u.glyphs.glyphs = gl;
    it.u.glyphs.nclusters = e - k;
    it.u.glyphs.clusters = cl;
    it.u.glyphs.text = tg_arena_strndup(arena, p + u[k].start, u[e - 1].end - u[k].start);
    it.u.glyphs.text_len = u[e - 1].end - u[k].start;
    g_array_append_val(items, it);
    x += gx;
    k = e;
  }
}

bool layout_text(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const char *block,
                 const char *text, size_t len, const text_style *st, double x_pt, double y_pt,
                 double width_pt, double max_height_pt, size_t max_lines, text_result *res) {
  memset(res, 0, sizeof *res);
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
  double pitch = layout_pitch(st);
  double asc = st->face->ascent_em * st->size_pt, desc = st->face->descent_em * st->size_pt;
  double half_leading = (pitch - (asc + desc)) / 2;
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(line));
  size_t pstart = 0;
  double y = y_pt;
  bool ok = true;
  for (;;) {
    size_t pend = pstart;
    while (pend < len && text[pend] != '\n') pend++;
    size_t plen = pend - pstart;
    if (plen > 0 && text[pend - 1] == '\r') plen--;
    const char *p = text + pstart;
    if (!build_units(ctx, p, plen, st, res)) {
      ok = false;
      break;
    }
    const unit *u = (const unit *)ctx->scratch_units->data;
    size_t nu = ctx->scratch_units->len;
    g_array_set_size(lines, 0);
    break_lines(u, nu, width_pt, st->hanging, lines);
    for (guint l = 0; l < lines->len; l++) {
      const line *ln = &g_array_index(lines, line, l);
      if (ln->width_pt > res->width_pt) res->width_pt = ln->width_pt;
      if (items) emit_line(ctx, arena, items, block, p, u, ln, st, x_pt, y + half_leading + asc, width_pt);
      y += pitch;
      res->nlines++;
    }
    if (pend >= len) break;
    pstart = pend + 1;
  }
  g_array_free(lines, TRUE);
  res->height_pt = res->nlines * pitch;
  if ((max_height_pt > 0 && res->height_pt > max_height_pt + 1e-6) ||
      (max_lines > 0 && res->nlines > max_lines))
    res->overflow = true;
  return ok;
}
