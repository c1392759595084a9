/* test_text.c — the text engine: font choice per character (never tofu),
 * variation sequences, kinsoku over many frame widths, overflow. */
#include "layout/layout_private.h"
#include "tg_test.h"

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
  layout_text(ctx, ctx->arena, items, "t", text, strlen(text), &st, 0, 0, width_pt, 0, 0, res);
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

static uint32_t first_cp(const char *s) { return g_utf8_get_char(s); }
static uint32_t last_cp(const char *s) {
  const char *p = s + strlen(s);
  p = g_utf8_find_prev_char(s, p);
  return p ? g_utf8_get_char(p) : 0;
}

static void no_line_breaks_kinsoku_at_any_width(void **state) {
  const char *para =
      "腎臓の働き（eGFR）は、一度低下すると元に戻りにくく、自覚症状がないまま進みます。"
      "「今のうちに」検査を受ければ、腎臓を守ることができます！ちょっとした受診で、"
      "あなたの血圧130/85mmHgやHbA1c 5.6%の意味がわかります……ぜひ、ご相談ください。";
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  int widths = 0, lines_checked = 0;
  for (double w = 30; w <= 400; w += 1.5, widths++) {
    text_result res;
    GPtrArray *lines = lines_of(ctx, para, w, &res);
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < lines->len; i++) {
      const char *l = g_ptr_array_index(lines, i);
      g_string_append(all, l);
      if (i > 0) assert_false(layout_kinsoku_no_start(first_cp(l)));
      if (i + 1 < lines->len) assert_false(layout_kinsoku_no_end(last_cp(l)));
      lines_checked++;
    }
    /* nothing lost or doubled: the lines are the paragraph (less the spaces
     * that ended a line) */
    char *want = g_strdup(para);
    g_strdelimit(want, " ", '\x01');
    GString *w2 = g_string_new(NULL), *a2 = g_string_new(NULL);
    for (const char *p = want; *p; p++) if (*p != '\x01') g_string_append_c(w2, *p);
    for (const char *p = all->str; *p; p++) if (*p != ' ') g_string_append_c(a2, *p);
    assert_string_equal(a2->str, w2->str);
    g_string_free(w2, TRUE);
    g_string_free(a2, TRUE);
    g_free(want);
    /* words and numbers are never split */
    assert_null(strstr(all->str, "130/8\n"));
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

static void a_character_no_font_has_is_reported_not_drawn(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_result res;
  text_style st = style("BIZ UDPGothic", 10);
  const char *t = "見本\xEE\x80\x80太郎"; /* U+E000: a municipality's 外字 */
  GArray *items = g_array_new(FALSE, TRUE, sizeof(tg_item));
  assert_false(layout_text(ctx, ctx->arena, items, "t", t, strlen(t), &st, 0, 0, 200, 0, 0, &res));
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
  assert_true(layout_text(ctx, ctx->arena, items, "t", t, strlen(t), &st, 0, 0, 200, 0, 0, &res));
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

static void overflow_is_a_result(void **state) {
  tg_layout_ctx *ctx = tg_layout_ctx_new(fonts);
  text_style st = style("BIZ UDPGothic", 10);
  const char *t = "長い文章です。長い文章です。長い文章です。長い文章です。";
  text_result res;
  assert_true(layout_text(ctx, ctx->arena, NULL, "t", t, strlen(t), &st, 0, 0, 60, 20, 0, &res));
  assert_true(res.overflow);
  assert_true(res.nlines > 1);
  assert_true(layout_text(ctx, ctx->arena, NULL, "t", t, strlen(t), &st, 0, 0, 600, 20, 0, &res));
  assert_false(res.overflow);
  tg_layout_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(no_line_breaks_kinsoku_at_any_width),
      cmocka_unit_test(latin_words_and_numbers_stay_whole),
      cmocka_unit_test(a_character_no_font_has_is_reported_not_drawn),
      cmocka_unit_test(rare_kanji_fall_back_to_ipamj),
      cmocka_unit_test(overflow_is_a_result),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
