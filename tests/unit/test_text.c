/* test_text.c — the text engine: font choice per character (never tofu),
 * variation sequences, kinsoku over many frame widths, overflow. */
#include "layout/layout_private.h"
#include "tg_test.h"

#include <math.h>

static tg_fonts *fonts;

static int setup(void **state) {
  fonts = tg_test_fonts();
  return fonts ? 0 : -1;
}
static int teardown(void **state) {
  tg_fonts_free(fonts);
  return 0;
}

static text_style style(const char *family, double size) {
  text_style st = {0};
  st.face = tg_fonts_find(fonts, family, 400);
  st.family = family;
  st.weight = 400;
  st.ruby_scale = 0.5;
  st.size_pt = size;
  st.line_height = 1.5;
  st.align = TG_ALIGN_LEFT;
  st.color = 0x000000FF;
  return st;
}

/* Lay out text and return the lines' texts (one per glyph item; items of one
 * line are joined when they follow each other on the same baseline). */
static GPtrArray *lines_of(tg_layout_ctx *ctx, const char *text, double width_pt,
                           text_result *res) {
  text_style st = style("BIZ UDPGothic", 10);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  tg_arena_reset(ctx->arena);
  layout_text(ctx, ctx->arena, items, "t", text, strlen(text), NULL, &st, 0, 0, width_pt, 0, 0,
              res);
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  double last_y = -1;
  for (guint i = 0; i < items->len; i++) {
    tg_item *it = &g_array_index(items, tg_item, i);
    char *t = g_strndup(it->u.glyphs.text, it->u.glyphs.text_len);
    if (it->y_pt == last_y && lines->len) {
      char *joined = g_strconcat(g_ptr_array_index(lines, lines->len - 1), t, NULL);
      g_free(lines->pdata[lines->len - 1]);
      lines->pdata[lines->len - 1] = joined;
      g_free(t);
    } else {
      g_ptr_array_add(lines, t);
    }
    last_y = it->y_pt;
  }
  g_array_free(items, TRUE);
  return lines;
}

static double st_ascent(void) { return tg_fonts_find(fonts, "BIZ UDPGothic", 400)->ascent_em; }

static uint32_t first_cp(const char *s) { return g_utf8_get_char(s); }
static uint32_t last_cp(const char *s) {
  const char *p = s + strlen(s);
  p = g_utf8_find_prev_char(s, p);
  return p ? g_utf8_get_char(p) : 0;
}

/* The x of each line's first glyph item, in order. */
static GArray *line_starts(tg_layout_ctx *ctx, const char *text, double width_pt) {
  text_style st = style("BIZ UDPGothic", 10);
  text_result res;
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  GArray *xs = g_array_new(FALSE, FALSE, sizeof(double));
  tg_arena_reset(ctx->arena);
  layout_text(ctx, ctx->arena, items, "t", text, strlen(text), NULL, &st, 0, 0, width_pt, 0, 0,
              &res);
  double last_y = -1;
  for (guint i = 0; i < items->len; i++) {
    tg_item *it = &g_array_index(items, tg_item, i);
    if (it->y_pt != last_y) g_array_append_val(xs, it->x_pt);
    last_y = it->y_pt;
  }
  g_array_free(items, TRUE);
  return xs;
}

static void a_paragraph_with_a_marker_hangs_its_later_lines(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *body = "薬が効いていたためかもしれません。薬をやめるかどうかは、自己判断せず、"
                     "医師と相談して決めましょう。";
  static const char *const marked[] = {"Ａ　", "① ", "１　", "※ ", "Q "};
  for (size_t m = 0; m < G_N_ELEMENTS(marked); m++) {
    char *text = g_strconcat(marked[m], body, NULL);
    GArray *xs = line_starts(ctx, text, 120);
    assert_true(xs->len >= 3);
    double indent = g_array_index(xs, double, 1);
    assert_true(indent > 3 && indent < 25); /* under the text after the marker */
    for (guint l = 2; l < xs->len; l++)
      assert_float_equal(g_array_index(xs, double, l), indent, 1e-6);
    g_array_free(xs, TRUE);
    g_free(text);
  }
  /* no marker: an indented paragraph, a name with a space, a word */
  static const char *const plain[] = {"　", "見本　", "あ "};
  for (size_t m = 0; m < G_N_ELEMENTS(plain); m++) {
    char *text = g_strconcat(plain[m], body, NULL);
    GArray *xs = line_starts(ctx, text, 120);
    for (guint l = 1; l < xs->len; l++)
      assert_float_equal(g_array_index(xs, double, l), 0, 1e-6);
    g_array_free(xs, TRUE);
    g_free(text);
  }
  tg_layout_ctx_free(ctx);
}

/* Over many widths, a paragraph keeps 特定健康診査 whole and ends with more
 * than three characters more often than greedy breaking would; and never at
 * the cost of a line: the refinement only moves breaks. */
