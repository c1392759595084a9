/* text.c — setting text into lines: styles, font choice, shaping, ruby,
 * kinsoku, alignment.
 *
 * A paragraph goes through five steps:
 *  1. style runs: the attributes (weight, colour, size, underline, font) cut
 *     the paragraph into runs, each with its face and size.
 *  2. graphemes: a base character with its combining marks and variation
 *     selector; each gets the first face that can draw it exactly (the run's
 *     face, then the fallback fonts).  If none can, setting stops with the
 *     code point: the caller turns it into an error.  A .notdef box is never
 *     drawn.
 *  3. shaping: runs of one face are cut into chunks after 、。 and spaces and
 *     shaped with HarfBuzz at em scale.  Chunks are cached per context, so text
 *     that repeats from letter to letter (everything but the merged values) is
 *     shaped once per run.
 *  4. ruby and line breaking: a ruby base is one unbreakable group, padded
 *     when its ruby is wider so the ruby never overlaps a neighbour (it may
 *     overhang a neighbouring kana by one ruby character, JIS X 4051, but
 *     never past the start or end of a line); greedy
 *     filling with the break rules of linebreak.c (kinsoku), optional hanging
 *     punctuation, trailing spaces dropped; a paragraph that starts with a
 *     marker and a space (Ａ　, ①, １　, ※ …) hangs its later lines under
 *     the text after the marker.  A break inside a word (between two kanji
 *     or two katakana: 特定健｜康診査) moves back to the word's start, and a
 *     paragraph's last line gets more than three characters (no あり
 *     ませ｜ん。), when either costs no extra line.
 *  5. placing: alignment or justification; every line box is tall enough for
 *     its largest text, and when the frame has ruby, every line reserves room
 *     for it so the line pitch stays even.  One glyph item per line and style
 *     run carries its text and cluster map, so the PDF keeps the original
 *     characters (copy-paste gives the source text, variation selectors
 *     included); ruby is drawn centred above its base.
 */
#include "layout/layout_private.h"

#include <math.h>
#include <string.h>

#define MAX_FALLBACKS 8
/* Each of the cache's two generations holds at most this much. */
#define CACHE_MAX_ENTRIES 16384
#define CACHE_MAX_BYTES   (3u << 20)

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

/* Two generations: chunks are added to `young`; when it is full it becomes
 * `old` (the previous old one is dropped) and a new young one starts.  A
 * chunk found in `old` moves back to `young`.  Text that repeats from
 * letter to letter (the body of the letter) therefore stays, while names
 * and addresses, each seen once, age out: memory stays flat however long
 * the list, at most two generations per worker. */
struct layout_ctx_shape_cache {
  GHashTable *young, *old; /* ckey* -> cval* */
  size_t bytes;            /* of young */
  hb_buffer_t *buf;
};

static guint ckey_hash(gconstpointer p) {
  const ckey *k = p;
  guint h = 2166136261u ^ (guint)(uintptr_t)k->face;
  for (size_t i = 0; i < k->len; i++)
    h = (h ^ (unsigned char)k->text[i]) * 16777619u;
  return h;
}