static void short_words_stay_whole_and_last_lines_are_not_tiny(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *text = "先日受けられた特定健康診査で、腎臓の働きを示す値が下がっていました。"
                     "この1年は受診の記録がありません。";
  size_t split = 0, tiny = 0, widths = 0;
  for (double w = 90; w <= 260; w += 0.5, widths++) {
    text_result res;
    GPtrArray *lines = lines_of(ctx, text, w, &res);
    for (guint l = 0; l + 1 < lines->len; l++) {
      const char *a = g_ptr_array_index(lines, l), *b = g_ptr_array_index(lines, l + 1);
      if (g_str_has_suffix(a, "特定健") || g_str_has_suffix(a, "特定健康") ||
          g_str_has_suffix(a, "特定") || g_str_has_suffix(a, "特") || g_str_has_prefix(b, "診査"))
        split++;
    }
    if (lines->len > 1 && g_utf8_strlen(g_ptr_array_index(lines, lines->len - 1), -1) <= 3) tiny++;
    g_ptr_array_free(lines, TRUE);
  }
  /* greedy breaking splits the word or leaves 「ん。」 at many widths */
  assert_true(split * 10 < widths);
  assert_true(tiny * 10 < widths);
  tg_layout_ctx_free(ctx);
}

static void no_line_breaks_kinsoku_at_any_width(void **state) {
  const char *para =
      "腎臓の働き（eGFR）は、一度低下すると元に戻りにくく、自覚症状がないまま進みます。"
      "「今のうちに」検査を受ければ、腎臓を守ることができます！ちょっとした受診で、"
      "あなたの血圧130/85mmHgやHbA1c 5.6%の意味がわかります……ぜひ、ご相談ください。";
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  /* the paragraph's words and numbers, with the brackets kinsoku binds to
   * them, and the narrowest width on which each fits alone */
  struct {
    const char *word, *unit;
    double fits_pt;
  } words[] = {{"eGFR", "（eGFR）", 0},
               {"130/85mmHg", "130/85mmHg", 0},
               {"HbA1c", "HbA1c", 0},
               {"5.6%", "5.6%", 0}};
  for (size_t k = 0; k < G_N_ELEMENTS(words); k++) {
    text_result res;
    for (double w = 1;; w += 0.5) {
      GPtrArray *alone = lines_of(ctx, words[k].unit, w, &res);
      guint n = alone->len;
      g_ptr_array_free(alone, TRUE);
      if (n == 1) {
        words[k].fits_pt = w;
        break;
      }
    }
  }
  int widths = 0, lines_checked = 0;
  for (double w = 30; w <= 400; w += 1.5, widths++) {
    text_result res;
    GPtrArray *lines = lines_of(ctx, para, w, &res);
    GString *all = g_string_new(NULL), *broken = g_string_new(NULL);
    for (guint i = 0; i < lines->len; i++) {
      const char *l = g_ptr_array_index(lines, i);
      g_string_append(all, l);
      g_string_append_printf(broken, "%s%s", i > 0 ? "\n" : "", l);
      if (i > 0) assert_false(layout_kinsoku_no_start(first_cp(l)));
      if (i + 1 < lines->len) assert_false(layout_kinsoku_no_end(last_cp(l)));
      lines_checked++;
    }
    /* nothing lost or doubled: the lines are the paragraph (less the spaces
     * that ended a line) */
    char *want = g_strdup(para);
    g_strdelimit(want, " ", '\x01');
    GString *w2 = g_string_new(NULL), *a2 = g_string_new(NULL);
    for (const char *p = want; *p; p++)
      if (*p != '\x01') g_string_append_c(w2, *p);
    for (const char *p = all->str; *p; p++)
      if (*p != ' ') g_string_append_c(a2, *p);
    assert_string_equal(a2->str, w2->str);
    g_string_free(w2, TRUE);
    g_string_free(a2, TRUE);
    g_free(want);
    /* words and numbers are never split where they fit on a line: each is
     * whole on some line of the text as set */
    for (size_t k = 0; k < G_N_ELEMENTS(words); k++) {
      if (w < words[k].fits_pt) continue;
      if (!strstr(broken->str, words[k].word))
        fprintf(stderr, "width %.1f: '%s' is split:\n%s\n", w, words[k].word, broken->str);
      assert_non_null(strstr(broken->str, words[k].word));
    }
    g_string_free(broken, TRUE);
    g_string_free(all, TRUE);
    g_ptr_array_free(lines, TRUE);
  }
  assert_true(widths > 200 && lines_checked > 1000);
  tg_layout_ctx_free(ctx);
}

static void latin_words_and_numbers_stay_whole(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  for (double w = 40; w < 200; w += 0.5) { /* from where the longest word fits */
    text_result res;
    GPtrArray *lines = lines_of(ctx, "値はeGFR 57.6と130/85です", w, &res);
    for (guint i = 0; i < lines->len; i++) {
      const char *l = g_ptr_array_index(lines, i);
      /* a line never starts inside "eGFR", "57.6" or "130/85" */
      if (g_str_has_prefix(l, "GFR") || g_str_has_prefix(l, "FR") || g_str_has_prefix(l, "7.6") ||
          g_str_has_prefix(l, ".6") || g_str_has_prefix(l, "/85") || g_str_has_prefix(l, "30/85"))
        fprintf(stderr, "width %.1f: line %u starts with '%s'\n", w, i, l);
      assert_false(g_str_has_prefix(l, "GFR") || g_str_has_prefix(l, "FR") ||
                   g_str_has_prefix(l, "7.6") || g_str_has_prefix(l, ".6") ||
                   g_str_has_prefix(l, "/85") || g_str_has_prefix(l, "30/85"));
    }
    g_ptr_array_free(lines, TRUE);
  }
  tg_layout_ctx_free(ctx);
}