static gboolean ckey_equal(gconstpointer a, gconstpointer b) {
  const ckey *x = a, *y = b;
  return x->face == y->face && x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

static GHashTable *cache_table(void) {
  return g_hash_table_new_full(ckey_hash, ckey_equal, g_free, g_free);
}

shape_cache *layout_shape_cache_new(void) {
  shape_cache *c = g_new0(shape_cache, 1);
  c->young = cache_table();
  c->old = cache_table();
  c->buf = hb_buffer_create();
  return c;
}

void layout_shape_cache_free(shape_cache *c) {
  if (!c) return;
  g_hash_table_destroy(c->young);
  g_hash_table_destroy(c->old);
  hb_buffer_destroy(c->buf);
  g_free(c);
}

static size_t entry_cost(const ckey *k, const cval *v) {
  return sizeof(ckey) + k->len + sizeof(cval) + v->n * sizeof(sglyph) + 64;
}

/* Add an entry to the young generation, aging it first when it is full. */
static void cache_add(shape_cache *c, ckey *k, cval *v) {
  size_t cost = entry_cost(k, v);
  if (g_hash_table_size(c->young) >= CACHE_MAX_ENTRIES || c->bytes + cost > CACHE_MAX_BYTES) {
    g_hash_table_destroy(c->old);
    c->old = c->young;
    c->young = cache_table();
    c->bytes = 0;
  }
  g_hash_table_insert(c->young, k, v);
  c->bytes += cost;
}

static const cval *shape_chunk(shape_cache *c, const tg_face *face, const char *text, size_t len) {
  ckey *probe = g_malloc(sizeof(ckey) + len);
  probe->face = face;
  probe->len = len;
  memcpy(probe->text, text, len);
  const cval *hit = g_hash_table_lookup(c->young, probe);
  if (hit) {
    g_free(probe);
    return hit;
  }
  gpointer old_key, old_val;
  if (g_hash_table_steal_extended(c->old, probe, &old_key, &old_val)) {
    g_free(probe);
    cache_add(c, old_key, old_val); /* still in use: back to the young generation */
    return old_val;
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
  cache_add(c, probe, v);
  return v;
}

/* ---- style runs ------------------------------------------------------------------ */

/* One stretch of a paragraph with uniform attributes. */
typedef struct {
  uint32_t start, end; /* bytes in the paragraph */
  const tg_face *face;
  double size_pt;
  uint32_t color;
  bool underline;
} rstyle;

/* Cut the paragraph p = text[p0, p1) into style runs.  Returns false (with
 * res->missing_family) when an attribute asks for a face the set lacks. */
static bool style_runs(tg_layout_ctx *ctx, size_t p0, size_t p1, const tg_attrs *attrs,
                       const text_style *st, text_result *res) {
  GArray *runs = ctx->scratch_styles;
  g_array_set_size(runs, 0);
  /* boundaries: paragraph ends and every non-ruby attribute edge inside */
  GArray *cuts = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  uint32_t a = 0, b = (uint32_t)(p1 - p0);
  g_array_append_val(cuts, a);
  g_array_append_val(cuts, b);
  size_t nattrs = attrs ? attrs->n : 0;
  for (size_t i = 0; i < nattrs; i++) {
    const tg_attr *at = &attrs->v[i];
    if (at->type == TG_ATTR_RUBY) continue;
    uint32_t s = at->start, e = at->end;
    if (s > p0 && s < p1) {
      uint32_t c = (uint32_t)(s - p0);
      g_array_append_val(cuts, c);
    }
    if (e > p0 && e < p1) {
      uint32_t c = (uint32_t)(e - p0);
      g_array_append_val(cuts, c);
    }
  }
  /* insertion sort: few cuts */
  uint32_t *c = (uint32_t *)cuts->data;
  for (guint i = 1; i < cuts->len; i++)
    for (guint j = i; j > 0 && c[j - 1] > c[j]; j--) {
      uint32_t t = c[j];
      c[j] = c[j - 1];
      c[j - 1] = t;
    }
  bool ok = true;
  for (guint i = 0; i + 1 < cuts->len && ok; i++) {
    if (c[i] == c[i + 1]) continue;
    rstyle r = {c[i], c[i + 1], st->face, st->size_pt, st->color, false};
    const char *family = st->family;
    int weight = st->weight;
    size_t abs = p0 + c[i];
    for (size_t k = 0; k < nattrs; k++) {
      const tg_attr *at = &attrs->v[k];
      if (at->type == TG_ATTR_RUBY || at->start > abs || at->end <= abs) continue;
      switch (at->type) {
      case TG_ATTR_WEIGHT: weight = at->u.weight; break;
      case TG_ATTR_COLOR: r.color = at->u.color; break;
      case TG_ATTR_SIZE: r.size_pt = at->u.size_pt; break;
      case TG_ATTR_UNDERLINE: r.underline = true; break;
      case TG_ATTR_FONT: family = at->u.font; break;
      case TG_ATTR_RUBY: break;
      }
    }
    if (family != st->family || weight != st->weight) {
      r.face = family ? tg_fonts_find(ctx->fonts, family, weight) : NULL;
      if (!r.face) {
        res->missing_family = family ? family : "?";
        res->missing_weight = weight;
        ok = false;
      }
    }
    g_array_append_val(runs, r);
  }
  g_array_free(cuts, TRUE);
  return ok;
}

/* ---- units ----------------------------------------------------------------------- */

/* A unit is one HarfBuzz cluster: the smallest piece a line may break around. */
typedef struct {
  uint32_t start, end;          /* bytes in the paragraph */
  uint32_t gstart, ng;          /* glyphs in ctx->scratch_glyphs */
  double adv_pt;                /* advance of its glyphs */
  double pad_before, pad_after; /* room made for a ruby wider than its base */
  /* the part of a wide ruby that overhangs a neighbouring kana: room it
   * needs as well when the unit starts (ends) a line and has no neighbour */
  double edge_before, edge_after;
  uint32_t first_cp, last_cp;
  uint8_t lb_first, lb_last;
  uint16_t rs;  /* style run index */
  int32_t ruby; /* ruby group index, or -1 */
  const tg_face *face;
} unit;

typedef struct {
  uint32_t id;
  double x_off_pt, y_off_pt, adv_pt;
} pglyph;

/* A ruby group: units [ustart, uend) share one reading. */
typedef struct {
  size_t ustart, uend;
  const char *ruby; /* the reading (borrowed from the attribute) */
  size_t ruby_len;
  const tg_face *face;
  double size_pt, width_pt;
  uint32_t gstart, ng; /* glyphs in ctx->scratch_glyphs */
} rgroup;

static bool is_extender(uint32_t cp) {
  return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x200D ||
         (cp >= 0xE0020 && cp <= 0xE007F) || g_unichar_ismark(cp);
}

static bool is_vs(uint32_t cp) {
  return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool is_kana(uint32_t cp) {
  return (cp >= 0x3041 && cp <= 0x309F) || (cp >= 0x30A0 && cp <= 0x30FF);
}

/* Choose the face for a grapheme: base cp with optional variation selector. */
static const tg_face *pick_face(const tg_face *first, const tg_face *const *fb, size_t nfb,
                                uint32_t cp, uint32_t vs) {
  if (tg_face_has_char(first, cp, vs)) return first;
  for (size_t i = 0; i < nfb; i++)
    if (tg_face_has_char(fb[i], cp, vs)) return fb[i];
  return NULL;
}

/* Shape p[a, b) with `face` at size_pt and append its units (style run rs). */
static void flush_chunk(tg_layout_ctx *ctx, const char *p, size_t a, size_t b, const tg_face *face,
                        double size_pt, uint16_t rs) {
  GArray *units = ctx->scratch_units, *glyphs = ctx->scratch_glyphs;
  const cval *v = shape_chunk(ctx->cache, face, p + a, b - a);
  double k = size_pt / face->upem;
  size_t g = 0;
  while (g < v->n) {
    size_t h = g;
    uint32_t cl = v->g[g].cluster;
    unit u = {0};
    u.gstart = glyphs->len;
    u.ruby = -1;
    u.rs = rs;
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

/* Walk the graphemes of p[0, n), choosing faces and shaping.  Returns false
 * with res->missing_cp set when a character cannot be drawn by any face. */
static bool build_units(tg_layout_ctx *ctx, const char *p, size_t n, text_result *res) {
  g_array_set_size(ctx->scratch_units, 0);
  g_array_set_size(ctx->scratch_glyphs, 0);
  const tg_face *fb[MAX_FALLBACKS];
  size_t nfb = layout_fonts_fallbacks(ctx->fonts, fb, MAX_FALLBACKS);
  const rstyle *runs = (const rstyle *)ctx->scratch_styles->data;
  guint nruns = ctx->scratch_styles->len;
  size_t run_start = 0;
  const tg_face *run_face = NULL;
  guint rs = 0, run_rs = 0;
  size_t i = 0;
  while (i < n) {
    while (rs + 1 < nruns && i >= runs[rs].end)
      rs++;
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
    const tg_face *face = pick_face(runs[rs].face, fb, nfb, cp, vs);
    if (!face) {
      res->missing_cp = cp;
      res->missing_vs = vs;
      return false;
    }
    if (run_face && (face != run_face || rs != run_rs)) {
      flush_chunk(ctx, p, run_start, i, run_face, runs[run_rs].size_pt, (uint16_t)run_rs);
      run_face = NULL;
    }
    if (!run_face) {
      run_face = face;
      run_start = i;
      run_rs = rs;
    }
    i = j;
    lb_class c = layout_lb_class(cp);
    if ((c == LB_SP || c == LB_CL) && i < n) {
      /* end of a phrase: cache sentences independently of their neighbours */
      flush_chunk(ctx, p, run_start, i, run_face, runs[run_rs].size_pt, (uint16_t)run_rs);
      run_face = NULL;
    }
  }
  if (run_face) flush_chunk(ctx, p, run_start, n, run_face, runs[run_rs].size_pt, (uint16_t)run_rs);
  return true;
}

/* Turn the ruby attributes over p0.. into groups: the units they cover, the
 * shaped reading, and padding when the reading is wider than its base. */
static bool build_ruby(tg_layout_ctx *ctx, size_t p0, size_t p1, const tg_attrs *attrs,
                       const text_style *st, text_result *res) {
  GArray *groups = ctx->scratch_ruby;
  g_array_set_size(groups, 0);
  if (!attrs) return true;
  unit *u = (unit *)ctx->scratch_units->data;
  size_t nu = ctx->scratch_units->len;
  const rstyle *runs = (const rstyle *)ctx->scratch_styles->data;
  const tg_face *fb[MAX_FALLBACKS];
  size_t nfb = layout_fonts_fallbacks(ctx->fonts, fb, MAX_FALLBACKS);
  for (size_t i = 0; i < attrs->n; i++) {
    const tg_attr *at = &attrs->v[i];
    if (at->type != TG_ATTR_RUBY || at->start < p0 || at->end > p1 || at->end <= at->start)
      continue;
    uint32_t s = (uint32_t)(at->start - p0), e = (uint32_t)(at->end - p0);
    size_t us = 0;
    while (us < nu && u[us].start < s)
      us++;
    size_t ue = us;
    while (ue < nu && u[ue].end <= e)
      ue++;
    if (us >= ue || u[us].start != s || u[ue - 1].end != e) continue; /* not on unit edges */
    bool taken = false;
    for (size_t k = us; k < ue; k++)
      taken |= u[k].ruby >= 0;
    if (taken) continue; /* the first ruby over a base wins */
    rgroup g = {us, ue, at->u.ruby, strlen(at->u.ruby), NULL, 0, 0, 0, 0};
    g.size_pt = runs[u[us].rs].size_pt * (st->ruby_scale > 0 ? st->ruby_scale : 0.5);
    /* one face for the whole reading: the base's, else the first fallback
     * that has every character */
    const tg_face *cands[MAX_FALLBACKS + 1];
    size_t nc = 0;
    cands[nc++] = runs[u[us].rs].face;
    for (size_t k = 0; k < nfb; k++)
      cands[nc++] = fb[k];
    for (size_t k = 0; k < nc && !g.face; k++) {
      bool all = true;
      for (const char *q = g.ruby; *q && all;) {
        uint32_t cp;
        q += tg_utf8_decode(q, strlen(q), &cp);
        all = tg_face_has_char(cands[k], cp, 0);
        if (!all && k == nc - 1) res->missing_cp = cp;
      }
      if (all) g.face = cands[k];
    }
    if (!g.face) return false;
    const cval *v = shape_chunk(ctx->cache, g.face, g.ruby, g.ruby_len);
    double k = g.size_pt / g.face->upem;
    g.gstart = ctx->scratch_glyphs->len;
    for (size_t q = 0; q < v->n; q++) {
      pglyph pg = {v->g[q].id, v->g[q].x_off * k, -v->g[q].y_off * k, v->g[q].x_adv * k};
      g.width_pt += pg.adv_pt;
      g_array_append_val(ctx->scratch_glyphs, pg);
    }
    g.ng = (uint32_t)v->n;
    double base_w = 0;
    for (size_t q = us; q < ue; q++)
      base_w += u[q].adv_pt;
    if (g.width_pt > base_w) {
      /* the reading may overhang a neighbouring kana without ruby by up to one
       * ruby character (JIS X 4051); beyond that the base is padded */
      double half = (g.width_pt - base_w) / 2;
      double over_l = us > 0 && u[us - 1].ruby < 0 && is_kana(u[us - 1].last_cp) ? g.size_pt : 0;
      double over_r = ue < nu && is_kana(u[ue].first_cp) ? g.size_pt : 0;
      double ol = MIN(half, over_l), orr = MIN(half, over_r);
      u[us].pad_before += half - ol;
      u[us].edge_before += ol;
      u[ue - 1].pad_after += half - orr;
      u[ue - 1].edge_after += orr;
    }
    for (size_t q = us; q < ue; q++)
      u[q].ruby = (int32_t)groups->len;
    g_array_append_val(groups, g);
  }
  return true;
}

void layout_text_ctx_init(tg_layout_ctx *ctx) {
  ctx->cache = layout_shape_cache_new();
  ctx->scratch_units = g_array_new(FALSE, TRUE, sizeof(unit));
  ctx->scratch_glyphs = g_array_new(FALSE, TRUE, sizeof(pglyph));
  ctx->scratch_styles = g_array_new(FALSE, TRUE, sizeof(rstyle));
  ctx->scratch_ruby = g_array_new(FALSE, TRUE, sizeof(rgroup));
}

/* ---- line breaking --------------------------------------------------------------- */

typedef struct {
  size_t start, end; /* units [start, end) drawn on the line (trailing spaces excluded) */
  double width_pt;
  bool last; /* last line of its paragraph (not justified) */
} line;

static bool unit_is_space(const unit *u) { return u->lb_first == LB_SP; }

static double unit_width(const unit *u) { return u->pad_before + u->adv_pt + u->pad_after; }

static bool break_allowed(const unit *a, const unit *b, bool spaces_only) {
  if (a->ruby >= 0 && a->ruby == b->ruby) return false; /* never split a ruby base */
  if (spaces_only && a->lb_last != LB_SP && a->lb_last != LB_CL) return false;
  return layout_lb_allowed(a->lb_last, a->last_cp, b->lb_first, b->first_cp);
}

/* A paragraph that starts with a marker (Ａ, Ｑ, ①, １, ※, ・, ● …) and a
 * space hangs: its later lines start under the text after the marker, as
 * FAQ answers and numbered steps are set.  The number of units of the
 * marker and its space; 0 when the paragraph has none. */
static bool is_marker(uint32_t cp, bool *symbol) {
  static const uint32_t SYMBOLS[] = {0x203B, 0x30FB, 0x25CF, 0x25A0, 0x25A1, 0x25C6, 0x25C7,
                                     0x25CB, 0x25CE, 0x2605, 0x2606, 0x25B6, 0x25BA, 0x2192};
  *symbol =
      (cp >= 0x2460 && cp <= 0x2473) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 'A' && cp <= 'Z');
  for (size_t i = 0; i < G_N_ELEMENTS(SYMBOLS) && !*symbol; i++)
    *symbol = cp == SYMBOLS[i];
  return *symbol || (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= '0' && cp <= '9');
}

static size_t marker_units(const unit *u, size_t n) {
  size_t m = 0;
  bool symbol = false;
  /* one letter or symbol, or a number of one or two digits */
  while (m < n && m < 2 && u[m].start + 4 >= u[m].end && is_marker(u[m].first_cp, &symbol)) {
    m++;
    if (symbol) break;
  }
  if (m == 0 || (symbol && m > 1) || m + 1 >= n) return 0;
  if (u[m].first_cp != 0x3000 && u[m].first_cp != ' ') return 0;
  return m + 1;
}

/* Inside a word, as far as the characters tell without a dictionary: between
 * two kanji (特定健｜康診査) or two katakana (カタ｜カナ). */
static bool is_kanji(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005 ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_katakana(uint32_t cp) { return cp >= 0x30A1 && cp <= 0x30FC; }

static bool inside_word(const unit *a, const unit *b) {
  return (is_kanji(a->last_cp) && is_kanji(b->first_cp)) ||
         (is_katakana(a->last_cp) && is_katakana(b->first_cp));
}

/* Units of [from, n) that are not spaces, and their width. */
static size_t rest_units(const unit *u, size_t from, size_t n, double *width) {
  size_t count = 0;
  *width = 0;
  for (size_t k = from; k < n; k++) {
    *width += unit_width(&u[k]);
    count += !unit_is_space(&u[k]);
  }
  return count;
}

/* The break chosen at `end` moved earlier, by at most MAX_PULL units, to an
 * allowed break that is not inside a word: a short word stays whole when
 * the line can take the difference.  And the last line of a paragraph gets
 * more than SHORT_LAST units (no 「ありませ／ん。」): the break moves back
 * when the rest then still fits on one line. */
enum { MAX_PULL = 5, SHORT_LAST = 3 };

static size_t better_break(const unit *u, size_t n, size_t s, size_t end, double next_width_pt,
                           bool spaces_only) {
  if (end > s + 1 && end < n && inside_word(&u[end - 1], &u[end]))
    for (size_t b = end - 1; b > s + 1 && end - b <= MAX_PULL; b--)
      if (break_allowed(&u[b - 1], &u[b], spaces_only) && !inside_word(&u[b - 1], &u[b])) {
        end = b;
        break;
      }
  double rest_w;
  size_t e = end;
  while (e < n && unit_is_space(&u[e]))
    e++;
  if (e >= n || rest_units(u, e, n, &rest_w) > SHORT_LAST || rest_w > next_width_pt) return end;
  for (size_t b = end - 1; b > s + 1 && end - b <= MAX_PULL; b--) {
    if (!break_allowed(&u[b - 1], &u[b], spaces_only) || inside_word(&u[b - 1], &u[b])) continue;
    if (rest_units(u, b, n, &rest_w) > SHORT_LAST && rest_w <= next_width_pt + 1e-6) return b;
  }
  return end;
}

/* Break units into lines of at most width_pt (the lines after the first:
 * width_pt - indent_pt).  With spaces_only (分かち書き text), lines break
 * only after spaces and closing punctuation, so a phrase is never split; a
 * phrase wider than the line still breaks by character. */
static void break_lines(const unit *u, size_t n, double first_width_pt, double indent_pt,
                        bool hanging, bool spaces_only, bool refine, GArray *lines) {
  const double eps = 1e-6;
  size_t s = 0;
  if (n == 0) {
    line ln = {0, 0, 0, true};
    g_array_append_val(lines, ln);
    return;
  }
  while (s < n) {
    double width_pt = lines->len ? first_width_pt - indent_pt : first_width_pt;
    double w = 0;
    size_t j = s, last_break = 0;
    size_t end = n;
    bool hung = false;
    for (; j < n; j++) {
      if (j > s && break_allowed(&u[j - 1], &u[j], spaces_only)) last_break = j;
      /* a ruby overhanging its neighbours has none at the line's edges */
      double uw = unit_width(&u[j]) + (j == s ? u[j].edge_before : 0);
      if (j > s && !unit_is_space(&u[j]) && w + uw + u[j].edge_after > width_pt + eps) {
        if (hanging && layout_lb_hangable(u[j].first_cp) && w <= width_pt + eps) {
          hung = true; /* the comma hangs past the edge: the line ends after it */
          j++;
        }
        break;
      }
      w += uw;
    }
    if (j >= n && !hung) {
      end = n;
    } else if (hung) {
      end = j;
    } else if (last_break > s) {
      end = refine ? better_break(u, n, s, last_break, first_width_pt - indent_pt, spaces_only)
                   : last_break;
    } else {
      /* one unbreakable piece wider than the line: break by character, still
       * keeping closing punctuation off the line start and ruby bases whole
       * where possible */
      end = j;
      while (end > s + 1 && (layout_kinsoku_no_start(u[end].first_cp) || u[end].lb_first == LB_CM ||
                             layout_kinsoku_no_end(u[end - 1].last_cp) ||
                             (u[end].ruby >= 0 && u[end].ruby == u[end - 1].ruby)))
        end--;
      if (end <= s) end = j > s ? j : s + 1;
    }
    /* drop trailing spaces from the drawn part */
    size_t draw_end = end;
    while (draw_end > s && unit_is_space(&u[draw_end - 1]))
      draw_end--;
    double lw = 0;
    for (size_t k = s; k < draw_end; k++)
      lw += unit_width(&u[k]);
    if (draw_end > s) lw += u[s].edge_before + u[draw_end - 1].edge_after;
    line ln = {s, draw_end, lw, end >= n};
    g_array_append_val(lines, ln);
    s = end;
    while (s < n && unit_is_space(&u[s]))
      s++; /* spaces do not start a line */
    if (s >= n) g_array_index(lines, line, lines->len - 1).last = true;
  }
}

/* ---- placing ----------------------------------------------------------------------- */

/* Vertical metrics of one line box. */
typedef struct {
  double box_pt;      /* height of the line box */
  double baseline_pt; /* from the top of the box */
} vmetrics;

static vmetrics line_metrics(const unit *u, const line *ln, const rstyle *runs,
                             const text_style *st, double ruby_h) {
  double size = st->size_pt, asc = st->face->ascent_em * size, desc = st->face->descent_em * size;
  for (size_t k = ln->start; k < ln->end; k++) {
    const rstyle *r = &runs[u[k].rs];
    if (r->size_pt > size) size = r->size_pt;
    if (r->face->ascent_em * r->size_pt > asc) asc = r->face->ascent_em * r->size_pt;
    if (r->face->descent_em * r->size_pt > desc) desc = r->face->descent_em * r->size_pt;
  }
  double box = size * st->line_height;
  double extra = box - (asc + desc);
  double top = extra / 2;
  if (ruby_h > 0 && top < ruby_h) {
    /* the reading needs more room above than half the leading gives */
    top = ruby_h;
    if (top + asc + desc + extra / 2 > box) box = top + asc + desc + (extra > 0 ? extra / 2 : 0);
  }
  return (vmetrics){box, top + asc};
}

static void push_glyph_item(tg_arena *arena, GArray *items, const char *block, double x, double y,
                            const tg_face *face, double size, uint32_t color, const pglyph *pg,
                            size_t ng, const double *gx, const char *text, size_t text_len,
                            const tg_cluster *clusters, size_t nclusters, double width, bool ruby) {
  tg_item it = {0};
  it.type = TG_ITEM_GLYPHS;
  it.block = block;
  it.x_pt = x;
  it.y_pt = y;
  it.color = color;
  it.u.glyphs.face = face;
  it.u.glyphs.size_pt = size;
  it.u.glyphs.ruby = ruby;
  tg_glyph *gl = tg_arena_alloc(arena, (ng ? ng : 1) * sizeof *gl);
  for (size_t i = 0; i < ng; i++)
    gl[i] = (tg_glyph){pg[i].id, (float)(gx[i] + pg[i].x_off_pt), (float)pg[i].y_off_pt};
  it.u.glyphs.nglyphs = ng;
  it.u.glyphs.glyphs = gl;
  tg_cluster *cl = tg_arena_alloc(arena, (nclusters ? nclusters : 1) * sizeof *cl);
  memcpy(cl, clusters, nclusters * sizeof *cl);
  it.u.glyphs.clusters = cl;
  it.u.glyphs.nclusters = nclusters;
  it.u.glyphs.text = tg_arena_strndup(arena, text, text_len);
  it.u.glyphs.text_len = text_len;
  it.u.glyphs.width_pt = width;
  g_array_append_val(items, it);
}

/* Where a justified line takes its extra space, in the order of JIS X 4051
 * and Japanese typesetting practice with proportional fonts:
 *   1. spaces, and between Japanese and Latin letters or digits (和欧間),
 *      up to a quarter em each;
 *   2. after 、。，．, up to half an em each;
 *   3. whatever is left, evenly between all characters.
 * Most lines take all their space in steps 1–2, so only a few glyphs move and
 * a PDF states only a few offsets per line.  after[i] receives the space
 * added after unit ln->start + i. */
/* Is the gap between units a and b a place for extra space in this step? */
static bool justify_spot(const unit *a, const unit *b, int step) {
  if (step == 1) return layout_lb_hangable(a->last_cp);
  if (a->lb_last == LB_SP) return true;
  bool wa = a->lb_last == LB_AL || a->lb_last == LB_NU;
  bool wb = b->lb_first == LB_AL || b->lb_first == LB_NU;
  return wa != wb && b->lb_first != LB_SP && (a->lb_last == LB_ID || b->lb_first == LB_ID);
}

static void justify_line(const unit *u, const line *ln, double size_pt, double extra,
                         double *after) {
  size_t count = ln->end - ln->start;
  double cap[2] = {0.25 * size_pt, 0.5 * size_pt};
  for (int step = 0; step < 2 && extra > 1e-9; step++) {
    size_t spots = 0;
    for (size_t i = 0; i + 1 < count; i++) {
      if (justify_spot(&u[ln->start + i], &u[ln->start + i + 1], step)) spots++;
    }
    if (!spots) continue;
    double each = MIN(extra / (double)spots, cap[step]);
    for (size_t i = 0; i + 1 < count; i++) {
      if (justify_spot(&u[ln->start + i], &u[ln->start + i + 1], step)) after[i] += each;
    }
    extra -= each * (double)spots;
  }
  if (extra <= 1e-9) return;
  /* step 3: evenly between all characters, in whole thousandths of an em so
   * that the offsets repeat along the line; the remainder goes to the last */
  double milli_em = size_pt / 1000.0;
  double gap = floor(extra / (double)(count - 1) / milli_em) * milli_em;
  for (size_t i = 0; i + 1 < count; i++)
    after[i] += gap;
  after[count - 2] += extra - gap * (double)(count - 1);
}

static void emit_line(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const char *block,
                      const char *p, const unit *u, const line *ln, const text_style *st,
                      double x_pt, double baseline_pt, double width_pt) {
  if (ln->end <= ln->start) return;
  const pglyph *pg = (const pglyph *)ctx->scratch_glyphs->data;
  const rstyle *runs = (const rstyle *)ctx->scratch_styles->data;
  const rgroup *groups = (const rgroup *)ctx->scratch_ruby->data;
  double extra = width_pt - ln->width_pt;
  double x0 = x_pt;
  size_t count = ln->end - ln->start;
  switch (st->align) {
  case TG_ALIGN_LEFT:
  case TG_ALIGN_JUSTIFY: break;
  case TG_ALIGN_CENTER: x0 += extra / 2; break;
  case TG_ALIGN_RIGHT: x0 += extra; break;
  }
  if (st->align != TG_ALIGN_JUSTIFY && extra < 0) x0 = x_pt;
  /* extra space after each unit of the line (justification) */
  double *after = g_new0(double, count + 1);
  if (st->align == TG_ALIGN_JUSTIFY && !ln->last && count > 1 && extra > 0)
    justify_line(u, ln, st->size_pt, extra, after);
  /* x of each unit's base glyphs */
  double *ux = g_new(double, count + 1);
  double x = x0;
  for (size_t k = ln->start; k < ln->end; k++) {
    x += u[k].pad_before + (k == ln->start ? u[k].edge_before : 0);
    ux[k - ln->start] = x;
    x += u[k].adv_pt + u[k].pad_after + after[k - ln->start];
  }
  g_free(after);
  size_t maxg = ctx->scratch_glyphs->len + 1;
  double *gx = g_new(double, maxg);
  tg_cluster *cl = g_new(tg_cluster, count + 1);
  /* one item per stretch of units with the same face and style run */
  size_t k = ln->start;
  while (k < ln->end) {
    size_t e = k;
    size_t ng = 0;
    while (e < ln->end && u[e].face == u[k].face && u[e].rs == u[k].rs) {
      double gxx = ux[e - ln->start] - ux[k - ln->start];
      for (size_t q = 0; q < u[e].ng; q++) {
        gx[ng + q] = gxx;
        gxx += pg[u[e].gstart + q].adv_pt;
      }
      cl[e - k] = (tg_cluster){(int)(u[e].end - u[e].start), (int)u[e].ng};
      ng += u[e].ng;
      e++;
    }
    const rstyle *r = &runs[u[k].rs];
    double w = ux[e - 1 - ln->start] + u[e - 1].adv_pt - ux[k - ln->start];
    /* glyphs of consecutive units are consecutive in scratch_glyphs */
    push_glyph_item(arena, items, block, ux[k - ln->start], baseline_pt, u[k].face, r->size_pt,
                    r->color, &pg[u[k].gstart], ng, gx, p + u[k].start, u[e - 1].end - u[k].start,
                    cl, e - k, w, false);
    if (r->underline) {
      tg_item ul = {.type = TG_ITEM_LINE, .block = block, .color = r->color};
      double y = baseline_pt + r->size_pt * 0.12;
      ul.x_pt = ux[k - ln->start];
      ul.y_pt = y;
      ul.u.line.x2_pt = ux[k - ln->start] + w;
      ul.u.line.y2_pt = y;
      ul.u.line.width_pt = r->size_pt * 0.06;
      g_array_append_val(items, ul);
    }
    k = e;
  }
  /* ruby: centred over the base of each group on this line */
  for (size_t q = ln->start; q < ln->end; q++) {
    if (u[q].ruby < 0 || (q > ln->start && u[q - 1].ruby == u[q].ruby)) continue;
    const rgroup *g = &groups[u[q].ruby];
    size_t last = q;
    while (last + 1 < ln->end && u[last + 1].ruby == u[q].ruby)
      last++;
    double bx0 = ux[q - ln->start], bx1 = ux[last - ln->start] + u[last].adv_pt;
    double rx = (bx0 + bx1) / 2 - g->width_pt / 2;
    const rstyle *r = &runs[u[q].rs];
    double base_top = baseline_pt - r->face->ascent_em * r->size_pt;
    double ry = base_top - g->face->descent_em * g->size_pt;
    double gxx = 0;
    for (size_t t = 0; t < g->ng; t++) {
      gx[t] = gxx;
      gxx += pg[g->gstart + t].adv_pt;
    }
    tg_cluster one = {(int)g->ruby_len, (int)g->ng};
    push_glyph_item(arena, items, block, rx, ry, g->face, g->size_pt, r->color, &pg[g->gstart],
                    g->ng, gx, g->ruby, g->ruby_len, &one, 1, g->width_pt, true);
  }
  g_free(ux);
  g_free(gx);
  g_free(cl);
}

bool layout_text(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const char *block,
                 const char *text, size_t len, const tg_attrs *attrs, const text_style *st,
                 double x_pt, double y_pt, double width_pt, double max_height_pt, size_t max_lines,
                 text_result *res) {
  memset(res, 0, sizeof *res);
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    len--;
  /* a frame with ruby anywhere reserves room for it on every line */
  double ruby_h = 0;
  if (attrs)
    for (size_t i = 0; i < attrs->n; i++)
      if (attrs->v[i].type == TG_ATTR_RUBY) {
        double rs = st->size_pt * (st->ruby_scale > 0 ? st->ruby_scale : 0.5);
        ruby_h = rs * (st->face->ascent_em + st->face->descent_em);
        break;
      }
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(line));
  GArray *plain = g_array_new(FALSE, FALSE, sizeof(line));
  size_t pstart = 0;
  double y = y_pt;
  bool ok = true;
  for (;;) {
    size_t pend = pstart;
    while (pend < len && text[pend] != '\n')
      pend++;
    size_t plen = pend - pstart;
    if (plen > 0 && text[pend - 1] == '\r') plen--;
    const char *p = text + pstart;
    if (!style_runs(ctx, pstart, pstart + plen, attrs, st, res) ||
        !build_units(ctx, p, plen, res) ||
        !build_ruby(ctx, pstart, pstart + plen, attrs, st, res)) {
      ok = false;
      break;
    }
    const unit *u = (const unit *)ctx->scratch_units->data;
    size_t nu = ctx->scratch_units->len;
    g_array_set_size(lines, 0);
    size_t mk = marker_units(u, nu);
    double indent = mk ? u[0].edge_before : 0;
    for (size_t k = 0; k < mk; k++)
      indent += unit_width(&u[k]);
    if (indent > width_pt / 3) indent = 0; /* a marker, not a heading */
    /* words kept whole and no short last line, unless that costs a line */
    g_array_set_size(plain, 0);
    break_lines(u, nu, width_pt, indent, st->hanging, st->break_at_spaces, false, plain);
    break_lines(u, nu, width_pt, indent, st->hanging, st->break_at_spaces, true, lines);
    if (lines->len > plain->len) {
      GArray *t = lines;
      lines = plain;
      plain = t;
    }
    for (guint l = 0; l < lines->len; l++) {
      const line *ln = &g_array_index(lines, line, l);
      vmetrics vm = line_metrics(u, ln, (const rstyle *)ctx->scratch_styles->data, st, ruby_h);
      double ind = l ? indent : 0;
      if (ln->width_pt + ind > res->width_pt) res->width_pt = ln->width_pt + ind;
      if (items)
        emit_line(ctx, arena, items, block, p, u, ln, st, x_pt + ind, y + vm.baseline_pt,
                  width_pt - ind);
      y += vm.box_pt;
      res->nlines++;
    }
    if (pend >= len) break;
    pstart = pend + 1;
  }
  g_array_free(lines, TRUE);
  g_array_free(plain, TRUE);
  res->height_pt = y - y_pt;
  if ((max_height_pt > 0 && res->height_pt > max_height_pt + 1e-6) ||
      (max_lines > 0 && res->nlines > max_lines))
    res->overflow = true;
  return ok;
}