static void a_number_keeps_its_counter(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *t = "神奈川県座間市入谷西2丁目3番4号、令和8年10月1日に1,000円";
  for (double w = 45; w < 300; w += 0.5) { /* from where "1,000円" fits */
    text_result res;
    GPtrArray *lines = lines_of(ctx, t, w, &res);
    for (guint i = 1; i < lines->len; i++) {
      const char *l = g_ptr_array_index(lines, i);
      assert_false(g_str_has_prefix(l, "号") || g_str_has_prefix(l, "番") ||
                   g_str_has_prefix(l, "丁目") || g_str_has_prefix(l, "月") ||
                   g_str_has_prefix(l, "日に") || g_str_has_prefix(l, "円"));
    }
    g_ptr_array_free(lines, TRUE);
  }
  tg_layout_ctx_free(ctx);
}

static void a_character_no_font_has_is_reported_not_drawn(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_result res;
  text_style st = style("BIZ UDPGothic", 10);
  const char *t = "見本\xEE\x80\x80太郎"; /* U+E000: a municipality's 外字 */
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  assert_false(
      layout_text(ctx, ctx->arena, items, "t", t, strlen(t), NULL, &st, 0, 0, 200, 0, 0, &res));
  assert_int_equal(res.missing_cp, 0xE000);
  assert_int_equal(items->len, 0);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

static void rare_kanji_fall_back_to_ipamj(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_style st = style("BIZ UDPGothic", 10);
  const tg_face *ipamj = tg_fonts_find(fonts, "IPAmjMincho", 400);
  assert_non_null(ipamj);
  /* 渡邉 with an ideographic variation selector (U+E0100) */
  const char *t = "渡\xE9\x82\x89\xF3\xA0\x84\x80";
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  text_result res;
  assert_true(
      layout_text(ctx, ctx->arena, items, "t", t, strlen(t), NULL, &st, 0, 0, 200, 0, 0, &res));
  /* the variation sequence keeps its selector in the text of the item that
   * draws it, and base + selector make one glyph */
  bool found = false;
  size_t glyphs = 0;
  for (guint i = 0; i < items->len; i++) {
    tg_item *it = &g_array_index(items, tg_item, i);
    glyphs += it->u.glyphs.nglyphs;
    if (strstr(it->u.glyphs.text, "\xE9\x82\x89\xF3\xA0\x84\x80")) {
      found = true;
      bool body_has_vs = tg_face_has_char(st.face, 0x9089, 0xE0100);
      assert_ptr_equal(it->u.glyphs.face, body_has_vs ? st.face : ipamj);
    }
  }
  assert_int_equal(glyphs, 2);
  assert_true(found);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

/* The glyph drawn for a variation sequence is the one the font maps the
 * sequence to — not the base character's default glyph — and the item's
 * text keeps the selector for copy-paste. */
static void a_variation_sequence_draws_its_own_glyph(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_style st = style("BIZ UDPGothic", 10);
  const tg_face *ipamj = tg_fonts_find(fonts, "IPAmjMincho", 400);
  assert_non_null(ipamj);
  /* 邉 U+9089 has many registered variants: find two IPAmj draws apart */
  hb_codepoint_t nominal, variant;
  assert_true(hb_font_get_nominal_glyph(ipamj->hb, 0x9089, &nominal));
  uint32_t vs = 0;
  for (uint32_t v = 0xE0100; v <= 0xE01EF && !vs; v++)
    if (hb_font_get_variation_glyph(ipamj->hb, 0x9089, v, &variant) && variant != nominal) vs = v;
  assert_true(vs != 0); /* the test means something: a variant glyph exists */
  GString *t = g_string_new("渡");
  g_string_append_unichar(t, 0x9089);
  g_string_append_unichar(t, vs);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  text_result res;
  assert_true(
      layout_text(ctx, ctx->arena, items, "t", t->str, t->len, NULL, &st, 0, 0, 200, 0, 0, &res));
  bool found = false;
  for (guint i = 0; i < items->len; i++) {
    const tg_item *it = &g_array_index(items, tg_item, i);
    const char *at = g_strstr_len(it->u.glyphs.text, (gssize)it->u.glyphs.text_len, "\xE9\x82\x89");
    if (!at) continue;
    found = true;
    const tg_face *face = it->u.glyphs.face;
    hb_codepoint_t want;
    assert_true(hb_font_get_variation_glyph(face->hb, 0x9089, vs, &want));
    /* the sequence is the item's last cluster: one glyph, the variant */
    assert_int_equal(it->u.glyphs.glyphs[it->u.glyphs.nglyphs - 1].id, want);
    assert_int_equal(it->u.glyphs.clusters[it->u.glyphs.nclusters - 1].num_bytes, 3 + 4);
    assert_memory_equal(at + 3, t->str + 6, 4); /* the selector is in the item's text */
  }
  assert_true(found);
  g_array_free(items, TRUE);
  g_string_free(t, TRUE);
  tg_layout_ctx_free(ctx);
}

static void overflow_is_a_result(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_style st = style("BIZ UDPGothic", 10);
  const char *t = "長い文章です。長い文章です。長い文章です。長い文章です。";
  text_result res;
  assert_true(
      layout_text(ctx, ctx->arena, NULL, "t", t, strlen(t), NULL, &st, 0, 0, 60, 20, 0, &res));
  assert_true(res.overflow);
  assert_true(res.nlines > 1);
  assert_true(
      layout_text(ctx, ctx->arena, NULL, "t", t, strlen(t), NULL, &st, 0, 0, 600, 20, 0, &res));
  assert_false(res.overflow);
  tg_layout_ctx_free(ctx);
}

/* Glyph items of a text set with attributes, at width w. */
static GArray *set(tg_layout_ctx *ctx, const char *t, const tg_attr *attrs, size_t nattrs, double w,
                   text_result *res) {
  text_style st = style("BIZ UDPGothic", 12);
  tg_attrs a = {nattrs, attrs};
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  tg_arena_reset(ctx->arena);
  assert_true(layout_text(ctx, ctx->arena, items, "t", t, strlen(t), &a, &st, 0, 0, w, 0, 0, res));
  return items;
}

static const tg_item *find_text(GArray *items, const char *text, bool ruby) {
  for (guint i = 0; i < items->len; i++) {
    const tg_item *it = &g_array_index(items, tg_item, i);
    if (it->type == TG_ITEM_GLYPHS && it->u.glyphs.ruby == ruby &&
        it->u.glyphs.text_len == strlen(text) &&
        memcmp(it->u.glyphs.text, text, it->u.glyphs.text_len) == 0)
      return it;
  }
  return NULL;
}

static void group_ruby_sits_centred_above_its_base(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *t = "腎臓の検査";
  tg_attr a[] = {{0, 6, TG_ATTR_RUBY, {.ruby = "じんぞう"}}};
  text_result res;
  GArray *items = set(ctx, t, a, 1, 300, &res);
  const tg_item *base = find_text(items, t, false);
  const tg_item *ruby = find_text(items, "じんぞう", true);
  assert_non_null(base);
  assert_non_null(ruby);
  assert_true(fabs(ruby->u.glyphs.size_pt - 6.0) < 1e-9); /* half the 12pt text */
  assert_true(ruby->y_pt < base->y_pt - 12 * 0.7);        /* above the base glyphs */
  /* centred over the two base glyphs */
  double base_w = base->u.glyphs.glyphs[2].x_pt - base->u.glyphs.glyphs[0].x_pt;
  double centre = base->x_pt + base->u.glyphs.glyphs[0].x_pt + base_w / 2;
  assert_true(fabs(ruby->x_pt + ruby->u.glyphs.width_pt / 2 - centre) < 0.01);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

static void a_ruby_wider_than_its_base_pushes_the_neighbours_apart(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  /* 一 is one narrow kanji with a long reading */
  const char *t = "第一回";
  tg_attr a[] = {{3, 6, TG_ATTR_RUBY, {.ruby = "いちばんめの"}}};
  text_result res, plain;
  GArray *items = set(ctx, t, a, 1, 300, &res);
  GArray *without = set(ctx, t, NULL, 0, 300, &plain);
  const tg_item *ruby = find_text(items, "いちばんめの", true);
  assert_non_null(ruby);
  /* the base line became wider by the overhang, so nothing overlaps */
  assert_true(res.width_pt > plain.width_pt + 1);
  const tg_item *b1 = &g_array_index(items, tg_item, 0);
  assert_true(ruby->x_pt >= b1->x_pt + b1->u.glyphs.glyphs[0].x_pt + 11.9); /* after 第 */
  g_array_free(items, TRUE);
  g_array_free(without, TRUE);
  tg_layout_ctx_free(ctx);
}

static void a_ruby_base_is_never_split_across_lines(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *t = "特定健康診査の結果をお知らせします";
  /* group ruby over 特定健康診査 (18 bytes) */
  tg_attr a[] = {{0, 18, TG_ATTR_RUBY, {.ruby = "とくていけんこうしんさ"}}};
  for (double w = 80; w < 260; w += 2) {
    text_result res;
    GArray *items = set(ctx, t, a, 1, w, &res);
    const tg_item *ruby = find_text(items, "とくていけんこうしんさ", true);
    assert_non_null(ruby); /* exactly one ruby item: the base stayed whole */
    bool base_whole = false;
    for (guint i = 0; i < items->len; i++) {
      const tg_item *it = &g_array_index(items, tg_item, i);
      if (!it->u.glyphs.ruby && it->u.glyphs.text_len >= 18 &&
          memcmp(it->u.glyphs.text, "特定健康診査", 18) == 0)
        base_whole = true;
    }
    assert_true(base_whole);
    g_array_free(items, TRUE);
  }
  tg_layout_ctx_free(ctx);
}

static void lines_of_a_frame_with_ruby_keep_an_even_pitch_with_room_above(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *t = "ここは一行目です。\n腎臓の二行目です。\nここは三行目です。";
  tg_attr a[] = {{28, 34, TG_ATTR_RUBY, {.ruby = "じんぞう"}}};
  text_result res, plain;
  GArray *items = set(ctx, t, a, 1, 300, &res);
  GArray *pl = set(ctx, t, NULL, 0, 300, &plain);
  assert_int_equal(res.nlines, 3);
  double y[3];
  int k = 0;
  for (guint i = 0; i < items->len && k < 3; i++) {
    const tg_item *it = &g_array_index(items, tg_item, i);
    if (!it->u.glyphs.ruby && (k == 0 || it->y_pt != y[k - 1])) y[k++] = it->y_pt;
  }
  assert_int_equal(k, 3);
  assert_true(fabs((y[1] - y[0]) - (y[2] - y[1])) < 1e-6);
  assert_true(res.height_pt >= plain.height_pt); /* 1.5 × 12pt leaves room for 6pt ruby */
  const tg_item *first = &g_array_index(items, tg_item, 0);
  assert_true(first->y_pt - 12 * st_ascent() >= 6 * 0.99); /* ruby room above line 1 */
  g_array_free(items, TRUE);
  g_array_free(pl, TRUE);
  tg_layout_ctx_free(ctx);
}

static void bold_colour_and_size_spans_change_only_their_range(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  const char *t = "必ず受診してください";
  tg_attr a[] = {{0, 6, TG_ATTR_WEIGHT, {.weight = 700}},
                 {0, 6, TG_ATTR_COLOR, {.color = 0xC00000FF}},
                 {6, 12, TG_ATTR_SIZE, {.size_pt = 16}},
                 {6, 12, TG_ATTR_UNDERLINE, {0}}};
  text_result res;
  GArray *items = set(ctx, t, a, 4, 400, &res);
  const tg_item *bold = find_text(items, "必ず", false);
  const tg_item *big = find_text(items, "受診", false);
  const tg_item *rest = find_text(items, "してください", false);
  assert_non_null(bold);
  assert_non_null(big);
  assert_non_null(rest);
  assert_int_equal(tg_face_get_weight(bold->u.glyphs.face), 700);
  assert_int_equal(bold->color, 0xC00000FF);
  assert_true(big->u.glyphs.size_pt == 16 && rest->u.glyphs.size_pt == 12);
  assert_true(bold->y_pt == big->y_pt && big->y_pt == rest->y_pt); /* one baseline */
  bool underline = false;
  for (guint i = 0; i < items->len; i++)
    underline |= g_array_index(items, tg_item, i).type == TG_ITEM_LINE;
  assert_true(underline);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

static void a_span_asking_for_a_missing_face_is_an_error(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_style st = style("BIZ UDPMincho", 12);
  tg_attr a[] = {{0, 3, TG_ATTR_WEIGHT, {.weight = 700}}}; /* no Mincho bold in the set */
  tg_attrs at = {1, a};
  text_result res;
  assert_false(layout_text(ctx, ctx->arena, NULL, "t", "明朝", 6, &at, &st, 0, 0, 100, 0, 0, &res));
  assert_string_equal(res.missing_family, "BIZ UDPMincho");
  assert_int_equal(res.missing_weight, 700);
  tg_layout_ctx_free(ctx);
}

/* ---- line breaking with ruby, spans and 分かち書き ------------------------------------ */

typedef struct {
  GPtrArray *lines;          /* base text of each line (char*) */
  GArray *line_y;            /* double: baseline of each line */
  GArray *line_x0, *line_x1; /* double: extent of each line's base glyphs */
  GArray *ruby;              /* const tg_item* of the ruby items (in the arena) */
} set_lines;

static void set_lines_free(set_lines *sl) {
  g_ptr_array_free(sl->lines, TRUE);
  g_array_free(sl->line_y, TRUE);
  g_array_free(sl->line_x0, TRUE);
  g_array_free(sl->line_x1, TRUE);
  g_array_free(sl->ruby, TRUE);
}

/* Set text with attributes in style st at width w and collect its lines
 * (base glyph items joined per baseline) and its ruby items. */
static set_lines set_with(tg_layout_ctx *ctx, GArray *items, const char *t, const tg_attrs *a,
                          const text_style *st, double w) {
  set_lines sl = {g_ptr_array_new_with_free_func(g_free), g_array_new(FALSE, FALSE, sizeof(double)),
                  g_array_new(FALSE, FALSE, sizeof(double)),
                  g_array_new(FALSE, FALSE, sizeof(double)),
                  g_array_new(FALSE, FALSE, sizeof(const tg_item *))};
  g_array_set_size(items, 0);
  tg_arena_reset(ctx->arena);
  text_result res;
  assert_true(layout_text(ctx, ctx->arena, items, "t", t, strlen(t), a, st, 0, 0, w, 0, 0, &res));
  for (guint i = 0; i < items->len; i++) {
    const tg_item *it = &g_array_index(items, tg_item, i);
    if (it->type != TG_ITEM_GLYPHS) continue;
    if (it->u.glyphs.ruby) {
      g_array_append_val(sl.ruby, it);
      continue;
    }
    double x0 = it->x_pt, x1 = it->x_pt + it->u.glyphs.width_pt;
    char *text = g_strndup(it->u.glyphs.text, it->u.glyphs.text_len);
    guint n = sl.lines->len;
    if (n && g_array_index(sl.line_y, double, n - 1) == it->y_pt) {
      char *joined = g_strconcat(g_ptr_array_index(sl.lines, n - 1), text, NULL);
      g_free(sl.lines->pdata[n - 1]);
      sl.lines->pdata[n - 1] = joined;
      g_free(text);
      g_array_index(sl.line_x1, double, n - 1) = x1;
    } else {
      g_ptr_array_add(sl.lines, text);
      g_array_append_val(sl.line_y, it->y_pt);
      g_array_append_val(sl.line_x0, x0);
      g_array_append_val(sl.line_x1, x1);
    }
  }
  return sl;
}

/* The text without ASCII and ideographic spaces. */
static char *without_spaces(const char *s) {
  GString *o = g_string_new(NULL);
  for (const char *p = s; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c != ' ' && c != 0x3000) g_string_append_unichar(o, c);
  }
  return g_string_free(o, FALSE);
}

/* Every line of sl obeys kinsoku, the lines are the paragraph, and each
 * ruby item is drawn once, above a line, over that line's text. */
static void assert_lines_sound(const set_lines *sl, const char *para, size_t nruby, double w) {
  GString *all = g_string_new(NULL);
  for (guint i = 0; i < sl->lines->len; i++) {
    const char *l = g_ptr_array_index(sl->lines, i);
    g_string_append(all, l);
    if (i > 0 && layout_kinsoku_no_start(first_cp(l)))
      fail_msg("width %.1f: line %u starts with a character kinsoku forbids: %s", w, i, l);
    if (i + 1 < sl->lines->len && layout_kinsoku_no_end(last_cp(l)))
      fail_msg("width %.1f: line %u ends with a character kinsoku forbids: %s", w, i, l);
  }
  char *a = without_spaces(all->str), *b = without_spaces(para);
  assert_string_equal(a, b); /* nothing lost, doubled or reordered */
  g_free(a);
  g_free(b);
  g_string_free(all, TRUE);
  assert_int_equal(sl->ruby->len, nruby); /* never split, never dropped */
  for (guint r = 0; r < sl->ruby->len; r++) {
    const tg_item *ru = g_array_index(sl->ruby, const tg_item *, r);
    bool over_a_line = false;
    for (guint i = 0; i < sl->lines->len && !over_a_line; i++) {
      double y = g_array_index(sl->line_y, double, i);
      double x0 = g_array_index(sl->line_x0, double, i), x1 = g_array_index(sl->line_x1, double, i);
      double mid = ru->x_pt + ru->u.glyphs.width_pt / 2;
      over_a_line = ru->y_pt < y && ru->y_pt > y - 2 * 12 && mid >= x0 - 1e-6 && mid <= x1 + 1e-6;
    }
    if (!over_a_line) fail_msg("width %.1f: ruby item %u is not above its line", w, r);
  }
}

static void kinsoku_holds_with_ruby_and_spans_at_any_width(void **state) {
  /* 腎臓(6) の 働(3) き（eGFR）は、「検査」を 受(3) けてください。 with spans */
  const char *para =
      "腎臓の働き（eGFR）は、一度低下すると戻りにくく、「今のうちに」検査を受けてください。"
      "特定健康診査の結果をお知らせします……ご相談ください！";
  /* byte offsets */
  const char *p = para;
  size_t o_jinzo = 0, o_hatara = strstr(p, "働") - p, o_ichido = strstr(p, "一度") - p,
         o_kensa = strstr(p, "検査") - p, o_uke = strstr(p, "受") - p,
         o_toku = strstr(p, "特定健康診査") - p, o_kekka = strstr(p, "結果") - p,
         o_kaku = strstr(p, "」") - p, o_sodan = strstr(p, "ご相談") - p;
  tg_attr a[] = {
      {(uint32_t)o_jinzo, (uint32_t)o_jinzo + 3, TG_ATTR_RUBY, {.ruby = "じん"}}, /* mono */
      {(uint32_t)o_jinzo + 3, (uint32_t)o_jinzo + 6, TG_ATTR_RUBY, {.ruby = "ぞう"}},
      {(uint32_t)o_hatara, (uint32_t)o_hatara + 3, TG_ATTR_RUBY, {.ruby = "はたら"}},
      {(uint32_t)o_ichido, (uint32_t)o_ichido + 6, TG_ATTR_RUBY, {.ruby = "いちど"}},
      {(uint32_t)o_ichido, (uint32_t)o_ichido + 6, TG_ATTR_WEIGHT, {.weight = 700}},
      {(uint32_t)o_kaku - 12, (uint32_t)o_kaku + 3, TG_ATTR_COLOR, {.color = 0xC00000FF}},
      {(uint32_t)o_kensa, (uint32_t)o_kensa + 6, TG_ATTR_RUBY, {.ruby = "けんさ"}},
      {(uint32_t)o_kensa, (uint32_t)o_kensa + 6, TG_ATTR_SIZE, {.size_pt = 16}},
      {(uint32_t)o_uke, (uint32_t)o_uke + 3, TG_ATTR_RUBY, {.ruby = "う"}},
      {(uint32_t)o_toku, (uint32_t)o_toku + 18, TG_ATTR_RUBY, {.ruby = "とくていけんこうしんさ"}},
      {(uint32_t)o_kekka, (uint32_t)o_kekka + 6, TG_ATTR_RUBY, {.ruby = "けっか"}},
      {(uint32_t)o_kekka, (uint32_t)o_kekka + 6, TG_ATTR_UNDERLINE, {0}},
      {(uint32_t)o_sodan + 3, (uint32_t)o_sodan + 9, TG_ATTR_RUBY, {.ruby = "そうだん"}},
  };
  size_t na = G_N_ELEMENTS(a), nruby = 0;
  for (size_t i = 0; i < na; i++)
    nruby += a[i].type == TG_ATTR_RUBY;
  /* the text engine wants attributes sorted by start */
  for (size_t i = 1; i < na; i++)
    for (size_t j = i; j > 0 && a[j - 1].start > a[j].start; j--) {
      tg_attr t = a[j];
      a[j] = a[j - 1];
      a[j - 1] = t;
    }
  tg_attrs at = {na, a};
  text_style st = style("BIZ UDPGothic", 12);
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  int widths = 0;
  for (double w = 80; w <= 480; w += 1.25, widths++) { /* from where 特定健康診査 fits */
    for (int hang = 0; hang < 2; hang++) {
      st.hanging = hang;
      st.align = hang ? TG_ALIGN_JUSTIFY : TG_ALIGN_LEFT;
      set_lines sl = set_with(ctx, items, para, &at, &st, w);
      assert_lines_sound(&sl, para, nruby, w);
      set_lines_free(&sl);
    }
  }
  assert_true(widths > 300);
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

static void easy_text_breaks_only_at_its_spaces_at_any_width(void **state) {
  /* 分かち書き: lines break at the spaces (or after 、。) and nowhere else */
  const char *para = "あなたの 腎臓の 働きが 少し 弱く なって います。びょういんで 検査を "
                     "受けて ください。この 手紙を 持って、10月31日までに 行って ください。";
  const char *words[] = {"腎臓", "働", "少", "弱", "検査", "受", "手紙", "持", "行"};
  const char *readings[] = {"じんぞう", "はたら", "すこ", "よわ", "けんさ",
                            "う",       "てがみ", "も",   "い"};
  tg_attr a[G_N_ELEMENTS(words)];
  for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
    size_t o = strstr(para, words[i]) - para;
    a[i] = (tg_attr){
        (uint32_t)o, (uint32_t)(o + strlen(words[i])), TG_ATTR_RUBY, {.ruby = readings[i]}};
  }
  tg_attrs at = {G_N_ELEMENTS(a), a};
  text_style st = style("BIZ UDPGothic", 13);
  st.line_height = 1.9;
  st.break_at_spaces = true;
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  for (double w = 110; w <= 520; w += 1.25) { /* from where the longest phrase fits */
    set_lines sl = set_with(ctx, items, para, &at, &st, w);
    assert_lines_sound(&sl, para, G_N_ELEMENTS(a), w);
    /* each line ends where the paragraph has a space, 、 or 。 (or at its end),
     * so no phrase is cut; and the spaces inside a line are all kept */
    size_t pos = 0;
    for (guint i = 0; i < sl.lines->len; i++) {
      const char *l = g_ptr_array_index(sl.lines, i);
      while (para[pos] == ' ')
        pos++;
      assert_memory_equal(para + pos, l, strlen(l));
      pos += strlen(l);
      bool at_break = para[pos] == '\0' || para[pos] == ' ' || g_str_has_suffix(l, "、") ||
                      g_str_has_suffix(l, "。");
      if (!at_break) fail_msg("width %.1f: line %u ends inside a phrase: %s", w, i, l);
    }
    set_lines_free(&sl);
  }
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

static void ruby_never_overlaps_other_ruby_and_stays_in_the_frame(void **state) {
  /* long readings over short bases, side by side and next to kana */
  const char *para = "第一回の一日目は、日本の一時から一人ずつ受付で、二日の夜に一言ください。"
                     "これは日のあと夜が来て人が鳥を見た日です。";
  const char *words[] = {"一回", "一日目", "日本", "一時", "一人", "受付", "二日", "夜",
                         "一言", "日",     "夜",   "来",   "人",   "鳥",   "見",   "日"};
  const char *readings[] = {"いっかい", "いちにちめ", "にっぽん", "いちじ",
                            "ひとり",   "うけつけ",   "ふつか",   "よる",
                            "ひとこと", "にちようび", "よなか",   "きたるべき",
                            "ひとびと", "ことり",     "みつめ",   "ひるま"};
  tg_attr a[G_N_ELEMENTS(words)];
  const char *from = para;
  for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
    const char *q = strstr(from, words[i]);
    assert_non_null(q);
    a[i] = (tg_attr){(uint32_t)(q - para),
                     (uint32_t)(q - para + strlen(words[i])),
                     TG_ATTR_RUBY,
                     {.ruby = readings[i]}};
    from = q + strlen(words[i]);
  }
  tg_attrs at = {G_N_ELEMENTS(a), a};
  text_style st = style("BIZ UDPGothic", 12);
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  for (double w = 60; w <= 420; w += 1.25) {
    set_lines sl = set_with(ctx, items, para, &at, &st, w);
    assert_lines_sound(&sl, para, G_N_ELEMENTS(a), w);
    for (guint i = 0; i < sl.ruby->len; i++) {
      const tg_item *r = g_array_index(sl.ruby, const tg_item *, i);
      if (r->x_pt < -1e-6 || r->x_pt + r->u.glyphs.width_pt > w + 1e-6)
        fail_msg("width %.1f: ruby %u leaves the frame (%.2f to %.2f)", w, i, r->x_pt,
                 r->x_pt + r->u.glyphs.width_pt);
      for (guint k = i + 1; k < sl.ruby->len; k++) {
        const tg_item *q = g_array_index(sl.ruby, const tg_item *, k);
        if (q->y_pt != r->y_pt) continue;
        double a0 = r->x_pt, a1 = a0 + r->u.glyphs.width_pt, b0 = q->x_pt,
               b1 = b0 + q->u.glyphs.width_pt;
        if (a0 < b1 - 1e-6 && b0 < a1 - 1e-6)
          fail_msg("width %.1f: ruby %u and %u overlap", w, i, k);
      }
    }
    set_lines_free(&sl);
  }
  g_array_free(items, TRUE);
  tg_layout_ctx_free(ctx);
}

static void break_classes_of_common_characters(void **state) {
  assert_int_equal(layout_lb_class(0x8179), LB_ID); /* 腹 (kanji fast path) */
  assert_int_equal(layout_lb_class(0x3042), LB_ID); /* あ */
  assert_int_equal(layout_lb_class(0x3063), LB_NS); /* っ small kana: never starts a line */
  assert_int_equal(layout_lb_class(0x30C3), LB_NS); /* ッ */
  assert_int_equal(layout_lb_class(0x30FC), LB_NS); /* ー */
  assert_int_equal(layout_lb_class(0x3005), LB_NS); /* 々 */
  assert_int_equal(layout_lb_class(0x3002), LB_CL); /* 。 */
  assert_int_equal(layout_lb_class(0x300C), LB_OP); /* 「 */
  assert_int_equal(layout_lb_class(0x3000), LB_SP); /* ideographic space */
  assert_int_equal(layout_lb_class('5'), LB_NU);
  assert_int_equal(layout_lb_class('g'), LB_AL);
  assert_int_equal(layout_lb_class('.'), LB_IS);
  assert_int_equal(layout_lb_class('('), LB_OP);
  assert_int_equal(layout_lb_class('%'), LB_PO);
  assert_int_equal(layout_lb_class(0x20BB7), LB_ID); /* 𠮷 */
  assert_int_equal(layout_lb_class(0xE0100), LB_CM); /* variation selector */
  assert_int_equal(layout_lb_class(0xFF08), LB_OP);  /* （ */
  assert_int_equal(layout_lb_class(0xFF10), LB_NU);  /* full-width 0 */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(break_classes_of_common_characters),
      cmocka_unit_test(no_line_breaks_kinsoku_at_any_width),
      cmocka_unit_test(a_paragraph_with_a_marker_hangs_its_later_lines),
      cmocka_unit_test(short_words_stay_whole_and_last_lines_are_not_tiny),
      cmocka_unit_test(latin_words_and_numbers_stay_whole),
      cmocka_unit_test(a_number_keeps_its_counter),
      cmocka_unit_test(a_character_no_font_has_is_reported_not_drawn),
      cmocka_unit_test(rare_kanji_fall_back_to_ipamj),
      cmocka_unit_test(a_variation_sequence_draws_its_own_glyph),
      cmocka_unit_test(overflow_is_a_result),
      cmocka_unit_test(group_ruby_sits_centred_above_its_base),
      cmocka_unit_test(a_ruby_wider_than_its_base_pushes_the_neighbours_apart),
      cmocka_unit_test(a_ruby_base_is_never_split_across_lines),
      cmocka_unit_test(lines_of_a_frame_with_ruby_keep_an_even_pitch_with_room_above),
      cmocka_unit_test(bold_colour_and_size_spans_change_only_their_range),
      cmocka_unit_test(a_span_asking_for_a_missing_face_is_an_error),
      cmocka_unit_test(kinsoku_holds_with_ruby_and_spans_at_any_width),
      cmocka_unit_test(easy_text_breaks_only_at_its_spaces_at_any_width),
      cmocka_unit_test(ruby_never_overlaps_other_ruby_and_stays_in_the_frame),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
